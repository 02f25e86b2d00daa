import type { ImportJob } from '../import/pipeline';
import type { RemoveJob } from '../import/remove-task';
import type { ReadJob } from '../import/read-ahead';
import type { ExchangeTaskRequest } from '../exchange/tasks';
import type { ExportJob } from '../export/table-export-task';
import type { ExtractJob } from '../sources/extract-task';

/** Messages between the core and a task worker. */
export type TaskRequest =
  /** search: false for a backup, whose search index is rebuilt when it is restored (backup/restore.ts). */
  | { kind: 'vacuum-into'; source: string; target: string; search?: boolean }
  | { kind: 'check'; path: string }
  | ({ kind: 'import' } & ImportJob)
  /** The review's sourcing panel of a large case file, read on a connection of its own (sources/sourcing.ts). */
  | { kind: 'review-panel'; path: string }
  /** The removal for good of an import's rows (import/remove-task.ts). */
  | ({ kind: 'import-remove' } & RemoveJob)
  /** The reader thread of an import (import/read-ahead.ts): streams mapped rows, not a result. */
  | ({ kind: 'import-read' } & ReadJob)
  | ExchangeTaskRequest
  | ({ kind: 'export' } & ExportJob)
  | ({ kind: 'extract-text' } & ExtractJob);
export type TaskMessage =
  | { type: 'progress'; done: number; total: number | null; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string };
