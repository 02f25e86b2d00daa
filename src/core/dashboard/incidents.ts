import type { FilterModel } from '../../shared/contract';
import {
  OWN_COLUMNS,
  type DashBar,
  type DateSpan,
  type IncidentDimension,
  type SourceLine,
} from '../../shared/channels/dashboard';
import { normalizeAdmin1 } from '../../shared/geo/admin1';
import type { Db } from '../db/open';
import { chartSource, chartSpan } from './selection';
import { countryMatch } from './sql';
import { sourceLine } from './sources';

type Group = { v: string | null; c?: string | null; n: number; f: number; k: number };
type ByResult = {
  bars: DashBar[];
  total: number;
  others: { groups: number; value: number };
  span: DateSpan;
  sources: SourceLine;
};

const NONE: Record<IncidentDimension, string> = {
  admin1: '(no admin1)',
  country: '(no country)',
  actor1: '(no actor)',
};

/**
 * Incidents and fatalities by province, country or actor, largest first. Places are merged
 * across spellings (Herat and Hirat are one bar) through the same tables as the map, so that a
 * bar and its map region agree; a name the tables do not know stays a bar of its own.
 */
export function incidentsBy(db: Db, dimension: IncidentDimension, filter: FilterModel, limit = 40): ByResult {
  if (dimension === 'actor1') return actors(db, filter, limit);
  const own = OWN_COLUMNS[dimension];
  const src = chartSource(db, filter, own, { keys: dimension === 'admin1' ? ['admin1', 'country'] : ['country'] });
  const groups =
    dimension === 'admin1'
      ? (db
          .prepare(
            `SELECT admin1 v, country c, ${src.n} n, ${src.f} f, ${src.k} k FROM ${src.from} WHERE ${src.where} GROUP BY admin1, country`,
          )
          .all(...src.params) as Group[])
      : (db
          .prepare(
            `SELECT country v, ${src.n} n, ${src.f} f, ${src.k} k FROM ${src.from} WHERE ${src.where} GROUP BY country`,
          )
          .all(...src.params) as Group[]);

  const merged = new Map<string, DashBar>();
  for (const g of groups) {
    const m = g.v === null ? null : dimension === 'admin1' ? normalizeAdmin1(g.c ?? null, g.v) : countryMatch(g.v);
    const country = dimension === 'admin1' ? (countryMatch(g.c ?? null).display ?? null) : null;
    const label =
      g.v === null ? (country ? `${country} (no province)` : NONE[dimension]) : m?.matched ? m.display! : g.v.trim();
    // A matched place's key is unique (ISO 3166-2, or the country's map name); an unmatched
    // name merges only with the same spelling (case aside) in the same country.
    const id = m?.matched ? `key:${m.key}` : `${country ?? ''}\u0000${label.toLowerCase()}`;
    const bar = merged.get(id) ?? {
      label,
      value: 0,
      fatalities: 0,
      known: 0,
      values: [],
      country,
      key: m?.matched ? m.display : null,
    };
    bar.value += g.n;
    bar.fatalities += g.f;
    bar.known += g.k;
    if (!bar.values.includes(g.v)) bar.values.push(g.v);
    merged.set(id, bar);
  }
  const all = [...merged.values()].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (dimension === 'admin1') disambiguate(all);
  const total = all.reduce((s, b) => s + b.value, 0);
  const shown = all.slice(0, limit);
  const rest = all.slice(limit);
  return {
    bars: shown,
    total,
    others: { groups: rest.length, value: rest.reduce((s, b) => s + b.value, 0) },
    span: chartSpan(db, filter, own, src),
    sources: sourceLine(db, 'incidents', src.rows, total),
  };
}

/** "Punjab" in India and in Pakistan: name the country where a label would be ambiguous. */
function disambiguate(bars: DashBar[]): void {
  const seen = new Map<string, number>();
  for (const b of bars) seen.set(b.label, (seen.get(b.label) ?? 0) + 1);
  for (const b of bars)
    if ((seen.get(b.label) ?? 0) > 1 && b.country && !b.values.includes(null)) b.label = `${b.label} (${b.country})`;
}

/** Actors can number in the thousands: SQL ranks them and sums the rest in the same pass. */
function actors(db: Db, filter: FilterModel, limit: number): ByResult {
  const src = chartSource(db, filter, OWN_COLUMNS.actor1, { keys: ['actor1'] });
  const rows = db
    .prepare(
      `SELECT v, n, f, k, count(*) OVER () groups, sum(n) OVER () total FROM (
         SELECT actor1 v, ${src.n} n, ${src.f} f, ${src.k} k FROM ${src.from} WHERE ${src.where} GROUP BY actor1)
       ORDER BY n DESC, v LIMIT ?`,
    )
    .all(...src.params, limit) as (Group & { groups: number; total: number })[];
  const total = rows[0]?.total ?? 0;
  const bars: DashBar[] = rows.map((r) => ({
    label: r.v ?? NONE.actor1,
    value: r.n,
    fatalities: r.f,
    known: r.k,
    values: [r.v],
  }));
  const shownValue = bars.reduce((s, b) => s + b.value, 0);
  return {
    bars,
    total,
    others: { groups: Math.max(0, (rows[0]?.groups ?? 0) - rows.length), value: total - shownValue },
    span: chartSpan(db, filter, OWN_COLUMNS.actor1, src),
    sources: sourceLine(db, 'incidents', src.rows, total),
  };
}

type EventRow = { t: string | null; s: string | null; n: number };

/** Incidents by event type, each split by sub-event type (a stacked bar per type). */
export function eventTypes(db: Db, filter: FilterModel) {
  const src = chartSource(db, filter, OWN_COLUMNS.eventTypes, { keys: ['event_type', 'sub_event_type'] });
  const rows = db
    .prepare(
      `SELECT event_type t, sub_event_type s, ${src.n} n FROM ${src.from} WHERE ${src.where} GROUP BY event_type, sub_event_type`,
    )
    .all(...src.params) as EventRow[];
  const types = new Map<
    string | null,
    { type: string | null; label: string; value: number; subs: { sub: string | null; label: string; value: number }[] }
  >();
  for (const r of rows) {
    const t = types.get(r.t) ?? { type: r.t, label: r.t ?? '(no event type)', value: 0, subs: [] };
    t.value += r.n;
    t.subs.push({ sub: r.s, label: r.s ?? '(no sub-type)', value: r.n });
    types.set(r.t, t);
  }
  const list = [...types.values()].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  for (const t of list) t.subs.sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const total = list.reduce((s, t) => s + t.value, 0);
  return {
    types: list,
    total,
    span: chartSpan(db, filter, OWN_COLUMNS.eventTypes, src),
    sources: sourceLine(db, 'incidents', src.rows, total),
  };
}
