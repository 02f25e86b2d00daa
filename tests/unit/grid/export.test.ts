import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { exportAtomically, writeExport, type ExportSpec } from '../../../src/core/export/export-table';
import { openWriter, zipBacklog } from '../../../src/core/export/writers';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { runTask } from '../../../src/core/tasks/run-task';
import { session } from '../../helpers';

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+1', '-2 killed', '@SUM(A1)', '\tTabbed', '\rReturn', 'plain'];

function caseWithHostileText() {
  const ctx = session({ demo: false });
  const cf = ctx.s.caseFile;
  HOSTILE.forEach((d, i) =>
    cf.create('incidents', {
      date: `2022-01-0${i + 1}`,
      description: d,
      longitude: -12.5 - i,
      latitude: -3.25,
      fatalities: i,
      country: i % 2 ? 'Iraq' : 'Syria',
    }),
  );
  return ctx;
}

const spec = (o: Partial<ExportSpec> = {}): ExportSpec => ({
  table: 'incidents',
  scope: 'view',
  format: 'csv',
  layout: 'casefile',
  sort: [{ colId: 'date', sort: 'asc' }],
  filter: { columns: {}, search: '' },
  ...o,
});

describe('export to CSV, XLSX and JSON', () => {
  it('CSV: prefixes text that a spreadsheet would run as a formula; numbers stay numbers', async () => {
    const { s, dir } = caseWithHostileText();
    const out = join(dir, 'view.csv');
    const r = await exportAtomically(out, false, (tmp) => writeExport(s.caseFile.db, spec(), tmp));
    expect(r).toMatchObject({ path: out, rows: 7, truncatedCells: 0 });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeffid,date,')).toBe(true);
    const rows = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((x) => x.description)).toEqual(HOSTILE.map((h) => (h === 'plain' ? h : `'${h}`)));
    expect(rows.map((x) => x.longitude)).toEqual(['-12.5', '-13.5', '-14.5', '-15.5', '-16.5', '-17.5', '-18.5']);
    expect(rows[3]!.fatalities).toBe('3');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('XLSX: typed cells (numbers are numbers), formula-like text formatted as Text, read back with exceljs', async () => {
    const { s, dir } = caseWithHostileText();
    const out = join(dir, 'view.xlsx');
    await exportAtomically(out, false, (tmp) => writeExport(s.caseFile.db, spec({ format: 'xlsx' }), tmp));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(ws.rowCount).toBe(8);
    for (let i = 0; i < 7; i++) {
      const row = ws.getRow(i + 2);
      expect(row.getCell(col('longitude')).value).toBe(-12.5 - i);
      expect(row.getCell(col('longitude')).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(col('fatalities')).value).toBe(i);
      // The text stays exact (XML reads a bare carriage return as a line feed); the Text number
      // format, not a visible apostrophe, is what keeps the cell inert when it is edited. A
      // leading tab or line break keeps a `'` too: an import trims cells.
      const h = HOSTILE[i]!.replace('\r', '\n');
      expect(row.getCell(col('description')).value).toBe(/^[\t\n]/.test(h) ? `'${h}` : h);
      expect(row.getCell(col('description')).numFmt).toBe(HOSTILE[i] === 'plain' ? undefined : '@');
      expect(row.getCell(col('description')).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(col('injuries')).value).toBeNull();
    }
  });

  it('XLSX: a large sheet waits for its zip instead of queueing its whole XML (the queue exceljs keeps is readable), and reads back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casefile-xlsx-'));
    try {
      // exceljs's own writer, rows committed without waiting: the queue fills, and zipBacklog sees it.
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: join(dir, 'raw.xlsx'),
        useStyles: true,
        useSharedStrings: false,
      });
      const ws = wb.addWorksheet('raw');
      const wide = Array.from({ length: 20 }, (_, i) => `column ${i} of a row that is long enough to fill a queue`);
      let most = 0;
      for (let i = 0; i < 20_000; i++) {
        ws.addRow(wide).commit();
        most = Math.max(most, zipBacklog(ws) ?? -1);
      }
      expect(most).toBeGreaterThan(8 * 1024 * 1024);
      ws.commit();
      await wb.commit();

      // Through Casefile's writer, which waits: every row is there.
      const out = join(dir, 'casefile.xlsx');
      const w = openWriter('xlsx', out, ['n', 'text'], 'rows');
      for (let i = 0; i < 60_000; i++) await w.row([i, wide.join(' ')]);
      await w.finish();
      const back = new ExcelJS.Workbook();
      await back.xlsx.readFile(out);
      expect(back.worksheets[0]!.rowCount).toBe(60_001);
      expect(back.worksheets[0]!.getRow(60_001).getCell(1).value).toBe(59_999);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("JSON: every value exactly as stored; the view's filter and sort apply, or the whole table", async () => {
    const { s, dir } = caseWithHostileText();
    const out = join(dir, 'v.json');
    const filter = { columns: { country: { type: 'set' as const, values: ['Syria'] } }, search: '' };
    await exportAtomically(out, false, (tmp) =>
      writeExport(s.caseFile.db, spec({ format: 'json', filter, sort: [{ colId: 'fatalities', sort: 'desc' }] }), tmp),
    );
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((x) => x.fatalities)).toEqual([6, 4, 2, 0]);
    expect(rows.map((x) => x.description)).toEqual(['plain', '\tTabbed', '-2 killed', '=HYPERLINK("http://x","y")']);
    expect(rows[0]!.longitude).toBe(-18.5);
    const all = join(dir, 'all.json');
    await exportAtomically(all, false, (tmp) =>
      writeExport(s.caseFile.db, spec({ format: 'json', filter, scope: 'table' }), tmp),
    );
    expect(JSON.parse(readFileSync(all, 'utf8'))).toHaveLength(7);
  });

  it('writes under a temporary name and renames; refuses to replace a file unless asked; leaves nothing on failure', async () => {
    const { s, dir } = caseWithHostileText();
    const out = join(dir, 'x.csv');
    writeFileSync(out, 'mine');
    await expect(exportAtomically(out, false, (tmp) => writeExport(s.caseFile.db, spec(), tmp))).rejects.toThrow(
      /already exists/,
    );
    expect(readFileSync(out, 'utf8')).toBe('mine');
    await expect(
      exportAtomically(out, true, async (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await expect(exportAtomically('relative.csv', false, async () => ({ rows: 0, truncatedCells: 0 }))).rejects.toThrow(
      /full path/,
    );
    await expect(
      exportAtomically(join(dir, 'nope', 'x.csv'), false, async () => ({ rows: 0, truncatedCells: 0 })),
    ).rejects.toThrow(/does not exist/);
    await expect(
      exportAtomically(join(dir, 'a.casefile'), false, async () => ({ rows: 0, truncatedCells: 0 })),
    ).rejects.toThrow(/not written over a case file/);
  });

  it('runs in a task worker with its own connection (as the app does for big tables)', async () => {
    const { s, dir, file } = caseWithHostileText();
    const tmp = join(dir, 'w.tmp');
    const progress: number[] = [];
    const r = await runTask(
      { kind: 'export', caseFile: file, tmp, spec: spec({ format: 'xlsx' }) },
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(r.rows).toBe(7);
    expect(progress.length).toBeGreaterThan(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(tmp);
    expect(wb.worksheets[0]!.rowCount).toBe(8);
    void s;
  });

  it('through the grid.export channel: the view to a path, progress announced', async () => {
    const { s, dir } = caseWithHostileText();
    const h = makeHandlers(s, 'test');
    const events: string[] = [];
    s.subscribe((e, p) => e === 'task.progress' && events.push((p as { kind: string }).kind));
    const out = join(dir, 'ui.csv');
    const r = await dispatch(h, 'grid.export', {
      table: 'incidents',
      format: 'csv',
      path: out,
      filter: { columns: { country: { type: 'set', values: ['Iraq'] } }, search: '' },
    });
    expect(r).toEqual({ ok: true, value: { path: out, rows: 3, truncatedCells: 0 } });
    expect(events).toContain('grid-export');
    expect(await dispatch(h, 'grid.export', { table: 'incidents', format: 'csv', path: out })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(
      await dispatch(h, 'grid.export', { table: 'sources', format: 'csv', layout: 'acled', path: join(dir, 'a.csv') }),
    ).toMatchObject({ ok: false, error: { message: 'The ACLED layout is for incidents only' } });
    expect(
      await dispatch(h, 'grid.export', {
        table: 'incidents',
        format: 'csv',
        path: join(dir, '.bashrc'),
        overwrite: true,
      }),
    ).toMatchObject({ ok: false, error: { message: 'A CSV export is written to a file ending in .csv' } });
  });
});
