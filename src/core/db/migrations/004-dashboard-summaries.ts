/**
 * Schema version 4: summary tables for the dashboard, kept current by the core (Tx and the
 * importer; src/core/dashboard/summaries.ts), so that a chart over a million incidents reads a
 * few thousand summary rows instead of a million index entries.
 *
 * Each summary counts incidents (n), sums their fatalities (f) and counts those that give a number
 * (k), grouped by some of the columns the dashboard groups and filters on. The columns keep the
 * incidents' names and values, so the grid's filter SQL runs on a summary unchanged. `date` is
 * either the stored date (day grain) or its month (month grain: a day-precision date becomes
 * YYYY-MM; month and year dates stay as stored), with `dlen` the stored date's length so that the
 * precision is not lost. A month-grain summary answers a date filter only when the filter's bounds
 * are whole months (which is what brushing months, quarters and years sets).
 *
 * Sizes at a million ACLED-like incidents (20 countries, 678 provinces, 3,000 actors, 8,000
 * places, 7 years): the small ones answer the unfiltered dashboard, the large ones a click or a
 * brush through an index that leads with the clicked or brushed column.
 *
 * This list is frozen with the migration: a later change is a new migration.
 */
export type SummaryDef = {
  name: string;
  /** Key columns: incident columns, 'date' (with grain), 'dlen', 'abroad', or 'gx'/'gy' (migration 006's map grid). */
  keys: readonly string[];
  grain: 'day' | 'month' | null;
  /** Extra indexes, by their leading columns (the other keys and the counts follow, so each covers). */
  indexes: readonly (readonly string[])[];
};

export const SUMMARIES: readonly SummaryDef[] = [
  // ~3,000 rows: the actors chart, unfiltered.
  { name: 'dash_actors', keys: ['actor1'], grain: null, indexes: [] },
  // ~16,000: the timeline in any bucket, unfiltered or by event type; the date span.
  { name: 'dash_days', keys: ['date', 'event_type'], grain: 'day', indexes: [] },
  // ~8,400: the map, unfiltered or by country and province (a place lies in one province).
  { name: 'dash_points', keys: ['country', 'admin1', 'longitude', 'latitude'], grain: null, indexes: [['admin1']] },
  // ~14,000: provinces, countries and event types, filtered by any of them.
  {
    name: 'dash_places',
    keys: ['country', 'admin1', 'event_type', 'sub_event_type'],
    grain: null,
    indexes: [['admin1'], ['event_type']],
  },
  // ~3,500: the incidents abroad, unfiltered or by country.
  { name: 'dash_abroad', keys: ['country', 'date', 'abroad'], grain: 'month', indexes: [] },
  // ~80,000: the timeline by month, quarter or year and the incidents abroad, by country and type.
  {
    name: 'dash_months',
    keys: ['date', 'dlen', 'country', 'abroad', 'event_type', 'sub_event_type'],
    grain: 'month',
    indexes: [],
  },
  // ~350,000: actors in a clicked province or country.
  { name: 'dash_actor_places', keys: ['admin1', 'country', 'actor1'], grain: null, indexes: [['country']] },
  // ~250,000: actors in a brushed period.
  { name: 'dash_actor_months', keys: ['date', 'actor1'], grain: 'month', indexes: [] },
  // ~670,000: the map in a brushed period.
  { name: 'dash_point_months', keys: ['date', 'longitude', 'latitude'], grain: 'month', indexes: [] },
  // ~600,000: everything but actors and places, by province and month together.
  {
    name: 'dash_cells',
    keys: ['admin1', 'country', 'event_type', 'sub_event_type', 'date', 'dlen', 'abroad'],
    grain: 'month',
    indexes: [['date'], ['country']],
  },
];

/** The tag list holds the item "abroad" (the dashboard's ABROAD_TAG, written here once more: frozen). */
const ABROAD = `(instr(';' || replace(lower(coalesce(tags, '')), ' ', '') || ';', ';abroad;') > 0)`;
const MONTH = `CASE WHEN length(date) = 10 THEN substr(date, 1, 7) ELSE date END`;

const TYPES: Record<string, string> = {
  longitude: 'REAL',
  latitude: 'REAL',
  dlen: 'INTEGER',
  abroad: 'INTEGER',
  gx: 'INTEGER',
  gy: 'INTEGER',
};

/**
 * Cells per degree of migration 006's map grid (a quarter degree, ~28 km at the equator): a
 * position's cell is its column and row counted from 180 W and 90 S. Coordinates are checked to
 * lie in range, so the truncating CAST is a floor. Written here, beside the other key
 * expressions, so that a rebuild and a delta compute a key the same way.
 */
export const GRID_PER_DEGREE = 4;

/** The grid cell of a coordinate (a column or a bound parameter): quarter degrees from -offset. */
export function gridCell(value: string, offset: 180 | 90): string {
  return `CAST((${value} + ${offset}) * ${GRID_PER_DEGREE} AS INTEGER)`;
}

/** The SQL expression over an incidents row for a key column of a summary. */
export function keyExpr(def: SummaryDef, key: string): string {
  if (key === 'date') return def.grain === 'month' ? MONTH : 'date';
  if (key === 'dlen') return 'coalesce(length(date), 0)';
  if (key === 'abroad') return ABROAD;
  if (key === 'gx') return gridCell('longitude', 180);
  if (key === 'gy') return gridCell('latitude', 90);
  return key;
}

/** Fills a summary from the incidents (the summary must be empty). */
export function summaryFillSql(def: SummaryDef, from = 'incidents'): string {
  const exprs = def.keys.map((k) => keyExpr(def, k));
  return `INSERT INTO ${def.name} (${def.keys.join(', ')}, n, f, k)
  SELECT ${exprs.join(', ')}, count(*), coalesce(sum(fatalities), 0), count(fatalities) FROM ${from} GROUP BY ${exprs.map((_, i) => i + 1).join(', ')};`;
}

export function createSql(def: SummaryDef): string {
  // NULL is a value here (no province, no date): rowid tables with plain indexes, since a
  // primary key would refuse NULL and a unique index would not treat two NULLs as one key.
  const cols = def.keys.map((k) => `${k} ${TYPES[k] ?? 'TEXT'}`).join(', ');
  // Every index carries the counts too, so that a filtered read never visits the table.
  const ix = [def.keys, ...def.indexes].map((lead, i) => {
    const cols = [...lead, ...def.keys.filter((k) => !lead.includes(k)), 'n', 'f', 'k'];
    return `CREATE INDEX ${def.name}_${i === 0 ? 'key' : lead.join('_')} ON ${def.name} (${cols.join(', ')});`;
  });
  return [
    `CREATE TABLE ${def.name} (${cols}, n INTEGER NOT NULL, f INTEGER NOT NULL, k INTEGER NOT NULL) STRICT;`,
    ...ix,
  ].join('\n');
}

/** The columns a fill reads, copied once into a narrow TEMP table: one pass over the incidents, not one per summary. */
export const REBUILD_SOURCE = `CREATE TEMP TABLE dash_rebuild AS SELECT country, admin1, event_type, sub_event_type, actor1, date, tags, longitude, latitude, fatalities FROM incidents;`;

export const migration004 = [
  ...SUMMARIES.map(createSql),
  REBUILD_SOURCE,
  ...SUMMARIES.map((d) => summaryFillSql(d, 'temp.dash_rebuild')),
  'DROP TABLE temp.dash_rebuild;',
].join('\n');
