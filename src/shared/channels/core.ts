import { z } from 'zod';
import { GridTable, TableName, Uuid } from '../domain/common';
import { CaseInfo, Cursor, TaskId, EMPTY_FILTER, FilterModel, HistoryState, Row, SortModel, UndoResult, Values, ok } from '../contract-base';

/** The foundation's channels: app, settings, files, rows, citations of a row, history. */
export const coreChannels = {
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
    input: z.object({ path: z.string().min(1).max(4096), taskId: TaskId.optional() }).strict(),
    output: CaseInfo,
  },
  'file.saveAs': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096), taskId: TaskId.optional() }).strict(),
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
  /** The calling window's Undo and Redo: each window undoes the steps made in it. */
  'history.state': { kind: 'query', input: z.object({}).strict(), output: HistoryState },
  /** `overwrite`: undo even what another window changed since (after asking the analyst). */
  'history.undo': { kind: 'mutation', input: z.object({ overwrite: z.boolean().default(false) }).strict(), output: UndoResult },
  'history.redo': { kind: 'mutation', input: z.object({ overwrite: z.boolean().default(false) }).strict(), output: UndoResult },
} as const;
