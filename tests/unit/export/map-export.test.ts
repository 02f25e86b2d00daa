import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAlias } from '../../../src/core/aliases/store';
import { session, tempDir } from '../../helpers';
import { geojsonProblems } from './geojson-rules';

const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** Incidents across Afghanistan and Russia, in three scripts; one not geocoded; one with text that is markup and a formula. */
const ROWS = [
  {
    actor1: 'Islamic State Khorasan Province',
    assoc_actors: 'ISKP; Civilians (Afghanistan)',
    admin1: 'Kabul',
    location: 'Kabul',
    latitude: 34.5553,
    longitude: 69.2075,
    geo_precision: 1,
    fatalities: 13,
    date: '2022-09-05',
    description: 'Suicide bombing at the Russian embassy gate',
  },
  {
    actor1: 'ISKP',
    admin1: 'Nangarhar',
    location: 'Jalalabad',
    latitude: 34.4265,
    longitude: 70.4515,
    geo_precision: 2,
    fatalities: 2,
    date: '2023-01',
    description: 'IED on a Taliban vehicle',
  },
  {
    actor1: 'ولایت خراسان',
    admin1: 'هرات',
    location: 'هرات',
    latitude: 34.3482,
    longitude: 62.1997,
    geo_precision: 1,
    fatalities: 0,
    date: '2023',
    description: 'انفجار در مسجد <b>جامع</b> & "هرات"',
  },
  {
    actor1: 'ИГИЛ-Хорасан',
    country: 'Russia',
    admin1: 'Moscow Oblast',
    location: 'Krasnogorsk',
    latitude: 55.8218,
    longitude: 37.3311,
    geo_precision: 1,
    fatalities: 145,
    date: '2024-03-22',
    description: 'Нападение на «Крокус Сити Холл»',
  },
  {
    actor1: '=HYPERLINK("http://x.test","ISKP")',
    admin1: 'Kunar',
    location: null,
    latitude: null,
    longitude: null,
    fatalities: null,
    date: '2021-11',
    description: 'Not geocoded',
  },
];

