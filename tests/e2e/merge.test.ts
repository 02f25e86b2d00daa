/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EMPTY_FILTER } from '../../src/shared/contract';
import { exportCaseFile } from '../../src/core/exchange/export';
import { page as firstPage } from '../../src/core/grid/keyset';
import { Session } from '../../src/core/session';
import { addAttachment } from '../../src/core/sources/attachments';
import { mergeSources } from '../../src/core/sources/library';
import { ARTIFACTS, closeApp, openApp, openPage, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

const cell = (page: Page, row: number, col: string) =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${col}"]`);
/** A cell of the row with this id (the grid keys rows by id), once it shows `text`. */
async function cellText(page: Page, id: string, col: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([i, c, t]) => document.querySelector(`.ag-row[row-id="${i}"] .ag-cell[col-id="${c}"]`)?.textContent === t,
    [id, col, text] as const,
  );
}

test(
  'merge a colleague’s changed copy: review, resolve a conflict, see the result in the grid',
  { timeout: 240_000 },
  async () => {
    // The incident in the grid's first row: both sides edit it.
    const [first, second] = firstPage(app.session.caseFile.db, 'incidents', {
      sort: [],
      filter: EMPTY_FILTER,
      after: null,
      limit: 2,
    }).rows;
    const id = first!.id as string;
    const kept = second!.id as string;

    // A colleague's copy, made and edited through the core as "Colleague".
    const theirs = join(app.dir, 'colleague.casefile');
    await exportCaseFile(app.file, theirs, { checked: true });
    const colleague = new Session(join(app.dir, 'config-colleague'), 'browser');
    colleague.settings.update({ author: 'Colleague' });
    colleague.open(theirs);
    colleague.caseFile.update('incidents', id, { location: 'Colleague’s location', fatalities: 41 });
    colleague.caseFile.delete('incidents', [kept]);
    colleague.caseFile.create('plots', {
      country: 'Austria',
      stage: 'arrested',
      date: '2024-06',
      target_city: 'Graz',
      target_description: 'Pride parade',
    });
    colleague.close();
    // The same field, changed differently in the open file: a conflict.
    app.session.caseFile.update('incidents', id, { location: 'My location' });
    // A row they deleted that I edited: a conflict too, never a silent deletion.
    app.session.caseFile.update('incidents', kept, { injuries: 6 });

    const { page, errors } = await openPage(browser, app);
    await cellText(page, id, 'location', 'My location');

    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-merge').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'merge-file-menu.png') });
    await page.getByTestId('file-merge').click();
    await page.getByTestId('merge-dialog-path').fill(theirs);
    await page.getByTestId('merge-dialog-ok').click();

    const review = page.getByTestId('merge-review');
    await review.waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('merge-summary').textContent()) ?? '',
      /2 rows in conflict.*0 changed.*1 added/,
    );
    const card = page.getByTestId(`conflict-${id}`);
    assert.match((await card.textContent()) ?? '', /My location.*Colleague’s location/);
    assert.match((await card.textContent()) ?? '', /Colleague/);
    // Nothing can be applied while the conflict is open.
    assert.equal(await page.getByTestId('merge-apply').isDisabled(), true);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-review.png') });

    await card.getByTestId('pick-location-theirs').check();
    assert.equal(await page.getByTestId('merge-apply').isDisabled(), true);
    const rowCard = page.getByTestId(`conflict-${kept}`);
    assert.match((await rowCard.textContent()) ?? '', /Colleague deleted this incident; you changed it after/);
    await rowCard.getByTestId('row-mine').check();
    assert.equal(await page.getByTestId('merge-apply').isDisabled(), false);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-review-resolved.png') });
    await page.getByTestId('merge-apply').click();
    await page.getByTestId('exchange-notice').waitFor();
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /Merged colleague.casefile: incidents: 1 changed; plots: 1 added; 2 rows in conflict decided\. Undo reverses the whole merge\./,
    );

    // The grid follows the change event: their location (chosen) and their fatalities (only they changed it).
    await cellText(page, id, 'location', 'Colleague’s location');
    await cellText(page, id, 'fatalities', '41');
    await page.locator(`.ag-row[row-id="${kept}"]`).waitFor();
    assert.equal(app.session.caseFile.get('incidents', kept)!.injuries, 6);
    await page.waitForFunction(() => document.querySelector('[data-testid="grid-count"]')?.textContent === '10 rows');
    await page.screenshot({ path: join(ARTIFACTS, 'merge-grid.png') });
    assert.equal(app.session.caseFile.get('incidents', id)!.location, 'Colleague’s location');
    assert.equal(
      (
        app.session.caseFile.db.prepare("SELECT count(*) n FROM plots WHERE target_city = 'Graz'").get() as {
          n: number;
        }
      ).n,
      1,
    );
    // Undo is this tab's own (the test's direct edits above are another window's): its button names the merge.
    await buttonTitle(page, 'undo', 'Undo Merge colleague.casefile (Ctrl+Z)');

    await page.getByTestId('nav-plots').click();
    await page.getByText('Graz').first().waitFor();

    // The export dialog, looked at once: whole file or the grid's filtered rows.
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-export').click();
    await page.getByTestId('export-dialog').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'merge-export-dialog.png') });
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
  },
);

