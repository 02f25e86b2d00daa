import type { FilterModel } from '../shared/contract';
import type { GridTable } from '../shared/domain/common';
import type { Db } from './db/open';
import { countRows } from './grid/seek';

/**
 * Grid queries, one import for the rest of the core: the filter model becomes a parameterised
 * WHERE clause (grid/filter-sql.ts), pages are read by keyset (grid/keyset.ts) and any position
 * is reached from the nearest key the view knows (grid/seek.ts), never by paging with OFFSET.
 */
export { columnOf, whereSql, ftsQuery, periodOf, type Sql } from './grid/filter-sql';
export { page, orderKey, type Page } from './grid/keyset';
export { seek, viewCount, rowPosition, type SeekResult } from './grid/seek';
export { distinct, type Distinct } from './grid/distinct';
export { bestMatches, type BestMatch } from './grid/best';

/** Rows a filter selects (not cached: see viewCount for the grid's cached count). */
export function count(db: Db, table: GridTable, filter: FilterModel): number {
  return countRows(db, table, filter);
}
