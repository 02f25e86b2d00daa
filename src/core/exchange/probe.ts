import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CasefileError } from '../errors';
import type { TaskOptions } from '../tasks/run-task';
import type { TaskMessage, TaskResultOf } from '../tasks/protocol';
import { launchProbe } from '../tasks/child-process';
import { runTask } from '../tasks/run-task';
import type { ExchangeTaskRequest } from './tasks';

export class TimedOut extends Error {}
/** The child ended without an answer (a crash inside SQLite, killed from outside). */
export class Stopped extends Error {}

/** The probe's entry: bundled beside the main bundle, or the tsx boot file from source. */
function entry(): string | null {
  const js = new URL('./exchange-probe.js', import.meta.url);
  if (js.protocol === 'file:' && existsSync(js)) return fileURLToPath(js);
  const boot = new URL('./probe-boot.mjs', import.meta.url);
  return boot.protocol === 'file:' && existsSync(boot) ? fileURLToPath(boot) : null;
}

/**
 * Runs an exchange task in a child process (probe-main.ts) that is killed on cancel or when
 * `ms` pass, whatever SQLite is doing; settles once the process is gone, so the caller may then
 * remove its files. Falls back to a worker thread if no probe entry is bundled (then a timeout
 * returns control but the thread runs until its statement ends).
 */
export function runKillable<R extends ExchangeTaskRequest>(
  req: R,
  ms: number,
  opts: TaskOptions = {},
): Promise<TaskResultOf<R>> {
  const file = entry();
  if (!file) return inThread(req, ms, opts);
  return new Promise<TaskResultOf<R>>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CasefileError('refused', 'Cancelled'));
    // Node's fork, or utilityProcess in Electron (tasks/child-process.ts).
    const child = launchProbe(file);
    let outcome: (() => void) | null = null;
    const settle = (fn: () => void) => {
      if (outcome) return;
      outcome = fn;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode !== null || child.signalCode !== null) fn();
      else child.kill('SIGKILL');
    };
    const timer = setTimeout(() => settle(() => reject(new TimedOut())), ms);
    const onAbort = () => settle(() => reject(new CasefileError('refused', 'Cancelled')));
    opts.signal?.addEventListener('abort', onAbort);
    child.on('message', (m: TaskMessage) => {
      if (m.type === 'progress') {
        if (!outcome) opts.onProgress?.(m);
      } else if (m.type === 'done') settle(() => resolve(m.result as TaskResultOf<R>));
      else settle(() => reject(new CasefileError(m.code as never, m.message)));
    });
    child.on('error', (e) => settle(() => reject(e)));
    // 'close', not 'exit': it comes after the last message has been read.
    child.on('close', (code, signal) => {
      if (!outcome) outcome = () => reject(new Stopped(signal ?? `exit ${code}`));
      clearTimeout(timer);
      outcome();
    });
    child.send(req);
  });
}

function inThread<R extends ExchangeTaskRequest>(req: R, ms: number, opts: TaskOptions): Promise<TaskResultOf<R>> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  opts.signal?.addEventListener('abort', onAbort);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(new TimedOut());
    }, ms);
  });
  return Promise.race([runTask(req, { signal: ctl.signal, onProgress: opts.onProgress }), timeout]).finally(() => {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  });
}
