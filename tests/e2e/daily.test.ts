/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * Daily use: settings, the theme in every area, the keyboard, help and about, backup and restore,
 * and what browser mode says when its address lacks the token.
 */
let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `daily-${name}.png`) });
const AREAS = ['incidents', 'plots', 'sources', 'figures', 'dashboard', 'notes', 'review', 'import'];

async function ready(page: Page) {
  await page.getByTestId('app-shell').waitFor();
  await page.locator('.ag-row[row-index="0"]').first().waitFor();
}

/** Tab presses from the dialog's first control never leave it. */
async function focusStaysIn(page: Page, testId: string) {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    assert.ok(
      await page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId),
      `focus left ${testId}`,
    );
  }
}

test('settings: the author is fixed, the preferences are kept and used', async () => {
  const { page, errors } = await openPage(browser, app);
  await ready(page);
  await page.getByTestId('settings-open').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('role'), 'dialog');
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  assert.equal(await page.getByTestId('settings-author').inputValue(), 'E2E Analyst');
  assert.equal(await page.getByTestId('settings-author').getAttribute('readonly'), '');
  await focusStaysIn(page, 'settings-dialog');
  await page.getByTestId('settings-date-order').selectOption('dmy');
  await page.getByTestId('settings-saved').waitFor();
  await page.getByTestId('settings-citation-style').selectOption('apa');
  await page.getByTestId('settings-backups-keep').fill('7');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="settings-saved"]')?.textContent?.includes('backups kept'),
  );
  assert.match((await page.getByTestId('settings-folder').textContent()) ?? '', /casefile\.log.*crash-reports/);
  await shot(page, 'settings');
  const s = app.session.settings.get();
  assert.deepEqual([s.dateOrder, s.citationStyle, s.backups.keep, s.author], ['dmy', 'apa', 7, 'E2E Analyst']);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // The default citation style is the one the notes open with.
  await page.getByTestId('nav-notes').click();
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="citation-style"]') as HTMLSelectElement | null)?.value === 'apa',
  );
  // A table whose dates read both ways starts from the default date order instead of "not read".
  const data = join(app.dir, 'dates.csv');
  writeFileSync(data, 'date,country,description\n09/05/2021,Afghanistan,one\n03/04/2022,Afghanistan,two\n');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-path').fill(data);
  await page.getByTestId('import-preview').click();
  await page.getByTestId('import-date-order').waitFor();
  assert.equal(await page.getByTestId('import-date-order').inputValue(), 'dmy');
  await shot(page, 'import-default-order');
  assert.deepEqual(errors, []);
});

