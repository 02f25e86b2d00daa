import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { CasefileError, refuse } from '../errors';
import { declaredBytes, isShort, readHead, type Head } from './open-header';
import { checkSchema, SchemaRefusal, type SchemaEntry } from './open-schema';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;
export type OpenOptions = { nativeBinding?: string };
export { MAX_CASE_FILE_BYTES } from './open-header';
export { SchemaRefusal } from './open-schema';

const expectedSchemas = new Map<number, Map<string, SchemaEntry>>();

/** The schema that migrations 1..version produce, as sqlite_master rows keyed by type+name. */
export function expectedSchema(version: number, opts: OpenOptions = {}): Map<string, SchemaEntry> {
  let m = expectedSchemas.get(version);
  if (!m) {
    const db = new Database(':memory:', opts);
    try {
      migrate(db, 0, version);
      m = new Map(readSchema(db).map((e) => [`${e.type}:${e.name}`, e]));
    } finally {
      db.close();
    }
    expectedSchemas.set(version, m);
  }
  return m;
}

function readSchema(db: Db): SchemaEntry[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all() as SchemaEntry[];
}

/** Applies migrations (from, to]: each in one transaction that also sets user_version. */
export function migrate(db: Db, from: number, to = SCHEMA_VERSION): void {
  for (let v = from + 1; v <= to; v++) {
    const sql = MIGRATIONS[v - 1]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v}`);
      if (v === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
  }
}

/** Sets a meta key, new or not (a CaseFile's connection or the import worker's). */
export function putMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

/**
 * How strict an inspection is. A file someone else sent (`received`) must also have a size that
 * matches its header exactly (SQLite would silently ignore trailing bytes, we refuse them), and
 * gets the full integrity_check: quick_check does not compare indexes with their tables, and a
 * -wal from another file placed beside it leaves exactly that disagreement, which a merge would
 * then act on.
 */
export type InspectMode = {
  received?: boolean;
  /** quick_check already passed, and the summaries were checked, in a worker just now */ verified?: boolean;
};

/** Shorter than its header; `withLog`: a -wal was beside it and did not complete it. */
class Truncated extends CasefileError {
  constructor(
    message: string,
    readonly withLog: boolean,
  ) {
    super('refused', message);
  }
}

/**
 * Everything Casefile checks before it trusts a file, on a read-only connection (query_only for a
 * received private copy, see inspectWithSqlite): size and header, trusted_schema off, identity and
 * version, the schema allowlist, then quick_check (every row it returns; integrity_check and a
 * count of unused pages for a received file). Throws a CasefileError naming what was wrong;
 * never writes. Returns the schema version.
 *
 * The allowlist runs before quick_check, not after (the house style's order): quick_check
 * evaluates every CHECK constraint of every row, so on a hostile schema it would run the sender's
 * expressions (a CHECK or a generated column can allocate a gigabyte per row). Reading
 * sqlite_master evaluates nothing; after an exact match only Casefile's own expressions run.
 *
 * A -wal beside the file is read through, as SQLite reads it: the schema and rows checked are the
 * ones the file has once its log is applied, which is what every later connection sees.
 */
export function inspectCaseFile(path: string, opts: OpenOptions = {}, mode: InspectMode = {}): number {
  const name = basename(path);
  try {
    return inspectOnce(path, name, opts, mode);
  } catch (e) {
    // Another connection may be checkpointing right now (an import's worker, just finished):
    // page 1 already carries the new page count and the file grows to it page by page. Read
    // through the log, SQLite sees the finished file; should it not (a log it cannot use), the
    // file is read again while it keeps growing, and called truncated once it has not grown for
    // two seconds.
    if (!(e instanceof Truncated) || !e.withLog || !grewToItsHeader(path, name)) throw e;
    return inspectOnce(path, name, opts, mode);
  }
}

function inspectOnce(path: string, name: string, opts: OpenOptions, mode: InspectMode): number {
  let head = readHead(path, name);
  if (isShort(head) && !walInUse(path)) {
    // A checkpoint that finished between the two reads has completed the file, then emptied its log.
    head = readHead(path, name);
    if (isShort(head)) throw new Truncated(truncated(name, head), false);
  }
  const short = isShort(head);
  if (mode.received && !short && head.size !== declaredBytes(head)) {
    throw refuse(
      `${name} is damaged: its size (${head.size} bytes) does not match its header (${head.pages} pages of ${head.pageSize} bytes)`,
    );
  }
  try {
    return inspectWithSqlite(path, name, opts, mode);
  } catch (e) {
    // Killed in the middle of a checkpoint, a file is shorter than its header and its -wal holds
    // every page it lacks: SQLite reads those from the log, and the checks above pass. When they
    // do not, what is wrong is that the log does not complete the file.
    if (
      short &&
      e instanceof CasefileError &&
      !(e instanceof SchemaRefusal) &&
      / is damaged| cannot be opened/.test(e.message)
    ) {
      throw new Truncated(`${truncated(name, head)}, and its -wal does not complete it`, true);
    }
    throw e;
  }
}

const truncated = (name: string, h: Head) =>
  `${name} is damaged: it is truncated (${h.size} bytes, the header says ${h.pages * h.pageSize})`;

function inspectWithSqlite(path: string, name: string, opts: OpenOptions, mode: InspectMode): number {
  let db: Db;
  try {
    // A received private copy is ours: opened read-write (and query_only), because SQLite keeps no
    // CHECK constraints on a read-only connection, so its integrity_check cannot verify them, and
    // a merge would then copy a value that breaks one (seen: change_log.op = 'bogus').
    db = new Database(path, { readonly: !mode.received, fileMustExist: true, ...opts });
    if (mode.received) db.pragma('query_only = ON');
  } catch (e) {
    throw refuse(`${name} cannot be opened: ${(e as Error).message}`);
  }
  try {
    db.pragma('trusted_schema = OFF');
    let appId: number;
    let version: number;
    try {
      appId = db.pragma('application_id', { simple: true }) as number;
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      throw refuse(`${name} is damaged: ${(e as Error).message}`);
    }
    if (appId !== APPLICATION_ID) throw refuse(`${name} is an SQLite database but not a Casefile case file`);
    if (version > SCHEMA_VERSION) {
      throw refuse(
        `${name} was made by a newer Casefile (schema version ${version}; this version reads up to ${SCHEMA_VERSION}). Update Casefile to open it.`,
      );
    }
    if (version < 1) throw refuse(`${name} is not a Casefile case file (no schema)`);
    let actual: SchemaEntry[];
    try {
      actual = readSchema(db);
    } catch (e) {
      throw refuse(`${name} is damaged: ${(e as Error).message}`);
    }
    checkSchema(actual, expectedSchema(version, opts), name);
    if (mode.verified) return version;
    const problems = integrityProblems(db, mode.received ? 'integrity_check' : 'quick_check', name);
    if (problems.length > 0) throw refuse(`${name} is damaged: ${summarise(problems)}`);
    if (mode.received) {
      const { unused, pages } = unusedPages(db, name);
      if (unused > 0)
        throw refuse(`${name} is damaged: ${unused} of its ${pages} pages belong to no table, index or free list`);
    }
    return version;
  } finally {
    db.close();
  }
}

/** What quick_check or integrity_check reports, every row read; empty when the file is sound. */
export function integrityProblems(db: Db, check: 'quick_check' | 'integrity_check', name: string): string[] {
  let rows: string[];
  try {
    rows = (db.prepare(`PRAGMA ${check}`).raw().all() as [string][]).map((r) => String(r[0]));
  } catch (e) {
    throw refuse(`${name} is damaged: ${(e as Error).message}`);
  }
  if (rows.length === 1 && rows[0] === 'ok') return [];
  // SQLite may return its list as one row of lines, headed "*** in database main ***", which
  // names no problem (and was all a one-line message showed).
  const lines = rows.flatMap((r) => r.split('\n')).filter((l) => l.trim() !== '');
  const problems = lines.filter((l) => !/^\*\*\* in database \S+ \*\*\*$/.test(l.trim()));
  return problems.length > 0 ? problems : lines;
}

/**
 * Pages that nothing uses. integrity_check counts them only when it checks every b-tree, and it
 * takes itself to be checking a subset when the first table in SQLite's schema hash is a virtual
 * one (a case file's FTS5 tables): a file padded with gigabytes of zero pages under a header
 * that counts them passed it. dbstat's per-tree totals read each page's header only (0.1 s at
 * 100,000 incidents, where integrity_check takes 1.9 s).
 */
function unusedPages(db: Db, name: string): { unused: number; pages: number } {
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const inTrees =
      (db.prepare('SELECT coalesce(sum(pageno), 0) FROM dbstat WHERE aggregate = TRUE').pluck().get() as number) ?? 0;
    // The page holding the byte at 1 GB is never used (SQLite's lock bytes live there).
    const lockPage = pages * (db.pragma('page_size', { simple: true }) as number) > 0x40000000 ? 1 : 0;
    return { unused: Math.max(0, pages - free - inTrees - lockPage), pages };
  } catch (e) {
    throw refuse(`${name} is damaged: ${(e as Error).message}`);
  }
}

/** The first three problems on one line, and how many more. */
export function summarise(problems: string[]): string {
  const shown = problems.slice(0, 3).map((p) => p.replace(/\s+/g, ' ').trim());
  return `${shown.join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more problems)` : ''}`;
}

