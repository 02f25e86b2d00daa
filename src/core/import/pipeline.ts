import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { CasefileError, refuse } from '../errors';
import { APPLICATION_ID, SCHEMA_VERSION } from '../db/migrations';
import type { Db } from '../db/open';
import { runTask } from '../tasks/run-task';
import type { TaskMessage } from '../tasks/protocol';
import type { z } from 'zod';
import type { ImportProgress as ImportProgressSchema } from '../../shared/channels/import';
import { detectAcledLayout } from './acled';
import { headerSignature, suggestMapping, type ColumnMapping } from './generic';
import { isGtdHeader } from './gtd';
import { isUcdpHeader } from './ucdp';
import { fileError, openTable } from './open-table';
import { mapBatch, mapperFor, readMapped, type MappedBatch, type Mapper, type MapperSpec } from './read-ahead';
import type { ImportFormat } from './source-names';
import type { RowOk, TableReader } from './types';
import { HeldForDateOrder, MAX_HELD, type DatesReport } from './held-rows';
import type { DateOrder } from './values';
import { DATE_ORDER_PREFIX, ImportWriter, MAPPING_PREFIX, type Conflict } from './writer';
import { MAX_CONFLICTS, storeConflicts } from './conflicts';

/**
 * Imports a data file (ACLED, GTD, any CSV or XLSX with a column mapping) into a case file.
 *
 *   const report = await importFile(caseFilePath, 'acled.csv', { author, node, signal, onProgress });
 *
 * It runs in a worker thread with its own read-write connection (the app's connection stays
 * open and idle; WAL lets it go on reading), in ONE transaction: a cancel terminates the worker
 * and a file-level error rolls back, and either way the case file is as it was. The reading is
 * streamed in batches (memory stays bounded whatever the file size); see writer.ts for what is
 * written and why.
 */
/** Declared once, beside the import's other channel types; `phase` names the step before the commit. */
export type ImportProgress = z.infer<typeof ImportProgressSchema>;
export type ImportReport = {
  format: ImportFormat;
  layout: string | null;
  imported: number;
  updated: number;
  unchanged: number;
  /** Rows the analyst deleted from the case file: left deleted, not imported again. */
  deletedKept: number;
  skipped: number;
  /** Skipped rows, line and reason: the first MAX_ERRORS of them (`skipped` counts them all). */
  errors: { line: number; reason: string }[];
  conflicts: Conflict[];
  sourcesCreated: number;
  citationsCreated: number;
  /** Which order of day and month read dates such as `09/05/2021`, and why (null when no date needed one). */
  dates: DatesReport | null;
};
export type ImportOptions = {
  author: string;
  node: string;
  format?: ImportFormat;
  mapping?: Record<string, string | null>;
  /** How a generic table writes `09/05/2020` (see ImportJob.dateOrder). */
  dateOrder?: DateOrder | null;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  nativeBinding?: string;
  /** Default true. false runs the same code on the caller's thread (tests and the benchmark compare the two). */
  inWorker?: boolean;
  /** See ImportJob.readAheadFrom. */
  readAheadFrom?: number;
};

/** What the worker is asked to do (the 'import' task of tasks/protocol.ts). */
export type ImportJob = {
  caseFile: string;
  data: string;
  author: string;
  node: string;
  format?: ImportFormat;
  mapping?: Record<string, string | null>;
  /**
   * A generic table's `09/05/2020`: day first ('dmy'), month first ('mdy'), or null: such a date
   * skips its row as ambiguous. Remembered with the mapping; without either, the order remembered
   * for files with this header.
   */
  dateOrder?: DateOrder | null;
  nativeBinding?: string;
  /** Files of at least this many bytes are read on a thread of their own (default READ_AHEAD_BYTES; tests set 0). */
  readAheadFrom?: number;
};

/** 4 MB: about 9,000 ACLED rows, a fifth of a second to parse; below it a thread costs more than it saves. */
export const READ_AHEAD_BYTES = 4 * 1024 * 1024;

export const MAX_ERRORS = 10_000;
const PROGRESS_MS = 100;

