import type { Cursor, FilterModel, SortModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { filterColumns, whereSql } from './filter-sql';
import {
  addCitationCounts,
  cursorOf,
  fromSql,
  orderBySql,
  orderKey,
  readAfter,
  segmentsAfter,
  type OrderKey,
  type Page,
  type ViewSpec,
} from './keyset';
import { cachedForView, stillCached } from './view-cache';
import { stmt } from '../db/statements';

/**
 * Jumping to any row of a view (the grid's scrollbar dragged to 99% of a million rows) without
 * paging by OFFSET: a page is always read by keyset after a known key. The keys the view knows
 * are the ends of the pages it served and of the jumps it made (offset -> key after which that
 * row starts). A jump to an offset no key is known for starts from the nearest known key before
 * it and lets SQLite step over the rows in between inside the index (LIMIT 1 OFFSET d on the
 * view's own index order, the key columns only), in slices of SKIP_SLICE rows that yield to the
 * event loop between them; each slice's end becomes a known key too, so later jumps are shorter.
 * Stepping an index in C costs a few tens of nanoseconds a row; the anchor scan this replaces
 * brought every 100th key of the whole view to JS through a window function before the first
 * jump (0.5 s at a million rows, 2.6 s on a busy machine).
 */
/** Rows stepped over per statement: the jump yields to the event loop between slices. */
const SKIP_SLICE = 250_000;
const MAX_ENDS = 2_000;

type ViewState = {
  count: number;
  /** Offset -> key after which that row starts: ends of pages served and of jumps made. */
  ends: Map<number, Cursor>;
};

export function viewKey(v: ViewSpec): string {
  return JSON.stringify(['view', v.table, v.sort, v.filter]);
}

function viewColumns(v: ViewSpec, k: OrderKey): string[] {
  return [...k.cols.map((c) => c.col), ...filterColumns(v.table, v.filter)];
}

function state(db: Db, v: ViewSpec, k: OrderKey): ViewState {
  return cachedForView<ViewState>(db, viewKey(v), v.table, viewColumns(v, k), () => ({
    count: countRows(db, v.table, v.filter),
    ends: new Map(),
  }));
}

export function countRows(db: Db, table: GridTable, filter: FilterModel): number {
  const w = whereSql(table, filter);
  return stmt(db, `SELECT count(*) FROM ${table} WHERE ${w.sql}`)
    .pluck()
    .get(...w.params) as number;
}

/** The number of rows of a view, cached with the view. */
export function viewCount(db: Db, table: GridTable, filter: FilterModel, sort: SortModel = []): number {
  const v = { table, sort, filter };
  return state(db, v, orderKey(db, table, sort)).count;
}

export type SeekResult = Page & { total: number };

/** `limit` rows of the view starting at row `offset` (0-based), and the view's row count. */
export async function seek(
  db: Db,
  table: GridTable,
  o: {
    sort: SortModel;
    filter: FilterModel;
    offset: number;
    limit: number;
    /** tests: rows per skip slice */ slice?: number;
  },
): Promise<SeekResult> {
  const v: ViewSpec = { table, sort: o.sort, filter: o.filter };
  const k = orderKey(db, table, o.sort);
  for (let attempt = 0; ; attempt++) {
    const st = state(db, v, k);
    if (o.offset >= st.count) return { rows: [], next: null, total: st.count };
    let after: Cursor | null = null;
    if (o.offset > 0) {
      const known = nearestKnown(st, o.offset);
      after = known.cursor;
      if (known.offset < o.offset) {
        const reached = await skipRows(db, v, k, st, known, o.offset - known.offset, o.slice ?? SKIP_SLICE);
        // A change while skipping may have moved rows: start again from a fresh view (twice at most).
        if (!stillCached(db, viewKey(v)) && attempt < 2) continue;
        if (!reached) return { rows: [], next: null, total: st.count };
        after = reached;
      }
    }
    const rows = readAfter(db, v, k, after, o.limit);
    const last = rows.at(-1);
    const next = rows.length === o.limit && last ? cursorOf(k, last) : null;
    for (const r of rows) delete r._rowid;
    addCitationCounts(db, table, rows);
    if (next) remember(st, o.offset + rows.length, next);
    return { rows, next, total: st.count };
  }
}

/**
 * Where a row stands in a view, 0-based (so the grid can scroll to it and edit it), or null when
 * the view's filters or search leave it out. Counted, not read: the rows of the view after the
 * row's own key, by the same segments a page is read with, taken from the view's count.
 */
export function rowPosition(
  db: Db,
  table: GridTable,
  o: { sort: SortModel; filter: FilterModel; id: string },
): number | null {
  const v: ViewSpec = { table, sort: o.sort, filter: o.filter };
  const k = orderKey(db, table, o.sort);
  const w = whereSql(table, o.filter);
  const row = stmt(db, `SELECT *, rowid AS _rowid FROM ${table} WHERE ${w.sql} AND id = ?`).get(...w.params, o.id) as
    Record<string, unknown> | undefined;
  if (!row) return null;
  const from = fromSql(v, k);
  let after = 0;
  for (const seg of segmentsAfter(k, cursorOf(k, row))) {
    after += stmt(db, `SELECT count(*) FROM ${from} WHERE ${w.sql} AND ${seg.sql}`)
      .pluck()
      .get(...w.params, ...seg.params) as number;
  }
  return countRows(db, table, o.filter) - after - 1;
}

function keySelect(k: OrderKey): string {
  const cols = k.cols.map((c) => c.col);
  if (k.tie === 'id' && !cols.includes('id')) cols.push('id');
  return cols.length ? cols.join(', ') : 'id';
}

function remember(st: ViewState, offset: number, key: Cursor): void {
  st.ends.delete(offset);
  st.ends.set(offset, key);
  if (st.ends.size > MAX_ENDS) st.ends.delete(st.ends.keys().next().value!);
}

/** The known key at or before `offset` nearest to it (offset 0, the view's start, is always known). */
function nearestKnown(st: ViewState, offset: number): { offset: number; cursor: Cursor | null } {
  let best: { offset: number; cursor: Cursor | null } = { offset: 0, cursor: null };
  for (const [at, cursor] of st.ends) if (at <= offset && at > best.offset) best = { offset: at, cursor };
  return best;
}

/**
 * The key of the `n`-th row after the known key `from` (so rows after it start at from.offset + n),
 * or null when the view has fewer rows. Steps in slices, remembering each slice's end.
 */
async function skipRows(
  db: Db,
  v: ViewSpec,
  k: OrderKey,
  st: ViewState,
  from: { offset: number; cursor: Cursor | null },
  n: number,
  slice: number,
): Promise<Cursor | null> {
  let at = from.offset;
  let cursor = from.cursor;
  for (let left = n; left > 0;) {
    const step = Math.min(left, slice);
    const key = keyAfterSkip(db, v, k, cursor, step);
    if (!key) return null;
    at += step;
    left -= step;
    cursor = key;
    remember(st, at, key);
    if (left > 0) await new Promise((r) => setImmediate(r));
  }
  return cursor;
}

/**
 * The key of the m-th row (m >= 1) after the cursor, in the view's order, read from the index by
 * SQLite stepping over m - 1 rows, segment by segment (see segmentsAfter); null past the end.
 */
export function keyAfterSkip(db: Db, v: ViewSpec, k: OrderKey, after: Cursor | null, m: number): Cursor | null {
  const w = whereSql(v.table, v.filter);
  const order = orderBySql(k);
  const from = fromSql(v, k);
  let left = m;
  for (const seg of segmentsAfter(k, after)) {
    const row = stmt(
      db,
      `SELECT ${keySelect(k)}, rowid AS _rowid FROM ${from} WHERE ${w.sql} AND ${seg.sql} ORDER BY ${order} LIMIT 1 OFFSET ?`,
    ).get(...w.params, ...seg.params, left - 1) as Record<string, unknown> | undefined;
    if (row) return cursorOf(k, row);
    // The segment ends before the row: how many rows it had (fewer than `left`, so the count is bounded).
    left -= stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${w.sql} AND ${seg.sql} LIMIT ?)`)
      .pluck()
      .get(...w.params, ...seg.params, left) as number;
  }
  return null;
}
