import { z } from 'zod';
import { CaseInfo, TaskId, UndoResult } from '../contract-base';
import { ExchangeExportResult, ImportCopyResult, MergePlanView, MergeResult, ReceivedOpenResult } from './exchange';
import { GridExportResult } from './grid';
import { HubSyncResult } from './hub';
import { ImportReport, RemoveImportResult } from './import';
import { BackupItem } from './settings-backups';
import { AttachResult } from './sources';

/**
 * Long tasks: every piece of work that reports progress while the windows stay served (an import,
 * an export, a merge...). Each runs under an id in the core's one registry (core/tasks/registry.ts),
 * tells its progress as `task.progress` events of its kind, and is stopped with `tasks.cancel`
 * and that id, whatever its kind. The channel that starts a task answers with its result, typed
 * here per kind; the window that starts it may choose its id (`taskId`), so that Stop can name it
 * before any progress has come back.
 */

/** How far a task has come: `done` of `total` (null while unknown), and a line for people. */
export const Progress = z.object({ done: z.number(), total: z.number().nullable(), message: z.string().optional() });
export type Progress = z.infer<typeof Progress>;

/**
 * Every kind of long task: the channel that starts it, its progress and result, and whether Stop
 * can stop it. Stopping leaves the case file as it was (nothing of the task is kept). An undo of a
 * large step, and the backup made before a merge or a removal, run to the end once started.
 */
export const TASKS = {
  /** import.run: a data file read into the open case file, in one transaction. */
  import: { channel: 'import.run', progress: Progress, result: ImportReport, stoppable: true },
  /** import.remove: the rows an earlier import added, taken out. */
  'import-remove': { channel: 'import.remove', progress: Progress, result: RemoveImportResult, stoppable: true },
  /** grid.export: a view or table written to CSV, XLSX or JSON. */
  'grid-export': { channel: 'grid.export', progress: Progress, result: GridExportResult, stoppable: true },
  /** exchange.export: a case file (or part of one) written for a colleague. */
  'exchange-export': { channel: 'exchange.export', progress: Progress, result: ExchangeExportResult, stoppable: true },
  /** exchange.preview: a colleague's file checked and compared with the open one. */
  'merge-preview': { channel: 'exchange.preview', progress: Progress, result: MergePlanView, stoppable: true },
  /** exchange.apply: a reviewed merge written, as one undoable step. */
  'merge-apply': { channel: 'exchange.apply', progress: Progress, result: MergeResult, stoppable: true },
  /** exchange.open: a file someone may have sent, checked in a worker with a time limit, then opened. */
  'received-open': { channel: 'exchange.open', progress: Progress, result: ReceivedOpenResult, stoppable: true },
  /** exchange.importCopy: the known rows of a refused file copied into a new case file. */
  'import-copy': { channel: 'exchange.importCopy', progress: Progress, result: ImportCopyResult, stoppable: true },
  /** file.open: a case file checked in a worker, then opened. */
  'file-open': { channel: 'file.open', progress: Progress, result: CaseInfo, stoppable: true },
  /** file.saveAs: a compact copy of the open file, then opened. */
  'save-as': { channel: 'file.saveAs', progress: Progress, result: CaseInfo, stoppable: true },
  /** attachments.add: a file attached to a source, its text read (a PDF page by page). */
  attach: { channel: 'attachments.add', progress: Progress, result: AttachResult, stoppable: true },
  /** backup.restore: a backup copied into a new file, then opened. */
  restore: { channel: 'backup.restore', progress: Progress, result: CaseInfo, stoppable: true },
  /** backup.now, and the backup made before a merge or a removal for good. */
  backup: { channel: 'backup.now', progress: Progress, result: BackupItem, stoppable: false },
  /** history.undo and history.redo of a large step (a merge of thousands of rows), replayed in turns. */
  undo: {
    channel: 'history.undo',
    progress: Progress.extend({ message: z.string() }),
    result: UndoResult,
    stoppable: false,
  },
  /**
   * hub.sync: the open file synced with the team hub. Not stoppable: its pull is merged and
   * recorded before its push, so a stop between them would leave the file changed. The one
   * exception is a new laptop's join, one load in one transaction: tasks.cancel stops it there
   * (the registry's `stoppable` stretch), and the file is left as it was.
   */
  'hub-sync': { channel: 'hub.sync', progress: Progress, result: HubSyncResult, stoppable: false },
} as const;

export type Tasks = typeof TASKS;
export type TaskKind = keyof Tasks;
export const TASK_KINDS = Object.keys(TASKS) as TaskKind[];
export const TaskKind = z.enum(TASK_KINDS as [TaskKind, ...TaskKind[]]);
export type TaskProgressOf<K extends TaskKind> = z.infer<Tasks[K]['progress']>;
export type TaskResultOf<K extends TaskKind> = z.infer<Tasks[K]['result']>;

const progressOf = <K extends TaskKind>(kind: K) => TASKS[kind].progress.extend({ id: TaskId, kind: z.literal(kind) });
const resultOf = <K extends TaskKind>(kind: K) =>
  z.object({ id: TaskId, kind: z.literal(kind), result: TASKS[kind].result });

/** The `task.progress` event: which task (id), of which kind, and how far it has come. */
export const TaskProgress = z.discriminatedUnion('kind', [
  progressOf('import'),
  progressOf('import-remove'),
  progressOf('grid-export'),
  progressOf('exchange-export'),
  progressOf('merge-preview'),
  progressOf('merge-apply'),
  progressOf('received-open'),
  progressOf('import-copy'),
  progressOf('file-open'),
  progressOf('save-as'),
  progressOf('attach'),
  progressOf('restore'),
  progressOf('backup'),
  progressOf('undo'),
  progressOf('hub-sync'),
]);
export type TaskProgress = z.infer<typeof TaskProgress>;

/** A finished task's result, by kind: what the channel that started it answers with. */
export const TaskResult = z.discriminatedUnion('kind', [
  resultOf('import'),
  resultOf('import-remove'),
  resultOf('grid-export'),
  resultOf('exchange-export'),
  resultOf('merge-preview'),
  resultOf('merge-apply'),
  resultOf('received-open'),
  resultOf('import-copy'),
  resultOf('file-open'),
  resultOf('save-as'),
  resultOf('attach'),
  resultOf('restore'),
  resultOf('backup'),
  resultOf('undo'),
  resultOf('hub-sync'),
]);
export type TaskResult = z.infer<typeof TaskResult>;

export const tasksChannels = {
  /**
   * Stops the running task `id`, whatever its kind: its worker is stopped and nothing of it is
   * kept. `cancelled` false: it had already finished. An id no task ever had is an error
   * (not_found), as is a task that cannot be stopped (refused).
   */
  'tasks.cancel': {
    kind: 'mutation',
    input: z.object({ id: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
} as const;
