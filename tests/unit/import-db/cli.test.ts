import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main';
import { CaseFile } from '../../../src/core/write/case-file';
import { openForWork } from '../../../src/core/write/open-for-work';
import { fixture, freshCase, revisedAcled, snapshot, withDb } from './helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
/** The real command in a child process (two of these: each start costs seconds of TypeScript loading here). */
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** The same command in this process: its stdout lines, its stderr and its exit code. */
async function inProcess(...args: string[]): Promise<{ status: number; stdout: string[]; stderr: string }> {
  const stdout: string[] = [];
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    const status = await run(args, (l) => stdout.push(l));
    return { status, stdout, stderr };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('casefile import', () => {
  it('--json prints the counts and the skipped rows and exits 0; a failure exits 1 with one line and no change', () => {
    const { file } = freshCase();
    const r = cli('import', file, fixture('acled-bad-rows.csv'), '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 5)).toEqual(['imported', 'updated', 'unchanged', 'skipped', 'errors']);
    // 09/05/2020 is read day first, as 28/12/2020 on line 8 shows.
    expect(out).toMatchObject({
      imported: 3,
      updated: 0,
      unchanged: 0,
      skipped: 5,
      format: 'acled',
      layout: 'current',
      dates: { order: 'dmy', source: 'file' },
    });
    expect(out.errors[0]).toEqual({
      line: 4,
      reason: 'event_date: "sometime in May 2020" is not a date Casefile can read',
    });

    const before = withDb(file, snapshot);
    const bad = cli('import', file, fixture('unclosed-quote.csv'), '--json');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('casefile: unclosed-quote.csv: line 4: a quoted field starts here and is never closed\n');
    expect(withDb(file, snapshot)).toEqual(before);
  });

  it('re-importing reports unchanged rows', async () => {
    const { file } = freshCase();
    expect((await inProcess('import', file, fixture('acled-2020.csv'), '--json')).status).toBe(0);
    const again = await inProcess('import', file, fixture('acled-2020.csv'), '--json');
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout[0]!)).toMatchObject({
      imported: 0,
      updated: 0,
      unchanged: 3,
      skipped: 0,
      errors: [],
    });
  });

  it('--format csv --mapping M.json imports a generic table; the summary is readable without --json', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'attacks.csv');
    writeFileSync(
      data,
      'Ref,When,Where,Killed,Group,Paper\nR1,2021-08-26,Kabul,170,ISKP,BBC; Reuters\nR2,2021-13-01,Kabul,1,ISKP,BBC\n',
    );
    const mapping = join(dir, 'm.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        Ref: 'external_id',
        When: 'date',
        Where: 'location',
        Killed: 'fatalities',
        Group: 'actor1',
        Paper: 'sources',
      }),
    );
    const r = await inProcess('import', file, data, '--format', 'csv', '--mapping', mapping);
    expect(r.status).toBe(0);
    expect(r.stdout[0]).toBe('attacks.csv: csv: 1 imported, 0 updated, 0 unchanged, 1 skipped');
    expect(r.stdout.some((l) => l.startsWith('  skipped line 3: '))).toBe(true);
    withDb(file, (db) => {
      expect(db.prepare('SELECT external_id, origin, date, location, fatalities, actor1 FROM incidents').all()).toEqual(
        [
          {
            external_id: 'R1',
            origin: 'attacks.csv',
            date: '2021-08-26',
            location: 'Kabul',
            fatalities: 170,
            actor1: 'ISKP',
          },
        ],
      );
      expect(db.prepare('SELECT key, type FROM sources ORDER BY key').all()).toEqual([
        { key: 'csv-data-attacks-csv', type: 'dataset' },
        { key: 'csv-src-bbc', type: 'news' },
        { key: 'csv-src-reuters', type: 'news' },
      ]);
    });
  });

  it('--date-order dmy reads 09/05/2021 as 9 May; without it, in a file that never settles the order, the row is skipped naming the option', async () => {
    const { file, dir } = freshCase();
    const data = join(dir, 'uk.csv');
    writeFileSync(data, 'Ref,When,Where\nU1,09/05/2021,Kabul\n');
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ Ref: 'external_id', When: 'date', Where: 'location' }));
    const skipped = await inProcess('import', file, data, '--format', 'csv', '--mapping', mapping);
    expect(skipped.status).toBe(1);
    expect(skipped.stdout).toContain(
      '  skipped line 2: "When": ambiguous date "09/05/2021": it could be day/month or month/day; no date in the file settles the order: choose it (--date-order dmy or mdy, or beside the mapping in the Import tab)',
    );
    const r = await inProcess(
      'import',
      file,
      data,
      '--format',
      'csv',
      '--mapping',
      mapping,
      '--date-order',
      'dmy',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout[0]!)).toMatchObject({ imported: 1, skipped: 0 });
    withDb(file, (db) => expect(db.prepare('SELECT date FROM incidents').pluck().all()).toEqual(['2021-05-09']));
    expect((await inProcess('import', file, data, '--date-order', 'ymd')).stderr).toBe(
      'casefile: --date-order must be dmy (09/05/2021 is 9 May 2021) or mdy (5 September 2021), not "ymd"\n',
    );
  });

  it('refuses bad arguments with one line, leaving the file unchanged', async () => {
    const { file, dir } = freshCase();
    const before = withDb(file, snapshot);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"Ref": "no_such_field"}');
    const m = await inProcess('import', file, fixture('acled-2015.csv'), '--format', 'csv', '--mapping', bad);
    expect(m.status).toBe(1);
    expect(m.stderr).toMatch(/^casefile: bad\.json: .* \(column "Ref"\); expected \{ "column": "field" or null \}\n$/);
    expect(
      (await inProcess('import', file, fixture('acled-2015.csv'), '--mapping', join(dir, 'none.json'))).stderr,
    ).toBe('casefile: none.json: no such file\n');
    expect((await inProcess('import', file, fixture('acled-2015.csv'), '--format', 'xml')).stderr).toBe(
      'casefile: --format must be acled, gtd, ucdp or csv, not "xml"\n',
    );
    expect((await inProcess('import', file)).stderr).toBe('casefile: missing FILE and DATA\n');
    const gtdAsAcled = await inProcess('import', file, fixture('gtd-utf8.csv'), '--format', 'acled');
    expect(gtdAsAcled.status).toBe(1);
    expect(gtdAsAcled.stderr).toMatch(/^casefile: gtd-utf8\.csv: not an ACLED export/);
    expect(withDb(file, snapshot)).toEqual(before);
  });
});

