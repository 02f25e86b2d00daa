import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { AUTHOR, NODE, fixture } from './helpers';

const run = (file: string, data: string) => importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });

/** acled-current.csv with every row revised upstream (newer timestamps) and AFG70001's fatalities now 9. */
function revisedAll(dir: string): string {
  let text = readFileSync(fixture('acled-current.csv'), 'utf8');
  text = text.replace(',6,NA,1672700000,', ',9,NA,1672709999,');
  text = text.replace(/,(1\d{9}),/g, (_m, ts: string) => `,${Number(ts) + 1},`);
  const p = join(dir, 'acled-all-revised.csv');
  writeFileSync(p, text);
  return p;
}

/**
 * An import logs its inserts without the row's values (writer.ts). What it wrote into a field is
 * then read from the `before` of the field's first later edit: re-importing must still tell the
 * analyst's edits from the imported values.
 */
describe('re-importing over a compact change log', () => {
  it("keeps a field the analyst edited twice, and reports the conflict with the analyst's latest value", async () => {
    const { s, dir } = session({ demo: false });
    const cf = s.caseFile;
    await run(cf.path, fixture('acled-current.csv'));
    cf.clock.observe((cf.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const id = (cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'AFG70001'").get() as { id: string }).id;
    expect(cf.db.prepare("SELECT after FROM change_log WHERE row_id = ? AND op = 'insert'").get(id)).toEqual({
      after: null,
    });
    cf.update('incidents', id, { fatalities: 12 });
    cf.update('incidents', id, { fatalities: 13 });
    // Edited and put back to the imported value: no edit, so the file's new value may replace it.
    cf.update('incidents', id, { admin2: 'Somewhere else' });
    cf.update('incidents', id, { admin2: 'Kabul' });

    const r = await run(cf.path, revisedAll(dir));
    expect(r).toMatchObject({ updated: 5, deletedKept: 0 });
    expect(r.conflicts).toEqual([{ line: 2, externalId: 'AFG70001', id, field: 'fatalities', theirs: 9, yours: 13 }]);
    expect(cf.get('incidents', id)).toMatchObject({ fatalities: 13, admin2: 'Kabul', source_timestamp: 1672710000 });
    s.close();
  });

  it('leaves a row the analyst deleted deleted, and counts it', async () => {
    const { s, dir } = session({ demo: false });
    const cf = s.caseFile;
    await run(cf.path, fixture('acled-current.csv'));
    cf.clock.observe((cf.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const id = (cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'AFG70002'").get() as { id: string }).id;
    expect(cf.delete('incidents', [id])).toBe(1);

    const r = await run(cf.path, revisedAll(dir));
    expect(r).toMatchObject({ imported: 0, updated: 4, unchanged: 0, deletedKept: 1, conflicts: [] });
    expect(cf.db.prepare("SELECT count(*) n FROM incidents WHERE external_id = 'AFG70002'").get()).toEqual({ n: 0 });
    expect(cf.db.prepare('SELECT count(*) n FROM incidents').get()).toEqual({ n: 4 });
    // Undoing the delete brings it back, and the next import updates it like any other row.
    cf.undo();
    expect(await run(cf.path, revisedAll(dir))).toMatchObject({
      imported: 0,
      deletedKept: 0,
      updated: 1,
      unchanged: 4,
    });
    s.close();
  });
});
