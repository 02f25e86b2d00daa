import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/pipeline';
import { ACLED_CURRENT_HEADER, GTD_HEADER, acledRow, csvField, writeCsv } from './csv-build';
import { AUTHOR, NODE, freshCase, withDb } from './helpers';

const line = (header: string[], r: Record<string, string>) => header.map((h) => csvField(r[h] ?? '')).join(',');
const rowsOf = (file: string) =>
  withDb(
    file,
    (db) =>
      db
        .prepare('SELECT external_id, country, admin1, fatalities, description FROM incidents ORDER BY external_id')
        .all() as Record<string, unknown>[],
  );

/** Both ways the importer reads: on its own thread, and on a reader thread of its own. */
const WAYS = [{ readAheadFrom: Infinity }, { readAheadFrom: 0 }];

describe('a record of the wrong shape is skipped with its line and reason, never merged into its neighbours', () => {
  for (const way of WAYS) {
    it(`ACLED: a stray quote that a later line closes (${way.readAheadFrom ? 'this thread' : 'reader thread'})`, async () => {
      const { dir, file } = freshCase();
      const h = ACLED_CURRENT_HEADER;
      // Line 3 opens a quote in admin1 that never closes on its line; line 5's quoted notes close it.
      const broken = line(h, acledRow(2)).replace(',Kunar,', ',"Kunar,');
      const body = [
        h.join(','),
        line(h, acledRow(1)),
        broken,
        line(h, acledRow(3)),
        line(h, acledRow(4, undefined, { notes: 'Said "yes", then left.' })),
        line(h, acledRow(5)),
      ];
      const data = join(dir, 'acled-stray-quote.csv');
      writeFileSync(data, `${body.join('\n')}\n`);
      const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false, ...way });
      expect(r.skipped).toBe(1);
      expect(r.imported).toBe(2);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.line).toBe(3);
      expect(r.errors[0]!.reason).toMatch(
        /^\d+ cells where the header has 31 \(lines 3-5 were read as one record: a stray quote\?\)$|^a quote inside a field does not close it \(lines 3-5 were read as one record: a stray quote\?\)$/,
      );
      // No row holds another row's cells.
      expect(rowsOf(file)).toEqual([
        { external_id: 'AFG1', country: 'Afghanistan', admin1: 'Kunar', fatalities: 1, description: 'Clash number 1.' },
        { external_id: 'AFG5', country: 'Afghanistan', admin1: 'Kunar', fatalities: 0, description: 'Clash number 5.' },
      ]);
    });
  }

  it('ACLED: a merged record that happens to have as many cells as the header is still skipped', async () => {
    const { dir, file } = freshCase();
    const h = ACLED_CURRENT_HEADER;
    // The stray quote opens the last cell but one (tags) and the next line's first quoted cell closes it.
    const a = line(h, acledRow(1)).replace(/,1700000000$/, ',"1700000000');
    const b = `${line(h, acledRow(2, undefined, { event_id_cnty: '"AFG2"' })).replace('"""AFG2"""', '"AFG2"')}`;
    const data = join(dir, 'acled-same-count.csv');
    writeFileSync(data, `${h.join(',')}\n${a}\n${b}\n${line(h, acledRow(3))}\n`);
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r).toMatchObject({ imported: 1, skipped: 1 });
    expect(r.errors[0]).toMatchObject({ line: 2 });
    expect(r.errors[0]!.reason).toMatch(/lines 2-3 were read as one record/);
    expect(rowsOf(file).map((x) => x.external_id)).toEqual(['AFG3']);
  });

  it('ACLED: a short row, a long row and a truncated last line', async () => {
    const { dir, file } = freshCase();
    const h = ACLED_CURRENT_HEADER;
    const last = line(h, acledRow(5));
    const cut = `${last.slice(0, last.indexOf('Clash number 5.'))}"Clash, num`;
    const data = join(dir, 'acled-truncated.csv');
    writeFileSync(
      data,
      [
        h.join(','),
        line(h, acledRow(1)),
        `${line(h, acledRow(2))},extra`,
        line(h, acledRow(3)).split(',').slice(0, 20).join(','),
        line(h, acledRow(4)),
        cut,
      ].join('\n'),
    );
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r).toMatchObject({ imported: 2, skipped: 3 });
    expect(r.errors).toEqual([
      { line: 3, reason: '32 cells where the header has 31' },
      { line: 4, reason: '20 cells where the header has 31' },
      { line: 6, reason: 'the last record is cut off inside a quoted field (28 of 31 cells): the file is truncated' },
    ]);
  });

  it('ACLED: a truncated last line without a quote', async () => {
    const { dir, file } = freshCase();
    const h = ACLED_CURRENT_HEADER;
    const data = join(dir, 'acled-cut.csv');
    writeFileSync(data, `${h.join(',')}\n${line(h, acledRow(1))}\n${line(h, acledRow(2)).slice(0, 40)}`);
    const r = await importFile(file, data, { author: AUTHOR, node: NODE, inWorker: false });
    expect(r).toMatchObject({ imported: 1, skipped: 1 });
    expect(r.errors[0]!.line).toBe(3);
    expect(r.errors[0]!.reason).toMatch(/^\d cells where the header has 31$/);
  });

  it('GTD and a mapped spreadsheet: the same rule', async () => {
    const { dir, file } = freshCase();
    const gtd = writeCsv(
      dir,
      'gtd-short.csv',
      GTD_HEADER,
      [
        {
          eventid: '201701010001',
          iyear: '2017',
          imonth: '1',
          iday: '1',
          country_txt: 'Afghanistan',
          gname: 'Taliban',
          scite1: 'Tolo News, January 1, 2017.',
        },
      ],
      '201701020001,2017,1,2,Afghanistan,Kabul\n',
    );
    const g = await importFile(file, gtd, { author: AUTHOR, node: NODE, inWorker: false });
    expect(g).toMatchObject({
      imported: 1,
      skipped: 1,
      errors: [{ line: 3, reason: '6 cells where the header has 14' }],
    });

    const sheet = join(dir, 'sheet.csv');
    writeFileSync(
      sheet,
      'Ref,When,Killed,Notes\nR1,2021-08-26,170,"airport\nR2,2021-08-27,1,"a note, quoted"\nR3,2021-08-28,2,fine\n',
    );
    const s = await importFile(file, sheet, {
      author: AUTHOR,
      node: NODE,
      inWorker: false,
      format: 'csv',
      mapping: { Ref: 'external_id', When: 'date', Killed: 'fatalities', Notes: 'description' },
    });
    expect(s).toMatchObject({ imported: 1, skipped: 1 });
    expect(s.errors[0]!.line).toBe(2);
    expect(s.errors[0]!.reason).toMatch(/lines 2-3 were read as one record/);
  });
});
