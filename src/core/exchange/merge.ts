import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { MergePlanView, MergeResult, Side } from '../../shared/channels/exchange';
import { CaseFile } from '../write/case-file';
import { CasefileError, refuse } from '../errors';
import { nodeId, uuidv7 } from '../ids';
import { openForWork } from '../write/open-for-work';
import type { TaskOptions } from '../tasks/run-task';
import { runTask } from '../tasks/run-task';
import { applyMerge, type ApplyOptions, type Choices } from './apply';
import { receiveCaseFile, type Received } from './received';
import { previewResult } from './report';
import type { MergePlan } from './types';

/** A plan waiting for the analyst's review, with the private copy of their file it was made from. */
export type PreparedMerge = { id: string; minePath: string; plan: MergePlan; received: Received };

/** How many items the review lists; the rest are applied with the default choices (and counted). */
const REVIEW_LIMIT = 2000;

const samePath = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
};

/**
 * Reads a colleague's file (a private, checked copy) and plans the merge into `minePath` in a
 * task worker. Nothing is written to either file.
 */
export async function prepareMerge(
  minePath: string,
  theirsPath: string,
  opts: TaskOptions & { timeoutMs?: number } = {},
): Promise<PreparedMerge> {
  if (samePath(minePath, theirsPath))
    throw refuse(`${basename(theirsPath)} is the case file you are merging into; choose your colleague's file`);
  const received = await receiveCaseFile(theirsPath, opts);
  try {
    const plan = await runTask(
      { kind: 'exchange-plan', mine: minePath, theirs: received.path, theirsName: received.name },
      opts,
    );
    return { id: uuidv7(), minePath, plan, received };
  } catch (e) {
    received.dispose();
    throw e;
  }
}

/** The review's view of a plan: conflicts first, capped in length. */
export function planView(p: PreparedMerge): MergePlanView {
  const rank = { conflict: 0, deleted: 1, changed: 2, added: 3 } as const;
  const sorted = [...p.plan.items].sort((a, b) => rank[a.kind] - rank[b.kind]);
  const items = sorted.slice(0, REVIEW_LIMIT).map(({ mineHlc: _m, theirsRow: _t, follows: _f, ...view }) => view);
  return {
    planId: p.id,
    theirs: { name: p.plan.theirsName, title: p.plan.theirsTitle, authors: p.plan.authors },
    counts: p.plan.counts,
    theirLogEntries: p.plan.theirLogEntries,
    items,
    hidden: sorted.length - items.length,
    warnings: p.plan.warnings,
  };
}

/** A task's signal and progress for applyMerge, its progress as a line for people. */
export function applyOptions(opts: TaskOptions): ApplyOptions {
  const report = opts.onProgress;
  return {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(report
      ? {
          onProgress: (done: number, total: number) =>
            report({
              done,
              total,
              message: `Merging: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} steps`,
            }),
        }
      : {}),
  };
}

/** Applies a prepared plan to the open case file it was made for (see applyMerge: progress, cancel). */
export async function applyPrepared(
  cf: CaseFile,
  p: PreparedMerge,
  choices: Choices,
  opts: ApplyOptions = {},
): Promise<MergeResult> {
  if (!samePath(cf.path, p.minePath))
    throw refuse('Another case file was opened since this merge was reviewed; start the merge again');
  return applyMerge(cf, p.plan, p.received.path, choices, opts);
}

/**
 * The command line's merge: plan, then apply unless there are conflicts and no --prefer, or it
 * is a dry run. Returns the counts and whether anything was applied.
 */
export async function mergeFiles(
  minePath: string,
  theirsPath: string,
  opts: TaskOptions & { prefer?: Side; dryRun?: boolean; author: string },
): Promise<MergeResult> {
  const mine = resolve(minePath);
  const db = openForWork(mine);
  try {
    const cf = new CaseFile(db, mine, () => opts.author, nodeId());
    const p = await prepareMerge(mine, resolve(theirsPath), opts);
    try {
      const preview = previewResult(p.plan);
      if (opts.dryRun || (p.plan.counts.conflicts > 0 && !opts.prefer)) return preview;
      return await applyPrepared(
        cf,
        p,
        { resolutions: {}, acceptNonConflicting: true, ...(opts.prefer ? { prefer: opts.prefer } : {}) },
        applyOptions(opts),
      );
    } finally {
      p.received.dispose();
    }
  } finally {
    db.close();
  }
}

/** Plans kept for review in a running app, by id; dropped when applied, discarded or another file opens. */
export class MergeReviews {
  private plans = new Map<string, PreparedMerge>();

  add(p: PreparedMerge): void {
    this.plans.set(p.id, p);
  }

  get(id: string): PreparedMerge {
    const p = this.plans.get(id);
    if (!p) throw new CasefileError('not_found', 'That merge review is no longer open; start the merge again');
    return p;
  }

  drop(id: string): void {
    this.plans.get(id)?.received.dispose();
    this.plans.delete(id);
  }

  clear(): void {
    for (const id of [...this.plans.keys()]) this.drop(id);
  }
}
