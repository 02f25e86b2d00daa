import Database from 'better-sqlite3';
import { constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CasefileError, refuse } from '../errors';
import { privateRunDir } from '../export/private-temp';
import { bytes, declaredBytes, readHead, readWalHead } from '../db/open-header';
import {
  MAX_CASE_FILE_BYTES,
  SchemaRefusal,
  inspectCaseFile,
  openCaseFileDb,
  type Db,
  type OpenOptions,
} from '../db/open';
import { ensureSummaries, rebuildSummaries } from '../dashboard/summaries';
import { SCHEMA_VERSION } from '../db/migrations';
import type { TaskOptions } from '../tasks/run-task';
import type { TaskResultOf } from '../tasks/protocol';
import { runKillable, Stopped, TimedOut } from './probe';
import type { ExchangeTaskRequest } from './tasks';

/**
 * A case file from someone else is checked in a separate process with a time limit, so that
 * nothing in it can hold the app: better-sqlite3 has no way to interrupt a statement (and this
 * SQLite is built without progress callbacks); a worker thread cannot be stopped inside one
 * either, a process can. The check itself never runs the sender's SQL (see inspectCaseFile:
 * the schema allowlist comes before anything evaluates an expression); the limit is the second
 * line of defence.
 */

/** Refused because of what the file contains; `importable`: its known tables could be copied instead. */
export class ReceivedRefusal extends CasefileError {
  constructor(
    message: string,
    readonly found: string[],
    readonly importable: boolean,
  ) {
    super('refused', message);
  }
}

export type InspectResult =
  { ok: true; version: number; wrote: boolean } | { ok: false; message: string; found: string[] };
export type CheckOptions = TaskOptions & { timeoutMs?: number };

/** Time allowed for checking a file of this size: generous, since quick_check reads every page. */
export function checkTimeout(bytes: number): number {
  return 20_000 + Math.ceil(bytes / (25 * 1024 * 1024)) * 1000;
}

/**
 * Runs a task on an unchecked file in a child process with a time limit: on timeout (or cancel)
 * the process is killed, whatever SQLite is doing, and a refusal says so.
 */
export async function runWithTimeout<R extends ExchangeTaskRequest>(
  req: R,
  what: string,
  ms: number,
  opts: TaskOptions = {},
): Promise<TaskResultOf<R>> {
  try {
    return await runKillable(req, ms, opts);
  } catch (e) {
    if (e instanceof TimedOut)
      throw refuse(
        `${what} took longer than ${Math.round(ms / 1000)} s and was stopped; nothing was opened or changed`,
      );
    // A file that makes the checking process die is refused like any other damaged file.
    if (e instanceof Stopped)
      throw refuse(`${what} stopped unexpectedly (${e.message}); nothing was opened or changed`);
    throw e;
  }
}

/**
 * Worker side: the open path's inspection, with a schema refusal returned as data (its list
 * survives the thread boundary). With `migrate`, also what opening needs done off the event loop:
 * an older file upgraded, and (for a file opened as the case file, not a received copy) the
 * dashboard's summaries brought in step with the incidents (a rebuild at a million incidents
 * takes half a minute). `wrote`: the file was changed here.
 */
export function inspectInWorker(
  path: string,
  opts: OpenOptions,
  mode: { received: boolean; migrate: boolean; rebuild?: boolean },
): InspectResult {
  try {
    if (mode.received) applyLog(path, opts);
    const version = inspectCaseFile(path, opts, { received: mode.received });
    if (!mode.migrate) return { ok: true, version, wrote: false };
    // An older file is backed up and upgraded (a received private copy in its temp folder, the
    // analyst's own file in place and in WAL). The current schema: a plain connection.
    let db: Db;
    if (version < SCHEMA_VERSION) db = openCaseFileDb(path, opts, { received: mode.received, verified: true });
    else {
      db = new Database(path, { fileMustExist: true, ...opts });
      db.pragma('trusted_schema = OFF');
      db.pragma('busy_timeout = 2000');
    }
    let wrote = version < SCHEMA_VERSION;
    try {
      if (mode.rebuild) {
        // Someone else's summaries may agree with the totals and lie per group: refilled from
        // the incidents (migration 004 has just filled them when the file was older).
        if (version >= 4) rebuildSummaries(db);
        wrote = true;
      } else if (!mode.received && ensureSummaries(db)) wrote = true;
      // A received private copy's summaries are left as they came: a merge reads its rows, never
      // its summaries (the merged rows update this file's own, row by row), and refilling them
      // took as long as the rest of the check (20 s at a million incidents).
      //
      // A private copy leaves WAL mode (its -wal, if it came with one, is checkpointed into it)
      // so that read-only connections of it need nothing beside it.
      if (mode.received) db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    return { ok: true, version, wrote };
  } catch (e) {
    if (e instanceof SchemaRefusal) return { ok: false, message: e.message, found: e.found };
    throw e;
  }
}

/**
 * A received private copy takes in the -wal that came with it before anything is checked: the
 * checkpoint only copies pages (it evaluates nothing of the file's schema), and afterwards the
 * header, the schema and integrity_check all see one file, as it will be used. A file whose
 * checkpoint was cut off by a crash (shorter than its header, its log holding the rest) is
 * completed here; one its log does not complete stays short and is refused as truncated.
 */
function applyLog(path: string, opts: OpenOptions): void {
  if (!existsSync(`${path}-wal`)) return;
  let db: Db | null = null;
  try {
    db = new Database(path, { fileMustExist: true, ...opts });
    db.pragma('trusted_schema = OFF');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    throw refuse(`${basename(path)} is damaged: its -wal could not be applied (${(e as Error).message})`);
  } finally {
    db?.close();
  }
}

function sizeOf(path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CasefileError('not_found', `${basename(path)}: no such file`);
  }
  if (!st.isFile()) throw refuse(`${basename(path)} is not a file`);
  if (st.size > MAX_CASE_FILE_BYTES)
    throw refuse(
      `${basename(path)} is ${(st.size / 1024 ** 3).toFixed(1)} GB; Casefile opens case files up to ${MAX_CASE_FILE_BYTES / 1024 ** 3} GB`,
    );
  return st.size;
}

