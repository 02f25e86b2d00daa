import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN1_COUNTRIES, admin1MapFile, admin1Regions, type Admin1Country } from '../../../src/shared/geo/admin1';

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
type Feature<P> = { type: 'Feature'; properties: P; geometry: Geometry };
type Collection<P> = { type: 'FeatureCollection'; features: Feature<P>[] };
type Admin1Props = { name: string; iso_3166_2: string; adm0_a3: string };
type WorldProps = { name: string; iso_n3: string | null };

const mapsDir = new URL('../../../resources/maps/', import.meta.url);
const load = <P>(file: string): Collection<P> =>
  JSON.parse(readFileSync(new URL(file, mapsDir), 'utf8')) as Collection<P>;
const bytes = (file: string): number => statSync(new URL(file, mapsDir)).size;

function inRing([x, y]: [number, number], ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function contains(geometry: Geometry, point: [number, number]): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(([outer = [], ...holes]) => inRing(point, outer) && !holes.some((h) => inRing(point, h)));
}

const countries = Object.keys(ADMIN1_COUNTRIES) as Admin1Country[];

describe('Afghanistan admin-1 file', () => {
  const afg = load<Admin1Props>('admin1-AFG.json');
  const byName = new Map(afg.features.map((f) => [f.properties.name, f]));

  it('has all 34 provinces, each named once with its own ISO code', () => {
    expect(afg.features).toHaveLength(34);
    expect(byName.size).toBe(34);
    expect(new Set(afg.features.map((f) => f.properties.iso_3166_2)).size).toBe(34);
  });

  it('names Panjshir and Daykundi instead of drawing them as Parwan and Uruzgan', () => {
    expect(byName.get('Panjshir')?.properties.iso_3166_2).toBe('AF-PAN');
    expect(byName.get('Daykundi')?.properties.iso_3166_2).toBe('AF-DAY');
    expect(byName.get('Parwan')?.properties.iso_3166_2).toBe('AF-PAR');
    expect(byName.get('Uruzgan')?.properties.iso_3166_2).toBe('AF-URU');
  });

  it('puts each provincial capital inside its own province', () => {
    const towns: [string, string, [number, number]][] = [
      ['Panjshir', 'Bazarak', [69.52, 35.31]],
      ['Parwan', 'Charikar', [69.17, 35.01]],
      ['Daykundi', 'Nili', [66.13, 33.72]],
      ['Uruzgan', 'Tarinkot', [65.87, 32.63]],
      ['Paktya', 'Gardez', [69.22, 33.6]],
      ['Paktika', 'Sharana', [68.73, 33.14]],
    ];
    for (const [province, town, point] of towns) {
      const inside = afg.features.filter((f) => contains(f.geometry, point)).map((f) => f.properties.name);
      expect(inside, town).toEqual([province]);
    }
  });

  it('gives Paktya and Paktika their ISO 3166-2 codes, which Natural Earth swaps', () => {
    expect(byName.get('Paktya')?.properties.iso_3166_2).toBe('AF-PIA');
    expect(byName.get('Paktika')?.properties.iso_3166_2).toBe('AF-PKA');
  });
});

describe.each(countries)('admin-1 file for %s', (country) => {
  const file = admin1MapFile(country);
  const data = load<Admin1Props>(file);

  it('is small and keeps only name, ISO code and country', () => {
    expect(bytes(file)).toBeLessThan(300_000);
    for (const f of data.features) {
      expect(Object.keys(f.properties).sort()).toEqual(['adm0_a3', 'iso_3166_2', 'name']);
      expect(f.properties.adm0_a3).toBe(country);
    }
  });

  it('has exactly the provinces the alias table lists, by name and ISO code', () => {
    const inFile = data.features.map((f) => `${f.properties.iso_3166_2} ${f.properties.name}`).sort();
    const inTable = admin1Regions[country].map((r) => `${r.iso} ${r.name}`).sort();
    expect(inFile).toEqual(inTable);
  });
});

describe('world file', () => {
  const world = load<WorldProps>('world-110m.json');
  const names = world.features.map((f) => f.properties.name);

  it('stays under 1 MB with one feature per country name', () => {
    expect(bytes('world-110m.json')).toBeLessThan(1_000_000);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has the countries the demo and typical cases need, the Maldives included', () => {
    const needed = [
      'India',
      'Iran',
      'Germany',
      'Maldives',
      'Qatar',
      'Turkey',
      'Russia',
      'Tajikistan',
      'Uzbekistan',
      'Austria',
      'Afghanistan',
    ];
    for (const name of needed) expect(names, name).toContain(name);
    for (const { world: name } of Object.values(ADMIN1_COUNTRIES)) expect(names).toContain(name);
  });

  it('draws the Maldives where they are (Malé at 73.51E 4.18N)', () => {
    const maldives = world.features.find((f) => f.properties.name === 'Maldives');
    expect(maldives?.properties.iso_n3).toBe('462');
    const coords =
      JSON.stringify(maldives?.geometry.coordinates ?? [])
        .match(/-?\d+(\.\d+)?/g)
        ?.map(Number) ?? [];
    const lons = coords.filter((_, i) => i % 2 === 0);
    const lats = coords.filter((_, i) => i % 2 === 1);
    expect(Math.min(...lons)).toBeGreaterThan(72);
    expect(Math.max(...lons)).toBeLessThan(74);
    expect(Math.min(...lats)).toBeGreaterThan(-1);
    expect(Math.max(...lats)).toBeLessThan(8);
  });
});
