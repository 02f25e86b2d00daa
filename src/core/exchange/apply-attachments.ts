import type { FieldDiff } from '../../shared/channels/exchange';
import type { RowValues } from '../../shared/domain/fields';
import type { CaseFile, Tx } from '../write/case-file';
import { holdFrom, loggedRow, type AttachmentRow } from '../sources/attachment-rows';
import { cleanFileName, removeInTx } from '../sources/attachments';

/**
 * Applying a merge plan's attached files (apply.ts's part for them). A file of theirs is copied
 * from their (private, checked) copy attached as `theirs_file` inside SQLite, and only when its
 * size and checksum are still what the plan checked; its content never passes through here.
 */

/** Your row of an attached file as the change log keeps it (no content), or null. */
export const mineAttachment = (cf: CaseFile, id: string): AttachmentRow | null => loggedRow(cf.db, id);

export function removeAttachmentItem(tx: Tx, cf: CaseFile, id: string): boolean {
  if (!loggedRow(cf.db, id)) return false;
  removeInTx(tx, cf.db, id);
  return true;
}

/** Your files of a source they deleted and you chose to delete too: they go with it (undoably). */
export function removeFilesOf(tx: Tx, cf: CaseFile, sourceId: string): void {
  for (const { id } of cf.db.prepare('SELECT id FROM attachments WHERE source_id = ?').all(sourceId) as {
    id: string;
  }[])
    removeInTx(tx, cf.db, id);
}

/** Adds their file; returns why it could not be, or null. */
export function addAttachmentItem(
  tx: Tx,
  cf: CaseFile,
  r: RowValues,
  meta: Partial<Record<'id' | 'created_at' | 'updated_at' | 'author' | 'hlc', string>>,
): string | null {
  if (!cf.get('sources', String(r.source_id))) return 'the source it belongs to is not in your file';
  const id = String(r.id);
  if (!holdFrom(cf.db, 'theirs_file', id, String(r.sha256), Number(r.size)))
    return 'its content in their file is not what was checked';
  const now = new Date().toISOString();
  const row: AttachmentRow = {
    id,
    created_at: meta.created_at ?? now,
    updated_at: meta.updated_at ?? now,
    author: meta.author ?? cf.author,
    hlc: meta.hlc ?? cf.clock.tick(),
    source_id: String(r.source_id),
    name: cleanFileName(String(r.name)),
    media_type: String(r.media_type),
    size: Number(r.size),
    sha256: String(r.sha256),
  };
  tx.apply({ tbl: 'attachments', row_id: id, op: 'insert', field: null, before: null, after: row });
  return null;
}

/** Moves your file to the source they moved it to; returns why it could not be, or null. */
export function moveAttachmentItem(tx: Tx, cf: CaseFile, id: string, f: FieldDiff): string | null {
  const cur = loggedRow(cf.db, id);
  if (!cur) return 'removed by this merge, so their move of it was not applied';
  if (!cf.get('sources', String(f.theirs))) return 'the source they moved it to is not in your file';
  tx.apply({
    tbl: 'attachments',
    row_id: id,
    op: 'update',
    field: 'source_id',
    before: cur.source_id,
    after: String(f.theirs),
  });
  return null;
}
