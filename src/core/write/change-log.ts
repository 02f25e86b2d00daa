import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

/**
 * The one writer of the change log. Every entry that feeds undo, audit and merge is written here:
 * row by row for edits, merges, copies of a received file and an import's updates, and set by set
 * (one INSERT ... SELECT) for an import's new rows and a removal for good, so that a bulk path
 * cannot drift into a second idea of what an entry holds. Values are JSON text (or NULL: an
 * entry logged by id alone, as bulk inserts and removals are, or a field that was empty).
 */
export type LogEntry = {
  hlc: string;
  txn: string;
  author: string;
  tbl: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  field: string | null;
  before: string | null;
  after: string | null;
};

const INSERT =
  'INSERT INTO change_log (hlc, txn, author, tbl, row_id, op, field, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const writers = new WeakMap<Db, Statement>();

/** Writes one entry (the statement is prepared once per connection). */
export function writeLogEntry(db: Db, e: LogEntry): void {
  let st = writers.get(db);
  if (!st) writers.set(db, (st = db.prepare(INSERT)));
  st.run(e.hlc, e.txn, e.author, e.tbl, e.row_id, e.op, e.field, e.before, e.after);
}

/** JSON text of a value for an entry; null and undefined are NULL. */
export const logValue = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * The statement that logs as inserted, in transaction `?1`, every row of `table` from rowid `?2`
 * on, each under its own author and clock value (an import's rows, stamped as they were written).
 * Prepared by the caller once and run per batch.
 */
export function logInsertedRowsSql(table: 'incidents' | 'citations'): string {
  return `INSERT INTO change_log (hlc, txn, author, tbl, row_id, op) SELECT hlc, ?, author, '${table}', id, 'insert' FROM ${table} WHERE rowid >= ? ORDER BY rowid`;
}

/**
 * Logs as deleted, by id alone, every row listed in `listing` (a table with columns rid and id, in
 * rid order), each with a fresh clock value from the SQL expression `tick` (a function the caller
 * registered on its own connection for this work).
 */
export function logDeletedRows(
  db: Db,
  o: { table: string; listing: string; txn: string; author: string; tick: string },
): void {
  db.prepare(
    `INSERT INTO change_log (hlc, txn, author, tbl, row_id, op) SELECT ${o.tick}, ?, ?, '${o.table}', id, 'delete' FROM ${o.listing} ORDER BY rid`,
  ).run(o.txn, o.author);
}

/**
 * Forgets every entry of the rows listed in `listing` (a table with columns tbl and id): rows an
 * export for a colleague leaves out take their history with them.
 */
export function forgetLoggedRows(db: Db, table: string, listing: string): void {
  db.prepare(`DELETE FROM change_log WHERE tbl = ? AND row_id IN (SELECT id FROM ${listing} WHERE tbl = ?)`).run(
    table,
    table,
  );
}

/** Drops the values of entries whose row is gone (deleted text), keeping who changed what and when. */
export function blankValuesOfGoneRows(db: Db, table: string): void {
  db.prepare(
    `UPDATE change_log SET before = NULL, after = NULL WHERE tbl = ? AND (before IS NOT NULL OR after IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM ${table} WHERE ${table}.id = change_log.row_id)`,
  ).run(table);
}

/**
 * Overwritten text is deleted text too: each field keeps only the value its latest entry gave it
 * (the value a later merge needs as the base both files share; an older entry is never the
 * latest common one, since every entry of the export is in both files). Earlier values, and
 * every `before`, are dropped; the entries themselves stay (who changed which field, when).
 */
export function keepLatestLogValues(db: Db): void {
  const later = `FROM change_log l WHERE l.tbl = change_log.tbl AND l.row_id = change_log.row_id
                 AND (l.hlc > change_log.hlc OR (l.hlc = change_log.hlc AND l.seq > change_log.seq))`;
  db.prepare('UPDATE change_log SET before = NULL WHERE before IS NOT NULL').run();
  db.prepare(
    `UPDATE change_log SET after = NULL WHERE after IS NOT NULL AND op = 'update'
              AND EXISTS (SELECT 1 ${later} AND (l.op <> 'update' OR l.field = change_log.field))`,
  ).run();
  db.prepare(
    `UPDATE change_log SET after = NULL WHERE after IS NOT NULL AND op = 'insert' AND EXISTS (SELECT 1 ${later} AND l.op <> 'update')`,
  ).run();
  // An insert followed by edits of some fields: those fields leave its row image.
  const edited = db
    .prepare(
      `SELECT seq, tbl, row_id, after FROM change_log WHERE after IS NOT NULL AND op = 'insert' AND EXISTS (SELECT 1 ${later})`,
    )
    .all() as { seq: number; tbl: string; row_id: string; after: string }[];
  const fieldsAfter =
    db.prepare(`SELECT DISTINCT l.field f FROM change_log l, change_log e WHERE e.seq = ? AND l.tbl = e.tbl AND l.row_id = e.row_id AND l.op = 'update'
                                  AND (l.hlc > e.hlc OR (l.hlc = e.hlc AND l.seq > e.seq))`);
  const set = db.prepare('UPDATE change_log SET after = ? WHERE seq = ?');
  for (const e of edited) {
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(e.after) as Record<string, unknown>;
    } catch {
      set.run(null, e.seq);
      continue;
    }
    for (const { f } of fieldsAfter.all(e.seq) as { f: string }[]) delete row[f];
    set.run(JSON.stringify(row), e.seq);
  }
}

