import { describe, expect, it } from 'vitest';
import { deleteSource, findDuplicates, listSources, mergeSources, saveSource } from '../../../src/core/sources/library';
import { saveNote } from '../../../src/core/sources/notes';
import { createCitation } from '../../../src/core/sources/citations';
import { addAttachment } from '../../../src/core/sources/attachments';
import { session } from '../../helpers';

const idOf = (s: ReturnType<typeof session>['s'], key: string) =>
  (s.caseFile.db.prepare('SELECT id FROM sources WHERE key = ?').get(key) as { id: string }).id;
const count = (s: ReturnType<typeof session>['s'], sql: string, ...p: unknown[]) =>
  (s.caseFile.db.prepare(sql).get(...p) as { n: number }).n;

describe('source library', () => {
  it('creates, edits and lists sources with grades, refusing bad and taken keys with a clear message', () => {
    const { s } = session();
    const cf = s.caseFile;
    const row = saveSource(cf, null, {
      key: 'un2024',
      title: 'Report of the Monitoring Team',
      authors: 'United Nations',
      type: 'official_report',
      reliability: 'A',
      published: '2024-07',
    });
    expect(row.published_precision).toBe('month');
    expect(() => saveSource(cf, null, { key: 'ime2024', title: 'x', type: 'news' })).toThrow(
      /Key "ime2024" is already used by "ИГ-Хорасан/,
    );
    expect(() => saveSource(cf, null, { key: 'bad key!', title: 'x', type: 'news' })).toThrow(
      /not a valid citation key/,
    );
    expect(() => saveSource(cf, row.id as string, { reliability: 'G' })).toThrow(/Reliability must be one of/);
    saveSource(cf, row.id as string, { reliability: 'B', accessed: '2024-08-01' });
    expect(cf.get('sources', row.id as string)).toMatchObject({ reliability: 'B', accessed: '2024-08-01' });

    const graded = listSources(cf.db, { search: '', reliability: ['A', 'B'], limit: 100 });
    expect(graded.rows.map((r) => r.key).sort()).toEqual(['acled', 'centcom2022', 'ime2024', 'un2024']);
    expect(graded.rows.find((r) => r.key === 'ime2024')!.cites).toBeGreaterThan(10);
    expect(listSources(cf.db, { search: 'monitoring', reliability: [], limit: 100 }).rows.map((r) => r.key)).toEqual([
      'un2024',
    ]);
    expect(listSources(cf.db, { search: '', reliability: ['F'], limit: 100 }).rows.map((r) => r.key)).toEqual(['ghag']);
  });

  it('renames a key in the notes that cite it, and undo puts both back', () => {
    const { s } = session();
    const cf = s.caseFile;
    const note = saveNote(
      cf,
      null,
      'Brief',
      'As [@centcom2022, p. 3] says; `[@centcom2022]` in code stays; mail x@centcom2022.org.',
    );
    saveSource(cf, idOf(s, 'centcom2022'), { key: 'centcom_posture_2022' });
    expect(cf.get('notes', note.id as string)!.body).toBe(
      'As [@centcom_posture_2022, p. 3] says; `[@centcom2022]` in code stays; mail x@centcom2022.org.',
    );
    cf.undo();
    expect(cf.get('notes', note.id as string)!.body).toContain('[@centcom2022, p. 3]');
    expect(idOf(s, 'centcom2022')).toBeTruthy();
  });

  it('finds duplicates and merges them: citations and note keys move to the kept source, empty fields are filled', () => {
    const { s } = session();
    const cf = s.caseFile;
    const dup = saveSource(cf, null, {
      key: 'centcom_dup',
      title: 'Posture Statement to Congress (March 2022).',
      published: '2022-03-15',
      type: 'official_report',
      url: 'https://example.org/posture',
      notes: 'Second copy',
    });
    const incident = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    createCitation(cf, {
      source_id: dup.id as string,
      target_table: 'incidents',
      target_id: incident,
      quote: 'grew',
      credibility: 2,
    });
    const note = saveNote(cf, null, 'Dup note', 'See [@centcom_dup].');
    const groups = findDuplicates(cf.db);
    const keep = idOf(s, 'centcom2022');
    expect(groups).toEqual([{ match: expect.stringContaining('posturestatementtocongress'), ids: [keep, dup.id] }]);

    const before = count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', keep);
    const r = mergeSources(cf, keep, [dup.id as string]);
    expect(r.citations).toBe(2);
    expect(count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', keep)).toBe(before + 2);
    expect(cf.get('sources', dup.id as string)).toBeNull();
    expect(cf.get('notes', note.id as string)!.body).toBe('See [@centcom2022].');
    const kept = cf.get('sources', keep)!;
    expect(kept.url).toBe('https://example.org/posture');
    expect(kept.notes).toMatch(/States that ISKP grew[\s\S]*\(from centcom_dup\) Second copy/);

    cf.undo();
    expect(cf.get('sources', dup.id as string)).not.toBeNull();
    expect(count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', dup.id)).toBe(2);
  });

  it('refuses to delete a cited source, deletes it when its citations are reassigned, and asks before deleting files', async () => {
    const { s } = session();
    const cf = s.caseFile;
    const gdi = idOf(s, 'gdi2022');
    const ghag = idOf(s, 'ghag');
    const n = count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', gdi);
    expect(n).toBeGreaterThan(0);
    expect(() => deleteSource(cf, gdi, { reassignTo: null, deleteAttachments: false })).toThrow(
      /is cited \d+ times?: reassign/,
    );
    expect(cf.get('sources', gdi)).not.toBeNull();

    await addAttachment(cf, {
      sourceId: gdi,
      name: 'denial.txt',
      mediaType: 'text/plain',
      data: Buffer.from('There is no ISKP presence in Afghanistan.'),
    });
    expect(() => deleteSource(cf, gdi, { reassignTo: ghag, deleteAttachments: false })).toThrow(
      /has 1 attached file: confirm/,
    );
    const before = count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', ghag);
    const r = deleteSource(cf, gdi, { reassignTo: ghag, deleteAttachments: true });
    expect(r).toEqual({ reassigned: n, attachments: 1 });
    expect(cf.get('sources', gdi)).toBeNull();
    expect(count(s, 'SELECT count(*) n FROM citations WHERE source_id = ?', ghag)).toBe(before + n);
    // The demo note cited both: it now cites ghag twice, through the renamed key.
    const body = (cf.db.prepare('SELECT body FROM notes LIMIT 1').get() as { body: string }).body;
    expect(body).not.toContain('@gdi2022');

    // An uncited source just goes.
    const lone = saveSource(cf, null, { key: 'lone', title: 'Lone', type: 'news' });
    expect(deleteSource(cf, lone.id as string, { reassignTo: null, deleteAttachments: false })).toEqual({
      reassigned: 0,
      attachments: 0,
    });
  });
});
