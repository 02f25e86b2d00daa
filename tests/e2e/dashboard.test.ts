/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { countRows } from '../../src/core/grid/seek';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * The dashboard in Chromium against the real core: the demo's "done when" numbers, read from the
 * exported SVGs (chart data, not pixels), cross-filtering both ways with the grid, brushing,
 * exports, and a hostile actor name shown as text.
 */
let app: App;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const dialogs: string[] = [];

before(async () => {
  ({ app, browser } = await openApp());
  page = await (await browser.newContext({ viewport: { width: 1400, height: 800 }, acceptDownloads: true })).newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.setDefaultTimeout(30_000);
  await page.goto(app.server.url);
  await page.getByTestId('app-shell').waitFor();
});
after(() => closeApp(app, browser));

const db = () => app.session.caseFile.db;
const sql = (q: string, ...p: unknown[]) =>
  (
    db()
      .prepare(q)
      .get(...p) as { n: number }
  ).n;

async function dashboard() {
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('chart-figures').waitFor();
}

/** Each test starts with no filter, whatever the one before left. */
async function unfiltered() {
  await dashboard();
  if (await page.getByTestId('filter-clear').count()) await page.getByTestId('filter-clear').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="filter-chip"]').length === 0);
}

/** Exports a chart and returns the file's bytes (the download a user would get). */
async function exported(id: string, ext: 'png' | 'svg'): Promise<Buffer> {
  await page.getByTestId(`export-${ext}-${id}`).scrollIntoViewIfNeeded();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(`export-${ext}-${id}`).click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`^casefile-${id}-\\d{8}\\.${ext}$`));
  const path = await download.path();
  return readFileSync(path);
}

/** Texts drawn in an exported SVG (ECharts writes each label as a <text> element). */
async function svgTexts(id: string): Promise<string[]> {
  const svg = (await exported(id, 'svg')).toString('utf8');
  assert.match(svg, /^<svg/);
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'"),
  );
}

/** The centre of a horizontal bar chart's first bar, in page coordinates (TOP in frame.ts). */
async function firstBar(testId: string, rows: number) {
  const chart = page.getByTestId(testId);
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const gridTop = 78;
  const gridBottom = box.height - 48;
  return { x: box.x + box.width * 0.5, y: box.y + gridTop + (gridBottom - gridTop) / rows / 2 };
}

/** The incidents grid's row count, once it shows the expected one (or after a while, whatever it shows). */
async function gridCount(expected: string): Promise<string> {
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('grid-count').waitFor();
  await page
    .waitForFunction((e) => document.querySelector('[data-testid="grid-count"]')?.textContent === e, expected, {
      timeout: 15_000,
    })
    .catch(() => undefined);
  return (await page.getByTestId('grid-count').textContent()) ?? '';
}

async function chips(): Promise<string[]> {
  return page.getByTestId('filter-chip').allTextContents();
}

