import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { colleague, merge, plan, rows } from './pair';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url));
const idOf = (s: { caseFile: { db: { prepare(sql: string): { get(...a: unknown[]): unknown } } } }, ext: string) =>
  (s.caseFile.db.prepare('SELECT id FROM incidents WHERE external_id = ?').get(ext) as { id: string }).id;

/**
 * Imported rows are logged without their values (import/writer.ts, as an export logs every
 * insert). Merge decides from the rows and the entries after the insert, so a file whose rows
 * were imported merges like any other, on either side.
 */
describe('merging files whose rows were imported', { timeout: 180_000 }, () => {
  it('takes their edit of an imported row and their own import, keeps mine, and a second merge changes nothing', async () => {
    const { s: me, dir } = session({ demo: false });
    await importFile(me.caseFile.path, fixture('acled-current.csv'), {
      author: 'Test Analyst',
      node: 'a1b2c3d4e5f6',
      inWorker: false,
    });
    me.caseFile.clock.observe((me.caseFile.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const theirs = join(dir, 'colleague.casefile');
    await exportCaseFile(me.caseFile.path, theirs, { checked: true });

    const them = colleague(dir, theirs);
    const a = idOf(them, 'AFG70001');
    them.caseFile.update('incidents', a, { fatalities: 8 });
    const r = await importFile(theirs, fixture('acled-2015.csv'), {
      author: 'Colleague',
      node: 'c0ffee000001',
      inWorker: false,
    });
    expect(r.imported).toBe(3);
    them.close();

    const b = idOf(me, 'AFG70002');
    me.caseFile.update('incidents', b, { location: 'Kabul, west' });
    const p = await plan(me, theirs);
    expect(p.counts.conflicts).toBe(0);
    expect(p.counts.changed).toBe(1);
    expect(p.items.find((x) => x.id === a)!.fields.map((f) => [f.field, f.mine, f.theirs])).toEqual([
      ['fatalities', 6, 8],
    ]);

    const { result } = await merge(me, theirs);
    expect(result).toMatchObject({ updated: 1, conflicts: 0, applied: true });
    const db = me.caseFile.db;
    expect(db.prepare("SELECT count(*) n FROM incidents WHERE origin = 'ACLED'").get()).toEqual({ n: 8 });
    expect(me.caseFile.get('incidents', a)).toMatchObject({ fatalities: 8 });
    expect(me.caseFile.get('incidents', b)).toMatchObject({ location: 'Kabul, west' });
    // Their imported rows arrive with their citations.
    const lby = idOf(me, 'LBY1501');
    expect(db.prepare('SELECT count(*) n FROM citations WHERE target_id = ?').get(lby)).toEqual({ n: 2 });

    const before = rows(db);
    const again = await plan(me, theirs);
    expect(again.counts).toEqual({ added: 0, changed: 0, deleted: 0, conflicts: 0, tables: {} });
    expect(rows(db)).toEqual(before);
    me.close();
  });
});