export async function importFile(caseFilePath: string, dataPath: string, opts: ImportOptions): Promise<ImportReport> {
  const job: ImportJob = {
    caseFile: caseFilePath,
    data: dataPath,
    author: opts.author,
    node: opts.node,
    ...(opts.format ? { format: opts.format } : {}),
    ...(opts.mapping ? { mapping: opts.mapping } : {}),
    ...(opts.dateOrder !== undefined ? { dateOrder: opts.dateOrder } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readAheadFrom !== undefined ? { readAheadFrom: opts.readAheadFrom } : {}),
  };
  if (opts.inWorker === false) {
    try {
      return await runImportJob(job, { signal: opts.signal, onProgress: opts.onProgress });
    } catch (e) {
      if (opts.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
      throw e;
    }
  }
  try {
    return await runTask(
      { kind: 'import', ...job },
      {
        signal: opts.signal,
        // The worker's progress messages carry the import's own figures beside the generic ones.
        onProgress: (m) => {
          const p = (m as { import?: ImportProgress }).import;
          if (p) opts.onProgress?.(p);
        },
      },
    );
  } catch (e) {
    // runTask settles as soon as it asks the worker to stop; the worker's transaction is rolled
    // back when its thread is gone. Wait for that, so that "Cancelled" means the file is free.
    if (opts.signal?.aborted) await lockReleased(caseFilePath, job.nativeBinding);
    throw e;
  }
}

/**
 * Resolves once the case file's write lock can be taken (then releases it at once). Polled
 * without a busy timeout, so this thread never waits inside SQLite; gives up after `maxMs`.
 */
export async function lockReleased(path: string, nativeBinding: string | undefined, maxMs = 60_000): Promise<void> {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch {
    return;
  }
  try {
    db.pragma('trusted_schema = OFF');
    const until = Date.now() + maxMs;
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return;
      } catch {
        if (Date.now() > until) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    db.close();
  }
}

/** The `task.progress` form of an import's progress: rows done, an estimate of the total, and a line for people. */
export function progressEvent(p: ImportProgress): { done: number; total: number | null; message: string } {
  const total =
    p.totalBytes !== null && p.bytes > 0 && p.percent !== null && p.percent < 100
      ? Math.round((p.rows * p.totalBytes) / p.bytes)
      : p.percent === 100
        ? p.rows
        : null;
  const pct = p.percent === null ? '' : `, ${Math.floor(p.percent)}%`;
  if (p.phase) return { done: p.rows, total, message: `${p.rows.toLocaleString('en-US')} rows read; ${p.phase}` };
  return {
    done: p.rows,
    total,
    message: `${p.rows.toLocaleString('en-US')} rows${pct}, ${p.rowsPerSecond.toLocaleString('en-US')} rows/s`,
  };
}

/**
 * The worker's side: runs the job and reports progress, the result or the error as task messages.
 * The result is posted as soon as the import has committed; copying the write-ahead log into the
 * file (a checkpoint, seconds for a large import) happens after, still on this thread.
 */
export function runImportTask(job: ImportJob, post: (m: TaskMessage) => void): void {
  importJob(job, {
    onProgress: (p) => {
      const m: TaskMessage & { import: ImportProgress } = { type: 'progress', ...progressEvent(p), import: p };
      post(m);
    },
  }).then(
    ({ report, settle }) => {
      post({ type: 'done', result: report });
      settle();
    },
    (e: unknown) =>
      post({
        type: 'error',
        code: e instanceof CasefileError ? e.code : 'internal',
        message: e instanceof Error ? e.message : String(e),
      }),
  );
}

/** A read-write connection of the import's own, on a file the app already checked (or the CLI did). */
export function openForImport(path: string, nativeBinding: string | undefined): Db {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (e) {
    throw new CasefileError('not_found', `${basename(path)}: cannot open the case file (${(e as Error).message})`);
  }
  try {
    db.pragma('trusted_schema = OFF');
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID)
      throw refuse(`${basename(path)} is not a Casefile case file`);
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v !== SCHEMA_VERSION)
      throw refuse(
        `${basename(path)} has schema version ${v}; open it in this Casefile first (version ${SCHEMA_VERSION})`,
      );
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // The app's connection may be finishing a write; a cancelled import's worker may still be letting go of the lock.
    db.pragma('busy_timeout = 15000');
    db.pragma('cache_size = -131072');
    // The commit does not copy the log into the file itself: settle() does, once the result is out.
    db.pragma('wal_autocheckpoint = 0');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The order of day and month remembered with the mapping for files with this header: undefined when none was. */
export function rememberedDateOrder(db: Db, header: readonly string[]): DateOrder | null | undefined {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(`${DATE_ORDER_PREFIX}${headerSignature(header)}`) as
    { value: string } | undefined;
  if (!r) return undefined;
  return r.value === 'dmy' || r.value === 'mdy' ? r.value : null;
}

/** Reads the remembered mapping for files with this header, if the analyst confirmed one before. */
export function rememberedMapping(db: Db, header: readonly string[]): ColumnMapping | null {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(`${MAPPING_PREFIX}${headerSignature(header)}`) as
    { value: string } | undefined;
  if (!r) return null;
  try {
    const m = JSON.parse(r.value) as unknown;
    return m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as ColumnMapping) : null;
  } catch {
    return null;
  }
}

