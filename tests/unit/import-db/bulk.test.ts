import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, progressEvent } from '../../../src/core/import/pipeline';
import { expectedSchema, inspectCaseFile } from '../../../src/core/db/open';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import { writeAcledCsv } from './acled-gen';
import { AUTHOR, NODE, count, freshCase, importCancelledEarly, snapshot, withDb, type Db } from './helpers';

/** sqlite_master as type:name -> sql, indexes included. */
const schema = (db: Db) =>
  Object.fromEntries(
    (
      db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as {
        type: string;
        name: string;
        sql: string | null;
      }[]
    ).map((r) => [`${r.type}:${r.name}`, r.sql]),
  );

/**
 * A load that is large for the case file sets the secondary indexes aside and makes them again
 * (writer.ts, bulk-indexes.ts): the file must come out with exactly the schema the migrations
 * make, and a load that does not finish must leave every index where it was.
 */
describe('a bulk import', () => {
  it('says what it is doing once every row is read, through the worker, step by step up to the commit', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'rows.csv');
    writeAcledCsv(data, { rows: 2000 });
    const lines: string[] = [];
    const r = await importFile(file, data, {
      author: AUTHOR,
      node: NODE,
      onProgress: (p) => lines.push(progressEvent(p).message),
    });
    expect(r.imported).toBeGreaterThan(1900);
    const after = lines.slice(lines.findIndex((l) => l.includes('rows read;')));
    const n =
      withDb(file, (db) =>
        count(
          db,
          "SELECT count(*) n FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('incidents', 'citations', 'change_log')",
        ),
      ) - 4;
    expect(after).toEqual([
      `${r.imported + r.skipped} rows read; logging the new rows`.replace(/^\d+/, (d) =>
        Number(d).toLocaleString('en-US'),
      ),
      ...Array.from({ length: n }, (_, i) =>
        expect.stringMatching(new RegExp(`rows read; building indexes \\(${i + 1} of ${n}\\)$`)),
      ),
      expect.stringMatching(/rows read; updating the dashboard's summaries$/),
      expect.stringMatching(/rows read; building the search index$/),
      expect.stringMatching(/rows read; computing statistics$/),
      expect.stringMatching(/rows read; saving$/),
    ]);
  });

  it('leaves the schema byte-identical to what the migrations make: the open path accepts the file', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'rows.csv');
    writeAcledCsv(data, { rows: 3000 });
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r.imported).toBeGreaterThan(2900);
    expect(inspectCaseFile(file)).toBe(SCHEMA_VERSION);
    withDb(file, (db) => {
      const expected = Object.fromEntries([...expectedSchema(SCHEMA_VERSION)].map(([k, e]) => [k, e.sql]));
      // ANALYZE's own tables aside (the open path allows them), entry for entry and byte for byte.
      const actual = schema(db);
      for (const k of Object.keys(actual)) if (k.startsWith('table:sqlite_stat')) delete actual[k];
      expect(actual).toEqual(expected);
      // Statistics for the indexes made again, and every index usable.
      expect(count(db, "SELECT count(*) n FROM sqlite_stat1 WHERE idx = 'incidents_date'")).toBe(1);
      expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
      // One change-log entry per inserted row, without a copy of the row.
      expect(
        count(db, "SELECT count(*) n FROM change_log WHERE tbl = 'incidents' AND op = 'insert' AND after IS NULL"),
      ).toBe(r.imported);
      expect(
        count(db, "SELECT count(*) n FROM change_log WHERE tbl = 'citations' AND op = 'insert' AND after IS NULL"),
      ).toBe(r.citationsCreated);
      expect(
        count(
          db,
          'SELECT count(*) n FROM change_log l JOIN incidents i ON i.id = l.row_id AND i.hlc = l.hlc AND i.author = l.author',
        ),
      ).toBe(r.imported);
    });
  });

  it('cancelled after the indexes were set aside: every index is back, and nothing else changed', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'mid.csv');
    writeAcledCsv(data, { rows: 20_000 });
    const [schemaBefore, before] = withDb(file, (db) => [schema(db), snapshot(db)] as const);
    const seenRows = await importCancelledEarly(file, data, { inWorker: false });
    expect(seenRows).toBeGreaterThan(0);
    withDb(file, (db) => {
      expect(schema(db)).toEqual(schemaBefore);
      expect(count(db, "SELECT count(*) n FROM sqlite_master WHERE type = 'index' AND name = 'incidents_date'")).toBe(
        1,
      );
      expect(snapshot(db)).toEqual(before);
    });
    expect(inspectCaseFile(file)).toBe(SCHEMA_VERSION);
  });
});
