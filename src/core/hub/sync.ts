import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MergeResult, Side } from '../../shared/channels/exchange';
import type { CaseFile } from '../write/case-file';
import { CasefileError, refuse } from '../errors';
import { uuidv7 } from '../ids';
import { applyOptions, applyPrepared, prepareMerge, type PreparedMerge } from '../exchange/merge';
import { previewResult } from '../exchange/report';
import type { TaskOptions } from '../tasks/run-task';
import { checkHub, connectHub, hubError, type Hub } from './connect';
import { pushChanges, Raced, type Access, type PushResult } from './push';
import { readSnapshot } from './snapshot';
import { readChanges } from './changes';
import { lastPosition } from './position';
import { isEmptyCase, joinCase } from './join';
import { forgetEntries, recordUnder } from '../write/change-log';
import { readSyncState, writeSyncState, type SyncState } from './sync-state';

export type SyncOptions = TaskOptions & {
  /** The hub case to sync with; by default the one this file synced with last, or a new case. */
  caseId?: string;
  /** Settles conflicts without review (the command line's --prefer); without it, conflicts stop the sync. */
  prefer?: Side;
  /** How many times a push that raced another is retried after pulling again. */
  attempts?: number;
  /** Told the role the hub authenticated, before anything is written (the command line records its writes under it). */
  onRole?: (role: string) => void;
  /** Told when a Stop (opts.signal) would leave the file as it was (a join's load) and when no longer. */
  onStoppable?: (on: boolean) => void;
};

export type SyncResult = {
  caseId: string;
  role: string;
  access: Access;
  created: boolean;
  /** What the pulls merged into this file (summed), or null when the hub had nothing new. */
  pulled: MergeResult | null;
  pushed: PushResult | null;
  /** Pushes that found the hub moved on, and were retried after pulling again. */
  retries: number;
  /**
   * Conflicts waiting for the analyst: nothing was merged or pushed. The app shows `review` in
   * the merge review (the caller disposes of it); the command line prints `preview`.
   */
  conflicts: { preview: MergeResult; review: PreparedMerge } | null;
};

const ATTEMPTS = 5;

/**
 * Syncs an open case file with a hub case: pull what others pushed and merge it in (the same
 * three-way, field-by-field merge as a colleague's file, conflicts to the same review), then push
 * what this file changed since its last sync, in one PostgreSQL transaction. If another laptop
 * pushed in between, the push changes nothing, and the sync pulls again and retries. The hub's
 * data is checked like a colleague's file before any of it is merged.
 *
 * Everything written locally goes through the case file (CaseFile: merge, meta): undoable, logged
 * and announced like any merge. The sync's own log entries carry the case file's author.
 *
 * Who made a change, on the hub, is the role it authenticated: the hub stamps it as the author
 * (and pusher) of every row and entry pushed, whatever name the laptop typed. The laptop's own
 * entries are recorded under that role too, in the push's local step (once the hub committed
 * them): the same entries on both sides, so that a later pull does not take them for another
 * author's (a conflict with itself, or its history twice). The result says so (`role`, and
 * `pushed.renamed`, how many of this file's entries now carry the role's name). Should the
 * laptop stop between the hub's commit and that step, its next sync pulls the hub's copies,
 * pushes the same entries again (the hub keeps one) and renames them then, each kept once.
 */
export async function syncCaseFile(cf: CaseFile, url: string, opts: SyncOptions = {}): Promise<SyncResult> {
  const hub = await connectHub(url);
  opts.onRole?.(hub.role);
  try {
    return await syncWith(hub, url, cf, opts);
  } catch (e) {
    throw hubError(e, `Syncing with ${hub.address.shown}`);
  } finally {
    await hub.client.end().catch(() => undefined);
  }
}

