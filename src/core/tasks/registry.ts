import {
  TASKS,
  type TaskKind,
  type TaskProgress,
  type TaskProgressOf,
  type TaskResultOf,
} from '../../shared/channels/tasks';
import { CasefileError } from '../errors';
import { uuidv7 } from '../ids';

/** What a task's work is given: its id, the signal Stop aborts, and where its progress goes. */
export type TaskContext<K extends TaskKind> = {
  id: string;
  signal: AbortSignal;
  progress: (p: TaskProgressOf<K>) => void;
  /**
   * For a kind that cannot be stopped once started (a sync: its pull is written before its push),
   * the stretch of its work where a Stop changes nothing (a join's load, all in one transaction):
   * stoppable(true) at its start, stoppable(false) at its end.
   */
  stoppable: (on: boolean) => void;
};

export type RunOptions = {
  /** The id the calling window chose (so that its Stop can name the task at once); else one is made. */
  id?: string | undefined;
  /** A caller's own abort (the CLI, tests), on top of tasks.cancel. */
  signal?: AbortSignal | undefined;
  /** At most one running task of this group: another is refused with this error, before anything starts. */
  alone?: { group: string; refusal: () => CasefileError };
};

type Running = {
  kind: TaskKind;
  ctl: AbortController;
  group: string | null;
  /** Whether a Stop is taken now; `stage`: the task is stoppable in some stretches, not this one. */
  stoppable: boolean;
  stage: boolean;
};

/** Ids of finished tasks remembered, so that a Stop that comes just too late is told so, not refused. */
const FINISHED_KEPT = 256;

const NAMES: Record<TaskKind, string> = {
  import: 'An import',
  'import-remove': 'A removal of imported rows',
  'grid-export': 'An export',
  'exchange-export': 'An export',
  'merge-preview': 'A merge',
  'merge-apply': 'A merge',
  'received-open': 'A check of a received file',
  'import-copy': 'A copy of a received file',
  'file-open': 'An open',
  'save-as': 'A save',
  attach: 'An attachment',
  restore: 'A restore',
  backup: 'A backup',
  undo: 'An undo or redo of a large step',
  'hub-sync': 'A sync with the team hub',
};

/**
 * The session's one registry of long tasks. Every task runs through run(): it gets an id and an
 * abort signal, its progress goes out as `task.progress` with its id and kind, and cancel(id)
 * stops it whatever its kind. What stopping means is the task's own: each one's worker writes
 * nothing the case file keeps until its end, so a stopped task leaves the file as it was.
 */
export class TaskRegistry {
  private running = new Map<string, Running>();
  private finished = new Set<string>();

  constructor(private readonly tell: (p: TaskProgress) => void) {}

  async run<K extends TaskKind>(
    kind: K,
    opts: RunOptions,
    work: (t: TaskContext<K>) => Promise<TaskResultOf<K>> | TaskResultOf<K>,
  ): Promise<TaskResultOf<K>> {
    const group = opts.alone?.group ?? null;
    if (group !== null && [...this.running.values()].some((r) => r.group === group)) throw opts.alone!.refusal();
    const id = opts.id ?? uuidv7();
    if (this.running.has(id) || this.finished.has(id))
      throw new CasefileError('conflict', `A task with the id ${id} has already run: start it with a new one`);
    const ctl = new AbortController();
    const outer = opts.signal;
    const onAbort = () => ctl.abort();
    if (outer?.aborted) ctl.abort();
    outer?.addEventListener('abort', onAbort);
    const running: Running = { kind, ctl, group, stoppable: TASKS[kind].stoppable, stage: false };
    this.running.set(id, running);
    const stoppable = (on: boolean) => {
      if (TASKS[kind].stoppable) return;
      running.stoppable = on;
      running.stage = true;
    };
    // The spread cannot show the compiler that kind and progress belong together; run's signature does.
    const progress = (p: TaskProgressOf<K>) => this.tell({ ...p, id, kind } as TaskProgress);
    try {
      return await work({ id, signal: ctl.signal, progress, stoppable });
    } finally {
      outer?.removeEventListener('abort', onAbort);
      this.running.delete(id);
      this.finished.add(id);
      if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.values().next().value!);
    }
  }

  /** Stops the task `id`: true when it was running; false when it had already finished. */
  cancel(id: string): { cancelled: boolean } {
    const r = this.running.get(id);
    if (!r) {
      if (this.finished.has(id)) return { cancelled: false };
      throw new CasefileError('not_found', `No task ${id} is running or has run here: nothing was stopped`);
    }
    if (!r.stoppable)
      throw new CasefileError(
        'refused',
        `${NAMES[r.kind]} cannot be stopped ${r.stage ? 'at this stage' : 'once started'}: it finishes by itself`,
      );
    r.ctl.abort();
    return { cancelled: true };
  }

  /** The tasks running now, oldest first. */
  list(): { id: string; kind: TaskKind }[] {
    return [...this.running].map(([id, r]) => ({ id, kind: r.kind }));
  }
}
