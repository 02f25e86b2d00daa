/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Session } from '../../src/core/session';
import { ARTIFACTS, closeApp, openApp, startApp, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

const cell = (page: Page, row: number, col: string) =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`);

async function openGrid(page: Page, url: string) {
  await page.goto(url);
  await page.getByTestId('app-shell').waitFor();
  await cell(page, 0, 'fatalities').waitFor();
}

test('edit in one window shows in another, persists, and undoes', async () => {
  const one = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage();
  const two = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage();
  const errors: string[] = [];
  for (const p of [one, two]) p.on('pageerror', (e) => errors.push(e.message));
  await openGrid(one, app.server.url);
  await openGrid(two, app.server.url);
  assert.equal(await one.getByTestId('grid-count').textContent(), '10 rows');

  const first = (await cell(one, 0, 'date').textContent()) ?? '';
  await cell(one, 0, 'fatalities').dblclick();
  await one.keyboard.type('17');
  await one.keyboard.press('Enter');
  await one.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '17',
  );
  // The second page was never reloaded: it follows the change event.
  await two.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '17',
  );
  await one.screenshot({ path: join(ARTIFACTS, 'foundation-grid.png') });

  // An invalid value is refused with a message at the cell, and nothing is saved.
  await cell(one, 0, 'injuries').dblclick();
  // Typed once the cell's editor has the keyboard (a key pressed before it opens starts an edit of its own).
  const editor = one.locator('.ag-row[row-index="0"] .ag-cell[col-id="injuries"].ag-cell-inline-editing input');
  await editor.waitFor();
  await editor.fill('-5');
  assert.equal(await editor.inputValue(), '-5');
  await one.keyboard.press('Enter');
  await one.getByTestId('cell-error').waitFor();
  assert.match((await one.getByTestId('cell-error').textContent()) ?? '', /Injuries.*at least 0/);
  await one.keyboard.press('Escape');
  const id = (await app.session.caseFile.db.prepare('SELECT id FROM incidents WHERE fatalities = 17').get()) as
    { id: string } | undefined;
  assert.ok(id, 'the edit is in the database');
  const row = app.session.caseFile.get('incidents', id.id)!;
  assert.equal(row.injuries, null);

  await one.reload();
  await one.getByTestId('app-shell').waitFor();
  await one.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '17',
  );
  assert.equal(await cell(one, 0, 'date').textContent(), first);

  // Undo from the keyboard: both pages go back.
  // Focus off the grid's cells without sorting it (a header click would sort).
  await one.getByTestId('grid-count').click();
  await one.keyboard.press('Control+z');
  await one.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '',
  );
  await two.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '',
  );
  assert.equal(app.session.caseFile.get('incidents', id.id)!.fatalities, null);

  // Redo, then the dashboard. (Generous timeout: CI machines run this beside other Chromium tests.)
  await one.getByTestId('redo').click();
  await one.waitForFunction(
    () => document.querySelector('.ag-row[row-index="0"] .ag-cell[col-id="fatalities"]')?.textContent === '17',
    undefined,
    { timeout: 90_000 },
  );
  assert.equal(app.session.caseFile.get('incidents', id.id)!.fatalities, 17);
  await one.getByTestId('nav-dashboard').click();
  await one.getByTestId('chart-figures').waitFor();
  // The chart's frame comes first, its numbers (and the table's rows) when the query answers.
  await one.locator('[data-testid="figures-table"] tbody tr').nth(13).waitFor();
  const rows = await one.locator('[data-testid="figures-table"] tbody tr').allTextContents();
  assert.equal(rows.length, 14);
  assert.match(rows[0]!, /^Kabul245/);
  assert.match(rows[13]!, /^Helmand48/);
  await one.waitForTimeout(600);
  await one.screenshot({ path: join(ARTIFACTS, 'foundation-dashboard.png') });
  assert.deepEqual(errors, []);
});

test('the edit is in the SQLite file after a restart', async () => {
  await app.stop();
  const s = new Session(join(app.dir, 'config2'), 'browser');
  try {
    s.open(app.file);
    const n = (s.caseFile.db.prepare('SELECT count(*) n FROM incidents WHERE fatalities = 17').get() as { n: number })
      .n;
    assert.equal(n, 1);
  } finally {
    s.close();
    app = await startApp({ file: app.file });
  }
});

test('the server refuses a connection without the token or from another host', async () => {
  const base = app.server.url.split('#')[0]!;
  const page = await (await browser.newContext()).newPage();
  await page.goto(base);
  await page.getByTestId('app-shell').waitFor();
  const refused = await page.evaluate(
    (u) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(u);
        ws.onopen = () => resolve(false);
        ws.onerror = () => resolve(true);
      }),
    base.replace('http', 'ws') + 'ws?token=wrong',
  );
  assert.equal(refused, true);
  const status = await new Promise<number>((resolve, reject) => {
    const u = new URL(base);
    request({ host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example' } }, (res) =>
      resolve(res.statusCode ?? 0),
    )
      .on('error', reject)
      .end();
  });
  assert.equal(status, 421);
});
