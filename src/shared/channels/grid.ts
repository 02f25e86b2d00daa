import { z } from 'zod';
import { GridTable, TableName, Uuid } from '../domain/common';
import { Cursor, EMPTY_FILTER, FilterModel, Row, SortModel, TaskId, Values, ok } from '../contract-base';

/** A grid's saved layout: column order (array order), widths, visibility, pinning, sort, filters. */
export const GridLayout = z.object({
  columns: z
    .array(
      z.object({
        colId: z.string().max(64),
        width: z.number().int().min(20).max(4000).optional(),
        hide: z.boolean().optional(),
        pinned: z.enum(['left', 'right']).nullable().optional(),
      }),
    )
    .max(200),
  sort: SortModel.default([]),
  filter: FilterModel.default(EMPTY_FILTER),
});
export type GridLayout = z.infer<typeof GridLayout>;

const GridName = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'not a grid name');
/**
 * Table formats, and for incidents and plots the formats GIS and link-analysis tools read:
 * GeoJSON (RFC 7946), KML, and an edge list (CSV: source, target, kind, weight).
 */
export const ExportFormat = z.enum(['csv', 'xlsx', 'json', 'geojson', 'kml', 'edges']);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const MAP_FORMATS = ['geojson', 'kml', 'edges'] as const;
/** The extension a format's file takes (an edge list is a CSV file). */
export const exportExtension = (f: ExportFormat): string => (f === 'edges' ? 'csv' : f);
export const ExportLayout = z.enum(['casefile', 'acled']);
export type ExportLayout = z.infer<typeof ExportLayout>;

/** What an export of a view or table wrote (the 'grid-export' task's result). */
export const GridExportResult = z.object({ path: z.string(), rows: z.number(), truncatedCells: z.number() });

/** Channels of the grid area: every rows.* channel (a row of any table, and a grid's views) and the grid's own. */
export const gridChannels = {
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
  /** Rows of a view from any position (the grid's jumps), with the view's row count. */
  'rows.seek': {
    kind: 'query',
    input: z
      .object({
        table: GridTable,
        sort: SortModel.default([]),
        filter: FilterModel.default(EMPTY_FILTER),
        offset: z.number().int().min(0).max(1_000_000_000),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ rows: z.array(Row), next: Cursor.nullable(), total: z.number() }),
  },
  /** Where a row stands in a view (0-based), or null when the view's filters or search leave it out. */
  'rows.position': {
    kind: 'query',
    input: z
      .object({ table: GridTable, sort: SortModel.default([]), filter: FilterModel.default(EMPTY_FILTER), id: Uuid })
      .strict(),
    output: z.object({ index: z.number().int().nullable() }),
  },
  /** A column's values with their counts under the view's other filters (set filters). */
  'rows.distinct': {
    kind: 'query',
    input: z
      .object({
        table: GridTable,
        column: z.string().max(64),
        filter: FilterModel.default(EMPTY_FILTER),
        search: z.string().max(200).default(''),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    output: z.object({
      values: z.array(z.object({ value: z.string().nullable(), count: z.number() })),
      truncated: z.boolean(),
    }),
  },
  /**
   * A search's best matches by relevance (bm25), under the view's column filters, each with a
   * snippet of its text around the terms found (marked by \u0002 and \u0003). Tables with a
   * search index only.
   */
  'rows.best': {
    kind: 'query',
    input: z
      .object({
        table: z.enum(['incidents', 'sources']),
        filter: FilterModel.default(EMPTY_FILTER),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ matches: z.array(z.object({ row: Row, score: z.number(), snippet: z.string() })) }),
  },
  /** A rectangular block of cells as text (from a spreadsheet), saved whole or not at all. */
  'rows.paste': {
    kind: 'mutation',
    input: z
      .object({
        table: GridTable,
        columns: z.array(z.string().max(64)).min(1).max(100),
        rows: z
          .array(z.object({ id: Uuid, cells: z.array(z.string().max(1_000_000)).max(100) }))
          .min(1)
          .max(10_000),
        firstRow: z.number().int().min(1).optional(),
      })
      .strict(),
    output: z.object({ updated: z.number() }),
  },
  'grid.state.get': {
    kind: 'query',
    input: z.object({ grid: GridName }).strict(),
    output: GridLayout.nullable(),
  },
  'grid.state.set': {
    kind: 'mutation',
    input: z.object({ grid: GridName, state: GridLayout }).strict(),
    output: ok,
  },
  /** Writes a view (its filters and sort) or a whole table to a file; progress as task.progress 'grid-export'. */
  'grid.export': {
    kind: 'mutation',
    input: z
      .object({
        table: GridTable,
        scope: z.enum(['view', 'table']).default('view'),
        format: ExportFormat,
        layout: ExportLayout.default('casefile'),
        sort: SortModel.default([]),
        filter: FilterModel.default(EMPTY_FILTER),
        path: z.string().min(1).max(4096),
        overwrite: z.boolean().default(false),
        taskId: TaskId.optional(),
        /** Edge lists: actors and places under the name their aliases chose. */
        aliases: z.boolean().default(false),
      })
      .strict(),
    output: GridExportResult,
  },
} as const;
