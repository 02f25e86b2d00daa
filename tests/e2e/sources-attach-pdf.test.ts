/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { makePdf } from '../fixtures/sources/make-pdf';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

// A report of 300 full pages (40 lines each): long enough to cancel while it is being read.
const LONG = makePdf(
  Array.from({ length: 300 }, (_, i) => [
    `Page ${i + 1} of the posture statement.`,
    ...Array.from(
      { length: 40 },
      (_, l) => `Line ${l + 1}: ISKP retains the capability to conduct external operations.`,
    ),
  ]),
);

test('a 300-page PDF is read with page progress and can be cancelled; attaching is undone and redone from the keyboard', async () => {
  const { page, errors } = await openPage(browser, app, { width: 1400, height: 850 });
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId('nav-sources').click();
  await page.getByTestId('source-row').filter({ hasText: 'centcom2022' }).click();
  const files = page.getByTestId('attachments').getByTestId('attachment');
  const before = await files.count();
  const file = { name: 'posture-statement.pdf', mimeType: 'application/pdf', buffer: LONG };

  // Progress per page from the worker; the page stays responsive (the button answers) meanwhile.
  await page.getByTestId('attach-input').setInputFiles(file);
  const progress = page.getByTestId('attach-progress');
  await progress.filter({ hasText: /page \d+ of 300/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId('attach-cancel').click();
  await progress.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await files.count(), before, 'a cancelled file is not attached');
  assert.match(
    (await page.getByTestId('attachment-warning').textContent()) ?? '',
    /posture-statement\.pdf was not attached \(cancelled\)/,
  );

  await page.getByTestId('attach-input').setInputFiles(file);
  await progress.filter({ hasText: /page \d+ of 300/ }).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'sources-attach-progress.png') });
  await files.filter({ hasText: 'posture-statement.pdf' }).waitFor({ timeout: 120_000 });
  assert.match((await files.filter({ hasText: 'posture-statement.pdf' }).textContent()) ?? '', /characters of text/);

  await page.locator('body').press('Control+z');
  await files.filter({ hasText: 'posture-statement.pdf' }).waitFor({ state: 'detached' });
  await page.locator('body').press('Control+Shift+z');
  await files.filter({ hasText: 'posture-statement.pdf' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sources-attach-redone.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