test('the demo shows the reported figures in the source order, the 15 plots and the incidents abroad', async () => {
  await dashboard();
  const rows = await page.locator('[data-testid="figures-table"] tbody tr').allTextContents();
  assert.equal(rows.length, 14);
  assert.match(rows[0]!, /^Kabul245/);
  assert.match(rows[13]!, /^Helmand48/);
  assert.match((await page.locator('[data-testid="figures-table"] tfoot').textContent()) ?? '', /1,826/);

  const figures = await svgTexts('figures');
  assert.ok(figures.join(' ').includes('Source says 1,826'), figures.join(' | '));
  const labels = figures.filter((t) => /^[A-Z][a-z]+$/.test(t));
  assert.deepEqual(labels.slice(0, 3), ['Kabul', 'Takhar', 'Panjshir'], figures.join(' | '));

  // Plots by country: each label and value as SQL counts them.
  const byCountry = await svgTexts('plots-country');
  assert.ok(byCountry.includes('Plots by country of interdiction'), byCountry.join(' | '));
  const countries = db()
    .prepare('SELECT country, count(*) n FROM plots GROUP BY country ORDER BY n DESC, country')
    .all() as { country: string; n: number }[];
  assert.deepEqual(Object.fromEntries(countries.map((c) => [c.country, c.n])), {
    India: 3,
    Iran: 4,
    Germany: 3,
    Maldives: 1,
    Qatar: 1,
    Turkey: 3,
  });
  const names = byCountry.filter((t) => countries.some((c) => c.country === t));
  const values = byCountry
    .filter((t) => /^\d+$/.test(t))
    .slice(-countries.length)
    .map(Number);
  assert.deepEqual(
    names,
    countries.map((c) => c.country),
  );
  assert.deepEqual(
    values,
    countries.map((c) => c.n),
  );

  const byPeriod = await svgTexts('plots-period');
  assert.deepEqual(
    byPeriod.filter((t) => /^(before Aug 2021|2022|2023)$/.test(t)),
    ['before Aug 2021', '2022', '2023'],
  );
  assert.deepEqual(byPeriod.filter((t) => /^\d$/.test(t)).slice(-3), ['4', '5', '6']);

  const abroad = await svgTexts('abroad');
  for (const c of ['Maldives', 'Iran', 'Russia', 'Austria', 'Tajikistan', 'Uzbekistan'])
    assert.ok(abroad.includes(c), `${c} is on the abroad timeline`);
  assert.ok(!abroad.includes('Afghanistan'), 'home is not abroad');
  const outside = sql("SELECT count(*) n FROM incidents WHERE country <> 'Afghanistan'");
  assert.ok(abroad.join(' ').includes(`${outside} incidents outside Afghanistan`), abroad.join(' | '));

  // The monthly timeline says how imprecise dates were counted, with the numbers.
  const timeline = await svgTexts('timeline');
  const years = sql("SELECT count(*) n FROM incidents WHERE date_precision = 'year'");
  assert.ok(
    timeline.join(' ').includes(`${years} year-precision incidents are not shown in monthly buckets`),
    timeline.join(' | '),
  );

  const png = await exported('timeline', 'png');
  assert.ok(png.length > 5000);
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);

  await page.getByTestId('dashboard').evaluate((el) => el.closest('.content')?.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  await page.getByTestId('panel-map').scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await page.getByTestId('panel-map').screenshot({ path: join(ARTIFACTS, 'dashboard-map.png') });
  await page.getByTestId('map-layer').selectOption('plots');
  await page.waitForTimeout(1200);
  const mapSvg = (await svgTexts('map')).join(' ');
  assert.ok(mapSvg.includes('Plots by country of interdiction'), mapSvg);
  assert.ok(mapSvg.includes('Natural Earth'), 'the attribution is in the source line');
  await page.getByTestId('panel-map').screenshot({ path: join(ARTIFACTS, 'dashboard-map-plots.png') });
  await page.getByTestId('map-layer').selectOption('points');
  assert.deepEqual(errors, []);
});

test('a click on a bar filters the charts and the grid', async () => {
  await unfiltered();
  // Iran has the most incidents: the first bar.
  const bar = await firstBar('chart-by-country', 7);
  await page.mouse.click(bar.x, bar.y);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Country: Iran'),
  );
  assert.deepEqual(await chips(), ['Incidents Country: Iran×']);

  // The other charts follow: by province now counts Iran's provinces only.
  await page.waitForTimeout(500);
  const admin1 = await svgTexts('by-admin1');
  assert.ok(admin1.includes('Fars') && admin1.includes('Kerman'), admin1.join(' | '));
  assert.ok(!admin1.some((t) => t.includes('Kandahar')), 'Kandahar is not in Iran');
  assert.ok(admin1.join(' ').includes(`${sql("SELECT count(*) n FROM incidents WHERE country = 'Iran'")} incidents`));
  await page.getByTestId('panel-by-country').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-filtered.png') });

  // And the grid shows the same rows.
  const iran = sql("SELECT count(*) n FROM incidents WHERE country = 'Iran'");
  assert.equal(await gridCount(`${iran} rows`), `${iran} rows`);
  assert.deepEqual(errors, []);
});

