/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { linkGraph } from '../../src/core/dashboard/links';
import { ARTIFACTS, closeApp, openApp, type App } from './harness';

/**
 * The link chart on the dashboard, in Chromium against the real core: its nodes and links are the
 * core's (read from the option ECharts holds), it follows the dashboard's filter, and a click on
 * an actor node filters the dashboard and the grid.
 */
let app: App;
let browser: Browser;
before(async () => {
  ({ app, browser } = await openApp());
});
after(() => closeApp(app, browser));

type Shown = { nodes: { id: string; name: string }[]; links: number; subtitle: string };
const shown = (page: Page): Promise<Shown> =>
  page.evaluate(`(() => {
    const c = document.querySelector('[data-testid="chart-links"]').echarts;
    const o = c.getOption();
    return { nodes: o.series[0].data.map((d) => ({ id: d.id, name: d.name })), links: o.series[0].links.length, subtitle: o.title[0].subtext };
  })()`) as Promise<Shown>;

/** Polls an expression in the page (a string: the page's CSP refuses eval, which waitForFunction needs for one). */
async function until(page: Page, expr: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const nodeCount = `(document.querySelector('[data-testid="chart-links"]')?.echarts?.getOption().series?.[0]?.data?.length ?? 0)`;

test('link chart: the core’s network, following the filter; a click on an actor filters the grid', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(app.server.url);
    await page.getByTestId('nav-dashboard').click();
    const panel = page.getByTestId('panel-links');
    await panel.waitFor();
    await panel.scrollIntoViewIfNeeded();
    const db = app.session.caseFile.db;
    const all = linkGraph(db, { columns: {}, search: '' }, 150);
    await until(page, `${nodeCount} === ${all.nodes.length}`);
    const s = await shown(page);
    assert.deepEqual(s.nodes.map((n) => n.id).sort(), all.nodes.map((n) => n.id).sort());
    assert.equal(s.links, all.links.length);
    // The demo's group is one node under the name its (starter) aliases chose.
    assert.ok(
      s.nodes.some((n) => n.id === 'a:Islamic State Khorasan Province'),
      JSON.stringify(s.nodes.map((n) => n.id)),
    );
    await panel.screenshot({ path: join(ARTIFACTS, 'link-chart-1-all.png') });

    // Click the group's node (its position from ECharts' layout) : the dashboard and the grid filter on it.
    const at = (await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="chart-links"]');
      const c = el.echarts;
      const data = c.getModel().getSeriesByIndex(0).getData();
      const i = data.indexOfRawIndex(data.mapArray((idx) => idx).find((idx) => data.getId(idx) === 'a:Islamic State Khorasan Province'));
      const p = c.convertToPixel({ seriesIndex: 0 }, data.getItemLayout(i));
      const r = el.getBoundingClientRect();
      return [r.left + p[0], r.top + p[1]];
    })()`)) as [number, number];
    await page.mouse.click(at[0], at[1]);
    await page.getByTestId('filter-chip').filter({ hasText: 'Islamic State Khorasan Province' }).first().waitFor();
    const narrowed = linkGraph(
      db,
      { columns: { actor1: { type: 'set', values: ['Islamic State Khorasan Province'] } }, search: '' },
      150,
    );
    await until(page, `${nodeCount} === ${narrowed.nodes.length}`);
    assert.ok(narrowed.expanded && narrowed.total === 9, `${narrowed.total}`);
    await page.mouse.move(5, 5);
    await panel.screenshot({ path: join(ARTIFACTS, 'link-chart-2-actor.png') });
    await page.getByTestId('nav-incidents').click();
    await until(page, `document.querySelector('[data-testid="grid-count"]')?.textContent === '9 rows'`);
    assert.deepEqual(errors, []);
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'link-chart-failure.png') }).catch(() => undefined);
    throw e;
  }
});
