import { CasefileError } from '../errors';
import { logDeletedRows } from '../write/change-log';
import { HybridClock } from '../hlc';
import { rebuildPays, rebuildSummaries, summaryDelta } from '../dashboard/summaries';
import { FTS_INDEX_COLUMNS } from '../db/search';
import { uuidv7 } from '../ids';
import { SetAsideIndexes } from './bulk-indexes';
import { IMPORT_RECORD_PREFIX, KEPT_INDEXES } from './writer';
import { openForImport } from './pipeline';

/** The removal for good of an import's rows, in a task worker (see removeImport in past-imports.ts). */
export type RemoveJob = { caseFile: string; txn: string; author: string; node: string };
export type RemoveResult = { removed: number; maxHlc: string | null };

type Post = (m: { type: 'progress'; done: number; total: number | null; message?: string }) => void;

/** Past this share of the incidents, indexes and the search index are rebuilt rather than kept up row by row. */
const BULK_SHARE = 0.1;
const ANALYSIS_LIMIT = 1000;
const FTS_COLS = FTS_INDEX_COLUMNS.incidents.join(', ');

/**
 * Removes, in one transaction on a connection of its own, the incidents the import `txn` added
 * that are still in the case file, their citations and the comments on those, set by set in SQL:
 * a million rows taken out one by one through Tx ran at about a thousand a second. Each removed
 * row is logged as deleted by its id alone (the import logged its inserts the same way), under a
 * txn of its own and clock values after the file's latest. When the rows are a large share of the
 * file, the secondary indexes are set aside and made again, the search index is rebuilt from what
 * is left, and the statistics are refreshed, as a bulk import does. A failure or a terminated
 * worker leaves the file as it was (nothing is committed until the end).
 */
export function runRemoveJob(job: RemoveJob, post: Post, nativeBinding: string | undefined): RemoveResult {
  const db = openForImport(job.caseFile, nativeBinding);
  const step = (done: number, message: string) => post({ type: 'progress', done, total: 6, message });
  try {
    step(0, 'Finding the rows it added');
    db.exec('BEGIN IMMEDIATE');
    try {
      const clock = new HybridClock(job.node);
      const last = db.prepare('SELECT max(hlc) FROM change_log').pluck().get() as string | null;
      if (last) clock.observe(last);
      db.function('casefile_tick', { deterministic: false }, () => clock.tick());
      db.exec('DROP TABLE IF EXISTS temp.gone_i; DROP TABLE IF EXISTS temp.gone_c; DROP TABLE IF EXISTS temp.gone_a');
      db.exec('CREATE TEMP TABLE gone_i (rid INTEGER PRIMARY KEY, id TEXT NOT NULL)');
      db.prepare(
        `INSERT INTO temp.gone_i (rid, id) SELECT i.rowid, i.id FROM change_log l JOIN incidents i ON i.id = l.row_id
         WHERE l.txn = ? AND l.tbl = 'incidents' AND l.op = 'insert' ORDER BY l.seq`,
      ).run(job.txn);
      db.exec(
        `CREATE TEMP TABLE gone_c AS SELECT c.rowid AS rid, c.id FROM citations c WHERE c.target_table = 'incidents' AND c.target_id IN (SELECT id FROM temp.gone_i)`,
      );
      db.exec(
        'CREATE TEMP TABLE gone_a AS SELECT a.rowid AS rid, a.id FROM annotations a WHERE a.citation_id IN (SELECT id FROM temp.gone_c)',
      );
      const n = db.prepare('SELECT count(*) FROM temp.gone_i').pluck().get() as number;
      const total = db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
      const bulk = n > total * BULK_SHARE;
      const rebuild = rebuildPays(db, n);

      step(1, 'Recording the removal in the change log');
      const txn = uuidv7();
      for (const t of ['annotations', 'citations', 'incidents'] as const) {
        const gone = `temp.gone_${t[0]}`;
        logDeletedRows(db, { table: t, listing: gone, txn, author: job.author, tick: 'casefile_tick()' });
      }

      step(2, "Updating the dashboard's summaries");
      if (!rebuild) {
        // A page at a time: the deltas write, and a connection cannot write while it reads.
        const page = db.prepare(
          'SELECT rowid AS _rid, * FROM incidents WHERE rowid IN (SELECT rid FROM temp.gone_i WHERE rid > ? ORDER BY rid LIMIT 2000) ORDER BY rowid',
        );
        for (let after = 0; ;) {
          const rows = page.all(after) as (Record<string, unknown> & { _rid: number })[];
          if (rows.length === 0) break;
          for (const row of rows) summaryDelta(db, row, null);
          after = rows.at(-1)!._rid;
        }
      }

      step(3, 'Removing the rows');
      const indexes = new SetAsideIndexes(db, KEPT_INDEXES);
      if (bulk) indexes.drop();
      else
        db.exec(
          `INSERT INTO incidents_fts (incidents_fts, rowid, ${FTS_COLS}) SELECT 'delete', rid, ${FTS_COLS} FROM incidents_search WHERE rid IN (SELECT rid FROM temp.gone_i)`,
        );
      db.exec('DELETE FROM annotations WHERE rowid IN (SELECT rid FROM temp.gone_a)');
      db.exec('DELETE FROM citations WHERE rowid IN (SELECT rid FROM temp.gone_c)');
      db.exec('DELETE FROM incidents WHERE rowid IN (SELECT rid FROM temp.gone_i)');

      step(4, 'Rebuilding indexes and search');
      if (bulk) {
        indexes.restore();
        db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild')");
      }
      if (rebuild) rebuildSummaries(db);

      step(5, 'Saving');
      if (bulk) {
        db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
        db.exec('ANALYZE');
      }
      db.exec('DROP TABLE temp.gone_i; DROP TABLE temp.gone_c; DROP TABLE temp.gone_a');
      // The import's record says so: the list shows when and by whom, instead of a Remove that would find nothing.
      db.prepare(
        `UPDATE meta SET value = json_set(value, '$.removed', json_object('at', ?, 'by', ?)) WHERE key = ? AND json_valid(value)`,
      ).run(new Date().toISOString(), job.author, `${IMPORT_RECORD_PREFIX}${job.txn}`);
      const maxHlc = db.prepare('SELECT max(hlc) FROM change_log').pluck().get() as string | null;
      db.exec('COMMIT');
      step(6, 'Saved');
      return { removed: n, maxHlc };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e instanceof CasefileError
        ? e
        : new CasefileError('internal', `The rows could not be removed: ${(e as Error).message}`);
    }
  } finally {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      /* the next checkpoint, by any connection, copies it */
    }
    db.close();
  }
}