test('a search in the grid narrows every chart', async () => {
  await unfiltered();
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('grid-search').fill('Shiraz');
  await page.waitForFunction(() =>
    /^2 (rows|matches)$/.test(document.querySelector('[data-testid="grid-count"]')?.textContent ?? ''),
  );
  await dashboard();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Shiraz'),
  );
  await page.waitForTimeout(500);
  const countries = await svgTexts('by-country');
  assert.ok(countries.includes('Iran'), countries.join(' | '));
  assert.ok(!countries.includes('Maldives'), 'the Maldives incidents do not mention Shiraz');
  assert.ok(
    countries.some((t) => t.includes('search “Shiraz”')),
    'the subtitle names the filter',
  );
  await page.getByTestId('filter-clear').click();
  assert.deepEqual(errors, []);
});

test('brushing or clicking a period on the timeline sets the date filter the grid follows', async () => {
  await unfiltered();
  await page.getByTestId('bucket-year').click();
  const chart = page.getByTestId('chart-timeline');
  await chart.scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  const box = (await chart.boundingBox())!;
  // Five years, 2020 to 2024, across the plot area; drag over the middle three.
  const y = box.y + 200;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Date:'),
  );
  const [chip] = await chips();
  const m = /Date: (\d{4}) – (\d{4})/.exec(chip ?? '');
  assert.ok(m, chip);
  const expected = countRows(db(), 'incidents', {
    columns: { date: { type: 'date', from: m[1]!, to: m[2]! } },
    search: '',
  });
  const want = `${expected} ${expected === 1 ? 'row' : 'rows'}`;
  assert.equal(await gridCount(want), want);

  // A click on the 2022 bar chooses that year: the two year-precision rocket attacks and Shiraz.
  await dashboard();
  await page.getByTestId('timeline-clear').click();
  await chart.scrollIntoViewIfNeeded();
  const b2 = (await chart.boundingBox())!;
  const plotLeft = b2.x + 50;
  const plotRight = b2.x + b2.width - 20;
  await page.mouse.click(plotLeft + ((plotRight - plotLeft) * 2.5) / 5, b2.y + 300);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Date: 2022'),
  );
  const in2022 = countRows(db(), 'incidents', {
    columns: { date: { type: 'date', from: '2022', to: '2022' } },
    search: '',
  });
  assert.equal(in2022, 3);
  assert.equal(await gridCount('3 rows'), '3 rows');
  await dashboard();
  await page.getByTestId('filter-clear').click();
  assert.deepEqual(errors, []);
});

test('an actor named like HTML is shown as text in the tooltip', async () => {
  await unfiltered();
  const hostile = '<img src=x onerror=alert(1)>';
  app.session.caseFile.create('incidents', {
    actor1: hostile,
    country: 'Testland',
    date: '2023-05-01',
    date_precision: 'day',
    attribution: 'unknown',
  });
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('grid-search').fill('Testland');
  await page.waitForFunction(() =>
    /^1 (row|match)$/.test(document.querySelector('[data-testid="grid-count"]')?.textContent ?? ''),
  );
  await dashboard();
  const chart = page.getByTestId('chart-by-actor1');
  await chart.scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  const bar = await firstBar('chart-by-actor1', 1);
  await page.mouse.move(bar.x - 40, bar.y);
  await page.mouse.move(bar.x, bar.y, { steps: 4 });
  const tip = page.getByTestId('chart-by-actor1').locator('div', { hasText: hostile }).last();
  await tip.waitFor({ state: 'visible' });
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the name');
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard-hostile-tooltip.png') });
  // And in an export, the name is SVG text, not markup.
  const svg = (await exported('by-actor1', 'svg')).toString('utf8');
  assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the name is escaped in the SVG');
  assert.ok(!/<img/i.test(svg));
  assert.deepEqual(dialogs, []);
  await page.getByTestId('filter-clear').click();
  assert.deepEqual(errors, []);
});