/**
 * Copies the entries of an attached file's change log (schema `from`) that this file lacks, as
 * they were, oldest first, for the tables named; returns how many. An entry is the same when its
 * table, row, field, clock value, author and operation are.
 */
export function copyMissingEntries(db: Db, from: string, tables: readonly string[]): number {
  const list = tables.map((t) => `'${t}'`).join(', ');
  return db
    .prepare(
      `INSERT INTO main.change_log (hlc, txn, author, tbl, row_id, op, field, before, after)
       SELECT t.hlc, t.txn, t.author, t.tbl, t.row_id, t.op, t.field, t.before, t.after FROM ${from}.change_log t
       WHERE t.tbl IN (${list}) AND length(t.row_id) = 36 AND length(t.hlc) <= 64 AND length(t.author) <= 200
         AND NOT EXISTS (SELECT 1 FROM main.change_log m WHERE m.tbl = t.tbl AND m.row_id = t.row_id AND m.field IS t.field
                         AND m.hlc = t.hlc AND m.author = t.author AND m.op = t.op)
       ORDER BY t.hlc, t.seq`,
    )
    .run().changes;
}

/**
 * Forgets entries by position. A team hub's pull is merged like a colleague's file, and the
 * merge logs every row it takes under this file's author; for rows that only restate the hub's
 * (a laptop joining a case takes every row) those entries are no edit of anyone's, and kept they
 * would look like one to the next merge (an "edit" against a colleague's later deletion). The
 * hub's own entries, copied in by the same merge, say who really made each row.
 */
export function forgetEntries(db: Db, seqs: readonly number[]): void {
  const del = db.prepare('DELETE FROM change_log WHERE seq = ?');
  db.transaction(() => {
    for (const s of seqs) del.run(s);
  })();
}

/**
 * Records entries (by position) under another author: a team hub stamps every entry a laptop
 * pushes with the role it authenticated, and the laptop's copy must say the same, or its next
 * pull would take the hub's copy for someone else's change (an entry's identity includes its
 * author). An entry whose twin under that author is already here (the hub's copy, pulled in
 * before this laptop renamed its own) is dropped instead of held twice. Returns how many changed.
 */
export function recordUnder(db: Db, seqs: readonly number[], author: string): number {
  // Set by set (a first push of a large case renames every entry it has), a few hundred at a time.
  const CHUNK = 500;
  let n = 0;
  db.transaction(() => {
    for (let i = 0; i < seqs.length; i += CHUNK) {
      const some = seqs.slice(i, i + CHUNK);
      const list = some.map(() => '?').join(', ');
      n += db
        .prepare(
          `DELETE FROM change_log WHERE seq IN (${list}) AND author <> ? AND EXISTS (SELECT 1 FROM change_log t
             WHERE t.tbl = change_log.tbl AND t.row_id = change_log.row_id AND t.field IS change_log.field
               AND t.hlc = change_log.hlc AND t.op = change_log.op AND t.author = ?)`,
        )
        .run(...some, author, author).changes;
      n += db
        .prepare(`UPDATE change_log SET author = ? WHERE seq IN (${list}) AND author <> ?`)
        .run(author, ...some, author).changes;
    }
  })();
  return n;
}
