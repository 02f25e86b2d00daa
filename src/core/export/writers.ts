import { closeSync, openSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '../../shared/channels/grid';
import { guardFormula, looksLikeFormula } from './formula-guard';
import type { Cell } from './layout';

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
  finish(): Promise<void>;
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

function xlsxWriter(path: string, header: string[], sheetName: string): RowWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const head = ws.addRow(header);
  head.font = { bold: true };
  head.commit();
  let n = 0;
  const w: RowWriter = {
    truncatedCells: 0,
    strippedCells: 0,
    async row(cells) {
      const text: number[] = [];
      const values = cells.map((c, i) => {
        if (c === null) return null;
        if (typeof c === 'number') return Number.isFinite(c) ? c : null;
        let s = c;
        if (HAS_XML_ILLEGAL.test(s)) {
          s = s.replace(XML_ILLEGAL, '');
          w.strippedCells++;
        }
        // Decided on the text as written, so "\0=1+1" is protected as the "=1+1" it becomes.
        // `=`, `+`, `-`, `@` keep their text; a leading tab or line break keeps the `'` too, or
        // an import (which trims cells) would lose it.
        if (looksLikeFormula(s) && !LEADING_SPACE.test(s)) text.push(i);
        else if (s !== guardFormula(s)) {
          s = guardFormula(s);
          text.push(i);
        }
        if (s.length > XLSX_CELL_MAX) {
          s = s.slice(0, XLSX_CELL_MAX);
          w.truncatedCells++;
        }
        return s;
      });
      const row = ws.addRow(values);
      for (const i of text) row.getCell(i + 1).numFmt = '@';
      row.commit();
      // Now and then, let the zip take what is queued, and wait while it is behind (memory stays bounded).
      if (++n % YIELD_ROWS === 0) {
        await new Promise((r) => setImmediate(r));
        await drained(ws);
      }
    },
    async finish() {
      ws.commit();
      await wb.commit();
    },
  };
  return w;
}

export function openWriter(
  format: Extract<ExportFormat, 'csv' | 'xlsx' | 'json'>,
  path: string,
  header: string[],
  sheetName: string,
): RowWriter {
  if (format === 'csv') return csvWriter(path, header);
  if (format === 'json') return jsonWriter(path, header);
  return xlsxWriter(path, header, sheetName);
}
