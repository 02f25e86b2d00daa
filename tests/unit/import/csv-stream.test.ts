import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { openCsv, readCsv } from '../../../src/core/import/csv-stream';
import { ImportError, MAX_RECORD_CHARS } from '../../../src/core/import/types';
import { allRows, fixture, rejection, tmpFile } from './helpers';

const readAll = async (...args: Parameters<typeof openCsv>) => allRows(await openCsv(...args));

/** The same bytes as a stream that delivers them `size` bytes at a time. */
function trickle(buf: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

describe('openCsv: the ACLED fixture (BOM, CRLF, multi-line quoted note, blank line)', () => {
  it('reads the header without the BOM and every row with the line it starts on', async () => {
    const r = await openCsv(fixture('acled-current.csv'));
    expect(r.header[0]).toBe('event_id_cnty');
    expect(r.header).toHaveLength(32);
    expect(r.headerLine).toBe(1);
    const rows = await allRows(r);
    expect(rows.map((x) => x.line)).toEqual([2, 5, 6, 7, 9]);
    expect(rows.map((x) => x.cells[0])).toEqual(['AFG70001', 'AFG70002', 'AFG70003', 'AFG70004', 'AFG70005']);
    const note = rows[0]?.cells[27] ?? '';
    expect(note).toContain('Kabul.\r\nIS-K claimed');
    expect(note).toContain('calling the victims "rafidah" (a slur for Shia).\nAt least 6');
    expect(rows.every((x) => x.cells.length === 32)).toBe(true);
    expect(rows[4]?.cells[31]).toBe('');
    expect(r.encoding).toBe('utf8');
  });

  it('reports progress up to the file size', async () => {
    const size = readFileSync(fixture('acled-current.csv')).length;
    let last = 0;
    for await (const b of readCsv(fixture('acled-current.csv'), { batchSize: 2 })) {
      expect(b.totalBytes).toBe(size);
      expect(b.bytesRead).toBeGreaterThanOrEqual(last);
      last = b.bytesRead;
    }
    expect(last).toBe(size);
  });

  it('gives the same rows and lines whatever the chunk boundaries', async () => {
    for (const [name, encoding] of [
      ['acled-current.csv', 'utf8'],
      ['gtd-utf8.csv', 'utf8'],
      ['gtd-cp1252.csv', 'auto'],
    ] as const) {
      const whole = await allRows(await openCsv(fixture(name), { encoding }));
      const bytes = readFileSync(fixture(name));
      for (const size of [1, 2, 3, 5, 7, 64, 1000]) {
        const r = await openCsv(trickle(bytes, size), { encoding, totalBytes: bytes.length });
        expect(await allRows(r)).toEqual(whole);
      }
    }
  });

  it('splits rows into batches of the requested size, in order', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 2500; i++) lines.push(`${i},"x${i}"`);
    const path = tmpFile('batches.csv', lines.join('\n'));
    const sizes: number[] = [];
    const seen: number[] = [];
    for await (const b of readCsv(path, { batchSize: 1000 })) {
      sizes.push(b.rows.length);
      for (const r of b.rows) seen.push(r.line);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(seen[0]).toBe(2);
    expect(seen[2499]).toBe(2501);
  });

  it('reads a header-only file as a header and no rows', async () => {
    const r = await openCsv(tmpFile('header-only.csv', 'id,date,notes\r\n'));
    expect(r.header).toEqual(['id', 'date', 'notes']);
    expect(await allRows(r)).toEqual([]);
  });
});

