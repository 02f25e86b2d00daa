/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seek } from '../../src/core/grid/seek';
import type { SortModel } from '../../src/shared/contract';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * The grid never changes data behind the analyst's back, driven from the keyboard as an analyst
 * does: what is typed after Add row goes to the new row wherever the sort moves it; Delete clears
 * a cell and never deletes a row; a typed value is stored as typed or refused at its cell; Undo
 * in one tab leaves another tab's edits alone; a filter that cannot read its value filters nothing.
 * Each test has a fresh demo case file of its own.
 */

const cellSel = (row: number, col: string) => `.ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`;
const cell = (page: Page, row: number, col: string) => page.locator(cellSel(row, col));
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `grid-keyboard-${name}.png`) });

async function countIs(page: Page, text: string) {
  await page.waitForFunction((t) => document.querySelector('[data-testid="grid-count"]')?.textContent === t, text, {
    timeout: 20_000,
  });
}
async function cellText(page: Page, row: number, col: string, text: string) {
  await page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent === t, [cellSel(row, col), text], {
    timeout: 20_000,
  });
}
/** The editor Tab (or Enter) opened has the keyboard: what an analyst waits to see before typing. */
async function typingIn(page: Page, col: string) {
  await page.waitForFunction(
    (c) =>
      document.activeElement?.closest(`.ag-cell-inline-editing[col-id="${c}"]`) !== null &&
      document.activeElement?.tagName === 'INPUT',
    col,
    { timeout: 10_000 },
  );
}
async function until(ok: () => boolean, timeoutMs = 10_000, what?: () => unknown): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for the core${what ? `: ${JSON.stringify(what())}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a test on its own app and browser; a screenshot of what the page showed when it failed. */
async function withApp(name: string, fn: (app: App, open: () => Promise<Page>) => Promise<void>) {
  const { app, browser } = await openApp();
  const pages: { page: Page; errors: string[] }[] = [];
  try {
    await fn(app, async () => {
      const p = await openPage(browser, app);
      pages.push(p);
      await p.page.locator(cellSel(0, 'fatalities')).waitFor();
      return p.page;
    });
    for (const p of pages) assert.deepEqual(p.errors, []);
  } catch (e) {
    for (const [i, p] of pages.entries()) await shot(p.page, `${name}-failure-${i}`).catch(() => undefined);
    throw e;
  } finally {
    await closeApp(app, browser);
  }
}

/** The id of the row at this position of the grid's view (no filter), as the core pages it. */
const idAt = async (app: App, index: number, sort: SortModel = []) =>
  (
    await seek(app.session.caseFile.db, 'incidents', {
      sort,
      filter: { columns: {}, search: '' },
      offset: index,
      limit: 1,
    })
  ).rows[0]!.id as string;

const rowsOf = (app: App) =>
  app.session.caseFile.db.prepare('SELECT * FROM incidents').all() as Record<string, unknown>[];

test('Add row in a view sorted by date: what is typed after Tab and after Enter goes to the new row, wherever the sort moves it', () =>
  withApp('add-row', async (app, open) => {
    const page = await open();
    await countIs(page, '10 rows');
    const before = new Map(rowsOf(app).map((r) => [r.id as string, r]));
    // Date, newest first.
    await page.locator('.ag-header-cell[col-id="date"] .ag-header-cell-label').click();
    await page.locator('.ag-header-cell[col-id="date"] .ag-header-cell-label').click();
    const newest = [...before.values()]
      .map((r) => String(r.date ?? ''))
      .sort()
      .at(-1)!;
    await cellText(page, 0, 'date', newest);

    await page.getByTestId('add-row').click();
    // A row without a date goes last, its date open for typing.
    await page.locator(`${cellSel(10, 'date')}.ag-cell-inline-editing`).waitFor({ timeout: 10_000 });
    await countIs(page, '11 rows');
    const added = () => rowsOf(app).find((r) => !before.has(r.id as string))!;
    await typingIn(page, 'date');
    await page.keyboard.type('2023-03');
    // Past the precision (the core sets it from the date) to the event type.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await typingIn(page, 'event_type');
    await page.keyboard.type('Battles');
    await page.keyboard.press('Tab');
    await typingIn(page, 'sub_event_type');
    await page.keyboard.type('Armed clash');
    await page.keyboard.press('Enter');
    const state = () => rowsOf(app).map((r) => [r.date, r.event_type, r.sub_event_type]);
    await until(() => added().sub_event_type === 'Armed clash', 10_000, state);
    assert.equal(added().date, '2023-03');
    assert.equal(added().date_precision, 'month');
    assert.equal(added().event_type, 'Battles');

    // The row now stands where the sort puts it, and the focus went with it.
    const position = [...before.values(), added()]
      .map((r) => String(r.date ?? ''))
      .sort()
      .reverse()
      .indexOf('2023-03');
    await cellText(page, position, 'date', '2023-03');
    await page.waitForFunction(
      (s) => document.querySelector(s)?.classList.contains('ag-cell-focus') === true,
      cellSel(position, 'sub_event_type'),
      { timeout: 10_000 },
    );
    await shot(page, '1-add-row-followed');
    // Typing on the focused cell edits the new row again, not the row now at its old place.
    await page.keyboard.type('Armed clash 2');
    await page.keyboard.press('Enter');
    await until(() => added().sub_event_type === 'Armed clash 2', 10_000, state);
    for (const r of rowsOf(app)) {
      if (r.id === added().id) continue;
      const was = before.get(r.id as string)!;
      for (const f of ['date', 'event_type', 'sub_event_type'])
        assert.equal(r[f], was[f], `${f} of the ${String(was.country)} ${String(was.date)} incident is untouched`);
    }
  }));

test("Delete clears the focused cell of a ticked row; Shift+Delete asks, says how many, and the toast's Undo brings the rows back", () =>
  withApp('delete', async (app, open) => {
    const page = await open();
    const cf = app.session.caseFile;
    const incidents = () => cf.db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    const citations = () => cf.db.prepare('SELECT count(*) FROM citations').pluck().get() as number;
    const [rows, cites] = [incidents(), citations()];
    // The Cites count ticks its row; an arrow key moves to a cell of it, Delete.
    await cell(page, 1, 'cites').click();
    assert.equal((await page.getByTestId('delete-rows').textContent())?.trim(), 'Delete 1');
    const id = await idAt(app, 1);
    const eventType = () => cf.get('incidents', id)?.event_type;
    assert.ok(eventType());
    await cell(page, 1, 'event_type').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Delete');
    await until(() => eventType() === null);
    assert.equal(incidents(), rows, 'no incident deleted');
    assert.equal(citations(), cites, 'no citation deleted');
    await shot(page, '2-delete-cleared-cell');

    // Rows go on purpose only: Shift+Delete names how many and asks.
    await page.locator('.ag-row[row-index="2"] .ag-selection-checkbox input').check();
    await cell(page, 2, 'country').click();
    await page.keyboard.press('Shift+Delete');
    await page.getByTestId('delete-confirm').waitFor();
    assert.match((await page.getByTestId('delete-confirm').textContent()) ?? '', /Delete 2 incidents\?/);
    await shot(page, '3-delete-confirm');
    await page.getByTestId('delete-cancel').click();
    assert.equal(incidents(), rows);
    await page.keyboard.press('Control+Delete');
    await page.getByTestId('delete-confirm-ok').click();
    await countIs(page, '8 rows');
    assert.equal(incidents(), rows - 2);
    await page.getByTestId('deleted-toast').waitFor();
    assert.equal(
      await page.getByTestId('deleted-toast').locator('span').textContent(),
      'Deleted 2 incidents and their citations.',
    );
    await shot(page, '4-deleted-toast');
    await page.getByTestId('deleted-undo').click();
    await countIs(page, '10 rows');
    assert.equal(incidents(), rows);
    assert.equal(citations(), cites);
    await page.getByTestId('deleted-toast').waitFor({ state: 'detached' });
  }));

test('A typed value is stored as typed or refused at its cell, the editor keeping what was typed', () =>
  withApp('typed', async (app, open) => {
    const page = await open();
    const cf = app.session.caseFile;
    const id = await idAt(app, 0);
    const value = (f: string) => cf.get('incidents', id)?.[f];
    const before = value('fatalities');
    const editor = page.locator(`${cellSel(0, 'fatalities')}.ag-cell-inline-editing input`);
    const refused = async (typed: string, message: string) => {
      await cell(page, 0, 'fatalities').press('Enter');
      await editor.fill(typed);
      await page.keyboard.press('Enter');
      await page.getByTestId('cell-error').waitFor();
      assert.equal(await page.getByTestId('cell-error').textContent(), message);
      // Still open, with the text as typed; nothing saved.
      assert.equal(await editor.inputValue(), typed);
      await page.keyboard.press('Tab');
      assert.equal(await editor.inputValue(), typed, 'Tab does not leave a refused value either');
      assert.equal(value('fatalities'), before);
      await page.keyboard.press('Escape');
      await page.getByTestId('cell-error').waitFor({ state: 'detached' });
      // The editor is gone before the next Enter opens a new one (under load Escape takes a moment).
      await editor.waitFor({ state: 'detached' });
    };
    await cell(page, 0, 'fatalities').click();
    await refused('12.5', 'Fatalities: "12.5" is not a whole number');
    await cell(page, 0, 'fatalities').press('Enter');
    await editor.fill('12.5');
    await page.keyboard.press('Enter');
    await page.getByTestId('cell-error').waitFor();
    await shot(page, '5-refused-at-cell');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await refused('1e3', 'Fatalities: "1e3" is not a whole number');
    await refused('ninety', 'Fatalities: "ninety" is not a whole number');
    await refused('-3', 'Fatalities must be at least 0');
    await cell(page, 0, 'fatalities').press('Enter');
    await editor.fill('12');
    await page.keyboard.press('Enter');
    await until(() => value('fatalities') === 12);

    // Coordinates and dates by the same rule (Lat is eight columns on, out of sight).
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (s) => document.querySelector(s)?.classList.contains('ag-cell-focus') === true,
      cellSel(0, 'latitude'),
    );
    await page.keyboard.press('Enter');
    await page.locator(`${cellSel(0, 'latitude')}.ag-cell-inline-editing input`).fill('3.4e1');
    await page.keyboard.press('Enter');
    await page.getByTestId('cell-error').waitFor();
    assert.match((await page.getByTestId('cell-error').textContent()) ?? '', /^Lat: "3.4e1" is not a number/);
    await page.keyboard.press('Escape');
    for (let i = 0; i < 30 && !(await page.locator(`${cellSel(0, 'date')}.ag-cell-focus`).count()); i++)
      await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.locator(`${cellSel(0, 'date')}.ag-cell-inline-editing input`).fill('2023-13');
    await page.keyboard.press('Enter');
    await page.getByTestId('cell-error').waitFor();
    assert.match((await page.getByTestId('cell-error').textContent()) ?? '', /^Date: "2023-13" is not a date/);
    await page.keyboard.press('Escape');
    assert.notEqual(value('date'), '2023-13');
  }));

test("Undo in one tab takes back its own edit, not another tab's; a step another tab changed since asks first", () =>
  withApp('two-tabs', async (app, open) => {
    const a = await open();
    const b = await open();
    const cf = app.session.caseFile;
    const [one, two] = [await idAt(app, 0), await idAt(app, 1)];
    const get = (id: string, f: string) => cf.get('incidents', id!)?.[f];
    const f1 = get(one!, 'fatalities');
    const type = async (page: Page, row: number, col: string, text: string) => {
      await cell(page, row, col).click();
      await cell(page, row, col).press('Enter');
      await page.locator(`${cellSel(row, col)}.ag-cell-inline-editing input`).fill(text);
      await page.keyboard.press('Enter');
    };
    await type(a, 0, 'fatalities', '5');
    await until(() => get(one!, 'fatalities') === 5);
    await type(b, 1, 'injuries', '9');
    await until(() => get(two!, 'injuries') === 9);
    await cell(a, 0, 'country').click();
    await a.keyboard.press('Control+z');
    await until(() => get(one!, 'fatalities') === f1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(get(two!, 'injuries'), 9, "the other tab's edit stays");
    await a.waitForFunction(() => (document.querySelector('[data-testid="undo"]') as HTMLButtonElement).disabled);
    assert.match((await b.getByTestId('undo').getAttribute('title')) ?? '', /Undo Edit Injuries/);

    // A edits, B changes the same field since: A's Undo says so and asks.
    await type(a, 0, 'fatalities', '5');
    await until(() => get(one!, 'fatalities') === 5);
    await type(b, 0, 'fatalities', '7');
    await until(() => get(one!, 'fatalities') === 7);
    await cell(a, 0, 'country').click();
    await a.keyboard.press('Control+z');
    await a.getByTestId('undo-changed-since').waitFor();
    assert.match(
      (await a.getByTestId('undo-changed-since-message').textContent()) ?? '',
      /Fatalities of the incident .* is now “7”/,
    );
    await shot(a, '6-undo-changed-since');
    await a.getByTestId('undo-changed-since-cancel').click();
    assert.equal(get(one!, 'fatalities'), 7);
    await a.getByTestId('undo').click();
    await a.getByTestId('undo-changed-since-anyway').click();
    await until(() => get(one!, 'fatalities') === f1);
  }));

test('A number filter that cannot read its value filters nothing, and says so', () =>
  withApp('filter', async (app, open) => {
    const cf = app.session.caseFile;
    for (const [i, n] of [
      [0, 3],
      [1, 0],
      [2, 12],
    ] as const)
      cf.update('incidents', await idAt(app, i), { fatalities: n });
    const page = await open();
    await page.locator('.ag-header-cell[col-id="fatalities"] .ag-header-cell-filter-button').click();
    await page.getByTestId('number-filter-min').fill('1');
    await countIs(page, '2 rows');
    await page.getByTestId('number-filter-min').fill('1x');
    await page.getByText(/^Type a number/).waitFor();
    await countIs(page, '10 rows');
    assert.equal(await page.getByTestId('number-filter-min').inputValue(), '1x', 'the text typed stays');
    await shot(page, '7-filter-unreadable');
    await page.getByTestId('number-filter-min').fill('1');
    await countIs(page, '2 rows');
  }));
