/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createCitation } from '../../src/core/sources/citations';
import { saveSource } from '../../src/core/sources/library';
import { saveNote } from '../../src/core/sources/notes';
import { addComment } from '../../src/core/sources/review';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

let app: App;
let browser: Browser;

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

/** A page that records what must never happen: a native dialog, a navigation, a script error. */
async function open(area: string): Promise<{ page: Page; dialogs: string[]; navigations: string[]; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 900 } })).newPage();
  const dialogs: string[] = [];
  const navigations: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('popup', (p) => navigations.push(`popup ${p.url()}`));
  await page.goto(app.server.url);
  await page.getByTestId('app-shell').waitFor();
  // The shell keeps the area in the URL's fragment (#notes): leaving the page is anything else.
  const home = page.url().split('#')[0];
  page.on('framenavigated', (f) => f.url().split('#')[0] !== home && navigations.push(f.url()));
  await page.getByTestId(`nav-${area}`).click();
  return { page, dialogs, navigations, errors };
}

test('a note cites two demo sources, shows the bibliography; a citation is disputed with a comment and found in the review queue', async () => {
  const { page, dialogs, errors } = await open('notes');
  await page.getByTestId('new-note').click();
  await page.getByTestId('note-title').fill('ISKP at home and abroad');
  await page.locator('.cm-content').click();
  await page.keyboard.type('ISKP weakened inside Afghanistan [@ime');
  // The editor completes citation keys from the library.
  await page.locator('.cm-tooltip-autocomplete').getByText('ime2024', { exact: true }).waitFor();
  await page.keyboard.type('2024, p. 4] while CENTCOM said it grew [@centcom2022].');
  await page
    .getByTestId('note-save-state')
    .filter({ hasText: /^Saved$/ })
    .waitFor({ timeout: 20_000 });

  const bib = page.getByTestId('bibliography');
  await bib.locator('.csl-entry').nth(1).waitFor({ timeout: 20_000 });
  assert.deepEqual(await bib.locator('.csl-entry').allTextContents(), [
    'Institute of the Middle East (Moscow). 2024. “ИГ-Хорасан: ослабление в Афганистане и рост внешних операций.”',
    'U.S. Central Command. 2022. “Posture Statement to Congress (March 2022).”',
  ]);
  assert.deepEqual(await page.locator('[data-testid="note-rendered"] .citation').allTextContents(), [
    '(Institute of the Middle East (Moscow) 2024, 4)',
    '(U.S. Central Command 2022)',
  ]);
  await page.getByTestId('citation-list').getByTestId('citation-item').nth(1).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sources-note.png') });

  // APA on request.
  await page.getByTestId('citation-style').selectOption('apa');
  await page
    .locator('[data-testid="note-rendered"] .citation')
    .filter({ hasText: '(Institute of the Middle East (Moscow), 2024, p. 4)' })
    .waitFor({ timeout: 30_000 });

  // Review: the queue filtered to this note's centcom citation; dispute it with a comment.
  await page.getByTestId('nav-review').click();
  const centcom = (
    app.session.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'centcom2022'").get() as { id: string }
  ).id;
  await page.getByTestId('filter-source').selectOption(centcom);
  await page.getByTestId('filter-target').selectOption('notes');
  const row = page.getByTestId('queue-row').filter({ hasText: 'ISKP at home and abroad' });
  await row.click();
  await page.getByTestId('citation-review').getByText('ISKP at home and abroad').waitFor();
  await page.getByTestId('review-comment').fill('CENTCOM says "grew", not that it is stronger at home: reword.');
  await page.getByTestId('mark-disputed').click();
  await page.getByTestId('thread').getByText('reword.', { exact: false }).waitFor();

  // Keyboard: back to all citations, j moves, v verifies the one it lands on. The keys work with
  // the focus where a click on the Review tab leaves it, outside the queue.
  await page.getByTestId('filter-source').selectOption('');
  await page.getByTestId('filter-target').selectOption('');
  await page.getByTestId('nav-review').click();
  await page.keyboard.press('j');
  await page.keyboard.press('v');
  await page.locator('.queue-row.current [data-testid="status"]').filter({ hasText: 'verified' }).waitFor();

  await page.getByTestId('filter-status-disputed').click();
  await page
    .getByTestId('queue-count')
    .filter({ hasText: /^1 citation$/ })
    .waitFor();
  const only = page.getByTestId('queue-row');
  assert.equal(await only.count(), 1);
  assert.match((await only.textContent()) ?? '', /disputed.*ISKP at home and abroad.*centcom2022/);
  await page.getByTestId('comment').getByText('reword.', { exact: false }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sources-review-queue.png') });

  const stored = app.session.caseFile.db
    .prepare(
      "SELECT a.status, a.body, a.author FROM annotations a JOIN citations c ON c.id = a.citation_id JOIN notes n ON n.id = c.target_id WHERE n.title = 'ISKP at home and abroad'",
    )
    .all();
  assert.deepEqual(stored, [
    {
      status: 'disputed',
      body: 'CENTCOM says "grew", not that it is stronger at home: reword.',
      author: 'E2E Analyst',
    },
  ]);

  // The sourcing panel: every record of the demo cites its source.
  await page.getByTestId('tab-panel').click();
  await page
    .getByTestId('sourcing-verdict')
    .filter({ hasText: 'Every incident, plot and figure cites at least one source.' })
    .waitFor();
  assert.equal(await page.getByTestId('share-incidents-cited').locator('.num').textContent(), '10/10');
  await page.screenshot({ path: join(ARTIFACTS, 'sources-panel.png') });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
});

test('an attached text anchors a quoted passage, which the viewer highlights', async () => {
  const { page, errors } = await open('sources');
  await page.getByTestId('source-row').filter({ hasText: 'ime2024' }).click();
  await page.getByTestId('attach-input').setInputFiles({
    name: 'ime-2024.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      `${'Preface. '.repeat(400)}\n\nISKP has weakened inside Afghanistan under Taliban pressure, while its external operations grew.\n\n${'Annex. '.repeat(400)}`,
    ),
  });
  await page.getByTestId('attachment').filter({ hasText: 'ime-2024.txt' }).waitFor();

  const item = page.getByTestId('source-editor').getByTestId('citation-item').first();
  await item.getByRole('button', { name: 'Edit' }).click();
  await page.getByTestId('cite-quote').fill('weakened inside Afghanistan');
  await page.getByTestId('cite-save').click();
  await item.getByTestId('jump-to-passage').click();
  const mark = page.getByTestId('passage-mark');
  await mark.waitFor();
  assert.equal(await mark.textContent(), 'weakened inside Afghanistan');
  assert.ok(await mark.isVisible());
  const inView = await mark.evaluate((m) => {
    const r = m.getBoundingClientRect();
    const box = m.closest('.viewer-text')!.getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom;
  });
  assert.ok(inView, 'the passage is scrolled into view');
  await page.screenshot({ path: join(ARTIFACTS, 'sources-passage.png') });
  await page.getByRole('button', { name: 'Close' }).click();

  // The passage is flagged, not dropped, once the text no longer holds it.
  const id = (
    app.session.caseFile.db.prepare("SELECT id FROM attachments WHERE name = 'ime-2024.txt'").get() as { id: string }
  ).id;
  app.session.caseFile.db
    .prepare('UPDATE attachments SET text = ?, sha256 = ? WHERE id = ?')
    .run('A revised text without the passage.', 'changed', id);
  app.session.emit('data.changed', { tables: ['sources'] });
  await item.getByTestId('passage-not-found').waitFor();
  assert.match((await item.getByTestId('citation-quote').textContent()) ?? '', /weakened inside Afghanistan/);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-library.png') });
  assert.deepEqual(errors, []);
});

