/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeAcledCsv } from '../unit/import-db/acled-gen';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

const ROWS = 40_000;
let app: App;
let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  ({ app, browser } = await openApp());
  // A laptop's window: the preview is taller than it, so what is below the preview must be brought into view.
  ({ page, errors } = await openPage(browser, app, { width: 1280, height: 720 }));
  await page.getByTestId('app-shell').waitFor();
});
after(() => closeApp(app, browser));

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `import-${name}.png`) });

async function previewPath(path: string) {
  await page.getByTestId('nav-import').click();
  await page.getByTestId('import-path').fill(path);
  await page.getByTestId('import-preview').click();
}

test('an ACLED export of 40,000 rows: preview, progress, report, then the grid', { timeout: 300_000 }, async () => {
  const data = join(app.dir, 'acled-afghanistan.csv');
  writeAcledCsv(data, { rows: ROWS });

  await previewPath(data);
  await page.getByTestId('import-preview-panel').waitFor();
  assert.match((await page.getByTestId('import-format').textContent()) ?? '', /ACLED export \(current layout\)/);
  assert.equal(await page.locator('[data-testid="import-preview-table"] tbody tr').count(), 20);
  await shot('1-preview');

  await page.getByTestId('import-run').click();
  const progress = page.getByTestId('import-progress');
  await progress.waitFor({ timeout: 60_000 });
  // The core's own line: rows, percent, rows per second, once some rows are in.
  await page.waitForFunction(
    () =>
      /^[1-9][\d,]* rows, \d+%, [\d,]+ rows\/s/.test(
        document.querySelector('[data-testid="import-progress-text"]')?.textContent ?? '',
      ),
    null,
    {
      timeout: 120_000,
    },
  );
  // Started from the foot of the preview, the bar and its Cancel are scrolled into the window.
  const box = await progress.boundingBox();
  // (Scrolling lands on whole pixels: a fraction of a pixel past the edge is in view.)
  assert.ok(
    box && box.y >= 0 && box.y + box.height <= page.viewportSize()!.height + 1,
    `the progress bar is in view (${JSON.stringify(box)})`,
  );
  await shot('2-progress');

  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: 240_000 });
  assert.equal(await progress.count(), 0);
  assert.match((await page.getByTestId('import-imported').textContent()) ?? '', /^40,000\s*imported$/);
  assert.match((await page.getByTestId('import-skipped').textContent()) ?? '', /^0\s*skipped$/);
  await shot('3-report');

  // The shell's counts and the grid follow the change event: the demo's 10 rows plus the import.
  await page.getByTestId('nav-incidents').click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="grid-count"]')?.textContent === `${n.toLocaleString('en-US')} rows`,
    ROWS + 10,
    { timeout: 60_000 },
  );
  await page.locator('.ag-row[row-index="0"]').first().waitFor();
  await shot('4-grid');
  const n = (
    app.session.caseFile.db.prepare("SELECT count(*) n FROM incidents WHERE origin = 'ACLED'").get() as { n: number }
  ).n;
  assert.equal(n, ROWS);

  // Importing the same file again: every row is unchanged.
  await previewPath(data);
  await page.getByTestId('import-run').click();
  await report.waitFor({ timeout: 240_000 });
  assert.match((await page.getByTestId('import-unchanged').textContent()) ?? '', /^40,000\s*unchanged$/);

  // An analyst's correction, then ACLED revises the same events: the correction stays and is listed.
  const cf = app.session.caseFile;
  const gen1 = cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'GEN1'").get() as { id: string };
  cf.update('incidents', gen1.id, { fatalities: 99 });
  const revised = join(app.dir, 'acled-revised.csv');
  writeAcledCsv(revised, { rows: 3, timestamp: 1_800_000_000, fatalitiesPlus: 5 });
  await previewPath(revised);
  await page.getByTestId('import-run').click();
  await report.waitFor({ timeout: 120_000 });
  assert.match((await page.getByTestId('import-updated').textContent()) ?? '', /^3\s*updated$/);
  assert.match((await page.getByTestId('import-conflict-count').textContent()) ?? '', /^1 field you edited was kept/);
  // Listed until the analyst chooses: event, field, the file's value, theirs, the import, its line.
  const row = page.getByTestId('conflict-row');
  const cells = async () => (await row.locator('td').allTextContents()).slice(1, 7);
  assert.deepEqual(
    (await cells()).map((t, i) => (i === 4 ? t.replace(/\s.*$/, '') : t)),
    ['GEN1', 'Fatalities', '6', '99', 'acled-revised.csv', '2'],
  );
  assert.equal(cf.get('incidents', gen1.id)!.fatalities, 99);
  // The Import tab says so from anywhere in the app.
  await page.getByTestId('import-conflict-badge').waitFor();
  assert.equal(await page.getByTestId('import-conflict-badge').textContent(), '1 to choose');
  await shot('8-conflicts');

  // The file's value: an edit, so Undo brings the analyst's back, and the conflict with it.
  await row.getByTestId('conflict-take').click();
  await page.getByTestId('import-conflicts-panel').waitFor({ state: 'detached' });
  assert.equal(cf.get('incidents', gen1.id)!.fatalities, 6);
  await page.getByTestId('undo').click();
  await row.waitFor();
  assert.equal(cf.get('incidents', gen1.id)!.fatalities, 99);
  // Keeping one's own: the list empties, the value stays.
  await page.getByTestId('import-conflict-badge').waitFor();
  await row.getByTestId('conflict-keep').click();
  await row.waitFor({ state: 'detached' });
  await page.getByTestId('import-conflict-badge').waitFor({ state: 'detached' });
  assert.equal(cf.get('incidents', gen1.id)!.fatalities, 99);
  // That choice is no edit (Undo does not see it); it can be taken back right after.
  assert.equal(await page.getByTestId('conflicts-kept').textContent(), 'Kept your value for 1 field. List it again');
  await shot('9-conflicts-kept');
  // Every window offers it: taken back from a second one, the first lists the conflict again.
  const second = await openPage(browser, app);
  await second.page.getByTestId('nav-import').click();
  await second.page.getByTestId('conflicts-kept').waitFor();
  await second.page.getByTestId('conflicts-unkeep').click();
  await row.waitFor();
  await second.page.getByTestId('conflict-row').waitFor();
  assert.equal(await page.getByTestId('conflicts-kept').count(), 0, 'taken back: no longer offered');
  assert.deepEqual(second.errors, []);
  await second.page.context().close();
  await page.getByTestId('import-conflict-badge').waitFor();
  await row.getByTestId('conflict-keep').click();
  await page.getByTestId('import-conflict-badge').waitFor({ state: 'detached' });
  assert.equal(cf.get('incidents', gen1.id)!.fatalities, 99);
  assert.deepEqual(errors, []);
});

