import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  addAttachment,
  attachmentData,
  listAttachments,
  removeAttachment,
} from '../../../src/core/sources/attachments';
import { citationView, createCitation } from '../../../src/core/sources/citations';
import { mergeSources } from '../../../src/core/sources/library';
import { makePdf } from '../../fixtures/sources/make-pdf';
import { merge, pair, plan } from './pair';

const PDF = makePdf([['Cover'], ['ISKP has weakened inside Afghanistan under', 'Taliban pressure.']]);
const sourceOf = (db: Database.Database, key: string) =>
  (db.prepare('SELECT id FROM sources WHERE key = ?').get(key) as { id: string }).id;

describe('merging attached files', { timeout: 180_000 }, () => {
  it('adds their new file with its content, anchors citations in it, and undoes the merge', async () => {
    const { me, them, theirs } = await pair();
    const src = sourceOf(them.caseFile.db, 'ime2024');
    const { attachment: a } = await addAttachment(them.caseFile, {
      sourceId: src,
      name: 'analysis.pdf',
      mediaType: 'application/pdf',
      data: PDF,
    });
    const incident = (them.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    const c = createCitation(them.caseFile, {
      source_id: src,
      target_table: 'incidents',
      target_id: incident,
      quote: 'weakened inside Afghanistan',
      credibility: 2,
    });
    them.close();

    const { plan: p, result } = await merge(me, theirs);
    expect(p.warnings.join(' ')).not.toMatch(/not merged/);
    const item = p.items.find((x) => x.tbl === 'attachments')!;
    expect(item).toMatchObject({
      kind: 'added',
      label: 'analysis.pdf (935 B)',
      problem: null,
      by: { author: 'Colleague' },
    });
    expect(result.skipped).toEqual([]);
    expect(Buffer.compare(attachmentData(me.caseFile.db, a.id).data, PDF)).toBe(0);
    expect(citationView(me.caseFile.db, c.id as string)!.anchor).toMatchObject({
      state: 'found',
      attachmentId: a.id,
      page: 2,
    });
    // Their history of the file came along: merging again changes nothing.
    expect((await plan(me, theirs)).items).toEqual([]);

    me.caseFile.undo();
    expect(listAttachments(me.caseFile.db, src)).toHaveLength(0);
    me.caseFile.redo();
    expect(Buffer.compare(attachmentData(me.caseFile.db, a.id).data, PDF)).toBe(0);
  });

  it('merges their removal like a delete, and their move of a file when they merged sources', async () => {
    const { me, them, dir } = await pair();
    const src = sourceOf(me.caseFile.db, 'ime2024');
    const dup = me.caseFile.create('sources', { key: 'ime2024b', title: 'Duplicate', type: 'research' });
    const { attachment: gone } = await addAttachment(me.caseFile, {
      sourceId: src,
      name: 'old.txt',
      mediaType: 'text/plain',
      data: Buffer.from('old text'),
    });
    const { attachment: moved } = await addAttachment(me.caseFile, {
      sourceId: dup.id as string,
      name: 'dup.txt',
      mediaType: 'text/plain',
      data: Buffer.from('dup text'),
    });
    them.close();
    // Their copy, taken after both files were attached.
    const { exportCaseFile } = await import('../../../src/core/exchange/export');
    const { colleague } = await import('./pair');
    const path2 = `${dir}/colleague2.casefile`;
    await exportCaseFile(me.caseFile.path, path2, { checked: true });
    const them2 = colleague(dir, path2, 'Colleague2');
    removeAttachment(them2.caseFile, gone.id);
    mergeSources(them2.caseFile, src, [dup.id as string]);
    them2.close();

    const p = await plan(me, path2);
    const kinds = p.items.map((x) => `${x.tbl}:${x.kind}`).sort();
    expect(kinds).toEqual(['attachments:changed', 'attachments:deleted', 'sources:deleted']);
    const movedItem = p.items.find((x) => x.kind === 'changed')!;
    expect(movedItem.label).toBe('dup.txt (8 B): moved to source ime2024');
    // The review shows the sources by key and title, not by their ids (which the merge applies).
    const title = (me.caseFile.db.prepare('SELECT title FROM sources WHERE id = ?').get(src) as { title: string })
      .title;
    expect(movedItem.fields[0]).toMatchObject({
      field: 'source_id',
      mine: dup.id,
      theirs: src,
      shown: { base: 'ime2024b: Duplicate', mine: 'ime2024b: Duplicate', theirs: `ime2024: ${title}` },
    });
    const { result } = await merge(me, path2);
    expect(result).toMatchObject({ deleted: 2, updated: 1, skipped: [] });
    expect(listAttachments(me.caseFile.db, src).map((x) => x.id)).toEqual([moved.id]);
    me.caseFile.undo();
    expect(listAttachments(me.caseFile.db, src).map((x) => x.id)).toEqual([gone.id]);
    expect(attachmentData(me.caseFile.db, gone.id).data.toString()).toBe('old text');
  });

  it('makes their deletion of a source you added a file to a conflict; their removal of its files follows your choice', async () => {
    const { me, them, dir } = await pair();
    const extra = me.caseFile.create('sources', { key: 'extra2025', title: 'Extra', type: 'research' });
    const { attachment: a } = await addAttachment(me.caseFile, {
      sourceId: extra.id as string,
      name: 'a.txt',
      mediaType: 'text/plain',
      data: Buffer.from('alpha'),
    });
    them.close();
    const { exportCaseFile } = await import('../../../src/core/exchange/export');
    const { colleague } = await import('./pair');
    const path2 = `${dir}/colleague3.casefile`;
    await exportCaseFile(me.caseFile.path, path2, { checked: true });
    const them3 = colleague(dir, path2, 'Colleague3');
    const { deleteSource } = await import('../../../src/core/sources/library');
    deleteSource(them3.caseFile, extra.id as string, { reassignTo: null, deleteAttachments: true });
    them3.close();
    const { attachment: b } = await addAttachment(me.caseFile, {
      sourceId: extra.id as string,
      name: 'b.txt',
      mediaType: 'text/plain',
      data: Buffer.from('beta'),
    });

    const p = await plan(me, path2);
    const src = p.items.find((x) => x.tbl === 'sources')!;
    expect(src).toMatchObject({ kind: 'conflict', rowConflict: 'they-deleted' });
    expect(src.reason).toMatch(/it has 1 attached file in your file/);
    expect(p.items.find((x) => x.tbl === 'attachments')).toMatchObject({ id: a.id, kind: 'deleted' });

    const { result } = await merge(me, path2, { prefer: 'theirs' });
    expect(result.deleted).toBe(2);
    expect(me.caseFile.get('sources', extra.id as string)).toBeNull();
    me.caseFile.undo();
    expect(
      listAttachments(me.caseFile.db, extra.id as string)
        .map((x) => x.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
  });

  it('shows a file whose content does not match its checksum, or is too big, and never applies it', async () => {
    const { me, them, theirs } = await pair();
    const src = sourceOf(them.caseFile.db, 'ime2024');
    const { attachment: a } = await addAttachment(them.caseFile, {
      sourceId: src,
      name: 'a.txt',
      mediaType: 'text/plain',
      data: Buffer.from('genuine'),
    });
    const { attachment: b } = await addAttachment(them.caseFile, {
      sourceId: src,
      name: 'b.txt',
      mediaType: 'text/plain',
      data: Buffer.from('second'),
    });
    them.close();
    const raw = new Database(theirs);
    raw.prepare('UPDATE attachments SET data = ? WHERE id = ?').run(Buffer.from('tampere'), a.id);
    raw.prepare('UPDATE attachments SET size = ? WHERE id = ?').run(50 * 1024 * 1024, b.id);
    raw.close();

    const { plan: p, result } = await merge(me, theirs);
    const problems = Object.fromEntries(p.items.filter((x) => x.tbl === 'attachments').map((x) => [x.id, x.problem]));
    expect(problems[a.id]).toMatch(/does not match its checksum/);
    expect(problems[b.id]).toMatch(/at most 40 MB/);
    expect(result.added).toBe(0);
    expect(result.skipped).toHaveLength(2);
    expect(listAttachments(me.caseFile.db, src)).toHaveLength(0);
  });
});