test(
  'a received file with a trigger is refused with what was found, and can be imported by copying',
  { timeout: 240_000 },
  async () => {
    const hostile = join(app.dir, 'from-someone.casefile');
    await exportCaseFile(app.file, hostile, { checked: true });
    const db = new Database(hostile);
    db.exec('CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM incidents; END;');
    db.close();
    const before = app.session.caseFile.path;

    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(app.server.url);
    await cell(page, 0, 'location').waitFor();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-open').click();
    await page.getByTestId('open-dialog-path').fill(hostile);
    await page.getByTestId('open-dialog-ok').click();
    await page.getByTestId('open-refused').waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('open-refused').textContent()) ?? '',
      /contains a trigger "wipe" that Casefile did not create/,
    );
    assert.equal(app.session.caseFile.path, before);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-open-refused.png') });

    await page.getByTestId('import-dialog-ok').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /Imported into .*\(imported\)\.casefile: 6 sources, 10 incidents/,
    );
    assert.match(app.session.caseFile.path, /from-someone \(imported\)\.casefile$/);
    assert.deepEqual(
      app.session.caseFile.db.prepare("SELECT count(*) n FROM sqlite_master WHERE type = 'trigger'").get(),
      { n: 0 },
    );
    await page.getByTestId('case-title').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'merge-imported.png') });
  },
);

test(
  'a colleague who merged two sources: the moved file is reviewed by the sources’ keys and titles',
  { timeout: 240_000 },
  async () => {
    const cf = app.session.caseFile;
    const keep = cf.db.prepare('SELECT id, key, title FROM sources ORDER BY rowid LIMIT 1').get() as {
      id: string;
      key: string;
      title: string;
    };
    const dup = cf.create('sources', { key: 'dup-e2e', title: 'The same report, entered twice', type: 'research' });
    const { attachment } = await addAttachment(cf, {
      sourceId: dup.id as string,
      name: 'report.txt',
      mediaType: 'text/plain',
      data: Buffer.from('the report'),
    });
    const theirs = join(app.dir, 'colleague-merged.casefile');
    await exportCaseFile(cf.path, theirs, { checked: true });
    const colleague = new Session(join(app.dir, 'config-colleague-2'), 'browser');
    colleague.settings.update({ author: 'Colleague' });
    colleague.open(theirs);
    mergeSources(colleague.caseFile, keep.id, [dup.id as string]);
    colleague.close();

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-merge').click();
    await page.getByTestId('merge-dialog-path').fill(theirs);
    await page.getByTestId('merge-dialog-ok').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 120_000 });
    const moved = page.getByTestId(`item-${attachment.id}`);
    await moved.waitFor();
    const text = (await moved.textContent()) ?? '';
    assert.match(text, /report\.txt .*moved to source /);
    assert.ok(text.includes(`dup-e2e: The same report, entered twice → ${keep.key}: ${keep.title}`), text);
    assert.ok(!text.includes(dup.id as string), 'no source id is shown');
    await page.screenshot({ path: join(ARTIFACTS, 'merge-moved-file.png') });
    await page.getByTestId('merge-cancel').click();
    assert.deepEqual(errors, []);
  },
);

