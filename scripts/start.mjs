// `npm start`: the Electron app where an Electron binary can run, else the browser mode
// (scripts/web.mjs). Before launching Electron it makes sure the app is built (electron-vite
// build); better-sqlite3 needs nothing: its N-API binary serves Node and Electron alike.
// Exports findElectron() for the Electron end-to-end test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findElectron, installElectron, noDisplay, root } from './electron-binary.mjs';

export { findElectron, root };

const firstLine = (e) => String(e instanceof Error ? e.message : e).split('\n')[0];

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

const NODE_MAJOR = 22;

/** Electron's binary path, fetching it first when only the binary is missing; or why not. */
async function electronHere() {
  const found = findElectron();
  if (found.path || !found.missing) return found;
  // No display: a download would not help, so none is started.
  const display = noDisplay();
  if (display) return { reason: display };
  const installed = await installElectron();
  if (!installed.ok) return { missing: true, reason: installed.reason };
  console.log('casefile: Electron is installed.');
  return findElectron();
}

async function main() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < NODE_MAJOR) {
    console.error(
      `casefile: Casefile needs Node.js ${NODE_MAJOR}.12 or newer; this is Node.js ${process.versions.node}. Install Node.js ${NODE_MAJOR} (https://nodejs.org), then run "npm install" again.`,
    );
    process.exit(1);
  }
  const electron = await electronHere();
  if (!electron.path) {
    const what = electron.missing ? 'the Electron binary is not installed here' : 'Electron cannot open a window here';
    console.log(`casefile: ${what} (${electron.reason}); opening the workbench in browser mode instead.`);
    return browserMode();
  }

  if (appIsStale()) {
    console.log('casefile: building the app...');
    const build = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    if (build.status !== 0) {
      console.error('casefile: the build failed (see above)');
      process.exit(1);
    }
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  handOver(electron.path, ['.', ...process.argv.slice(2)], env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`casefile: ${firstLine(e)}`);
    process.exit(1);
  });
}
