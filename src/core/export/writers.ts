import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';
import { splitList } from '../../shared/domain/lists';
import type { ExportFormat } from '../../shared/channels/grid';
import { guardFormula, looksLikeFormula } from './formula-guard';
import type { Cell, XlsxShape } from './layout';
import { addTable } from './xlsx-table';

/**
 * File writers for exports. CSV and XLSX are opened in spreadsheets, where a text cell that
 * looks like a formula may be run as one (CSV injection): formula-guard.ts says which, and how a
 * CSV cell is protected with a leading `'` that an import removes again. In XLSX such a cell is
 * given the Text number format instead (`@`, what Excel applies when `'` is typed), so its text
 * stays exact and editing it never makes a formula; a `'` is added only where an import would
 * otherwise take one away (text that starts with `'` before a formula character) or trim a
 * leading tab or line break. Number columns
 * are written as numbers (typed cells in XLSX), so a negative longitude stays a number and is not
 * protected. JSON is not a spreadsheet format and keeps every value exactly.
 */
export type RowWriter = {
  row(cells: Cell[]): Promise<void> | void;
  /** Closes the file; `abandoned` (a failed or cancelled export, whose file is thrown away) skips what is left to write. */
  finish(abandoned?: boolean): Promise<void>;
  truncatedCells: number;
  /** XLSX: cells that held control characters XML cannot carry (they are left out). */
  strippedCells: number;
};

/** Excel's limit on the characters of one cell. */
export const XLSX_CELL_MAX = 32_767;
/** Excel's limit on the rows of one sheet (the header takes one). */
export const XLSX_MAX_ROWS = 1_048_575;
/** What XML 1.0 cannot hold: exceljs drops these silently, so they are dropped here, before the guard looks. */
// eslint-disable-next-line no-control-regex -- these control characters are what is matched
const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const LEADING_SPACE = /^[\t\r\n]/;
// eslint-disable-next-line no-control-regex -- the same characters
const HAS_XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

