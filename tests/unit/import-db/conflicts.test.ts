import { describe, expect, it } from 'vitest';
import { listConflicts, resolveConflicts, restoreKept } from '../../../src/core/import/conflicts';
import { importFile } from '../../../src/core/import/pipeline';
import type { CaseFile } from '../../../src/core/write/case-file';
import { session } from '../../helpers';
import { AUTHOR, NODE, fixture, revisedAcled } from './helpers';

const run = (file: string, data: string) => importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });

/**
 * The analyst edited AFG70001 (fatalities, location, the date to a month) after importing it;
 * ACLED's revision says otherwise on all of them: five conflicts, kept in the case file.
 */
async function withConflicts(swaps: [string, string][] = []) {
  const { s, dir } = session({ demo: false });
  const cf = s.caseFile;
  await run(cf.path, fixture('acled-current.csv'));
  cf.clock.observe((cf.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
  const id = (cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'AFG70001'").get() as { id: string }).id;
  cf.update('incidents', id, { fatalities: 12, location: 'Kabul city', date: '2022-12', date_precision: 'month' });
  const report = await run(
    cf.path,
    revisedAcled(dir, '', [['AFG70001,2022-12-28,', 'AFG70001,2022-12-29,'], ...swaps]),
  );
  return { s, cf, dir, id, report };
}

const fields = (cf: CaseFile) => listConflicts(cf.db, 100).items.map((c) => c.field);
const key = (cf: CaseFile, field: string) => {
  const c = listConflicts(cf.db, 100).items.find((x) => x.field === field)!;
  return { txn: c.txn, id: c.id, field };
};

describe('import conflicts, kept until the analyst chooses', () => {
  it('are stored with the import and listed with the file, the line and both values', async () => {
    const { s, cf, id, report } = await withConflicts();
    expect(report.conflicts.map((c) => c.field).sort()).toEqual(['date', 'date_precision', 'fatalities', 'location']);
    const list = listConflicts(cf.db, 100);
    expect(list.total).toBe(4);
    expect(list.items.find((c) => c.field === 'fatalities')).toMatchObject({
      file: 'acled-revised.csv',
      line: 2,
      externalId: 'AFG70001',
      id,
      theirs: 9,
      yours: 12,
    });
    expect(list.items[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The row keeps the analyst's values.
    expect(cf.get('incidents', id)).toMatchObject({
      fatalities: 12,
      location: 'Kabul city',
      date: '2022-12',
      date_precision: 'month',
    });
    expect(listConflicts(cf.db, 1)).toMatchObject({ total: 4, items: [expect.anything()] });
    s.close();
  });

  it("taking the file's value is one undoable edit; a date comes with its precision", async () => {
    const { s, cf, id } = await withConflicts();
    expect(resolveConflicts(cf, 'file', [key(cf, 'fatalities'), key(cf, 'date')])).toEqual({ resolved: 3 });
    expect(cf.get('incidents', id)).toMatchObject({
      fatalities: 9,
      date: '2022-12-29',
      date_precision: 'day',
      location: 'Kabul city',
    });
    expect(fields(cf)).toEqual(['location']);
    expect(cf.history().undoLabel).toBe('Take the imported values of 3 fields');
    cf.undo();
    expect(cf.get('incidents', id)).toMatchObject({ fatalities: 12, date: '2022-12', date_precision: 'month' });
    expect(fields(cf).sort()).toEqual(['date', 'date_precision', 'fatalities', 'location']);
    cf.redo();
    expect(fields(cf)).toEqual(['location']);
    s.close();
  });

  it("keeping one's own value drops it from the list; an edit since the import settles it too", async () => {
    const { s, cf, id } = await withConflicts();
    expect(resolveConflicts(cf, 'mine', [key(cf, 'location')])).toMatchObject({ resolved: 1 });
    expect(fields(cf).sort()).toEqual(['date', 'date_precision', 'fatalities']);
    expect(cf.get('incidents', id)).toMatchObject({ location: 'Kabul city' });
    cf.update('incidents', id, { fatalities: 13 });
    expect(fields(cf).sort()).toEqual(['date', 'date_precision']);
    // A key that is no longer pending, or from another import, settles nothing.
    expect(resolveConflicts(cf, 'file', [{ txn: 'not-an-import', id, field: 'date' }])).toEqual({ resolved: 0 });
    expect(resolveConflicts(cf, 'mine', 'all')).toMatchObject({ resolved: 2 });
    expect(listConflicts(cf.db, 100)).toEqual({ total: 0, items: [] });
    s.close();
  });

  it('a "keep mine" can be taken back: the same conflicts are listed again, none doubled', async () => {
    const { s, cf } = await withConflicts();
    const before = listConflicts(cf.db, 100);
    const r = resolveConflicts(cf, 'mine', [key(cf, 'location'), key(cf, 'fatalities')]);
    expect(r.resolved).toBe(2);
    expect(fields(cf).sort()).toEqual(['date', 'date_precision']);
    expect(restoreKept(cf, r.kept!)).toEqual({ restored: 2 });
    expect(listConflicts(cf.db, 100)).toEqual(before);
    expect(restoreKept(cf, r.kept!)).toEqual({ restored: 0 });
    // Every list emptied, then put back.
    const all = resolveConflicts(cf, 'mine', 'all');
    expect(cf.db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'import-conflicts:%'").pluck().get()).toBe(0);
    expect(restoreKept(cf, all.kept!)).toEqual({ restored: 4 });
    expect(listConflicts(cf.db, 100)).toEqual(before);
    s.close();
  });

  it("a value taken from the file counts as imported: ACLED's next revision updates it without a conflict", async () => {
    const { s, cf, dir, id } = await withConflicts();
    resolveConflicts(cf, 'file', 'all');
    expect(cf.get('incidents', id)).toMatchObject({
      fatalities: 9,
      location: 'Kabul - Dasht-e Barchi',
      date: '2022-12-29',
    });
    const next = revisedAcled(dir, '', [
      ['AFG70001,2022-12-28,', 'AFG70001,2022-12-29,'],
      [',9,NA,1672709999,', ',10,NA,1672800000,'],
    ]);
    const r = await run(cf.path, next);
    expect(r).toMatchObject({ updated: 1, conflicts: [] });
    expect(cf.get('incidents', id)).toMatchObject({ fatalities: 10 });
    expect(listConflicts(cf.db, 100).total).toBe(0);
    s.close();
  });

  it('a value the file gives that does not validate names the event and writes nothing', async () => {
    const { s, cf, id } = await withConflicts();
    // A stored list is untrusted: make the file's fatalities negative.
    const k = cf.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'import-conflicts:%'").get() as {
      key: string;
      value: string;
    };
    cf.db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(k.value.replace('"theirs":9', '"theirs":-4'), k.key);
    expect(() => resolveConflicts(cf, 'file', 'all')).toThrow(/^AFG70001 \(line 2\), .*fatalities/);
    expect(cf.get('incidents', id)).toMatchObject({ fatalities: 12, location: 'Kabul city', date: '2022-12' });
    expect(fields(cf)).toHaveLength(4);
    s.close();
  });

  it('ignores stored lists that do not parse, name no editable field, or no row', async () => {
    const { s, cf } = await withConflicts();
    const put = cf.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    put.run('import-conflicts:0-garbage', '{not json');
    put.run('import-conflicts:1-shape', JSON.stringify({ line: 1 }));
    put.run(
      'import-conflicts:2-fields',
      JSON.stringify([
        { line: 1, externalId: 'X', id: 'nope', field: 'fatalities', theirs: 1, yours: 2 },
        {
          line: 1,
          externalId: 'X',
          id: cf.db.prepare('SELECT id FROM incidents LIMIT 1').pluck().get(),
          field: 'external_id',
          theirs: 'a',
          yours: 'b',
        },
        { line: 1, externalId: 'X', id: 'nope', field: '__proto__', theirs: 1, yours: 2 },
      ]),
    );
    expect(fields(cf).sort()).toEqual(['date', 'date_precision', 'fatalities', 'location']);
    expect(resolveConflicts(cf, 'mine', 'all')).toMatchObject({ resolved: 4 });
    s.close();
  });
});
