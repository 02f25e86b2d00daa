import { z } from 'zod';
import { CaseInfo, FilterModel, Row, TaskId, ok } from '../contract-base';
import { GridTable, LoggedTable } from '../domain/common';

/**
 * Exchanging case files: export for a colleague, open what others send, and merge a colleague's
 * file into the open one after a review. The merge plan is computed in the core and kept there;
 * the review sees a view of it and answers with choices, never with row values.
 */

const Path = z.string().min(1).max(4096);

/** Who made a change and when, as their change log recorded it (hybrid logical clock). */
export const Who = z.object({ author: z.string(), hlc: z.string(), at: z.string() });
export type Who = z.infer<typeof Who>;

export const Side = z.enum(['mine', 'theirs']);
export type Side = z.infer<typeof Side>;

/** One field of a row that differs: the value both last had in common, and each side's. */
export const FieldDiff = z.object({
  field: z.string(),
  label: z.string(),
  base: z.unknown(),
  mine: z.unknown(),
  theirs: z.unknown(),
  mineBy: Who.nullable(),
  theirsBy: Who.nullable(),
  /** Both changed it, differently: the analyst chooses. Otherwise only they changed it. */
  conflict: z.boolean(),
  /**
   * A dataset's own bookkeeping (an importer's upstream revision time): never a conflict of its
   * own; it takes the side chosen for the other fields of its row.
   */
  follows: z.boolean().optional(),
  /** What to show for values a reader would not recognise (a source's id: its key and title). */
  shown: z
    .object({ base: z.string().nullable(), mine: z.string().nullable(), theirs: z.string().nullable() })
    .optional(),
});
export type FieldDiff = z.infer<typeof FieldDiff>;

export const ItemKind = z.enum(['added', 'changed', 'deleted', 'conflict']);
export type ItemKind = z.infer<typeof ItemKind>;

/**
 * One row of the plan. `added`: only in their file; `changed`: fields only they changed;
 * `deleted`: they deleted it and you had not changed it; `conflict`: some field both changed
 * differently, or one side deleted a row the other edited (`rowConflict`).
 */
export const PlanItem = z.object({
  key: z.string(),
  tbl: LoggedTable,
  id: z.string(),
  label: z.string(),
  kind: ItemKind,
  /**
   * `same-key`: their source uses a key your file gives to a different source (another title):
   * theirs is added under a free key, or left out (with what cites it) if you keep yours.
   */
  rowConflict: z.enum(['they-deleted', 'you-deleted', 'same-key']).nullable(),
  /** Why this is a conflict, or why it cannot be applied, in words. */
  reason: z.string().nullable(),
  /** Their row cannot be applied as it is (a value fails validation): shown, never applied. */
  problem: z.string().nullable(),
  fields: z.array(FieldDiff),
  /** Who added or deleted the row (added, deleted and row conflicts). */
  by: Who.nullable(),
  /** The row being added (theirs) or deleted (yours), for the review. */
  row: Row.nullable(),
});
export type PlanItem = z.infer<typeof PlanItem>;

/** Rows of one table (or all): a row with several conflicting fields is one conflict. */
export const TableCounts = z.object({
  added: z.number(),
  changed: z.number(),
  deleted: z.number(),
  conflicts: z.number(),
});
export type TableCounts = z.infer<typeof TableCounts>;

/** Totals over every table, and per table (only the tables with something to merge). */
export const PlanCounts = TableCounts.extend({ tables: z.partialRecord(LoggedTable, TableCounts) });
export type PlanCounts = z.infer<typeof PlanCounts>;

/** A row in conflict, for reports: the fields both changed (none for a whole-row conflict) and why. */
export const ConflictRow = z.object({
  tbl: LoggedTable,
  id: z.string(),
  label: z.string(),
  fields: z.array(z.string()),
  reason: z.string().nullable(),
});
export type ConflictRow = z.infer<typeof ConflictRow>;

export const MergePlanView = z.object({
  planId: z.string(),
  theirs: z.object({ name: z.string(), title: z.string(), authors: z.array(z.string()) }),
  counts: PlanCounts,
  /** Their change-log entries this file does not have yet (kept, with their authors and times). */
  theirLogEntries: z.number(),
  items: z.array(PlanItem),
  /** Items beyond what the review lists (they are applied with the default choices). */
  hidden: z.number(),
  warnings: z.array(z.string()),
});
export type MergePlanView = z.infer<typeof MergePlanView>;

