import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { session } from '../../helpers';
import { writeAcledCsv } from './acled-gen';
import { AUTHOR, NODE, count, fixture, importCancelledEarly, snapshot } from './helpers';

/**
 * A cancelled or failed import leaves the case file exactly as it was: the same rows in every
 * table (search index and statistics included) and the same change log. The app's own
 * connection stays open throughout, as it does in the app.
 */
describe('an import that does not finish', () => {
  it('cancelled in the worker after rows were written: nothing changes, and the file is usable at once', async () => {
    const { s, dir } = session();
    const cf = s.caseFile;
    const data = join(dir, 'big.csv');
    writeAcledCsv(data, { rows: 200_000 });
    const before = snapshot(cf.db);
    const rows = await importCancelledEarly(cf.path, data);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(200_000);
    expect(snapshot(cf.db)).toEqual(before);

    // The worker's connection is gone with its lock: the app can write, and import again.
    const id = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    cf.update('incidents', id, { fatalities: 77 });
    const r = await importFile(cf.path, fixture('acled-2015.csv'), { author: AUTHOR, node: NODE });
    expect(r.imported).toBe(3);
    s.close();
  });

  it('cancelled in-process: the same', async () => {
    const { s, dir } = session();
    const cf = s.caseFile;
    const data = join(dir, 'mid.csv');
    writeAcledCsv(data, { rows: 20_000 });
    const before = snapshot(cf.db);
    await importCancelledEarly(cf.path, data, { inWorker: false });
    expect(snapshot(cf.db)).toEqual(before);
    s.close();
  });

  it('an unclosed quote: the error names the file and line, and nothing is written', async () => {
    const { s } = session();
    const cf = s.caseFile;
    const before = snapshot(cf.db);
    await expect(
      importFile(cf.path, fixture('unclosed-quote.csv'), { author: AUTHOR, node: NODE }),
    ).rejects.toMatchObject({
      code: 'validation',
      message: 'unclosed-quote.csv: line 4: a quoted field starts here and is never closed',
    });
    expect(snapshot(cf.db)).toEqual(before);
    s.close();
  });

  it('an error after thousands of rows were written rolls all of them back', async () => {
    const { s, dir } = session();
    const cf = s.caseFile;
    const data = join(dir, 'late-error.csv');
    writeAcledCsv(data, { rows: 3000 });
    writeFileSync(data, readFileSync(data, 'utf8') + 'GEN9999,2022-01-01,"never closed\r\nmore\r\n');
    const before = snapshot(cf.db);
    const err = await importFile(cf.path, data, { author: AUTHOR, node: NODE }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^late-error\.csv: line \d+: a quoted field starts here and is never closed$/,
    );
    expect(snapshot(cf.db)).toEqual(before);
    expect(count(cf.db, "SELECT count(*) n FROM incidents WHERE origin = 'ACLED'")).toBe(0);
    s.close();
  });

  it.each([
    ['empty.csv', 'empty.csv: the file is empty: it has no header row'],
    ['not-csv.png', 'not-csv.png: this is a PNG image, not a CSV file'],
    ['acled-invalid-utf8.csv', /^acled-invalid-utf8\.csv: line \d+: the file is not UTF-8/],
    ['missing.csv', 'missing.csv: no such file'],
  ])('refuses %s with a message and no change', async (name, message) => {
    const { s } = session();
    const before = snapshot(s.caseFile.db);
    const err = (await importFile(s.caseFile.path, fixture(name), {
      author: AUTHOR,
      node: NODE,
      inWorker: false,
    }).catch((e: Error) => e)) as Error;
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(snapshot(s.caseFile.db)).toEqual(before);
    s.close();
  });

  it('refuses 100,000 columns with the reason', async () => {
    const { s, dir } = session();
    const data = join(dir, 'wide.csv');
    writeFileSync(data, Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',') + '\n1,2\n');
    const err = (await importFile(s.caseFile.path, data, { author: AUTHOR, node: NODE, inWorker: false }).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toBe('wide.csv: line 1: 100000 columns; Casefile accepts at most 10000');
    s.close();
  });
});
