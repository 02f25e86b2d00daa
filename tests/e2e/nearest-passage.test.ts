/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { addAttachment, listAttachments, removeAttachment } from '../../src/core/sources/attachments';
import { createCitation } from '../../src/core/sources/citations';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

const QUOTE = 'ИГИЛ-Хорасан усилил вербовку среди трудовых мигрантов из Центральной Азии';
const V1 = `Обзор безопасности. По данным источников в Душанбе, ${QUOTE} в России. Эксперты ожидают новых попыток атак.`;
/** The same report from a scan: a typo and a word dropped. */
const V2 = V1.replace('вербовку', 'вербовкy').replace(' трудовых', '');

test('a flagged citation is offered its nearest passage with its similarity; Accept re-anchors it, Undo brings the flag back', async () => {
  const cf = app.session.caseFile;
  const source = (cf.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string }).id;
  const incident = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
  for (const a of listAttachments(cf.db, source)) removeAttachment(cf, a.id);
  await addAttachment(cf, { sourceId: source, name: 'report.txt', mediaType: 'text/plain', data: Buffer.from(V1) });
  createCitation(cf, { source_id: source, target_table: 'incidents', target_id: incident, quote: QUOTE });
  removeAttachment(cf, listAttachments(cf.db, source)[0]!.id);
  await addAttachment(cf, {
    sourceId: source,
    name: 'report-scan.txt',
    mediaType: 'text/plain',
    data: Buffer.from(V2),
  });

  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.server.url);
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId('nav-sources').click();
  await page.getByTestId('source-row').filter({ hasText: 'ime2024' }).click();

  const item = page.getByTestId('source-editor').getByTestId('citation-item').filter({ hasText: 'мигрантов' });
  await item.getByTestId('passage-not-found').waitFor();
  const proposal = item.getByTestId('nearest-passage');
  await proposal.waitFor();
  assert.match((await proposal.getByTestId('nearest-similarity').textContent()) ?? '', /^(8\d|9\d)% alike$/);
  assert.equal(
    await proposal.getByTestId('nearest-text').textContent(),
    'ИГИЛ-Хорасан усилил вербовкy среди мигрантов из Центральной Азии',
  );
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'nearest-passage.png') });

  // Keep the flag: the proposal goes, the flag and the quote stay.
  await proposal.getByTestId('keep-flag').click();
  await proposal.waitFor({ state: 'detached' });
  await item.getByTestId('passage-not-found').waitFor();

  // Shown again (another visit), then accepted: the citation quotes the passage and is anchored.
  await page.reload();
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId('nav-sources').click();
  await page.getByTestId('source-row').filter({ hasText: 'ime2024' }).click();
  await item.getByTestId('nearest-passage').getByTestId('accept-nearest').click();
  const anchored = page
    .getByTestId('source-editor')
    .getByTestId('citation-item')
    .filter({ hasText: 'вербовкy среди мигрантов' });
  await anchored.getByTestId('jump-to-passage').waitFor();
  assert.equal(await anchored.getByTestId('nearest-passage').count(), 0);

  // Undo: the old quote and its flag are back.
  await page.getByTestId('undo').click();
  await item.getByTestId('passage-not-found').waitFor();
  assert.match((await item.getByTestId('citation-quote').textContent()) ?? '', /вербовку среди трудовых/);
  assert.deepEqual(errors, []);
});
