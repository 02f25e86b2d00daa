/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * Screens that misled or broke, in Chromium against the real core: the cite dialog's size and
 * source search, every area and dialog at 1024x700 and 1440x900, the timeline's shading against
 * its filter, the map's shape and region names, and the filters shown above the grid. Each writes
 * screenshots to test-results/screens-*.png.
 */
let app: App;
let browser: Browser;
const SMALL = { width: 1024, height: 700 };
const LARGE = { width: 1440, height: 900 };
const AREAS = ['incidents', 'plots', 'sources', 'figures', 'dashboard', 'notes', 'review', 'import'];

before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

async function open(
  viewport: { width: number; height: number },
  area = 'incidents',
): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(30_000);
  await page.goto(app.server.url);
  await page.getByTestId('app-shell').waitFor();
  await page.getByTestId(`nav-${area}`).click();
  return { page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `screens-${name}.png`) });

/** The element lies wholly inside the window, as drawn now (no scrolling to reach it). */
async function inWindow(page: Page, el: Locator, what: string): Promise<void> {
  const box = await el.boundingBox();
  const vp = page.viewportSize()!;
  assert.ok(box, `${what} is not drawn`);
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 0.5 && box.y + box.height <= vp.height + 0.5,
    `${what} at ${JSON.stringify(box)} is outside the ${vp.width}x${vp.height} window`,
  );
}

/** Nothing of the page is wider than the window, and no dialog is wider than itself. */
async function noOverflow(page: Page, what: string): Promise<void> {
  const o = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    dialogs: [...document.querySelectorAll('[role="dialog"]')].map((d) => d.scrollWidth - d.clientWidth),
    controls: [...document.querySelectorAll('.app button, .app input, .app select')]
      .filter(
        (e) =>
          (e as HTMLElement).offsetParent !== null &&
          !e.closest('.ag-root-wrapper, .source-table-wrap, .queue-list, .editor-box'),
      )
      .map(
        (e) =>
          [
            e.textContent || (e as HTMLInputElement).placeholder || e.getAttribute('aria-label') || e.tagName,
            e.getBoundingClientRect().right,
          ] as const,
      )
      .filter(([, right]) => right > window.innerWidth + 0.5),
  }));
  assert.ok(o.page <= 0, `${what}: the page is ${o.page}px wider than the window`);
  assert.ok(
    o.dialogs.every((d) => d <= 0),
    `${what}: a dialog is wider than itself by ${o.dialogs.join(', ')}px`,
  );
  assert.deepEqual(o.controls, [], `${what}: controls past the window's right edge`);
}

async function openCite(page: Page): Promise<Locator> {
  await page.getByTestId('nav-incidents').click();
  await page.locator('.ag-row .ag-selection-checkbox input').first().click();
  await page.getByTestId('cite-button').click();
  const dialog = page.getByTestId('cite-dialog');
  await dialog.waitFor();
  await page.getByTestId('cite-source-option').first().waitFor();
  return dialog;
}