describe('openCsv: dialects', () => {
  it('sniffs semicolon and tab delimiters from the header line', async () => {
    const semi = await openCsv(tmpFile('semi.csv', 'id;date;notes\n1;2020-01-01;"a; b, c"\n'));
    expect(semi.header).toEqual(['id', 'date', 'notes']);
    expect((await allRows(semi))[0]?.cells).toEqual(['1', '2020-01-01', 'a; b, c']);
    const tab = await openCsv(tmpFile('tab.tsv', 'id\tnotes\n1\tx, y\n'));
    expect((await allRows(tab))[0]?.cells).toEqual(['1', 'x, y']);
  });

  it("follows Excel's sep= line and does not take it for the header", async () => {
    const r = await openCsv(tmpFile('sep.csv', 'sep=;\r\nid;notes\r\n1;a, b\r\n'));
    expect(r.header).toEqual(['id', 'notes']);
    expect(r.headerLine).toBe(2);
    expect(await allRows(r)).toEqual([{ line: 3, cells: ['1', 'a, b'] }]);
  });

  it('counts lines in a file with bare CR line ends', async () => {
    const r = await openCsv(tmpFile('cr.csv', 'a,b\r1,"two\rlines"\r2,x\r'));
    expect((await allRows(r)).map((x) => [x.line, x.cells[1]])).toEqual([
      [2, 'two\rlines'],
      [4, 'x'],
    ]);
  });

  it('accepts a 10,000-character cell and a 2,000,000-character quoted note spanning many chunks', async () => {
    const small = 'x'.repeat(10_000);
    const big = 'word, "quoted"\n'.repeat(2_000_000 / 16);
    const content = `id,notes\n1,${small}\n2,"${big.replace(/"/g, '""')}"\n3,after\n`;
    const r = await openCsv(tmpFile('long-cells.csv', content), { chunkBytes: 64 * 1024 });
    const rows = await allRows(r);
    expect(rows[0]?.cells[1]).toHaveLength(10_000);
    expect(rows[1]?.cells[1]).toBe(big);
    expect(rows[2]).toEqual({ line: 4 + 2_000_000 / 16, cells: ['3', 'after'] });
  });
});

describe('openCsv: refusals', () => {
  it('refuses an empty file and one of blank lines', async () => {
    const e = await rejection(openCsv(fixture('empty.csv')));
    expect(e).toBeInstanceOf(ImportError);
    expect(e.problem).toBe('empty');
    expect(e.message).toBe('the file is empty: it has no header row');
    expect((await rejection(openCsv(tmpFile('blank.csv', '\uFEFF\r\n  \r\n')))).problem).toBe('empty');
  });

  it('names the line where an unclosed quote starts', async () => {
    const r = await openCsv(fixture('unclosed-quote.csv'));
    const e = await rejection(allRows(r));
    expect(e.problem).toBe('unclosed_quote');
    expect(e.line).toBe(4);
    expect(e.message).toBe('line 4: a quoted field starts here and is never closed');
  });

  it('stops an unclosed quote in a large file after MAX_RECORD_CHARS, naming its line', async () => {
    const filler = 'X9,2021-01-09,filler row\n'.repeat(Math.ceil((MAX_RECORD_CHARS + 1_000_000) / 25));
    const path = tmpFile('unclosed-big.csv', `id,date,notes\nX1,2021-01-01,ok\nX2,"2021-01-02\n${filler}`);
    const e = await rejection(readAll(path));
    expect(e.problem).toBe('unclosed_quote');
    expect(e.line).toBe(3);
  });

  it('refuses binary files: PNG, SQLite, ZIP, NUL bytes, UTF-16', async () => {
    expect((await rejection(openCsv(fixture('not-csv.png')))).message).toBe('this is a PNG image, not a CSV file');
    const sqlite = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 1)]);
    expect((await rejection(openCsv(tmpFile('case.casefile', sqlite)))).message).toMatch(/SQLite database/);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]);
    expect((await rejection(openCsv(tmpFile('book.csv', zip)))).message).toMatch(/xlsx/);
    const nul = await rejection(readAll(tmpFile('nul.csv', 'a,b\n1,2\n3,\0\n')));
    expect(nul.problem).toBe('binary');
    expect(nul.line).toBe(3);
    const utf16 = iconv.encode('\uFEFFa,b\r\n1,2\r\n', 'utf16le');
    expect((await rejection(openCsv(tmpFile('utf16.csv', utf16)))).message).toMatch(/UTF-16/);
  });

  it('refuses 100,000 columns with the reason, and accepts 10,000', async () => {
    const wide = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const e = await rejection(openCsv(tmpFile('wide.csv', `${wide}\n`)));
    expect(e.problem).toBe('too_many_columns');
    expect(e.message).toBe('line 1: 100000 columns; Casefile accepts at most 10000');

    const ok = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const r = await openCsv(tmpFile('ok-wide.csv', `${ok}\n${ok}\n`));
    expect(r.header).toHaveLength(10_000);
    expect((await allRows(r))[0]?.cells).toHaveLength(10_000);

    const row = Array.from({ length: 10_001 }, () => 'x').join(',');
    const e2 = await rejection(readAll(tmpFile('wide-row.csv', `a,b\n1,2\n${row}\n`)));
    expect(e2.message).toBe('line 3: 10001 columns; Casefile accepts at most 10000');
  });

  it('reports invalid UTF-8 in an ACLED file with its line', async () => {
    const e = await rejection(readAll(fixture('acled-invalid-utf8.csv')));
    expect(e.problem).toBe('encoding');
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/^line 4: the file is not UTF-8 \(byte 0xE9\)/);
  });

  it('reports a Windows-1252 file read as UTF-8 at its first accented line', async () => {
    const e = await rejection(readAll(fixture('gtd-cp1252.csv')));
    expect(e.line).toBe(2);
  });
});