// Follows the test above: its three imports of the same events are in the case file.
test(
  "earlier imports are listed; removing one's rows can be stopped, then done, and undone",
  { timeout: 300_000 },
  async () => {
    const cf = app.session.caseFile;
    const count = () => (cf.db.prepare('SELECT count(*) n FROM incidents').get() as { n: number }).n;
    await page.getByTestId('nav-import').click();
    const rows = page.getByTestId('past-imports-row');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="past-imports-row"]').length === 3);
    // Newest first: the revision (3 updated), the same file again (nothing added), the first (40,000 added).
    const cellsOf = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).slice(1, 6);
    assert.deepEqual(await cellsOf(0), ['acled-revised.csv', 'ACLED', 'E2E Analyst', '0', '3']);
    assert.deepEqual(await cellsOf(2), ['acled-afghanistan.csv', 'ACLED', 'E2E Analyst', '40,000', '0']);
    assert.equal(
      await rows.nth(1).getByTestId('import-remove').isDisabled(),
      true,
      'an import that added nothing has nothing to remove',
    );

    // Asked first; then stopped part way: nothing is removed.
    const first = rows.nth(2);
    await first.getByTestId('import-remove').click();
    await first.getByTestId('import-remove-confirm').scrollIntoViewIfNeeded();
    await shot('10-remove-confirm');
    await first.getByTestId('import-remove-yes').click();
    await page.waitForFunction(
      () =>
        /^Removing the import's rows: [1-9][\d,]* of 40,000/.test(
          document.querySelector('[data-testid="import-remove-progress"]')?.textContent ?? '',
        ),
      null,
      { timeout: 60_000, polling: 50 },
    );
    await shot('11-removing');
    await first.getByTestId('import-remove-stop').click();
    await page.getByTestId('past-imports-said').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('past-imports-said').textContent(), 'Stopped: nothing was removed.');
    assert.equal(count(), ROWS + 10);

    // Done: the demo's ten rows are left, and one Undo brings the 40,000 back.
    await first.getByTestId('import-remove').click();
    await first.getByTestId('import-remove-yes').click();
    await page.waitForFunction(
      () =>
        /^Removed 40,000 incidents that acled-afghanistan\.csv added/.test(
          document.querySelector('[data-testid="past-imports-said"]')?.textContent ?? '',
        ),
      null,
      { timeout: 240_000 },
    );
    assert.equal(count(), 10);
    await shot('12-removed');
    await page.getByTestId('undo').click();
    await page.waitForFunction(
      () => !(document.querySelector('[data-testid="undo"]') as HTMLButtonElement).title.startsWith('Undo Remove'),
      null,
      { timeout: 240_000 },
    );
    assert.equal(count(), ROWS + 10);
    assert.equal(
      cf.get(
        'incidents',
        (cf.db.prepare("SELECT id FROM incidents WHERE external_id = 'GEN1'").get() as { id: string }).id,
      )!.fatalities,
      99,
    );

    // An import past what one Undo step holds (its record says 300,000 here) is offered for good, in the worker.
    const txn = cf.db
      .prepare("SELECT substr(key, 8) FROM meta WHERE key GLOB 'import:*' ORDER BY key LIMIT 1")
      .pluck()
      .get() as string;
    const record = JSON.parse(
      cf.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(`import:${txn}`) as string,
    ) as Record<string, unknown>;
    assert.equal(record.file, 'acled-afghanistan.csv');
    cf.setMeta(`import:${txn}`, JSON.stringify({ ...record, imported: 300_000 }));
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('nav-import').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="import-remove"]')[2]?.textContent === 'Remove its rows for good…',
    );
    await first.getByTestId('import-remove').click();
    assert.match((await first.getByTestId('import-remove-confirm').textContent()) ?? '', /This cannot be undone/);
    await first.getByTestId('import-remove-yes').click();
    await page.waitForFunction(
      () =>
        /^Removed 40,000 incidents that acled-afghanistan\.csv added, with their citations\.$/.test(
          document.querySelector('[data-testid="past-imports-said"]')?.textContent ?? '',
        ),
      null,
      { timeout: 240_000 },
    );
    assert.equal(count(), 10);
    await first.getByTestId('import-removed').waitFor();
    assert.match(
      (await first.getByTestId('import-removed').textContent()) ?? '',
      /^Its rows were removed for good on .+ by E2E Analyst\.$/,
    );
    await first.scrollIntoViewIfNeeded();
    await shot('13-removed-for-good');
    // The Undo history went with it, in this window too.
    await page.waitForFunction(() => (document.querySelector('[data-testid="undo"]') as HTMLButtonElement).disabled);
    await page.getByTestId('nav-incidents').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid-count"]')?.textContent === '10 rows');
    await shot('14-grid-after-removal');
    assert.deepEqual(errors, []);
  },
);

