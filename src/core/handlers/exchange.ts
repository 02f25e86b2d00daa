import type { exchangeChannels } from '../../shared/channels/exchange';
import { CasefileError } from '../errors';
import { exportCaseFile } from '../exchange/export';
import { fetchHeldAttachments } from '../hub/attachment-fetch';
import { importByCopying } from '../exchange/import-copy';
import { applyOptions, applyPrepared, MergeReviews, planView, prepareMerge } from '../exchange/merge';
import { ReceivedRefusal } from '../exchange/received';
import type { Session } from '../session';
import type { RunOptions } from '../tasks/registry';
import type { AreaHandlers } from './types';

/** One task of each of these at a time: a merge (its preview or its writing), an export, an open. */
const alone = (group: 'export' | 'merge' | 'open', id: string | undefined): RunOptions => ({
  id,
  alone: {
    group: `exchange-${group}`,
    refusal: () => new CasefileError('refused', `Another ${group} is already running; wait for it or cancel it`),
  },
});

/** Handlers of the exchange area's channels. */
export function exchangeHandlers(s: Session): AreaHandlers<typeof exchangeChannels> {
  const reviews = new MergeReviews();
  // A plan belongs to the file it was made for.
  s.subscribe((event) => {
    if (event === 'file.opened') reviews.clear();
  });

  return {
    'exchange.preview': ({ path, taskId }) =>
      s.tasks.run('merge-preview', alone('merge', taskId), async ({ signal, progress: onProgress }) => {
        const p = await prepareMerge(s.caseFile.path, path, { signal, onProgress });
        reviews.add(p);
        return planView(p);
      }),
    // A large merge takes a while: it reports progress as the 'merge-apply' task and stops on tasks.cancel (the plan stays for another try).
    'exchange.apply': ({ planId, resolutions, acceptNonConflicting, prefer, taskId }) =>
      s.tasks.run('merge-apply', alone('merge', taskId), async ({ signal, progress: onProgress }) => {
        const p = reviews.get(planId);
        await s.backups.before(s.caseFile.path, 'merge');
        const result = await applyPrepared(
          s.caseFile,
          p,
          { resolutions, acceptNonConflicting, ...(prefer ? { prefer } : {}) },
          applyOptions({ signal, onProgress }),
        );
        reviews.drop(planId);
        return result;
      }),
    'exchange.discard': ({ planId }) => {
      reviews.drop(planId);
      return { ok: true as const };
    },
    'exchange.export': ({ path, scope, attachments, overwrite, taskId }) =>
      s.tasks.run('exchange-export', alone('export', taskId), async ({ signal, progress: onProgress }) => {
        // Files pulled from the team hub and never opened: fetched first where the hub answers.
        if (attachments) await fetchHeldAttachments(s.caseFile, s.settings.get().hubUrl);
        return exportCaseFile(s.caseFile.path, path, {
          where: scope,
          attachments,
          overwrite,
          checked: true,
          signal,
          onProgress,
        });
      }),
    'exchange.open': ({ path, taskId }) =>
      s.tasks.run('received-open', alone('open', taskId), async ({ signal, progress: onProgress }) => {
        try {
          return { ok: true as const, info: await s.openChecked(path, { signal, onProgress, untrusted: true }) };
        } catch (e) {
          if (e instanceof ReceivedRefusal)
            return { ok: false as const, message: e.message, importable: e.importable, found: e.found };
          throw e;
        }
      }),
    'exchange.importCopy': ({ path, outPath, taskId }) =>
      s.tasks.run('import-copy', alone('open', taskId), async ({ signal, progress: onProgress }) => {
        const r = await importByCopying(path, outPath, { signal, onProgress });
        return { info: await s.openChecked(r.path, { signal, onProgress }), copied: r.copied, skipped: r.skipped };
      }),
  };
}
