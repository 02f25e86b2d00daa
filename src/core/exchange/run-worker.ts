import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CasefileError } from '../errors';
import type { TaskOptions } from '../tasks/run-task';
import type { TaskMessage, TaskRequest } from '../tasks/protocol';

/**
 * runTask (tasks/run-task.ts) with one difference: on cancel it settles only once the worker
 * thread has exited. Terminating a thread takes effect when the SQLite statement it is in
 * returns; until then the thread still writes its files. A caller that removes a cancelled task's
 * temporary files must wait for that, or it pulls files from under a running statement (and an
 * SQLite error raised in a terminating thread aborts the whole process in better-sqlite3).
 */
function workerEntry(): URL {
  // Bundled (Electron): task-worker.js beside the bundle. From source: the tsx boot file.
  const js = new URL('./task-worker.js', import.meta.url);
  return js.protocol === 'file:' && existsSync(js) ? js : new URL('../tasks/worker-boot.mjs', import.meta.url);
}

export function runToExit<T>(req: TaskRequest, opts: TaskOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CasefileError('refused', 'Cancelled'));
    const w = new Worker(workerEntry(), { workerData: req });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void w.terminate().finally(() => reject(new CasefileError('refused', 'Cancelled')));
    };
    opts.signal?.addEventListener('abort', onAbort);
    w.on('message', (m: TaskMessage) => {
      if (m.type === 'progress') {
        if (!settled) opts.onProgress?.(m);
      } else if (m.type === 'done') finish(() => resolve(m.result as T));
      else finish(() => reject(new CasefileError(m.code as never, m.message)));
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`task ${req.kind} stopped (exit ${code})`))));
  });
}