describe('casefile conflicts', () => {
  it('lists the fields a re-import kept for the analyst, and settles them all either way', async () => {
    const { file, dir } = freshCase();
    expect((await inProcess('import', file, fixture('acled-current.csv'))).status).toBe(0);
    // The analyst corrects AFG70001's toll; ACLED then revises the event.
    const db = openForWork(file);
    const cf = new CaseFile(db, file, () => 'Analyst', 'a1a1a1a1a1a1');
    cf.clock.observe((db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h);
    const id = (db.prepare("SELECT id FROM incidents WHERE external_id = 'AFG70001'").get() as { id: string }).id;
    cf.update('incidents', id, { fatalities: 12 });
    db.close();
    expect((await inProcess('import', file, revisedAcled(dir))).stdout).toContain(
      '  conflict line 2 (AFG70001) fatalities: the file says 9, the case file keeps 12',
    );

    const listed = await inProcess('conflicts', file);
    expect(listed.stdout).toEqual([
      '1 conflict waiting for a choice',
      '  acled-revised.csv line 2 (AFG70001) fatalities: the file says 9, the case file keeps 12',
    ]);
    expect(JSON.parse((await inProcess('conflicts', file, '--json')).stdout[0]!)).toMatchObject({
      total: 1,
      items: [{ externalId: 'AFG70001', field: 'fatalities', theirs: 9, yours: 12 }],
    });

    const bad = await inProcess('conflicts', file, '--take', 'theirs');
    expect([bad.status, bad.stderr]).toEqual([1, 'casefile: --take must be file or mine, not "theirs"\n']);
    expect((await inProcess('conflicts', file, '--take', 'file')).stdout).toEqual([
      '1 field settled: the imported values taken',
    ]);
    withDb(file, (d) =>
      expect(d.prepare('SELECT fatalities FROM incidents WHERE id = ?').get(id)).toEqual({ fatalities: 9 }),
    );
    expect((await inProcess('conflicts', file, '--json')).stdout).toEqual(['{"total":0,"items":[]}']);
  });
});
