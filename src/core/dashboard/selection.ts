import type { FilterModel } from '../../shared/contract';
import type { Db } from '../db/open';
import { pickSummary, summaryWhere, type Need } from './summaries';
import { scopedWhere, type Sql } from './sql';

/** A tag list ("abroad; arrests") holds the item "abroad". One expression, so that a partial index can match it. */
export const ABROAD_TAG = `instr(';' || replace(lower(coalesce(tags, '')), ' ', '') || ';', ';abroad;') > 0`;

/**
 * Where a chart's incidents come from. Unfiltered: the incidents table itself, whose covering
 * indexes answer each group-by without reading a row. Filtered: a narrow copy of the matching
 * rows' dashboard columns in a TEMP table, made once per filter and shared by every chart with
 * that filter, so a click on a bar costs one pass over the matching rows, not one per chart.
 * TEMP tables live in the connection's temp schema, never in the case file.
 */
export type Src = {
  from: string;
  where: string;
  params: Sql['params'];
  /** Expression for "tagged abroad" in `from`. */
  tag: string;
  /** Expression for the incident's rowid in `from`. */
  rid: string;
  /** The same rows as a condition on `incidents`, for the source line. */
  rows: Sql;
  /** Aggregates over `from`: incidents, fatalities, incidents that give a number of fatalities. */
  n: string;
  f: string;
  k: string;
  /** Length of the stored date (0 when unknown): a month-grain summary keeps it beside the month. */
  dlen: string;
  /** Set when `from` is a summary table (its `date` may be a month; it has no rowids). */
  summary: boolean;
};

const ROWS = {
  n: 'count(*)',
  f: 'total(fatalities)',
  k: 'count(fatalities)',
  dlen: 'coalesce(length(date), 0)',
  summary: false,
} as const;

const COLUMNS = 'country, admin1, event_type, sub_event_type, actor1, date, fatalities, longitude, latitude';
/** Selections kept per connection: the charts of one filter state use two or three. */
const KEEP = 6;

type State = {
  version: string;
  seq: number;
  selections: Map<string, { table: string; count: number }>;
  results: Map<string, unknown>;
};
const states = new WeakMap<Db, State>();

/** Changes by this connection (total_changes) or by any other (data_version): either empties the caches. */
function dataVersion(db: Db): string {
  const r = db.prepare('SELECT total_changes() t, (SELECT data_version FROM pragma_data_version) d').get() as {
    t: number;
    d: number;
  };
  return `${r.t}:${r.d}`;
}

function state(db: Db): State {
  let s = states.get(db);
  const v = dataVersion(db);
  if (!s) states.set(db, (s = { version: v, seq: 0, selections: new Map(), results: new Map() }));
  if (s.version !== v) {
    for (const sel of s.selections.values()) db.exec(`DROP TABLE IF EXISTS temp.${sel.table}`);
    s.selections.clear();
    s.results.clear();
  }
  return s;
}

/** Writing temp tables changes total_changes: note the version after our own writes. */
function settle(db: Db, s: State): void {
  s.version = dataVersion(db);
}

export function incidentSource(db: Db, filter: FilterModel, own: readonly string[]): Src {
  const w = scopedWhere('incidents', filter, own);
  if (w.sql === '1')
    return { from: 'incidents', where: '1', params: [], tag: ABROAD_TAG, rid: 'rowid', rows: w, ...ROWS };
  const s = state(db);
  const key = JSON.stringify(w);
  let sel = s.selections.get(key);
  if (sel) {
    s.selections.delete(key); // most recently used last
    s.selections.set(key, sel);
  } else {
    const table = `dash_sel_${++s.seq}`;
    db.exec(
      `CREATE TEMP TABLE ${table} (rid INTEGER PRIMARY KEY, country TEXT, admin1 TEXT, event_type TEXT, sub_event_type TEXT, actor1 TEXT, date TEXT, fatalities INTEGER, longitude REAL, latitude REAL, abroad_tag INTEGER)`,
    );
    const count = db
      .prepare(`INSERT INTO temp.${table} SELECT rowid, ${COLUMNS}, ${ABROAD_TAG} FROM incidents WHERE ${w.sql}`)
      .run(...w.params).changes;
    sel = { table, count };
    s.selections.set(key, sel);
    while (s.selections.size > KEEP) {
      const [oldest, old] = s.selections.entries().next().value as [string, { table: string }];
      db.exec(`DROP TABLE IF EXISTS temp.${old.table}`);
      s.selections.delete(oldest);
    }
    settle(db, s);
  }
  return {
    from: `temp.${sel.table}`,
    where: '1',
    params: [],
    tag: 'abroad_tag',
    rid: 'rid',
    rows: { sql: `incidents.rowid IN (SELECT rid FROM temp.${sel.table})`, params: [] },
    ...ROWS,
  };
}

