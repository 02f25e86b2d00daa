/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { grantCase } from '../../src/core/hub/grant';
import { initHub } from '../../src/core/hub/init';
import { syncCaseFile } from '../../src/core/hub/sync';
import { Session } from '../../src/core/session';
import { skipReason, startCluster, type Cluster } from '../unit/hub/pg-cluster';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * The team hub from the app: a colleague's laptop (a second session) pushes to a throwaway
 * PostgreSQL cluster; the analyst in Chromium clicks Sync and sees the pulled row in the grid.
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
  // Bob's password, where PostgreSQL's tools read it: the app's address carries none.
  const pgpass = join(app.dir, 'pgpass');
  writeFileSync(pgpass, `127.0.0.1:${cluster.port}:${db}:bob:bob-secret\n`, { mode: 0o600 });
  process.env.PGPASSFILE = pgpass;
});
after(async () => {
  await closeApp(app, browser);
  cluster?.stop();
});

async function cellText(page: Page, id: string, col: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([i, c, t]) => document.querySelector(`.ag-row[row-id="${i}"] .ag-cell[col-id="${c}"]`)?.textContent === t,
    [id, col, text] as const,
  );
}

test(
  'File > Sync with the team hub pulls a colleague’s row into the grid; a conflict leads to the merge review',
  { skip: noPostgres ?? false, timeout: 240_000 },
  async () => {
    // Alice's laptop: her own case file, pushed to the hub, the case granted to Bob.
    const alice = new Session(join(app.dir, 'config-alice'), 'browser');
    alice.settings.update({ author: 'Alice' });
    alice.create(join(app.dir, 'alice.casefile'), false);
    const aliceUrl = cluster.url(db, { name: 'alice', password: 'alice-secret' });
    const id = alice.caseFile.create('incidents', {
      date: '2024-05-01',
      date_precision: 'day',
      country: 'Mali',
      location: 'Gao',
      fatalities: 3,
      attribution: 'claimed',
    }).id as string;
    const first = await syncCaseFile(alice.caseFile, aliceUrl);
    await grantCase(aliceUrl, first.caseId, 'bob', 'edit');

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    const bobUrl = `postgres://bob@127.0.0.1:${cluster.port}/${db}`;
    // A password typed in the address is refused, saying where it belongs.
    await page.getByTestId('hub-url').fill(`postgres://bob:bob-secret@127.0.0.1:${cluster.port}/${db}`);
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('hub-error').waitFor();
    assert.match((await page.getByTestId('hub-error').textContent()) ?? '', /~\/\.pgpass.*PGPASSWORD/);
    assert.doesNotMatch((await page.getByTestId('hub-error').textContent()) ?? '', /bob-secret/);

    await page.getByTestId('hub-url').fill(bobUrl);
    await page.getByTestId('hub-case').fill(first.caseId);
    await page.screenshot({ path: join(ARTIFACTS, 'hub-sync-dialog.png') });
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /as bob: pulled 1 row, pushed 0 rows/,
    );
    await cellText(page, id, 'location', 'Gao');
    await page.screenshot({ path: join(ARTIFACTS, 'hub-sync-pulled.png') });

    // Alice changes the row and pushes; Bob's next Sync (the address remembered) shows it.
    alice.caseFile.update('incidents', id, { location: 'Gao (market)' });
    await syncCaseFile(alice.caseFile, aliceUrl);
    await page.getByTestId('exchange-notice').click();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    // The remembered address arrives with the dialog's query (hub.get), a moment after it opens.
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="hub-url"]') as HTMLInputElement | null)?.value !== '',
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await page.getByTestId('hub-url').inputValue(), bobUrl);
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('exchange-notice').textContent()) ?? '', /pulled 1 row/);
    await cellText(page, id, 'location', 'Gao (market)');

    // Bob's own change is pushed under his role, not the name typed in the app, and the notice says so.
    app.session.caseFile.update('incidents', id, { injuries: 2 });
    await page.getByTestId('exchange-notice').click();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /pushed 1 row\. Your changes \(1 history entry\) are recorded under bob, the role the hub signed you in as/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'hub-sync-recorded.png') });

    // Both change the same field: the sync stops and offers the merge review on the hub case.
    alice.caseFile.update('incidents', id, { fatalities: 5 });
    await syncCaseFile(alice.caseFile, aliceUrl);
    app.session.caseFile.update('incidents', id, { fatalities: 7 });
    await page.getByTestId('exchange-notice').click();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    await page.getByTestId('hub-sync').click();
    await page.getByTestId('hub-conflicts').waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('hub-conflicts').textContent()) ?? '',
      /1 row changed differently here and on the hub: nothing was merged or pushed.*File > Merge/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'hub-sync-conflicts.png') });
    await cellText(page, id, 'fatalities', '7');
    await page.getByTestId('hub-review').click();
    assert.match(await page.getByTestId('merge-dialog-path').inputValue(), /\(team hub .*\)\.casefile$/);
    await page.getByTestId('merge-dialog-ok').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('merge-summary').textContent()) ?? '', /1 row in conflict/);
    await page.screenshot({ path: join(ARTIFACTS, 'hub-sync-review.png') });

    alice.close();
    assert.deepEqual(errors, []);
  },
);