function chooseMapper(
  db: Db,
  header: string[],
  format: ImportFormat,
  mapping: Record<string, string | null> | undefined,
  dateOrder: DateOrder | null | undefined,
  name: string,
): {
  spec: MapperSpec;
  layout: string | null;
  remember: ColumnMapping | null;
  dateOrder: DateOrder | null;
  orderSource: 'chosen' | 'remembered' | null;
} {
  if (format === 'acled') {
    const layout = detectAcledLayout(header);
    if (layout === null)
      throw new CasefileError(
        'validation',
        `${name}: not an ACLED export: the header needs event_id_cnty, event_date, event_type, actor1, country and fatalities`,
      );
    return {
      spec: { kind: 'acled', ...(dateOrder ? { dateOrder } : {}) },
      layout,
      remember: null,
      dateOrder: dateOrder ?? null,
      orderSource: dateOrder ? 'chosen' : null,
    };
  }
  if (format === 'gtd') {
    if (!isGtdHeader(header))
      throw new CasefileError(
        'validation',
        `${name}: not a GTD file: the header needs eventid, iyear, imonth and iday`,
      );
    // GTD dates are three numbers (iyear, imonth, iday): no order to choose.
    return { spec: { kind: 'gtd' }, layout: null, remember: null, dateOrder: null, orderSource: null };
  }
  if (format === 'ucdp') {
    if (!isUcdpHeader(header))
      throw new CasefileError(
        'validation',
        `${name}: not a UCDP GED file: the header needs id, side_a, side_b, date_start, date_prec, best and type_of_violence`,
      );
    // GED dates are ISO (date_start, date_end): no order to choose.
    return { spec: { kind: 'ucdp' }, layout: null, remember: null, dateOrder: null, orderSource: null };
  }
  const chosen = (mapping as ColumnMapping | undefined) ?? rememberedMapping(db, header) ?? suggestMapping(header);
  const present = new Set(header.map((h) => h.trim().toLowerCase()));
  // A column the analyst named that the file lacks (a typo: "Kiled") would leave its field empty in every row.
  if (mapping) {
    for (const [col, t] of Object.entries(mapping)) {
      if (t === null || present.has(col.trim().toLowerCase())) continue;
      const near = nearestHeader(col, header);
      throw new CasefileError(
        'validation',
        `${name}: the mapping names a column "${col}" (for ${t}) that the file does not have${near ? `; the nearest is "${near}"` : ''}`,
      );
    }
  }
  if (!Object.entries(chosen).some(([col, t]) => t !== null && present.has(col.trim().toLowerCase()))) {
    throw new CasefileError(
      'validation',
      `${name}: no column is mapped to a field; choose a field for at least one column`,
    );
  }
  try {
    // Rows are matched on re-import by (origin, external id): the file's name as their origin keeps
    // two unrelated spreadsheets that both number their rows 1, 2, 3 from updating each other's
    // rows; the same file imported again (or a column mapped to origin) still matches.
    const remembered = dateOrder !== undefined ? null : (rememberedDateOrder(db, header) ?? null);
    const order = dateOrder ?? remembered;
    const spec: MapperSpec = { kind: 'csv', mapping: chosen, origin: name, ...(order ? { dateOrder: order } : {}) };
    mapperFor(spec, header); // refuses a mapping to a field that does not exist, before anything is written
    return {
      spec,
      layout: null,
      remember: mapping ? (mapping as ColumnMapping) : null,
      dateOrder: dateOrder ?? null,
      orderSource: dateOrder ? 'chosen' : remembered ? 'remembered' : null,
    };
  } catch (e) {
    throw new CasefileError('validation', `${name}: ${(e as Error).message}`);
  }
}

