import type { exchangeChannels } from '../../shared/channels/exchange';
import { CasefileError } from '../errors';
import { exportCaseFile } from '../exchange/export';
import { importByCopying } from '../exchange/import-copy';
import { applyOptions, applyPrepared, MergeReviews, planView, prepareMerge } from '../exchange/merge';
import { ReceivedRefusal } from '../exchange/received';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

type Running = 'export' | 'merge' | 'open';

/** Handlers of the exchange area's channels. */
export function exchangeHandlers(s: Session): AreaHandlers<typeof exchangeChannels> {
  const reviews = new MergeReviews();
  const running = new Map<Running, AbortController>();
  // A plan belongs to the file it was made for.
  s.subscribe((event) => {
    if (event === 'file.opened') reviews.clear();
  });

  /** One long task of each kind at a time, cancellable through exchange.cancel. */
  const task = async <T>(kind: Running, fn: (signal: AbortSignal, onProgress: (p: { done: number; total: number | null; message?: string }) => void) => Promise<T>): Promise<T> => {
    if (running.has(kind)) throw new CasefileError('refused', `Another ${kind} is already running; wait for it or cancel it`);
    const ctl = new AbortController();
    running.set(kind, ctl);
    try {
      return await fn(ctl.signal, (p) => s.emit('task.progress', { task: kind, ...p }));
    } finally {
      running.delete(kind);
    }
  };

  return {
    'exchange.preview': ({ path }) =>
      task('merge', async (signal, onProgress) => {
        const p = await prepareMerge(s.caseFile.path, path, { signal, onProgress });
        reviews.add(p);
        return planView(p);
      }),
    // A large merge takes a while: it reports progress as the 'merge' task and stops on exchange.cancel (the plan stays for another try).
    'exchange.apply': ({ planId, resolutions, acceptNonConflicting, prefer }) =>
      task('merge', async (signal, onProgress) => {
        const p = reviews.get(planId);
        await s.backups.before(s.caseFile.path, 'merge');
        const result = await applyPrepared(s.caseFile, p, { resolutions, acceptNonConflicting, ...(prefer ? { prefer } : {}) }, applyOptions({ signal, onProgress }));
        reviews.drop(planId);
        return result;
      }),
    'exchange.discard': ({ planId }) => {
      reviews.drop(planId);
      return { ok: true as const };
    },
    'exchange.export': ({ path, scope, attachments, overwrite }) =>
      task('export', (signal, onProgress) => exportCaseFile(s.caseFile.path, path, { where: scope, attachments, overwrite, checked: true, signal, onProgress })),
    'exchange.cancel': ({ task: kind }) => {
      running.get(kind)?.abort();
      return { ok: true as const };
    },
    'exchange.open': ({ path }) =>
      task('open', async (signal, onProgress) => {
        try {
          return { ok: true as const, info: await s.openChecked(path, { signal, onProgress, untrusted: true }) };
        } catch (e) {
          if (e instanceof ReceivedRefusal) return { ok: false as const, message: e.message, importable: e.importable, found: e.found };
          throw e;
        }
      }),
    'exchange.importCopy': ({ path, outPath }) =>
      task('open', async (signal, onProgress) => {
        const r = await importByCopying(path, outPath, { signal, onProgress });
        return { info: await s.openChecked(r.path, { signal, onProgress }), copied: r.copied, skipped: r.skipped };
      }),
  };
}
