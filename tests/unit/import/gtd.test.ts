import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createAcledMapper } from '../../../src/core/import/acled';
import { openCsv } from '../../../src/core/import/csv-stream';
import { createGtdMapper, isGtdHeader, mapGtdRow } from '../../../src/core/import/gtd';
import type { RowOk, RowResult, TableReader } from '../../../src/core/import/types';
import { cellText, openXlsx } from '../../../src/core/import/xlsx-stream';
import { allRows, fixture, rejection, tmpFile, tmpPath } from './helpers';

async function mapAll(reader: TableReader): Promise<RowResult[]> {
  const m = createGtdMapper(reader.header);
  return (await allRows(reader)).map((r) => m.map(r.cells, r.line));
}
const ok = (r: RowResult | undefined): RowOk => {
  if (!r?.ok) throw new Error(`expected a record, got ${JSON.stringify(r)}`);
  return r;
};

describe('GTD CSV', () => {
  it('maps the UTF-8 extract', async () => {
    const r = await openCsv(fixture('gtd-utf8.csv'), { encoding: 'auto' });
    expect(isGtdHeader(r.header)).toBe(true);
    const rs = await mapAll(r);
    expect(rs.every((x) => x.ok)).toBe(true);
    const [a, b, c, d] = rs.map(ok) as [RowOk, RowOk, RowOk, RowOk];
    expect(a).toMatchObject({
      line: 2,
      externalId: '201712280001',
      timestamp: null,
      sources: [
        '"Suicide attack hits Kabul cultural centre," Pajhwok Afghan News, December 28, 2017.',
        '"Islamic State claims Kabul blast," Reuters, December 28, 2017.',
      ],
      incident: {
        date: '2017-12-28',
        date_precision: 'day',
        event_type: 'Bombing/Explosion',
        sub_event_type: 'Explosives',
        actor1: 'Khorasan Chapter of the Islamic State',
        assoc_actors: null,
        target: 'Private Citizens & Property: Cultural centre',
        attribution: 'claimed',
        country: 'Afghanistan',
        admin1: 'Kabul',
        admin2: null,
        location: 'Kābul',
        latitude: 34.516895,
        longitude: 69.147011,
        geo_precision: 1,
        fatalities: 41,
        injuries: 84,
        tags: 'weapsubtype=Suicide (carried bodily by human being); claimmode=Posted to website, blog, etc.; success=yes; suicide=yes',
        external_id: '201712280001',
        origin: 'GTD',
      },
    });
    expect(a.incident.description).toContain('(ولایت خراسان)');
    // iday 0: month precision; "Unknown" city, -99 and blank numbers, -9 claimed; specificity 4 -> 3; gname3 = gname not repeated
    expect(b.incident).toMatchObject({
      date: '2016-03',
      date_precision: 'month',
      location: null,
      latitude: null,
      fatalities: null,
      injuries: null,
      attribution: 'unknown',
      geo_precision: 3,
      assoc_actors: 'Tehrik-i-Taliban Pakistan (TTP)',
      tags: 'approxdate=March 2016; success=yes',
    });
    // imonth 0: year precision; pandas-style 2.0; claimed 0; empty summary; no sources
    expect(c.incident).toMatchObject({
      date: '1995',
      date_precision: 'year',
      fatalities: 2,
      injuries: 0,
      attribution: 'unclaimed',
      description: null,
      actor1: 'Unknown',
      geo_precision: 2,
      target: 'Government (General)',
    });
    expect(c.sources).toEqual([]);
    expect(d.incident.tags).toBe('attacktype=Bombing/Explosion; success=no; extended=yes; doubtterr=yes');
    expect(d.sources).toEqual(['Pajhwok Afghan News, November 12, 2019.', 'Khaama Press, November 13, 2019.']);
  });

  it('maps the Windows-1252 extract with its accents and typographic punctuation', async () => {
    const r = await openCsv(fixture('gtd-cp1252.csv'), { encoding: 'auto' });
    const rs = (await mapAll(r)).map(ok);
    expect(r.encoding).toBe('windows-1252');
    expect(rs).toHaveLength(3);
    expect(rs[0]?.incident).toMatchObject({
      location: 'Bogotá',
      admin1: 'Bogotá',
      country: 'Colombia',
      longitude: -74.0817,
      description: 'The group’s urban front bombed a police post in Bogotá – no one was killed.',
    });
    expect(rs[0]?.sources).toEqual(['“Bomba en Bogotá,” El Tiempo, 13 de febrero de 1999.']);
    expect(rs[1]?.incident).toMatchObject({
      location: 'Medellín',
      date: '2000-08',
      fatalities: null,
      injuries: null,
      tags: 'approxdate=agosto 2000',
    });
  });

  it('skips impossible dates and bad numbers with line and field', () => {
    const header = ['eventid', 'iyear', 'imonth', 'iday', 'nkill', 'claimed', 'specificity'];
    const map = (cells: string[]) => mapGtdRow(header, cells, 7);
    expect(map(['1', '2019', '13', '1', '', '', ''])).toMatchObject({ ok: false, line: 7, field: 'imonth' });
    expect(map(['1', '2019', '2', '30', '', '', ''])).toMatchObject({
      ok: false,
      field: 'iday',
      reason: '2019-2-30 is not a calendar date',
    });
    expect(map(['1', '2019', '2', '3', 'many', '', ''])).toMatchObject({
      ok: false,
      field: 'nkill',
      reason: 'nkill "many" is not a number',
    });
    expect(map(['1', '2019', '2', '3', '', '2', ''])).toMatchObject({ ok: false, field: 'claimed' });
    expect(map(['1', '2019', '2', '3', '', '', '7'])).toMatchObject({ ok: false, field: 'specificity' });
    expect(map(['', '2019', '2', '3', '', '', ''])).toMatchObject({ ok: false, field: 'eventid' });
    expect(ok(map(['1', '2019', '2', '3', '2.7', '-9', '5'])).incident).toMatchObject({
      fatalities: 2,
      attribution: 'unknown',
      geo_precision: 3,
    });
    expect(ok(map(['201902030001.0', '-99', '-9', '-9', '', '', ''])).incident).toMatchObject({
      date: null,
      date_precision: 'unknown',
      external_id: '201902030001',
    });
  });
});

