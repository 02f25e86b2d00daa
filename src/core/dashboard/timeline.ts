import type { FilterModel } from '../../shared/contract';
import {
  OWN_COLUMNS,
  TIME_BUCKETS,
  type AbroadItem,
  type TimeBucket,
  type TimelineOutput,
} from '../../shared/channels/dashboard';
import type { Db } from '../db/open';
import { ABROAD_TAG, chartSource, type Src } from './selection';
import { countryMatch, distinctValues, formatPeriod, monthEnd } from './sql';
import { sourceLine } from './sources';

/**
 * Dates are text truncated to their precision, so a bucket takes only the dates that lie wholly
 * inside one of its periods: a month-precision incident is in its month, quarter and year, never
 * in a week (it is not drawn as if it happened on the 15th). What a bucket cannot hold is
 * counted and said in the chart's subtitle.
 */
const BUCKET_SQL: Record<TimeBucket, string> = {
  year: `CASE WHEN d IS NOT NULL THEN substr(d, 1, 4) END`,
  quarter: `CASE WHEN length(d) >= 7 THEN substr(d, 1, 4) || '-Q' || ((CAST(substr(d, 6, 2) AS INTEGER) + 2) / 3) END`,
  month: `CASE WHEN length(d) >= 7 THEN substr(d, 1, 7) END`,
  // Monday to Sunday: 'weekday 0' moves to the Sunday on or after the date.
  week: `CASE WHEN length(d) = 10 THEN date(d, 'weekday 0', '-6 days') END`,
};
/** More buckets than this and the chart could not show them: the next coarser bucket is used. */
const MAX_BUCKETS = 1500;
/** Event types beyond this many are drawn as one "other types" series. */
const MAX_TYPES = 10;

type Cls = 'day' | 'month' | 'year' | 'unknown';

export function timeline(db: Db, filter: FilterModel, bucket: TimeBucket): TimelineOutput {
  let b = bucket;
  for (;;) {
    // Weeks need each incident's day; months, quarters and years only its month and precision.
    const need =
      b === 'week'
        ? { keys: ['date', 'event_type'], grain: 'day' as const }
        : { keys: ['date', 'dlen', 'event_type'], grain: 'month' as const };
    const out = timelineAt(db, chartSource(db, filter, OWN_COLUMNS.timeline, need), b);
    const next = TIME_BUCKETS[TIME_BUCKETS.indexOf(b) + 1];
    if (out.buckets.length <= MAX_BUCKETS || !next) return { ...out, coarsened: b !== bucket };
    b = next;
  }
}

