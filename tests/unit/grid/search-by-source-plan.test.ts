import { describe, expect, it } from 'vitest';
import { whereSql } from '../../../src/core/grid/filter-sql';
import { session } from '../../helpers';

/**
 * The search box also finds incidents by the sources they cite. Every imported incident cites
 * its dataset, so the citations of incidents are as many as the incidents or more: reading all of
 * them for a search (the index on target_table leads with a column that is the same for every
 * one) took 0.6 s at 100k rows for each chart of the dashboard. The matching sources must lead,
 * through the index of citations by source, to the few citations that matter.
 */
describe('a search through the sources an incident cites', () => {
  it('reads the citations of the matching sources only, not every citation of an incident', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const dataset = cf.create('sources', { key: 'acled', title: 'ACLED dataset', type: 'dataset' });
    const news = cf.create('sources', { key: 'pajhwok2024', title: 'Pajhwok Afghan News', type: 'news' });
    const db = cf.db;
    // 3,000 incidents, each citing the dataset, and one citing the news agency too: as an import writes them, then ANALYZE.
    const id = (prefix: string, n: string) => `printf('${prefix}%07d-0000-7000-8000-000000000000', ${n})`;
    db.exec(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 3000)
      INSERT INTO incidents (id, created_at, updated_at, author, hlc, description) SELECT ${id('0', 'n')}, '2025-01-01', '2025-01-01', 't', 'h', 'Clash ' || n FROM k`);
    db.exec(`INSERT INTO citations (id, created_at, updated_at, author, hlc, source_id, target_table, target_id)
      SELECT ${id('1', 'rowid')}, '2025-01-01', '2025-01-01', 't', 'h', '${dataset.id}', 'incidents', id FROM incidents`);
    db.exec(`INSERT INTO citations (id, created_at, updated_at, author, hlc, source_id, target_table, target_id)
      SELECT ${id('2', 'rowid')}, '2025-01-01', '2025-01-01', 't', 'h', '${news.id}', 'incidents', id FROM incidents WHERE rowid = 1500`);
    db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild')");
    db.exec('ANALYZE');

    const w = whereSql('incidents', { columns: {}, search: 'pajhwok' });
    expect(
      db
        .prepare(`SELECT count(*) FROM incidents WHERE ${w.sql}`)
        .pluck()
        .get(...w.params),
    ).toBe(1);
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM incidents WHERE ${w.sql}`).all(...w.params) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.some((d) => /citations_source \(source_id=\?\)/.test(d))).toBe(true);
    expect(plan.some((d) => /citations_target \(target_table=\?\)/.test(d))).toBe(false);
  });
});
