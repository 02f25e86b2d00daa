import type { FilterModel } from '../shared/contract';
import type { GridTable } from '../shared/domain/common';
import { FTS_TABLES } from './migrations';
import type { Db } from './open';
import { ftsQuery } from './grid/filter-sql';
import { stmt } from './grid/statements';
import { countRows } from './grid/seek';

/**
 * Grid queries, one import for the rest of the core: the filter model becomes a parameterised
 * WHERE clause (grid/filter-sql.ts), pages are read by keyset (grid/keyset.ts) and any position
 * is reached from cached anchors (grid/seek.ts), never with OFFSET.
 */
export { columnOf, whereSql, ftsQuery, periodOf, type Sql } from './grid/filter-sql';
export { page, orderKey, type Page } from './grid/keyset';
export { seek, viewCount, ANCHOR_EVERY, type SeekResult } from './grid/seek';
export { distinct, type Distinct } from './grid/distinct';

/** Rows a filter selects (not cached: see viewCount for the grid's cached count). */
export function count(db: Db, table: GridTable, filter: FilterModel): number {
  return countRows(db, table, filter);
}

/**
 * The best `limit` matches of a search, by FTS5's bm25 relevance, for tables with a full-text
 * index. The ranking is read from the index alone; only the rows shown are read from the table.
 */
export function ftsTop(db: Db, table: keyof typeof FTS_TABLES, text: string, limit = 100): Record<string, unknown>[] {
  const q = ftsQuery(text);
  if (q === null) return [];
  return stmt(
    db,
    `SELECT t.* FROM (SELECT rowid AS r, bm25(${table}_fts) AS score FROM ${table}_fts WHERE ${table}_fts MATCH ? ORDER BY score LIMIT ?) m
     JOIN ${table} t ON t.rowid = m.r ORDER BY m.score`,
  ).all(q, limit) as Record<string, unknown>[];
}