/** The old wait for a checkpoint in progress: true once the file has all the pages its header counts. */
function grewToItsHeader(path: string, name: string): boolean {
  let h = readHead(path, name);
  let until = Date.now() + 2000;
  while (isShort(h) && walInUse(path) && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    const before = h.size;
    h = readHead(path, name);
    if (h.size > before) until = Date.now() + 2000;
  }
  return !isShort(h);
}

function walInUse(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Opens a case file's database: inspect, back up and migrate an older file, then WAL and foreign
 * keys on the read-write connection. What the features derive from the rows (the dashboard's
 * summaries) is checked by write/open-for-work.ts, which is what the app and the CLI call.
 */
export function openCaseFileDb(path: string, opts: OpenOptions = {}, mode: InspectMode = {}): Db {
  const version = inspectCaseFile(path, opts, mode);
  const db = new Database(path, { fileMustExist: true, ...opts });
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    if (version < SCHEMA_VERSION) {
      const backup = `${path}.v${version}-backup`;
      db.prepare('VACUUM INTO ?').run(backup);
      migrate(db, version);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Creates a new, empty case file at path (refuses to overwrite). */
export function createCaseFileDb(path: string, opts: OpenOptions = {}): Db {
  let exists = false;
  try {
    statSync(path);
    exists = true;
  } catch {
    /* does not exist: good */
  }
  if (exists) throw refuse(`${basename(path)} already exists; choose another name`);
  const db = new Database(path, opts);
  db.pragma('trusted_schema = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, 0);
  return db;
}

/** A checked, read-only connection (info, export, validation of a received file). */
export function openCaseFileReadOnly(
  path: string,
  opts: OpenOptions = {},
  mode: InspectMode = {},
): { db: Db; version: number } {
  const version = inspectCaseFile(path, opts, mode);
  const db = new Database(path, { readonly: true, fileMustExist: true, ...opts });
  db.pragma('trusted_schema = OFF');
  return { db, version };
}
