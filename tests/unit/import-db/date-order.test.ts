import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { ACLED_2015_HEADER, acled2015Row, writeCsv } from './csv-build';
import { AUTHOR, NODE, freshCase, snapshot, withDb } from './helpers';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const dd = (n: number) => String(n).padStart(2, '0');

/** A 2015-era ACLED file of 60 events dated day first, from 1 January 2015: its first day above 12 is on line 14 (01/01 reads the same both ways, so 11 rows wait). */
function acled2015(dir: string) {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const day = (i % 28) + 1;
    const month = Math.floor(i / 28) + 1;
    return acled2015Row(1000 + i, `${dd(day)}/${dd(month)}/2015`);
  });
  return writeCsv(dir, 'acled-2015-dmy.csv', ACLED_2015_HEADER, rows);
}

const datesOf = (file: string) =>
  withDb(
    file,
    (db) =>
      db.prepare('SELECT external_id, date FROM incidents ORDER BY external_id').all() as {
        external_id: string;
        date: string;
      }[],
  );

describe('the order of day and month', () => {
  for (const readAheadFrom of [Infinity, 0]) {
    it(`a 2015-era ACLED file dated day first loses no row: the file settles the order and the report says so (${readAheadFrom ? 'this thread' : 'reader thread'})`, async () => {
      const { dir, file } = freshCase();
      const r = await importFile(file, acled2015(dir), { author: AUTHOR, node: NODE, inWorker: false, readAheadFrom });
      expect(r).toMatchObject({ format: 'acled', layout: '2015', imported: 60, skipped: 0, errors: [] });
      expect(r.dates).toEqual({
        order: 'dmy',
        source: 'file',
        example: { value: '13/01/2015', line: 14 },
        heldBack: 11,
        unsettled: 0,
      });
      const got = datesOf(file);
      expect(got[0]).toEqual({ external_id: 'AFG1000', date: '2015-01-01' });
      expect(got[1]).toEqual({ external_id: 'AFG1001', date: '2015-01-02' });
      expect(got[29]).toEqual({ external_id: 'AFG1029', date: '2015-02-02' });
      expect(got.every((g) => /^2015-0[1-3]-\d\d$/.test(g.date))).toBe(true);
    });
  }

  it("the Import tab's preview of a 2015-era ACLED file offers the order its dates show, and the import honours the choice", async () => {
    const { s, dir } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const data = acled2015(dir);
    expect(await dispatch(h, 'import.preview', { path: data })).toMatchObject({
      ok: true,
      value: {
        format: 'acled',
        layout: '2015',
        dates: { order: 'dmy', source: 'detected', example: { value: '13/01/2015', line: 14 } },
      },
    });
    expect(await dispatch(h, 'import.run', { path: data, format: 'acled', dateOrder: 'dmy' })).toMatchObject({
      ok: true,
      value: { imported: 60, skipped: 0, dates: { order: 'dmy', source: 'chosen' } },
    });
    s.close();
  });

  it('ACLED honours a chosen order, even against the file', async () => {
    const { dir, file } = freshCase();
    const data = writeCsv(dir, 'acled-2015-mdy.csv', ACLED_2015_HEADER, [
      acled2015Row(1, '01/02/2015'),
      acled2015Row(2, '03/04/2015'),
    ]);
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false, dateOrder: 'mdy' });
    expect(r).toMatchObject({ imported: 2, skipped: 0, dates: { order: 'mdy', source: 'chosen', example: null } });
    expect(datesOf(file).map((d) => d.date)).toEqual(['2015-01-02', '2015-03-04']);
  });

  it('an ACLED file that never settles it skips those rows, names the option, and the CLI exits 1 when nothing was left', () => {
    const { dir, file } = freshCase();
    const data = writeCsv(dir, 'acled-2015-unsettled.csv', ACLED_2015_HEADER, [
      acled2015Row(1, '01/02/2015'),
      acled2015Row(2, '03/04/2015'),
    ]);
    const before = withDb(file, snapshot);
    const r = spawnSync(process.execPath, [BIN, 'import', file, data], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '  2 rows skipped: their dates read both ways and no date in the file settles it; choose with --date-order dmy or mdy',
    );
    expect(r.stdout).toContain(
      '  skipped line 2: event_date: ambiguous date "01/02/2015": it could be day/month or month/day; no date in the file settles the order: choose it (--date-order dmy or mdy, or beside the mapping in the Import tab)',
    );
    expect(r.stderr).toMatch(/^casefile: acled-2015-unsettled\.csv: every row was skipped \(2\)/);
    expect(withDb(file, snapshot)).toEqual(before);
    const dmy = spawnSync(process.execPath, [BIN, 'import', file, data, '--date-order', 'dmy', '--json'], {
      encoding: 'utf8',
    });
    expect(dmy.status).toBe(0);
    expect(JSON.parse(dmy.stdout)).toMatchObject({ imported: 2, dates: { order: 'dmy', source: 'chosen' } });
    expect(datesOf(file).map((d) => d.date)).toEqual(['2015-02-01', '2015-04-03']);
  });
});
