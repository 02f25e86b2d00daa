import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportAtomically, writeExport, type ExportSpec } from '../../../src/core/export/export-table';
import { guardFormula, unguardFormula } from '../../../src/core/export/formula-guard';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { AUTHOR, NODE, freshCase, withDb } from './helpers';

/** Text a spreadsheet would run, text that already carries an apostrophe, and text that only looks close. */
const TEXTS = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2 killed',
  '@SUM(A1)',
  '\tTabbed',
  '\nLine fed',
  "'=1+1",
  "''+2",
  "'plain quote",
  "it's",
  "'",
  'plain',
];
const CAIRO = `"Cairo Police Chief Quits; Decries Local 'Militants'," Afro-American, January 10, 1970.`;
const SOURCES = [CAIRO, 'Tolo News', '=cmd|calc'];

const spec = (format: 'csv' | 'xlsx'): ExportSpec => ({
  table: 'incidents',
  scope: 'table',
  format,
  layout: 'casefile',
  sort: [],
  filter: { columns: {}, search: '' },
});

/** A case file whose incidents hold TEXTS in their descriptions and cite SOURCES; the export of it in `format`. */
async function exported(format: 'csv' | 'xlsx') {
  const ctx = session({ demo: false });
  const cf = ctx.s.caseFile;
  const sourceIds = SOURCES.map((title, i) => cf.create('sources', { key: `s${i}`, title, type: 'news' }).id as string);
  TEXTS.forEach((d, i) => {
    const row = cf.create('incidents', {
      date: `2022-01-${String(i + 1).padStart(2, '0')}`,
      description: d,
      actor1: d,
      external_id: `R${i}`,
      origin: 'mine',
    });
    // Row i cites the sources i, i+1 (mod 3): each source is first and last somewhere.
    for (const k of [i % 3, (i + 1) % 3])
      cf.create('citations', { source_id: sourceIds[k], target_table: 'incidents', target_id: row.id });
  });
  const out = join(ctx.dir, `incidents.${format}`);
  await exportAtomically(out, false, (tmp) => writeExport(cf.db, spec(format), tmp));
  return { ...ctx, out };
}

type Back = { external_id: string; description: string; actor1: string; sources: string };
const BACK = `SELECT external_id, description, actor1,
  (SELECT group_concat(s.title, ' | ' ORDER BY s.title) FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.target_id = i.id AND s.type <> 'dataset') AS sources
  FROM incidents i ORDER BY external_id`;

describe("Casefile's own export comes back as it went out", () => {
  it('the guard and its inverse: every string comes back exactly, and formula-like text is always protected', () => {
    const samples = [...TEXTS, '', '=', "'", "''", "'''=x", '\0=1+1', '\r=1', "x'=1", ' =1'];
    for (const s of samples) {
      expect(unguardFormula(guardFormula(s))).toBe(s);
      // What a spreadsheet sees never starts with a formula character.
      expect(/^[=+\-@\t\r\n\0]/.test(guardFormula(s))).toBe(false);
    }
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format.toUpperCase()}: re-imported into the same file, every row is unchanged; into a fresh file, texts and named sources are exact`, async () => {
      const { s, out } = await exported(format);
      const before = s.caseFile.db.prepare(BACK).all() as Back[];
      s.close();
      const { file: fresh } = freshCase();
      const r = await importFile(fresh, out, { author: AUTHOR, node: NODE, inWorker: false });
      expect(r).toMatchObject({ format: 'csv', imported: TEXTS.length, skipped: 0 });
      const after = withDb(fresh, (db) => db.prepare(BACK).all() as Back[]);
      expect(after).toEqual(before);
      expect(after.map((x) => x.description).sort()).toEqual([...TEXTS].sort());
      expect(after[0]!.sources).toBe([CAIRO, 'Tolo News'].sort().join(' | '));
    });
  }

  it('CSV: the same export imported into the file it came from updates nothing', async () => {
    const { s, out, file } = await exported('csv');
    s.close();
    const r = await importFile(file, out, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r).toMatchObject({ imported: 0, updated: 0, unchanged: TEXTS.length, skipped: 0, conflicts: [] });
  });
});
