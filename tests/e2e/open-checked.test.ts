/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * The analyst's own file opens before its quick_check when the app closed it cleanly and it has
 * not changed since; damage that check then finds is shown in the window at once.
 */
let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

test('damage found by the check after opening is shown in the window, and writes are refused', async () => {
  const { session, file } = app;
  // Opened the full way and closed cleanly: its stamp is recorded in the settings folder.
  session.close();
  await session.openChecked(file);
  session.close();
  // Then its bytes change in place (a page of the search index) with its time set back.
  const { atimeMs, mtimeMs } = statSync(file);
  const probe = new Database(file, { readonly: true });
  const { pageno } = probe
    .prepare("SELECT pageno FROM dbstat WHERE name = 'incidents_fts_data' AND pagetype = 'leaf' LIMIT 1")
    .get() as { pageno: number };
  probe.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([0x00, 0x7f]), 0, 2, (pageno - 1) * 4096 + 3);
  closeSync(fd);
  // Back to the same millisecond: set from a Date, seconds pass through a double and can land a
  // hair before it (read back a millisecond early); the middle of the millisecond reads back exact.
  utimesSync(file, (Math.floor(atimeMs) + 0.5) / 1000, (Math.floor(mtimeMs) + 0.5) / 1000);

  const { page, errors } = await openPage(browser, app);
  await session.openChecked(file);
  const banner = page.getByTestId('file-damaged');
  await banner.waitFor({ timeout: 60_000 });
  const text = (await banner.textContent()) ?? '';
  assert.match(
    text,
    /^demo\.casefile is damaged: .+\. Nothing will be written to it: restore a backup \(Settings, Backups\) or open another file\.$/,
  );
  assert.throws(() => session.caseFile.action('edit', () => undefined), /Nothing will be written to it/);
  await page.screenshot({ path: join(ARTIFACTS, 'open-damaged.png') });
  assert.deepEqual(errors, []);
});
