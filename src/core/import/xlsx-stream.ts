import { createReadStream, promises as fsp } from 'node:fs';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { ImportError, MAX_COLUMNS, type TableBatch, type TableReader, type TableRow } from './types';

/**
 * Streaming reader for the first worksheet of an .xlsx workbook (GTD ships as one), with the same
 * shape as the CSV reader: `header` from the first non-empty row, then batches of rows whose
 * `line` is the spreadsheet row number. Cells become the text a CSV export would hold: numbers
 * in JavaScript's shortest form, date cells as `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM:SS` when they
 * carry a time), formulas as their cached result, rich text and hyperlinks as their text, errors
 * such as `#N/A` as empty. exceljs's WorkbookReader is pulled row by row, so a batch that has
 * not been asked for is not read; styles are loaded because they are how a date cell is known.
 */
export type XlsxOptions = {
  signal?: AbortSignal;
  /** Rows per batch (default 1000). */
  batchSize?: number;
};

export async function openXlsx(path: string, options: XlsxOptions = {}): Promise<TableReader> {
  const st = await fsp.stat(path).catch(() => null);
  if (st === null || !st.isFile()) throw new ImportError('not_found', `cannot read "${path}": no such file`);
  await checkZip(path, st.size);
  const reader = new XlsxReader(path, st.size, options);
  try {
    await reader.readHeader();
  } catch (e) {
    await reader.close();
    throw e;
  }
  return reader;
}

export async function* readXlsx(path: string, options: XlsxOptions = {}): AsyncGenerator<TableBatch, void, undefined> {
  const reader = await openXlsx(path, options);
  yield* reader.batches();
}

async function checkZip(path: string, size: number): Promise<void> {
  if (size === 0) throw new ImportError('empty', 'the file is empty');
  const fh = await fsp.open(path, 'r');
  const head = Buffer.alloc(4);
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return;
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new ImportError('not_xlsx', 'this is an old Excel .xls file; save it as .xlsx or CSV and import that');
  }
  throw new ImportError('not_xlsx', 'this is not an .xlsx workbook');
}

class XlsxReader implements TableReader {
  header: string[] = [];
  headerLine = 0;
  readonly encoding = 'utf8' as const;
  private bytesRead = 0;
  private readonly input: ReturnType<typeof createReadStream>;
  private readonly counter: Transform;
  private readonly rows: AsyncGenerator<TableRow, void, undefined>;
  private readonly batchSize: number;
  private readonly signal: AbortSignal | undefined;
  private iterating = false;
  private closed = false;

  constructor(
    path: string,
    readonly totalBytes: number,
    options: XlsxOptions,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 1000);
    this.signal = options.signal;
    this.input = createReadStream(path, { highWaterMark: 1024 * 1024 });
    // Counts the bytes the unzipper takes in, for progress; a 'data' listener would start the flow too early.
    this.counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.bytesRead += chunk.length;
        cb(null, chunk);
      },
    });
    this.input.on('error', (e) => this.counter.destroy(e));
    this.input.pipe(this.counter);
    const wb = new ExcelJS.stream.xlsx.WorkbookReader(this.counter, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    });
    this.rows = firstSheetRows(wb);
  }

  async readHeader(): Promise<void> {
    for (;;) {
      const r = await this.next();
      if (r === null) throw new ImportError('empty', "the workbook's first sheet is empty: it has no header row");
      if (r.cells.some((c) => c.trim() !== '')) {
        this.header = r.cells.map((c) => c.trim());
        this.headerLine = r.line;
        return;
      }
    }
  }

  async *batches(): AsyncGenerator<TableBatch, void, undefined> {
    if (this.iterating) throw new Error('batches() can be iterated only once');
    this.iterating = true;
    try {
      let rows: TableRow[] = [];
      for (;;) {
        const r = await this.next();
        if (r === null) break;
        if (isBlank(r.cells)) continue;
        rows.push(r);
        if (rows.length >= this.batchSize) {
          yield { header: this.header, rows, bytesRead: this.bytesRead, totalBytes: this.totalBytes };
          rows = [];
        }
      }
      if (rows.length > 0) yield { header: this.header, rows, bytesRead: this.bytesRead, totalBytes: this.totalBytes };
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.destroy();
    this.counter.destroy();
    // Ends exceljs's generators. return() would wait behind a read still in progress, which may
    // never finish once the file is closed, so it gets a moment and no more.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.rows.return(undefined).catch(() => undefined),
      new Promise((r) => {
        timer = setTimeout(r, 100);
      }),
    ]);
    clearTimeout(timer);
  }

  private async next(): Promise<TableRow | null> {
    this.signal?.throwIfAborted();
    let r: IteratorResult<TableRow, void>;
    try {
      r = await this.rows.next();
    } catch (e) {
      if (e instanceof ImportError) throw e;
      this.signal?.throwIfAborted();
      throw new ImportError('not_xlsx', `cannot read the workbook: ${e instanceof Error ? e.message : String(e)}`);
    }
    return r.done ? null : r.value;
  }
}

async function* firstSheetRows(wb: ExcelJS.stream.xlsx.WorkbookReader): AsyncGenerator<TableRow, void, undefined> {
  for await (const sheet of wb) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const n = Math.max(0, values.length - 1);
      if (n > MAX_COLUMNS) {
        throw new ImportError('too_many_columns', `${n} columns; Casefile accepts at most ${MAX_COLUMNS}`, row.number);
      }
      const cells = new Array<string>(n);
      for (let c = 1; c <= n; c++) cells[c - 1] = cellText(values[c]);
      yield { line: row.number, cells };
    }
    return;
  }
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The text a cell value stands for (see the file comment for the rules). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) return '';
    // exceljs turns a serial date into a Date at that wall time in UTC.
    const day = `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    if (v.getUTCHours() === 0 && v.getUTCMinutes() === 0 && v.getUTCSeconds() === 0) return day;
    return `${day}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return (o.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('error' in o) return '';
    if ('result' in o) return cellText(o.result);
    if ('formula' in o || 'sharedFormula' in o) return '';
    if ('text' in o) return cellText(o.text);
  }
  return '';
}
