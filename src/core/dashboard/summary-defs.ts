/**
 * The dashboard's summary tables as the runtime knows them: which columns each groups by, and the
 * SQL that derives a key from an incidents row. Migrations 004 and 006 created these tables with
 * their own frozen copies of the same definitions; this is the copy the app evolves (a change to a
 * table's shape is a new migration, and then a change here). tests/unit/dashboard/summary-defs
 * checks that the two agree for the current schema, so they cannot drift apart unnoticed.
 */
export type SummaryDef = {
  name: string;
  /** Key columns: incident columns, 'date' (with grain), 'dlen', 'abroad', or 'gx'/'gy' (the map grid). */
  keys: readonly string[];
  grain: 'day' | 'month' | null;
  /** Extra indexes, by their leading columns (the other keys and the counts follow, so each covers). */
  indexes: readonly (readonly string[])[];
};

/** Schema 4's summaries (sizes at a million ACLED-like incidents in the migration's comment). */
export const SUMMARIES: readonly SummaryDef[] = [
  { name: 'dash_actors', keys: ['actor1'], grain: null, indexes: [] },
  { name: 'dash_days', keys: ['date', 'event_type'], grain: 'day', indexes: [] },
  { name: 'dash_points', keys: ['country', 'admin1', 'longitude', 'latitude'], grain: null, indexes: [['admin1']] },
  {
    name: 'dash_places',
    keys: ['country', 'admin1', 'event_type', 'sub_event_type'],
    grain: null,
    indexes: [['admin1'], ['event_type']],
  },
  { name: 'dash_abroad', keys: ['country', 'date', 'abroad'], grain: 'month', indexes: [] },
  {
    name: 'dash_months',
    keys: ['date', 'dlen', 'country', 'abroad', 'event_type', 'sub_event_type'],
    grain: 'month',
    indexes: [],
  },
  { name: 'dash_actor_places', keys: ['admin1', 'country', 'actor1'], grain: null, indexes: [['country']] },
  { name: 'dash_actor_months', keys: ['date', 'actor1'], grain: 'month', indexes: [] },
  { name: 'dash_point_months', keys: ['date', 'longitude', 'latitude'], grain: 'month', indexes: [] },
  {
    name: 'dash_cells',
    keys: ['admin1', 'country', 'event_type', 'sub_event_type', 'date', 'dlen', 'abroad'],
    grain: 'month',
    indexes: [['date'], ['country']],
  },
];

/** Every summary the current schema has (schema 6 added the map grid), in the order pickSummary prefers them. */
export const ALL_SUMMARIES: readonly SummaryDef[] = [
  ...SUMMARIES,
  { name: 'dash_grid', keys: ['country', 'admin1', 'gx', 'gy'], grain: null, indexes: [['admin1']] },
];

/** The tag list holds the item "abroad" (the dashboard's ABROAD_TAG). */
const ABROAD = `(instr(';' || replace(lower(coalesce(tags, '')), ' ', '') || ';', ';abroad;') > 0)`;
const MONTH = `CASE WHEN length(date) = 10 THEN substr(date, 1, 7) ELSE date END`;

/**
 * Cells per degree of the map grid (a quarter degree, ~28 km at the equator): a position's cell is
 * its column and row counted from 180 W and 90 S. Coordinates are checked to lie in range, so the
 * truncating CAST is a floor.
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
