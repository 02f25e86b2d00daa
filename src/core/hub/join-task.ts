import { CasefileError, refuse } from '../errors';
import { openForImport } from '../import/pipeline';
import type { TaskMessage } from '../tasks/protocol';
import { connectHub, hubError, type Hub } from './connect';
import { loadJoin } from './join';
import { parseHubUrl } from './url';

/** A join's load, asked of the task worker (join.ts joinCase). */
export type JoinJob = {
  /** The case file, already open and checked in the app (or the CLI), whose writes it holds meanwhile. */
  caseFile: string;
  /** The hub's address: the worker connects on its own, its password read as the app's connection's was. */
  url: string;
  /** The role the app's connection authenticated: the worker's must be the same. */
  role: string;
  caseId: string;
  nativeBinding?: string;
};

/** The progress message that says the load has committed. */
export type JoinCommitted = Extract<TaskMessage, { type: 'progress' }> & { committed: true };

/**
 * The worker's side of a join: its own connection to the case file (as an import's) and to the
 * hub, the load in one transaction of each, then the write-ahead log copied into the file (a
 * checkpoint, seconds for a large case), then the result.
 */
export function runJoinTask(job: JoinJob, post: (m: TaskMessage) => void): void {
  const where = `Syncing with ${shown(job.url)}`;
  void (async () => {
    let hub: Hub | null = null;
    const db = openForImport(job.caseFile, job.nativeBinding);
    try {
      hub = await connectHub(job.url);
      if (hub.role !== job.role)
        throw refuse(
          `${where}: the hub authenticated this connection as ${hub.role}, the sync's as ${job.role}; nothing was changed`,
        );
      const loaded = await loadJoin(hub.client, db, job.caseId, {
        onProgress: (p) => post({ type: 'progress', ...p }),
      });
      // From here a Stop changes nothing: the case is in (join.ts ends the stoppable stretch).
      const committed: JoinCommitted = {
        type: 'progress',
        done: loaded.rows + loaded.entries,
        total: null,
        committed: true,
      };
      post({ ...committed, message: 'Joining the hub case: writing it into the case file' });
      // Copied into the file here, before the answer: otherwise the app's connection's next write
      // (the sync's own state) would copy the whole load's write-ahead log on the windows' thread.
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        /* the next checkpoint, by any connection, copies it */
      }
      post({ type: 'done', result: loaded });
    } finally {
      db.close();
      await hub?.client.end().catch(() => undefined);
    }
  })().catch((e: unknown) => {
    const err = e instanceof CasefileError ? e : hubError(e, where);
    post({ type: 'error', code: err.code, message: err.message });
  });
}

/** The address as the analyst sees it, for messages (never the password). */
function shown(url: string): string {
  try {
    return parseHubUrl(url).shown;
  } catch {
    return 'the team hub';
  }
}
