import { createHash } from 'node:crypto';
import { MAX_ATTACHMENT_BYTES, type AttachmentMeta } from '../../shared/channels/sources';
import type { CaseFile, Tx } from '../write/case-file';
import { holdContent, loggedRow, type AttachmentRow } from './attachment-rows';
import { CasefileError } from '../errors';
import { uuidv7 } from '../ids';
import type { Db } from '../db/open';
import { runTask, type TaskOptions } from '../tasks/run-task';
import { extractText, sniffKind } from './extract';

/** Text and web pages up to this size are read on the calling thread. */
const INLINE_MAX = 512 * 1024;

/**
 * A source's local copy: the file itself (so it travels with the case file) and its text (so
 * quoted passages can be found in it). Attaching and removing a file are actions like any edit:
 * logged (the row without its bytes: see attachment-rows.ts), undoable, merged.
 */

const META = `id, source_id, name, media_type, size, sha256, created_at, author, CASE WHEN text IS NULL THEN NULL ELSE length(text) END AS text_length`;

export function listAttachments(db: Db, sourceId: string): AttachmentMeta[] {
  return db
    .prepare(`SELECT ${META} FROM attachments WHERE source_id = ? ORDER BY created_at, id`)
    .all(sourceId) as AttachmentMeta[];
}

export function attachmentMeta(db: Db, id: string): AttachmentMeta {
  const m = db.prepare(`SELECT ${META} FROM attachments WHERE id = ?`).get(id) as AttachmentMeta | undefined;
  if (!m) throw new CasefileError('not_found', `no attached file ${id}`);
  return m;
}

export function attachmentText(db: Db, id: string): { attachment: AttachmentMeta; text: string | null } {
  const attachment = attachmentMeta(db, id);
  const { text } = db.prepare('SELECT text FROM attachments WHERE id = ?').get(id) as { text: string | null };
  return { attachment, text };
}

/** An attached file's bytes (the caller fetches those held on the team hub first: handlers/sources.ts). */
export function attachmentData(db: Db, id: string): { name: string; mediaType: string; data: Buffer } {
  const r = db.prepare('SELECT name, media_type, data FROM attachments WHERE id = ?').get(id) as
    { name: string; media_type: string; data: Buffer | null } | undefined;
  if (!r) throw new CasefileError('not_found', `no attached file ${id}`);
  // Pulled from the team hub as a row (schema 9): the caller fetches its bytes first (hub/attachment-fetch.ts).
  if (r.data === null)
    throw new CasefileError(
      'not_found',
      `“${r.name}” is held on the team hub, not in this case file yet: open it when this computer can reach the hub, and it is kept in the case file from then on`,
    );
  return { name: r.name, mediaType: r.media_type, data: r.data };
}

/** A file name as a label: no path, no control or bidi characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 200);
  return clean || 'attachment';
}

/**
 * Attaches a file to a source: checks its size and kind, extracts its text, and stores both.
 * The same file twice on one source is refused (by its SHA-256).
 */
export async function addAttachment(
  cf: CaseFile,
  o: { sourceId: string; name: string; mediaType: string; data: Uint8Array },
  opts: TaskOptions = {},
): Promise<{ attachment: AttachmentMeta; warning: string | null }> {
  const name = cleanFileName(o.name);
  if (!cf.get('sources', o.sourceId)) throw new CasefileError('not_found', `no source ${o.sourceId}`);
  if (o.data.length === 0) throw new CasefileError('validation', `${name}: the file is empty`);
  if (o.data.length > MAX_ATTACHMENT_BYTES) {
    throw new CasefileError(
      'validation',
      `${name}: ${(o.data.length / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB an attached file may have`,
    );
  }
  const sha256 = createHash('sha256').update(o.data).digest('hex');
  const same = cf.db
    .prepare('SELECT name FROM attachments WHERE source_id = ? AND sha256 = ?')
    .get(o.sourceId, sha256) as { name: string } | undefined;
  if (same)
    throw new CasefileError('conflict', `${name}: this file is already attached to the source (as "${same.name}")`);
  // A PDF, or any large file, is read in a task worker (progress per page, cancellable); a
  // small text or web page is read here, sooner than a worker starts.
  const inWorker = sniffKind(o.data, name, o.mediaType) === 'pdf' || o.data.length > INLINE_MAX;
  const ex = inWorker
    ? await runTask({ kind: 'extract-text', name, mediaType: o.mediaType, data: o.data }, opts)
    : await extractText(o.data, name, o.mediaType, opts.signal);
  if (!cf.db.open)
    throw new CasefileError('refused', `the case file was closed while ${name} was being read; nothing was attached`);
  // The source may have gone while the text was being read.
  if (!cf.get('sources', o.sourceId))
    throw new CasefileError('not_found', `the source was deleted while ${name} was being read`);
  const now = new Date().toISOString();
  const id = uuidv7();
  cf.action(`Attach ${name}`, (tx) => {
    // Checked again: the same file may have been attached while this one was being read.
    const again = cf.db
      .prepare('SELECT name FROM attachments WHERE source_id = ? AND sha256 = ?')
      .get(o.sourceId, sha256) as { name: string } | undefined;
    if (again)
      throw new CasefileError('conflict', `${name}: this file is already attached to the source (as "${again.name}")`);
    const row: AttachmentRow = {
      id,
      created_at: now,
      updated_at: now,
      author: cf.author,
      hlc: cf.clock.tick(),
      source_id: o.sourceId,
      name,
      media_type: ex.mediaType,
      size: o.data.length,
      sha256,
    };
    holdContent(cf.db, id, sha256, { data: o.data, text: ex.text });
    tx.apply({ tbl: 'attachments', row_id: id, op: 'insert', field: null, before: null, after: row });
  });
  return { attachment: attachmentMeta(cf.db, id), warning: ex.warning };
}

export function removeAttachment(cf: CaseFile, id: string): string {
  const m = attachmentMeta(cf.db, id);
  cf.action(`Remove attached file ${m.name}`, (tx) => removeInTx(tx, cf.db, id));
  return m.source_id;
}

/** Removes an attached file inside an action (its content is held for undo). */
export function removeInTx(tx: Tx, db: Db, id: string): void {
  const before = loggedRow(db, id);
  if (before) tx.apply({ tbl: 'attachments', row_id: id, op: 'delete', field: null, before, after: null });
}

/** Moves a source's attached files to another source inside an action; returns how many. */
export function moveAttachments(tx: Tx, db: Db, fromId: string, toId: string): number {
  const ids = db.prepare('SELECT id FROM attachments WHERE source_id = ?').all(fromId) as { id: string }[];
  for (const { id } of ids)
    tx.apply({ tbl: 'attachments', row_id: id, op: 'update', field: 'source_id', before: fromId, after: toId });
  return ids.length;
}
