import { z } from 'zod';
import { TaskId } from '../contract-base';
import { MergeResult } from './exchange';

/**
 * The team hub (a PostgreSQL database the team shares): the open case file synced with a hub case
 * from the app, as `casefile hub sync` does from the command line.
 */

/** A hub address: postgres://ROLE@HOST:5432/DATABASE, without a password (the core refuses one). */
export const HubUrl = z.string().min(1).max(2048);

export const HubSyncResult = z.object({
  caseId: z.string(),
  /** The role the hub authenticated: what the hub records as the pusher. */
  role: z.string(),
  access: z.enum(['edit', 'review']),
  /** The sync made a new hub case for this file. */
  created: z.boolean(),
  /** What was pulled and merged in (null: nothing new on the hub). */
  pulled: MergeResult.nullable(),
  /**
   * What was pushed (null when the sync stopped before pushing). `renamed`: entries of this file
   * made under another name (the one typed on this laptop) that the hub, and now this file, record
   * under `role`.
   */
  pushed: z
    .object({ head: z.number(), rows: z.number(), deleted: z.number(), entries: z.number(), renamed: z.number() })
    .nullable(),
  retries: z.number(),
  /**
   * Conflicts: nothing was merged or pushed. `review` is the hub case written as a case file beside
   * the open one, to merge field by field in the merge review (File > Merge); then sync again.
   */
  conflicts: z.object({ count: z.number(), review: z.string(), message: z.string() }).nullable(),
});
export type HubSyncResult = z.infer<typeof HubSyncResult>;

export const hubChannels = {
  /** The hub address this installation synced with last (kept in the settings, never with a password). */
  'hub.get': { kind: 'query', input: z.object({}).strict(), output: z.object({ url: z.string().nullable() }) },
  /**
   * Syncs the open case file with the hub: pulls and merges the others' changes, then pushes this
   * file's, in one PostgreSQL transaction. `caseId` joins a case a colleague granted; without it,
   * the case this file synced with last (or a new one). Runs to the end once started.
   */
  'hub.sync': {
    kind: 'mutation',
    input: z.object({ url: HubUrl, caseId: z.string().max(64).optional(), taskId: TaskId.optional() }).strict(),
    output: HubSyncResult,
  },
} as const;
