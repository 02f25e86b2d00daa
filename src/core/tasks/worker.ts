import { parentPort, workerData } from 'node:worker_threads';
import { CasefileError } from '../errors';
import { lowerThreadPriority } from './priority';
import type { TaskMessage, TaskRequest } from './protocol';

/**
 * Bulk work runs here, off the event loop that serves the windows. SQLite has no interrupt in
 * better-sqlite3, so cancelling a task terminates this thread; each task writes only to files
 * it renames into place at the end, or in one transaction, so a terminated task leaves nothing.
 */
lowerThreadPriority();
const post = (m: TaskMessage) => parentPort!.postMessage(m);
const req = workerData as TaskRequest;
const binding = (process.env.CASEFILE_SQLITE_BINDING || undefined) as string | undefined;

try {
  switch (req.kind) {
    case 'vacuum-into': {
      const [{ default: Database }, { rebuildSearch }] = await Promise.all([
        import('better-sqlite3'),
        import('../db/search'),
      ]);
      post({ type: 'progress', done: 0, total: 1, message: 'Writing a compact copy' });
      const db = new Database(req.source, { readonly: true, fileMustExist: true, nativeBinding: binding });
      try {
        db.pragma('trusted_schema = OFF');
        db.prepare('VACUUM INTO ?').run(req.target);
      } finally {
        db.close();
      }
      // VACUUM may renumber rowids, which the external-content FTS indexes point at.
      if (req.search === false) {
        post({ type: 'done', result: { path: req.target } });
        break;
      }
      post({ type: 'progress', done: 0, total: 1, message: 'Rebuilding the search index' });
      const copy = new Database(req.target, { fileMustExist: true, nativeBinding: binding });
      try {
        copy.pragma('trusted_schema = OFF');
        rebuildSearch(copy);
      } finally {
        copy.close();
      }
      post({ type: 'done', result: { path: req.target } });
      break;
    }
    case 'check': {
      const { inspectCaseFile } = await import('../db/open');
      post({ type: 'progress', done: 0, total: 1, message: 'Checking the file' });
      const version = inspectCaseFile(req.path, binding ? { nativeBinding: binding } : {});
      post({ type: 'done', result: { version } });
      break;
    }
    case 'import': {
      // Asynchronous (the data file is streamed): it posts its own result or error.
      (await import('../import/pipeline')).runImportTask(req, post);
      break;
    }
    case 'review-panel': {
      const { sourcingPanelOf } = await import('../sources/sourcing');
      post({ type: 'done', result: sourcingPanelOf(req.path, binding) });
      break;
    }
    case 'import-remove':
      post({ type: 'done', result: (await import('../import/remove-task')).runRemoveJob(req, post, binding) });
      break;
    case 'import-read':
      // Posts mapped rows to the import's thread as it takes them (read-ahead.ts).
      (await import('../import/read-ahead')).runReadTask(req, parentPort!);
      break;
    case 'exchange-inspect':
    case 'exchange-export':
    case 'exchange-plan':
    case 'exchange-import-copy':
    case 'exchange-spin':
      post({ type: 'done', result: (await import('../exchange/tasks')).runExchangeTask(req, post, binding) });
      break;
    case 'export':
      // Asynchronous (the XLSX writer streams): it posts its own result or error.
      (await import('../export/table-export-task')).runExportTask(req, post, binding);
      break;
    case 'extract-text':
      // Asynchronous (pdf.js): it posts its own result or error.
      (await import('../sources/extract-task')).runExtractTask(req, post);
      break;
    case 'hub-join':
      // Asynchronous (the hub is read a page at a time): it posts its own result or error.
      (await import('../hub/join-task')).runJoinTask(req, post);
      break;
  }
} catch (e) {
  post({
    type: 'error',
    code: e instanceof CasefileError ? e.code : 'internal',
    message: e instanceof Error ? e.message : String(e),
  });
}
