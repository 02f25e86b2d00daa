import type { ImportRecordView } from '../../shared/channels/import';
import type { CaseFile } from '../write/case-file';
import { CasefileError, refuse } from '../errors';
import { runTask } from '../tasks/run-task';
import type { RemoveResult } from './remove-task';
import type { Db } from '../db/open';
import { IMPORT_RECORD_PREFIX } from './writer';

/** Incidents read per page when an import's rows are removed. */
const PAGE = 2000;
/**
 * The most incidents one removal takes. It is one undo step, and a step's changes (each row as it
 * was) stay in memory until it leaves the undo stack: measured at 100,000 incidents (330,000 rows
 * with their citations), 630 MB at the peak to remove and 1 GB to undo, so a million would not
 * fit in the app's memory.
 */
export const MAX_REMOVED = 250_000;
/** Imports listed, newest first (a case file rarely has more; the oldest beyond are not shown). */
const LISTED = 200;

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : null);
const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);

/**
 * The imports recorded in the case file (each import writes a record beside its rows, under its
 * change-log txn), newest first. A record's text is the file's (or a colleague's): each value is
 * checked, and one that is not an import record (a settlement of conflicts) is left out.
 */
export function listImports(db: Db): ImportRecordView[] {
  const rows = db
    .prepare('SELECT substr(key, ?) AS txn, value FROM meta WHERE key > ? AND key < ? ORDER BY key DESC')
    .all(IMPORT_RECORD_PREFIX.length + 1, IMPORT_RECORD_PREFIX, `${IMPORT_RECORD_PREFIX}\uffff`) as {
    txn: string;
    value: unknown;
  }[];
  const out: ImportRecordView[] = [];
  for (const r of rows) {
    if (out.length >= LISTED) break;
    let v: Record<string, unknown>;
    try {
      v = typeof r.value === 'string' ? (JSON.parse(r.value) as Record<string, unknown>) : {};
    } catch {
      continue;
    }
    const file = text(v?.file);
    if (file === null || v.kind !== undefined) continue;
    const imported = count(v.imported);
    const removed = typeof v.removed === 'object' && v.removed !== null ? (v.removed as Record<string, unknown>) : null;
    out.push({
      txn: r.txn,
      file,
      format: text(v.format) ?? '',
      at: text(v.at),
      author: text(v.author),
      imported,
      updated: count(v.updated),
      removable: imported <= MAX_REMOVED,
      removed: removed ? { at: text(removed.at), by: text(removed.by) } : null,
    });
  }
  return out;
}

export type RemoveOptions = {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | null, message?: string) => void;
  /**
   * For good: no undo step, so no bound. A worker removes the rows set by set in SQL, logging
   * each by its id alone (remove-task.ts), and the Undo history is cleared afterwards, since
   * earlier steps may touch the rows removed.
   */
  permanent?: boolean;
};

/**
 * Removes the incidents an import added that are still in the case file, with their citations
 * (and the comments on those): what an analyst does after importing the wrong file. Rows the
 * import only updated keep their updates; sources it created stay in the library (uncited ones
 * can be deleted there).
 * - As one undoable step, at most `max` incidents: run between turns of the event loop like a
 *   large merge (progress, other writes refused with the reason, `signal` rolls it all back).
 * - For good (`permanent`), any number: in a task worker, one transaction; `signal` stops it
 *   and nothing is removed.
 */
export async function removeImport(
  cf: CaseFile,
  txn: string,
  opts: RemoveOptions = {},
  max = MAX_REMOVED,
): Promise<{ removed: number }> {
  const record = listImports(cf.db).find((r) => r.txn === txn);
  if (!record) throw new CasefileError('not_found', 'That import is not recorded in this case file');
  if (opts.permanent) return removeForGood(cf, txn, record.file, opts);
  const page = cf.db.prepare(
    `SELECT seq, row_id FROM change_log WHERE txn = ? AND tbl = 'incidents' AND op = 'insert' AND seq > ? ORDER BY seq LIMIT ${PAGE}`,
  );
  // The record's count decides at once, without reading the log (a million entries take seconds);
  // the log's own entries are what is removed, and they are held to the same bound.
  const tooMany = (n: number) =>
    refuse(
      `${record.file} added ${n.toLocaleString('en-US')} incidents, more than one removal can take (${max.toLocaleString('en-US')}): a removal is one step that Undo can bring back, and it is held in memory for that. Nothing was removed. They can be removed for good instead (no Undo).`,
    );
  if (record.imported > max) throw tooMany(record.imported);
  return cf.actionAsync(
    `Remove the rows of ${record.file}`,
    async (tx, step) => {
      let total = record.imported;
      let done = 0;
      let removed = 0;
      const tell = () =>
        opts.onProgress?.(
          done,
          total,
          `Removing the import's rows: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
        );
      tell();
      for (let after = 0; ;) {
        const rows = page.all(txn, after) as { seq: number; row_id: string }[];
        if (rows.length === 0) break;
        if (done + rows.length > max) throw tooMany(done + rows.length);
        for (const r of rows) {
          if (tx.delete('incidents', r.row_id)) removed++;
          done++;
          await step();
        }
        after = rows.at(-1)!.seq;
        total = Math.max(total, done);
        tell();
      }
      return { removed };
    },
    { reason: `The removal of the rows of ${record.file}`, ...(opts.signal ? { signal: opts.signal } : {}) },
  );
}

async function removeForGood(
  cf: CaseFile,
  txn: string,
  file: string,
  opts: RemoveOptions,
): Promise<{ removed: number }> {
  cf.checkWritable();
  const release = cf.holdWrites(`The removal of the rows of ${file}`);
  let r: RemoveResult;
  try {
    r = await runTask(
      { kind: 'import-remove', caseFile: cf.path, txn, author: cf.author, node: cf.clock.node },
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (p) => opts.onProgress?.(p.done, p.total, p.message),
      },
    );
  } finally {
    release();
  }
  if (r.maxHlc) cf.clock.observe(r.maxHlc);
  cf.forgetHistory();
  return { removed: r.removed };
}