test(
  'a colleague’s whole import merges with progress; Stop leaves the case file as it was',
  { timeout: 300_000 },
  async () => {
    const ROWS = 40_000;
    const theirs = join(app.dir, 'colleague-import.casefile');
    await exportCaseFile(app.file, theirs, { checked: true });
    const colleague = new Session(join(app.dir, 'config-colleague-import'), 'browser');
    colleague.settings.update({ author: 'Colleague' });
    colleague.open(theirs);
    colleague.caseFile.action('Import', (tx) => {
      for (let i = 0; i < ROWS; i++) {
        tx.insert('incidents', {
          attribution: 'unknown',
          date: '2024-03-01',
          date_precision: 'day',
          country: 'Afghanistan',
          admin1: 'Nangarhar',
          actor1: 'IS-K',
          description: `their incident ${i}`,
        });
      }
    });
    colleague.close();
    const db = app.session.caseFile.db;
    const count = () => db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    const before = count();
    const logBefore = db.prepare('SELECT count(*) FROM change_log').pluck().get();

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-merge').click();
    await page.getByTestId('merge-dialog-path').fill(theirs);
    await page.getByTestId('merge-dialog-ok').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('merge-summary').textContent()) ?? '',
      new RegExp(`${ROWS.toLocaleString('en-US')} added`),
    );

    // Stopped as soon as its progress shows: nothing was written.
    await page.getByTestId('merge-apply').click();
    const progressText = () => document.querySelector('[data-testid="exchange-progress"] span')?.textContent ?? '';
    // Polled by time: a frame-driven poll saw the line late.
    await page.waitForFunction(
      () =>
        /^Merging: [\d,]+ of [\d,]+ steps$/.test(
          document.querySelector('[data-testid="exchange-progress"] span')?.textContent ?? '',
        ),
      null,
      { polling: 50 },
    );
    await page.getByTestId('merge-stop').click();
    await page.getByTestId('merge-error').waitFor();
    assert.equal(
      await page.getByTestId('merge-error').textContent(),
      'Merge stopped: your case file is as it was. Merge again when you are ready.',
    );
    assert.equal(count(), before);
    assert.equal(db.prepare('SELECT count(*) FROM change_log').pluck().get(), logBefore);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-long-stopped.png') });

    // Merged to the end from the same review. The core works between turns of its event loop: its
    // progress reaches the window, and moves, while it merges.
    await page.getByTestId('merge-apply').click();
    await page.waitForFunction(
      () =>
        /^Merging: [\d,]+ of [\d,]+ steps$/.test(
          document.querySelector('[data-testid="exchange-progress"] span')?.textContent ?? '',
        ),
      null,
      { polling: 50 },
    );
    const first = await page.evaluate(progressText);
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid="exchange-progress"] span')?.textContent !== t,
      first,
      { polling: 50 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'merge-long-progress.png') });
    await page.getByTestId('exchange-notice').waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      new RegExp(`Merged colleague-import.casefile: incidents: ${ROWS.toLocaleString('en-US')} added`),
    );
    assert.equal(count(), before + ROWS);
    await page.getByTestId('nav-incidents').click();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="grid-count"]')?.textContent === `${n.toLocaleString('en-US')} rows`,
      before + ROWS,
    );

    // Undo takes the whole merge back. A step this large is replayed between turns of the core's
    // event loop, its progress beside Undo in the title bar.
    await page.getByTestId('undo').click();
    await page.getByTestId('undo-progress').waitFor();
    assert.match((await page.getByTestId('undo-progress').textContent()) ?? '', /^Undoing: [\d,]+ of [\d,]+ changes$/);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-long-undo.png') });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="grid-count"]')?.textContent === `${n.toLocaleString('en-US')} rows`,
      before,
      { timeout: 120_000 },
    );
    await page.getByTestId('undo-progress').waitFor({ state: 'detached' });
    assert.equal(count(), before);
    await buttonTitle(page, 'redo', 'Redo Merge colleague-import.casefile (Ctrl+Shift+Z)');
    assert.deepEqual(errors, []);
    await page.context().close();
  },
);

