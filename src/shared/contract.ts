import { z } from 'zod';
import { GridTable, TableName, Uuid } from './domain/common';

/**
 * Every IPC channel and event, with its kind and schemas. Types come from `z.infer` here and
 * nowhere else; the main process, the browser-mode server and the renderer's client all read this.
 */

/** A cell value as it crosses the boundary. */
export const CellValue = z.union([z.string().max(1_000_000), z.number(), z.null()]);
export const Row = z.record(z.string().max(64), z.unknown());
export type Row = z.infer<typeof Row>;
/** Values a client writes: only field names, never more than a table has. */
const Values = z.record(z.string().max(64).regex(/^[a-z][a-z_0-9]*$/, 'not a field name'), CellValue);

export const SortModel = z.array(z.object({ colId: z.string().max(64), sort: z.enum(['asc', 'desc']) })).max(3);
export type SortModel = z.infer<typeof SortModel>;

/** One filter per column; the grid and the dashboard share this object. */
export const ColumnFilter = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), op: z.enum(['contains', 'equals', 'startsWith', 'blank', 'notBlank']), value: z.string().max(1000).default('') }),
  z.object({ type: z.literal('number'), min: z.number().nullable().default(null), max: z.number().nullable().default(null) }),
  z.object({ type: z.literal('date'), from: z.string().max(10).nullable().default(null), to: z.string().max(10).nullable().default(null) }),
  z.object({ type: z.literal('set'), values: z.array(z.string().max(1000).nullable()).max(10_000) }),
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

export const HistoryState = z.object({ canUndo: z.boolean(), canRedo: z.boolean(), undoLabel: z.string().nullable(), redoLabel: z.string().nullable() });
export type HistoryState = z.infer<typeof HistoryState>;

const Bar = z.object({ label: z.string(), value: z.number() });

const ok = z.object({ ok: z.literal(true) });

export const contract = {
  'app.info': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({ mode: z.enum(['electron', 'browser']), author: z.string().nullable(), caseFile: CaseInfo.nullable(), version: z.string() }),
  },
  'settings.setAuthor': {
    kind: 'mutation',
    input: z.object({ author: z.string().trim().min(1, 'a name is required').max(200) }).strict(),
    output: ok,
  },
  'file.new': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096), demo: z.boolean().default(false) }).strict(),
    output: CaseInfo,
  },
  'file.open': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: CaseInfo,
  },
  'file.saveAs': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: CaseInfo,
  },
  'file.recent': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.array(z.string()),
  },
  'rows.page': {
    kind: 'query',
    input: z.object({
      table: GridTable,
      sort: SortModel.default([]),
      filter: FilterModel.default(EMPTY_FILTER),
      after: Cursor.nullable().default(null),
      limit: z.number().int().min(1).max(1000).default(100),
    }).strict(),
    output: z.object({ rows: z.array(Row), next: Cursor.nullable() }),
  },
  'rows.count': {
    kind: 'query',
    input: z.object({ table: GridTable, filter: FilterModel.default(EMPTY_FILTER) }).strict(),
    output: z.object({ count: z.number() }),
  },
  'rows.get': {
    kind: 'query',
    input: z.object({ table: TableName, id: Uuid }).strict(),
    output: Row.nullable(),
  },
  'rows.create': {
    kind: 'mutation',
    input: z.object({ table: TableName, values: Values.default({}) }).strict(),
    output: Row,
  },
  'rows.update': {
    kind: 'mutation',
    input: z.object({ table: TableName, id: Uuid, values: Values }).strict(),
    output: Row,
  },
  'rows.delete': {
    kind: 'mutation',
    input: z.object({ table: TableName, ids: z.array(Uuid).min(1).max(100_000) }).strict(),
    output: z.object({ deleted: z.number() }),
  },
  'citations.forRow': {
    kind: 'query',
    input: z.object({ table: TableName, id: Uuid }).strict(),
    output: z.array(Row),
  },
  'history.state': { kind: 'query', input: z.object({}).strict(), output: HistoryState },
  'history.undo': { kind: 'mutation', input: z.object({}).strict(), output: HistoryState },
  'history.redo': { kind: 'mutation', input: z.object({}).strict(), output: HistoryState },
  'dashboard.figuresByAdmin1': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({ measure: z.string().nullable(), total: z.number().nullable(), bars: z.array(Bar.extend({ computed: z.number() })) }),
  },
  'dashboard.incidentsBy': {
    kind: 'query',
    input: z.object({ dimension: z.enum(['admin1', 'country', 'event_type', 'actor1']), filter: FilterModel.default(EMPTY_FILTER) }).strict(),
    output: z.array(Bar),
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.infer<Contract[C]['output']>;

/** Events pushed from the core to every connected view. */
export const events = {
  /** A mutation changed these rows (ids omitted when many changed at once). */
  'data.changed': z.object({ tables: z.array(TableName), ids: z.array(z.string()).optional(), origin: z.string().optional() }),
  'history.changed': HistoryState,
  /** Another case file was opened: every view starts over. */
  'file.opened': CaseInfo,
  'task.progress': z.object({ task: z.string(), done: z.number(), total: z.number().nullable(), message: z.string().optional() }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export type ErrorCode = 'validation' | 'not_found' | 'conflict' | 'refused' | 'no_case_file' | 'internal';
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; field?: string } };

export const CHANNELS = Object.keys(contract) as Channel[];
export function isChannel(s: unknown): s is Channel {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(contract, s);
}
export const EVENT_NAMES = Object.keys(events) as EventName[];
