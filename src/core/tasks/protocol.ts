import type { ImportJob, ImportReport } from '../import/pipeline';
import type { RemoveJob } from '../import/remove-task';
import type { ReadJob } from '../import/read-ahead';
import type { ExchangeTaskRequest } from '../exchange/tasks';
import type { ExportJob } from '../export/table-export-task';
import type { ExtractJob } from '../sources/extract-task';
import type { Extracted } from '../sources/extract';
import type { RemoveResult } from '../import/remove-task';
import type { InspectResult } from '../exchange/received';
import type { Copied } from '../exchange/import-copy';
import type { MergePlan } from '../exchange/types';
import type { SourcingPanel } from '../../shared/channels/sources';
import type { JoinJob } from '../hub/join-task';
import type { JoinLoaded } from '../hub/join';

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
  | ({ kind: 'extract-text' } & ExtractJob)
  /** A new laptop's join of a team hub case, loaded on connections of its own (hub/join-task.ts). */
  | ({ kind: 'hub-join' } & JoinJob);
/** Lists every request kind (a kind left out is a type error). */
type EveryKind<T extends Record<TaskRequest['kind'], unknown>> = T;

/**
 * What the worker answers each kind of request with: runTask's result is typed from the request,
 * so no caller casts an unknown.
 */
export type TaskResults = EveryKind<{
  'vacuum-into': { path: string };
  check: { version: number };
  import: ImportReport;
  'review-panel': SourcingPanel;
  'import-remove': RemoveResult;
  /** Streams rows to the import's thread (read-ahead.ts): never a result. */
  'import-read': never;
  'exchange-inspect': InspectResult;
  'exchange-export': Record<string, number>;
  'exchange-plan': MergePlan;
  'exchange-import-copy': Copied;
  /** Never ends (tests of the time limit); a test's stand-in child may answer anything. */
  'exchange-spin': unknown;
  export: { rows: number; truncatedCells: number };
  'extract-text': Extracted;
  'hub-join': JoinLoaded;
}>;
export type TaskResultOf<R extends TaskRequest> = TaskResults[R['kind']];

export type TaskMessage =
  | { type: 'progress'; done: number; total: number | null; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string };