function timelineAt(db: Db, src: Src, bucket: TimeBucket): Omit<TimelineOutput, 'coarsened'> {
  // The inner group-by reads only (date, event_type, fatalities): a summary or an index on them
  // covers it, in its order (a stored date's length follows from the date, a month's is kept). The bucket is then computed once per distinct date (x), not once per group.
  const rows = db
    .prepare(
      `WITH g AS MATERIALIZED (
         SELECT date d, ${src.dlen} l, event_type e, ${src.n} n, ${src.f} f, ${src.k} known FROM ${src.from} WHERE ${src.where} GROUP BY date, ${src.dlen === 'dlen' ? 'dlen, ' : ''}event_type),
       x AS MATERIALIZED (SELECT d, ${BUCKET_SQL[bucket]} b FROM (SELECT DISTINCT d FROM g))
       SELECT 'b' k, x.b, e, sum(n) n, sum(f) f, sum(known) known FROM g JOIN x USING (d) WHERE x.b IS NOT NULL GROUP BY 2, 3
       UNION ALL
       SELECT 'c', CASE l WHEN 0 THEN 'unknown' WHEN 4 THEN 'year' WHEN 7 THEN 'month' ELSE 'day' END, NULL, sum(n), 0, 0 FROM g GROUP BY 2`,
    )
    .all(...src.params) as { k: 'b' | 'c'; b: string; e: string | null; n: number; f: number; known: number }[];

  const classes: Record<Cls, number> = { day: 0, month: 0, year: 0, unknown: 0 };
  const cells = rows.filter((r) => r.k === 'b');
  for (const r of rows) if (r.k === 'c') classes[r.b as Cls] = r.n;

  const keys = cells.map((r) => r.b).sort();
  const buckets = keys.length ? bucketRange(bucket, keys[0]!, keys[keys.length - 1]!) : [];
  const index = new Map(buckets.map((x, i) => [x.key, i]));

  const typeTotals = new Map<string, number>();
  for (const r of cells)
    typeTotals.set(r.e ?? '(no event type)', (typeTotals.get(r.e ?? '(no event type)') ?? 0) + r.n);
  const ranked = [...typeTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const named = ranked.slice(0, ranked.length > MAX_TYPES ? MAX_TYPES - 1 : MAX_TYPES);
  const seriesNames = ranked.length > named.length ? [...named, 'Other event types'] : named;
  const series = seriesNames.map((name) => ({ name, values: buckets.map(() => 0) }));
  const fatalities: (number | null)[] = buckets.map(() => null);
  for (const r of cells) {
    const i = index.get(r.b);
    if (i === undefined) continue;
    const t = r.e ?? '(no event type)';
    const s = series[named.includes(t) ? named.indexOf(t) : series.length - 1]!;
    s.values[i]! += r.n;
    if (r.known) fatalities[i] = (fatalities[i] ?? 0) + r.f;
  }

  const counted = cells.reduce((s, r) => s + r.n, 0);
  const notShown = {
    month: bucket === 'week' ? classes.month : 0,
    year: bucket === 'year' ? 0 : classes.year,
    unknown: classes.unknown,
  };
  return {
    bucket,
    buckets,
    series,
    fatalities,
    counted,
    notShown,
    sources: sourceLine(db, 'incidents', src.rows, counted + notShown.month + notShown.year + notShown.unknown),
  };
}

type BucketDef = TimelineOutput['buckets'][number];
const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Every bucket from the first to the last, empty ones included, so time stays proportional. */
export function bucketRange(bucket: TimeBucket, first: string, last: string): BucketDef[] {
  const out: BucketDef[] = [];
  const limit = MAX_BUCKETS * 60; // a runaway range (year 0001 to 9999) is cut, then coarsened
  if (bucket === 'year') {
    for (let y = Number(first); y <= Number(last) && out.length < limit; y++)
      out.push({ key: `${y}`, label: `${y}`, from: `${y}`, to: `${y}` });
  } else if (bucket === 'quarter' || bucket === 'month') {
    const step = bucket === 'quarter' ? 3 : 1;
    const start = (s: string) =>
      bucket === 'quarter'
        ? Number(s.slice(0, 4)) * 12 + (Number(s.slice(6)) - 1) * 3
        : Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
    for (let m = start(first); m <= start(last) && out.length < limit; m += step) {
      const y = Math.floor(m / 12);
      const mo = (m % 12) + 1;
      if (bucket === 'quarter') {
        const q = (mo + 2) / 3;
        out.push({ key: `${y}-Q${q}`, label: `${y} Q${q}`, from: `${y}-${pad(mo)}`, to: `${y}-${pad(mo + 2)}` });
      } else
        out.push({
          key: `${y}-${pad(mo)}`,
          label: formatPeriod(`${y}-${pad(mo)}`),
          from: `${y}-${pad(mo)}`,
          to: `${y}-${pad(mo)}`,
        });
    }
  } else {
    const end = Date.parse(`${last}T00:00:00Z`);
    for (let t = Date.parse(`${first}T00:00:00Z`); t <= end && out.length < limit; t += 7 * 864e5) {
      const key = isoDay(t);
      out.push({ key, label: formatPeriod(key), from: key, to: isoDay(t + 6 * 864e5) });
    }
  }
  return out;
}

/** The case's home country: set in the case file's meta, else Afghanistan (the demo's). */
export function homeCountry(db: Db, given: string | null): string {
  if (given) return given;
  const r = db.prepare("SELECT value FROM meta WHERE key = 'home_country'").get() as
    { value: string | null } | undefined;
  return r?.value || 'Afghanistan';
}

/** Single-incident groups get their place name when there are at most this many groups. */
const LABEL_GROUPS = 300;

/**
 * Incidents abroad: in a country other than the home country (in any of its spellings), or
 * tagged "abroad". Grouped by country and period: a day-precision date is drawn in its month,
 * a month or year precision date over its whole month or year.
 */
export function abroad(db: Db, filter: FilterModel, given: string | null) {
  const home = homeCountry(db, given);
  const homeKey = countryMatch(home).key;
  const spellings = distinctValues(db, 'incidents', 'country').filter((c) =>
    homeKey ? countryMatch(c).key === homeKey : c.trim().toLowerCase() === home.trim().toLowerCase(),
  );
  const homes = spellings.length ? spellings : [home];
  const list = homes.map(() => '?').join(', ');
  const src = chartSource(db, filter, OWN_COLUMNS.abroad, { keys: ['country', 'date', 'abroad'], grain: 'month' });
  // Two halves, each answered from an index on the incidents table in its order (no sort):
  // other countries by (country, date), and rows tagged abroad at home or without a country
  // from a partial index on the tag. Only the rowid of a group's first incident is kept, for
  // its place name, so no row is read. Days become months once grouped, on few rows.
  const rows = db
    .prepare(
      `WITH g AS MATERIALIZED (
         SELECT country c, date d, ${src.n} n, ${src.f} f, min(${src.rid}) r
           FROM ${src.from} WHERE country IS NOT NULL AND country NOT IN (${list}) AND ${src.where} GROUP BY country, date
         UNION ALL
         SELECT country, date, ${src.n}, ${src.f}, min(${src.rid})
           FROM ${src.from} WHERE ${src.tag} AND (country IS NULL OR country IN (${list})) AND ${src.where} GROUP BY country, date)
       SELECT c, CASE WHEN length(d) = 10 THEN substr(d, 1, 7) ELSE d END p, sum(n) n, sum(f) f, min(r) r FROM g GROUP BY 1, 2 ORDER BY 2, 1`,
    )
    .all(...homes, ...src.params, ...homes, ...src.params) as {
    c: string | null;
    p: string | null;
    n: number;
    f: number;
    r: number;
  }[];

  const dated = rows.filter((r) => r.p !== null);
  const unknown = rows.filter((r) => r.p === null).reduce((s, r) => s + r.n, 0);
  const place = dated.length <= LABEL_GROUPS ? placeOf(db, src, homes) : null;
  const items: AbroadItem[] = dated.map((r) => {
    const p = r.p!;
    const year = p.length === 4;
    return {
      country: r.c ?? '(country not given)',
      period: p,
      precision: year ? 'year' : 'month',
      start: year ? `${p}-01-01` : `${p}-01`,
      end: year ? `${p}-12-31` : monthEnd(p),
      value: r.n,
      fatalities: r.f,
      label: place && r.n === 1 ? place(r) : null,
    };
  });
  const counted = items.reduce((s, i) => s + i.value, 0);
  const allAbroad = counted + unknown;
  const rowsAbroad = {
    sql: `(${src.rows.sql}) AND ((country IS NOT NULL AND country NOT IN (${list})) OR (${ABROAD_TAG}))`,
    params: [...src.rows.params, ...homes],
  };
  return {
    home,
    items,
    total: allAbroad,
    counted,
    notShown: { month: 0, year: 0, unknown },
    sources: sourceLine(db, 'incidents', rowsAbroad, allAbroad),
  };
}

/**
 * The place name of a group of one incident abroad: by its rowid, or from a summary (which has
 * none) by the group itself, country and period, which hold exactly that one incident.
 */
function placeOf(
  db: Db,
  src: Src,
  homes: string[],
): (g: { c: string | null; p: string | null; r: number | null }) => string | null {
  const byRow = db.prepare('SELECT coalesce(location, admin1) l FROM incidents WHERE rowid = ?').pluck();
  if (!src.summary) return (g) => (byRow.get(g.r) as string | null) ?? null;
  const list = homes.map(() => '?').join(', ');
  const byKey = db
    .prepare(
      `SELECT coalesce(location, admin1) FROM incidents WHERE country IS ? AND date >= ? AND date < ?
         AND ((country IS NOT NULL AND country NOT IN (${list})) OR (${ABROAD_TAG})) AND ${src.rows.sql} LIMIT 1`,
    )
    .pluck();
  return (g) =>
    g.p === null
      ? null
      : ((byKey.get(g.c, g.p, g.p.length === 4 ? `${g.p}\u0000` : `${g.p}-32`, ...homes, ...src.rows.params) as
          string | null) ?? null);
}
