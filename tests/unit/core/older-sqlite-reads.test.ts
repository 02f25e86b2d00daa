import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openCaseFileDb } from '../../../src/core/db/open';
import { tempDir } from '../../helpers';

/**
 * A case file is one SQLite file that other tools open: Debian 12's sqlite3 and Python's sqlite3
 * module (SQLite 3.40, under pandas, Datasette, R and DB Browser on most analysts' machines) must
 * read every table of a demo file and of an imported one. These run the system's own programs on
 * files the app made; neither is skipped when missing, the test fails with what to install.
 */
const SHELL = process.env.SQLITE3_PATH ?? '/usr/bin/sqlite3';
const PYTHON = process.env.PYTHON3_PATH ?? 'python3';
const BIN = resolve(import.meta.dirname, '../../../bin/casefile.mjs');
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/import');
const MATCH = 'afghanistan';

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

type Counts = Record<string, number>;

/** Every table and view of the file, and its rows, as the app's own SQLite reads them. */
function expected(file: string): { counts: Counts; matches: number } {
  const db = new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .pluck()
      .all() as string[];
    const counts: Counts = {};
    for (const n of names) counts[n] = db.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number;
    const matches = db
      .prepare('SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH ?')
      .pluck()
      .get(MATCH) as number;
    return { counts, matches };
  } finally {
    db.close();
  }
}

function countSql(names: string[]): string {
  return (
    names.map((n) => `SELECT '${n}', count(*) FROM "${n}";`).join('\n') +
    `\nSELECT 'MATCH', count(*) FROM incidents_fts WHERE incidents_fts MATCH '${MATCH}';\n`
  );
}

function parse(stdout: string): Counts {
  const out: Counts = {};
  for (const line of stdout.trim().split('\n')) {
    const [name, n] = line.split('|');
    out[name!] = Number(n);
  }
  return out;
}

function withShell(file: string, names: string[]): { version: string; counts: Counts } {
  const version = spawnSync(SHELL, ['-version'], { encoding: 'utf8' }).stdout.split(' ')[0]!;
  const r = spawnSync(SHELL, ['-bail', '-separator', '|', `file:${file}?mode=ro`], {
    input: countSql(names),
    encoding: 'utf8',
  });
  expect(r.stderr, `${SHELL} ${version} on ${file}`).toBe('');
  expect(r.status).toBe(0);
  return { version, counts: parse(r.stdout) };
}

const PY = `
import sqlite3, sys
con = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
print(sqlite3.sqlite_version)
for line in sys.stdin.read().strip().split('\\n'):
    print('|'.join(str(v) for v in con.execute(line).fetchone()))
`;

function withPython(file: string, names: string[]): { version: string; counts: Counts } {
  const r = spawnSync(PYTHON, ['-c', PY, file], { input: countSql(names), encoding: 'utf8' });
  expect(r.error, `${PYTHON}: ${r.error?.message}`).toBeUndefined();
  expect(r.stderr, `${PYTHON}'s sqlite3 on ${file}`).toBe('');
  expect(r.status).toBe(0);
  const [version, ...lines] = r.stdout.trim().split('\n');
  return { version: version!, counts: parse(lines.join('\n')) };
}

function checkReadable(file: string): void {
  const { counts, matches } = expected(file);
  const names = Object.keys(counts);
  expect(names).toEqual(
    expect.arrayContaining([
      'incidents',
      'sources',
      'citations',
      'incidents_fts',
      'incidents_search',
      'sources_search',
    ]),
  );
  expect(matches).toBeGreaterThan(0);
  const want = { ...counts, MATCH: matches };
  const shell = withShell(file, names);
  expect(shell.counts, `${SHELL} ${shell.version}`).toEqual(want);
  const py = withPython(file, names);
  expect(py.counts, `python3 sqlite3 ${py.version}`).toEqual(want);
}

describe('a case file other programs read', () => {
  it('needs the system sqlite3 shell and python3 to check it', () => {
    expect(
      existsSync(SHELL),
      `${SHELL} is missing: install Debian's shell (apt-get install -y sqlite3) or set SQLITE3_PATH`,
    ).toBe(true);
    const py = spawnSync(PYTHON, ['-c', 'import sqlite3'], { encoding: 'utf8' });
    expect(
      py.error?.message ?? py.stderr,
      `${PYTHON} with its sqlite3 module is needed (apt-get install -y python3)`,
    ).toBe('');
  });

  it('the demo case file: every table and view counted, and the search index matched, by Debian sqlite3 and Python sqlite3', () => {
    const f = join(tempDir(), 'demo.casefile');
    expect(cli('new', f, '--demo').status).toBe(0);
    checkReadable(f);
  }, 120_000);

  it('a case file with ACLED and GTD imports: every table and view counted, and the search index matched, by Debian sqlite3 and Python sqlite3', () => {
    const f = join(tempDir(), 'imported.casefile');
    expect(cli('new', f).status).toBe(0);
    for (const data of ['acled-current.csv', 'gtd-utf8.csv']) {
      const r = cli('import', f, join(FIXTURES, data), '--json');
      expect(r.status, r.stderr).toBe(0);
    }
    checkReadable(f);
  }, 120_000);

  it('a case file of schema 6, which Debian sqlite3 could not read, is readable once Casefile has opened (and migrated) it', () => {
    const f = join(tempDir(), 'schema6.casefile');
    const db = new Database(f);
    migrate(db, 0, 6);
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, description, country) VALUES
      ('0190a6f0-0000-7000-8000-000000000001', 't', 't', 'a', '0000000000000-000000-aaaaaaaaaaaa', 'الكِتَابُ', 'Afghanistan');
      INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild')`);
    db.close();
    const before = spawnSync(SHELL, [`file:${f}?mode=ro`, 'SELECT count(*) FROM incidents'], { encoding: 'utf8' });
    expect(before.stderr + before.stdout).toMatch(/parser stack overflow|^1\n$/);
    openCaseFileDb(f).close();
    checkReadable(f);
  });
});
