import type pg from 'pg';
import type { MergeResult } from '../../shared/channels/exchange';
import type { TableName } from '../../shared/domain/common';
import type { RowValues } from '../../shared/domain/fields';
import type { Db } from '../db/open';
import type { CaseFile } from '../write/case-file';
import { CasefileError, refuse } from '../errors';
import { rebuildSearch } from '../db/search';
import { rebuildSummaries } from '../dashboard/summaries';
import { SetAsideIndexes } from '../import/bulk-indexes';
import { lockReleased } from '../import/pipeline';
import { runTask, type TaskOptions } from '../tasks/run-task';
import { HUB_TABLES, selectList } from './columns';
import { copyAttachments } from './attachment-sync';
import type { JoinCommitted } from './join-task';
import { lastPosition } from './position';
import { LOG_SELECT, malformed, PAGE, rowWriter, writeEntries, type HubEntryRow } from './snapshot';

/** ANALYZE reads this many entries per index (as an import does). */
const ANALYSIS_LIMIT = 1000;
/** The page cache during the load (an import's too): 128 MB, given back after. */
const CACHE_KIB = 128 * 1024;

/** A case file with no rows and no history: one that joins a hub case takes it as it is. */
export function isEmptyCase(db: Db): boolean {
  const one = (sql: string) => db.prepare(sql).get() !== undefined;
  if (one('SELECT 1 FROM change_log LIMIT 1')) return false;
  return !HUB_TABLES.some((t) => one(`SELECT 1 FROM ${t} LIMIT 1`));
}

export type Joined = { merged: MergeResult; head: number; pos: number; rows: number; entries: number };
/** What the load tells the thread that asked for it: the join, and the latest clock value it took in. */
export type JoinLoaded = Joined & { maxHlc: string };

/**
 * A new laptop's first pull of a hub case into an EMPTY case file (isEmptyCase), as a bulk load:
 * what the three-way merge would do there (every row of the hub is one the file never saw: taken
 * as it is, with the hub's history) without its costs, which grow with the case (a private
 * snapshot file, its check in a child process, a plan item per row held in memory, each row
 * inserted and logged one by one; at a million incidents that is minutes and gigabytes).
 *
 * The load runs in the task worker (join-task.ts, loadJoin below) on connections of its own to
 * the case file and to the hub: at a million incidents its index builds, search index and ANALYZE
 * take most of a minute, which on this thread would freeze every window. Meanwhile other writes
 * to the file are refused, saying why; the windows are told once, at the end (announceBulk). A
 * Stop (opts.signal) ends the worker's thread, and with it its one transaction: the file is left
 * as it was. Like an import's load, it is not an undo step: what it brings is the case.
 */
export async function joinCase(
  hub: { url: string; role: string },
  cf: CaseFile,
  caseId: string,
  opts: TaskOptions & { onStoppable?: (on: boolean) => void } = {},
): Promise<Joined> {
  const binding = process.env.CASEFILE_SQLITE_BINDING || undefined;
  const release = cf.holdWrites(
    'Joining the team hub case',
    'The team hub case is being copied into this case file; nothing was changed. Try again when it has finished.',
  );
  let loaded: JoinLoaded;
  try {
    opts.onStoppable?.(true);
    try {
      loaded = await runTask(
        {
          kind: 'hub-join',
          caseFile: cf.path,
          url: hub.url,
          role: hub.role,
          caseId,
          ...(binding ? { nativeBinding: binding } : {}),
        },
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (m) => {
            if ((m as Partial<JoinCommitted>).committed) opts.onStoppable?.(false);
            opts.onProgress?.({ done: m.done, total: m.total, ...(m.message ? { message: m.message } : {}) });
          },
        },
      );
    } finally {
      opts.onStoppable?.(false);
    }
  } catch (e) {
    if (!opts.signal?.aborted) {
      release();
      throw e;
    }
    // runTask settles as soon as it ends the worker; its transaction is rolled back when the
    // thread is gone. Wait for that, so that "Cancelled" means the file is free and as it was.
    await lockReleased(cf.path, binding);
    release();
    // The worker may have committed just before the Stop reached it (before its word that it had): then the case is here.
    if (!isEmptyCase(cf.db)) {
      cf.announceBulk([...HUB_TABLES]);
      throw refuse(
        'The team hub case had already been copied into this case file when the sync was stopped: it is here; sync again to finish',
      );
    }
    throw e;
  }
  release();
  // Later edits here are stamped after everything taken in, however far the others' clocks were ahead.
  if (loaded.maxHlc) cf.clock.observe(loaded.maxHlc);
  if (loaded.rows > 0) cf.announceBulk(Object.keys(loaded.merged.tables) as TableName[]);
  const { maxHlc: _m, ...joined } = loaded;
  return joined;
}

