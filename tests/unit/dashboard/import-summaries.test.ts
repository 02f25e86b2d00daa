import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkSummaries, rebuildSummaries } from '../../../src/core/dashboard/summaries';
import { importFile } from '../../../src/core/import/pipeline';
import { ALL_SUMMARIES as SUMMARIES } from '../../../src/core/dashboard/summary-defs';
import { AUTHOR, NODE, fixture, freshCase } from '../import-db/helpers';

const run = (file: string, data: string) => importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
const rows = (db: Database.Database) =>
  Object.fromEntries(
    SUMMARIES.map((d) => [
      d.name,
      db.prepare(`SELECT * FROM ${d.name} ORDER BY ${d.keys.map((k) => `${k} IS NULL, ${k}`).join(', ')}`).all(),
    ]),
  );

/** An import writes incidents without Tx: its last step brings the summary tables current. */
describe('the dashboard summaries after an import', () => {
  it('count the imported rows, and a re-import that revises some as they are now', async () => {
    const { dir, file } = freshCase();
    await run(file, fixture('acled-current.csv'));
    let text = readFileSync(fixture('acled-current.csv'), 'utf8');
    expect(text).toContain(',6,NA,1672700000,');
    text = text.replace(',6,NA,1672700000,', ',9,NA,1672709999,');
    const revised = join(dir, 'revised.csv');
    writeFileSync(revised, text);
    const r = await run(file, revised);
    expect(r.updated).toBe(1);
    const db = new Database(file);
    try {
      expect(db.prepare('SELECT sum(n) FROM dash_places').pluck().get()).toBe(
        db.prepare('SELECT count(*) FROM incidents').pluck().get(),
      );
      expect(checkSummaries(db)).toBe(true);
      const kept = rows(db);
      rebuildSummaries(db);
      expect(rows(db)).toEqual(kept);
    } finally {
      db.close();
    }
  });
});