/**
 * A received file is refused by what its header declares before anything copies it: a file
 * longer than its header (trailing bytes SQLite would ignore; a sparse file of gigabytes holding a
 * few pages takes seconds to copy and then fails the check anyway), a declared size over the
 * limit, or a file shorter than its header with no -wal beside it that could hold the pages it
 * lacks (a crash in a checkpoint leaves a short file whose log completes it: that one is taken).
 */
function checkBeforeCopy(path: string): { walBytes: number } {
  const name = basename(path);
  const head = readHead(path, name);
  const log = readWalHead(path);
  const walBytes = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
  if (head.size + walBytes > MAX_CASE_FILE_BYTES)
    throw refuse(`${name} and its -wal file are larger than ${bytes(MAX_CASE_FILE_BYTES)}; it was not opened`);
  const declared = declaredBytes(head);
  const pages = `${head.pages} pages of ${head.pageSize} bytes`;
  if (declared > MAX_CASE_FILE_BYTES)
    throw refuse(
      `${name} declares ${bytes(declared)} in its header (${pages}); Casefile opens case files up to ${bytes(MAX_CASE_FILE_BYTES)}; nothing was copied`,
    );
  if (head.size > declared) {
    throw refuse(
      `${name} is damaged: its size (${head.size} bytes) does not match its header (${pages}): the file is ${bytes(head.size)} long, its header declares ${bytes(declared)}; nothing was copied`,
    );
  }
  if (head.size < declared && (!log || head.size + log.frames * log.pageSize < declared)) {
    const why = log ? 'the -wal beside it holds too few pages to complete it' : 'no -wal beside it completes it';
    throw refuse(
      `${name} is damaged: it is truncated (${head.size} bytes, the header says ${declared}), and ${why}; nothing was copied`,
    );
  }
  return { walBytes };
}

/** Checks a file in a worker; resolves with its schema version or rejects with what is wrong. */
export async function checkCaseFile(
  path: string,
  opts: CheckOptions & { received?: boolean; migrate?: boolean; rebuild?: boolean } = {},
): Promise<number> {
  return (await prepareCaseFile(path, opts)).version;
}

/**
 * checkCaseFile, telling also whether the worker wrote to the file (upgraded it, or rebuilt its
 * summaries). `rebuild` (with `migrate`): the summaries are refilled even when their totals agree,
 * for a file from someone else opened in place. With `migrate` the time limit is doubled: a summaries rebuild after the check
 * (only Casefile's own SQL, once the schema matched) can take as long as quick_check.
 */
export async function prepareCaseFile(
  path: string,
  opts: CheckOptions & { received?: boolean; migrate?: boolean; rebuild?: boolean } = {},
): Promise<{ version: number; wrote: boolean }> {
  const size = sizeOf(path);
  const r = await runWithTimeout(
    {
      kind: 'exchange-inspect',
      path,
      received: opts.received ?? false,
      migrate: opts.migrate ?? false,
      rebuild: opts.rebuild ?? false,
    },
    `Checking ${basename(path)}`,
    opts.timeoutMs ?? checkTimeout(size) * (opts.migrate ? 2 : 1),
    opts,
  );
  if (!r.ok) throw new ReceivedRefusal(r.message, r.found, true);
  return { version: r.version, wrote: r.wrote };
}

export type Received = { path: string; name: string; version: number; dispose: () => void };

/**
 * Takes in a file someone sent: a private copy (later changes to the original cannot slip in
 * between check and use), checked strictly in a worker, brought up to this version's schema and
 * out of WAL mode. The copy takes the file's -wal beside it when there is one: a file copied
 * while its app was open keeps recent commits there (SQLite replays it when reading; it is checked
 * like the rest). Never its -journal: a rollback journal is applied only to the file it belongs to.
 * The caller reads the copy and disposes of it.
 */
export async function receiveCaseFile(path: string, opts: CheckOptions = {}): Promise<Received> {
  const { walBytes } = checkBeforeCopy(path);
  const name = basename(path);
  // In this process's private folder (0700), which the next start sweeps if this run is killed.
  const dir = mkdtempSync(join(privateRunDir(), 'received-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  // The copy keeps the file's name, so that messages name what the user chose.
  const copy = join(dir, name === '.' || name === '..' || name === '' ? 'received.casefile' : name);
  try {
    await copyFile(path, copy, constants.COPYFILE_EXCL);
    if (walBytes > 0) await copyFile(`${path}-wal`, `${copy}-wal`, constants.COPYFILE_EXCL);
    if (opts.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
    const version = await checkCaseFile(copy, { ...opts, received: true, migrate: true });
    return { path: copy, name, version, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