/**
 * The load itself, on the worker's own connections (join-task.ts). The hub is read in one
 * repeatable-read transaction, a page at a time (keyset on id, never OFFSET), each row and entry
 * checked as a pull checks them (columns.ts); everything is written in ONE transaction of the case
 * file, so the first bad row or entry, a Stop or a lost connection leaves the file as it was.
 * Bulk-load order (house style): the secondary indexes set aside, rows in, indexes made again,
 * the search index and the dashboard's summaries built once, ANALYZE. The merge's own entries
 * (the joining analyst "adding" every row, which a push would forget again as restating the hub)
 * are not written: the hub's entries say who made each row.
 */
export async function loadJoin(client: pg.Client, db: Db, caseId: string, opts: TaskOptions = {}): Promise<JoinLoaded> {
  const tables: MergeResult['tables'] = {};
  let head = 0;
  let rows = 0;
  let entries = 0;
  let pos = 0;
  let maxHlc = '';
  const cache = db.pragma('cache_size', { simple: true }) as number;
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Checked again inside the transaction: the app's check came before this connection's lock.
      if (!isEmptyCase(db))
        throw refuse('This case file is no longer empty: it was not joined to the hub case; sync again');
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // A comment may come before the one it replies to (rows are read in id order): checked at commit.
      db.pragma('defer_foreign_keys = ON');
      const c = await client.query<{ head: string; total: string }>(
        `SELECT head::text AS head, (SELECT count(*) FROM casefile.change_log WHERE case_id = $1)::text AS total
         FROM casefile.cases WHERE id = $1`,
        [caseId],
      );
      if (!c.rows[0])
        throw new CasefileError('not_found', `The hub has no case ${caseId}, or your role has not been granted it`);
      head = Number(c.rows[0].head);
      const total = Number(c.rows[0].total);
      const report = (what: string) => opts.onProgress?.({ done: rows + entries, total: null, message: what });
      // A large load's pages stay in memory until they are written in place, as an import's do.
      db.pragma(`cache_size = -${CACHE_KIB}`);
      const indexes = new SetAsideIndexes(db, new Set());
      indexes.drop();
      for (const t of HUB_TABLES) {
        const write = rowWriter(db, t);
        let n = 0;
        const pages = prefetched(
          (after) =>
            client.query<RowValues>(
              `SELECT ${selectList(t)} FROM casefile.${t} WHERE case_id = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`,
              [caseId, after],
            ),
          (r) => String(r.id),
          '',
        );
        for await (const page of pages) {
          if (opts.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
          write(page);

          for (const r of page) if ((r.hlc as string) > maxHlc) maxHlc = r.hlc as string;
          n += page.length;
          report(`Joining the hub case: ${(rows + n).toLocaleString('en-US')} rows`);
        }
        if (n > 0) tables[t] = { added: n, updated: 0, deleted: 0, conflicts: 0 };
        rows += n;
      }
      // Attached files' rows and text; their bytes stay on the hub until a file is opened.
      const files = await copyAttachments(client, db, caseId, malformed);
      if (files > 0) tables.attachments = { added: files, updated: 0, deleted: 0, conflicts: 0 };
      rows += files;
      const log = prefetched(
        (after) =>
          client.query<HubEntryRow>(
            `${LOG_SELECT} WHERE case_id = $1 AND pos > $2::bigint ORDER BY change_log.pos LIMIT ${PAGE}`,
            [caseId, after],
          ),
        (e) => e.pos,
        '0',
      );
      for await (const page of log) {
        if (opts.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
        writeEntries(db, page);

        for (const e of page) if (e.hlc > maxHlc) maxHlc = e.hlc;
        entries += page.length;
        report(
          `Joining the hub case: ${entries.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} history entries`,
        );
      }
      pos = await lastPosition(client, caseId);
      report('Joining the hub case: building indexes');
      indexes.restore();
      report('Joining the hub case: building the search index');
      rebuildSearch(db);
      rebuildSummaries(db);
      db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
      db.exec('ANALYZE');
      await client.query('COMMIT');
      db.exec('COMMIT');
    } catch (e) {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    if (db.open) db.pragma(`cache_size = ${cache}`);
  }
  return {
    merged: {
      added: rows,
      updated: 0,
      deleted: 0,
      conflicts: 0,
      applied: true,
      tables,
      conflictRows: [],
      skipped: [],
      notes: [],
    },
    head,
    pos,
    rows,
    entries,
    maxHlc,
  };
}

/**
 * The pages of a keyset query (`fetch(after)`), each next one asked for as soon as the one before
 * it arrives: the server reads it while this process checks and writes the last.
 */
async function* prefetched<R>(
  fetch: (after: string) => Promise<{ rows: R[] }>,
  keyOf: (r: R) => string,
  start: string,
): AsyncGenerator<R[]> {
  const ask = (after: string) => {
    const p = fetch(after);
    // Asked for ahead: when the load stops first (a bad row, a cancel), its failure is nobody's.
    p.catch(() => undefined);
    return p;
  };
  let next = ask(start);
  for (;;) {
    const { rows } = await next;
    if (rows.length === 0) return;
    next = rows.length < PAGE ? Promise.resolve({ rows: [] }) : ask(keyOf(rows.at(-1)!));
    yield rows;
  }
}
