import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeHandlers } from '../../src/core/handlers/index';
import { Session } from '../../src/core/session';
import { startWebServer, type WebServer } from '../../src/server/web-server';

/**
 * End-to-end tests run the real core and handlers behind the browser-mode server, in Debian's
 * Chromium driven by Playwright: the transport is the only thing that differs from Electron.
 */
export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type App = { dir: string; file: string; session: Session; server: WebServer; stop: () => Promise<void> };

export async function startApp(opts: { demo?: boolean; file?: string } = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'casefile-e2e-'));
  const session = new Session(join(dir, 'config'), 'browser');
  session.settings.update({ author: 'E2E Analyst' });
  const file = opts.file ?? join(dir, 'demo.casefile');
  if (opts.file) session.open(file);
  else session.create(file, opts.demo ?? true);
  const server = await startWebServer({
    session,
    handlers: makeHandlers(session, 'test'),
    staticDir: join(ROOT, 'out/renderer'),
  });
  return {
    dir,
    file,
    session,
    server,
    stop: async () => {
      await server.close();
      session.close();
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function cleanup(app: App): void {
  rmSync(app.dir, { recursive: true, force: true });
}

/** The app (demo case file unless told) and a Chromium to drive it: what every e2e file starts from. */
export async function openApp(opts: { demo?: boolean; file?: string } = {}): Promise<{ app: App; browser: Browser }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const app = await startApp(opts);
  return { app, browser: await launch() };
}

/**
 * A new page on the app, in a context of its own at this window size: the page, and the errors
 * its scripts throw (a test ends by asserting there were none).
 */
export async function openPage(
  browser: Browser,
  app: App,
  viewport = { width: 1400, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // AG Grid reports a feature used without its module (only the modules in use are registered).
  page.on('console', (m) => {
    if (m.type() === 'error' && /AG Grid: error #/.test(m.text())) errors.push(m.text());
  });
  await page.goto(app.server.url);
  return { page, errors };
}

/** Closes what openApp opened (either may be missing if opening failed) and removes the temp folder. */
export async function closeApp(app: App | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await app?.stop();
  if (app) cleanup(app);
}
