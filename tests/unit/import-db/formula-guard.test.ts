import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openWriter } from '../../../src/core/export/writers';
import { tempDir } from '../../helpers';

const LED = ['\n=1+1', '\0=1+1', '\x01=1+1'];

describe('the formula guard of exports', () => {
  it('CSV: a cell led by a line feed or NUL is protected like one led by =', async () => {
    const out = join(tempDir(), 'led.csv');
    const w = openWriter('csv', out, ['text'], 'led');
    for (const s of LED) await w.row([s]);
    await w.finish();
    const body = readFileSync(out, 'utf8').split('\r\n').slice(1).join('\r\n');
    expect(body).toBe(`"'\n=1+1"\r\n'\0=1+1\r\n\x01=1+1\r\n`);
  });

  it('XLSX: what XML cannot hold is left out before the guard looks, so no cell is a bare =1+1; the text keeps no visible apostrophe', async () => {
    const out = join(tempDir(), 'led.xlsx');
    const w = openWriter('xlsx', out, ['text'], 'led');
    for (const s of LED) await w.row([s]);
    await w.finish();
    expect(w.strippedCells).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const cells = [2, 3, 4].map((r) => wb.worksheets[0]!.getRow(r).getCell(1));
    expect(cells.map((c) => c.value)).toEqual(["'\n=1+1", '=1+1', '=1+1']);
    // Each is text that editing cannot turn into a formula.
    expect(cells.map((c) => c.numFmt)).toEqual(['@', '@', '@']);
  });
});
