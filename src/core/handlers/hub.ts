import { basename, dirname, join } from 'node:path';
import type { hubChannels, HubSyncResult } from '../../shared/channels/hub';
import { CasefileError } from '../errors';
import { exportHubCase } from '../hub/export';
import { syncCaseFile } from '../hub/sync';
import { parseHubUrl } from '../hub/url';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/**
 * A hub address from a window, checked before anything connects. A password in it is refused: the
 * address is remembered in the settings, shown on screen and kept in logs, so the password comes
 * from where PostgreSQL's own tools read it.
 */
function checkedUrl(url: string): string {
  const address = parseHubUrl(url.trim());
  if (address.config.password !== undefined) {
    throw new CasefileError(
      'validation',
      `The hub address holds a password; Casefile does not keep one. Remove it (${address.shown}) and put the password in ~/.pgpass (HOST:PORT:DATABASE:ROLE:PASSWORD, readable by you only) or in PGPASSWORD before starting Casefile`,
    );
  }
  return url.trim();
}

/** Handlers of the team hub: its remembered address, and a sync of the open case file. */
export function hubHandlers(s: Session): AreaHandlers<typeof hubChannels> {
  return {
    'hub.get': () => ({ url: s.settings.get().hubUrl }),
    'hub.sync': ({ url, caseId, taskId }) =>
      s.tasks.run(
        'hub-sync',
        {
          id: taskId,
          alone: {
            group: 'hub-sync',
            refusal: () =>
              new CasefileError('refused', 'A sync with the team hub is already running; wait for it to finish'),
          },
        },
        async ({ progress, signal, stoppable }) => {
          const hubUrl = checkedUrl(url);
          s.settings.update({ hubUrl });
          const cf = s.caseFile;
          progress({ done: 0, total: null, message: `Connecting to ${parseHubUrl(hubUrl).shown}…` });
          // The pull merges like File > Merge: the same backup first.
          await s.backups.before(cf.path, 'merge');
          // Everything the sync writes goes through the session's case file, which announces it (data.changed).
          // A Stop is taken only while it leaves the file as it was: during a new laptop's join (its one load).
          const r = await syncCaseFile(cf, hubUrl, {
            ...(caseId ? { caseId } : {}),
            onProgress: progress,
            signal,
            onStoppable: stoppable,
          });
          let conflicts: HubSyncResult['conflicts'] = null;
          if (r.conflicts) {
            r.conflicts.review.received.dispose();
            const count = r.conflicts.preview.conflicts;
            // The hub case as a file beside the open one: File > Merge shows its conflicts field by field.
            const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
            const review = join(
              dirname(cf.path),
              `${basename(cf.path).replace(/\.casefile$/i, '')} (team hub ${stamp}).casefile`,
            );
            progress({ done: 0, total: null, message: 'Writing the hub case for the merge review…' });
            await exportHubCase(hubUrl, r.caseId, review, { files: false });
            const rows = `${count} row${count === 1 ? '' : 's'}`;
            conflicts = {
              count,
              review,
              message: `${rows} changed differently here and on the hub: nothing was merged or pushed. Review them field by field: File > Merge a colleague’s case file, choose ${review}, decide each conflict, then sync again.`,
            };
          }
          return {
            caseId: r.caseId,
            role: r.role,
            access: r.access,
            created: r.created,
            pulled: r.pulled,
            pushed: r.pushed,
            retries: r.retries,
            conflicts,
          };
        },
      ),
  };
}