export function csvField(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  const s = guardFormula(c);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Buffers output and writes it in large pieces: a million rows are a few hundred megabytes. */
export function fileSink(path: string): { write(s: string): void; close(): void } {
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    if (buf.length) writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    write(s) {
      buf.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
    },
    close() {
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}

function csvWriter(path: string, header: string[]): RowWriter {
  const out = fileSink(path);
  // A byte-order mark so that spreadsheets read the file as UTF-8 (Arabic, Cyrillic); CRLF as RFC 4180.
  out.write(`\ufeff${header.map(csvField).join(',')}\r\n`);
  return {
    truncatedCells: 0,
    strippedCells: 0,
    row(cells) {
      out.write(`${cells.map(csvField).join(',')}\r\n`);
    },
    async finish() {
      out.close();
    },
  };
}

function jsonWriter(path: string, header: string[]): RowWriter {
  const out = fileSink(path);
  let first = true;
  out.write('[');
  return {
    truncatedCells: 0,
    strippedCells: 0,
    row(cells) {
      const o: Record<string, Cell> = {};
      header.forEach((h, i) => (o[h] = cells[i] ?? null));
      out.write(`${first ? '\n' : ',\n'}${JSON.stringify(o)}`);
      first = false;
    },
    async finish() {
      out.write(first ? ']\n' : '\n]\n');
      out.close();
    },
  };
}

/** Uncompressed sheet XML allowed to wait for the zip before the writer waits too. */
const ZIP_BACKLOG_BYTES = 8 * 1024 * 1024;
const YIELD_ROWS = 2000;
/** A zip that takes nothing this long has failed (drained). */
const STALL_MS = 10_000;

type EntryStream = { _writableState?: { length?: number } };

/**
 * Bytes of a streaming sheet's XML not yet taken by the zip. exceljs hands each committed row to
 * the sheet's zip entry without waiting for the compressor (its StreamBuf ignores backpressure),
 * so a large export held its whole uncompressed sheet in memory: 1.5 GB for a million incidents.
 * Read from the entry streams' own state (exceljs 4's shape, checked by a test); null when that
 * shape is not there, and the writer then only yields as before.
 */
export function zipBacklog(ws: unknown): number | null {
  const pipes = (ws as { stream?: { pipes?: unknown } }).stream?.pipes;
  if (!Array.isArray(pipes)) return null;
  let n = 0;
  for (const p of pipes as EntryStream[]) {
    const len = p._writableState?.length;
    if (typeof len !== 'number') return null;
    n += len;
  }
  return n;
}

/**
 * Waits while the zip is behind. A zip that takes nothing for STALL_MS (its file failed: the
 * error comes out of the workbook's commit) is not waited for any longer.
 */
async function drained(ws: unknown): Promise<void> {
  let last = zipBacklog(ws) ?? 0;
  let since = performance.now();
  while (last > ZIP_BACKLOG_BYTES) {
    await new Promise((r) => setTimeout(r, 1));
    const now = zipBacklog(ws) ?? 0;
    if (now < last) since = performance.now();
    else if (performance.now() - since > STALL_MS) return;
    last = now;
  }
}

/** What a date cell shows, by its precision: never a part finer than what is known. */
const DATE_FORMAT: Record<string, string> = { day: 'yyyy-mm-dd', week: 'yyyy-mm-dd', month: 'yyyy-mm', year: 'yyyy' };

/**
 * A stored date as the Excel date it stands for: a day as itself, a month as its first day, a
 * year as its 1 January (the precision column beside it says which). Null when the text is not
 * a date of that precision; it is then written as text, as it is.
 */
export function xlsxDate(date: Cell, precision: Cell): Date | null {
  if (typeof date !== 'string' || typeof precision !== 'string' || !(precision in DATE_FORMAT)) return null;
  const m =
    precision === 'year'
      ? /^(\d{4})$/.exec(date)
      : precision === 'month'
        ? /^(\d{4})-(\d{2})$/.exec(date)
        : /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  // Excel's dates start in 1900; a month or day that does not exist is not a date either.
  if (y < 1900 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetTitle(s: string): string {
  return s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}

function xlsxWriter(path: string, header: string[], sheetName: string, shape: XlsxShape = {}): RowWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetTitle(sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  const head = ws.addRow(header);
  head.font = { bold: true };
  head.commit();
  const dates = shape.dates ?? [];
  const lists = shape.lists ?? [];
  // The values of list fields, one per row, wait in a file beside the export until the main
  // sheet is closed: exceljs writes one sheet at a time, and a second one opened now would wait
  // in memory.
  const valuesPath = `${path}.values`;
  const values = lists.length ? fileSink(valuesPath) : null;
  let n = 0;
  const w: RowWriter = {
    truncatedCells: 0,
    strippedCells: 0,
    async row(cells) {
      const written = cells.map((c) => textCell(c, w));
      const row = ws.addRow(written.map((c) => c.value));
      written.forEach((c, i) => {
        if (c.text) row.getCell(i + 1).numFmt = '@';
      });
      for (const d of dates) {
        const precision = cells[d.precision] ?? null;
        const dt = xlsxDate(cells[d.column] ?? null, precision);
        if (dt === null) continue;
        const cell = row.getCell(d.column + 1);
        cell.value = dt;
        cell.numFmt = DATE_FORMAT[precision as string]!;
      }
      row.commit();
      if (values) {
        for (const l of lists) {
          for (const v of splitList(cells[l.column])) {
            values.write(`${JSON.stringify([cells[shape.idColumn ?? 0] ?? null, l.field, v])}\n`);
          }
        }
      }
      // Now and then, let the zip take what is queued, and wait while it is behind (memory stays bounded).
      if (++n % YIELD_ROWS === 0) {
        await new Promise((r) => setImmediate(r));
        await drained(ws);
      }
    },
    async finish(abandoned = false) {
      try {
        filterSheet(wb, ws, sheetTitle(sheetName), header, n);
        ws.commit();
        if (values) {
          values.close();
          if (!abandoned)
            await writeValuesSheets(
              wb,
              valuesPath,
              sheetTitle(sheetName).slice(0, 20),
              shape.sheetRows ?? XLSX_MAX_ROWS,
              w,
            );
        }
        await wb.commit();
      } finally {
        if (values) rmSync(valuesPath, { force: true });
      }
    },
  };
  return w;
}

/** A text cell as XLSX writes it (see the file comment): cleaned, guarded, cut to Excel's limit. */
function textCell(c: Cell, w: RowWriter): { value: string | number | null; text: boolean } {
  if (c === null) return { value: null, text: false };
  if (typeof c === 'number') return { value: Number.isFinite(c) ? c : null, text: false };
  let s = c;
  let text = false;
  if (HAS_XML_ILLEGAL.test(s)) {
    s = s.replace(XML_ILLEGAL, '');
    w.strippedCells++;
  }
  // Decided on the text as written, so "\0=1+1" is protected as the "=1+1" it becomes.
  // `=`, `+`, `-`, `@` keep their text; a leading tab or line break keeps the `'` too, or
  // an import (which trims cells) would lose it.
  if (looksLikeFormula(s) && !LEADING_SPACE.test(s)) text = true;
  else if (s !== guardFormula(s)) {
    s = guardFormula(s);
    text = true;
  }
  if (s.length > XLSX_CELL_MAX) {
    s = s.slice(0, XLSX_CELL_MAX);
    w.truncatedCells++;
  }
  return { value: s, text };
}

/**
 * Filter buttons on the header: an Excel table over the sheet's rows (which has its own
 * autofilter), or, where no table can be made, a plain autofilter. Never both: Excel reports a
 * sheet whose autofilter overlaps a table as damaged.
 */
function filterSheet(wb: unknown, ws: ExcelJS.Worksheet, name: string, header: string[], rows: number) {
  if (!addTable(wb, ws, name, header, rows))
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows + 1, column: header.length } };
}

const VALUES_HEADER = ['id', 'field', 'value'];

/**
 * The values sheet: row id, field, value, one value of a list field per row. Values beyond what
 * one sheet holds go on to "… values 2", "… values 3" (each its own table), so none is lost.
 */
async function writeValuesSheets(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  from: string,
  base: string,
  sheetRows: number,
  w: RowWriter,
): Promise<void> {
  let sheets = 0;
  let name = '';
  let n = 0;
  const open = () => {
    sheets++;
    name = sheets === 1 ? `${base} values` : `${base} values ${sheets}`;
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const head = ws.addRow(VALUES_HEADER);
    head.font = { bold: true };
    head.commit();
    n = 0;
    return ws;
  };
  const close = (sheet: ExcelJS.Worksheet) => {
    filterSheet(wb, sheet, name, VALUES_HEADER, n);
    sheet.commit();
  };
  let sheet = open();
  const lines = createInterface({ input: createReadStream(from, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    if (n === sheetRows) {
      close(sheet);
      sheet = open();
    }
    const cells = (JSON.parse(line) as Cell[]).map((c) => textCell(c, w));
    const row = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.text) row.getCell(i + 1).numFmt = '@';
    });
    row.commit();
    if (++n % YIELD_ROWS === 0) {
      await new Promise((r) => setImmediate(r));
      await drained(sheet);
    }
  }
  close(sheet);
}

export function openWriter(
  format: Extract<ExportFormat, 'csv' | 'xlsx' | 'json'>,
  path: string,
  header: string[],
  sheetName: string,
  shape?: XlsxShape,
): RowWriter {
  if (format === 'csv') return csvWriter(path, header);
  if (format === 'json') return jsonWriter(path, header);
  return xlsxWriter(path, header, sheetName, shape);
}