describe("openCsv: encoding 'auto' (GTD)", () => {
  it('reads Windows-1252 bytes, including the ones Latin-1 lacks', async () => {
    const r = await openCsv(fixture('gtd-cp1252.csv'), { encoding: 'auto' });
    const rows = await allRows(r);
    expect(r.encoding).toBe('windows-1252');
    const summary = r.header.indexOf('summary');
    expect(rows[0]?.cells[summary]).toBe('The group’s urban front bombed a police post in Bogotá – no one was killed.');
    expect(rows[1]?.cells[r.header.indexOf('city')]).toBe('Medellín');
  });

  it('keeps UTF-8 as UTF-8', async () => {
    const r = await openCsv(fixture('gtd-utf8.csv'), { encoding: 'auto' });
    const rows = await allRows(r);
    expect(r.encoding).toBe('utf8');
    expect(rows[0]?.cells[r.header.indexOf('city')]).toBe('Kābul');
  });

  it('switches to Windows-1252 when the first non-ASCII byte comes megabytes in', async () => {
    const ascii = 'Kabul,plain ascii text\n'.repeat(150_000); // ~3.4 MB
    const tail = iconv.encode('Bogotá,the group’s bomb\n', 'win1252');
    const path = tmpFile('late-1252.csv', Buffer.concat([Buffer.from(`city,notes\n${ascii}`), tail]));
    const r = await openCsv(path, { encoding: 'auto' });
    const rows = await allRows(r);
    expect(rows).toHaveLength(150_001);
    expect(rows[150_000]).toEqual({ line: 150_002, cells: ['Bogotá', 'the group’s bomb'] });
    expect(r.encoding).toBe('windows-1252');
  });

  it('refuses a file that is UTF-8 first and something else later', async () => {
    const head = Buffer.from('city,notes\nKābul,utf8\n' + 'x,y\n'.repeat(10));
    const path = tmpFile('mixed.csv', Buffer.concat([head, iconv.encode('Bogotá,cp1252\n', 'win1252')]));
    const e = await rejection(readAll(path, { encoding: 'auto', chunkBytes: 16 }));
    expect(e.problem).toBe('encoding');
    expect(e.line).toBe(13);
    expect(e.message).toMatch(/mixes encodings/);
  });
});

describe('openCsv: flow control', () => {
  it('reads no further than the batch asked for', async () => {
    const path = tmpFile('lazy.csv', 'id,notes\n' + 'AFG1,some notes about an event\n'.repeat(700_000)); // ~21 MB
    const r = await openCsv(path, { batchSize: 1000 });
    const it = r.batches()[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    if (!first.done) expect(first.value.bytesRead).toBeLessThan(3 * 1024 * 1024);
    await it.return?.(undefined);
  });

  it('stops with an AbortError when the signal fires', async () => {
    const path = tmpFile('abort.csv', 'id,notes\n' + 'AFG1,x\n'.repeat(500_000));
    const ac = new AbortController();
    let batches = 0;
    const e = await rejection(
      (async () => {
        for await (const _ of readCsv(path, { signal: ac.signal, batchSize: 100 })) {
          batches++;
          if (batches === 3) ac.abort();
        }
      })(),
    );
    expect(e.name).toBe('AbortError');
    expect(batches).toBe(3);
  });

  it('refuses a missing file clearly', async () => {
    const e = await rejection(openCsv('/nonexistent/file.csv'));
    expect(e.problem).toBe('not_found');
  });
});
