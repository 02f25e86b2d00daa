/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * The grid's export as GeoJSON and KML (the demo's incidents), then each file opened by a second
 * reader in Chromium: the KML by the browser's XML parser, the GeoJSON by JSON.parse, both drawn
 * as points by longitude and latitude, and looked at.
 */
let app: App;
let browser: Browser;
before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

test('the grid exports GeoJSON and KML; a second reader draws the same points', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 760 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.server.url);
  await page.getByTestId('grid-count').filter({ hasText: '10 rows' }).waitFor();
  const files: Record<string, string> = {};
  for (const f of ['geojson', 'kml'] as const) {
    await page.getByTestId('export-open').click();
    await page.getByTestId(`export-format-${f}`).check();
    // Browser mode downloads by default; this test reads the file the core writes at a path.
    await page.getByTestId('export-to-path').check();
    const path = join(app.dir, `incidents.${f}`);
    await page.getByTestId('export-path').fill(path);
    if (f === 'kml') await page.screenshot({ path: join(ARTIFACTS, 'map-export-1-dialog.png') });
    await page.getByTestId('export-run').click();
    await page.getByTestId('export-result').waitFor();
    assert.match((await page.getByTestId('export-result').textContent()) ?? '', /Wrote 10 rows/);
    await page.getByTestId('export-dialog').getByRole('button', { name: 'Close' }).click();
    files[f] = readFileSync(path, 'utf8');
  }
  const rows = app.session.caseFile.db
    .prepare('SELECT id, longitude, latitude, location, country FROM incidents WHERE longitude IS NOT NULL ORDER BY id')
    .all() as { id: string; longitude: number; latitude: number }[];

  const viewer = await (await browser.newContext({ viewport: { width: 1000, height: 560 } })).newPage();
  await viewer.setContent(
    '<!doctype html><meta charset="utf-8"><body style="font:13px sans-serif;margin:12px"></body>',
  );
  // Plain JavaScript, not compiled: the page runs it as the second reader.
  const script = `(geojson, kml) => {
    const doc = new DOMParser().parseFromString(kml, 'application/xml');
    if (doc.querySelector('parsererror')) throw new Error('KML did not parse');
    const ns = 'http://www.opengis.net/kml/2.2';
    const fromKml = [...doc.getElementsByTagNameNS(ns, 'Placemark')].map((p) => {
      const id = [...p.getElementsByTagNameNS(ns, 'Data')].find((d) => d.getAttribute('name') === 'id')?.textContent ?? '';
      const c = p.getElementsByTagNameNS(ns, 'coordinates')[0]?.textContent ?? null;
      return { id, name: p.getElementsByTagNameNS(ns, 'name')[0]?.textContent ?? '', lonlat: c ? c.split(',').map(Number) : null };
    });
    const fromGeo = (JSON.parse(geojson)).features.map((f) => ({ id: f.id, lonlat: f.geometry?.coordinates ?? null }));
    // Both drawn on one equirectangular frame: longitude 30..80 E, latitude 20..60 N.
    const x = (lon) => ((lon - 30) / 50) * 900 + 40;
    const y = (lat) => ((60 - lat) / 40) * 440 + 40;
    const svg = [\`<svg xmlns="http://www.w3.org/2000/svg" width="980" height="520" style="background:#eef3f8;border:1px solid #ccd">\`];
    for (let lon = 30; lon <= 80; lon += 10) svg.push(\`<line x1="\${x(lon)}" y1="40" x2="\${x(lon)}" y2="480" stroke="#cdd6e0"/><text x="\${x(lon) + 2}" y="494" fill="#667">\${lon}°E</text>\`);
    for (let lat = 20; lat <= 60; lat += 10) svg.push(\`<line x1="40" y1="\${y(lat)}" x2="940" y2="\${y(lat)}" stroke="#cdd6e0"/><text x="4" y="\${y(lat) - 2}" fill="#667">\${lat}°N</text>\`);
    for (const g of fromGeo) if (g.lonlat) svg.push(\`<circle cx="\${x(g.lonlat[0])}" cy="\${y(g.lonlat[1])}" r="9" fill="none" stroke="#1f3b63" stroke-width="2"/>\`);
    for (const k of fromKml) if (k.lonlat) svg.push(\`<circle cx="\${x(k.lonlat[0])}" cy="\${y(k.lonlat[1])}" r="4" fill="#c0392b"/><text x="\${x(k.lonlat[0]) + 10}" y="\${y(k.lonlat[1]) + 4}" fill="#223">\${k.name.replace(/[<&]/g, '')}</text>\`);
    svg.push('</svg>');
    document.body.innerHTML = \`<h3>Exported incidents: GeoJSON (rings) and KML (dots), read back by the browser</h3>\${svg.join('')}\`;
    return { fromKml, fromGeo };
}`;
  const read = (await viewer.evaluate(
    `(${script})(${JSON.stringify(files.geojson)}, ${JSON.stringify(files.kml)})`,
  )) as {
    fromKml: { id: string; name: string; lonlat: number[] | null }[];
    fromGeo: { id: string; lonlat: number[] | null }[];
  };
  await viewer.screenshot({ path: join(ARTIFACTS, 'map-export-2-read-back.png') });
  const byId = (xs: { id: string; lonlat: number[] | null }[]) =>
    Object.fromEntries(xs.filter((x) => x.lonlat).map((x) => [x.id, x.lonlat]));
  const expected = Object.fromEntries(rows.map((r) => [r.id, [r.longitude, r.latitude]]));
  assert.deepEqual(byId(read.fromGeo), expected);
  assert.deepEqual(byId(read.fromKml), expected);
  assert.equal(read.fromKml.length, 10);
  assert.deepEqual(errors, []);
});