test('with no reported figures, the figures panel says how to add one', async () => {
  await unfiltered();
  const cf = app.session.caseFile;
  const ids = cf.db.prepare("SELECT id FROM figures WHERE metric = 'incident_count'").pluck().all() as string[];
  cf.action('remove the reported counts', (tx) => {
    for (const id of ids) tx.delete('figures', id);
  });
  const empty = page.getByTestId('figures-empty');
  await empty.waitFor();
  assert.match((await empty.textContent()) ?? '', /incident_count/);
  await page.getByTestId('panel-figures').screenshot({ path: join(ARTIFACTS, 'dashboard-figures-empty.png') });
  cf.undo();
  await page.locator('[data-testid="figures-table"] tbody tr', { hasText: 'Kabul' }).waitFor();
  assert.equal(await empty.count(), 0);
  assert.deepEqual(errors, []);
});

test('incidents that name the group as another dataset does are offered, and counted after one click', async () => {
  await unfiltered();
  const cf = app.session.caseFile;
  // A name for ISKP that the demo's aliases do not know (ACLED's "Islamic State (Afghanistan)" is
  // on the starter list, so it is counted already); inside the figures' country and period (July 2022 to January 2024).
  const acled = (admin1: string, date: string) => ({
    actor1: 'Daesh Khorasan',
    country: 'Afghanistan',
    admin1,
    date,
    date_precision: 'day',
    attribution: 'unknown',
  });
  const made = cf.action('rows from ACLED', (tx) =>
    [acled('Kabul', '2023-02-11'), acled('Kabul', '2023-05-02'), acled('Nangarhar', '2022-09-30')].map(
      (v) => tx.insert('incidents', v).id as string,
    ),
  );
  const panel = page.getByTestId('figures-actors');
  await panel.waitFor();
  await panel.scrollIntoViewIfNeeded();
  assert.match(
    (await panel.textContent()) ?? '',
    /No incident of your data in this country and period names “ISKP”\..*Daesh Khorasan \(3\)/,
  );
  await page.getByTestId('panel-figures').screenshot({ path: join(ARTIFACTS, 'dashboard-figures-other-actor.png') });

  await panel.getByTestId('figures-count-as').first().click();
  const cell = (row: string, col: number) =>
    page.locator('[data-testid="figures-table"] tbody tr', { hasText: row }).locator('td').nth(col);
  // The total row's cells run together: the source's 1,826, then the data's 3.
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="figures-table"] tfoot')?.textContent?.includes('1,8263'),
  );
  assert.equal(await cell('Kabul', 2).textContent(), '2');
  assert.equal(await cell('Nangarhar', 2).textContent(), '1');
  assert.equal(await page.getByTestId('figures-actors').count(), 0, 'no other actor is left in the period');
  assert.equal(
    (
      cf.db.prepare("SELECT DISTINCT actor FROM figures WHERE metric = 'incident_count'").pluck().all() as string[]
    ).join('|'),
    'ISKP; Daesh Khorasan',
  );
  await page.getByTestId('panel-figures').screenshot({ path: join(ARTIFACTS, 'dashboard-figures-counted.png') });
  // The subtitle names every name; its lines break at spaces only, never inside a number ("1," / "826").
  const texts = await svgTexts('figures');
  assert.ok(
    texts
      .join(' ')
      .includes('Source says 1,826 in all (ISKP; Daesh Khorasan, Afghanistan, Jul 2022 to Jan 2024); your data has 3.'),
    texts.join(' | '),
  );
  assert.ok(!texts.some((t) => /^[,;.)]/.test(t)), texts.join(' | '));

  // One Undo takes the name back from every figure.
  assert.match((await page.getByTestId('undo').getAttribute('title')) ?? '', /Undo Count "Daesh Khorasan" as ISKP/);
  await page.getByTestId('undo').click();
  await page.getByTestId('figures-actors').waitFor();
  assert.equal(await cell('Kabul', 2).textContent(), '0');
  cf.delete('incidents', made);
  await page.getByTestId('figures-actors').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