async function syncWith(hub: Hub, url: string, cf: CaseFile, opts: SyncOptions): Promise<SyncResult> {
  // An import writing to the file (its own connection, one long transaction): refused now, saying why.
  cf.checkWritable();
  const hubId = await checkHub(hub);
  const known = readSyncState(cf, hubId);
  if (
    opts.caseId !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(opts.caseId)
  ) {
    throw new CasefileError(
      'validation',
      `--case must be a hub case id (a UUID such as 0190f5c2-…), not "${opts.caseId}"`,
    );
  }
  let state: SyncState | null =
    opts.caseId && known?.caseId !== opts.caseId
      ? { caseId: opts.caseId, head: null, pushedSeq: null, pulled: [] }
      : known;
  let created = false;
  if (!state) {
    const caseId = uuidv7();
    await hub.client.query('INSERT INTO casefile.cases (id, title) VALUES ($1, $2)', [caseId, cf.title()]);
    state = { caseId, head: 0, pushedSeq: null, pos: 0, pulled: [] };
    writeSyncState(cf, hubId, state);
    created = true;
  }
  const a = await hub.client.query<{ access: Access }>(
    'SELECT access FROM casefile.members WHERE case_id = $1 AND role_name = current_user',
    [state.caseId],
  );
  if (!a.rows[0])
    throw refuse(
      `The hub has no case ${state.caseId}, or your role ${hub.role} has not been granted it (the case's creator or IT grants it: casefile hub grant)`,
    );
  const access = a.rows[0].access;
  let pulled: MergeResult | null = null;
  for (let attempt = 0; attempt < (opts.attempts ?? ATTEMPTS); attempt++) {
    const h = await hub.client.query<{ head: string }>('SELECT head::text AS head FROM casefile.cases WHERE id = $1', [
      state.caseId,
    ]);
    const head = Number(h.rows[0]!.head);
    if (state.head !== head) {
      const r = await pull(hub, url, cf, state, opts);
      if ('conflicts' in r)
        return {
          caseId: state.caseId,
          role: hub.role,
          access,
          created,
          pulled,
          pushed: null,
          retries: attempt,
          conflicts: r.conflicts,
        };
      pulled = pulled ? sum(pulled, r.merged) : r.merged;
      state = {
        ...state,
        head: r.head,
        pos: r.pos,
        pulled: r.seqs ? [...state.pulled, r.seqs] : state.pulled,
        // A joining file's every entry is the hub's: nothing of its own to compare and push.
        ...(r.joined ? { pushedSeq: lastSeq(cf) } : {}),
      };
      writeSyncState(cf, hubId, state);
    }
    try {
      const p = await pushChanges(hub.client, cf.db, {
        caseId: state.caseId,
        head: state.head!,
        pushedSeq: state.pushedSeq,
        role: hub.role,
        access,
        pulled: state.pulled,
      });
      state = { ...state, head: p.head, pushedSeq: p.maxSeq, pulled: [], pos: await posAfterPush(hub, state, p.head) };
      const done = state;
      // One local step: the file says where it stands and holds its history as the hub now does.
      cf.db.transaction(() => {
        writeSyncState(cf, hubId, done);
        forgetEntries(cf.db, p.restating);
        recordUnder(cf.db, p.toRename, hub.role);
      })();
      const { maxSeq: _m, restating: _r, toRename: _t, ...pushed } = p;
      return {
        caseId: state.caseId,
        role: hub.role,
        access,
        created,
        pulled,
        pushed,
        retries: attempt,
        conflicts: null,
      };
    } catch (e) {
      if (!(e instanceof Raced)) throw e;
    }
  }
  throw refuse(
    `Other laptops kept pushing to the hub while this one tried ${opts.attempts ?? ATTEMPTS} times; what was pulled is merged, nothing of yours was pushed yet: sync again`,
  );
}

/**
 * Merges what the hub has and this file lacks (or returns the conflicts). A file that pulled
 * before (its sync state knows the hub's log position it has everything up to) reads only the
 * rows changed since, with their history (changes.ts); a file with nothing in it takes the whole
 * case in one bulk load in the task worker (join.ts); any other reads the whole case. Either read is a private,
 * checked case file merged with the same three-way merge as a colleague's file.
 */
async function pull(
  hub: Hub,
  url: string,
  cf: CaseFile,
  state: SyncState,
  opts: SyncOptions,
): Promise<
  | { merged: MergeResult; head: number; pos: number; seqs: [number, number] | null; joined: boolean }
  | { conflicts: NonNullable<SyncResult['conflicts']> }
> {
  const caseId = state.caseId;
  const since = typeof state.pos === 'number' && state.head !== null ? state.pos : null;
  if (since === null && isEmptyCase(cf.db)) {
    // In the task worker, on connections of its own: a large case's load would freeze the windows here.
    const j = await joinCase({ url, role: hub.role }, cf, caseId, opts);
    return { merged: j.merged, head: j.head, pos: j.pos, seqs: null, joined: true };
  }
  const dir = mkdtempSync(join(tmpdir(), 'casefile-hub-'));
  try {
    const snap =
      since === null
        ? await readSnapshot(hub.client, caseId, dir, 'Team hub.casefile')
        : await readChanges(hub.client, caseId, since, dir, 'Team hub.casefile');
    const p = await prepareMerge(cf.path, snap.path, opts);
    if (p.plan.counts.conflicts > 0 && !opts.prefer)
      return { conflicts: { preview: previewResult(p.plan), review: p } };
    try {
      // The merge is one action that holds every other write of the file: the log positions it
      // takes are its own.
      const before = lastSeq(cf);
      const merged = await applyPrepared(
        cf,
        p,
        { resolutions: {}, acceptNonConflicting: true, ...(opts.prefer ? { prefer: opts.prefer } : {}) },
        applyOptions(opts),
      );
      const after = lastSeq(cf);
      return {
        merged,
        head: snap.head,
        pos: snap.pos,
        seqs: after > before ? [before + 1, after] : null,
        joined: false,
      };
    } finally {
      p.received.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The hub's log position after this file's push: its last entry when the head is still the one
 * the push made (nothing pushed after it), else the position before the push (the next pull reads
 * this push's rows again with the others', and finds them the same).
 */
async function posAfterPush(hub: Hub, state: SyncState, head: number): Promise<number | null> {
  const before = state.pos ?? null;
  if (before === null || head === state.head) return before;
  try {
    await hub.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const r = await hub.client.query<{ head: string }>(
        'SELECT head::text AS head FROM casefile.cases WHERE id = $1',
        [state.caseId],
      );
      const pos = await lastPosition(hub.client, state.caseId, before);
      return r.rows[0] && Number(r.rows[0].head) === head ? pos : before;
    } finally {
      await hub.client.query('COMMIT').catch(() => undefined);
    }
  } catch {
    // The push is in: a position not known now only makes the next pull read this push's rows again.
    return before;
  }
}

const lastSeq = (cf: CaseFile) =>
  (cf.db.prepare('SELECT coalesce(max(seq), 0) m FROM change_log').get() as { m: number }).m;

function sum(a: MergeResult, b: MergeResult): MergeResult {
  return {
    ...b,
    added: a.added + b.added,
    updated: a.updated + b.updated,
    deleted: a.deleted + b.deleted,
    conflicts: a.conflicts + b.conflicts,
    skipped: [...a.skipped, ...b.skipped],
    notes: [...a.notes, ...b.notes],
  };
}