type Hostile = {
  cases: { name: string; markdown: string }[];
  generators: { name: string; bytes: number; unit: string }[];
};

test('hostile titles, quotes, notes and comments stay inert text; bidi overrides are flagged', async () => {
  const corpus = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/biblio/hostile.json'), 'utf8'),
  ) as Hostile;
  const cf = app.session.caseFile;
  const incident = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
  const evil = saveSource(cf, null, {
    key: 'evil',
    title: '<script>alert("title")</script><img src=x onerror=alert(1)> invoice\u202Egpj.exe',
    authors: '<svg onload=alert(2)>',
    type: 'news',
    reliability: 'E',
    url: 'javascript:alert(3)',
  });
  saveSource(cf, null, {
    key: 'evil2',
    title: '<iframe src="javascript:alert(4)"></iframe><form action="https://evil.example"><button>go</button></form>',
    type: 'news',
  });
  const cite = createCitation(cf, {
    source_id: evil.id as string,
    target_table: 'incidents',
    target_id: incident,
    quote: '<img src=x onerror=alert(5)> <a href="javascript:alert(6)">click</a> \u202Eevil',
    translation: '<script>alert(7)</script>',
    credibility: 5,
  });
  addComment(cf, cite.id as string, '<img src=x onerror=alert(8)> [x](javascript:alert(9)) \u202Ereversed', null);
  saveNote(
    cf,
    null,
    'Hostile note \u202Eexe.',
    corpus.cases.map((c) => c.markdown).join('\n\n') + '\n\nCites [@evil].',
  );
  const g = corpus.generators[0]!;
  saveNote(cf, null, 'One megabyte', g.unit.repeat(Math.ceil(1_000_000 / g.unit.length)).slice(0, 1_000_000));

  const { page, dialogs, navigations, errors } = await open('sources');
  const title = page.getByTestId('source-title').filter({ hasText: 'invoice' });
  await title.waitFor();
  assert.match(
    (await title.textContent()) ?? '',
    /^<script>alert\("title"\)<\/script><img src=x onerror=alert\(1\)> invoice/,
  );
  assert.ok(await page.getByTestId('bidi-warning').first().isVisible());
  await page.getByTestId('source-row').filter({ hasText: 'evil' }).first().click();
  await page.getByTestId('source-editor').getByTestId('citation-quote').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sources-hostile-library.png') });

  await page.getByTestId('nav-notes').click();
  await page.getByTestId('note-item').filter({ hasText: 'Hostile note' }).click();
  const rendered = page.getByTestId('note-rendered');
  await rendered.getByText('Before <script>alert(1)</script> after').waitFor({ timeout: 20_000 });
  assert.equal(
    await rendered
      .locator('script, img, iframe, form, button, input, svg, math, style, object, embed, meta, base')
      .count(),
    0,
  );
  const hrefs = await rendered.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  for (const h of hrefs) assert.match(h, /^(https?:|mailto:)/);
  assert.ok(await page.getByTestId('note-preview').getByTestId('bidi-warning').first().isVisible());
  // A link asks before it leaves, and shows where it really goes.
  await rendered.locator('a[href="https://example.org/"]').click();
  await page.getByTestId('link-target').waitFor();
  assert.match((await page.getByTestId('link-target').textContent()) ?? '', /^https:\/\/example\.org\/$/);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-hostile-note.png') });
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.getByTestId('note-item').filter({ hasText: 'One megabyte' }).click();
  await page.getByTestId('note-rendered').locator('p').first().waitFor({ timeout: 60_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px)`);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-hostile-1mb.png') });

  await page.getByTestId('nav-review').click();
  await page.getByTestId('filter-source').selectOption(evil.id as string);
  await page.getByTestId('queue-row').first().click();
  await page.getByTestId('comment').getByText('onerror=alert(8)', { exact: false }).waitFor();
  assert.ok(await page.getByTestId('citation-review').getByTestId('bidi-warning').first().isVisible());
  await page.screenshot({ path: join(ARTIFACTS, 'sources-hostile-review.png') });

  assert.deepEqual(dialogs, [], 'no dialog fired');
  assert.deepEqual(navigations, [], 'nothing navigated');
  assert.deepEqual(errors, []);
});

test("a source's edits are saved when another source or tab is opened, or kept with the reason when they cannot be; another window's edit is merged in", async () => {
  const { page, errors } = await open('sources');
  const db = app.session.caseFile.db;
  const field = (key: string, col: 'title' | 'language') =>
    db.prepare(`SELECT ${col} FROM sources WHERE key = ?`).pluck().get(key);
  const showing = (key: string) => page.locator(`[data-testid="source-key"][value="${key}"]`).waitFor();
  await page
    .getByTestId('source-row')
    .filter({ has: page.getByRole('cell', { name: 'ghag', exact: true }) })
    .click();
  await showing('ghag');
  const title = page.getByTestId('source-editor').getByTestId('source-title');
  await title.fill('Khorasan Ghag, issue of 28 August (checked)');
  // Meanwhile another window sets its language: the form takes it and keeps the title being typed.
  const ghag = db.prepare("SELECT id FROM sources WHERE key = 'ghag'").pluck().get() as string;
  app.session.caseFile.update('sources', ghag, { language: 'ar' });
  await page.locator('[data-testid="source-language"][value="ar"]').waitFor();
  assert.equal(await title.inputValue(), 'Khorasan Ghag, issue of 28 August (checked)');
  // Another source opened: the edit is saved first, not dropped, and the other window's stays.
  await page
    .getByTestId('source-row')
    .filter({ has: page.getByRole('cell', { name: 'gdi2022', exact: true }) })
    .click();
  await showing('gdi2022');
  assert.equal(field('ghag', 'title'), 'Khorasan Ghag, issue of 28 August (checked)');
  assert.equal(field('ghag', 'language'), 'ar');

  // An edit that cannot be saved keeps the editor where it is, says why, and can be discarded.
  const before = field('gdi2022', 'title');
  await page.getByTestId('source-editor').getByTestId('source-title').fill('');
  await page
    .getByTestId('source-row')
    .filter({ has: page.getByRole('cell', { name: 'ghag', exact: true }) })
    .click();
  await page.getByTestId('source-discard').waitFor();
  assert.equal(await page.getByTestId('source-key').inputValue(), 'gdi2022');
  assert.match((await page.getByTestId('source-error').textContent()) ?? '', /^Not saved: Title is required/);
  await page.screenshot({ path: join(ARTIFACTS, 'sources-unsaved-kept.png') });
  await page.getByTestId('source-discard').click();
  await showing('ghag');
  assert.equal(field('gdi2022', 'title'), before);

  // Leaving the tab saves too.
  await page.getByTestId('source-language').fill('ps');
  await page.getByTestId('nav-incidents').click();
  const end = Date.now() + 10_000;
  while (field('ghag', 'language') !== 'ps' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.equal(field('ghag', 'language'), 'ps');
  assert.deepEqual(errors, []);
  await page.context().close();
});
