import { describe, expect, it } from 'vitest';
import {
  addAttachment,
  attachmentData,
  listAttachments,
  removeAttachment,
} from '../../../src/core/sources/attachments';
import { citationView, createCitation } from '../../../src/core/sources/citations';
import { deleteSource, mergeSources } from '../../../src/core/sources/library';
import { makePdf } from '../../fixtures/sources/make-pdf';
import { demoSource } from './helpers';

const PDF = makePdf([['Cover'], ['ISKP has weakened inside Afghanistan under', 'Taliban pressure.']]);

const setup = demoSource;

const log = (cf: ReturnType<typeof setup>['cf'], id: string) =>
  cf.db
    .prepare("SELECT op, field, before, after FROM change_log WHERE tbl = 'attachments' AND row_id = ? ORDER BY seq")
    .all(id) as { op: string; field: string | null; before: string | null; after: string | null }[];

describe('attached files in the change log', () => {
  it('logs attach and remove without the bytes, announces the source, and undoes and redoes both', async () => {
    const { s, cf, source, incident } = setup();
    const events: unknown[] = [];
    s.subscribe((e, p) => e === 'data.changed' && events.push(p));
    const { attachment: a } = await addAttachment(cf, {
      sourceId: source,
      name: 'r.pdf',
      mediaType: 'application/pdf',
      data: PDF,
    });
    expect(cf.history().undoLabel).toBe('Attach r.pdf');
    expect(events.at(-1)).toMatchObject({
      tables: ['sources', 'citations'],
      ids: expect.arrayContaining([a.id, source]),
    });
    const inserted = log(cf, a.id);
    expect(inserted).toHaveLength(1);
    expect(JSON.parse(inserted[0]!.after!)).toEqual(
      expect.objectContaining({ id: a.id, sha256: a.sha256, size: PDF.length, source_id: source }),
    );
    expect(inserted[0]!.after).not.toMatch(/"data"|"text"/);

    const c = createCitation(cf, {
      source_id: source,
      target_table: 'incidents',
      target_id: incident,
      quote: 'weakened inside Afghanistan',
      credibility: 2,
    });
    expect(citationView(cf.db, c.id as string)!.anchor).toMatchObject({ state: 'found', attachmentId: a.id, page: 2 });

    removeAttachment(cf, a.id);
    expect(listAttachments(cf.db, source)).toHaveLength(0);
    expect(citationView(cf.db, c.id as string)!.anchor.state).toBe('no-text');
    expect(log(cf, a.id).at(-1)).toMatchObject({ op: 'delete', after: null });
    expect(log(cf, a.id).at(-1)!.before).not.toMatch(/"data"|"text"/);

    // Undo brings the same file back (same id, bytes and text), and the passage is found again.
    expect(cf.undo().redoLabel).toBe('Remove attached file r.pdf');
    expect(Buffer.compare(attachmentData(cf.db, a.id).data, PDF)).toBe(0);
    expect(citationView(cf.db, c.id as string)!.anchor).toMatchObject({ state: 'found', attachmentId: a.id, page: 2 });
    cf.redo();
    expect(listAttachments(cf.db, source)).toHaveLength(0);
    cf.undo();
    // Undo the citation, then the attach; redo both: the file comes back from the held content.
    cf.undo();
    cf.undo();
    expect(listAttachments(cf.db, source)).toHaveLength(0);
    cf.redo();
    cf.redo();
    expect(listAttachments(cf.db, source).map((x) => x.id)).toEqual([a.id]);
    expect(citationView(cf.db, c.id as string)!.anchor.state).toBe('found');
    // Content held for undo lives in TEMP, never in the case file, and goes when no step needs it.
    expect(cf.db.prepare("SELECT count(*) n FROM sqlite_master WHERE name LIKE '%content%'").get()).toEqual({ n: 0 });
  });

  it('undoes deleting a source with its files, and merging sources moves files undoably', async () => {
    const { cf } = setup();
    const src = cf.create('sources', { key: 'tmp2025', title: 'Temporary', type: 'research' });
    const other = cf.create('sources', { key: 'dup2025', title: 'Duplicate', type: 'research' });
    const { attachment: a } = await addAttachment(cf, {
      sourceId: src.id as string,
      name: 'a.txt',
      mediaType: 'text/plain',
      data: Buffer.from('alpha text'),
    });
    const { attachment: b } = await addAttachment(cf, {
      sourceId: other.id as string,
      name: 'b.txt',
      mediaType: 'text/plain',
      data: Buffer.from('beta text'),
    });

    expect(() => deleteSource(cf, src.id as string, { reassignTo: null, deleteAttachments: false })).toThrow(
      /has 1 attached file: confirm/,
    );
    expect(deleteSource(cf, src.id as string, { reassignTo: null, deleteAttachments: true })).toEqual({
      reassigned: 0,
      attachments: 1,
    });
    expect(cf.get('sources', src.id as string)).toBeNull();
    cf.undo();
    expect(listAttachments(cf.db, src.id as string).map((x) => x.id)).toEqual([a.id]);
    expect(attachmentData(cf.db, a.id).data.toString()).toBe('alpha text');

    expect(mergeSources(cf, src.id as string, [other.id as string])).toMatchObject({ attachments: 1 });
    expect(
      listAttachments(cf.db, src.id as string)
        .map((x) => x.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(log(cf, b.id).at(-1)).toMatchObject({ op: 'update', field: 'source_id' });
    cf.undo();
    expect(listAttachments(cf.db, other.id as string).map((x) => x.id)).toEqual([b.id]);
  });

  it('drops held content once no undo or redo step can use it', async () => {
    const { cf, source } = setup();
    const { attachment: a } = await addAttachment(cf, {
      sourceId: source,
      name: 'a.txt',
      mediaType: 'text/plain',
      data: Buffer.from('alpha'),
    });
    removeAttachment(cf, a.id);
    const held = () => (cf.db.prepare('SELECT count(*) n FROM temp.attachment_content').get() as { n: number }).n;
    expect(held()).toBe(1);
    cf.undo();
    expect(held()).toBe(0); // back in the table, which holds it
    cf.undo(); // the attach: its content is held for redo
    expect(held()).toBe(1);
    cf.update('sources', source, { notes: 'a new edit clears the redo stack' });
    expect(held()).toBe(0);
  });
});