function exampleCase() {
  const { s, file } = session({ demo: false });
  const cf = s.caseFile;
  const src = cf.create('sources', {
    key: 'acled2024',
    title: 'ACLED export, Afghanistan 2020-2024',
    type: 'dataset',
    url: 'https://acleddata.com/',
  });
  const ids = cf.action('Add incidents', (tx) =>
    ROWS.map((r) => tx.insert('incidents', { country: 'Afghanistan', ...r }).id as string),
  );
  cf.action('Cite', (tx) => {
    for (const id of ids) tx.insert('citations', { source_id: src.id, target_table: 'incidents', target_id: id });
  });
  cf.create('plots', {
    country: 'Germany',
    target_city: 'Cologne',
    suspects_nationalities: 'Tajikistan; Uzbekistan',
    stage: 'arrested',
    date: '2023-12',
  });
  addAlias(cf, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
  s.close();
  return { file, ids, dir: tempDir() };
}

describe('map and link exports', { timeout: 120_000 }, () => {
  it('GeoJSON keeps RFC 7946 (lon,lat order, no crs, numbers in range), one feature per row with its fields and sources, unlocated rows without geometry', () => {
    const { file, ids, dir } = exampleCase();
    const out = join(dir, 'incidents.geojson');
    const r = cli('export', file, '--table', 'incidents', '--format', 'geojson', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`exported 5 incidents rows to ${out}`);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      features: { id: string; geometry: { coordinates: number[] } | null; properties: Record<string, unknown> }[];
    };
    expect(geojsonProblems(doc)).toEqual([]);
    expect(doc.features.map((f) => f.id).sort()).toEqual([...ids].sort());
    for (const [i, row] of ROWS.entries()) {
      const f = doc.features.find((x) => x.id === ids[i])!;
      if (row.latitude === null) expect(f.geometry).toBeNull();
      else expect(f.geometry!.coordinates).toEqual([row.longitude, row.latitude]);
      expect(f.properties).toMatchObject({
        actor1: row.actor1,
        date: row.date,
        fatalities: row.fatalities,
        description: row.description,
      });
      expect(f.properties.sources).toEqual([
        {
          key: 'acled2024',
          title: 'ACLED export, Afghanistan 2020-2024',
          url: 'https://acleddata.com/',
          reliability: null,
        },
      ]);
    }
    expect(doc.features.find((x) => x.id === ids[0])!.properties).toMatchObject({
      assoc_actors: ['ISKP', 'Civilians (Afghanistan)'],
      date_precision: 'day',
      geo_precision: 1,
    });
    expect(doc.features.find((x) => x.id === ids[2])!.properties.date_precision).toBe('year');
    // A filter applies (with aliases: ISKP's name brings the other names' rows).
    const part = join(dir, 'iskp.geojson');
    expect(
      cli('export', file, '--table', 'incidents', '--format', 'geojson', '--out', part, '--where', 'actor1=ISKP')
        .status,
    ).toBe(0);
    expect((JSON.parse(readFileSync(part, 'utf8')) as { features: unknown[] }).features).toHaveLength(2);
    // Plots have no coordinates: features without geometry, never at 0,0.
    const plots = join(dir, 'plots.geojson');
    expect(cli('export', file, '--table', 'plots', '--format', 'geojson', '--out', plots).status).toBe(0);
    const pd = JSON.parse(readFileSync(plots, 'utf8')) as {
      features: { geometry: unknown; properties: Record<string, unknown> }[];
    };
    expect(geojsonProblems(pd)).toEqual([]);
    expect(pd.features).toEqual([
      expect.objectContaining({
        geometry: null,
        properties: expect.objectContaining({
          country: 'Germany',
          suspects_nationalities: ['Tajikistan', 'Uzbekistan'],
        }),
      }),
    ]);
    // A second reader: Python's json module reads the same features and coordinates.
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for f in d["features"] if f["geometry"]), len(d["features"]))',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(py.stdout.trim()).toBe('4 5');
  });

  it('KML parses back (Python ElementTree): a Placemark per row with lon,lat, the date at its precision, every field, markup in the text kept as text', () => {
    const { file, ids, dir } = exampleCase();
    const out = join(dir, 'incidents.kml');
    expect(cli('export', file, '--table', 'incidents', '--format', 'kml', '--out', out).status).toBe(0);
    const script = `
import json, sys, xml.etree.ElementTree as ET
ns = {'k': 'http://www.opengis.net/kml/2.2'}
doc = ET.parse(sys.argv[1]).getroot()
out = []
for p in doc.iterfind('.//k:Placemark', ns):
    data = {d.get('name'): d.findtext('k:value', namespaces=ns) for d in p.iterfind('.//k:Data', ns)}
    out.append({'coords': p.findtext('.//k:Point/k:coordinates', namespaces=ns), 'when': p.findtext('k:TimeStamp/k:when', namespaces=ns), 'data': data, 'description': p.findtext('k:description', namespaces=ns)})
print(json.dumps(out, ensure_ascii=False))`;
    const py = spawnSync('python3', ['-c', script, out], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const marks = JSON.parse(py.stdout) as {
      coords: string | null;
      when: string | null;
      data: Record<string, string>;
      description: string;
    }[];
    expect(marks).toHaveLength(5);
    for (const [i, row] of ROWS.entries()) {
      const m = marks.find((x) => x.data.id === ids[i])!;
      expect(m.coords).toBe(row.latitude === null ? null : `${row.longitude},${row.latitude}`);
      expect(m.when).toBe(row.date);
      expect(m.data.actor1).toBe(row.actor1);
      expect(m.data.sources).toBe('acled2024');
      expect(m.description.startsWith(row.description)).toBe(true);
    }
  });

  it('the edge list: source,target,kind,weight counted from the rows, formula cells guarded, and --aliases joining one group into one node', () => {
    const { file, dir } = exampleCase();
    const out = join(dir, 'edges.csv');
    expect(cli('export', file, '--table', 'incidents', '--format', 'edges', '--out', out).status).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('source,target,kind,weight');
    expect(lines).toContain('acled2024,ISKP,reports_on,1');
    expect(lines).toContain('Islamic State Khorasan Province,ISKP,associated_with,1');
    expect(lines).toContain('ИГИЛ-Хорасан,Moscow Oblast,active_in,1');
    expect(lines).toContain('ولایت خراسان,هرات,active_in,1');
    // The formula-looking actor is written as text (a leading ').
    expect(lines).toContain(`"'=HYPERLINK(""http://x.test"",""ISKP"")",Kunar,active_in,1`);
    const joined = join(dir, 'edges-joined.csv');
    expect(cli('export', file, '--table', 'incidents', '--format', 'edges', '--aliases', '--out', joined).status).toBe(
      0,
    );
    const j = readFileSync(joined, 'utf8').trimEnd().split('\r\n');
    // ISKP and its full name are one node: the source reports on it twice, and no self-link is left.
    expect(j).toContain('acled2024,Islamic State Khorasan Province,reports_on,2');
    expect(j.some((l) => l.startsWith('Islamic State Khorasan Province,ISKP,'))).toBe(false);
    // Wrong combinations are refused, saying what and where.
    const bad = cli('export', file, '--table', 'sources', '--format', 'kml', '--out', join(dir, 's.kml'));
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('casefile: A KML export is made of incidents or plots, not sources');
    const ext = cli('export', file, '--table', 'incidents', '--format', 'edges', '--out', join(dir, 'e.txt'));
    expect(ext.stderr.trim()).toBe('casefile: An edge list is written to a file ending in .csv');
  });
});

describe('the RFC 7946 rule check itself', () => {
  it('finds a crs member, latitude and longitude swapped out of range, and a non-Point geometry', () => {
    const bad = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4326' } },
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [34.5, 169.2] }, properties: {} },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [69.2, 34.5, 0, 1] }, properties: {} },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { coordinates: [1, 2] } },
        { type: 'Feature', id: { x: 1 }, geometry: null, properties: null },
      ],
    };
    expect(geojsonProblems(bad)).toEqual([
      '$: has a "crs" member',
      'features[0]: latitude 169.2 out of range',
      'features[1]: position has more than two numbers',
      'features[2]: geometry members in properties',
      'features[2]: geometry is not a Point',
      'features[3]: id is neither string nor number',
    ]);
  });
});
