/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

test('browser mode: Print / Save as PDF prints the rendered note with its bibliography and none of the app', async () => {
  const { page, errors } = await openPage(browser, app, { width: 1300, height: 850 });
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId('nav-notes').click();
  await page.getByTestId('bibliography').locator('.csl-entry').first().waitFor({ timeout: 30_000 });
  const title = await page.getByTestId('note-title').inputValue();

  // The desktop app's PDF export is not offered here; the browser's print dialog is.
  assert.equal(await page.getByTestId('export-pdf').count(), 0);
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await page.getByTestId('print-note').click();
  assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);

  // On screen the printable copy is hidden; in print it is all there is.
  assert.equal(await page.getByTestId('note-print').isVisible(), false);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('app-shell').isVisible(), false);
  assert.equal(await page.getByTestId('notes-area').isVisible(), false);
  const printed = page.getByTestId('note-print');
  assert.equal(await printed.isVisible(), true);
  assert.equal(await printed.locator('h1').textContent(), title);
  assert.ok((await printed.locator('.bibliography .csl-entry').count()) >= 1, 'the bibliography prints');
  assert.equal(await printed.locator('script, iframe, [onerror], [onclick]').count(), 0);
  const box = await printed.boundingBox();
  assert.ok(box && box.y < 60, `the note starts at the top of the page (y=${box?.y})`);
  await page.screenshot({ path: join(ARTIFACTS, 'notes-print.png'), fullPage: true });

  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.getByTestId('app-shell').isVisible(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('words typed just before the window closes are saved', async () => {
  const { page, errors } = await openPage(browser, app);
  await page.getByTestId('nav-notes').click();
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Typed as the window closed.');
  // Closed at once: well inside the pause after which typing is saved.
  await page.close({ runBeforeUnload: true });
  const body = () => app.session.caseFile.db.prepare('SELECT body FROM notes').pluck().get() as string;
  const end = Date.now() + 10_000;
  while (!body().endsWith('Typed as the window closed.') && Date.now() < end)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(body().endsWith('Typed as the window closed.'), 'the last words are in the case file');
  assert.deepEqual(errors, []);
});

test("two windows on one note: one's saved words appear in the other; an edit in progress is not overwritten, and the analyst chooses", async () => {
  const a = await openPage(browser, app);
  const b = await openPage(browser, app);
  for (const w of [a, b]) await w.page.getByTestId('nav-notes').click();
  const text = (w: typeof a) => w.page.locator('.cm-content').innerText();
  await b.page.locator('.cm-content').click();
  await b.page.keyboard.press('Control+End');
  await b.page.keyboard.type(' Written in B.');
  // Saved by B after its pause, then shown in A, which was not editing.
  await a.page.waitForFunction(
    () => document.querySelector('.cm-content')?.textContent?.includes('Written in B.'),
    undefined,
    { timeout: 10_000 },
  );

  // A starts typing; before A's save, the note changes elsewhere (here, in the core directly).
  await a.page.locator('.cm-content').click();
  await a.page.keyboard.press('Control+End');
  await a.page.keyboard.type(' Typed in A.');
  const cf = app.session.caseFile;
  const id = cf.db.prepare('SELECT id FROM notes').pluck().get() as string;
  cf.update('notes', id, { body: 'Replaced elsewhere.' });
  await a.page.getByTestId('note-external').waitFor();
  assert.ok((await text(a)).includes('Typed in A.'), "A's edit is still there");
  await a.page.screenshot({ path: join(ARTIFACTS, 'notes-changed-elsewhere.png') });
  // A's pause passes: its edit is not saved over the other change until the analyst chooses.
  const body = () => cf.db.prepare('SELECT body FROM notes').pluck().get() as string;
  await a.page.waitForTimeout(1500);
  assert.equal(body(), 'Replaced elsewhere.');
  await a.page.getByTestId('note-load-theirs').click();
  await a.page.waitForFunction(() => document.querySelector('.cm-content')?.textContent === 'Replaced elsewhere.');
  assert.equal(await a.page.getByTestId('note-external').count(), 0);
  // B, not editing, followed as well.
  await b.page.waitForFunction(
    () => document.querySelector('.cm-content')?.textContent === 'Replaced elsewhere.',
    undefined,
    { timeout: 10_000 },
  );

  // Once more, and this time A keeps its own: saved over the other change.
  await a.page.locator('.cm-content').click();
  await a.page.keyboard.press('Control+End');
  await a.page.keyboard.type(' Mine.');
  cf.update('notes', id, { body: 'Theirs.' });
  await a.page.getByTestId('note-keep-mine').click();
  const end = Date.now() + 10_000;
  while (body() !== 'Replaced elsewhere. Mine.' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.equal(body(), 'Replaced elsewhere. Mine.');
  await b.page.waitForFunction(
    () => document.querySelector('.cm-content')?.textContent === 'Replaced elsewhere. Mine.',
    undefined,
    { timeout: 10_000 },
  );
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.page.context().close();
  await b.page.context().close();
});
