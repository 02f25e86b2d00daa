/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';
import type { Browser } from 'playwright-core';

/**
 * Two tabs on one case file: an edit in one shows in both, at the cost it must have. The tab that
 * edits shows the row the core returns and rereads nothing; the other rereads that one row; no
 * tab asks for the table counts again, and the badges follow the rows added and deleted.
 */
let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

/** The channels a page calls, in order (its WebSocket frames). */
function callsOf(page: Page): string[] {
  const calls: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const m = JSON.parse(String(f.payload)) as { channel?: string };
      if (m.channel) calls.push(m.channel);
    }),
  );
  return calls;
}

const cellOf = (id: string, col: string) => `.ag-row[row-id="${id}"] .ag-cell[col-id="${col}"]`;
async function shows(page: Page, id: string, col: string, text: string) {
  await page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent === t, [cellOf(id, col), text], {
    timeout: 20_000,
  });
}
async function badgeIs(page: Page, n: number) {
  await page.waitForFunction(
    (t) => document.querySelector('[data-testid="nav-incidents"] .badge')?.textContent === t,
    n.toLocaleString('en-US'),
    { timeout: 20_000 },
  );
}
/** Lets late answers and events arrive before counting what was asked. */
const settle = (page: Page) => page.waitForTimeout(800);
const rowsAsked = (calls: string[]) => calls.filter((c) => c.startsWith('rows.') || c === 'app.info');

test('an edit in one tab shows in both: the editing tab rereads nothing, the other only that row, and the badges follow added and deleted rows', async () => {
  const db = app.session.caseFile.db;
  const incidents = () => db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
  const ids = db.prepare('SELECT id FROM incidents ORDER BY date DESC, id LIMIT 2').pluck().all() as string[];
  const [first, second] = ids as [string, string];
  const a = await openPage(browser, app);
  const b = await openPage(browser, app);
  const callsA = callsOf(a.page);
  const callsB = callsOf(b.page);
  await a.page.reload();
  await b.page.reload();
  for (const p of [a.page, b.page]) {
    await p.locator(cellOf(first, 'fatalities')).waitFor({ timeout: 20_000 });
    await badgeIs(p, incidents());
  }
  await settle(a.page);
  callsA.length = 0;
  callsB.length = 0;

  // A types a value in a column the view is neither sorted nor filtered by.
  await a.page.locator(cellOf(first, 'fatalities')).dblclick();
  await a.page.keyboard.type('42');
  await a.page.keyboard.press('Enter');
  await shows(a.page, first, 'fatalities', '42');
  await shows(b.page, first, 'fatalities', '42');
  await settle(a.page);
  assert.deepEqual(rowsAsked(callsA), ['rows.update'], 'the editing tab shows the saved row as returned');
  assert.deepEqual(rowsAsked(callsB), ['rows.get'], 'the other tab rereads the one row');
  assert.equal(db.prepare('SELECT fatalities FROM incidents WHERE id = ?').pluck().get(first), 42);
  await a.page.screenshot({ path: join(ARTIFACTS, 'grid-sync-1-edited-here.png') });
  await b.page.screenshot({ path: join(ARTIFACTS, 'grid-sync-2-seen-there.png') });

  // And the other way round.
  callsA.length = 0;
  callsB.length = 0;
  await b.page.locator(cellOf(second, 'fatalities')).dblclick();
  await b.page.keyboard.type('9');
  await b.page.keyboard.press('Enter');
  await shows(b.page, second, 'fatalities', '9');
  await shows(a.page, second, 'fatalities', '9');
  await settle(b.page);
  assert.deepEqual(rowsAsked(callsB), ['rows.update']);
  assert.deepEqual(rowsAsked(callsA), ['rows.get']);

  // A deletes a row: both badges count one fewer, and no tab counts the tables again.
  callsA.length = 0;
  callsB.length = 0;
  const before = incidents();
  await a.page.locator(`.ag-row[row-id="${first}"] .ag-selection-checkbox input`).first().check();
  await a.page.getByTestId('delete-rows').click();
  for (const p of [a.page, b.page]) await badgeIs(p, before - 1);
  assert.equal(incidents(), before - 1);
  await b.page.locator(cellOf(first, 'fatalities')).waitFor({ state: 'detached', timeout: 20_000 });
  // Undone from A: back in both, badges too.
  await a.page.getByTestId('undo').click();
  for (const p of [a.page, b.page]) await badgeIs(p, before);
  await shows(b.page, first, 'fatalities', '42');
  await settle(a.page);
  assert.equal(incidents(), before);
  assert.ok(
    !callsA.includes('app.info') && !callsB.includes('app.info'),
    `no recount: ${JSON.stringify({ a: callsA, b: callsB })}`,
  );
  assert.deepEqual([...a.errors, ...b.errors], []);
});