/**
 * Where a chart's answer comes from: the smallest summary table (migration 004) that holds the
 * columns the chart groups by and the filter reads, else the incidents (incidentSource).
 */
export function chartSource(db: Db, filter: FilterModel, own: readonly string[], need: Need): Src {
  const scoped = {
    columns: Object.fromEntries(Object.entries(filter.columns).filter(([c]) => !own.includes(c))),
    search: filter.search,
  };
  const def = pickSummary(db, scoped, need);
  if (!def) return incidentSource(db, filter, own);
  const w = summaryWhere(def, scoped);
  return {
    from: w.from,
    where: w.where,
    params: w.params,
    tag: 'abroad',
    rid: 'NULL',
    rows: scopedWhere('incidents', filter, own),
    n: 'sum(n)',
    f: 'total(f)',
    k: 'sum(k)',
    dlen: def.grain === 'day' ? ROWS.dlen : 'dlen',
    summary: true,
  };
}

/**
 * First and last date of a chart's rows. From a summary: its first and last month (or the exact
 * dates of a day-grain one), then the exact day inside that month, one short walk along the date
 * index that stops at the first matching incident. Else as dateSpan.
 */
export function chartSpan(
  db: Db,
  filter: FilterModel,
  own: readonly string[],
  src: Src,
): { first: string | null; last: string | null } {
  if (!src.summary) return dateSpan(db, src.from, src.where, src.params);
  const scoped = {
    columns: Object.fromEntries(Object.entries(filter.columns).filter(([c]) => !own.includes(c))),
    search: filter.search,
  };
  const def = pickSummary(db, scoped, { keys: ['date'], grain: 'month' });
  if (!def) return dateSpan(db, 'incidents', src.rows.sql, src.rows.params);
  const w = summaryWhere(def, scoped);
  const ends = dateSpan(db, w.from, w.where, w.params);
  if (def.grain === 'day') return ends;
  const exact = (p: string | null, dir: 'ASC' | 'DESC') => {
    // A year ('2018') sorts before its months and days: as first it is exact, as last it is
    // exact too (no later month exists). A month holds its month-precision row and its days.
    if (p === null || p.length !== 7) return p;
    return db
      .prepare(
        `SELECT date FROM incidents INDEXED BY incidents_date WHERE date >= ? AND date < ? AND ${src.rows.sql} ORDER BY date ${dir} LIMIT 1`,
      )
      .pluck()
      .get(p, `${p}-32`, ...src.rows.params) as string | null;
  };
  return { first: exact(ends.first, 'ASC'), last: exact(ends.last, 'DESC') };
}

/**
 * Answers for the same question over the same data are kept until the data changes: a second
 * window, or a filter toggled back, costs nothing.
 */
export function cachedAnswer<T>(db: Db, key: unknown[], compute: () => T): T {
  const s = state(db);
  const k = JSON.stringify(key);
  if (s.results.has(k)) return s.results.get(k) as T;
  const v = compute();
  settle(db, s);
  s.results.set(k, v);
  if (s.results.size > 200) s.results.delete(s.results.keys().next().value as string);
  return v;
}

/** Drops every selection and cached answer of this connection (the benchmark measures cold). */
export function resetDashboardCache(db: Db): void {
  const s = states.get(db);
  if (!s) return;
  for (const sel of s.selections.values()) db.exec(`DROP TABLE IF EXISTS temp.${sel.table}`);
  s.selections.clear();
  s.results.clear();
  settle(db, s);
}

/**
 * First and last date of the rows, for a subtitle's period. On the incidents table each end is
 * one seek on the date index; on a selection, one pass over it.
 */
export function dateSpan(
  db: Db,
  from: string,
  where: string,
  params: Sql['params'],
): { first: string | null; last: string | null } {
  const first = db
    .prepare(`SELECT min(date) FROM ${from} WHERE date IS NOT NULL AND ${where}`)
    .pluck()
    .get(...params) as string | null;
  const last = db
    .prepare(`SELECT max(date) FROM ${from} WHERE date IS NOT NULL AND ${where}`)
    .pluck()
    .get(...params) as string | null;
  return { first, last };
}
