import type { FilterModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import { ADMIN1_COUNTRIES, admin1CountryOf, normalizeCountry, type NameMatch } from '../../shared/geo/admin1';
import type { Db } from '../db/open';
import { whereSql } from '../grid/filter-sql';

export type Sql = { sql: string; params: (string | number | null)[] };

/**
 * The WHERE clause of one chart: the table's filter model without the filters on the chart's
 * own columns. A chart of provinces stays whole when a province is chosen (and highlights it);
 * every other chart narrows to it.
 */
export function scopedWhere(table: GridTable, filter: FilterModel, own: readonly string[]): Sql {
  const columns = Object.fromEntries(Object.entries(filter.columns).filter(([name]) => !own.includes(name)));
  return whereSql(table, { columns, search: filter.search });
}

/** Precision class of a stored date, from its length (dates are text truncated to precision). */
export const DATE_CLASS = `CASE WHEN date IS NULL THEN 'unknown' WHEN length(date) = 4 THEN 'year' WHEN length(date) = 7 THEN 'month' ELSE 'day' END`;

const leadingIndexCache = new WeakMap<Db, Map<string, boolean>>();

/** Whether some index of the table starts with the column (so seeks on it are cheap). */
export function hasLeadingIndex(db: Db, table: GridTable, col: string): boolean {
  let cache = leadingIndexCache.get(db);
  if (!cache) leadingIndexCache.set(db, (cache = new Map()));
  const k = `${table}.${col}`;
  let v = cache.get(k);
  if (v === undefined) {
    const indexes = db.prepare(`SELECT name FROM pragma_index_list(?)`).all(table) as { name: string }[];
    v = indexes.some(
      (i) =>
        (
          db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').get(i.name) as
            { name: string } | undefined
        )?.name === col,
    );
    cache.set(k, v);
  }
  return v;
}

/**
 * Distinct values of a column. With an index leading on it, by skip-scan (one seek per value);
 * without, one scan.
 */
export function distinctValues(db: Db, table: GridTable, col: string): string[] {
  const sql = hasLeadingIndex(db, table, col)
    ? `WITH RECURSIVE v(x) AS (SELECT min(${col}) FROM ${table}
         UNION ALL SELECT (SELECT min(${col}) FROM ${table} WHERE ${col} > v.x) FROM v WHERE v.x IS NOT NULL)
       SELECT x FROM v WHERE x IS NOT NULL`
    : `SELECT DISTINCT ${col} x FROM ${table} WHERE ${col} IS NOT NULL`;
  return (db.prepare(sql).all() as { x: string }[]).map((r) => r.x);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2021-08" as "Aug 2021", "2021-08-05" as "5 Aug 2021", "2021" as itself. */
export function formatPeriod(p: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(p);
  if (!m) return p;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

/** Last day of a month, "YYYY-MM" to "YYYY-MM-DD". */
export function monthEnd(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

/** A country spelling, or an ISO code of a country with a province map ("AFG"), to its map name. */
export function countryMatch(name: string | null): NameMatch {
  const m = normalizeCountry(name);
  if (m.matched) return m;
  const iso = admin1CountryOf(name);
  return iso ? { key: ADMIN1_COUNTRIES[iso].world, display: ADMIN1_COUNTRIES[iso].world, matched: true } : m;
}
