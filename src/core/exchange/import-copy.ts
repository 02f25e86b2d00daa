import Database from 'better-sqlite3';
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { LOGGED_TABLES, Uuid, type TableName } from '../../shared/domain/common';
import { FIELDS, validateRow, type Field, type RowValues } from '../../shared/domain/fields';
import { refuse } from '../errors';
import { decodeHlc } from '../hlc';
import { rebuildSearch } from '../db/search';
import { rebuildSummaries } from '../dashboard/summaries';
import { createCaseFileDb, MAX_CASE_FILE_BYTES, type Db, type OpenOptions } from '../db/open';
import type { TaskOptions } from '../tasks/run-task';
import { extraFields, extraValue } from './fields';
import { checkTimeout, runWithTimeout } from './received';
import { writeLogEntry, type LogEntry } from '../write/change-log';

/**
 * "Import by copying": a file that was refused for holding a trigger, view or table Casefile did
 * not make can still give up its data. Its rows are read, column by column, only from objects that
 * are real tables under a name Casefile uses, and only from their ordinary columns (a generated
 * column, a view posing as a table, or a virtual table is never read, so no expression of the
 * sender's runs); each row is validated like an edit; it is written into a new case file that
 * Casefile creates. The sender's triggers, views and extra tables are not copied. Runs in a
 * worker with a time limit, into a temporary file renamed into place at the end.
 */

export type Copied = { copied: Record<string, number>; skipped: string[] };
type Progress = (done: number, total: number | null, message: string) => void;

const META = ['id', 'created_at', 'updated_at', 'author', 'hlc'] as const;
const ATTACHMENT_COLS = ['source_id', 'name', 'media_type', 'size', 'sha256', 'data', 'text'] as const;
const ORDER: readonly (TableName | 'attachments')[] = [
  'sources',
  'incidents',
  'plots',
  'figures',
  'notes',
  'citations',
  'annotations',
  'aliases',
  'attachments',
];
const MAX_SKIP_MESSAGES = 50;
const q = (name: string) => `"${name}"`;

/** Worker side. */
export function copyKnownRows(source: string, target: string, opts: OpenOptions, progress: Progress): Copied {
  const src = new Database(source, { readonly: true, fileMustExist: true, ...opts });
  src.pragma('trusted_schema = OFF');
  const dst = createCaseFileDb(target, opts);
  const skipped: string[] = [];
  let skippedRows = 0;
  const skip = (m: string) => {
    skippedRows++;
    if (skipped.length < MAX_SKIP_MESSAGES) skipped.push(m);
  };
  const copied: Record<string, number> = {};
  try {
    dst.pragma('journal_mode = DELETE');
    const schema = new Map(
      (
        src.prepare("SELECT type, name, sql FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
          sql: string | null;
        }[]
      ).map((e) => [e.name, e.sql ?? '']),
    );
    for (const [i, t] of ORDER.entries()) {
      progress(i, ORDER.length + 1, `Copying ${t}`);
      const cols =
        t === 'attachments'
          ? [...META, ...ATTACHMENT_COLS]
          : [...META, ...(FIELDS[t] as readonly Field[]).map((f) => f.name)];
      const why = unreadable(src, schema, t, cols);
      if (why) {
        skipped.push(`${t}: ${why}; none of its rows were copied`);
        copied[t] = 0;
        continue;
      }
      // Columns a later schema added (an older file lacks them): copied when they are there.
      if (t !== 'attachments')
        for (const f of extraFields(t)) if (!unreadable(src, schema, t, [f.name])) cols.push(f.name);
      const page = src.prepare(
        `SELECT rowid AS _r, ${cols.map(q).join(', ')} FROM ${q(t)} WHERE rowid > ? ORDER BY rowid LIMIT 1000`,
      );
      const ins = dst.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      let n = 0;
      dst.transaction(() => {
        for (let after = Number.MIN_SAFE_INTEGER; ;) {
          const rows = page.all(after) as (RowValues & { _r: number })[];
          if (rows.length === 0) break;
          after = rows.at(-1)!._r;
          for (const r of rows) {
            const problem = t === 'attachments' ? checkAttachment(r) : checkRow(t, r);
            if (problem) {
              skip(`${t} ${String(r.id).slice(0, 36)}: ${problem}`);
              continue;
            }
            if (t !== 'attachments') for (const f of extraFields(t)) r[f.name] = extraValue(r[f.name]);
            try {
              ins.run(...cols.map((c) => r[c] as string | number | Buffer | null));
              n++;
            } catch (e) {
              skip(`${t} ${String(r.id)}: ${(e as Error).message}`);
            }
          }
        }
      })();
      copied[t] = n;
    }
    progress(ORDER.length, ORDER.length + 1, 'Copying the history');
    copied.change_log = copyLog(src, dst, schema);
    const title = readTitle(src, schema);
    if (title) dst.prepare("INSERT INTO meta (key, value) VALUES ('title', ?)").run(title);
    rebuildSearch(dst);
    // The rows went in without Tx: the dashboard's summaries are filled once from them.
    rebuildSummaries(dst);
  } finally {
    src.close();
    dst.close();
  }
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (skippedRows > skipped.length) skipped.push(`… and ${skippedRows - skipped.length} more rows`);
  return { copied, skipped };
}

