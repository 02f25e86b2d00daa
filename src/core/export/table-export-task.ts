import Database from 'better-sqlite3';
import { CasefileError } from '../errors';
import type { TaskMessage } from '../tasks/protocol';
import { writeExport, type ExportSpec } from './export-table';

/** The 'export' task of tasks/protocol.ts: a view or table written to `tmp` (the caller renames it). */
export type ExportJob = { caseFile: string; tmp: string; spec: ExportSpec };

/**
 * Runs in a task worker, with a read-only connection of its own on the case file the app has
 * open (WAL lets both read). One read transaction holds one snapshot for the whole export, so
 * edits made while it runs are either all in the file or none. Posts its own result.
 */
export function runExportTask(job: ExportJob, post: (m: TaskMessage) => void, nativeBinding?: string): void {
  let db: Database.Database;
  try {
    db = new Database(job.caseFile, {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    db.pragma('trusted_schema = OFF');
    db.exec('BEGIN');
  } catch (e) {
    post({ type: 'error', code: 'not_found', message: `cannot read the case file: ${(e as Error).message}` });
    return;
  }
  writeExport(db, job.spec, job.tmp, { onProgress: (p) => post({ type: 'progress', ...p }) })
    .then(
      (r) => post({ type: 'done', result: r }),
      (e: unknown) =>
        post({
          type: 'error',
          code: e instanceof CasefileError ? e.code : 'internal',
          message: e instanceof Error ? e.message : String(e),
        }),
    )
    .finally(() => db.close());
}
