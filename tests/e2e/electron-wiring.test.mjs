// The built main process (out/main) wired to a stand-in `electron` module (stand-in/electron.mjs)
// that records what the app asks of Electron. Runs everywhere, with no Electron binary: checks
// what tests/e2e/electron.test.mjs checks in a real Electron where one exists, from the main
// process's side. The window is sandboxed, isolated and without Node; navigation and new
// windows are refused (links go to the system browser); a .casefile on the command line is
// opened through File > Open's checked path; the settings folder is <appData>/Casefile, an old
// lower-case one moved into it; the file check's child is a utility process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appIsStale, root } from '../../scripts/start.mjs';

const readLog = (file) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

async function until(what, fn, ms = 120_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const v = fn();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

test(
  'Electron wiring: secure window, refused navigation, a file from the command line opened, one settings folder',
  { timeout: 600_000 },
  async () => {
    if (appIsStale()) {
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'],
        { cwd: root, stdio: 'inherit' },
      );
      assert.equal(build.status, 0, 'electron-vite build failed');
    }
    const home = mkdtempSync(join(tmpdir(), 'casefile-wiring-'));
    const log = join(home, 'calls.jsonl');
    // An older install's lower-case settings folder, which the app must adopt.
    mkdirSync(join(home, 'appData', 'casefile'), { recursive: true });
    writeFileSync(join(home, 'appData', 'casefile', 'settings.json'), JSON.stringify({ author: 'Wiring Analyst' }));
    const file = join(home, 'from double-click.casefile');
    const made = spawnSync(process.execPath, [join(root, 'bin', 'casefile.mjs'), 'new', file], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);

    // What the system's file dialog answers when the page asks for one (files.pick).
    const picked = join(home, 'chosen', 'events.csv');
    mkdirSync(join(home, 'chosen'));
    writeFileSync(picked, 'a,b\n');
    const env = { ...process.env, CASEFILE_WIRING_LOG: log, CASEFILE_WIRING_HOME: home, CASEFILE_WIRING_PICK: picked };
    delete env.CASEFILE_USER_DATA;
    const child = spawn(
      process.execPath,
      ['--import', join(root, 'tests', 'e2e', 'stand-in', 'register.mjs'), join(root, 'out', 'main', 'index.js'), file],
      { cwd: root, env, stdio: ['pipe', 'inherit', 'inherit'] },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const send = (cmd) => child.stdin.write(`${JSON.stringify(cmd)}\n`);
    try {
      // The file given on the command line is opened and every window is told so.
      const opened = await until('file.opened for the command-line file', () =>
        readLog(log).find(
          (c) =>
            c.kind === 'webContents.send' &&
            c.channel === 'casefile:event' &&
            c.args[0] === 'file.opened' &&
            c.args[1]?.path === file,
        ),
      );
      const calls = readLog(log);
      assert.deepEqual(
        calls.filter((c) => c.kind === 'dialog.showErrorBox' || c.kind === 'app.exit'),
        [],
        'the app reported a failure',
      );

      const win = calls.find((c) => c.kind === 'BrowserWindow.new');
      assert.ok(win, 'no window was created');
      assert.equal(opened.id, win.id);
      const prefs = win.options.webPreferences;
      assert.equal(prefs.sandbox, true);
      assert.equal(prefs.contextIsolation, true);
      assert.equal(prefs.nodeIntegration, false);
      assert.equal(prefs.nodeIntegrationInSubFrames, false);
      assert.equal(prefs.webviewTag, false);
      assert.match(prefs.preload, /out[/\\]preload[/\\]index\.cjs$/);
      assert.deepEqual(calls.find((c) => c.kind === 'BrowserWindow.loadURL')?.url, 'app://casefile/index.html');
      assert.ok(calls.some((c) => c.kind === 'ipcMain.handle' && c.channel === 'casefile:invoke'));
      assert.ok(calls.some((c) => c.kind === 'protocol.handle' && c.scheme === 'app'));
      // The received-file check ran in a utility process (the RunAsNode fuse is off in the package).
      assert.match(
        calls.find((c) => c.kind === 'utilityProcess.fork')?.path ?? '',
        /out[/\\]main[/\\]exchange-probe-utility\.js$/,
      );

      // One settings folder: userData set to <appData>/Casefile, the old folder moved into it.
      assert.deepEqual(
        calls.find((c) => c.kind === 'app.setPath' && c.name === 'userData')?.value,
        join(home, 'appData', 'Casefile'),
      );
      assert.equal(existsSync(join(home, 'appData', 'casefile')), false);
      const settings = JSON.parse(readFileSync(join(home, 'appData', 'Casefile', 'settings.json'), 'utf8'));
      assert.equal(settings.author, 'Wiring Analyst');
      assert.equal(settings.recent[0], file);

      // Navigation away is refused; an http(s) link may go to the system browser, nothing else may.
      send({ do: 'navigate', id: win.id, url: 'https://example.com/report' });
      send({ do: 'navigate', id: win.id, url: 'file:///etc/passwd' });
      send({ do: 'open-window', id: win.id, url: 'https://example.org/' });
      const outcome = await until(
        'the navigation outcomes',
        () => {
          const c = readLog(log);
          return c.some((x) => x.kind === 'open-window') ? c : null;
        },
        10_000,
      );
      assert.deepEqual(
        outcome.filter((c) => c.kind === 'navigate').map((c) => [c.url, c.prevented]),
        [
          ['https://example.com/report', true],
          ['file:///etc/passwd', true],
        ],
      );
      assert.deepEqual(outcome.find((c) => c.kind === 'open-window').result, { action: 'deny' });
      // A link leaves the app only after the analyst says yes to a box showing its whole address; the
      // stand-in's box answers its first button (Cancel), so nothing opens.
      const asked = outcome.filter((c) => c.kind === 'dialog.showMessageBox').map((c) => JSON.stringify(c.options));
      assert.ok(
        asked.some((o) => o.includes('https://example.com/report')),
        `no box showed the address: ${asked.join(' | ')}`,
      );
      assert.deepEqual(
        outcome.filter((c) => c.kind === 'shell.openExternal'),
        [],
      );

      // files.pick: the main process's own dialog, from Documents the first time, then from the
      // folder last used (kept in the settings folder).
      send({
        do: 'invoke',
        id: win.id,
        channel: 'files.pick',
        input: { kind: 'open', purpose: 'data', title: 'Import a data file' },
      });
      const first = await until(
        'files.pick answered',
        () => readLog(log).find((c) => c.kind === 'invoked' && c.channel === 'files.pick'),
        10_000,
      );
      assert.deepEqual(first.envelope, { ok: true, value: { path: picked } });
      const opened1 = readLog(log).filter((c) => c.kind === 'dialog.showOpenDialog');
      assert.equal(opened1.length, 1);
      assert.equal(opened1[0].options.defaultPath, join(home, 'documents'));
      assert.ok(opened1[0].options.filters.some((f) => f.extensions.includes('xlsx')));
      send({
        do: 'invoke',
        id: win.id,
        channel: 'files.pick',
        input: { kind: 'save', purpose: 'casefile', defaultName: 'Untitled.casefile' },
      });
      await until(
        'the second files.pick',
        () => readLog(log).filter((c) => c.kind === 'invoked' && c.channel === 'files.pick').length === 2,
        10_000,
      );
      const saved = readLog(log).find((c) => c.kind === 'dialog.showSaveDialog');
      assert.equal(saved.options.defaultPath, join(home, 'chosen', 'Untitled.casefile'));
      assert.deepEqual(saved.options.filters, [{ name: 'Casefile case files', extensions: ['casefile'] }]);
      assert.equal(
        JSON.parse(readFileSync(join(home, 'appData', 'Casefile', 'settings.json'), 'utf8')).lastFolder,
        join(home, 'chosen'),
      );
    } finally {
      child.kill();
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
  },
);