test('the theme follows the system, or the choice; every area is drawn in both', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  app.session.settings.update({ theme: 'system' });
  await page.goto(app.server.url);
  await ready(page);
  // "system" and a dark system: dark.
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  const bg = () => page.evaluate(() => getComputedStyle(document.body.parentElement!).backgroundColor);
  assert.equal(await bg(), 'rgb(18, 22, 28)');
  // The grid's own dark parameters, not only the page around it.
  const gridBg = await page.evaluate(
    () => getComputedStyle(document.querySelector('.ag-root-wrapper')!).backgroundColor,
  );
  assert.equal(gridBg, 'rgb(27, 33, 41)');
  for (const area of AREAS) {
    await page.getByTestId(`nav-${area}`).click();
    await page.waitForTimeout(area === 'dashboard' ? 1500 : 500);
    await shot(page, `dark-${area}`);
  }
  // The rest of the dashboard (timeline, plots, map), scrolled into view.
  await page.getByTestId('nav-dashboard').click();
  for (const part of [1, 2, 3]) {
    await page.evaluate((n) => document.querySelector('main.content')!.scrollTo(0, n * 800), part);
    await page.waitForTimeout(500);
    await shot(page, `dark-dashboard-${part}`);
  }
  // The dashboard's charts are ECharts' dark theme on screen, and a PNG export is still light.
  await page.getByTestId('nav-dashboard').click();
  await page.locator('.chart canvas').first().waitFor();
  const download = page.waitForEvent('download');
  await page.locator('[data-testid^="export-png-"]').first().click();
  const file = join(app.dir, 'chart.png');
  await (await download).saveAs(file);
  const corner = await page.evaluate(
    async (bytes) => {
      const img = new Image();
      img.src = `data:image/png;base64,${bytes}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return [...g.getImageData(2, 2, 1, 1).data];
    },
    (await import('node:fs')).readFileSync(file).toString('base64'),
  );
  assert.deepEqual(corner, [255, 255, 255, 255], 'the exported chart is light');

  // The choice in Settings wins over the system, in every window at once.
  await page.getByTestId('settings-open').click();
  await page.getByTestId('settings-theme').selectOption('light');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await page.keyboard.press('Escape');
  assert.equal(await bg(), 'rgb(244, 245, 247)');
  for (const area of AREAS) {
    await page.getByTestId(`nav-${area}`).click();
    await page.waitForTimeout(area === 'dashboard' ? 1500 : 500);
    await shot(page, `light-${area}`);
  }
  app.session.settings.update({ theme: 'system' });
  await ctx.close();
  assert.deepEqual(errors, []);
});

test('keyboard: Ctrl+/ shows the shortcuts, Ctrl+1..8 switch areas, Ctrl+F focuses the search', async () => {
  const { page, errors } = await openPage(browser, app);
  await ready(page);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('Control+3');
  await page.getByTestId('source-search').waitFor();
  assert.equal(await page.getByTestId('nav-sources').getAttribute('aria-current'), 'page');
  await page.keyboard.press('Control+f');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'source-search');
  await page.keyboard.press('Control+1');
  await page.getByTestId('grid-search').waitFor();
  await page.keyboard.press('Control+f');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'grid-search');
  await page.keyboard.press('Control+5');
  assert.equal(await page.getByTestId('nav-dashboard').getAttribute('aria-current'), 'page');
  await page.keyboard.press('Control+/');
  const sheet = page.getByTestId('shortcuts-sheet');
  await sheet.waitFor();
  assert.equal(await sheet.getAttribute('aria-modal'), 'true');
  assert.match((await sheet.textContent()) ?? '', /Switch area/);
  await focusStaysIn(page, 'shortcuts-sheet');
  await shot(page, 'shortcuts');
  // While the sheet is open the area stays; Escape closes it and focus comes back.
  await page.keyboard.press('Control+1');
  assert.equal(await page.getByTestId('nav-dashboard').getAttribute('aria-current'), 'page');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('help: About shows the version and the notices with citeproc-js under CPAL; the user guide is docs/user-guide.md', async () => {
  const { page, errors } = await openPage(browser, app);
  await ready(page);
  await page.getByTestId('help-menu').click();
  await page.getByTestId('help-about').click();
  const about = page.getByTestId('about-dialog');
  await about.waitFor();
  assert.match((await page.getByTestId('about-version').textContent()) ?? '', /version test/);
  const notices = (await page.getByTestId('about-notices').textContent()) ?? '';
  assert.match(notices, /citeproc-js/);
  assert.match(notices, /CPAL/);
  await shot(page, 'about');
  await page.getByTestId('about-dialog-close').click();
  await page.getByTestId('help-menu').click();
  await page.getByTestId('help-guide').click();
  await page.getByTestId('user-guide').waitFor();
  const guide = page.getByTestId('user-guide-text');
  assert.match((await guide.textContent()) ?? '', /What the workbench does/);
  // Rendered, not raw: headings and lists, and no script or raw HTML from the text.
  assert.ok((await guide.locator('h2').count()) >= 2);
  assert.equal(await guide.locator('script, img, iframe').count(), 0);
  await shot(page, 'guide');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
});

test('backup and restore: File → Restore from backup lists them with counts and restores into a new file', async () => {
  const { page, errors } = await openPage(browser, app);
  await ready(page);
  const original = app.file;
  await page.getByTestId('file-menu').click();
  await page.getByTestId('file-restore').click();
  const dialog = page.getByTestId('restore-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  await page.getByTestId('backup-now').click();
  await page.getByTestId('restore-item').first().waitFor();
  // A change after the backup: the restored file must not have it.
  const id = (app.session.caseFile.db.prepare('SELECT id FROM incidents ORDER BY id LIMIT 1').get() as { id: string })
    .id;
  app.session.caseFile.delete('incidents', [id]);
  assert.match((await page.getByTestId('restore-item').first().textContent()) ?? '', /made by hand\s*10\s*15\s*6/);
  await page.getByTestId('restore-item').first().click();
  const out = await page.getByTestId('restore-out').inputValue();
  assert.match(out, /demo \(restored .*\)\.casefile$/);
  await shot(page, 'restore');
  // Never over the open file.
  await page.getByTestId('restore-out').fill(original);
  await page.getByTestId('restore-confirm').click();
  await page.getByTestId('restore-error').waitFor();
  assert.match((await page.getByTestId('restore-error').textContent()) ?? '', /already exists.*never over one/);
  await page.getByTestId('restore-out').fill(out);
  await page.getByTestId('restore-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('exchange-notice').waitFor();
  assert.equal(app.session.caseFile.path, out);
  assert.equal(app.session.caseFile.info().counts.incidents, 10);
  assert.ok(existsSync(original));
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="case-title"]')?.getAttribute('title')?.includes('restored'),
  );
  await shot(page, 'restored');
  await app.session.backups.pending;
  assert.deepEqual(errors, []);
});

test('browser mode without its token says the address lacks it and where to find it', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 700 } })).newPage();
  await page.goto(app.server.url.replace(/#token=.*$/, ''));
  const banner = page.getByTestId('connection-banner');
  await banner.waitFor();
  const text = (await banner.textContent()) ?? '';
  assert.match(text, /lacks its access token/);
  assert.match(text, /npm start.*npm run web.*terminal/);
  assert.doesNotMatch(text, /reload this page/);
  await shot(page, 'no-token');
  // A token from an earlier run is named as such.
  await page.goto(app.server.url.replace(/#token=.*$/, '#token=from-an-earlier-run'));
  await page.reload();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="connection-banner"]')?.getAttribute('data-problem') === 'refused',
  );
  assert.match((await banner.textContent()) ?? '', /token changes each time Casefile starts/);
});
