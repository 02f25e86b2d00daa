// End-to-end tests: build the renderer once, then run every tests/e2e/*.test.* file with Node's
// test runner (the Electron test reports itself skipped where no Electron binary exists).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `casefile e2e: Chromium not found at ${chromium}; install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
  );
  process.exit(1);
}
const build = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    join(root, 'vite.renderer.config.ts'),
    '--logLevel',
    'warn',
  ],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const files = readdirSync(join(root, 'tests/e2e'))
  .filter((f) => /\.test\.(ts|mjs)$/.test(f))
  // `npm run test:e2e -- grid merge` runs only those files (by name without .test.ts).
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.test\.(ts|mjs)$/, '')))
  .sort()
  .map((f) => join('tests/e2e', f));
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=180000', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
