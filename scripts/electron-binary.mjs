// Where the Electron binary is, or why Electron cannot run here, and fetching it when it is
// missing. Electron 45's npm package has no install script: it downloads its binary on first use
// (node_modules/electron/install.js). `npm install` therefore never fails for want of it, and
// `npm start` runs that installer itself, once, saying so, before deciding on browser mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** An offline download must not hold `npm start` for long; a slow but working one may take minutes. */
export const DOWNLOAD_IDLE_MS = 60_000;

const firstLine = (e) => String(e instanceof Error ? e.message : e).split('\n')[0];

function version() {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Why no window could open here, or null. Checked before any download: no display, no point. */
export function noDisplay(env = process.env, platform = process.platform) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset';
  return null;
}

/**
 * `{ path }`, or `{ missing: true, reason }` (no binary), or `{ reason }` (no display).
 * Never starts a download: require('electron') would, so the binary is looked for first.
 */
export function findElectron(env = process.env) {
  if (!version()) return { missing: true, reason: 'node_modules/electron is not installed' };
  if (!env.ELECTRON_OVERRIDE_DIST_PATH) {
    let rel = '';
    try {
      rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    } catch {
      /* never downloaded */
    }
    if (!rel || !existsSync(join(electronDir, 'dist', rel)))
      return { missing: true, reason: 'the Electron binary has not been downloaded yet' };
  }
  let bin;
  try {
    bin = createRequire(import.meta.url)('electron');
  } catch (e) {
    return { missing: true, reason: firstLine(e) };
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return { missing: true, reason: `${String(bin)} does not exist` };
  const display = noDisplay(env);
  return display ? { reason: display } : { path: bin };
}

/**
 * Runs Electron's own installer (one download, kept in Electron's cache) with one line saying so.
 * Resolves `{ ok: true }` or `{ ok: false, reason }`; stops the installer when it goes quiet for
 * DOWNLOAD_IDLE_MS. ELECTRON_SKIP_BINARY_DOWNLOAD, set by whoever runs this, is honoured.
 */
export function installElectron({
  env = process.env,
  log = (line) => console.log(line),
  idleMs = DOWNLOAD_IDLE_MS,
} = {}) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD && env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '0') {
    return Promise.resolve({ ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded' });
  }
  const v = version();
  if (!v) return Promise.resolve({ ok: false, reason: 'node_modules/electron is not installed' });
  log(`casefile: downloading Electron ${v} for this computer (about 100 MB, once)...`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let timer;
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill();
        finish({ ok: false, reason: `the download made no progress for ${idleMs / 1000} s` });
      }, idleMs);
    };
    let settled = false;
    const finish = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const take = (chunk) => {
      out = (out + chunk).slice(-8000);
      idle();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    idle();
    child.on('error', (e) => finish({ ok: false, reason: firstLine(e) }));
    child.on('close', (code) => {
      if (code === 0 && !findElectron(env).missing) return finish({ ok: true });
      const line =
        out
          .split('\n')
          .map((l) => l.trim())
          .find((l) => l && !l.startsWith('at ')) ?? `exit ${code}`;
      const offline =
        /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH/.test(out);
      finish({
        ok: false,
        reason: `${offline ? "Electron's download server could not be reached (offline?)" : "Electron's download failed"}: ${line.slice(0, 200)}`,
      });
    });
  });
}
