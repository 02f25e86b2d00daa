/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FileReceiver } from '../../src/core/files/upload-receiver';
import { makeHandlers } from '../../src/core/handlers/index';
import { filesHandlers } from '../../src/core/handlers/files';
import { Session } from '../../src/core/session';
import { startWebServer, type WebServer } from '../../src/server/web-server';
import { ACLED_HEADER, acledLine } from '../unit/import-db/acled-gen';
import { rng } from '../rng';
import { ARTIFACTS, launch, ROOT } from './harness';

/**
 * Files in browser mode: a file chosen in the page is sent to the core over the socket (with its
 * progress, under a size limit), a file dropped on the window goes where it belongs, Open Recent,
 * the window's title, and the dashboard's charts from the keyboard. The receiver's limit is set
 * low here (the real one, 512 MB, is too big to send in a test); everything else is the app's.
 */
const LIMIT = 8 * 1024 * 1024;
let dir: string;
let session: Session;
let server: WebServer;
let receiver: FileReceiver;
let browser: Browser;
let temp: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'casefile-e2e-files-'));
  temp = join(dir, 'tmp');
  mkdirSync(temp);
  session = new Session(join(dir, 'config'), 'browser');
  // Files kept from the browser (a case file opened) go to the folder last used: this test's own.
  mkdirSync(join(dir, 'kept'));
  session.settings.update({ author: 'E2E Analyst', lastFolder: join(dir, 'kept') });
  session.create(join(dir, 'demo.casefile'), true);
  receiver = new FileReceiver(temp, LIMIT);
  const handlers = { ...makeHandlers(session, 'test'), ...filesHandlers(session, receiver) };
  server = await startWebServer({ session, handlers, staticDir: join(ROOT, 'out/renderer') });
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  receiver?.close();
  session?.close();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `files-${name}.png`) });

async function open(viewport = { width: 1400, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByTestId('app-shell').waitFor();
  await page.locator('.ag-row[row-index="0"]').first().waitFor();
  return { page, errors };
}

/** An ACLED export of `rows` events, as the analyst's browser would read it from disk. */
function acledCsv(rows: number): Buffer {
  const r = rng(7);
  const lines: string[] = [];
  for (let i = 1; i <= rows; i++) lines.push(acledLine(i, r, { rows, idPrefix: 'UPL' }));
  return Buffer.from(`${ACLED_HEADER}\r\n${lines.join('\r\n')}\r\n`);
}

/** Every text the upload's progress line showed, recorded in the page (it may show only briefly). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="upload-progress"]')?.textContent;
      if (t && w.seen[w.seen.length - 1] !== t) w.seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Drops files on an element as a user's drag from the desktop does (a DataTransfer with Files). */
async function drop(page: Page, selector: string, files: { name: string; b64: string; type: string }[]): Promise<void> {
  await page.evaluate(
    ({ selector, files }) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const el = document.querySelector(selector)!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { selector, files },
  );
}

test(
  'a file chosen in the browser is sent with its progress, previewed and imported; its copy is then removed',
  { timeout: 180_000 },
  async () => {
    const { page, errors } = await open();
    await page.getByTestId('nav-import').click();
    await recordProgress(page);
    // About 5 MB: five chunks of 1 MB, so the progress moves.
    const csv = acledCsv(13_000);
    assert.ok(csv.length > 4.5 * 1024 * 1024 && csv.length < LIMIT);
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'acled_upload_test.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByTestId('import-preview-panel').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    assert.ok(
      seen.some((t) => /Sending acled_upload_test\.csv: [\d.,]+ [KM]B of [\d.]+ MB \(\d+%\)/.test(t)),
      seen.join(' | '),
    );
    assert.ok(seen.length >= 2, `progress moved: ${seen.join(' | ')}`);
    // The path box holds the received copy, in the private folder, underscores readable.
    const path = await page.getByTestId('import-path').inputValue();
    assert.equal(relative(receiver.folder(), path).split(/[\\/]/).length, 2);
    assert.equal(basename(path), 'acled_upload_test.csv');
    const box = page.getByTestId('import-path');
    const fits = await box.evaluate((el: HTMLInputElement) => {
      const cs = getComputedStyle(el);
      return {
        inner: el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom),
        font: parseFloat(cs.fontSize),
        lh: cs.lineHeight,
      };
    });
    assert.ok(fits.inner >= fits.font * 1.4, `the path box is tall enough for underscores: ${JSON.stringify(fits)}`);
    await box.screenshot({ path: join(ARTIFACTS, 'files-import-path-box.png') });
    await shot(page, '1-import-uploaded');

    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    assert.match((await page.getByTestId('import-imported').textContent()) ?? '', /^13,000\s*imported$/);
    // Imported: the received copy is removed from the private folder.
    for (let i = 0; i < 50 && existsSync(path); i++) await page.waitForTimeout(100);
    assert.equal(existsSync(path), false);
    assert.deepEqual(errors, []);
  },
);

