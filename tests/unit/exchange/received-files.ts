import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run } from '../../../src/cli/main';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { prepareMerge } from '../../../src/core/exchange/merge';
import type { Db } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { session, tempDir } from '../../helpers';

/**
 * Files a colleague (or someone posing as one) might send, made at run time from a clean export
 * of the demo case, and the checks that every way in refuses them.
 */

/** A clean export of the demo, in a folder of its own (the helpers' folders go after each test). */
export async function cleanExport(): Promise<{ clean: string; dispose: () => void }> {
  const { s, file } = session({ demo: true });
  const dir = mkdtempSync(join(tmpdir(), 'casefile-received-test-'));
  const clean = join(dir, 'clean.casefile');
  await exportCaseFile(file, clean, { checked: true });
  s.close();
  return { clean, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of `from` named `name`, changed by `build` on a raw connection that may write the schema. */
export function fixture(from: string, name: string, build?: (db: Db) => void): string {
  const f = join(tempDir(), name);
  copyFileSync(from, f);
  if (build) {
    const db = new Database(f);
    db.unsafeMode(true); // how a hostile file is made: writable_schema needs it
    try {
      build(db);
    } finally {
      db.close();
    }
  }
  return f;
}

/**
 * A copy of `from` whose changes by `build` are all in a -wal beside it: the file itself is the
 * clean one, the log holds the rest (copied while the connection that wrote it was open, as a
 * file copied out from under a running app).
 */
export function fixtureInWal(from: string, name: string, build: (db: Db) => void): string {
  const work = fixture(from, `work-${name}`);
  const db = new Database(work);
  db.unsafeMode(true);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    const f = join(tempDir(), name);
    copyFileSync(work, f); // before the changes: in WAL mode, with nothing in its log
    build(db);
    copyFileSync(`${work}-wal`, `${f}-wal`);
    return f;
  } finally {
    db.close();
  }
}

/** Renames a schema object, in sqlite_master and in its SQL, the way writable_schema allows. */
export function rename(db: Db, from: string, to: string): void {
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.pragma('writable_schema = ON');
  // A view's tbl_name is its own name; a trigger's is its table's.
  db.prepare(
    "UPDATE sqlite_master SET name = @to, tbl_name = iif(type = 'view', @to, tbl_name), sql = replace(sql, @from, @to) WHERE name = @from",
  ).run({ to, from });
  db.pragma(`schema_version = ${version + 1}`);
  db.pragma('writable_schema = OFF');
}

/** The command line, in this process: its exit code, what it printed, and its one line on stderr. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => {
    err += String(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await run(args, (s) => lines.push(s));
    return { code, out: lines.join('\n'), err };
  } finally {
    process.stderr.write = write;
  }
}

/** A file and its -wal, as digests of their bytes (a deep compare of megabytes would take minutes). */
export const bytesOf = (path: string) =>
  [path, `${path}-wal`].map((p) =>
    existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent',
  );

/**
 * Every way a file comes in refuses it with `message`: `info`, Open (on this thread and in the
 * checked worker), Merge (the received-file check) and `casefile merge`; the analyst's open file
 * (with an unsaved-looking edit in its log) and the refused file stay byte for byte as they were.
 */
export async function refusedEverywhere(file: string, message: RegExp): Promise<void> {
  const { s } = session({ demo: true });
  const [a] = s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').all() as { id: string }[];
  s.caseFile.update('incidents', a!.id, { fatalities: 3 });
  const mine = s.caseFile.path;
  const before = bytesOf(mine);
  const sent = bytesOf(file);
  try {
    const info = await cli('info', file, '--json');
    expect(info.code).toBe(1);
    expect(info.err).toMatch(message);
    const other = new Session(join(tempDir(), 'config'), 'browser');
    expect(() => other.open(file)).toThrow(message);
    other.close();
    await expect(prepareMerge(mine, file)).rejects.toThrow(message);
    await expect(s.openChecked(file)).rejects.toThrow(message);
    const merge = await cli('merge', mine, file, '--prefer', 'theirs');
    expect(merge.code).toBe(1);
    expect(merge.err).toMatch(message);
    expect(s.caseFile.path).toBe(mine);
    expect(bytesOf(mine)).toEqual(before);
    expect(bytesOf(file)).toEqual(sent);
    expect(s.caseFile.get('incidents', a!.id)!.fatalities).toBe(3);
  } finally {
    s.close();
  }
}
