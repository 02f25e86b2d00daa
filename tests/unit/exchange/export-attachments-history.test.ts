import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { addAttachment, removeAttachment } from '../../../src/core/sources/attachments';
import { session, tempDir } from '../../helpers';

describe('an exported copy and removed attached files', () => {
  it('keeps that a file was attached and removed, but not its name or checksum', async () => {
    const { s } = session({ demo: true });
    const src = (s.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string }).id;
    const { attachment } = await addAttachment(s.caseFile, {
      sourceId: src,
      name: 'informant-names.txt',
      mediaType: 'text/plain',
      data: Buffer.from('private notes'),
    });
    removeAttachment(s.caseFile, attachment.id);
    const out = join(tempDir(), 'for-colleague.casefile');
    await exportCaseFile(s.caseFile.path, out, { checked: true });
    s.close();

    const db = new Database(out, { readonly: true });
    const log = db.prepare("SELECT op, before, after FROM change_log WHERE tbl = 'attachments' ORDER BY seq").all() as {
      op: string;
      before: string | null;
      after: string | null;
    }[];
    expect(log.map((l) => l.op)).toEqual(['insert', 'delete']);
    expect(log.every((l) => l.before === null && l.after === null)).toBe(true);
    const all = (
      db.prepare("SELECT group_concat(coalesce(before, '') || coalesce(after, '')) t FROM change_log").get() as {
        t: string;
      }
    ).t;
    expect(all).not.toContain('informant-names');
    db.close();
  });

  it('without its attached files, carries none of their names or checksums in the history', async () => {
    const { s } = session({ demo: true });
    const src = (s.caseFile.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string }).id;
    const { attachment } = await addAttachment(s.caseFile, {
      sourceId: src,
      name: 'informant-names.txt',
      mediaType: 'text/plain',
      data: Buffer.from('private notes'),
    });
    const out = join(tempDir(), 'no-files.casefile');
    await exportCaseFile(s.caseFile.path, out, { checked: true, attachments: false });
    s.close();

    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(*) n FROM attachments').get()).toEqual({ n: 0 });
    const log = db
      .prepare("SELECT op, after FROM change_log WHERE tbl = 'attachments' AND row_id = ?")
      .all(attachment.id) as { op: string; after: string | null }[];
    expect(log).toEqual([{ op: 'insert', after: null }]);
    db.close();
  });
});
