import type { Cursor, FilterModel, SortModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { columnOf, whereSql, type Sql } from './filter-sql';
import { completionFor } from './indexes';
import { stmt } from '../db/statements';

/**
 * Keyset paging. A view's order is a key of columns (each with its direction) ending in a unique
 * tie-breaker; a page is "the next N rows after this key", read from an index in order, never by
 * skipping rows with OFFSET.
 *
 * SQLite's row values ((a, b) > (?, ?)) would be the short way, but they treat NULL as unknown
 * and stop using the index past the first column. So "after the cursor" is split into segments,
 * each an equality prefix plus one range on the next column, read in order until the page is
 * full: after (a0, b0, r0) ascending is  a = a0 AND b = b0 AND r > r0,  then  a = a0 AND b > b0,
 * then  a > a0.  NULL sorts first ascending and last descending, as SQLite orders it.
 */
export type KeyCol = { col: string; desc: boolean };
/** `index`: the index that delivers exactly this order (a one-column sort completed from it). */
export type OrderKey = { cols: KeyCol[]; tie: 'id' | 'rowid'; tieDesc: boolean; index?: string };

/**
 * The view's order as a key: the sorted columns (NULL first ascending, as SQLite orders), then a
 * unique tie-breaker, so that rows with equal values keep one order however often it is read.
 * A one-column sort is read in order from its index where there is one (see indexes.ts).
 */
export function orderKey(db: Db, table: GridTable, sort: SortModel): OrderKey {
  const cols: KeyCol[] = [];
  for (const s of sort.slice(0, 3)) {
    const name = columnOf(table, s.colId).name;
    if (!cols.some((c) => c.col === name)) cols.push({ col: name, desc: s.sort === 'desc' });
  }
  // Unsorted: by id (UUID v7, so about the order rows were made), read from the primary key's index.
  if (cols.length === 0) return { cols, tie: 'id', tieDesc: false };
  const last = cols.at(-1)!;
  if (cols.length > 1) return { cols, tie: 'rowid', tieDesc: last.desc };
  const c = completionFor(db, table, last.col);
  return { cols, tie: c.tie, tieDesc: last.desc, ...(c.index ? { index: c.index } : {}) };
}

export function orderBySql(k: OrderKey): string {
  const parts = k.cols.map((c) => `${c.col} ${c.desc ? 'DESC' : 'ASC'}`);
  parts.push(`${k.tie} ${k.tieDesc ? 'DESC' : 'ASC'}`);
  return parts.join(', ');
}

/** The key of a row as a cursor: sort values, and the tie-breaker as text. */
export function cursorOf(k: OrderKey, row: Record<string, unknown>): Cursor {
  return {
    values: k.cols.map((c) => (row[c.col] ?? null) as string | number | null),
    id: String(row[k.tie === 'id' ? 'id' : '_rowid']),
  };
}

/** The conditions, in row order, that together select exactly the rows after the cursor. */
export function segmentsAfter(k: OrderKey, c: Cursor | null): Sql[] {
  if (!c) return [{ sql: '1', params: [] }];
  const tieValue: string | number = k.tie === 'rowid' ? Number(c.id) : c.id;
  const rec = (i: number): Sql[] => {
    if (i === k.cols.length) return [{ sql: `${k.tie} ${k.tieDesc ? '<' : '>'} ?`, params: [tieValue] }];
    const { col, desc } = k.cols[i]!;
    const v = c.values[i] ?? null;
    const eq: Sql = v === null ? { sql: `${col} IS NULL`, params: [] } : { sql: `${col} = ?`, params: [v] };
    const inner = rec(i + 1).map((s) => ({ sql: `${eq.sql} AND ${s.sql}`, params: [...eq.params, ...s.params] }));
    const after: Sql[] = [];
    if (!desc) after.push(v === null ? { sql: `${col} IS NOT NULL`, params: [] } : { sql: `${col} > ?`, params: [v] });
    else if (v !== null) after.push({ sql: `${col} < ?`, params: [v] }, { sql: `${col} IS NULL`, params: [] });
    return [...inner, ...after];
  };
  return rec(0);
}

export type ViewSpec = { table: GridTable; sort: SortModel; filter: FilterModel };

/**
 * The table, named with the index that serves the order when nothing filters the view. The
 * planner, knowing from ANALYZE that "fatalities = 0" is half the table, would otherwise walk
 * the table by rowid for "fatalities = 0 AND rowid < ?", reading whole rows where the index has
 * the keys. With filters it chooses: a selective filter's own index may well be better.
 */
export function fromSql(v: ViewSpec, k: OrderKey): string {
  const unfiltered = Object.keys(v.filter.columns).length === 0 && v.filter.search.trim() === '';
  return k.index && unfiltered ? `${v.table} INDEXED BY "${k.index.replace(/"/g, '""')}"` : v.table;
}

/**
 * Reads up to `limit` rows after the cursor, in the view's order. `select` is the column list
 * (all columns for a page, the key columns only for an anchor scan).
 */
export function readAfter(
  db: Db,
  v: ViewSpec,
  k: OrderKey,
  after: Cursor | null,
  limit: number,
  select = '*',
): Record<string, unknown>[] {
  const w = whereSql(v.table, v.filter);
  const order = orderBySql(k);
  const from = fromSql(v, k);
  const out: Record<string, unknown>[] = [];
  for (const seg of segmentsAfter(k, after)) {
    const sql = `SELECT ${select}, rowid AS _rowid FROM ${from} WHERE ${w.sql} AND ${seg.sql} ORDER BY ${order} LIMIT ?`;
    const rows = stmt(db, sql).all(...w.params, ...seg.params, limit - out.length) as Record<string, unknown>[];
    out.push(...rows);
    if (out.length >= limit) break;
  }
  return out;
}

export type Page = { rows: Record<string, unknown>[]; next: Cursor | null };

/** One page after a cursor: the grid's rows (without the internal rowid) and the next cursor. */
export function page(
  db: Db,
  table: GridTable,
  o: { sort: SortModel; filter: FilterModel; after: Cursor | null; limit: number },
): Page {
  const k = orderKey(db, table, o.sort);
  const rows = readAfter(db, { table, sort: o.sort, filter: o.filter }, k, o.after, o.limit);
  const last = rows.at(-1);
  const next = rows.length === o.limit && last ? cursorOf(k, last) : null;
  for (const r of rows) delete r._rowid;
  addCitationCounts(db, table, rows);
  return { rows, next };
}

/**
 * The grid's "Cites" column: how many citations each row of the page has (for a source, how many
 * citations point at it), in one indexed query per page.
 */
export function addCitationCounts(db: Db, table: GridTable, rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const ids = JSON.stringify(rows.map((r) => r.id));
  const counts =
    table === 'sources'
      ? (stmt(
          db,
          'SELECT source_id AS id, count(*) AS n FROM citations WHERE source_id IN (SELECT value FROM json_each(?)) GROUP BY source_id',
        ).all(ids) as { id: string; n: number }[])
      : (stmt(
          db,
          'SELECT target_id AS id, count(*) AS n FROM citations WHERE target_table = ? AND target_id IN (SELECT value FROM json_each(?)) GROUP BY target_id',
        ).all(table, ids) as { id: string; n: number }[]);
  const byId = new Map(counts.map((c) => [c.id, c.n]));
  for (const r of rows) r.cites = byId.get(r.id as string) ?? 0;
}
