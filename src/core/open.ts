import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CasefileError, refuse } from './errors';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { ensureSummaries } from './dashboard/summaries';

export type Db = Database.Database;
export type OpenOptions = { nativeBinding?: string };

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** Internal tables SQLite itself creates; their contents are checked by quick_check. */
const SQLITE_INTERNAL = /^sqlite_(autoindex_.+|sequence|stat1|stat4)$/;

type SchemaEntry = { type: string; name: string; sql: string | null };
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
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as SchemaEntry[];
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

/**
 * Larger than this is refused before anything reads it. It bounds how long the integrity check of
 * a received file may run (its time limit grows with the size), not what an analyst may keep: a
 * global ACLED history with its sources, citations and change log is several GB, and the app must
 * reopen every file it wrote itself. 32 GB is far above that and far below SQLite's own limit.
 */
/** Sets a meta key, new or not (a CaseFile's connection or the import worker's). */
export function putMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export const MAX_CASE_FILE_BYTES = 32 * 1024 ** 3;

/**
 * How strict an inspection is. A file someone else sent (`received`) must also have a size that
 * matches its header exactly: SQLite would silently ignore trailing bytes, we refuse them.
 */
export type InspectMode = { received?: boolean; /** quick_check already passed, and the summaries were checked, in a worker just now */ verified?: boolean };

/** The schema check failed: lists what was found, so a caller can offer to import by copying. */
export class SchemaRefusal extends CasefileError {
  constructor(
    message: string,
    readonly found: string[],
  ) {
    super('refused', message);
  }
}

/** A file's size and first 100 bytes, after the checks that need nothing else. */
function readHeadOnce(path: string, name: string): { size: number; head: Buffer } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw refuse(`${name} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CasefileError) throw e;
    throw new CasefileError('not_found', `${name}: no such file`);
  }
  if (size < 512) throw refuse(`${name} is not a Casefile case file (${size === 0 ? 'empty' : 'too short to be a database'})`);
  if (size > MAX_CASE_FILE_BYTES) throw refuse(`${name} is ${gb(size)}; Casefile opens case files up to ${gb(MAX_CASE_FILE_BYTES)}`);
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw refuse(`${name} is not a Casefile case file (not an SQLite database)`);
  return { size, head };
}

const shortBy = ({ size, head }: { size: number; head: Buffer }): boolean => {
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  return pageSize > 0 && pages > 0 && size < pageSize * pages;
};

/**
 * readHeadOnce, tolerant of a checkpoint in progress: while another connection (an import's
 * worker, just finished) copies its write-ahead log into the file, page 1 already carries the new
 * page count and the file grows to it page by page. A file shorter than its header with a live,
 * non-empty log beside it is read again while it keeps growing (a large checkpoint takes seconds),
 * and is called truncated once it has not grown for two seconds.
 */
function readHead(path: string, name: string): { size: number; head: Buffer } {
  let r = readHeadOnce(path, name);
  let until = Date.now() + 2000;
  while (shortBy(r) && walInUse(path) && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    const before = r.size;
    r = readHeadOnce(path, name);
    if (r.size > before) until = Date.now() + 2000;
  }
  return r;
}

function walInUse(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Everything Casefile checks before it trusts a file, on a read-only connection: size and header,
 * trusted_schema off, identity and version, the schema allowlist, then quick_check (every row it
 * returns). Throws a CasefileError naming what was wrong; never writes. Returns the schema version.
 *
 * The allowlist runs before quick_check, not after (the house style's order): quick_check
 * evaluates every CHECK constraint of every row, so on a hostile schema it would run the sender's
 * expressions (a CHECK or a generated column can allocate a gigabyte per row). Reading
 * sqlite_master evaluates nothing; after an exact match only Casefile's own expressions run.
 */
export function inspectCaseFile(path: string, opts: OpenOptions = {}, mode: InspectMode = {}): number {
  const name = basename(path);
  const { size, head } = readHead(path, name);
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  if (shortBy({ size, head })) throw refuse(`${name} is damaged: it is truncated (${size} bytes, the header says ${pageSize * pages})`);
  // The in-header size is authoritative only when its "valid-for" counter matches (SQLite >= 3.7).
  const sizeValid = head.readUInt32BE(92) === head.readUInt32BE(24);
  if (mode.received && sizeValid && pages > 0 && size !== pageSize * pages) {
    throw refuse(`${name} is damaged: its size (${size} bytes) does not match its header (${pages} pages of ${pageSize} bytes)`);
  }

  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, ...opts });
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
      throw refuse(`${name} was made by a newer Casefile (schema version ${version}; this version reads up to ${SCHEMA_VERSION}). Update Casefile to open it.`);
    }
    if (version < 1) throw refuse(`${name} is not a Casefile case file (no schema)`);
    checkSchema(db, version, name, opts);
    if (mode.verified) return version;
    let problems: string[];
    try {
      problems = (db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]).map((r) => r.quick_check);
    } catch (e) {
      throw refuse(`${name} is damaged: ${(e as Error).message}`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw refuse(`${name} is damaged: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more problems)` : ''}`);
    }
    return version;
  } finally {
    db.close();
  }
}

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

