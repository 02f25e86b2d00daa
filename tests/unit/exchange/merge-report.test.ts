import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { importFile } from '../../../src/core/import/pipeline';
import { openCaseFileReadOnly } from '../../../src/core/db/open';
import { session } from '../../helpers';
import { colleague, merge, plan } from './pair';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await run(args, (s) => out.push(s));
  return { code, out };
}

/**
 * The ACLED fixture with AFG70002 revised upstream: its fatalities and its timestamp. Under the
 * same name on both sides, so that both imports make the same dataset source (merged by key).
 */
function revision(dir: string, side: string, fatalities: number, timestamp: number): string {
  const text = readFileSync(fixture('acled-current.csv'), 'utf8');
  const was = 'killed.,3,,1669100000,';
  expect(text).toContain(was);
  mkdirSync(join(dir, side));
  const path = join(dir, side, 'acled-revision.csv');
  writeFileSync(path, text.replace(was, `killed.,${fatalities},,${timestamp},`));
  return path;
}

const incident = (db: { prepare(sql: string): { get(...a: unknown[]): unknown } }, ext: string) =>
  db.prepare('SELECT id, fatalities, source_timestamp FROM incidents WHERE external_id = ?').get(ext) as {
    id: string;
    fatalities: number;
    source_timestamp: number;
  };

describe('the merge report', { timeout: 180_000 }, () => {
  // 5 sources: the ones its rows name; the ACLED dataset source is the demo's own, which both files share.
  it('counts per table: a colleague’s import of 5 incidents is 5 incidents, not every row of every table', async () => {
    const { s: me, dir, file: mine } = session({ demo: true });
    const theirs = join(dir, 'colleague.casefile');
    await exportCaseFile(mine, theirs, { checked: true });
    await importFile(theirs, fixture('acled-current.csv'), {
      author: 'Colleague',
      node: 'c0ffee000001',
      inWorker: false,
    });
    me.close();

    const dry = await cli('merge', mine, theirs, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toEqual([
      '0 rows in conflict (not applied)',
      '  sources: 5 added',
      '  incidents: 5 added',
      '  citations: 11 added',
    ]);
    const json = JSON.parse((await cli('merge', mine, theirs, '--dry-run', '--json')).out[0]!);
    expect(json.tables).toEqual({
      sources: { added: 5, updated: 0, deleted: 0, conflicts: 0 },
      incidents: { added: 5, updated: 0, deleted: 0, conflicts: 0 },
      citations: { added: 11, updated: 0, deleted: 0, conflicts: 0 },
    });
    const done = await cli('merge', mine, theirs, '--json');
    expect(JSON.parse(done.out[0]!)).toMatchObject({
      applied: true,
      tables: { incidents: { added: 5 }, citations: { added: 11 }, sources: { added: 5 } },
    });
  });

  it('a row whose value and upstream revision both differ is one conflict naming the field; the revision follows the choice', async () => {
    const { s: me, dir } = session({ demo: false });
    await importFile(me.caseFile.path, fixture('acled-current.csv'), {
      author: 'Test Analyst',
      node: 'a1b2c3d4e5f6',
      inWorker: false,
    });
    me.caseFile.clock.observe((me.caseFile.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const theirs = join(dir, 'colleague.casefile');
    await exportCaseFile(me.caseFile.path, theirs, { checked: true });
    const mine = me.caseFile.path;
    me.close();
    // Each side re-imports a different later revision of the same event.
    const r1 = await importFile(mine, revision(dir, 'mine', 4, 1669200000), {
      author: 'Test Analyst',
      node: 'a1b2c3d4e5f6',
      inWorker: false,
    });
    const r2 = await importFile(theirs, revision(dir, 'theirs', 5, 1669300000), {
      author: 'Colleague',
      node: 'c0ffee000001',
      inWorker: false,
    });
    expect([r1.updated, r2.updated]).toEqual([1, 1]);
    const kept = join(dir, 'kept.casefile');
    await exportCaseFile(mine, kept, { checked: true });

    const them = colleague(dir, mine, 'Test Analyst');
    const p = await plan(them, theirs);
    const id = incident(them.caseFile.db, 'AFG70002').id;
    expect(p.counts).toMatchObject({ conflicts: 1, changed: 0, tables: { incidents: { conflicts: 1 } } });
    const item = p.items.find((x) => x.id === id)!;
    expect(item.fields.map((f) => [f.field, f.mine, f.theirs, f.conflict, f.follows ?? false])).toEqual([
      ['fatalities', 4, 5, true, false],
      ['source_timestamp', 1669200000, 1669300000, false, true],
    ]);
    them.close();

    const dry = await cli('merge', mine, theirs, '--dry-run');
    // Both re-imports cite the ACLED source the file already had, through the citation it already had: nothing else is new.
    expect(dry.out).toEqual([
      '1 row in conflict (not applied)',
      '  incidents: 1 updated, 1 incident in conflict',
      `  conflict: incident ${item.label} (${id}): fatalities`,
    ]);
    const json = JSON.parse((await cli('merge', mine, theirs, '--dry-run', '--json')).out[0]!);
    expect(json.conflictRows).toEqual([
      { tbl: 'incidents', id, label: item.label, fields: ['fatalities'], reason: null },
    ]);

    // Theirs for the value: their revision comes with it.
    expect((await cli('merge', mine, theirs, '--prefer', 'theirs')).code).toBe(0);
    const { db } = openCaseFileReadOnly(mine);
    expect(incident(db, 'AFG70002')).toMatchObject({ fatalities: 5, source_timestamp: 1669300000 });
    db.close();
    // Yours for the value: your revision stays.
    const me2 = colleague(dir, kept, 'Test Analyst');
    const { result } = await merge(me2, theirs, { resolutions: { [`incidents:${id}:fatalities`]: 'mine' } });
    expect(result).toMatchObject({ applied: true, conflicts: 1, updated: 0 });
    expect(incident(me2.caseFile.db, 'AFG70002')).toMatchObject({ fatalities: 4, source_timestamp: 1669200000 });
    me2.close();
  });
});