test(
  'a spreadsheet with its own columns goes through the mapping; a broken file is refused with its line',
  { timeout: 120_000 },
  async () => {
    const data = join(app.dir, 'شبكة-attacks.csv');
    writeFileSync(
      data,
      'Ref,When,Where,Killed,Perpetrator,Paper,Remarks\nR1,2021-08-26,Kabul,170,ISKP,BBC; Reuters,<b>not bold</b>\nR2,09/08/2021,Kabul,1,ISKP,BBC,\nR3,2021-09,کابل,,ISKP,,الهجوم على المطار\n',
    );
    await previewPath(data);
    await page.getByTestId('import-mapping').waitFor();
    assert.match((await page.getByTestId('import-format').textContent()) ?? '', /column/);
    // No column guessed for the rows' ids: said before the import, and gone once one is mapped.
    assert.equal(
      await page.getByTestId('import-no-id-warning').textContent(),
      'No column is mapped to external_id: the rows cannot be found again, so importing this file again will add its rows again.',
    );
    await shot('4b-no-id-warning');
    await page.getByTestId('map-Ref').selectOption('external_id');
    assert.equal(await page.getByTestId('import-no-id-warning').count(), 0);
    await page.getByTestId('map-When').selectOption('date');
    await page.getByTestId('map-Where').selectOption('location');
    await page.getByTestId('map-Killed').selectOption('fatalities');
    await page.getByTestId('map-Perpetrator').selectOption('actor1');
    await page.getByTestId('map-Paper').selectOption('sources');
    await page.getByTestId('map-Remarks').selectOption('description');
    // One date of the first rows reads both ways and none shows the order: the choice is left open, and said.
    assert.equal(await page.getByTestId('import-date-order').inputValue(), '');
    assert.equal(
      await page.getByTestId('import-dates-note').textContent(),
      '1 of the first 3 rows has a date that reads both ways: a later date of the file may settle it, else such rows are skipped. Choose to be sure.',
    );
    await shot('5-mapping');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('import-imported').textContent()) ?? '', /^2\s*imported$/);
    const skipped = await page.locator('[data-testid="import-errors"] tbody tr').allTextContents();
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!, /^3.*ambiguous date "09\/08\/2021".*no date in the file settles the order/);
    assert.equal(
      await page.getByTestId('import-dates-report').textContent(),
      '1 row skipped: their dates read both ways and no date in the file settles it. Choose the order of dates and import again.',
    );
    // Text from the file is text: the markup shows as written.
    const row = app.session.caseFile.db.prepare("SELECT description FROM incidents WHERE external_id = 'R1'").get() as {
      description: string;
    };
    assert.equal(row.description, '<b>not bold</b>');
    await shot('6-mapped-report');

    // Day first, chosen on the mapping remembered for this header: the skipped row comes in as 9 August.
    await previewPath(data);
    await page.getByTestId('import-mapping').waitFor();
    assert.equal(await page.getByTestId('map-When').inputValue(), 'date');
    await page.getByTestId('import-date-order').selectOption('dmy');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('import-imported').textContent()) ?? '', /^1\s*imported$/);
    assert.match((await page.getByTestId('import-unchanged').textContent()) ?? '', /^2\s*unchanged$/);
    assert.equal(
      app.session.caseFile.db.prepare("SELECT date FROM incidents WHERE external_id = 'R2'").pluck().get(),
      '2021-08-09',
    );
    await previewPath(data);
    await page.getByTestId('import-mapping').waitFor();
    assert.equal(await page.getByTestId('import-date-order').inputValue(), 'dmy');
    assert.equal(
      await page.getByTestId('import-dates-note').textContent(),
      'As confirmed for files with this header before.',
    );
    await shot('6b-dates-remembered');

    const broken = join(app.dir, 'broken.csv');
    writeFileSync(broken, 'id,date,notes\nX1,2021-01-01,fine\nX2,2021-01-02,"never closed\nX3,2021-01-03,x\n');
    const before = app.session.caseFile.info().counts;
    await previewPath(broken);
    await page.getByTestId('import-problem').waitFor();
    assert.equal(
      await page.getByTestId('import-problem').textContent(),
      'broken.csv: line 3: a quoted field starts here and is never closed',
    );
    await shot('7-refused');
    assert.deepEqual(app.session.caseFile.info().counts, before);
    assert.deepEqual(errors, []);
  },
);
