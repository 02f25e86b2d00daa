import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { GRID_TABLES, LOGGED_TABLES, TABLES, type GridTable } from '../../shared/domain/common';
import type { ExportScope } from '../../shared/channels/exchange';
import { rebuildSearch } from '../db/search';
import { rebuildSummaries } from '../dashboard/summaries';
import { inspectCaseFile, type Db, type OpenOptions } from '../db/open';
import { whereSql } from '../grid/filter-sql';
import { blankValuesOfGoneRows, forgetLoggedRows, keepLatestLogValues } from '../write/change-log';

export type ExportRequest = {
  source: string;
  target: string;
  scope: ExportScope | null;
  attachments: boolean;
  check: boolean;
};
type Progress = (done: number, total: number | null, message: string) => void;

/**
 * Worker side of an export: VACUUM INTO a temporary file (committed data only, no free pages),
 * then in that copy, with secure_delete on so that removed bytes are zeroed rather than left in
 * free space: keep only the chosen rows, reduce the history of rows the copy does not hold to
 * tombstones, drop attachments if asked, and rebuild the search indexes (VACUUM may renumber
 * rowids, and FTS segments can still hold the words of deleted rows). Then fsync. The caller
 * renames the file into place, so an export that stops anywhere leaves no file under the final name.
 *
 * The history a colleague receives: every entry of a row the export holds, with its author, time
 * and field (provenance, and what merge matches on), but of values only each field's latest (the
 * base a later merge needs), so text that was overwritten is not in the file; a row the export
 * does not hold because it was deleted leaves tombstones only (clock value, author, operation,
 * table, id, field; no values), so its text is not in the file while a merge can still tell that
 * it was deleted. Entries of rows left out by a filter are dropped: the colleague never had those
 * rows, so there is nothing of them to merge.
 */
export function writeExportCopy(req: ExportRequest, opts: OpenOptions, progress: Progress): Record<string, number> {
  const steps = 5;
  if (req.check) {
    progress(0, steps, 'Checking the case file');
    inspectCaseFile(req.source, opts);
  }
  progress(1, steps, 'Writing a compact copy');
  const src = new Database(req.source, { readonly: true, fileMustExist: true, ...opts });
  try {
    src.pragma('trusted_schema = OFF');
    src.prepare('VACUUM INTO ?').run(req.target);
  } finally {
    src.close();
  }

  const db = new Database(req.target, { fileMustExist: true, ...opts });
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('journal_mode = DELETE');
    db.pragma('secure_delete = ON');
    // The subset is made consistent here (children go with their parents), in dependency order.
    db.pragma('foreign_keys = OFF');
    if (req.scope) {
      progress(2, steps, 'Choosing the rows to export');
      if (Object.values(req.scope).some((f) => f && f.search.trim() !== '')) rebuildFts(db);
      chooseRows(db, req.scope, req.attachments);
    }
    progress(3, steps, 'Removing deleted text from the history');
    db.transaction(() => {
      if (req.scope) {
        for (const t of [...TABLES, 'attachments'] as const) {
          forgetLoggedRows(db, t, 'temp.left_out');
          db.prepare(`DELETE FROM ${t} WHERE id IN (SELECT id FROM temp.left_out WHERE tbl = ?)`).run(t);
        }
      }
      if (!req.attachments) db.prepare('DELETE FROM attachments').run();
      // Attached files too: a removed file's name and checksum do not travel in the history.
      for (const t of LOGGED_TABLES) {
        blankValuesOfGoneRows(db, t);
      }
      keepLatestLogValues(db);
    })();
    progress(4, steps, 'Rebuilding the search index');
    rebuildFts(db);
    // The dashboard's summaries still count the rows left out (and name their actors and places):
    // refilled from the rows the copy holds, the old ones zeroed by secure_delete.
    if (req.scope) rebuildSummaries(db);
    const counts: Record<string, number> = {};
    for (const t of [...TABLES, 'attachments', 'change_log'])
      counts[t] = (db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n;
    // Files pulled from the team hub and never opened are rows without bytes: the export says how many.
    counts.attachments_on_hub = (
      db.prepare('SELECT count(*) n FROM attachments WHERE data IS NULL').get() as { n: number }
    ).n;
    db.close();
    const fd = openSync(req.target, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    progress(steps, steps, 'Written');
    return counts;
  } finally {
    if (db.open) db.close();
  }
}

function rebuildFts(db: Db): void {
  rebuildSearch(db);
}

/**
 * Fills temp.left_out with every row a filtered export does not carry. Kept: rows of the grid
 * tables the scope names that match its filter; the citations of kept rows, their comments and
 * the sources they cite (plus sources the scope selects itself); those sources' attachments.
 */
function chooseRows(db: Db, scope: ExportScope, attachments: boolean): void {
  db.exec(`CREATE TEMP TABLE keep (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;
           CREATE TEMP TABLE left_out (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;`);
  for (const t of GRID_TABLES as readonly GridTable[]) {
    const f = scope[t];
    if (!f) continue;
    const w = whereSql(t, f);
    db.prepare(`INSERT OR IGNORE INTO temp.keep SELECT '${t}', id FROM ${t} WHERE ${w.sql}`).run(...w.params);
  }
  db.exec(`
    INSERT OR IGNORE INTO temp.keep SELECT 'citations', c.id FROM citations c WHERE EXISTS (SELECT 1 FROM temp.keep k WHERE k.tbl = c.target_table AND k.id = c.target_id);
    INSERT OR IGNORE INTO temp.keep SELECT 'annotations', a.id FROM annotations a WHERE a.citation_id IN (SELECT id FROM temp.keep WHERE tbl = 'citations');
    INSERT OR IGNORE INTO temp.keep SELECT 'sources', c.source_id FROM citations c WHERE c.id IN (SELECT id FROM temp.keep WHERE tbl = 'citations');
    -- Aliases are the case's vocabulary, not rows of a view: every one travels, with the sources it names.
    INSERT OR IGNORE INTO temp.keep SELECT 'aliases', id FROM aliases;
    INSERT OR IGNORE INTO temp.keep SELECT 'sources', s.id FROM sources s WHERE s.id IN (SELECT source_id FROM aliases);
  `);
  if (attachments)
    db.exec(
      `INSERT OR IGNORE INTO temp.keep SELECT 'attachments', id FROM attachments WHERE source_id IN (SELECT id FROM temp.keep WHERE tbl = 'sources')`,
    );
  for (const t of [...TABLES, 'attachments'] as const) {
    db.prepare(
      `INSERT INTO temp.left_out SELECT ?, id FROM ${t} WHERE id NOT IN (SELECT id FROM temp.keep WHERE tbl = ?)`,
    ).run(t, t);
  }
}
