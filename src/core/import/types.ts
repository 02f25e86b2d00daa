import type { DatePrecision } from '../../shared/domain/common';
import type { ATTRIBUTION, CONFIDENCE } from '../../shared/domain/fields';
import { CasefileError } from '../errors';

/**
 * What the import parsers hand to the database half: one incident row with every field of the
 * registry present (null where the file says nothing), plus what does not belong in the row.
 */
export type IncidentRecord = {
  date: string | null;
  date_precision: DatePrecision;
  event_type: string | null;
  sub_event_type: string | null;
  actor1: string | null;
  assoc_actors: string | null;
  target: string | null;
  attribution: (typeof ATTRIBUTION)[number];
  attributed_by: string | null;
  confidence: (typeof CONFIDENCE)[number] | null;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: number | null;
  fatalities: number | null;
  injuries: number | null;
  description: string | null;
  tags: string | null;
  external_id: string | null;
  origin: string;
};

export type RowOk = {
  ok: true;
  line: number;
  incident: IncidentRecord;
  /** Source citations named by the row (ACLED `source`, GTD `scite1..3`): trimmed, deduplicated. */
  sources: string[];
  /** ACLED `timestamp` (Unix seconds of the last upload): newer for a known id means an update. */
  timestamp: number | null;
  externalId: string | null;
  /** This row's date was the first to read only one way (`15/01/2015`): the file's order from here on. */
  settles?: { order: 'dmy' | 'mdy'; value: string };
};
/**
 * A row that is skipped: `line` is where it starts in the file, `field` the column at fault.
 * `retry`: its cells, when only the order of day and month is missing, which a later date of the
 * file may settle (the importer holds such rows back and maps them again).
 */
export type RowError = { ok: false; line: number; field: string | null; reason: string; retry?: string[] };
export type RowResult = RowOk | RowError;

export function rowErrorMessage(e: RowError): string {
  return `line ${e.line}: ${e.reason}`;
}

/**
 * One record of a CSV or sheet: `line` is the physical line (CSV) or row number (XLSX) it starts
 * on. `shape` says why a CSV record cannot be read as a row (it has not as many cells as the
 * header, or a stray quote ran it over several lines): the row is skipped with that reason.
 */
export type TableRow = { line: number; cells: string[]; shape?: string };
export type TableBatch = {
  header: string[];
  rows: TableRow[];
  /** Bytes of the file consumed so far (for XLSX: compressed bytes), for a progress bar. */
  bytesRead: number;
  /** Size of the file, or null when reading a stream of unknown length. */
  totalBytes: number | null;
};

/**
 * An opened table file. `header` is known as soon as `open*` resolves, so the caller can pick a
 * mapper before reading rows. `batches()` can be iterated once; each batch is read only when the
 * caller asks for it, which is the backpressure: nothing is read ahead while a batch is written.
 */
export type TableReader = {
  readonly header: string[];
  readonly headerLine: number;
  readonly totalBytes: number | null;
  /** CSV: the encoding decoded so far ('utf8' until a Windows-1252 byte is met in 'auto' mode). */
  readonly encoding: 'utf8' | 'windows-1252';
  batches(): AsyncGenerator<TableBatch, void, undefined>;
  /** Releases the file when the caller stops before the end (the iterator does it on its own at the end). */
  close(): Promise<void>;
};

export type ImportProblem =
  | 'not_found'
  | 'empty'
  | 'binary'
  | 'encoding'
  | 'too_many_columns'
  | 'unclosed_quote'
  | 'record_too_long'
  | 'not_xlsx';

/** A file-level problem that stops an import; the message starts with `line N:` when there is a line. */
export class ImportError extends CasefileError {
  constructor(
    readonly problem: ImportProblem,
    message: string,
    readonly line: number | null = null,
  ) {
    super('validation', line === null ? message : `line ${line}: ${message}`);
    this.name = 'ImportError';
  }
}

/** Limits that keep a hostile or broken file from exhausting memory. */
export const MAX_COLUMNS = 10_000;
/** One record (all its cells) may hold this many characters; more means an unclosed quote or not a CSV. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;
