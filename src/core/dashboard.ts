import type { FilterModel } from '../shared/contract';
import type { Db } from './open';
import { whereSql } from './query';

/** Aggregates for the dashboard, computed in SQL; the renderer never receives rows for a chart. */

/**
 * An incident counts towards a reported period only when the whole period its date names lies
 * inside it: "2024" (year precision) is not counted in "July 2022 to January 2024", since it may
 * well be later. Dates are text truncated to their precision, so their first and last days are
 * found by padding.
 */
const PERIOD_START = `CASE length(date) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01' ELSE date END`;
const PERIOD_END = `CASE length(date) WHEN 4 THEN date || '-12-31' WHEN 7 THEN date || '-31' ELSE date END`;
const periodStart = (p: string | null) => (p === null ? null : p.length === 4 ? `${p}-01-01` : p.length === 7 ? `${p}-01` : p);
const periodEnd = (p: string | null) => (p === null ? null : p.length === 4 ? `${p}-12-31` : p.length === 7 ? `${p}-31` : p);

type FigureRow = { measure: string; admin1: string; value: number; actor: string | null; period_start: string | null; period_end: string | null };

/**
 * Reported incident counts by province, in the source's order (value, then entry order), each
 * beside the count of the case file's own incidents for the same actor, province and period.
 */
export function figuresByAdmin1(db: Db) {
  const rows = db
    .prepare(
      `SELECT measure, admin1, value, actor, period_start, period_end FROM figures
       WHERE metric = 'incident_count' AND admin1 IS NOT NULL ORDER BY value DESC, rowid ASC`,
    )
    .all() as FigureRow[];
  const total = db
    .prepare(`SELECT value FROM figures WHERE metric = 'incident_count' AND admin1 IS NULL ORDER BY rowid LIMIT 1`)
    .get() as { value: number } | undefined;
  const countStmt = db.prepare(
    `SELECT count(*) n FROM incidents
     WHERE admin1 = ? COLLATE NOCASE
       AND (? IS NULL OR ${PERIOD_START} >= ?) AND (? IS NULL OR ${PERIOD_END} <= ?)
       AND (? IS NULL OR actor1 LIKE '%' || ? || '%' OR assoc_actors LIKE '%' || ? || '%')`,
  );
  const bars = rows.map((r) => ({
    label: r.admin1,
    value: r.value,
    computed: (countStmt.get(r.admin1, r.period_start, periodStart(r.period_start), r.period_end, periodEnd(r.period_end), r.actor, r.actor, r.actor) as { n: number }).n,
  }));
  return { measure: rows[0]?.measure ?? null, total: total?.value ?? null, bars };
}

const DIMENSIONS = { admin1: 'admin1', country: 'country', event_type: 'event_type', actor1: 'actor1' } as const;

export function incidentsBy(db: Db, dimension: keyof typeof DIMENSIONS, filter: FilterModel) {
  const col = DIMENSIONS[dimension];
  const w = whereSql('incidents', filter);
  return db
    .prepare(`SELECT coalesce(${col}, '(none)') label, count(*) value FROM incidents WHERE ${w.sql} GROUP BY 1 ORDER BY 2 DESC, 1 ASC LIMIT 100`)
    .all(...w.params) as { label: string; value: number }[];
}
