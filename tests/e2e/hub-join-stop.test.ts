/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import type { Db } from '../../src/core/db/open';
import { uuidv7 } from '../../src/core/ids';
import { initHub } from '../../src/core/hub/init';
import { generateCase } from '../unit/hub/generated-case';
import { skipReason, startCluster, type Cluster } from '../unit/hub/pg-cluster';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

/**
 * A new laptop joining a large hub case from the app: the sync dialog shows the load's progress
 * and its Stop ends the load, leaving the empty case file as it was.
 */
const noPostgres = skipReason();
/** Enough incidents that the load is still running when Stop is clicked. */
const ROWS = 150_000;

/** Everything in the case file, change log and meta included: "as it was" is checked against it. */
function everything(db: Db): unknown {
  const out: Record<string, unknown> = {};
  for (const t of ['incidents', 'sources', 'citations', 'notes', 'aliases', 'attachments', 'change_log', 'meta'])
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  return out;
}

let app: App;
let browser: Browser;
let cluster: Cluster;
let db: string;
const caseId = uuidv7();

before(async () => {
  if (noPostgres) return;
  cluster = await startCluster();
  db = await cluster.createDatabase();
  await initHub(cluster.url(db));
  const admin = await cluster.admin(db);
  try {
    await cluster.createRole('bob', 'bob-secret');
    await admin.query(`GRANT casefile_analyst TO ${pg.escapeIdentifier('bob')}`);
    await generateCase(admin, { caseId, rows: ROWS, member: 'bob' });
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

test(
  'Stop in the sync dialog ends a new laptop’s join of a large case, leaving the case file as it was',
  { skip: noPostgres ?? false, timeout: 240_000 },
  async () => {
    const before = everything(app.session.caseFile.db);
    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-hub').click();
    await page.getByTestId('hub-url').fill(`postgres://bob@127.0.0.1:${cluster.port}/${db}`);
    await page.getByTestId('hub-case').fill(caseId);
    await page.getByTestId('hub-sync').click();
    // The load's progress shows while it writes rows; the window answers meanwhile.
    await page.getByText(/Joining the hub case: [\d,]+ rows/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'hub-join-progress.png') });
    await page.getByTestId('hub-stop').click();
    await page.getByTestId('hub-error').waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('hub-error').textContent()) ?? '',
      /Stopped: nothing was taken from the hub, and the case file is as it was/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'hub-join-stopped.png') });
    assert.deepEqual(everything(app.session.caseFile.db), before);
    // The dialog is ready for another try.
    assert.equal(await page.getByTestId('hub-sync').isEnabled(), true);
    assert.equal(await page.getByTestId('hub-stop').count(), 0);
    assert.deepEqual(errors, []);
  },
);
