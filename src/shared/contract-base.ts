import { z } from 'zod';

/** Schemas that channels of every area share (rows, filters, cursors). */

/** A cell value as it crosses the boundary. */
export const CellValue = z.union([z.string().max(1_000_000), z.number(), z.null()]);
export const Row = z.record(z.string().max(64), z.unknown());
export type Row = z.infer<typeof Row>;
/** Values a client writes: only field names, never more than a table has. */
export const Values = z.record(
  z
    .string()
    .max(64)
    .regex(/^[a-z][a-z_0-9]*$/, 'not a field name'),
  CellValue,
);

export const SortModel = z.array(z.object({ colId: z.string().max(64), sort: z.enum(['asc', 'desc']) })).max(3);
export type SortModel = z.infer<typeof SortModel>;

/** One filter per column; the grid and the dashboard share this object. */
export const ColumnFilter = z.discriminatedUnion('type', [
  // `exact`: the name only, not the other names its aliases give the same actor or place.
  z.object({
    type: z.literal('text'),
    op: z.enum(['contains', 'equals', 'startsWith', 'blank', 'notBlank']),
    value: z.string().max(1000).default(''),
    exact: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('number'),
    min: z.number().nullable().default(null),
    max: z.number().nullable().default(null),
  }),
  z.object({
    type: z.literal('date'),
    from: z.string().max(10).nullable().default(null),
    to: z.string().max(10).nullable().default(null),
  }),
  z.object({
    type: z.literal('set'),
    values: z.array(z.string().max(1000).nullable()).max(10_000),
    exact: z.boolean().optional(),
  }),
]);
export type ColumnFilter = z.infer<typeof ColumnFilter>;
export const FilterModel = z.object({
  columns: z.record(z.string().max(64), ColumnFilter).default({}),
  search: z.string().max(1000).default(''),
});
export type FilterModel = z.infer<typeof FilterModel>;
export const EMPTY_FILTER: FilterModel = { columns: {}, search: '' };

/** Keyset cursor: the sort values and the id of the last row of the previous page. */
export const Cursor = z.object({ values: z.array(CellValue).max(4), id: z.string().max(64) });
export type Cursor = z.infer<typeof Cursor>;

export const CaseInfo = z.object({
  path: z.string(),
  title: z.string(),
  schemaVersion: z.number(),
  counts: z.record(z.string(), z.number()),
});
export type CaseInfo = z.infer<typeof CaseInfo>;

export const HistoryState = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});
export type HistoryState = z.infer<typeof HistoryState>;
/**
 * What an Undo or Redo did: the window's history after it, or, when what it would put back was
 * changed since (by another window), nothing done and what changed, to ask the analyst.
 */
export const UndoResult = HistoryState.extend({ changedSince: z.string().optional() });
export type UndoResult = z.infer<typeof UndoResult>;

export const Bar = z.object({ label: z.string(), value: z.number() });

export const ok = z.object({ ok: z.literal(true) });

/**
 * A long task's id (channels/tasks.ts). The window that starts a task may choose it (a random
 * UUID), so that its Stop can name the task before any progress has come back.
 */
export const TaskId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a task id');
export type TaskId = z.infer<typeof TaskId>;