/** The header closest to `col` by edit distance (case and spacing ignored), or null when none is close. */
export function nearestHeader(col: string, header: readonly string[]): string | null {
  const a = col.trim().toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const h of header) {
    const d = editDistance(a, h.trim().toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = h;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.ceil(a.length / 2)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The rows of a small file, read and mapped on this thread. */
async function* mapHere(reader: TableReader, mapper: Mapper): AsyncGenerator<MappedBatch, void, undefined> {
  for await (const batch of reader.batches())
    yield { results: mapBatch(mapper, batch.rows), bytesRead: batch.bytesRead };
}

type Hooks = { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void };

/** The import itself, on whichever thread calls it. */
export async function runImportJob(job: ImportJob, hooks: Hooks): Promise<ImportReport> {
  const { report, settle } = await importJob(job, hooks);
  settle();
  return report;
}

/**
 * Runs the import; on success the connection stays open for `settle`, which checkpoints the
 * write-ahead log (passive: it never waits for the app's readers) and closes it.
 */
async function importJob(job: ImportJob, hooks: Hooks): Promise<{ report: ImportReport; settle: () => void }> {
  const name = basename(job.data);
  const db = openForImport(job.caseFile, job.nativeBinding ?? (process.env.CASEFILE_SQLITE_BINDING || undefined));
  let committed = false;
  let writer: ImportWriter | null = null;
  let reader: Awaited<ReturnType<typeof openTable>>['reader'] | null = null;
  try {
    const opened = await openTable(job.data, { format: job.format, signal: hooks.signal });
    reader = opened.reader;
    const format: ImportFormat = job.format ?? opened.detected.format;
    const { spec, layout, remember, dateOrder, orderSource } = chooseMapper(
      db,
      reader.header,
      format,
      job.mapping,
      job.dateOrder,
      name,
    );
    const header = reader.header;
    const totalBytes = reader.totalBytes;
    // A large file is read and mapped on a thread of its own (read-ahead.ts); a small one here,
    // where starting a thread would cost more than it saves.
    const readAhead = totalBytes === null || totalBytes >= (job.readAheadFrom ?? READ_AHEAD_BYTES);
    let batches: AsyncIterable<MappedBatch>;
    if (readAhead) {
      await reader.close();
      reader = null;
      batches = readMapped({ data: job.data, format, mapper: spec }, { signal: hooks.signal });
    } else batches = mapHere(reader, mapperFor(spec, header));

    writer = new ImportWriter(db, { author: job.author, node: job.node, format, dataPath: job.data });
    writer.begin();
    const errors: { line: number; reason: string }[] = [];
    let skipped = 0;
    let rows = 0;
    let bytes = 0;
    const started = performance.now();
    let lastReport = -Infinity;
    const report = (force: boolean, done: boolean, phase?: string) => {
      const t = performance.now();
      if (!force && t - lastReport < PROGRESS_MS) return;
      lastReport = t;
      const secs = Math.max(0.001, (t - started) / 1000);
      const percent = done ? 100 : totalBytes ? Math.min(99.9, (bytes / totalBytes) * 100) : null;
      hooks.onProgress?.({
        rows,
        bytes,
        totalBytes,
        rowsPerSecond: Math.round(rows / secs),
        percent,
        ...(phase ? { phase } : {}),
      });
    };
    report(true, false);
    const w = writer;
    const skip = (line: number, reason: string) => {
      skipped++;
      if (errors.length < MAX_ERRORS) errors.push({ line, reason });
    };
    const write = (r: RowOk) => {
      try {
        w.write(r);
      } catch (e) {
        // Mapped rows are validated, so this is a database failure (disk full, a locked file): stop, naming the row.
        throw new CasefileError('internal', `${name}: line ${r.line}: could not be written: ${(e as Error).message}`);
      }
    };
    // Rows whose date reads both ways, held until a later date of the file settles the order (date-order.ts).
    const order = new HeldForDateOrder(
      orderSource === null ? null : ((spec as { dateOrder?: DateOrder }).dateOrder ?? null),
      orderSource,
    );
    for await (const batch of batches) {
      for (const r of batch.results) {
        if (r.ok) {
          write(r);
          if (r.settles && order.settle(r.line, r.settles.order, r.settles.value)) {
            // The rows held so far are read again in the order now known.
            const m = mapperFor({ ...spec, dateOrder: r.settles.order } as MapperSpec, header);
            for (const h of order.release()) {
              const again = m.map(h.cells, h.line);
              if (again.ok) write(again);
              else skip(again.line, again.reason);
            }
          }
        } else if (!r.retry) skip(r.line, r.reason);
        else if (!order.hold(r.line, r.retry, r.reason)) {
          skip(
            r.line,
            `${r.reason}; ${MAX_HELD.toLocaleString('en-US')} rows already wait for a date that settles the order: choose it (--date-order dmy or mdy, or beside the mapping in the Import tab)`,
          );
        }
      }
      rows += batch.results.length;
      bytes = batch.bytesRead;
      hooks.signal?.throwIfAborted();
      report(false, false);
    }
    // Never settled: such rows are skipped, and the reason names the choice that reads them.
    const never = order.release();
    for (const h of never)
      skip(
        h.line,
        `${h.reason}; no date in the file settles the order: choose it (--date-order dmy or mdy, or beside the mapping in the Import tab)`,
      );
    if (never.length > 0) errors.sort((a, b) => a.line - b.line);
    bytes = totalBytes ?? bytes;
    // Everything is read; the search index and the statistics are built next (a while for a million rows).
    report(true, true);
    const c = writer.counts;
    if (skipped > 0 && skipped === rows) {
      // Every row was skipped: nothing is kept, not even the import's record or its mapping.
      writer.rollback();
      return {
        report: {
          format,
          layout,
          imported: 0,
          updated: 0,
          unchanged: 0,
          deletedKept: 0,
          skipped,
          errors,
          conflicts: [],
          sourcesCreated: 0,
          citationsCreated: 0,
          dates: order.summary(never.length),
        },
        settle: () => undefined,
      };
    }
    // Kept with the import, for the analyst to settle later (conflicts.ts).
    storeConflicts(db, writer.txn, writer.conflicts);
    // A large load then spends a minute or more on indexes and search before its one COMMIT: each step is reported.
    writer.finish(
      { file: name, format, layout, skipped },
      format === 'csv' && remember ? { signature: headerSignature(header), mapping: remember, dateOrder } : null,
      (phase) => report(true, true, phase),
    );
    committed = true;
    const result: ImportReport = {
      format,
      layout,
      imported: c.imported,
      updated: c.updated,
      unchanged: c.unchanged,
      deletedKept: c.deletedKept,
      skipped,
      errors,
      conflicts: writer.conflicts.slice(0, MAX_CONFLICTS),
      sourcesCreated: c.sourcesCreated,
      citationsCreated: c.citationsCreated,
      dates: order.summary(never.length),
    };
    const settle = () => {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        /* the next checkpoint, by any connection, copies it */
      } finally {
        db.close();
      }
    };
    return { report: result, settle };
  } catch (e) {
    writer?.rollback();
    throw fileError(job.data, e);
  } finally {
    await reader?.close();
    if (!committed) db.close();
  }
}