test('a file over the limit is refused with a message that says the limit, and nothing is written', async () => {
  const { page, errors } = await open();
  await page.getByTestId('nav-import').click();
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'too-big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(LIMIT + 1, 0x41) });
  const problem = page.getByTestId('import-problem');
  await problem.waitFor();
  assert.match(
    (await problem.textContent()) ?? '',
    /too-big\.csv is 8 MB: files chosen in the browser may be at most 8 MB\. Type its path on this computer instead\./,
  );
  assert.deepEqual(
    readdirSync(receiver.folder()).filter((d) =>
      readdirSync(join(receiver.folder(), d)).some((f) => f.startsWith('too-big')),
    ),
    [],
  );
  await shot(page, '2-too-big');
  assert.deepEqual(errors, []);
});

test('a hostile file name cannot leave the private folder', async () => {
  const { page, errors } = await open();
  await page.getByTestId('nav-import').click();
  const before = new Set(readdirSync(dir));
  const name = '../../..\u0001\u001b]0;x\u0007evil\u202e.csv';
  await drop(page, 'main', [{ name, b64: acledCsv(2).toString('base64'), type: 'text/csv' }]);
  await page.getByTestId('import-preview-panel').waitFor({ timeout: 60_000 });
  const path = await page.getByTestId('import-path').inputValue();
  const rel = relative(receiver.folder(), path);
  assert.ok(!rel.startsWith('..') && rel.split(/[\\/]/).length === 2, rel);
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  assert.doesNotMatch(basename(path), /[\u0000-\u001f\u202e/\\]/);
  assert.equal(dirname(dirname(path)), receiver.folder());
  assert.deepEqual(new Set(readdirSync(dir)), before);
  assert.equal(existsSync(join(dir, 'evil.csv')), false);
  assert.deepEqual(errors, []);
});

