import type { Admin1Country } from '../../../../shared/geo/admin1';
import { echarts } from './echarts';

/**
 * Boundaries ship with the app (resources/maps, written by scripts/extract-maps.mjs) and are
 * bundled by Vite as separate chunks loaded on first use: the map never asks the network.
 */
const LOADERS: Record<'world' | Admin1Country, () => Promise<{ default: string }>> = {
  world: () => import('../../../../../resources/maps/world-110m.json?raw'),
  AFG: () => import('../../../../../resources/maps/admin1-AFG.json?raw'),
  PAK: () => import('../../../../../resources/maps/admin1-PAK.json?raw'),
  IRN: () => import('../../../../../resources/maps/admin1-IRN.json?raw'),
  TJK: () => import('../../../../../resources/maps/admin1-TJK.json?raw'),
  UZB: () => import('../../../../../resources/maps/admin1-UZB.json?raw'),
  TKM: () => import('../../../../../resources/maps/admin1-TKM.json?raw'),
};

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
type Feature = { properties: { name: string }; geometry: Geometry };
export type LoadedMap = {
  name: string;
  /** Feature names, lower-cased, to the exact name (for names the alias tables do not know). */
  names: Map<string, string>;
  /** Features too small to see at world scale (the Maldives), with the centre of their extent. */
  small: Map<string, [number, number]>;
  /** [west, south, east, north] of every feature. */
  extents: Map<string, [number, number, number, number]>;
  /** [[west, north], [east, south]] of the whole map. */
  bounds: [[number, number], [number, number]];
};

const loaded = new Map<string, Promise<LoadedMap>>();
/** No wider or taller than this many degrees, a country gets a marker as well as its outline. */
const SMALL_DEGREES = 2;

export function loadMap(which: 'world' | Admin1Country): Promise<LoadedMap> {
  const name = which === 'world' ? 'world' : `admin1-${which}`;
  let p = loaded.get(name);
  if (!p) {
    p = LOADERS[which]().then((m) => {
      const geo = JSON.parse(m.default) as { type: 'FeatureCollection'; features: Feature[] };
      echarts.registerMap(name, geo as unknown as Parameters<typeof echarts.registerMap>[1]);
      const names = new Map<string, string>();
      const small = new Map<string, [number, number]>();
      const extents = new Map<string, [number, number, number, number]>();
      let [w, s, e, n] = [180, 90, -180, -90];
      for (const f of geo.features) {
        names.set(f.properties.name.toLowerCase(), f.properties.name);
        const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
        let [fw, fs, fe, fn] = [180, 90, -180, -90];
        for (const ring of rings)
          for (const [x, y] of ring as [number, number][]) {
            fw = Math.min(fw, x);
            fe = Math.max(fe, x);
            fs = Math.min(fs, y);
            fn = Math.max(fn, y);
          }
        extents.set(f.properties.name, [fw, fs, fe, fn]);
        if (Math.max(fe - fw, fn - fs) < SMALL_DEGREES) small.set(f.properties.name, [(fw + fe) / 2, (fs + fn) / 2]);
        [w, s, e, n] = [Math.min(w, fw), Math.min(s, fs), Math.max(e, fe), Math.max(n, fn)];
      }
      return {
        name,
        names,
        small,
        extents,
        bounds: [
          [w, n],
          [e, s],
        ],
      };
    });
    loaded.set(name, p);
  }
  return p;
}

/**
 * How ECharts should squeeze longitudes (geo.aspectScale) for a view whose middle latitude is
 * this: cos(latitude), the width of a degree of longitude there, so that a country drawn in
 * ECharts' plain longitude/latitude projection has its true shape (Afghanistan at 34°N: 0.83).
 */
export function aspectOf(south: number, north: number): number {
  const mid = (Math.max(-80, south) + Math.min(80, north)) / 2;
  return Math.cos((mid * Math.PI) / 180);
}

/**
 * The view that shows these extents, padded, not narrower than minDegrees, and widened or
 * heightened to the box's proportions so that the map fills the box it is drawn in.
 */
export function fitBounds(
  extents: [number, number, number, number][],
  box: { width: number; height: number },
  aspect: number,
  minDegrees = 20,
): [[number, number], [number, number]] | null {
  if (!extents.length) return null;
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const [a, b, c, d] of extents) [w, s, e, n] = [Math.min(w, a), Math.min(s, b), Math.max(e, c), Math.max(n, d)];
  let dx = Math.max(minDegrees, (e - w) * 1.16);
  let dy = Math.max(minDegrees * 0.6, (n - s) * 1.2);
  const want = box.width / Math.max(1, box.height) / aspect;
  if (dx / dy < want) dx = dy * want;
  else dy = dx / want;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  return [
    [Math.max(-180, cx - dx / 2), Math.min(85, cy + dy / 2)],
    [Math.min(180, cx + dx / 2), Math.max(-60, cy - dy / 2)],
  ];
}
