import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import type { RowValues } from '../../shared/domain/fields';
import { CasefileError } from '../errors';
import { createCaseFileDb, putMeta, type Db } from '../db/open';
import { rebuildSearch } from '../db/search';
import { writeLogEntry } from '../write/change-log';
import { copyAttachments } from './attachment-sync';
import {
  columnsOf,
  HUB_TABLES,
  hubEntryProblem,
  hubRowProblem,
  selectList,
  type HubLogEntry,
  type HubTable,
} from './columns';
import { hubError } from './connect';
import { lastPosition } from './position';

export const PAGE = 5000;

/** `pos`: the hub's last change-log position of the case in what was read (0: none); a later pull reads from there (changes.ts). */
export type Snapshot = { path: string; head: number; rows: number; entries: number; pos: number };

export const malformed = (what: string) =>
  new CasefileError(
    'refused',
    `The hub sent malformed data (${what}); nothing was changed in your case file. Tell the hub's administrator.`,
  );

/**
 * Reads one case of the hub, as of one moment (a repeatable-read transaction), into a new case
 * file at `dir/name`: the "colleague's file" that the pull then merges with the same three-way
 * merge as a file sent by mail. Every row and change-log entry is checked on the way in
 * (columns.ts); the first that fails stops the pull with what and where, before anything touches
 * the analyst's file. The copy is then checked again as any received file is.
 *
 * Read a page at a time (keyset on id, never OFFSET), so a large case is never held whole.
 */
export async function readSnapshot(client: pg.Client, caseId: string, dir: string, name: string): Promise<Snapshot> {
  const path = join(dir, name);
  const db = createCaseFileDb(path);
  let head = 0;
  let rows = 0;
  let entries = 0;
  let pos = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      head = await readCaseHead(client, db, caseId);
      for (const t of HUB_TABLES) rows += await copyTable(client, db, caseId, t);
      rows += await copyAttachments(client, db, caseId, malformed);
      entries = await copyLog(client, db, caseId);
      pos = await lastPosition(client, caseId);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    rebuildSearch(db);
    db.close();
    return { path, head, rows, entries, pos };
  } catch (e) {
    // A file this made and could not finish is not left behind as if it were the case.
    db.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    throw hubError(e, 'Reading the case from the hub');
  }
}

/**
 * The case's head and title, read inside the caller's transaction (a whole snapshot's or the
 * changes since a position: changes.ts); the title goes into the private file's meta.
 */
export async function readCaseHead(client: pg.Client, db: Db, caseId: string): Promise<number> {
  const c = await client.query<{ head: string; title: string }>(
    'SELECT head::text AS head, title FROM casefile.cases WHERE id = $1',
    [caseId],
  );
  if (!c.rows[0])
    throw new CasefileError('not_found', `The hub has no case ${caseId}, or your role has not been granted it`);
  if (typeof c.rows[0].title === 'string') putMeta(db, 'title', c.rows[0].title.slice(0, 500));
  return Number(c.rows[0].head);
}

async function copyTable(client: pg.Client, db: Db, caseId: string, t: (typeof HUB_TABLES)[number]): Promise<number> {
  const write = rowWriter(db, t);
  let after = '';
  let n = 0;
  for (;;) {
    const page = await client.query<RowValues>(
      `SELECT ${selectList(t)} FROM casefile.${t} WHERE case_id = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`,
      [caseId, after],
    );
    if (page.rows.length === 0) return n;
    db.transaction(() => write(page.rows))();
    n += page.rows.length;
    after = String(page.rows.at(-1)!.id);
  }
}

/**
 * Checks a page of a hub table's rows (columns.ts) and inserts them into a case file's table as
 * they are; the first row that fails stops with what and where. The caller holds the transaction.
 */
export function rowWriter(db: Db, t: HubTable): (rows: RowValues[]) => void {
  const cols = columnsOf(t);
  const insert = db.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  return (rows) => {
    for (const r of rows) {
      const p = hubRowProblem(t, r);
      if (p) throw malformed(`${t} row ${String(r.id).slice(0, 40)}, field ${p.field}: ${p.message}`);
      try {
        insert.run(...cols.map((c) => sqlValue(r[c])));
      } catch (e) {
        throw malformed(`${t} row ${String(r.id)}: ${(e as Error).message}`);
      }
    }
  };
}

/** The columns of the hub's change log a pull reads, its position as text. */
export const LOG_SELECT =
  'SELECT pos::text AS pos, hlc, txn, author, tbl, row_id, op, field, before, after FROM casefile.change_log';
export type HubEntryRow = HubLogEntry & { pos: string };

async function copyLog(client: pg.Client, db: Db, caseId: string): Promise<number> {
  let after = '0';
  let n = 0;
  for (;;) {
    const page = await client.query<HubEntryRow>(
      `${LOG_SELECT} WHERE case_id = $1 AND pos > $2::bigint ORDER BY change_log.pos LIMIT ${PAGE}`,
      [caseId, after],
    );
    if (page.rows.length === 0) return n;
    db.transaction(() => writeEntries(db, page.rows))();
    n += page.rows.length;
    after = page.rows.at(-1)!.pos;
  }
}

/** Checks a page of the hub's change-log entries and writes them as they are (the caller holds the transaction). */
export function writeEntries(db: Db, rows: readonly HubEntryRow[]): void {
  for (const e of rows) {
    const p = hubEntryProblem(e);
    if (p) throw malformed(`change log entry ${e.pos}, ${p}`);
    writeLogEntry(db, {
      hlc: e.hlc,
      txn: e.txn,
      author: e.author,
      tbl: e.tbl,
      row_id: e.row_id,
      op: e.op,
      field: e.field,
      before: e.before,
      after: e.after,
    });
  }
}

/** A value as SQLite stores it (a boolean never comes from these columns; anything else is text). */
function sqlValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}
