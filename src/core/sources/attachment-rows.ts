import { CasefileError } from '../errors';
import type { Db } from '../db/open';

/**
 * Attached files in the change log. Attaching, removing and moving a file are changes like any
 * other (logged, undoable, merged), but the log keeps values as JSON and a file can be 40 MB:
 * an entry holds the row without its bytes and text (the SHA-256 names the content).
 *
 * Undo and redo need the bytes back. Whenever a file's row is deleted (removed, its source
 * deleted, an attach undone, a merge), its bytes and text are first copied, inside SQLite, to a
 * TEMP table of this connection; re-inserting the row takes them from there (a new file, or one
 * from a colleague's copy, is put there just before its insert, which then takes it out again).
 * Nothing of it passes through the undo stack's JavaScript objects; it lives in SQLite's
 * temporary file (this build keeps temp tables on disk, not in memory), never reaches the case
 * file (TEMP is a separate schema: not saved, not exported, not seen by the schema check), and
 * goes when the connection closes, as the undo stack does. Content held for steps that fell off
 * the undo and redo stacks is dropped (pruneHeld).
 */

/** The columns an attachment's change-log entry holds: everything but `data` and `text`. */
export const LOGGED_COLS = [
  'id',
  'created_at',
  'updated_at',
  'author',
  'hlc',
  'source_id',
  'name',
  'media_type',
  'size',
  'sha256',
] as const;
export type AttachmentRow = Record<(typeof LOGGED_COLS)[number], string | number>;
/** The only field of an attached file that changes: the source it belongs to (sources merged). */
export const MUTABLE = ['source_id'] as const;

/** A file's content, held while it is out of the attachments table (data null: its bytes are on the team hub). */
export type Content = { data: Uint8Array | null; text: string | null };

function ensureHeld(db: Db): void {
  db.exec(
    'CREATE TEMP TABLE IF NOT EXISTS attachment_content (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, data BLOB, text TEXT)',
  );
}

/** An attached file's row as the change log keeps it, or null. */
export function loggedRow(db: Db, id: string, schema = 'main'): AttachmentRow | null {
  return (
    (db.prepare(`SELECT ${LOGGED_COLS.join(', ')} FROM ${schema}.attachments WHERE id = ?`).get(id) as
      AttachmentRow | undefined) ?? null
  );
}

/** Holds content for a later insert of row `id` (from bytes given, or from another schema's row). */
export function holdContent(db: Db, id: string, sha256: string, content: Content): void {
  ensureHeld(db);
  db.prepare('INSERT OR REPLACE INTO temp.attachment_content (id, sha256, data, text) VALUES (?, ?, ?, ?)').run(
    id,
    sha256,
    content.data === null ? null : Buffer.from(content.data),
    content.text,
  );
}

/**
 * Holds the content of a row of an attached database (a colleague's file during merge), copied
 * inside SQLite, when its size and checksum are as planned. Returns false when they are not. A
 * row whose bytes are held on the team hub (NULL, schema 9) comes as it is: its bytes are
 * fetched, and checked, when it is opened.
 */
export function holdFrom(db: Db, schema: string, id: string, sha256: string, size: number): boolean {
  ensureHeld(db);
  return (
    db
      .prepare(
        `INSERT OR REPLACE INTO temp.attachment_content (id, sha256, data, text) SELECT id, sha256, data, text FROM ${schema}.attachments WHERE id = ? AND sha256 = ? AND size = ? AND (data IS NULL OR length(data) = ?)`,
      )
      .run(id, sha256, size, size).changes === 1
  );
}

type LogChange = { row_id: string; op: 'insert' | 'update' | 'delete'; field: string | null; after: unknown };

/** Applies one logged change to the attachments table (Tx.apply's part for attached files). */
export function applyAttachmentChange(
  db: Db,
  c: LogChange,
  hlc: () => string,
  stamp: { now: string; author: string },
): void {
  if (c.op === 'insert') {
    const row = c.after as AttachmentRow;
    ensureHeld(db);
    const r = db
      .prepare(
        `INSERT INTO attachments (${LOGGED_COLS.join(', ')}, data, text)
         SELECT ${LOGGED_COLS.map(() => '?').join(', ')}, data, text FROM temp.attachment_content WHERE id = ? AND sha256 = ?`,
      )
      .run(...LOGGED_COLS.map((k) => row[k]), c.row_id, row.sha256);
    if (r.changes !== 1)
      throw new CasefileError(
        'conflict',
        `the content of the attached file "${String(row.name)}" is no longer held, so it cannot be put back`,
      );
    // The row holds the content now; a later delete holds it again.
    db.prepare('DELETE FROM temp.attachment_content WHERE id = ?').run(c.row_id);
  } else if (c.op === 'delete') {
    ensureHeld(db);
    db.prepare(
      'INSERT OR REPLACE INTO temp.attachment_content (id, sha256, data, text) SELECT id, sha256, data, text FROM attachments WHERE id = ?',
    ).run(c.row_id);
    db.prepare('DELETE FROM attachments WHERE id = ?').run(c.row_id);
  } else {
    if (!(MUTABLE as readonly (string | null)[]).includes(c.field))
      throw new CasefileError('validation', `an attached file's ${String(c.field)} cannot be changed`);
    db.prepare(`UPDATE attachments SET ${c.field} = ?, updated_at = ?, author = ?, hlc = ? WHERE id = ?`).run(
      c.after as string,
      stamp.now,
      stamp.author,
      hlc(),
      c.row_id,
    );
  }
}

/** Drops held content that no undo or redo step can put back any more. */
export function pruneHeld(db: Db, keep: ReadonlySet<string>): void {
  const exists = db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'attachment_content'").get();
  if (!exists) return;
  const ids = (db.prepare('SELECT id FROM temp.attachment_content').all() as { id: string }[])
    .map((r) => r.id)
    .filter((id) => !keep.has(id));
  const del = db.prepare('DELETE FROM temp.attachment_content WHERE id = ?');
  for (const id of ids) del.run(id);
}

/**
 * Keeps the bytes of an attached file that were held on the team hub (schema 9: `data` NULL),
 * fetched and checked against the row's size and SHA-256 by the caller. Not a change of the row
 * (its logged columns, which name the content, stay as they are), so nothing is logged: the file
 * now holds what the row always said it had. Returns false when the row is gone, already has its
 * bytes, or names other content.
 */
export function keepFetchedBytes(db: Db, id: string, sha256: string, data: Uint8Array): boolean {
  return (
    db
      .prepare('UPDATE attachments SET data = ? WHERE id = ? AND sha256 = ? AND size = ? AND data IS NULL')
      .run(Buffer.from(data), id, sha256, data.length).changes === 1
  );
}