function checkSchema(db: Db, version: number, name: string, opts: OpenOptions): void {
  const expected = expectedSchema(version, opts);
  let actual: SchemaEntry[];
  try {
    actual = readSchema(db);
  } catch (e) {
    throw refuse(`${name} is damaged: ${(e as Error).message}`);
  }
  const seen = new Set<string>();
  const foreign: string[] = [];
  const altered: string[] = [];
  for (const e of actual) {
    if (SQLITE_INTERNAL.test(e.name)) continue;
    const k = `${e.type}:${e.name}`;
    const want = expected.get(k);
    if (!want) foreign.push(`${e.type} "${clip(e.name)}"`);
    else if (want.sql !== e.sql) altered.push(`${e.type} "${clip(e.name)}"`);
    seen.add(k);
  }
  if (foreign.length > 0) {
    const more = foreign.length > 1 ? `, and also ${listOf(foreign.slice(1))}` : '';
    throw new SchemaRefusal(`${name} contains a ${foreign[0]} that Casefile did not create${more}; it was not opened`, [...foreign.map((f) => `a ${f} Casefile did not create`), ...altered.map((a) => `a changed ${a}`)]);
  }
  if (altered.length > 0) {
    const more = altered.length > 1 ? ` (and ${listOf(altered.slice(1))})` : '';
    throw new SchemaRefusal(`${name}: the ${altered[0]} differs from the one Casefile creates${more}; it was not opened`, altered.map((a) => `a changed ${a}`));
  }
  for (const [k, e] of expected) {
    if (!seen.has(k) && !SQLITE_INTERNAL.test(e.name)) throw refuse(`${name} is damaged: the ${k.replace(':', ' "')}" is missing`);
  }
}

/** Names from a foreign file go into messages: keep them short and on one line. */
const clip = (s: string) => [...s.slice(0, 60)].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');

function listOf(items: string[]): string {
  const shown = items.slice(0, 3).map((x) => `a ${x}`);
  return items.length > 3 ? `${shown.join(', ')} and ${items.length - 3} more` : shown.join(', ');
}

/**
 * Opens a case file for work: inspect, back up and migrate an older file, then WAL and foreign
 * keys on the read-write connection.
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
    // A file from elsewhere may carry summaries that disagree with its incidents: rebuilt if so,
    // unless the worker that verified the file just now did that (Session.openChecked).
    if (!mode.verified) ensureSummaries(db);
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
export function openCaseFileReadOnly(path: string, opts: OpenOptions = {}, mode: InspectMode = {}): { db: Db; version: number } {
  const version = inspectCaseFile(path, opts, mode);
  const db = new Database(path, { readonly: true, fileMustExist: true, ...opts });
  db.pragma('trusted_schema = OFF');
  return { db, version };
}
