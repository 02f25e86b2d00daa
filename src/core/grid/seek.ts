import type { Cursor, FilterModel, SortModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../open';
import { filterColumns, whereSql } from './filter-sql';
import { addCitationCounts, cursorOf, fromSql, orderBySql, orderKey, readAfter, segmentsAfter, type OrderKey, type Page, type ViewSpec } from './keyset';
import { cached, stillCached } from './view-cache';
import { stmt } from '../statements';

/**
 * Jumping to any row of a view (the grid's scrollbar dragged to 99% of a million rows) without
 * OFFSET: the key of every ANCHOR_EVERY-th row is computed once per view (sort + filter) by an
 * index-only scan and cached until a change could move rows (see view-cache.ts); a page at any
 * offset is then a keyset read from the anchor at or before it. Sequential scrolling does not
 * need anchors: the key at the end of each page served is kept too.
 */
export const ANCHOR_EVERY = 100;
/** Rows per anchor-scan slice: the scan yields to the event loop between slices. */
const SLICE = 10_000;
const MAX_ENDS = 2_000;

type ViewState = {
  count: number;
  /** Key after which the row at offset n*ANCHOR_EVERY starts (index n-1), once scanned. */
  anchors: Cursor[] | null;
  building: Promise<Cursor[]> | null;
  /** Offset -> key after which that row starts: ends of pages already served. */
  ends: Map<number, Cursor>;
};

export function viewKey(v: ViewSpec): string {
  return JSON.stringify(['view', v.table, v.sort, v.filter]);
}

function viewColumns(v: ViewSpec, k: OrderKey): string[] {
  return [...k.cols.map((c) => c.col), ...filterColumns(v.table, v.filter)];
}

function state(db: Db, v: ViewSpec, k: OrderKey): ViewState {
  return cached<ViewState>(db, viewKey(v), v.table, viewColumns(v, k), () => ({ count: countRows(db, v.table, v.filter), anchors: null, building: null, ends: new Map() }));
}

export function countRows(db: Db, table: GridTable, filter: FilterModel): number {
  const w = whereSql(table, filter);
  return stmt(db, `SELECT count(*) FROM ${table} WHERE ${w.sql}`).pluck().get(...w.params) as number;
}

/** The number of rows of a view, cached with the view. */
export function viewCount(db: Db, table: GridTable, filter: FilterModel, sort: SortModel = []): number {
  const v = { table, sort, filter };
  return state(db, v, orderKey(db, table, sort)).count;
}

export type SeekResult = Page & { total: number };

/** `limit` rows of the view starting at row `offset` (0-based), and the view's row count. */
export async function seek(db: Db, table: GridTable, o: { sort: SortModel; filter: FilterModel; offset: number; limit: number }): Promise<SeekResult> {
  const v: ViewSpec = { table, sort: o.sort, filter: o.filter };
  const k = orderKey(db, table, o.sort);
  for (let attempt = 0; ; attempt++) {
    const st = state(db, v, k);
    if (o.offset >= st.count) return { rows: [], next: null, total: st.count };
    let after: Cursor | null = null;
    if (o.offset > 0) {
      const end = st.ends.get(o.offset);
      if (end) after = end;
      else {
        const anchors = st.anchors ?? (await anchorsOf(db, v, k, st));
        // A change while the anchors were scanned may have moved rows: scan again (twice at most).
        if (!stillCached(db, viewKey(v)) && attempt < 2) continue;
        const n = Math.floor(o.offset / ANCHOR_EVERY);
        after = n === 0 ? null : (anchors[n - 1] ?? null);
        const skip = o.offset - n * ANCHOR_EVERY;
        if (skip > 0) {
          const keys = readAfter(db, v, k, after, skip, keySelect(k));
          const last = keys.at(-1);
          if (!last || keys.length < skip) return { rows: [], next: null, total: st.count };
          after = cursorOf(k, last);
        }
      }
    }
    const rows = readAfter(db, v, k, after, o.limit);
    const last = rows.at(-1);
    const next = rows.length === o.limit && last ? cursorOf(k, last) : null;
    for (const r of rows) delete r._rowid;
    addCitationCounts(db, table, rows);
    if (next) {
      st.ends.set(o.offset + rows.length, next);
      if (st.ends.size > MAX_ENDS) st.ends.delete(st.ends.keys().next().value!);
    }
    return { rows, next, total: st.count };
  }
}

/**
 * Where a row stands in a view, 0-based (so the grid can scroll to it and edit it), or null when
 * the view's filters or search leave it out. Counted, not read: the rows of the view after the
 * row's own key, by the same segments a page is read with, taken from the view's count.
 */
export function rowPosition(db: Db, table: GridTable, o: { sort: SortModel; filter: FilterModel; id: string }): number | null {
  const v: ViewSpec = { table, sort: o.sort, filter: o.filter };
  const k = orderKey(db, table, o.sort);
  const w = whereSql(table, o.filter);
  const row = stmt(db, `SELECT *, rowid AS _rowid FROM ${table} WHERE ${w.sql} AND id = ?`).get(...w.params, o.id) as Record<string, unknown> | undefined;
  if (!row) return null;
  const from = fromSql(v, k);
  let after = 0;
  for (const seg of segmentsAfter(k, cursorOf(k, row))) {
    after += stmt(db, `SELECT count(*) FROM ${from} WHERE ${w.sql} AND ${seg.sql}`).pluck().get(...w.params, ...seg.params) as number;
  }
  return countRows(db, table, o.filter) - after - 1;
}

function keySelect(k: OrderKey): string {
  const cols = k.cols.map((c) => c.col);
  if (k.tie === 'id' && !cols.includes('id')) cols.push('id');
  return cols.length ? cols.join(', ') : 'id';
}

function anchorsOf(db: Db, v: ViewSpec, k: OrderKey, st: ViewState): Promise<Cursor[]> {
  if (!st.building) {
    st.building = scanAnchors(db, v, k).then(
      (a) => {
        st.anchors = a;
        st.building = null;
        return a;
      },
      (e: unknown) => {
        st.building = null;
        throw e;
      },
    );
  }
  return st.building;
}

/**
 * The anchor scan: the view's keys in order, read from the index in slices, numbered by a window
 * function so that only every ANCHOR_EVERY-th key (and a full slice's last) comes back to JS.
 * The numbering follows the order the subquery delivers (OVER () re-sorts nothing); the tests
 * compare the anchors with every 100th row of the plain ordered query.
 */
export async function scanAnchors(db: Db, v: ViewSpec, k: OrderKey, slice = SLICE): Promise<Cursor[]> {
  const w = whereSql(v.table, v.filter);
  const order = orderBySql(k);
  const from = fromSql(v, k);
  const cols = k.cols.map((c) => c.col);
  const innerCols = [...cols, `${k.tie} AS _tie`].join(', ');
  const anchors: Cursor[] = [];
  let pos = 0;
  let after: Cursor | null = null;
  const toCursor = (r: Record<string, unknown>): Cursor => ({ values: cols.map((c) => (r[c] ?? null) as string | number | null), id: String(r._tie) });
  for (;;) {
    let read = 0;
    let last: Cursor | null = null;
    for (const seg of segmentsAfter(k, after)) {
      const inner = `SELECT ${innerCols} FROM ${from} WHERE ${w.sql} AND ${seg.sql} ORDER BY ${order} LIMIT ?`;
      const want = slice - read;
      const rows = stmt(db, `SELECT * FROM (SELECT *, row_number() OVER () AS _rn FROM (${inner})) WHERE (_rn + ?) % ${ANCHOR_EVERY} = 0 OR _rn = ?`)
        .all(...w.params, ...seg.params, want, pos % ANCHOR_EVERY, want) as (Record<string, unknown> & { _rn: number })[];
      for (const r of rows) if ((pos + r._rn) % ANCHOR_EVERY === 0) anchors.push(toCursor(r));
      const tail = rows.at(-1);
      if (tail && tail._rn === want) {
        // The slice is full: go on after its last row.
        last = toCursor(tail);
        pos += want;
        read += want;
        break;
      }
      // The segment ended inside the slice: how many rows it had (at most `want`, so cheap).
      const n = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${w.sql} AND ${seg.sql} ORDER BY ${order} LIMIT ?)`).pluck().get(...w.params, ...seg.params, want) as number;
      pos += n;
      read += n;
    }
    if (read < slice || !last) return anchors;
    after = last;
    await new Promise((r) => setImmediate(r));
  }
}
