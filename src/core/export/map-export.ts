import type { FilterModel, SortModel } from '../../shared/contract';
import { EMPTY_FILTER } from '../../shared/contract-base';
import { FIELDS, type Field } from '../../shared/domain/fields';
import { splitList } from '../../shared/domain/lists';
import type { GridTable } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { page } from '../grid/keyset';
import { countRows } from '../grid/seek';
import { fileSink } from './writers';
import { kmlDocument, kmlPlacemark } from './kml';
import { edgeAccumulator } from './edges';

export type MapFormat = 'geojson' | 'kml' | 'edges';
export type MapSpec = {
  table: GridTable;
  scope: 'view' | 'table';
  format: MapFormat;
  sort: SortModel;
  filter: FilterModel;
  aliases?: boolean;
};
type Progress = (p: { done: number; total: number | null; message?: string }) => void;
export type SourceRef = { key: string; title: string; url: string | null; reliability: string | null };
export type Row = Record<string, unknown>;

const PAGE = 2000;

/** The fields a map feature carries: every field of the row (lists as arrays), the coordinates aside. */
export function propertiesOf(table: 'incidents' | 'plots', r: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id };
  for (const f of FIELDS[table] as readonly Field[]) {
    if (f.name === 'latitude' || f.name === 'longitude') continue;
    out[f.name] = f.list ? splitList(r[f.name]) : (r[f.name] ?? null);
  }
  return out;
}

/** Coordinates as RFC 7946 wants them: [longitude, latitude], each a finite number in range; else none. */
export function positionOf(r: Row): [number, number] | null {
  const lon = r.longitude;
  const lat = r.latitude;
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return null;
  return [lon, lat];
}

/**
 * Incidents or plots (the view's rows, or the whole table) as GeoJSON, KML or an edge list. Rows
 * are read a page at a time by keyset (as the grid reads them), each page's sources in one query,
 * and written as they come, so a million rows need no more memory than a page. A row without
 * coordinates (every plot, an incident not geocoded) is a feature without geometry: GIS tools list
 * it in the attribute table, and it is never dropped or put at 0,0.
 */
export function writeMapExport(
  db: Db,
  spec: MapSpec,
  path: string,
  o: { signal?: AbortSignal; onProgress?: Progress } = {},
): { rows: number; truncatedCells: number } {
  const table = spec.table;
  if (table !== 'incidents' && table !== 'plots')
    throw new CasefileError(
      'validation',
      `${spec.format === 'edges' ? 'An edge list' : `A ${spec.format.toUpperCase()} export`} is made of incidents or plots, not ${table}`,
    );
  const filter = spec.scope === 'view' ? spec.filter : EMPTY_FILTER;
  const total = countRows(db, table, filter);
  const sourcesOf = (ids: string[]) => {
    const rows = stmt(
      db,
      `SELECT c.target_id id, s.key, s.title, s.url, s.reliability FROM citations c JOIN sources s ON s.id = c.source_id
       WHERE c.target_table = ? AND c.target_id IN (SELECT value FROM json_each(?)) GROUP BY c.target_id, s.id ORDER BY s.key`,
    ).all(table, JSON.stringify(ids)) as (SourceRef & { id: string })[];
    const by = new Map<string, SourceRef[]>();
    for (const { id, ...s } of rows) by.set(id, [...(by.get(id) ?? []), s]);
    return by;
  };
  const out = fileSink(path);
  const edges = spec.format === 'edges' ? edgeAccumulator(db, table, spec.aliases === true) : null;
  let done = 0;
  let first = true;
  o.onProgress?.({
    done: 0,
    total,
    message: `Writing ${spec.format === 'edges' ? 'the edge list' : spec.format.toUpperCase()}`,
  });
  try {
    if (spec.format === 'geojson') out.write('{"type":"FeatureCollection","features":[\n');
    if (spec.format === 'kml') out.write(kmlDocument.open(table));
    let after = null;
    do {
      const p = page(db, table, { sort: spec.sort, filter, after, limit: PAGE });
      after = p.next;
      const sources = sourcesOf(p.rows.map((r) => r.id as string));
      for (const r of p.rows) {
        const src = sources.get(r.id as string) ?? [];
        if (spec.format === 'geojson') {
          const pos = positionOf(r);
          const feature = {
            type: 'Feature',
            id: r.id,
            geometry: pos ? { type: 'Point', coordinates: pos } : null,
            properties: { ...propertiesOf(table, r), sources: src },
          };
          out.write(`${first ? '' : ',\n'}${JSON.stringify(feature)}`);
        } else if (spec.format === 'kml') out.write(kmlPlacemark(table, r, src));
        else edges!.add(r, src);
        first = false;
        done++;
      }
      if (o.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
      o.onProgress?.({ done, total });
    } while (after);
    if (spec.format === 'geojson') out.write('\n]}\n');
    if (spec.format === 'kml') out.write(kmlDocument.close);
    if (edges) edges.write(path, out);
  } finally {
    out.close();
  }
  return { rows: done, truncatedCells: 0 };
}
