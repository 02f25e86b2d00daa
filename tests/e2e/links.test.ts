/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * A link in a note asks before it leaves (issue 22, item 10): the app's own dialog shows the whole
 * address, a look-alike host as punycode, and Cancel opens nothing.
 */
let app: App;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const HREF = `https://\u0430pple.com/${'account/'.repeat(60)}login?next=${'x'.repeat(300)}`;
const SHOWN = new URL(HREF).href; // https://xn--pple-43d.com/...

before(async () => {
  ({ app, browser } = await openApp());
  app.session.caseFile.create('notes', { title: 'Link note', body: `Read [the statement](${HREF}) first.` });
  page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(30_000);
  await page.goto(app.server.url);
  await page.getByTestId('app-shell').waitFor();
});
after(() => closeApp(app, browser));

test('a note link asks first, showing the whole address, and Cancel opens nothing', async () => {
  await page.getByTestId('nav-notes').click();
  await page.getByTestId('note-item').filter({ hasText: 'Link note' }).click();
  const link = page.getByTestId('note-rendered').getByText('the statement');
  await link.waitFor({ timeout: 20_000 });
  const popups: string[] = [];
  page.context().on('page', (p) => popups.push(p.url()));

  await link.click();
  const target = page.getByTestId('link-target');
  await target.waitFor();
  assert.equal(await target.textContent(), SHOWN);
  assert.ok(SHOWN.startsWith('https://xn--pple-43d.com/'), SHOWN.slice(0, 40));
  assert.match((await page.getByTestId('confirm-dialog').textContent()) ?? '', /leaves Casefile for xn--pple-43d\.com/);
  // The dialog stays inside the window however long the address is.
  const box = (await page.getByTestId('confirm-dialog').boundingBox())!;
  assert.ok(box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1200, JSON.stringify(box));
  await page.screenshot({ path: join(ARTIFACTS, 'link-confirm.png') });
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(500);
  assert.deepEqual(popups, [], 'Cancel opened nothing');

  // Offline: the address is answered here, so the tab shows where it went.
  await page
    .context()
    .route('https://xn--pple-43d.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' }));
  await link.click();
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('confirm-yes').click()]);
  await popup.waitForLoadState('domcontentloaded');
  assert.equal(popup.url(), SHOWN);
  await popup.close();
  assert.deepEqual(errors, []);
});