describe('GTD .xlsx', () => {
  it('gives the same records as the CSV extract, with sheet row numbers as lines', async () => {
    const fromCsv = await mapAll(await openCsv(fixture('gtd-utf8.csv'), { encoding: 'auto' }));
    const x = await openXlsx(fixture('gtd.xlsx'));
    expect(x.headerLine).toBe(1);
    expect(x.header).toHaveLength(60);
    const fromXlsx = await mapAll(x);
    expect(fromXlsx).toEqual(fromCsv);
  });

  it('turns date cells, formulas, rich text and errors into text, and reads in batches', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('ACLED');
    ws.addRow(['event_id_cnty', 'event_date', 'event_type', 'actor1', 'country', 'fatalities', 'notes', 'timestamp']);
    for (let i = 0; i < 1200; i++) {
      ws.addRow([
        `AFG${i}`,
        new Date(Date.UTC(2022, 11, 28)),
        'Battles',
        'Islamic State (Afghanistan)',
        'Afghanistan',
        i % 7,
        null,
        1672700000,
      ]);
    }
    ws.getCell('G2').value = { richText: [{ text: 'Bold ' }, { text: 'part' }] };
    ws.getCell('F3').value = { formula: '1+2', result: 3 };
    ws.getCell('G4').value = { error: '#N/A' };
    ws.getCell('G5').value = { text: 'a link', hyperlink: 'https://example.org' };
    ws.getCell('B6').value = new Date(Date.UTC(2022, 11, 28, 13, 5, 0));
    const path = tmpPath('acled.xlsx');
    await wb.xlsx.writeFile(path);

    const x = await openXlsx(path, { batchSize: 500 });
    const sizes: number[] = [];
    const rows = [];
    for await (const b of x.batches()) {
      sizes.push(b.rows.length);
      rows.push(...b.rows);
      expect(b.totalBytes).toBeGreaterThan(0);
    }
    expect(sizes).toEqual([500, 500, 200]);
    expect(rows[0]).toMatchObject({
      line: 2,
      cells: [
        'AFG0',
        '2022-12-28',
        'Battles',
        'Islamic State (Afghanistan)',
        'Afghanistan',
        '0',
        'Bold part',
        '1672700000',
      ],
    });
    expect(rows[1]?.cells[5]).toBe('3');
    expect(rows[2]?.cells[6]).toBe('');
    expect(rows[3]?.cells[6]).toBe('a link');
    expect(rows[4]?.cells[1]).toBe('2022-12-28T13:05:00');
    const m = createAcledMapper(x.header);
    const r = m.map(rows[0]?.cells ?? [], rows[0]?.line ?? 0);
    expect(r).toMatchObject({
      ok: true,
      incident: { date: '2022-12-28', fatalities: 0, description: 'Bold part' },
      timestamp: 1672700000,
    });
    // the time of day is not a different date
    expect(m.map(rows[4]?.cells ?? [], 6)).toMatchObject({ ok: true, incident: { date: '2022-12-28' } });
  });

  it('stops early without hanging when the caller leaves the loop', async () => {
    const x = await openXlsx(fixture('gtd.xlsx'), { batchSize: 1 });
    for await (const b of x.batches()) {
      expect(b.rows).toHaveLength(1);
      break;
    }
    await x.close();
  });

  it('refuses what is not an .xlsx workbook', async () => {
    expect((await rejection(openXlsx(fixture('gtd-utf8.csv')))).problem).toBe('not_xlsx');
    expect((await rejection(openXlsx(fixture('empty.csv')))).problem).toBe('empty');
    const broken = tmpFile('broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 0)]));
    expect((await rejection(openXlsx(broken))).problem).toBe('not_xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Empty');
    const empty = tmpPath('empty.xlsx');
    await wb.xlsx.writeFile(empty);
    expect((await rejection(openXlsx(empty))).problem).toBe('empty');
  });

  it('writes cell values as a CSV export would', () => {
    expect(cellText(201712280001)).toBe('201712280001');
    expect(cellText(34.516895)).toBe('34.516895');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(null)).toBe('');
    expect(cellText(new Date(Date.UTC(1995, 0, 1)))).toBe('1995-01-01');
    expect(cellText({ formula: 'A1', result: { error: '#REF!' } })).toBe('');
  });
});
