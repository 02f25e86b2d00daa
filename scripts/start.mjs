// `npm start`: the Electron app where an Electron binary can run, else the browser mode
// (scripts/web.mjs). Before launching Electron it makes sure better-sqlite3 is built for
// Electron (scripts/electron-native.mjs) and the app is built (electron-vite build).
// Exports findElectron() for the Electron end-to-end test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const firstLine = (e) => String(e instanceof Error ? e.message : e).split('\n')[0];

/**
 * Where the Electron binary is, or why Electron cannot run here:
 * `{ path }`, or `{ missing: true, reason }` (no binary), or `{ reason }` (no display).
 */
export function findElectron() {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json'))) return { missing: true, reason: 'node_modules/electron is not installed' };
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    // require('electron') starts a download when the binary is absent: look before requiring.
    let rel = '';
    try {
      rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    } catch {
      /* never downloaded */
    }
    if (!rel || !existsSync(join(dir, 'dist', rel))) {
      return { missing: true, reason: 'node_modules/electron/dist is empty: its install script did not download it' };
    }
  }
  let bin;
  try {
    bin = createRequire(import.meta.url)('electron');
  } catch (e) {
    return { missing: true, reason: firstLine(e) };
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return { missing: true, reason: `${String(bin)} does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { path: bin };
}

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** True when out/ is missing a part or is older than any source it is built from. */
export function appIsStale() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['src', 'resources', 'electron.vite.config.ts', 'package.json'].map((p) => newest(join(root, p)));
  return Math.max(...sources) > built;
}

/** Runs a child with our stdio and exits with its status, passing Ctrl+C and SIGTERM on. */
function handOver(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    console.error(`casefile: could not start ${cmd}: ${firstLine(e)}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function browserMode() {
  handOver(process.execPath, [join(root, 'scripts', 'web.mjs'), ...process.argv.slice(2)]);
}

function main() {
  const electron = findElectron();
  if (!electron.path) {
    const what = electron.missing ? 'the Electron binary is not installed here' : 'Electron cannot open a window here';
    console.log(`casefile: ${what} (${electron.reason}); opening the workbench in browser mode instead.`);
    return browserMode();
  }

  const native = spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], { cwd: root, encoding: 'utf8' });
  if (native.status !== 0) {
    const line = `${native.stderr ?? ''}${native.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? 'casefile: better-sqlite3 could not be built for Electron';
    console.log(line);
    console.log('casefile: opening the workbench in browser mode instead.');
    return browserMode();
  }

  if (appIsStale()) {
    console.log('casefile: building the app...');
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('casefile: the build failed (see above)');
      process.exit(1);
    }
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  handOver(electron.path, ['.'], env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    console.error(`casefile: ${firstLine(e)}`);
    process.exit(1);
  }
}
