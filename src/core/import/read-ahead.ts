import { Worker } from 'node:worker_threads';
import { CasefileError } from '../errors';
import { workerEntry } from '../tasks/run-task';
import { createAcledMapper } from './acled';
import { createGenericMapper, type ColumnMapping } from './generic';
import type { DateOrder } from './values';
import { createGtdMapper } from './gtd';
import { createUcdpMapper } from './ucdp';
import { openTable } from './open-table';
import type { ImportFormat } from './source-names';
import { ImportError, type ImportProblem, type RowResult, type TableRow } from './types';

/**
 * Reading and mapping a data file on a thread of its own, while the import's thread writes.
 *
 * Parsing the CSV and mapping its rows is about as much work as writing them (21 s of a
 * million-row ACLED import, measured): on one thread the two take turns, on two they overlap.
 * The import's thread opens the file up to its header, picks the mapper (a remembered mapping
 * needs the case file) and closes it; the reader thread opens it again and posts mapped rows in
 * batches. It runs at most AHEAD batches ahead of the writer (each batch acknowledged as taken),
 * so memory stays bounded whatever the file's size.
 *
 *   for await (const b of readMapped({ data, format, mapper: { kind: 'acled' } }, { signal })) write(b.results)
 *
 * A file-level problem (an unclosed quote, bytes that are not UTF-8) ends the iteration with the
 * same ImportError, line and all, that reading on the import's thread would have thrown.
 */
export type MapperSpec =
  | { kind: 'acled'; dateOrder?: DateOrder }
  | { kind: 'gtd' }
  | { kind: 'ucdp' }
  | { kind: 'csv'; mapping: ColumnMapping; origin: string; dateOrder?: DateOrder };
export type ReadJob = { data: string; format: ImportFormat; mapper: MapperSpec };
export type MappedBatch = { results: RowResult[]; bytesRead: number };

export type Mapper = { map(cells: readonly string[], line: number): RowResult };
type ToImport =
  | { type: 'batch'; results: RowResult[]; bytesRead: number }
  | { type: 'end' }
  | { type: 'error'; problem: ImportProblem | null; line: number | null; code: string; message: string };
type ToReader = { type: 'taken' };

/** Batches the reader may post before the writer has taken any: enough to keep both threads busy. */
const AHEAD = 4;

export function mapperFor(spec: MapperSpec, header: readonly string[]): Mapper {
  if (spec.kind === 'acled') return createAcledMapper(header, { dateOrder: spec.dateOrder ?? null });
  if (spec.kind === 'gtd') return createGtdMapper(header);
  if (spec.kind === 'ucdp') return createUcdpMapper(header);
  return createGenericMapper(header, spec.mapping, {
    origin: spec.origin,
    ...(spec.dateOrder ? { dateOrder: spec.dateOrder } : {}),
  });
}

/** A batch of a table's rows, mapped: what either thread hands the writer. */
export function mapBatch(mapper: Mapper, rows: readonly TableRow[]): RowResult[] {
  return rows.map((row) =>
    row.shape === undefined
      ? mapper.map(row.cells, row.line)
      : { ok: false, line: row.line, field: null, reason: row.shape },
  );
}

/** The reader thread's side (the task worker's 'import-read' kind). */
export function runReadTask(
  job: ReadJob,
  port: { postMessage(m: ToImport): void; on(ev: 'message', fn: (m: ToReader) => void): void },
): void {
  let credit = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', (m) => {
    if (m.type !== 'taken') return;
    credit++;
    const w = wake;
    wake = null;
    w?.();
  });
  void (async () => {
    const { reader } = await openTable(job.data, { format: job.format });
    try {
      const mapper = mapperFor(job.mapper, reader.header);
      for await (const batch of reader.batches()) {
        const results = mapBatch(mapper, batch.rows);
        while (credit === 0) await new Promise<void>((r) => (wake = r));
        credit--;
        port.postMessage({ type: 'batch', results, bytesRead: batch.bytesRead });
      }
    } finally {
      await reader.close();
    }
    port.postMessage({ type: 'end' });
  })().catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({
      type: 'error',
      problem: e instanceof ImportError ? e.problem : null,
      line: e instanceof ImportError ? e.line : null,
      code: e instanceof CasefileError ? e.code : 'internal',
      message: err.message,
    });
  });
}

/** The error the reader thread met, as it was thrown there. */
function rebuilt(m: Extract<ToImport, { type: 'error' }>): Error {
  if (m.problem !== null) {
    const prefix = m.line === null ? '' : `line ${m.line}: `;
    return new ImportError(
      m.problem,
      m.message.startsWith(prefix) ? m.message.slice(prefix.length) : m.message,
      m.line,
    );
  }
  return new CasefileError(m.code as never, m.message);
}

/**
 * The mapped rows of a data file, read on a thread of its own. Stopping early (a break, an
 * error in the caller, or `signal`) ends that thread.
 */
export async function* readMapped(
  job: ReadJob,
  opts: { signal?: AbortSignal; onThread?: (w: Worker) => void } = {},
): AsyncGenerator<MappedBatch, void, undefined> {
  const { signal } = opts;
  const worker = new Worker(workerEntry(), { workerData: { kind: 'import-read', ...job } });
  opts.onThread?.(worker); // tests watch it end
  const queue: ToImport[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const push = (m: ToImport) => {
    queue.push(m);
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', push);
  worker.on('error', (e) => {
    failure ??= e;
    push({ type: 'end' });
  });
  const onExit = (code: number) => {
    failure ??= new Error(`the reader thread stopped (exit ${code})`);
    push({ type: 'end' });
  };
  worker.on('exit', onExit);
  const onAbort = () => push({ type: 'end' });
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      signal?.throwIfAborted();
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      signal?.throwIfAborted();
      if (m.type === 'batch') {
        worker.postMessage({ type: 'taken' } satisfies ToReader);
        yield { results: m.results, bytesRead: m.bytesRead };
      } else if (m.type === 'error') throw rebuilt(m);
      else {
        if (failure) throw failure;
        return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.off('exit', onExit);
    await worker.terminate();
  }
}