test(
  'a dropped CSV goes to Import with its preview; a dropped case file asks Open or Merge; Open Recent goes back',
  { timeout: 180_000 },
  async () => {
    const { page, errors } = await open();
    const first = session.caseFile.path;
    // A CSV dropped on the grid: the Import area, with the preview.
    await drop(page, '.ag-root', [
      { name: 'dropped_events.csv', b64: acledCsv(5).toString('base64'), type: 'text/csv' },
    ]);
    await page.getByTestId('import-preview-panel').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('import-preview-panel').textContent()) ?? '', /dropped_events\.csv/);
    assert.match((await page.getByTestId('import-format').textContent()) ?? '', /ACLED/);
    await shot(page, '3-dropped-csv');

    // A case file dropped: asked what to do, opened, kept in the folder last used.
    const other = join(dir, 'colleague.casefile');
    const s2 = new Session(join(dir, 'config2'), 'browser');
    s2.create(other, true);
    s2.close();
    await drop(page, 'main', [{ name: 'colleague.casefile', b64: readFileSync(other).toString('base64'), type: '' }]);
    const ask = page.getByTestId('dropped-casefile');
    await ask.waitFor();
    assert.equal(await ask.getAttribute('aria-modal'), 'true');
    await shot(page, '4-dropped-casefile');
    await page.getByTestId('dropped-open').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    const kept = join(dir, 'kept', 'colleague.casefile');
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      new RegExp(`Opened .*${kept.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.equal(session.caseFile.path, kept);
    // The header and the window's title say which file and where.
    await page.waitForFunction(
      (k) => document.querySelector('[data-testid="case-file"]')?.getAttribute('title') === k,
      kept,
    );
    assert.match((await page.getByTestId('case-file').textContent()) ?? '', /colleague\.casefile in .*kept/);
    assert.match(await page.title(), /^colleague\.casefile — .*kept\/ — Casefile$/);
    await shot(page, '5-opened-dropped');

    // Open Recent lists the file before; choosing it opens it again.
    await page.getByTestId('file-menu').click();
    const recent = page.getByTestId('file-recent');
    await recent.first().waitFor();
    assert.ok((await recent.allTextContents()).some((t) => t.includes('demo.casefile')));
    await shot(page, '6-open-recent');
    await recent.filter({ hasText: 'demo.casefile' }).first().click();
    await page.waitForFunction(
      (f) => document.querySelector('[data-testid="case-file"]')?.getAttribute('title') === f,
      first,
    );
    assert.equal(session.caseFile.path, first);
    assert.match(await page.title(), /^demo\.casefile — /);

    // Dropped again, this time to merge: the merge review opens on it.
    await drop(page, 'main', [{ name: 'colleague.casefile', b64: readFileSync(other).toString('base64'), type: '' }]);
    await page.getByTestId('dropped-merge').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 60_000 });
    await shot(page, '7-dropped-merge');
    await page.keyboard.press('Escape');
    await page.getByTestId('merge-review').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  },
);

test(
  'a grid export downloads in the browser from the private folder, which keeps nothing after',
  { timeout: 60_000 },
  async () => {
    const { page, errors } = await open();
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-dialog').waitFor();
    assert.equal(await page.getByTestId('export-dialog').getAttribute('aria-modal'), 'true');
    await shot(page, '8-grid-export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
    assert.match(download.suggestedFilename(), /^demo-incidents-view\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    assert.ok(text.split('\n').length > 5, 'rows in the download');
    await page.getByTestId('export-result').waitFor();
    // Modal for the keyboard: Tab never leaves it, Escape closes it and focus goes back to Export….
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab');
      assert.ok(
        await page.evaluate(() => !!document.activeElement?.closest('[data-testid="export-dialog"]')),
        'focus stays in the export dialog',
      );
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'export-open');
    assert.deepEqual(
      readdirSync(receiver.folder()).filter((d) => existsSync(join(receiver.folder(), d, 'demo-incidents-view.csv'))),
      [],
    );
    assert.deepEqual(errors, []);
  },
);

test(
  'dashboard charts from the keyboard: focusable, named, arrows move over bars, Enter filters',
  { timeout: 60_000 },
  async () => {
    const { page, errors } = await open();
    await page.getByTestId('nav-dashboard').click();
    const chart = page.getByTestId('chart-by-country');
    await chart.waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-testid="chart-by-country"] canvas'));
    assert.equal(await chart.getAttribute('tabindex'), '0');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /^Incidents by country\. Arrow keys/);
    await chart.focus();
    await page.keyboard.press('ArrowDown');
    const status = page.getByTestId('chart-by-country-current');
    await page.waitForFunction(() =>
      /\(1 of \d+\)/.test(document.querySelector('[data-testid="chart-by-country-current"]')?.textContent ?? ''),
    );
    const firstText = (await status.textContent()) ?? '';
    const country = firstText.split(':')[0]!;
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal(await status.textContent(), firstText);
    await chart.scrollIntoViewIfNeeded();
    await shot(page, '9-chart-keyboard');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (c) => document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes(`Country: ${c}`),
      country,
    );
    // The timeline the same way: Enter on a bucket sets the date filter to it.
    const timeline = page.getByTestId('chart-timeline');
    await timeline.focus();
    await page.keyboard.press('End');
    await page.waitForFunction(() =>
      /of \d+\)/.test(document.querySelector('[data-testid="chart-timeline-current"]')?.textContent ?? ''),
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Date:'),
    );
    // The map is focusable and named too.
    const map = page.getByTestId('chart-map');
    assert.equal(await map.getAttribute('tabindex'), '0');
    assert.deepEqual(errors, []);
  },
);

test(
  'a text file dropped on a source is attached to it; dropped elsewhere, the analyst is told where to drop it',
  { timeout: 60_000 },
  async () => {
    const { page, errors } = await open();
    const text = Buffer.from('ISKP claimed the attack in its weekly newsletter.\n').toString('base64');
    // Dropped on the grid: not attached anywhere, and said so.
    await drop(page, '.ag-root', [{ name: 'newsletter.txt', b64: text, type: 'text/plain' }]);
    await page
      .getByTestId('toast')
      .filter({ hasText: /To attach newsletter\.txt, drop it on a source's attached files/ })
      .waitFor();
    await page.getByTestId('nav-sources').click();
    await page.getByTestId('source-row').first().click();
    const files = page.getByTestId('attachments').getByTestId('attachment');
    await page.getByTestId('attachments').waitFor();
    const before = await files.count();
    await drop(page, '[data-testid="attachments"]', [{ name: 'newsletter.txt', b64: text, type: 'text/plain' }]);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="attachments"] [data-testid="attachment"]').length === n + 1,
      before,
    );
    assert.ok((await files.allTextContents()).some((t) => t.includes('newsletter.txt')));
    await shot(page, '10-dropped-on-source');
    // No drop overlay is left behind after the drop.
    assert.equal(await page.getByTestId('drop-overlay').count(), 0);
    assert.deepEqual(errors, []);
  },
);

test('at 1024x700 the header names the file and its folder without pushing its buttons off', async () => {
  const { page, errors } = await open({ width: 1024, height: 700 });
  await page.getByTestId('case-file').waitFor();
  await page.locator('header.titlebar').screenshot({ path: join(ARTIFACTS, 'files-11-header-1024.png') });
  const bar = await page
    .locator('header.titlebar')
    .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(bar.scroll <= bar.client, `the header fits: ${JSON.stringify(bar)}`);
  const settings = await page.getByTestId('settings-open').boundingBox();
  assert.ok(settings && settings.x + settings.width <= 1024, `Settings is on screen: ${JSON.stringify(settings)}`);
  assert.deepEqual(errors, []);
});
