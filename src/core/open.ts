import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CasefileError, refuse } from './errors';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations';

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
 * Everything Casefile checks before it trusts a file, on a read-only connection, in the order
 * the house style gives: trusted_schema off, quick_check (every row it returns), identity and
 * version, then the schema allowlist. Throws a CasefileError naming what was wrong; never writes.
 * Returns the file's schema version.
 */
export function inspectCaseFile(path: string, opts: OpenOptions = {}): number {
  const name = basename(path);
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
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw refuse(`${name} is not a Casefile case file (not an SQLite database)`);
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  if (pageSize > 0 && pages > 0 && size < pageSize * pages) {
    throw refuse(`${name} is damaged: it is truncated (${size} bytes, the header says ${pageSize * pages})`);
  }

  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, ...opts });
  } catch (e) {
    throw refuse(`${name} cannot be opened: ${(e as Error).message}`);
  }
  try {
    db.pragma('trusted_schema = OFF');
    let problems: string[];
    try {
      problems = (db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]).map((r) => r.quick_check);
    } catch (e) {
      throw refuse(`${name} is damaged: ${(e as Error).message}`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw refuse(`${name} is damaged: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more problems)` : ''}`);
    }
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw refuse(`${name} is an SQLite database but not a Casefile case file`);
    if (version > SCHEMA_VERSION) {
      throw refuse(`${name} was made by a newer Casefile (schema version ${version}; this version reads up to ${SCHEMA_VERSION}). Update Casefile to open it.`);
    }
    if (version < 1) throw refuse(`${name} is not a Casefile case file (no schema)`);
    checkSchema(db, version, name, opts);
    return version;
  } finally {
    db.close();
  }
}

function checkSchema(db: Db, version: number, name: string, opts: OpenOptions): void {
  const expected = expectedSchema(version, opts);
  const seen = new Set<string>();
  for (const e of readSchema(db)) {
    if (SQLITE_INTERNAL.test(e.name)) continue;
    const k = `${e.type}:${e.name}`;
    const want = expected.get(k);
    if (!want) throw refuse(`${name} contains a ${e.type} "${e.name}" that Casefile did not create; it was not opened`);
    if (want.sql !== e.sql) throw refuse(`${name}: the ${e.type} "${e.name}" differs from the one Casefile creates; it was not opened`);
    seen.add(k);
  }
  for (const [k, e] of expected) {
    if (!seen.has(k) && !SQLITE_INTERNAL.test(e.name)) throw refuse(`${name} is damaged: the ${k.replace(':', ' "')}" is missing`);
  }
}

/**
 * Opens a case file for work: inspect, back up and migrate an older file, then WAL and foreign
 * keys on the read-write connection.
 */
export function openCaseFileDb(path: string, opts: OpenOptions = {}): Db {
  const version = inspectCaseFile(path, opts);
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
export function openCaseFileReadOnly(path: string, opts: OpenOptions = {}): { db: Db; version: number } {
  const version = inspectCaseFile(path, opts);
  const db = new Database(path, { readonly: true, fileMustExist: true, ...opts });
  db.pragma('trusted_schema = OFF');
  return { db, version };
}
