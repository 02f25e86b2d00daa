import { createReadStream, promises as fsp } from 'node:fs';
import { isAscii, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { ImportError, MAX_COLUMNS, MAX_RECORD_CHARS, type TableBatch, type TableReader, type TableRow } from './types';

/**
 * Streaming CSV reader.
 *
 *   const reader = await openCsv(path, { signal, batchSize: 1000, encoding: 'utf8' });
 *   detectTableFormat(reader.header);
 *   for await (const { rows, bytesRead, totalBytes } of reader.batches()) { ...write rows... }
 *
 * - Reads the file in 64 KiB chunks and only when the caller asks for the next batch, so memory
 *   stays at a chunk plus a batch whatever the file size, and a slow SQLite writer holds the read.
 *   Batches are 1000 rows by default: larger ones outlive V8's young generation and cost more in
 *   garbage collection than they save (5000-row batches read 2-3x slower here).
 * - Each row carries the physical line it starts on (header = line 1 when it is the first line),
 *   counted through quoted fields that hold line breaks, so messages can say "line 1234: ...".
 * - `encoding: 'utf8'` (ACLED, generic CSV): bytes that are not UTF-8 are an error naming the line.
 *   `encoding: 'auto'` (GTD, which ships Windows-1252 in some releases): a file that is not UTF-8
 *   is read as Windows-1252. Because the first megabytes of a Windows-1252 file are often plain
 *   ASCII (early GTD years), the switch can happen at any point as long as nothing but ASCII came
 *   before; invalid bytes after real UTF-8 text are an error (a file that mixes encodings).
 * - A UTF-8 byte-order mark is dropped; CRLF, LF and CR line ends are recognised from the first
 *   line; the delimiter is `,` unless the header line has more `;`, tabs or `|`, or a first line
 *   `sep=;` (Excel's hint) names it.
 * - Refused with an ImportError: an empty file, binary input (NUL bytes, PNG, SQLite, ZIP/XLSX,
 *   PDF, gzip, UTF-16), more than MAX_COLUMNS columns, a quoted field never closed (naming the
 *   line where it opens), a record over MAX_RECORD_CHARS.
 * - Blank lines are skipped (they still count for line numbers). Every record must have as many
 *   cells as the header: one that does not, or whose quoted field does not end where its cell
 *   does (a stray quote, which makes the parser read on into the next lines), keeps its cells and
 *   says why in `shape`, naming the lines it spans, and the import skips it. So does a last
 *   line cut off inside a quoted field (a truncated file); a quote opened earlier and never
 *   closed is still an error for the whole file, since every later line is inside it.
 * - A file-level error is thrown from openCsv (found in the header) or from the batch iterator
 *   as soon as it is met; the rows of the unfinished batch are not handed out. Batches already
 *   handed out were read correctly. Cancelling throws the signal's AbortError the same way.
 *
 * Parsing is papaparse's own parser (fastest measured on ACLED-like data), driven chunk by chunk:
 * every call parses the text left over plus the new chunk and keeps the last, incomplete record
 * for the next call, which is what papaparse's stream reader does, but here we also know each
 * record's offsets and so its line.
 */
export type CsvOptions = {
  signal?: AbortSignal;
  /** Rows per batch (default 1000). A batch also ends early past 16 M characters of text. */
  batchSize?: number;
  /** 'utf8' (default) or 'auto' (UTF-8, else Windows-1252). */
  encoding?: 'utf8' | 'auto';
  /** Field delimiter; default: sniffed from the header line. */
  delimiter?: string;
  /** Size of a Readable source, for progress; ignored for a path (the file's size is used). */
  totalBytes?: number;
  /** Read size in bytes (default 64 KiB); small values are for tests of chunk boundaries. */
  chunkBytes?: number;
};

const BATCH_CHARS = 16 * 1024 * 1024;
const DELIMITERS = [',', '\t', ';', '|'];

/** Opens a CSV file (or stream) and reads up to its header row. */
export async function openCsv(source: string | Readable, options: CsvOptions = {}): Promise<TableReader> {
  let stream: Readable;
  let totalBytes: number | null;
  if (typeof source === 'string') {
    const st = await fsp.stat(source).catch(() => null);
    if (st === null || !st.isFile()) throw new ImportError('not_found', `cannot read "${source}": no such file`);
    totalBytes = st.size;
    stream = createReadStream(source, { highWaterMark: options.chunkBytes ?? 64 * 1024 });
  } else {
    stream = source;
    totalBytes = options.totalBytes ?? null;
  }
  const reader = new CsvReader(stream, totalBytes, options);
  try {
    await reader.readHeader();
  } catch (e) {
    await reader.close();
    throw e;
  }
  return reader;
}

/** The same as openCsv(...).batches(), for callers that need no header before the first batch. */
export async function* readCsv(
  source: string | Readable,
  options: CsvOptions = {},
): AsyncGenerator<TableBatch, void, undefined> {
  const reader = await openCsv(source, options);
  yield* reader.batches();
}

class CsvReader implements TableReader {
  header: string[] = [];
  headerLine = 0;
  private readonly it: AsyncIterator<Buffer | string>;
  private readonly signal: AbortSignal | undefined;
  private readonly batchSize: number;
  private readonly mode: 'utf8' | 'auto';
  private bytesRead = 0;
  private eof = false;
  private closed = false;
  private iterating = false;

  // decoding
  private enc: 'utf8' | 'windows-1252' = 'utf8';
  private sawNonAscii = false;
  private carry: Buffer | null = null;
  private head: Buffer | null = null;
  private sniffed = false;

  // parsing: `text` is decoded text not yet parsed, starting at a record boundary on line `textLine`
  private text = '';
  private textLine = 1;
  private minParseLen = 0;
  private parser: Papa.Parser | null = null;
  private delimiter: string | null;
  private skipSepLine = false;
  private newline: '\n' | '\r\n' | '\r' = '\n';
  private nlChar = '\n';
  private input = '';
  private scanPos = 0;
  private scanLine = 1;
  private lastEnd = 0;

  // output
  private gotHeader = false;
  private current: TableRow[] = [];
  private currentChars = 0;
  private ready: TableRow[][] = [];

  constructor(
    private readonly stream: Readable,
    readonly totalBytes: number | null,
    options: CsvOptions,
  ) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    this.signal = options.signal;
    this.batchSize = Math.max(1, options.batchSize ?? 1000);
    this.mode = options.encoding ?? 'utf8';
    this.delimiter = options.delimiter ?? null;
  }

  get encoding(): 'utf8' | 'windows-1252' {
    return this.enc;
  }

  async readHeader(): Promise<void> {
    while (!this.gotHeader && !this.eof) await this.pump();
    if (!this.gotHeader) {
      throw new ImportError('empty', 'the file is empty: it has no header row');
    }
  }

  async *batches(): AsyncGenerator<TableBatch, void, undefined> {
    if (this.iterating) throw new Error('batches() can be iterated only once');
    this.iterating = true;
    try {
      for (;;) {
        let rows: TableRow[] | undefined;
        while ((rows = this.ready.shift()) !== undefined) {
          this.signal?.throwIfAborted();
          yield { header: this.header, rows, bytesRead: this.bytesRead, totalBytes: this.totalBytes };
        }
        if (this.eof) {
          if (this.current.length > 0) {
            rows = this.current;
            this.current = [];
            yield { header: this.header, rows, bytesRead: this.bytesRead, totalBytes: this.totalBytes };
          }
          return;
        }
        await this.pump();
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
  }

  /** Reads one chunk, decodes it and parses what complete records there are. */
  private async pump(): Promise<void> {
    this.signal?.throwIfAborted();
    const r = await this.it.next();
    this.signal?.throwIfAborted();
    if (r.done) {
      this.eof = true;
      if (!this.sniffed && this.head !== null) this.take(this.sniff(this.head));
      this.text += this.decode(Buffer.alloc(0), true);
    } else {
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.bytesRead += chunk.length;
      if (this.sniffed) this.take(chunk);
      else {
        // Sniffing needs the first bytes together; a stream may deliver them a few at a time.
        this.head = this.head === null ? chunk : Buffer.concat([this.head, chunk]);
        if (this.head.length >= 64) {
          const h = this.head;
          this.head = null;
          this.take(this.sniff(h));
        }
      }
    }
    this.parseText();
  }

  private take(buf: Buffer): void {
    const nul = buf.indexOf(0);
    if (nul !== -1) {
      throw new ImportError(
        'binary',
        'the file holds NUL bytes: it is a binary file, not CSV text',
        this.byteLine(buf, nul),
      );
    }
    this.text += this.decode(buf, false);
  }

  /** Refuses what is plainly not CSV text and drops a UTF-8 byte-order mark. */
  private sniff(buf: Buffer): Buffer {
    this.sniffed = true;
    if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      this.sawNonAscii = true; // a BOM says UTF-8: later invalid bytes are not Windows-1252
      return buf.subarray(3);
    }
    if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
      throw new ImportError(
        'encoding',
        'the file is UTF-16 text (Excel "Unicode Text"); save it as "CSV UTF-8" and import that',
      );
    }
    for (const [magic, what] of MAGIC) {
      if (buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic)) {
        throw new ImportError('binary', `this is ${what}, not a CSV file`);
      }
    }
    let control = 0;
    const n = Math.min(buf.length, 8192);
    for (let i = 0; i < n; i++) {
      const b = buf[i] as number;
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1a && b !== 0x1b && b !== 0) control++;
    }
    if (control > n / 100)
      throw new ImportError('binary', 'the file holds control bytes: it is a binary file, not CSV text');
    return buf;
  }

  private decode(input: Buffer, eof: boolean): string {
    let buf = input;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, input]);
      this.carry = null;
    }
    if (buf.length === 0) return '';
    if (this.enc === 'windows-1252') return iconv.decode(buf, 'win1252');
    // A multi-byte character may straddle two chunks: keep its first bytes for the next call.
    const end = eof ? buf.length : utf8SafeEnd(buf);
    const body = end === buf.length ? buf : buf.subarray(0, end);
    if (isAscii(body)) {
      if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
      return body.toString('latin1');
    }
    if (isUtf8(body)) {
      this.sawNonAscii = true;
      if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
      return body.toString('utf8');
    }
    if (this.mode === 'auto' && !this.sawNonAscii) {
      this.enc = 'windows-1252';
      return iconv.decode(buf, 'win1252');
    }
    const bad = Math.max(0, firstInvalidUtf8(body));
    const byte = (body[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    const line = this.byteLine(body, bad);
    if (this.mode === 'auto') {
      throw new ImportError(
        'encoding',
        `byte 0x${byte} is not UTF-8, though earlier lines are: the file mixes encodings`,
        line,
      );
    }
    throw new ImportError(
      'encoding',
      `the file is not UTF-8 (byte 0x${byte}); save it as "CSV UTF-8" and import it again`,
      line,
    );
  }

  /** The line of byte `i` of a chunk not yet decoded (a newline byte is the same in UTF-8 and Windows-1252). */
  private byteLine(buf: Buffer, i: number): number {
    const nlByte = this.nlChar === '\r' ? 0x0d : 0x0a;
    let line = this.textLine + countChar(this.text, this.nlChar, 0, this.text.length);
    let p = buf.indexOf(nlByte);
    while (p !== -1 && p < i) {
      line++;
      p = buf.indexOf(nlByte, p + 1);
    }
    return line;
  }

  private parseText(): void {
    if (this.text.length === 0) return;
    if (!this.eof && this.text.length < this.minParseLen) return;
    if (this.parser === null && !this.setupDialect()) return;
    const input = this.text;
    this.input = input;
    this.scanPos = 0;
    this.scanLine = this.textLine;
    this.lastEnd = 0;
    (this.parser as Papa.Parser).parse(input, 0, !this.eof);
    const consumed = this.lastEnd;
    if (consumed > 0) {
      this.textLine = this.lineAt(consumed);
      this.text = consumed === input.length ? '' : input.slice(consumed);
      this.minParseLen = 0;
    } else if (!this.eof) {
      // No complete record yet: wait for twice as much text, so a long record is not re-parsed per chunk.
      this.minParseLen = input.length * 2;
      if (input.length > MAX_RECORD_CHARS) this.overflow(input);
    }
    this.input = '';
    if (this.eof) this.text = '';
  }

  /** Line ends and delimiter, from the first line. Returns false when more text is needed. */
  private setupDialect(): boolean {
    const t = this.text;
    const lf = t.indexOf('\n');
    const cr = t.indexOf('\r');
    if (lf === -1 && cr === -1 && !this.eof && t.length <= MAX_RECORD_CHARS) return false;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (cr === t.length - 1 && !this.eof) return false;
      this.newline = t.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
    } else this.newline = '\n';
    this.nlChar = this.newline === '\r' ? '\r' : '\n';
    const first = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
    const firstLine = first === -1 ? t : t.slice(0, first);
    // Excel writes "sep=;" as a first line to name the delimiter; it is not the header.
    if (firstLine.length === 5 && firstLine.slice(0, 4).toLowerCase() === 'sep=') {
      this.skipSepLine = true;
      this.delimiter ??= firstLine[4] as string;
    }
    this.delimiter ??= guessDelimiter(firstLine);
    this.parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: this.newline,
      step: (r: Papa.ParseStepResult<string[]>) => this.onRecord(r),
    });
    return true;
  }

  /** Called by papaparse for each record, with the offset just past it. */
  private onRecord(r: Papa.ParseStepResult<string[]>): void {
    const cells = (r.data as unknown as string[][])[0] as string[];
    const start = this.lastEnd;
    const end = r.meta.cursor;
    this.lastEnd = end;
    const line = this.lineAt(start);
    let stray = false;
    let cutOff = false;
    for (const e of r.errors) {
      if (e.code === 'MissingQuotes') {
        const at = (e.index ?? start + 1) - 1;
        // Opened on the last line of the file: a truncated last record, skipped like any of the wrong shape.
        const nl = this.input.indexOf(this.nlChar, at);
        if (this.eof && (nl === -1 || nl >= this.input.length - this.newline.length)) cutOff = true;
        else
          throw new ImportError(
            'unclosed_quote',
            'a quoted field starts here and is never closed',
            line + countChar(this.input, this.nlChar, start, at),
          );
      } else if (e.code === 'InvalidQuotes') stray = true;
    }
    if (cells.length > MAX_COLUMNS) {
      throw new ImportError(
        'too_many_columns',
        `${cells.length} columns; Casefile accepts at most ${MAX_COLUMNS}`,
        line,
      );
    }
    if (isBlank(cells)) return;
    if (this.skipSepLine) {
      this.skipSepLine = false;
      return;
    }
    if (!this.gotHeader) {
      this.gotHeader = true;
      this.headerLine = line;
      this.header = cells.map((c) => c.trim());
      return;
    }
    const want = this.header.length;
    if (cutOff || stray || cells.length !== want) {
      const last = line + countChar(this.input, this.nlChar, start, Math.max(start, end - this.newline.length));
      const lines = last > line ? ` (lines ${line}-${last} were read as one record: a stray quote?)` : '';
      const shape = cutOff
        ? `the last record is cut off inside a quoted field (${cells.length} of ${want} cells): the file is truncated`
        : cells.length !== want
          ? `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} where the header has ${want}${lines}`
          : `a quote inside a field does not close it${lines || ' (a stray quote?)'}`;
      this.current.push({ line, cells, shape });
    } else this.current.push({ line, cells });
    this.currentChars += end - start;
    if (this.current.length >= this.batchSize || this.currentChars >= BATCH_CHARS) {
      this.ready.push(this.current);
      this.current = [];
      this.currentChars = 0;
    }
  }

  /** Line number at offset `pos` of the text being parsed; offsets only move forward. */
  private lineAt(pos: number): number {
    if (pos > this.scanPos) {
      this.scanLine += countChar(this.input, this.nlChar, this.scanPos, pos);
      this.scanPos = pos;
    }
    return this.scanLine;
  }

  /** A record has grown past the limit: say why, as precisely as the text allows. */
  private overflow(input: string): never {
    const probe = new Papa.Parser({ delimiter: this.delimiter ?? ',', newline: this.newline });
    const res = probe.parse(input, 0, false) as Papa.ParseResult<string[]>;
    const first = res.data[0];
    if (first !== undefined && first.length > MAX_COLUMNS) {
      throw new ImportError(
        'too_many_columns',
        `${first.length} columns; Casefile accepts at most ${MAX_COLUMNS}`,
        this.textLine,
      );
    }
    const missing = res.errors.find((e) => e.code === 'MissingQuotes' && e.row === 0);
    if (missing !== undefined) {
      const at = (missing.index ?? 1) - 1;
      throw new ImportError(
        'unclosed_quote',
        `a quoted field starts here and is not closed within ${MAX_RECORD_CHARS} characters`,
        this.textLine + countChar(input, this.nlChar, 0, at),
      );
    }
    throw new ImportError(
      'record_too_long',
      `a record longer than ${MAX_RECORD_CHARS} characters: this is not a CSV file Casefile can read`,
      this.textLine,
    );
  }
}

