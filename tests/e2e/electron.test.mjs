// The real Electron app, driven by Playwright: sandboxed page, the narrow bridge, no Node in the
// page, navigation refused and links handed to the opener. Skips itself (with the reason) where
// no Electron binary can run, e.g. when its download was switched off at install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appIsStale, findElectron, root } from '../../scripts/start.mjs';

test(
  'Electron: the app shell loads sandboxed, with only the casefile bridge; a note exports to PDF',
  { timeout: 180_000 },
  async (t) => {
    const electron = findElectron();
    if (!electron.path) {
      t.skip(`Electron binary not installed: ${electron.reason}`);
      return;
    }
    if (appIsStale()) {
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'],
        { cwd: root, stdio: 'inherit' },
      );
      assert.equal(build.status, 0, 'electron-vite build failed');
    }

    const { _electron } = await import('playwright-core');
    const userData = mkdtempSync(join(tmpdir(), 'casefile-electron-e2e-'));
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ author: 'E2E Analyst' }));
    const env = { ...process.env, CASEFILE_USER_DATA: userData };
    delete env.ELECTRON_RUN_AS_NODE;
    const app = await _electron.launch({ executablePath: electron.path, args: ['.'], cwd: root, env, timeout: 60_000 });
    try {
      const win = await app.firstWindow();
      const errors = [];
      win.on('pageerror', (e) => errors.push(e.message));
      await win.locator('[data-testid="app-shell"]').waitFor({ timeout: 60_000 });

      const page = await win.evaluate(() => ({
        url: location.href,
        bridge: Object.keys(window.casefile ?? {}).sort(),
        require: typeof window.require,
        process: typeof globalThis.process,
      }));
      assert.match(page.url, /^app:\/\/casefile\//);
      assert.deepEqual(page.bridge, ['invoke', 'subscribe']);
      assert.equal(page.require, 'undefined');
      assert.equal(page.process, 'undefined');

      const info = await win.evaluate(() => window.casefile.invoke('app.info', {}));
      assert.equal(info.ok, true);
      assert.equal(info.value.mode, 'electron');
      const unknown = await win.evaluate(() => window.casefile.invoke('fs.readFile', { path: '/etc/passwd' }));
      assert.equal(unknown.ok, false);
      const csp = await win.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
      assert.match(csp ?? '', /script-src 'self'(;|$)/);

      // Record what the opener would hand to the system browser instead of opening one, and the
      // question asked before it: answered Cancel first, then "Open in browser".
      await app.evaluate(({ shell, dialog }) => {
        globalThis.__opened = [];
        globalThis.__asked = [];
        globalThis.__answer = 0;
        shell.openExternal = async (url) => void globalThis.__opened.push(url);
        dialog.showMessageBox = async (...args) => {
          const options = args.length > 1 ? args[1] : args[0];
          globalThis.__asked.push(options.detail);
          return { response: globalThis.__answer, checkboxChecked: false };
        };
      });
      const before = win.url();
      const away = 'https://example.com/a/long/path?with=query#and-fragment';
      await win
        .evaluate((u) => {
          location.href = u;
        }, away)
        .catch(() => undefined);
      await win.waitForTimeout(1000);
      assert.equal(win.url(), before, 'navigation away from the app was not blocked');
      assert.equal(await win.evaluate((u) => window.open(u) === null, away), true);
      await win.waitForTimeout(500);
      assert.deepEqual(
        await app.evaluate(() => globalThis.__asked),
        [away, away],
        'each attempt asked first, showing the whole address',
      );
      assert.deepEqual(await app.evaluate(() => globalThis.__opened), [], 'Cancel opened nothing');
      await app.evaluate(() => void (globalThis.__answer = 1));
      assert.equal(await win.evaluate((u) => window.open(u) === null, away), true);
      await win.waitForTimeout(500);
      assert.deepEqual(await app.evaluate(() => globalThis.__opened), [away], 'a yes opened it in the browser');

      // A note exported to PDF: the save dialog answers with a path in the test's folder, the main
      // process prints the note in its hidden no-script window and writes the file there.
      const pdfPath = join(userData, 'note.pdf');
      await app.evaluate(({ dialog }, path) => {
        dialog.showSaveDialog = async () => ({ canceled: false, filePath: path });
      }, pdfPath);
      await win.locator('[data-testid="nav-notes"]').click();
      await win.locator('[data-testid="bibliography"] .csl-entry').first().waitFor({ timeout: 30_000 });
      assert.equal(await win.locator('[data-testid="print-note"]').count(), 0);
      await win.locator('[data-testid="export-pdf"]').click();
      for (const end = Date.now() + 60_000; !existsSync(pdfPath) && Date.now() < end;) await win.waitForTimeout(200);
      const pdf = readFileSync(pdfPath);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.length > 2000, `the PDF has content (${pdf.length} bytes)`);
      // The print window is gone, and no window but ours was left behind.
      assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);

      mkdirSync(join(root, 'test-results'), { recursive: true });
      await win.screenshot({ path: join(root, 'test-results', 'electron.png') });
      assert.deepEqual(errors, []);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  },
);
