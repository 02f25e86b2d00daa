/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { whereSql } from '../../src/core/grid/filter-sql';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * The alias review in Chromium against the real core: suggestions accepted and rejected, a name
 * added by hand, and the grid's search then finding every name of the demo's group.
 */
let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
  // Incidents as other datasets and scripts name the group and the province.
  app.session.caseFile.action('Add incidents', (tx) => {
    for (const [actor1, admin1, location, d] of [
      ['ولایت خراسان', 'Nangarhaar', 'Jalalabad', '2023-03-02'],
      ['ИГИЛ-Хорасан', 'Nangarhar', 'Jalalabad', '2023-04-11'],
      ['Khorasan Chapter of the Islamic State', 'Kabul', 'Kabul', '2023-05-20'],
      ['Daesh-Khorasan', 'Kabul', 'Kabul', '2023-06-01'],
    ])
      tx.insert('incidents', { actor1, admin1, location, country: 'Afghanistan', date: d });
    // Khust (Ukraine) folds like Khost: a suggestion the analyst rejects.
    tx.insert('incidents', {
      actor1: 'Unidentified Armed Group (Ukraine)',
      admin1: 'Zakarpattia',
      location: 'Khust',
      country: 'Ukraine',
      date: '2023-07-01',
    });
  });
});
after(() => closeApp(app, browser));

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `aliases-${name}.png`) });
const count = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector('[data-testid="grid-count"]')?.textContent === t, text, {
    timeout: 20_000,
  });

test('alias review: accept a suggestion, reject one, add a name; the grid search then finds every name of the group', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(app.server.url);
    await page.getByTestId('app-shell').waitFor();
    // Before: the name finds only the row that spells it.
    await page.getByTestId('grid-search').fill('Daesh-Khorasan');
    await count(page, '1 match');
    await page.getByTestId('grid-search').fill('');

    await page.getByTestId('nav-aliases').click();
    await page.getByTestId('aliases-area').waitFor();
    const nang = page.getByTestId('suggestion').filter({ hasText: 'Nangarhaar' });
    await nang.waitFor();
    assert.match((await nang.textContent()) ?? '', /Nangarhar/);
    const khust = page.getByTestId('suggestion').filter({ hasText: 'Khust' });
    assert.match((await khust.textContent()) ?? '', /Khost/);
    await shot(page, '1-review');

    // Accept: Nangarhaar becomes a name of the starter list's Nangarhar (the demo ships it).
    await nang.getByTestId('suggestion-accept').click();
    await page.getByTestId('suggestion').filter({ hasText: 'Nangarhaar' }).waitFor({ state: 'detached' });
    const db = app.session.caseFile.db;
    assert.equal(
      db.prepare("SELECT entity FROM aliases WHERE name = 'Nangarhaar' AND status = 'same'").pluck().get(),
      'Nangarhar',
    );
    // Reject Khust / Khost: kept apart, not offered again, and no alias joins them.
    await khust.getByTestId('suggestion-reject').click();
    await khust.waitFor({ state: 'detached' });
    assert.deepEqual(db.prepare("SELECT DISTINCT entity FROM aliases WHERE status = 'not_same'").pluck().all(), [
      'Khust',
    ]);
    assert.equal(db.prepare("SELECT count(*) FROM aliases WHERE name = 'Khust' AND status = 'same'").pluck().get(), 0);

    // A name by hand, said to be the same as the group's Russian name (a starter-list name).
    await page.getByTestId('alias-name-input').fill('Daesh-Khorasan');
    await page.getByTestId('alias-same-input').fill('ИГИЛ-Хорасан');
    await page.getByTestId('alias-add').click();
    const iskp = page.getByTestId('entity').filter({ hasText: 'Islamic State Khorasan Province' });
    await iskp.filter({ hasText: 'Daesh-Khorasan' }).waitFor();
    await iskp.scrollIntoViewIfNeeded();
    await shot(page, '2-names');

    // The grid: the hand-added name finds every incident of the group, whatever name or script it
    // uses (the demo's own, the Dari and Russian names, GTD's), as the core counts them.
    const w = whereSql('incidents', { columns: {}, search: 'Daesh-Khorasan' });
    const group = db
      .prepare(`SELECT count(*) FROM incidents WHERE ${w.sql}`)
      .pluck()
      .get(...w.params) as number;
    const plain = db
      .prepare(
        "SELECT count(*) FROM incidents WHERE actor1 IN ('Islamic State Khorasan Province (ISKP)', 'ولایت خراسان', 'ИГИЛ-Хорасан', 'Khorasan Chapter of the Islamic State', 'Daesh-Khorasan')",
      )
      .pluck()
      .get() as number;
    assert.ok(group >= plain && plain >= 12, `${group} matches, ${plain} rows naming the group`);
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('grid-search').fill('Daesh-Khorasan');
    await count(page, `${group} matches`);
    await shot(page, '3-grid-search');

    // A set filter on the actor: ticking the Russian name counts every name of the group;
    // "Only these names" shows them apart.
    await page.getByTestId('grid-search').fill('');
    await count(page, '15 rows');
    const named = db
      .prepare(
        "SELECT count(*) FROM incidents WHERE actor1 IN (SELECT name FROM aliases WHERE entity = 'Islamic State Khorasan Province' AND status = 'same')",
      )
      .pluck()
      .get() as number;
    await page.locator('.ag-header-cell[col-id="actor1"] .ag-header-cell-filter-button').click();
    await page.locator('[data-testid="set-filter-value"][data-value="ИГИЛ-Хорасан"]').waitFor();
    await page.getByTestId('set-filter-none').click();
    await count(page, '0 rows');
    await page.locator('[data-testid="set-filter-value"][data-value="ИГИЛ-Хорасан"]').check();
    await count(page, `${named} rows`);
    assert.ok(named >= 13, `${named}`);
    await shot(page, '4-set-filter-aliases');
    await page.getByTestId('set-filter-exact').check();
    await count(page, '1 row');
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
  } catch (e) {
    await shot(page, 'failure').catch(() => undefined);
    throw e;
  }
});