const MAGIC: [Buffer, string][] = [
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'a PNG image'],
  [Buffer.from('SQLite format 3\0', 'latin1'), 'an SQLite database (perhaps a case file)'],
  [Buffer.from([0x50, 0x4b, 0x03, 0x04]), 'a ZIP archive (an .xlsx workbook? import it as XLSX)'],
  [Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'an old Excel .xls or Office file (save it as .xlsx or CSV)'],
  [Buffer.from('%PDF', 'latin1'), 'a PDF document'],
  [Buffer.from([0x1f, 0x8b]), 'a gzip-compressed file (unpack it first)'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'a JPEG image'],
];

function isBlank(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if ((cells[i] as string).trim() !== '') return false;
  return true;
}

function countChar(s: string, ch: string, from: number, to: number): number {
  let n = 0;
  let i = s.indexOf(ch, from);
  while (i !== -1 && i < to) {
    n++;
    i = s.indexOf(ch, i + 1);
  }
  return n;
}

function guessDelimiter(line: string): string {
  const counts = [0, 0, 0, 0];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted) {
      const k = DELIMITERS.indexOf(c);
      if (k !== -1) counts[k] = (counts[k] as number) + 1;
    }
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if ((counts[k] as number) > (counts[best] as number)) best = k;
  return DELIMITERS[best] as string;
}

/** Where the last complete UTF-8 character of `buf` ends (a lead byte near the end may lack its continuation). */
function utf8SafeEnd(buf: Buffer): number {
  const n = buf.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = buf[n - k] as number;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > k) return n - k;
    }
    return n;
  }
  return n;
}

/** Offset of the first byte that breaks UTF-8, or -1 (only called once a chunk is known to be bad). */
function firstInvalidUtf8(buf: Buffer): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    if (i + need >= n) return i;
    for (let k = 1; k <= need; k++) if (((buf[i + k] as number) & 0xc0) !== 0x80) return i;
    const b1 = buf[i + 1] as number;
    if (
      (b === 0xe0 && b1 < 0xa0) ||
      (b === 0xed && b1 > 0x9f) ||
      (b === 0xf0 && b1 < 0x90) ||
      (b === 0xf4 && b1 > 0x8f)
    )
      return i;
    i += need + 1;
  }
  return -1;
}
