import type { FilterModel } from '../../shared/contract';
import { OWN_COLUMNS } from '../../shared/channels/dashboard';
import type { Db } from '../db/open';
import { GRID_PER_DEGREE } from './summary-defs';
import { chartSource, chartSpan } from './selection';
import { pickSummary, summaryWhere } from './summaries';
import { sourceLine } from './sources';

/** At most this many points go to the map; the grid cell doubles until they fit. */
const MAX_POINTS = 4000;
/** Place names are looked up only when the map shows few points (they cost a seek each). */
const LABEL_POINTS = 400;
/**
 * Above this many distinct positions, a map of quarter-degree cells or larger is binned from the
 * grid summary (migration 006) instead of from the positions: reading them costs about a
 * millisecond per thousand.
 */
const GRID_FROM_POSITIONS = 50_000;
let gridFrom = GRID_FROM_POSITIONS;
/** For tests: the number of positions above which the grid is used (null: the default). */
export function mapGridFrom(n: number | null): void {
  gridFrom = n ?? GRID_FROM_POSITIONS;
}

type Bbox = [number, number, number, number];
type Point = [number, number, number, number, string | null];

/**
 * Incidents with coordinates, binned on a grid of `cell` degrees inside the view, each bin drawn
 * at the mean position of its incidents (a single place stays exactly where it is). Coordinates
 * are grouped first by exact position (datasets geocode to a few thousand places, and an index on
 * longitude, latitude covers it), then the positions into cells, so a million incidents cost one
 * index scan and never reach the renderer.
 */
export function mapPoints(db: Db, filter: FilterModel, bbox: Bbox, cell: number) {
  const src = chartSource(db, filter, OWN_COLUMNS.map, { keys: ['longitude', 'latitude'] });
  const [w0, s0, e0, n0] = bbox;
  const [west, east] = w0 <= e0 ? [w0, e0] : [e0, w0];
  const [south, north] = s0 <= n0 ? [s0, n0] : [n0, s0];
  const stmt = db.prepare(
    `WITH p AS MATERIALIZED (
       SELECT longitude x, latitude y, ${src.n} n, ${src.f} f, min(${src.rid}) r FROM ${src.from} WHERE ${src.where} GROUP BY longitude, latitude)
     SELECT CAST((x + 180) / @size AS INTEGER) gx, CAST((y + 90) / @size AS INTEGER) gy, sum(n) n, sum(f) f,
            sum(n * x) / sum(n) x, sum(n * y) / sum(n) y, count(*) places, min(r) r, min(x) x0, min(y) y0
       FROM p WHERE x IS NOT NULL AND y IS NOT NULL AND x BETWEEN @west AND @east AND y BETWEEN @south AND @north GROUP BY gx, gy
     UNION ALL
     SELECT NULL, NULL, sum(n), sum(f), NULL, NULL, CASE WHEN x IS NULL OR y IS NULL THEN -1 ELSE -2 END, NULL, NULL, NULL
       FROM p WHERE x IS NULL OR y IS NULL OR x NOT BETWEEN @west AND @east OR y NOT BETWEEN @south AND @north GROUP BY 7`,
  );
  type Row = {
    gx: number | null;
    n: number;
    f: number;
    x: number;
    y: number;
    places: number;
    r: number | null;
    x0: number;
    y0: number;
  };
  const grid = gridQuery(db, filter, cell, src.from, src.where, src.params);
  // The cell the view asked for; twice as large while there would be too many points.
  let size = cell;
  let rows: Row[];
  for (;;) {
    rows = (
      grid
        ? grid.stmt.all(...grid.params, { per: size * GRID_PER_DEGREE, west, east, south, north })
        : stmt.all(...src.params, { size, west, east, south, north })
    ) as Row[];
    if (rows.length <= MAX_POINTS + 2 || size >= 45) break;
    size *= 2;
  }

  let withoutCoords = 0;
  let outside = 0;
  const bins = rows.filter((r) => {
    if (r.places === -1) withoutCoords = r.n;
    else if (r.places === -2) outside = r.n;
    return r.gx !== null;
  });
  // One position, one place: its name comes from the first incident there (a rowid seek; from a
  // summary, which has no rowids, the first matching incident at that position).
  const byRow = db.prepare('SELECT location FROM incidents WHERE rowid = ?').pluck();
  const byPos = db
    .prepare(
      `SELECT location FROM incidents WHERE longitude = ? AND latitude = ? AND ${src.rows.sql} ORDER BY rowid LIMIT 1`,
    )
    .pluck();
  const place = (r: Row) =>
    ((src.summary ? byPos.get(r.x0, r.y0, ...src.rows.params) : byRow.get(r.r)) as string | null | undefined) ?? null;
  const labelled = !grid && bins.length <= LABEL_POINTS;
  const points: Point[] = bins.map((r) => [
    round(r.x),
    round(r.y),
    r.n,
    r.f,
    labelled && r.places === 1 ? place(r) : null,
  ]);
  const inView = points.reduce((s, p) => s + p[2], 0);
  const total = inView + withoutCoords + outside;
  return {
    cell: size,
    merged: grid !== null || bins.some((b) => b.places > 1),
    points,
    total,
    withoutCoords,
    outside,
    span: chartSpan(db, filter, OWN_COLUMNS.map, src),
    sources: sourceLine(db, 'incidents', src.rows, total),
  };
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;

/**
 * The same bins from the grid summary (dash_grid, quarter-degree cells by country), when the view
 * asks for cells the grid nests in (a quarter degree times a power of two), the filter is one the
 * grid holds, and the positions are too many to read at once. Each bin is drawn at the mean of its
 * quarter-degree cells' centres, weighted by their incidents: within an eighth of a degree of the
 * incidents' own mean, less than a pixel at the scales this serves.
 */
function gridQuery(db: Db, filter: FilterModel, cell: number, from: string, where: string, params: unknown[]) {
  const per = cell * GRID_PER_DEGREE;
  if (per < 1 || !Number.isInteger(per)) return null;
  const def = pickSummary(db, filter, { keys: ['gx', 'gy'] });
  if (!def) return null;
  const positions = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ?)`)
    .pluck()
    .get(...params, gridFrom + 1) as number;
  if (positions <= gridFrom) return null;
  const w = summaryWhere(def, filter);
  const cx = `((gx + 0.5) / ${GRID_PER_DEGREE} - 180)`;
  const cy = `((gy + 0.5) / ${GRID_PER_DEGREE} - 90)`;
  const inView = `${cx} BETWEEN @west AND @east AND ${cy} BETWEEN @south AND @north`;
  const stmt = db.prepare(
    `WITH c AS MATERIALIZED (SELECT gx, gy, sum(n) n, total(f) f FROM ${w.from} WHERE ${w.where} GROUP BY gx, gy)
     SELECT CAST(gx / @per AS INTEGER) gx, CAST(gy / @per AS INTEGER) gy, sum(n) n, sum(f) f, sum(n * ${cx}) / sum(n) x, sum(n * ${cy}) / sum(n) y, count(*) places, NULL r, NULL x0, NULL y0
       FROM c WHERE gx IS NOT NULL AND gy IS NOT NULL AND ${inView} GROUP BY 1, 2
     UNION ALL
     SELECT NULL, NULL, sum(n), sum(f), NULL, NULL, CASE WHEN gx IS NULL OR gy IS NULL THEN -1 ELSE -2 END, NULL, NULL, NULL
       FROM c WHERE gx IS NULL OR gy IS NULL OR NOT (${inView}) GROUP BY 7`,
  );
  return { stmt, params: w.params };
}
