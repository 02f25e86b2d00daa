/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * Text that spoofs (issue 22, item 9): a source title with a right-to-left override must not
 * reorder the other titles of a chart's "Sources" footer, and is flagged; a 10,000-character
 * title is cut, not drawn over the charts, and whole on hover; the same for a chart's labels and
 * a grid cell.
 */
let app: App;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const RLO_TITLE = '\u202EISKP claim via Amaq';
const LONG_TITLE = `Long ${'report '.repeat(1427)}end`; // 10,000 characters, the most a title may hold
const RLO_ACTOR = `\u202EZzyzx Front ${'Khorasan '.repeat(1000)}`;

before(async () => {
  ({ app, browser } = await openApp());
  // The source the demo's incidents cite gets an overriding title; a new incident cites a new
  // source with a 10,000-character title.
  const cf = app.session.caseFile;
  const cited = cf.db.prepare("SELECT DISTINCT source_id id FROM citations WHERE target_table = 'incidents'").all() as {
    id: string;
  }[];
  assert.ok(cited.length >= 1);
  cf.update('sources', cited[0]!.id, { title: RLO_TITLE, authors: '\u202EAmaq News' });
  const key = (cf.get('sources', cited[0]!.id) as { key: string }).key;
  cf.create('notes', { title: 'Spoof note', body: `Before [@${key}] after the citation, which reads as written.` });
  const long = cf.create('sources', { key: 'long-title', title: LONG_TITLE, type: 'news' });
  const incident = cf.create('incidents', {
    actor1: RLO_ACTOR,
    country: 'Afghanistan',
    admin1: 'Kabul',
    date: '2023-05-01',
    date_precision: 'day',
    attribution: 'unknown',
  });
  cf.create('citations', { source_id: long.id, target_table: 'incidents', target_id: incident.id, credibility: 2 });
  // A reported figure's province: a chart label too.
  const takhar = cf.db.prepare("SELECT id FROM figures WHERE admin1 = 'Takhar'").get() as { id: string };
  cf.update('figures', takhar.id, { admin1: `\u202EZzprov ${'Takhar '.repeat(1000)}` });
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(30_000);
  await page.goto(app.server.url);
  await page
    .getByTestId('app-shell')
    .waitFor()
    .catch(async (e: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'spoofing-start.png') });
      throw new Error(`${String(e)}; page errors: ${errors.join(' | ')}`);
    });
});
after(() => closeApp(app, browser));

