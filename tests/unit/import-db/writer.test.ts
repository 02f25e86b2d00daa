import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAcledMapper } from '../../../src/core/import/acled';
import { openCsv } from '../../../src/core/import/csv-stream';
import type { RowOk } from '../../../src/core/import/types';
import { ImportWriter } from '../../../src/core/import/writer';
import { AUTHOR, NODE, count, fixture, freshCase } from './helpers';

async function rows(name: string): Promise<RowOk[]> {
  const reader = await openCsv(fixture(name));
  const m = createAcledMapper(reader.header);
  const out: RowOk[] = [];
  for await (const b of reader.batches()) for (const r of b.rows) out.push(m.map(r.cells, r.line) as RowOk);
  return out;
}

describe('the writer', () => {
  it('keeps the search index current row by row for a small import into a large case file', async () => {
    const { file } = freshCase();
    const db = new Database(file);
    try {
      const first = await rows('acled-current.csv');
      const w1 = new ImportWriter(db, { author: AUTHOR, node: NODE, format: 'acled', dataPath: 'a.csv' });
      w1.begin();
      for (const r of first) w1.write(r);
      w1.finish({}, null);

      // smallCase 1: this case file counts as large, so the second import maintains FTS per row.
      const revised = first.map((r) =>
        r.externalId === 'AFG70004'
          ? {
              ...r,
              timestamp: 1_700_000_000,
              sources: [...r.sources, 'Shahr-e Naw Radio'],
              incident: { ...r.incident, location: 'Shahr-e Naw', description: 'Women marched in Shahr-e Naw.' },
            }
          : r,
      );
      const w2 = new ImportWriter(db, { author: AUTHOR, node: NODE, format: 'acled', dataPath: 'b.csv', smallCase: 1 });
      w2.begin();
      for (const r of revised) w2.write(r);
      w2.finish({}, null);
      expect(w2.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 4 });
      const match = (q: string) => count(db, 'SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH ?', q);
      expect(match('"Shahr-e Naw"')).toBe(1);
      expect(match('university')).toBe(0);
      expect(match('rafidah')).toBe(1);
      // The index agrees with the table, entry for entry.
      expect(() =>
        db.prepare("INSERT INTO incidents_fts (incidents_fts) VALUES ('integrity-check')").run(),
      ).not.toThrow();
      expect(() => db.prepare("INSERT INTO sources_fts (sources_fts) VALUES ('integrity-check')").run()).not.toThrow();
      // The second file cites the ACLED source the first one made (one per dataset), and adds the radio.
      expect(count(db, "SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH 'export'")).toBe(1);
      expect(count(db, "SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH 'radio'")).toBe(1);
    } finally {
      db.close();
    }
  });
});
