/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { grantCase } from '../../src/core/hub/grant';
import { initHub } from '../../src/core/hub/init';
import { syncCaseFile } from '../../src/core/hub/sync';
import { Session } from '../../src/core/session';
import { addAttachment } from '../../src/core/sources/attachments';
import { skipReason, startCluster, type Cluster } from '../unit/hub/pg-cluster';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * Attached files through the team hub, from the app: a colleague's laptop pushes a source with a
 * file; the analyst syncs in Chromium, sees the file and its text, and Save copy fetches its bytes
 * from the hub. With the hub out of reach, the app says where the file is and how to get it.
 */
const noPostgres = skipReason();

let app: App;
let browser: Browser;
let cluster: Cluster;
let db: string;

before(async () => {
  if (noPostgres) return;
  cluster = await startCluster();
  db = await cluster.createDatabase();
  await initHub(cluster.url(db));
  const admin = await cluster.admin(db);
  try {
    for (const r of ['alice', 'bob']) {
      await cluster.createRole(r, `${r}-secret`);
      await admin.query(`GRANT casefile_analyst TO ${pg.escapeIdentifier(r)}`);
    }
  } finally {
    await admin.end();
  }
  ({ app, browser } = await openApp({ demo: false }));
  const pgpass = join(app.dir, 'pgpass');
  writeFileSync(pgpass, `127.0.0.1:${cluster.port}:${db}:bob:bob-secret\n`, { mode: 0o600 });
  process.env.PGPASSFILE = pgpass;
});
after(async () => {
  await closeApp(app, browser);
  cluster?.stop();
});

const REPORT = 'Kabul, 3 May: ISKP claimed the attack on the market. Twelve people were killed.';

test(
  'a file pulled from the team hub shows with its text; Save copy fetches its bytes; out of reach, the app says where it is',
  { skip: noPostgres ?? false, timeout: 240_000 },
  async () => {
    const alice = new Session(join(app.dir, 'config-alice'), 'browser');
    alice.settings.update({ author: 'Alice' });
    alice.create(join(app.dir, 'alice.casefile'), false);
    const aliceUrl = cluster.url(db, { name: 'alice', password: 'alice-secret' });
    const source = alice.caseFile.create('sources', { key: 'un2024', title: 'UN report', type: 'official_report' })
      .id as string;
    await addAttachment(alice.caseFile, {
      sourceId: source,
      name: 'un-report.txt',
      mediaType: 'text/plain',
      data: Buffer.from(REPORT),
    });
    const first = await syncCaseFile(alice.caseFile, aliceUrl);
    await grantCase(aliceUrl, first.caseId, 'bob', 'edit');

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    await page.getByTestId('hub-url').fill(`postgres://bob@127.0.0.1:${cluster.port}/${db}`);
    await page.getByTestId('hub-case').fill(first.caseId);
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    await page.getByTestId('exchange-notice').click();

    const bytesHere = () =>
      app.session.caseFile.db
        .prepare("SELECT data FROM attachments WHERE name = 'un-report.txt'")
        .pluck()
        .get() as Buffer | null;
    assert.equal(bytesHere(), null, 'the pull brought the row, not the bytes');

    await page.getByTestId('nav-sources').click();
    await page.getByTestId('source-row').filter({ hasText: 'un2024' }).click();
    const file = page.getByTestId('attachments').getByTestId('attachment').filter({ hasText: 'un-report.txt' });
    await file.waitFor();
    assert.match((await file.textContent()) ?? '', /characters of text/);
    await page.screenshot({ path: join(ARTIFACTS, 'hub-attachment-pulled.png') });

    const download = page.waitForEvent('download');
    await file.getByRole('button', { name: 'Save copy' }).click();
    await download;
    assert.equal(bytesHere()?.toString(), REPORT, 'opened once, the bytes are kept in the case file');

    // A second file, pulled; then the hub is out of reach when it is opened.
    await addAttachment(alice.caseFile, {
      sourceId: source,
      name: 'annex.txt',
      mediaType: 'text/plain',
      data: Buffer.from('Annex: the list of the dead.'),
    });
    await syncCaseFile(alice.caseFile, aliceUrl);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    await page.getByTestId('exchange-notice').click();
    app.session.settings.update({ hubUrl: 'postgres://bob@127.0.0.1:9/unreachable' });
    const annex = page.getByTestId('attachments').getByTestId('attachment').filter({ hasText: 'annex.txt' });
    await annex.waitFor();
    await annex.getByRole('button', { name: 'Save copy' }).click();
    await page.getByTestId('toast').waitFor();
    assert.match(
      (await page.getByTestId('toast').textContent()) ?? '',
      /“annex.txt” is held on the team hub, not in this case file yet, and could not be fetched: the hub .* cannot be reached/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'hub-attachment-offline.png') });
    await page.getByTestId('toast').click();

    // Exported while the hub is out of reach: the export says what is not in the file.
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-export').click();
    await page.getByTestId('export-dialog').waitFor();
    const toPath = page.getByTestId('export-dialog-to-path');
    if (await toPath.count()) await toPath.check();
    await page.getByTestId('export-dialog-path').fill(join(app.dir, 'for-a-colleague.casefile'));
    await page.getByTestId('export-dialog-ok').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /Not in it: the bytes of 1 attached file held on the team hub/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'hub-attachment-export.png') });

    alice.close();
    assert.deepEqual(errors, []);
  },
);
