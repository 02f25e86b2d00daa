import { createHash } from 'node:crypto';
import { MAX_ATTACHMENT_BYTES, type AttachmentMeta } from '../../shared/channels/sources';
import type { CaseFile } from '../case-file';
import { CasefileError } from '../errors';
import { uuidv7 } from '../ids';
import type { Db } from '../open';
import { extractText } from './extract';

/**
 * A source's local copy: the file itself (so it travels with the case file) and its text (so
 * quoted passages can be found in it). Files are written in a transaction of their own, outside
 * the change log: the log keeps every value as JSON for undo and merge, and a 40 MB PDF has no
 * place there. Adding and removing a file are therefore not undoable, and the UI says so.
 */

const META = `id, source_id, name, media_type, size, sha256, created_at, author, CASE WHEN text IS NULL THEN NULL ELSE length(text) END AS text_length`;

export function listAttachments(db: Db, sourceId: string): AttachmentMeta[] {
  return db.prepare(`SELECT ${META} FROM attachments WHERE source_id = ? ORDER BY created_at, id`).all(sourceId) as AttachmentMeta[];
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

export function attachmentData(db: Db, id: string): { name: string; mediaType: string; data: Buffer } {
  const r = db.prepare('SELECT name, media_type, data FROM attachments WHERE id = ?').get(id) as { name: string; media_type: string; data: Buffer } | undefined;
  if (!r) throw new CasefileError('not_found', `no attached file ${id}`);
  return { name: r.name, mediaType: r.media_type, data: r.data };
}

/** A file name as a label: no path, no control or bidi characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 200);
  return clean || 'attachment';
}

/**
 * Attaches a file to a source: checks its size and kind, extracts its text, and stores both.
 * The same file twice on one source is refused (by its SHA-256).
 */
export async function addAttachment(
  cf: CaseFile,
  o: { sourceId: string; name: string; mediaType: string; data: Uint8Array },
  signal?: AbortSignal,
): Promise<{ attachment: AttachmentMeta; warning: string | null }> {
  const name = cleanFileName(o.name);
  if (!cf.get('sources', o.sourceId)) throw new CasefileError('not_found', `no source ${o.sourceId}`);
  if (o.data.length === 0) throw new CasefileError('validation', `${name}: the file is empty`);
  if (o.data.length > MAX_ATTACHMENT_BYTES) {
    throw new CasefileError('validation', `${name}: ${(o.data.length / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB an attached file may have`);
  }
  const sha256 = createHash('sha256').update(o.data).digest('hex');
  const same = cf.db.prepare('SELECT name FROM attachments WHERE source_id = ? AND sha256 = ?').get(o.sourceId, sha256) as { name: string } | undefined;
  if (same) throw new CasefileError('conflict', `${name}: this file is already attached to the source (as "${same.name}")`);
  const ex = await extractText(o.data, name, o.mediaType, signal);
  // The source may have gone while the text was being read.
  if (!cf.get('sources', o.sourceId)) throw new CasefileError('not_found', `the source was deleted while ${name} was being read`);
  const now = new Date().toISOString();
  const id = uuidv7();
  cf.db
    .prepare('INSERT INTO attachments (id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, now, now, cf.author, cf.clock.tick(), o.sourceId, name, ex.mediaType, o.data.length, sha256, Buffer.from(o.data), ex.text);
  return { attachment: attachmentMeta(cf.db, id), warning: ex.warning };
}

export function removeAttachment(cf: CaseFile, id: string): string {
  const m = attachmentMeta(cf.db, id);
  cf.db.prepare('DELETE FROM attachments WHERE id = ?').run(id);
  return m.source_id;
}