/** Why a table of the sender's file cannot be read safely, or null. */
function unreadable(src: Db, schema: Map<string, string>, t: string, cols: readonly string[]): string | null {
  const sql = schema.get(t);
  if (sql === undefined) return 'it is not a table in this file (missing, or a view posing as one)';
  if (/^\s*CREATE\s+VIRTUAL/i.test(sql)) return 'it is a virtual table';
  let info: { name: string; hidden: number }[];
  try {
    info = src.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(t) as { name: string; hidden: number }[];
  } catch (e) {
    return `it cannot be read (${(e as Error).message})`;
  }
  for (const c of cols) {
    const col = info.find((x) => x.name === c);
    if (!col) return `it has no column "${c}"`;
    if (col.hidden !== 0) return `its column "${c}" is computed`;
  }
  return null;
}

const META_TEXT = /^[\x20-\x7e]{1,40}$/;

function checkRow(t: TableName, r: RowValues): string | null {
  if (!Uuid.safeParse(r.id).success) return 'its id is not a UUID';
  for (const k of ['created_at', 'updated_at'] as const)
    if (typeof r[k] !== 'string' || !META_TEXT.test(r[k])) return `${k} is not a time`;
  if (typeof r.author !== 'string' || r.author.length > 200) return 'its author is not a name';
  if (typeof r.hlc !== 'string' || !hlcOk(r.hlc)) return 'its clock value is not readable';
  return validateRow(t, r)?.message ?? null;
}

function checkAttachment(r: RowValues): string | null {
  if (!Uuid.safeParse(r.id).success) return 'its id is not a UUID';
  if (
    typeof r.name !== 'string' ||
    r.name.length > 1000 ||
    typeof r.media_type !== 'string' ||
    r.media_type.length > 200
  )
    return 'its name or type is not text';
  // No bytes: held on the team hub (schema 9); the row and its text come, the bytes are fetched when opened.
  if (r.data === null)
    return Number.isSafeInteger(r.size) && typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/.test(r.sha256)
      ? null
      : 'its size or checksum is not readable';
  if (!(r.data instanceof Buffer)) return 'it holds no file';
  if (r.size !== r.data.length) return 'its size does not match its content';
  if (r.sha256 !== createHash('sha256').update(r.data).digest('hex')) return 'its checksum does not match its content';
  return null;
}

function hlcOk(s: string): boolean {
  try {
    decodeHlc(s);
    return true;
  } catch {
    return false;
  }
}

/** Their history, entry by entry, for tables Casefile knows, when each entry is well-formed. */
function copyLog(src: Db, dst: Db, schema: Map<string, string>): number {
  const cols = ['seq', 'hlc', 'txn', 'author', 'tbl', 'row_id', 'op', 'field', 'before', 'after'];
  if (unreadable(src, schema, 'change_log', cols)) return 0;
  const page = src.prepare(`SELECT ${cols.map(q).join(', ')} FROM "change_log" WHERE seq > ? ORDER BY seq LIMIT 2000`);
  const text = (v: unknown, max: number) => v === null || (typeof v === 'string' && v.length <= max);
  let n = 0;
  dst.transaction(() => {
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const rows = page.all(after) as Record<string, unknown>[];
      if (rows.length === 0) break;
      after = rows.at(-1)!.seq as number;
      for (const e of rows) {
        const ok =
          typeof e.hlc === 'string' &&
          hlcOk(e.hlc) &&
          typeof e.txn === 'string' &&
          e.txn.length <= 64 &&
          typeof e.author === 'string' &&
          e.author.length <= 200 &&
          (LOGGED_TABLES as readonly unknown[]).includes(e.tbl) &&
          Uuid.safeParse(e.row_id).success &&
          ['insert', 'update', 'delete'].includes(e.op as string) &&
          text(e.field, 64) &&
          text(e.before, 2_000_000) &&
          text(e.after, 2_000_000);
        if (!ok) continue;
        writeLogEntry(dst, e as LogEntry);
        n++;
      }
    }
  })();
  return n;
}

function readTitle(src: Db, schema: Map<string, string>): string | null {
  if (unreadable(src, schema, 'meta', ['key', 'value'])) return null;
  const r = src.prepare(`SELECT "value" v FROM "meta" WHERE "key" = 'title'`).get() as { v: unknown } | undefined;
  return typeof r?.v === 'string' ? r.v.slice(0, 200) : null;
}

/**
 * Main side: copies what can be copied of `path` into a new case file at `outPath` (which must
 * not exist). The source is read from a private copy, in a worker, with a time limit.
 */
export async function importByCopying(
  path: string,
  outPath: string,
  opts: TaskOptions & { timeoutMs?: number } = {},
): Promise<Copied & { path: string }> {
  const out = resolve(outPath);
  if (existsSync(out)) throw refuse(`${basename(out)} already exists; choose another name`);
  if (!existsSync(dirname(out))) throw refuse(`${basename(out)}: the folder ${dirname(out)} does not exist`);
  if (!existsSync(path)) throw refuse(`${basename(path)}: no such file`);
  if (statSync(path).size > MAX_CASE_FILE_BYTES)
    throw refuse(`${basename(path)} is larger than ${MAX_CASE_FILE_BYTES / 1024 ** 3} GB; it was not imported`);
  const dir = mkdtempSync(join(tmpdir(), 'casefile-import-'));
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const copy = join(dir, 'received.casefile');
    await copyFile(path, copy, constants.COPYFILE_EXCL);
    const size = statSync(copy).size;
    const r = await runWithTimeout(
      { kind: 'exchange-import-copy', source: copy, target: tmp },
      `Copying ${basename(path)}`,
      opts.timeoutMs ?? checkTimeout(size) * 3,
      opts,
    );
    renameSync(tmp, out);
    return { ...r, path: out };
  } finally {
    for (const s of ['', '-journal', '-wal', '-shm']) rmSync(tmp + s, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
