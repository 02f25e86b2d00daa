// The process boundaries of the house style as one lint rule. Its policy comes from the file's own
// path, never from options, so no later config block can loosen it for some files (flat config
// replaces a rule's options wholesale, which is how the old per-block lists silently stopped
// applying to the renderer, the server and the CLI).
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const PROCESSES = ['renderer', 'shared', 'core', 'server', 'cli', 'main', 'preload'];
const builtins = new Set(builtinModules);

/** What each process may not import: packages, Node's builtins, and other processes' folders. */
const POLICY = {
  renderer: {
    packages: ['electron', 'better-sqlite3'],
    node: 'the renderer has no Node: talk to the core through lib/api',
    dirs: ['core', 'main', 'server', 'preload', 'cli'],
  },
  shared: {
    packages: ['electron', 'better-sqlite3'],
    node: 'src/shared runs in every process: no Node modules',
    dirs: ['core', 'main', 'server', 'preload', 'renderer', 'cli'],
  },
  preload: {
    packages: ['better-sqlite3'],
    node: 'the preload is sandboxed: electron and src/shared only',
    dirs: ['core', 'main', 'server', 'renderer', 'cli'],
  },
  core: { packages: ['electron'], dirs: ['main', 'server', 'preload', 'renderer', 'cli'] },
  server: { packages: ['electron', 'better-sqlite3'], dirs: ['main', 'preload', 'renderer', 'cli'] },
  cli: { packages: ['electron', 'better-sqlite3'], dirs: ['main', 'preload', 'renderer', 'server'] },
  main: { packages: ['better-sqlite3'], dirs: ['renderer', 'server', 'cli', 'preload'] },
};
const WHERE = {
  electron: 'electron is imported only in src/main and src/preload',
  'better-sqlite3': 'better-sqlite3 is imported only in the core (src/core)',
};

/** The process a file belongs to (src/<process>/...), or undefined outside src/. */
export function processOf(file) {
  const rel = relative(SRC, resolve(file));
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(sep)[0];
  return PROCESSES.includes(top) ? top : undefined;
}

const MIGRATIONS = join(SRC, 'core', 'db', 'migrations');
const DB = join(SRC, 'core', 'db');
/** What src/core/db (the floor: open, migrate, statements, the search index) may import from the core besides itself. */
const DB_MAY_USE = ['errors.ts', 'hlc.ts', 'ids.ts'].map((f) => join(SRC, 'core', f));
/** A shipped migration (src/core/db/migrations/NNN-*.ts) is frozen history, not a library. */
function isShippedMigration(path) {
  return dirname(path) === MIGRATIONS && /^\d{3}-/.test(basename(path));
}

const isUnder = (path, dir) => path === dir || path.startsWith(dir + sep);

/** Why `spec`, imported from `file`, crosses a boundary; undefined when it may. */
export function violation(file, spec) {
  const proc = processOf(file);
  if (!proc || typeof spec !== 'string') return undefined;
  if (
    (spec.startsWith('.') || spec.startsWith('/')) &&
    dirname(resolve(file)) !== MIGRATIONS &&
    isShippedMigration(resolve(dirname(resolve(file)), spec))
  ) {
    return 'a shipped migration is frozen: only src/core/db/migrations/ may import it (keep a runtime copy beside the feature)';
  }
  if ((spec.startsWith('.') || spec.startsWith('/')) && isUnder(resolve(file), DB)) {
    const target = resolve(dirname(resolve(file)), spec);
    const inCore = isUnder(target, join(SRC, 'core'));
    const ok = isUnder(target, DB) || DB_MAY_USE.some((f) => target === f || `${target}.ts` === f);
    if (inCore && !ok)
      return 'src/core/db is the floor: it imports no feature of the core (only db/, errors, hlc, ids and src/shared)';
  }
  const policy = POLICY[proc];
  for (const pkg of policy.packages) if (spec === pkg || spec.startsWith(`${pkg}/`)) return WHERE[pkg];
  if (policy.node && (spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0])))
    return policy.node;
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = processOf(resolve(dirname(resolve(file)), spec));
    if (target && policy.dirs.includes(target)) return `src/${proc} may not import from src/${target}`;
  }
  return undefined;
}

const rule = {
  meta: { type: 'problem', schema: [], docs: { description: 'process boundaries (house style)' } },
  create(context) {
    const file = context.filename;
    const check = (node, source) => {
      if (!source || source.type !== 'Literal') return;
      const why = violation(file, source.value);
      if (why) context.report({ node, message: `'${source.value}': ${why}` });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n, n.arguments[0]);
      },
    };
  },
};

export const boundariesPlugin = { rules: { boundaries: rule } };
