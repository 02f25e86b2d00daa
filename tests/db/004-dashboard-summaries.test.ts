import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

describe('migration 4: dashboard summaries', () => {
  it('adds the summary tables, filled from the existing incidents', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 3);
    const meta = `'t', 't', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, country, admin1, date, fatalities, tags) VALUES
      ('0190a6f0-0000-7000-8000-000000000001', ${meta}, 'Afghanistan', 'Kabul', '2022-10-05', 3, NULL),
      ('0190a6f0-0000-7000-8000-000000000002', ${meta}, 'Afghanistan', 'Kabul', '2022-10', NULL, NULL),
      ('0190a6f0-0000-7000-8000-000000000003', ${meta}, 'Iran', NULL, NULL, 1, 'Abroad; arrests')`);
    migrate(db, 3, 4);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT country, admin1, n, f, k FROM dash_places ORDER BY country').all()).toEqual([
      { country: 'Afghanistan', admin1: 'Kabul', n: 2, f: 3, k: 1 },
      { country: 'Iran', admin1: null, n: 1, f: 1, k: 1 },
    ]);
    // Month grain: the day and the month-precision date share a month, their lengths tell them apart.
    expect(db.prepare('SELECT date, dlen, abroad, n FROM dash_cells ORDER BY date IS NULL, date, dlen').all()).toEqual([
      { date: '2022-10', dlen: 7, abroad: 0, n: 1 },
      { date: '2022-10', dlen: 10, abroad: 0, n: 1 },
      { date: null, dlen: 0, abroad: 1, n: 1 },
    ]);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT date, sum(n) FROM dash_cells INDEXED BY dash_cells_date WHERE date >= ? GROUP BY date',
      )
      .all('2022') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX dash_cells_date/);
  });
});
