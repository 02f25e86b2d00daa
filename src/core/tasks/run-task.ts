import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CasefileError } from '../errors';
import type { TaskMessage, TaskRequest, TaskResultOf } from './protocol';

export type TaskOptions = {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number | null; message?: string }) => void;
};

/**
 * Where the worker's code is: beside this module as .js when bundled (Electron), or the .ts
 * source run through tsx's loader (tests, CLI, browser mode).
 */
export function workerEntry(): URL {
  const js = new URL('./task-worker.js', import.meta.url);
  return js.protocol === 'file:' && existsSync(js) ? js : new URL('./worker-boot.mjs', import.meta.url);
}

/** Runs a task in a worker thread; resolves with its result (typed by the request's kind), rejects with its error or on cancel. */
export function runTask<R extends TaskRequest>(req: R, opts: TaskOptions = {}): Promise<TaskResultOf<R>> {
  return new Promise<TaskResultOf<R>>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CasefileError('refused', 'Cancelled'));
    const w = new Worker(workerEntry(), { workerData: req });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // Settle only once the thread is gone: cleaning up its files while it still writes them
    // can take the whole process down inside the SQLite addon.
    const onAbort = () =>
      finish(() => {
        void w.terminate().finally(() => reject(new CasefileError('refused', 'Cancelled')));
      });
    opts.signal?.addEventListener('abort', onAbort);
    w.on('message', (m: TaskMessage) => {
      if (m.type === 'progress') {
        if (!settled) opts.onProgress?.(m);
      }
      // The worker is ours and answers each kind as TaskResults says: the one place that trusts it.
      else if (m.type === 'done') finish(() => resolve(m.result as TaskResultOf<R>));
      else finish(() => reject(new CasefileError(m.code as never, m.message)));
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`task ${req.kind} stopped (exit ${code})`))));
  });
}
