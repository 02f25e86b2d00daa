// `npm run electron:native` (and, with --soft, npm's postinstall): build better-sqlite3 for
// Electron's ABI into .cache/electron-native/better_sqlite3.node, which the Electron main process
// loads through better-sqlite3's `nativeBinding` option. node_modules/better-sqlite3/build stays
// Node's build, untouched, so tests, the CLI and the browser mode never notice.
//
// It works on a copy of the package in a temporary folder: a prebuilt binary first
// (prebuild-install, one download), else a compile with node-gyp against Electron's headers.
// Flags: --soft (a failure prints one line and exits 0), --force (ignore the cache),
// --verbose (show the tools' output).
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const soft = args.has('--soft');
const force = args.has('--force');
const verbose = args.has('--verbose');

const outDir = join(root, '.cache', 'electron-native');
const outFile = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');
const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
const electronDir = join(root, 'node_modules', 'electron');
const HEADERS = 'https://electronjs.org/headers';

/** Seconds each step may take: downloads are short so that an offline install stays quick. */
const PREBUILT_TIMEOUT = 20_000;
const HEADERS_TIMEOUT = 60_000;
const COMPILE_TIMEOUT = 15 * 60_000;

const readJson = (p) => {
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return null;
  }
};

function done(ok, line) {
  if (ok) {
    if (line) console.log(line);
    process.exit(0);
  }
  console.error(line);
  process.exit(soft ? 0 : 1);
}

const electronPkg = readJson(join(electronDir, 'package.json'));
const sqlitePkg = readJson(join(sqliteDir, 'package.json'));
if (!electronPkg) done(soft, 'casefile: Electron is not installed (dev dependencies omitted?), so better-sqlite3 was not built for it; npm test and browser mode are unaffected');
if (!sqlitePkg) done(false, 'casefile: node_modules/better-sqlite3 is missing; run "npm install"');
const version = electronPkg.version;

let abi = '';
try {
  abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
} catch {
  try {
    abi = createRequire(join(sqliteDir, 'package.json'))('node-abi').getAbi(version, 'electron');
  } catch {
    /* unknown: the stamp then only matches by Electron version */
  }
}

const want = { electron: version, abi, betterSqlite3: sqlitePkg.version, platform: process.platform, arch: process.arch };
const have = readJson(stampFile);
if (!force && existsSync(outFile) && have && Object.entries(want).every(([k, v]) => String(have[k]) === String(v))) {
  done(true, soft ? '' : `casefile: better-sqlite3 for Electron ${version} is up to date (.cache/electron-native)`);
}

/** Runs a tool; resolves with its exit code, its output and whether it ran out of time. */
let running = null;
function run(cmd, argv, cwd, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, {
      cwd,
      // Its own process group, so a timeout also stops the compilers node-gyp started.
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_build_from_source: '' },
    });
    running = child;
    let out = '';
    const take = (chunk) => {
      out = (out + chunk).slice(-20_000);
      if (verbose) process.stderr.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop(child);
    }, timeoutMs);
    const finish = (code) => {
      clearTimeout(timer);
      running = null;
      resolve({ code, out, timedOut });
    };
    child.on('error', (e) => finish(`${e.code ?? e.message}`));
    child.on('close', (code) => finish(code));
  });
}

function stop(child) {
  try {
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (running) stop(running);
    process.exit(130);
  });
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|network|certificate|self.signed|proxy/i;

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function lastError(out) {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines.filter((l) => /error|ERR!|not found|No such/i.test(l) && !/gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l));
  return (err.at(-1) ?? lines.at(-1) ?? 'no output').replace(/^gyp ERR! /, '').slice(0, 160);
}

async function build(work) {
  const pkg = join(work, 'better-sqlite3');
  const buildDir = join(sqliteDir, 'build');
  cpSync(sqliteDir, pkg, { recursive: true, filter: (src) => src !== buildDir && !src.startsWith(buildDir + sep) });
  const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');

  // 1. A prebuilt binary for this Electron ABI, from better-sqlite3's releases.
  let prebuildInstall = null;
  try {
    prebuildInstall = createRequire(join(sqliteDir, 'package.json')).resolve('prebuild-install/bin.js');
  } catch {
    /* not installed: compile */
  }
  if (prebuildInstall) {
    const r = await run(process.execPath, [prebuildInstall, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`, '--verbose'], pkg, PREBUILT_TIMEOUT);
    if (r.code === 0 && existsSync(built)) return { ok: true, file: built, how: 'prebuilt binary' };
    // Offline: the compile below needs a download too, so stop here rather than wait twice.
    if (r.timedOut) return { ok: false, network: true, reason: `no network to fetch a prebuilt binary or Electron headers (timed out after ${PREBUILT_TIMEOUT / 1000} s)` };
    if (NETWORK.test(r.out) && !/\b404\b/.test(r.out)) return { ok: false, network: true, reason: 'no network to fetch a prebuilt binary or Electron headers' };
  }

  // 2. Compile against Electron's headers (downloaded once into ~/.electron-gyp, as @electron/rebuild does).
  const gyp = nodeGyp();
  if (!gyp) return { ok: false, reason: 'node-gyp was not found' };
  const common = [`--target=${version}`, `--arch=${process.arch}`, `--dist-url=${HEADERS}`, `--devdir=${join(homedir(), '.electron-gyp')}`];
  const headers = await run(process.execPath, [gyp, 'install', ...common], pkg, HEADERS_TIMEOUT);
  if (headers.code !== 0) {
    const network = headers.timedOut || NETWORK.test(headers.out);
    return { ok: false, network, reason: network ? 'no network to fetch Electron headers' : `fetching Electron headers failed: ${lastError(headers.out)}` };
  }
  const compile = await run(process.execPath, [gyp, 'rebuild', '--release', ...common], pkg, COMPILE_TIMEOUT);
  if (compile.code === 0 && existsSync(built)) return { ok: true, file: built, how: 'compiled' };
  return { ok: false, reason: compile.timedOut ? `compiling took over ${COMPILE_TIMEOUT / 60_000} minutes` : `compiling failed: ${lastError(compile.out)}` };
}

const work = mkdtempSync(join(tmpdir(), 'casefile-electron-native-'));
let result;
try {
  result = await build(work);
  if (result.ok) {
    mkdirSync(outDir, { recursive: true });
    const tmp = `${outFile}.${process.pid}.tmp`;
    copyFileSync(result.file, tmp);
    renameSync(tmp, outFile);
    writeFileSync(stampFile, `${JSON.stringify({ ...want, how: result.how, builtAt: new Date().toISOString() }, null, 2)}\n`);
  }
} catch (e) {
  result = { ok: false, reason: e instanceof Error ? e.message : String(e) };
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (result.ok) done(true, `casefile: built better-sqlite3 for Electron ${version} (${result.how}) into .cache/electron-native`);
const next = result.network ? 'run "npm run electron:native" when online' : 'run "npm run electron:native -- --verbose" to see why';
done(false, `casefile: could not build better-sqlite3 for Electron ${version} (${result.reason}); npm test and browser mode are unaffected; ${next}`);