/** Keys: `tbl:id` chooses for a whole row, `tbl:id:field` for one field (a field choice wins). */
export const Resolutions = z.record(z.string().max(200), Side);
export type Resolutions = z.infer<typeof Resolutions>;

/** Rows of one table a merge added, updated or deleted, and its rows that were in conflict. */
export const TableResult = z.object({
  added: z.number(),
  updated: z.number(),
  deleted: z.number(),
  conflicts: z.number(),
});
export type TableResult = z.infer<typeof TableResult>;

export const MergeResult = z.object({
  /** Totals over every table (rows, of any table); `tables` says which. */
  added: z.number(),
  updated: z.number(),
  deleted: z.number(),
  conflicts: z.number(),
  applied: z.boolean(),
  tables: z.partialRecord(LoggedTable, TableResult),
  /** The rows in conflict (up to 1,000), each with the fields both changed. */
  conflictRows: z.array(ConflictRow),
  /** Rows of theirs that were not applied, and why (a citation of a row you kept deleted, ...). */
  skipped: z.array(z.string()),
  /** What was applied otherwise than as it was in their file (a source added under a free key). */
  notes: z.array(z.string()),
});
export type MergeResult = z.infer<typeof MergeResult>;

/** Which rows an export carries: all, or per grid table a filter (tables not named are left out). */
export const ExportScope = z.partialRecord(GridTable, FilterModel);
export type ExportScope = z.infer<typeof ExportScope>;

/** The results of the exchange area's long tasks (channels/tasks.ts). */
export const ExchangeExportResult = z.object({ path: z.string(), counts: z.record(z.string(), z.number()) });
export const ReceivedOpenResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), info: CaseInfo }),
  z.object({ ok: z.literal(false), message: z.string(), importable: z.boolean(), found: z.array(z.string()) }),
]);
export const ImportCopyResult = z.object({
  info: CaseInfo,
  copied: z.record(z.string(), z.number()),
  skipped: z.array(z.string()),
});

export const exchangeChannels = {
  /** Reads a colleague's file (checked in a worker, with a time limit) and plans the merge. */
  'exchange.preview': {
    kind: 'mutation',
    input: z.object({ path: Path, taskId: TaskId.optional() }).strict(),
    output: MergePlanView,
  },
  /** Applies a reviewed plan: one transaction, one undoable step. */
  'exchange.apply': {
    kind: 'mutation',
    input: z
      .object({
        planId: z.string().max(64),
        resolutions: Resolutions.default({}),
        /** Take every change that is not a conflict (unless a resolution says otherwise). */
        acceptNonConflicting: z.boolean().default(true),
        /** Settles every conflict without a resolution (the command line's --prefer). */
        prefer: Side.optional(),
        taskId: TaskId.optional(),
      })
      .strict(),
    output: MergeResult,
  },
  'exchange.discard': {
    kind: 'mutation',
    input: z.object({ planId: z.string().max(64) }).strict(),
    output: ok,
  },
  /** Writes the open case file (or a filtered part of it) as a new case file for a colleague. */
  'exchange.export': {
    kind: 'mutation',
    input: z
      .object({
        path: Path,
        scope: ExportScope.nullable().default(null),
        attachments: z.boolean().default(true),
        overwrite: z.boolean().default(false),
        taskId: TaskId.optional(),
      })
      .strict(),
    output: ExchangeExportResult,
  },
  /**
   * Opens a case file someone else may have made: checked in a worker with a time limit first.
   * A file with objects Casefile did not create is refused with `importable` set: its rows can
   * be copied into a fresh case file instead (exchange.importCopy).
   */
  'exchange.open': {
    kind: 'mutation',
    input: z.object({ path: Path, taskId: TaskId.optional() }).strict(),
    output: ReceivedOpenResult,
  },
  /** Copies the known tables' rows of a refused file, each validated, into a new case file, and opens it. */
  'exchange.importCopy': {
    kind: 'mutation',
    input: z.object({ path: Path, outPath: Path, taskId: TaskId.optional() }).strict(),
    output: ImportCopyResult,
  },
} as const;