test(
  'another analyst’s file started from the same demo: counted per table, and a key that names another source is a conflict to decide',
  { timeout: 240_000 },
  async () => {
    // Their own demo (other ids, the same source keys), with one source retitled: same key, another work.
    const theirs = join(app.dir, 'other-demo.casefile');
    const other = new Session(join(app.dir, 'config-other-demo'), 'browser');
    other.settings.update({ author: 'Colleague' });
    other.create(theirs, true);
    const clash = other.caseFile.db.prepare("SELECT id, key FROM sources WHERE key = 'centcom2022'").get() as {
      id: string;
      key: string;
    };
    other.caseFile.update('sources', clash.id, { title: 'Posture statement to Congress (March 2023)' });
    const cites = other.caseFile.db
      .prepare('SELECT count(*) FROM citations WHERE source_id = ?')
      .pluck()
      .get(clash.id) as number;
    other.close();
    const db = app.session.caseFile.db;
    const sourcesBefore = db.prepare('SELECT count(*) FROM sources').pluck().get() as number;

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-merge').click();
    await page.getByTestId('merge-dialog-path').fill(theirs);
    await page.getByTestId('merge-dialog-ok').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 120_000 });

    assert.match((await page.getByTestId('merge-summary').textContent()) ?? '', /^1 row in conflict/);
    assert.equal(await page.getByTestId('merge-table-incidents').textContent(), 'Incidents: 10 added');
    // Their other sources are yours (same key, same title): none is added.
    assert.equal(await page.getByTestId('merge-table-sources').textContent(), 'Sources: 1 in conflict');
    const card = page.getByTestId(`conflict-${clash.id}`);
    assert.match(
      (await card.textContent()) ?? '',
      /another source under the key “centcom2022”: “Posture statement to Congress \(March 2022\)”/,
    );
    assert.equal(await page.getByTestId('merge-apply').isDisabled(), true);
    assert.equal(await page.getByTestId('merge-open-conflicts').textContent(), '0 of 1 rows in conflict decided');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'merge-same-key.png') });

    await card.getByTestId('row-theirs').check();
    assert.equal(await page.getByTestId('merge-open-conflicts').textContent(), '1 of 1 rows in conflict decided');
    await page.getByTestId('merge-apply').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 120_000 });
    const notice = (await page.getByTestId('exchange-notice').textContent()) ?? '';
    assert.match(notice, /sources: 1 added; incidents: 10 added; plots: 15 added/);
    assert.match(notice, /added under the key “centcom2022-2” \(“centcom2022” is another source in your file\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'merge-same-key-done.png') });
    assert.equal(db.prepare('SELECT count(*) FROM sources').pluck().get(), sourcesBefore + 1);
    assert.equal(
      db
        .prepare("SELECT count(*) FROM citations c JOIN sources s ON s.id = c.source_id WHERE s.key = 'centcom2022-2'")
        .pluck()
        .get(),
      cites,
    );
    assert.equal(
      db
        .prepare('SELECT count(*) FROM citations c WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id)')
        .pluck()
        .get(),
      0,
    );
    assert.deepEqual(errors, []);
    await page.context().close();
  },
);

test(
  'an upstream revision time that differs beside a conflicting value follows the choice for its row',
  { timeout: 240_000 },
  async () => {
    const cf = app.session.caseFile;
    const [first] = firstPage(cf.db, 'incidents', { sort: [], filter: EMPTY_FILTER, after: null, limit: 1 }).rows;
    const id = first!.id as string;
    const theirs = join(app.dir, 'colleague-revision.casefile');
    await exportCaseFile(cf.path, theirs, { checked: true });
    const colleague = new Session(join(app.dir, 'config-colleague-revision'), 'browser');
    colleague.settings.update({ author: 'Colleague' });
    colleague.open(theirs);
    colleague.caseFile.update('incidents', id, { fatalities: 30 });
    // Each side's importer took another upstream revision of the row (the column importers keep).
    colleague.caseFile.db.prepare('UPDATE incidents SET source_timestamp = 1700000300 WHERE id = ?').run(id);
    colleague.close();
    cf.update('incidents', id, { fatalities: 20 });
    cf.db.prepare('UPDATE incidents SET source_timestamp = 1700000200 WHERE id = ?').run(id);

    const { page, errors } = await openPage(browser, app);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('file-menu').click();
    await page.getByTestId('file-merge').click();
    await page.getByTestId('merge-dialog-path').fill(theirs);
    await page.getByTestId('merge-dialog-ok').click();
    await page.getByTestId('merge-review').waitFor({ timeout: 120_000 });
    assert.match((await page.getByTestId('merge-summary').textContent()) ?? '', /^1 row in conflict/);
    const card = page.getByTestId(`conflict-${id}`);
    const follows = card.getByTestId('follows-source_timestamp');
    assert.match((await follows.textContent()) ?? '', /1700000200 \(yours: follows the choice for this row\)/);
    await card.getByTestId('pick-fatalities-theirs').check();
    assert.match((await follows.textContent()) ?? '', /1700000300 \(theirs: follows the choice for this row\)/);
    assert.equal(await page.getByTestId('merge-open-conflicts').textContent(), '1 of 1 rows in conflict decided');
    await page.screenshot({ path: join(ARTIFACTS, 'merge-follows.png') });
    await page.getByTestId('merge-apply').click();
    await page.getByTestId('exchange-notice').waitFor({ timeout: 120_000 });
    assert.match(
      (await page.getByTestId('exchange-notice').textContent()) ?? '',
      /incidents: 1 changed; 1 row in conflict decided/,
    );
    assert.deepEqual(cf.db.prepare('SELECT fatalities, source_timestamp FROM incidents WHERE id = ?').get(id), {
      fatalities: 30,
      source_timestamp: 1700000300,
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  },
);

/** Waits until the title bar's Undo or Redo button says what it would take back (this tab's own steps). */
async function buttonTitle(page: Page, id: 'undo' | 'redo', title: string): Promise<void> {
  await page.waitForFunction(
    ([i, t]) => document.querySelector(`[data-testid="${i}"]`)?.getAttribute('title') === t,
    [id, title] as const,
    { timeout: 30_000 },
  );
}
