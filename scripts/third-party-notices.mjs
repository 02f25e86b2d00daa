// `npm run dist` step: the full third-party notices of what Casefile ships, written to
// build/THIRD_PARTY_NOTICES.txt (packaged beside app.asar). Two sources, both from this build:
// the run-time dependencies electron-builder copies (the production tree of package-lock.json)
// and the packages bundled into the renderer (out/renderer/bundled-packages.json, written by the
// renderer build). Each entry carries the package's own licence and notice files, verbatim;
// THIRD_PARTY_NOTICES.md (data sets, credits some licences ask for) comes first.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LICENCE_FILE = /^(licen[cs]e|copying|notice|authors)(\.|-|$)/i;

/** package dir (relative, node_modules/...) of every package shipped, deduplicated by name@version. */
export function shippedPackages(dir = root) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const dirs = new Set();
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    if (path && !meta.dev && !meta.devOptional && path.includes('node_modules/')) dirs.add(path);
  }
  const bundled = join(dir, 'out', 'renderer', 'bundled-packages.json');
  if (!existsSync(bundled)) throw new Error('out/renderer/bundled-packages.json is missing: run "npm run build" first');
  for (const d of JSON.parse(readFileSync(bundled, 'utf8'))) dirs.add(d);
  return [...dirs];
}

function entry(dir, rel) {
  const pkgDir = join(dir, rel);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const files = readdirSync(pkgDir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort();
  const licence =
    typeof pkg.license === 'string'
      ? pkg.license
      : (pkg.license?.type ?? (Array.isArray(pkg.licenses) ? pkg.licenses.map((l) => l.type).join(' OR ') : 'UNKNOWN'));
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return {
    name: pkg.name,
    version: pkg.version,
    licence,
    repo,
    texts: files.map((f) => ({ file: f, text: readFileSync(join(pkgDir, f), 'utf8').trim() })),
  };
}

export function buildNotices(dir = root) {
  const seen = new Map();
  for (const rel of shippedPackages(dir)) {
    if (!existsSync(join(dir, rel, 'package.json'))) continue;
    const e = entry(dir, rel);
    seen.set(`${e.name}@${e.version}`, e);
  }
  const entries = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const rule = '-'.repeat(78);
  const parts = [
    'Casefile: third-party notices',
    `Generated at packaging time from ${entries.length} packages shipped in this build.`,
    '',
    readFileSync(join(dir, 'THIRD_PARTY_NOTICES.md'), 'utf8').trim(),
    '',
  ];
  for (const e of entries) {
    parts.push(rule, `${e.name} ${e.version}`, `Licence: ${e.licence}`, ...(e.repo ? [`Source: ${e.repo}`] : []), '');
    if (e.texts.length === 0)
      parts.push(`(The package carries no licence file; its package.json declares ${e.licence}.)`, '');
    for (const t of e.texts) parts.push(`${t.file}:`, '', t.text, '');
  }
  return { text: `${parts.join('\n')}\n`, entries };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { text, entries } = buildNotices();
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(join(root, 'build', 'THIRD_PARTY_NOTICES.txt'), text);
    console.log(`casefile: build/THIRD_PARTY_NOTICES.txt lists ${entries.length} packages`);
  } catch (e) {
    console.error(`casefile: the third-party notices were not written: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