async function svgTexts(id: string): Promise<string[]> {
  await page.getByTestId(`export-svg-${id}`).scrollIntoViewIfNeeded();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-svg-${id}`).click()]);
  const svg = readFileSync(await download.path()).toString('utf8');
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'"),
  );
}

test('a chart footer isolates and flags an overriding title and cuts a 10,000-character one', async () => {
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('chart-by-admin1').waitFor();
  await page.waitForTimeout(800);
  const texts = await svgTexts('by-admin1');
  const start = texts.findIndex((t) => t.startsWith('Sources:'));
  assert.ok(start >= 0, texts.join(' | '));
  const footer = texts.slice(start).join(' ').replace(/\s+/g, ' ');
  // The override is closed off in an isolate (FSI ... PDI), with the marker before it.
  assert.ok(footer.includes(`⚠ \u2068${RLO_TITLE}\u2069`), footer.slice(0, 400));
  // The long title is cut to a label's length, so the whole footer stays a few lines.
  assert.ok(footer.includes('Long report report'), footer.slice(0, 400));
  assert.ok(!footer.includes('end'), 'the long title is cut before its end');
  assert.ok(footer.length < 600, `footer is ${footer.length} characters`);
  assert.ok(texts.length - start <= 4, `footer drawn on ${texts.length - start} lines`);

  // Under the chart, those two titles again: flagged, clipped to the panel, whole on hover.
  const note = page.getByTestId('panel-by-admin1').getByTestId('source-titles-note');
  await note.waitFor();
  assert.equal(await note.getByTestId('source-bidi-mark').count(), 1);
  assert.match((await note.getByTestId('source-bidi-mark').getAttribute('title')) ?? '', /direction controls/);
  const full = note.getByTestId('source-title-full');
  assert.equal(await full.count(), 2);
  const hovers = [await full.nth(0).getAttribute('title'), await full.nth(1).getAttribute('title')];
  assert.ok(hovers.includes('⟨U+202E⟩ISKP claim via Amaq'), 'the override is shown as its code point on hover');
  assert.ok(hovers.includes(LONG_TITLE), 'the long title is whole on hover');
  const panel = (await page.getByTestId('panel-by-admin1').boundingBox())!;
  const long = (await full.nth(hovers.indexOf(LONG_TITLE)).boundingBox())!;
  assert.ok(
    long.height < 30 && long.x + long.width <= panel.x + panel.width + 1,
    `the long title stays one line inside its panel: ${JSON.stringify(long)}`,
  );
  await page.getByTestId('panel-by-admin1').screenshot({ path: join(ARTIFACTS, 'spoofing-footer.png') });
});

test('a chart label with an override is flagged and clipped, and its tooltip says why', async () => {
  const texts = await svgTexts('by-actor1');
  const label = texts.find((t) => t.includes('Zzyzx'));
  assert.ok(label, texts.join(' | ').slice(0, 500));
  assert.ok(label.startsWith('⚠ \u2068\u202E'), JSON.stringify(label.slice(0, 20)));
  assert.ok(label.length < 80, `label is ${label.length} characters`);
  await page.getByTestId('panel-by-actor1').screenshot({ path: join(ARTIFACTS, 'spoofing-labels.png') });

  const figures = await svgTexts('figures');
  const province = figures.find((t) => t.includes('Zzprov'));
  assert.ok(province?.startsWith('⚠ \u2068\u202E') && province.length < 80, JSON.stringify(province?.slice(0, 100)));
  // Beside it, the table names the province on one line, flagged, whole on hover.
  const row = page.getByTestId('figures-table').locator('tbody tr').filter({ hasText: 'Zzprov' });
  assert.equal(await row.getByTestId('label-bidi-mark').count(), 1);
  const rowBox = (await row.boundingBox())!;
  assert.ok(rowBox.height < 40, `the row stays one line high (${rowBox.height}px)`);
  assert.match((await row.locator('.user-label-text').first().getAttribute('title')) ?? '', /^⟨U\+202E⟩Zzprov Takhar/);
  await page.getByTestId('panel-figures').screenshot({ path: join(ARTIFACTS, 'spoofing-figures.png') });
});

test('a grid cell with an override shows a marker that says what it is', async () => {
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('grid-search').fill('Zzyzx');
  await page.waitForFunction(() =>
    /^1 (row|match)/.test(document.querySelector('[data-testid="grid-count"]')?.textContent ?? ''),
  );
  const mark = page.locator('[data-testid="cell-bidi-mark"]').first();
  await mark.waitFor();
  assert.match((await mark.getAttribute('title')) ?? '', /direction controls/);
  const cell = page.locator('.ag-cell[col-id="actor1"] .cell-text').first();
  assert.equal(await cell.getAttribute('dir'), 'auto');
  await page.screenshot({ path: join(ARTIFACTS, 'spoofing-grid.png') });
  assert.deepEqual(errors, []);
});

test("a note's rendered citation of an overriding source is isolated and flagged", async () => {
  await page
    .getByTestId('search-clear')
    .click()
    .catch(() => undefined);
  await page.getByTestId('nav-notes').click();
  await page.getByTestId('note-item').filter({ hasText: 'Spoof note' }).click();
  const citation = page.getByTestId('note-rendered').locator('.citation').first();
  await citation.waitFor({ timeout: 20_000 });
  assert.match((await citation.textContent()) ?? '', /\u202EAmaq News/);
  assert.equal(await citation.evaluate((el) => getComputedStyle(el).unicodeBidi), 'isolate');
  // The markdown holds no control: the warning comes from what the citation brought in.
  assert.ok(await page.getByTestId('note-preview').getByTestId('bidi-warning').first().isVisible());
  await page.getByTestId('note-preview').screenshot({ path: join(ARTIFACTS, 'spoofing-note.png') });
  assert.deepEqual(errors, []);
});