test('the cite dialog fits the window with its buttons in sight, and finds the source by title, authors or key', async () => {
  for (const vp of [LARGE, SMALL]) {
    const { page, errors } = await open(vp);
    const dialog = await openCite(page);
    await inWindow(page, dialog, `the cite dialog at ${vp.width}x${vp.height}`);
    await inWindow(page, page.getByTestId('cite-save'), `Cite at ${vp.width}x${vp.height}`);
    await inWindow(page, dialog.getByRole('button', { name: 'Cancel' }), `Cancel at ${vp.width}x${vp.height}`);
    await noOverflow(page, `cite dialog ${vp.width}`);
    await shot(page, `cite-${vp.width}`);
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
    await page.context().close();
  }

  const { page, errors } = await open(LARGE);
  await openCite(page);
  const search = page.getByTestId('cite-source-search');
  const options = page.getByTestId('cite-source-option');
  const keysShown = async () => (await options.locator('.option-key').allTextContents()).sort();
  // By a word of the title, by the authors, by the key (as a prefix), folded: the library's search.
  await search.fill('posture');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cite-source-option"]').length === 1);
  assert.deepEqual(await keysShown(), ['centcom2022']);
  await search.fill('General Directorate');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="cite-source-option"] .option-key')].some(
      (k) => k.textContent === 'gdi2022',
    ),
  );
  assert.ok(!(await keysShown()).includes('ghag'), (await keysShown()).join(' '));
  await search.fill('isleaks');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cite-source-option"]').length === 1);
  assert.deepEqual(await keysShown(), ['isleaks2020']);
  await search.fill('no such source anywhere');
  await page
    .getByTestId('cite-source-count')
    .filter({ hasText: 'No source matches “no such source anywhere”.' })
    .waitFor();

  // Citing with no source chosen says what is missing and writes nothing.
  const before = (app.session.caseFile.db.prepare('SELECT count(*) n FROM citations').get() as { n: number }).n;
  await page.getByTestId('cite-save').click();
  await page.getByTestId('cite-error').filter({ hasText: 'Choose the source to cite' }).waitFor();

  // Enter in the search box picks the first match and does not submit.
  await search.fill('posture');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cite-source-option"]').length === 1);
  await search.press('Enter');
  await page.getByTestId('cite-chosen').filter({ hasText: 'centcom2022' }).waitFor();
  assert.ok(await page.getByTestId('cite-dialog').isVisible(), 'Enter in the search box did not close the dialog');
  await page.getByTestId('cite-quote').fill('the group had grown');
  await shot(page, 'cite-chosen');
  await page.getByTestId('cite-save').click();
  await page.getByTestId('cite-dialog').waitFor({ state: 'detached' });
  const row = app.session.caseFile.db
    .prepare(
      "SELECT s.key, c.quote FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.quote = 'the group had grown'",
    )
    .get() as { key: string } | undefined;
  assert.equal(row?.key, 'centcom2022');
  assert.equal(
    (app.session.caseFile.db.prepare('SELECT count(*) n FROM citations').get() as { n: number }).n,
    before + 1,
  );
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('every area and dialog fits at 1024x700 and 1440x900: the library keeps its Title, the figures panel its chart', async () => {
  for (const vp of [SMALL, LARGE]) {
    const { page, errors } = await open(vp);
    for (const area of AREAS) {
      await page.getByTestId(`nav-${area}`).click();
      await page.waitForTimeout(area === 'dashboard' ? 1500 : 600);
      await noOverflow(page, `${area} at ${vp.width}x${vp.height}`);
      await shot(page, `${area}-${vp.width}`);
    }

    // The library with the editor open: the Title column keeps room for a title.
    await page.getByTestId('nav-sources').click();
    await page.getByTestId('source-row').filter({ hasText: 'centcom2022' }).click();
    await page.getByTestId('source-editor').waitFor();
    const title = await page.locator('.source-table th', { hasText: 'Title' }).boundingBox();
    assert.ok(title && title.width >= 150, `the Title column is ${title?.width}px wide at ${vp.width}x${vp.height}`);
    await inWindow(
      page,
      page.getByTestId('source-editor').getByRole('button', { name: 'Save' }),
      `the source editor's Save at ${vp.width}`,
    );
    await noOverflow(page, `sources with the editor at ${vp.width}`);
    await shot(page, `sources-editor-${vp.width}`);

    // The figures panel: its subtitle is drawn above its bars, not over them (squeezed beside its
    // table at 1024, it wrapped to five lines).
    await page.getByTestId('nav-dashboard').click();
    const chart = page.getByTestId('chart-figures');
    await chart.waitFor();
    await page.waitForTimeout(800);
    const layout = await chart.evaluate((el) => {
      const c = (
        el as HTMLElement & {
          echarts: {
            getModel: () => {
              getComponent: (t: string, i?: number) => { coordinateSystem?: { getRect: () => { y: number } } };
            };
            getZr: () => {
              storage: {
                getDisplayList: () => {
                  style?: { text?: string };
                  getBoundingRect: () => { x: number; y: number; width: number; height: number };
                  transform?: number[];
                }[];
              };
            };
          };
        }
      ).echarts;
      // Each text's box on the canvas: its own rectangle moved by its transform.
      const texts = c
        .getZr()
        .storage.getDisplayList()
        .filter((d) => typeof d.style?.text === 'string')
        .map((d) => ({
          text: d.style!.text!,
          bottom: d.getBoundingRect().y + d.getBoundingRect().height + (d.transform?.[5] ?? 0),
        }));
      const sub = texts.find((d) => d.text.startsWith('Source says'));
      return {
        subBottom: sub?.bottom ?? null,
        gridTop: c.getModel().getComponent('grid', 0).coordinateSystem?.getRect().y ?? null,
      };
    });
    assert.ok(layout.subBottom !== null && layout.gridTop !== null, JSON.stringify(layout));
    assert.ok(
      layout.subBottom <= layout.gridTop + 1,
      `the subtitle (to ${layout.subBottom}px) runs over the bars (from ${layout.gridTop}px) at ${vp.width}`,
    );
    await page
      .getByTestId('panel-figures')
      .screenshot({ path: join(ARTIFACTS, `screens-figures-panel-${vp.width}.png`) });

    // Dialogs: the grid's export and add row, the File menu's five, the cite dialog (above).
    const dialogs: [string, string, () => Promise<void>][] = [
      ['export', 'incidents', () => page.getByTestId('export-open').click()],
      ['add-row', 'figures', () => page.getByTestId('add-row').click()],
      ...(['new', 'open', 'saveAs', 'export', 'merge'] as const).map((d): [string, string, () => Promise<void>] => [
        `file-${d}`,
        'incidents',
        async () => {
          await page.getByTestId('file-menu').click();
          await page.getByTestId(`file-${d}`).click();
        },
      ]),
      [
        'delete-source',
        'sources',
        async () => {
          await page.getByTestId('source-row').filter({ hasText: 'gdi2022' }).click();
          await page.getByTestId('source-editor').getByRole('button', { name: 'Delete…' }).click();
        },
      ],
    ];
    for (const [name, area, show] of dialogs) {
      await page.getByTestId(`nav-${area}`).click();
      await page.waitForTimeout(300);
      await show();
      const dialog = page.locator('[role="dialog"]').last();
      await dialog.waitFor();
      await inWindow(page, dialog, `the ${name} dialog at ${vp.width}x${vp.height}`);
      await noOverflow(page, `the ${name} dialog at ${vp.width}`);
      await shot(page, `dialog-${name}-${vp.width}`);
      await page.keyboard.press('Escape');
      if (await dialog.isVisible())
        await dialog
          .getByRole('button', { name: /^(Cancel|Close)$/ })
          .first()
          .click();
      await dialog.waitFor({ state: 'detached' });
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

type Shaded = {
  chip: string;
  data: number[] | null;
  labels: string[];
  drawn: { left: number; right: number } | null;
  bands: { left: number; right: number } | null;
};

/** The date filter's chip, the shade series' data in the chart's option, and the shade as drawn against the bars' bands. */
async function shading(page: Page): Promise<Shaded> {
  const chip = (await page.getByTestId('filter-chip').allTextContents()).find((t) => t.includes('Date:')) ?? '';
  const fromChart = await page.getByTestId('chart-timeline').evaluate((el) => {
    type Drawn = { type?: string; shape?: { x: number; width: number }; style?: { fill?: string } };
    const c = (
      el as HTMLElement & {
        echarts: {
          getOption: () => { xAxis: { data: string[] }[]; series: { id?: string; data?: number[][] }[] };
          convertToPixel: (f: object, v: string) => number;
          getZr: () => { storage: { getDisplayList: () => Drawn[] } };
        };
      }
    ).echarts;
    const o = c.getOption();
    const labels = o.xAxis[0]!.data;
    const data = o.series.find((s) => s.id === 'chosen-period')?.data?.[0] ?? null;
    // Old and new: the shade is the one shape filled with the chosen period's colour.
    const shade = c
      .getZr()
      .storage.getDisplayList()
      .find(
        (d) => /rgba\(31, ?59, ?99, ?0\.1\)?/.test(d.style?.fill ?? '') || d.style?.fill === 'rgba(31, 59, 99, 0.10)',
      ) as (Drawn & { getBoundingRect: () => { x: number; width: number } }) | undefined;
    const r = shade
      ? shade.shape?.width !== undefined
        ? { x: shade.shape.x, width: shade.shape.width }
        : shade.getBoundingRect()
      : null;
    let bands = null;
    if (data) {
      const a = c.convertToPixel({ xAxisIndex: 0 }, labels[data[1]!]!);
      const b = c.convertToPixel({ xAxisIndex: 0 }, labels[data[2]!]!);
      const w =
        labels.length > 1
          ? c.convertToPixel({ xAxisIndex: 0 }, labels[1]!) - c.convertToPixel({ xAxisIndex: 0 }, labels[0]!)
          : 0;
      bands = { left: a - w / 2, right: b + w / 2 };
    }
    return { data, labels, drawn: r ? { left: r.x, right: r.x + r.width } : null, bands };
  });
  return { chip, ...fromChart };
}

test('the timeline shades the period its brush and its click filter, first bucket included', async () => {
  const { page, errors } = await open(LARGE, 'dashboard');
  await page.getByTestId('bucket-month').click();
  const chart = page.getByTestId('chart-timeline');
  await chart.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1200);
  const box = (await chart.boundingBox())!;
  const y = box.y + 200;
  await page.mouse.move(box.x + box.width * 0.8, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.86, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.95, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Date:'),
  );
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.waitForTimeout(800);
  const s = await shading(page);
  const m = /Date: (\w{3} \d{4}) – (\w{3} \d{4})/.exec(s.chip);
  assert.ok(m, s.chip);
  assert.ok(s.data, 'the chart has no shade for the chosen period');
  // The shaded buckets, read from the option, are the filter's first and last month, whole.
  assert.equal(s.labels[s.data[1]!], m[1]);
  assert.equal(s.labels[s.data[2]!], m[2]);
  assert.deepEqual([s.data[3], s.data[4]], [0, 1]);
  // And it is drawn over exactly those bars' bands, the first month's included.
  assert.ok(s.drawn && s.bands, JSON.stringify(s));
  assert.ok(
    Math.abs(s.drawn.left - s.bands.left) < 1.5 && Math.abs(s.drawn.right - s.bands.right) < 1.5,
    `drawn ${JSON.stringify(s.drawn)}, the filter's bands ${JSON.stringify(s.bands)}`,
  );
  await page.getByTestId('panel-timeline').screenshot({ path: join(ARTIFACTS, 'screens-timeline-brushed.png') });

  // A click on one bar: that month, shaded whole.
  await page.getByTestId('timeline-clear').click();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Date:'),
  );
  // The filter bar changed height: the chart moved.
  await page.waitForTimeout(500);
  const box1 = (await chart.boundingBox())!;
  const one = await chart.evaluate((el) => {
    const c = (
      el as HTMLElement & {
        echarts: { getOption: () => { xAxis: { data: string[] }[] }; convertToPixel: (f: object, v: string) => number };
      }
    ).echarts;
    const labels = c.getOption().xAxis[0]!.data;
    return { label: labels.at(-1)!, x: c.convertToPixel({ xAxisIndex: 0 }, labels.at(-1)!) };
  });
  await page.mouse.click(box1.x + one.x, box1.y + 300);
  await page.waitForFunction(
    (l) => document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes(`Date: ${l}`),
    one.label,
  );
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.waitForTimeout(800);
  const s1 = await shading(page);
  assert.ok(s1.data, 'a clicked month is not shaded');
  assert.equal(s1.labels[s1.data[1]!], one.label);
  assert.equal(s1.labels[s1.data[2]!], one.label);
  assert.ok(
    s1.drawn &&
      s1.bands &&
      Math.abs(s1.drawn.left - s1.bands.left) < 1.5 &&
      Math.abs(s1.drawn.right - s1.bands.right) < 1.5,
    JSON.stringify(s1),
  );
  await page.getByTestId('panel-timeline').screenshot({ path: join(ARTIFACTS, 'screens-timeline-clicked.png') });
  await page.getByTestId('filter-clear').click();
  assert.deepEqual(errors, []);
  await page.context().close();
});

type Geo = { view: number[]; bound: number[]; kabul: number[] };

test("the Afghanistan map keeps the country's shape, and names a province on hover and once chosen", async () => {
  const { page, errors } = await open(LARGE, 'dashboard');
  const chart = page.getByTestId('chart-map');
  await page.getByTestId('map-layer').selectOption('provinces');
  await chart.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  const geo = await chart.evaluate((el): Geo => {
    type View = {
      getViewRect: () => { x: number; y: number; width: number; height: number };
      getBoundingRect: () => { x: number; y: number; width: number; height: number };
    };
    const c = (
      el as HTMLElement & {
        echarts: {
          getModel: () => { getComponent: (t: string) => { coordinateSystem: View } };
          convertToPixel: (f: object, v: number[]) => number[];
        };
      }
    ).echarts;
    const g = c.getModel().getComponent('geo').coordinateSystem;
    const v = g.getViewRect();
    const b = g.getBoundingRect();
    return {
      view: [v.x, v.y, v.width, v.height],
      bound: [b.x, b.y, b.width, b.height],
      kabul: c.convertToPixel({ geoIndex: 0 }, [69.17, 34.53]),
    };
  });
  // Pixels per degree of longitude over pixels per degree of latitude: cos(34°) (0.83) in an
  // equirectangular view of Afghanistan, not whatever fills the box (the old map: about 2).
  const xPerDeg = geo.view[2]! / geo.bound[2]!;
  const yPerDeg = geo.view[3]! / geo.bound[3]!;
  const midLat = geo.bound[1]! + geo.bound[3]! / 2;
  assert.ok(
    Math.abs(xPerDeg / yPerDeg - Math.cos((midLat * Math.PI) / 180)) < 0.02,
    `longitude drawn ${(xPerDeg / yPerDeg).toFixed(3)} times a degree of latitude at ${midLat.toFixed(1)}°`,
  );
  await page.getByTestId('panel-map').screenshot({ path: join(ARTIFACTS, 'screens-map-provinces.png') });

  const labelShown = (name: string) =>
    chart.evaluate((el, n) => {
      type Drawn = {
        style?: { text?: string };
        invisible?: boolean;
        parent?: Drawn;
        ignore?: boolean;
        style_?: unknown;
      };
      const c = (
        el as HTMLElement & { echarts: { getZr: () => { storage: { getDisplayList: (update?: boolean) => Drawn[] } } } }
      ).echarts;
      return c
        .getZr()
        .storage.getDisplayList(true)
        .some((d) => d.style?.text === n && !d.invisible && !d.ignore);
    }, name);
  const box = (await chart.boundingBox())!;
  assert.equal(await labelShown('Kabul'), false, 'no name is drawn before any hover');
  await page.mouse.move(box.x + geo.kabul[0]!, box.y + geo.kabul[1]!);
  await page.waitForTimeout(600);
  assert.equal(await labelShown('Kabul'), true, 'hovering Kabul names it on the map');
  await page.getByTestId('panel-map').screenshot({ path: join(ARTIFACTS, 'screens-map-hover.png') });
  await page.mouse.click(box.x + geo.kabul[0]!, box.y + geo.kabul[1]!);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Admin1: Kabul'),
  );
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.waitForTimeout(800);
  assert.equal(await labelShown('Kabul'), true, 'the chosen province keeps its name on the map');
  await page.getByTestId('panel-map').screenshot({ path: join(ARTIFACTS, 'screens-map-chosen.png') });
  await page.getByTestId('filter-clear').click();
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the grid shows, as chips, the filters the dashboard set, and a chip clears its filter', async () => {
  const { page, errors } = await open(LARGE, 'incidents');
  await page.getByTestId('grid-count').filter({ hasText: '10 rows' }).waitFor();
  assert.equal(await page.getByTestId('grid-filters').count(), 0, 'no filter, no chips');
  await page.getByTestId('nav-dashboard').click();
  const chart = page.getByTestId('chart-by-country');
  await chart.scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  // Iran has the most incidents: the first bar (the dashboard test finds it the same way).
  const b = (await chart.boundingBox())!;
  const rows = 7;
  await page.mouse.click(b.x + b.width * 0.5, b.y + 78 + (b.height - 48 - 78) / rows / 2);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="filter-bar"]')?.textContent?.includes('Country: Iran'),
  );

  await page.getByTestId('nav-incidents').click();
  const iran = (
    app.session.caseFile.db.prepare("SELECT count(*) n FROM incidents WHERE country = 'Iran'").get() as { n: number }
  ).n;
  await page
    .getByTestId('grid-count')
    .filter({ hasText: `${iran} rows` })
    .waitFor();
  const chips = page.getByTestId('grid-filters').getByTestId('filter-chip');
  assert.deepEqual(await chips.allTextContents(), ['Country: Iran×']);
  await shot(page, 'grid-filtered');

  // A search typed in the grid is a chip too; each chip clears its own filter.
  await page.getByTestId('grid-search').fill('Shiraz');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="grid-filters"] [data-testid="filter-chip"]')].some((c) =>
      c.textContent?.includes('Shiraz'),
    ),
  );
  await chips.filter({ hasText: 'Country: Iran' }).getByRole('button').click();
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[data-testid="filter-chip"]')].some((c) => c.textContent?.includes('Iran')),
  );
  await chips.filter({ hasText: 'Shiraz' }).getByRole('button').click();
  await page.getByTestId('grid-count').filter({ hasText: '10 rows' }).waitFor();
  assert.equal(await page.getByTestId('grid-search').inputValue(), '');
  assert.equal(await page.getByTestId('grid-filters').count(), 0);
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('filter-bar').filter({ hasText: 'No filter' }).waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});
