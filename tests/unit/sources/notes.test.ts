import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DOMPurify, { type WindowLike } from 'dompurify';
import { describe, expect, it } from 'vitest';
import { citationsFor } from '../../../src/core/sources/citations';
import { saveSource } from '../../../src/core/sources/library';
import { fileBaseOf, listNotes, noteExportBundle, renderNoteHtml, saveNote } from '../../../src/core/sources/notes';
import { setStatus } from '../../../src/core/sources/review';
import { sanitizeNoteHtml } from '../../../src/shared/markdown/sanitize';
import { tagsOf, unsafeParts } from '../biblio/html-tags';
import { session } from '../../helpers';

// jsdom (a devDependency) ships no types: loaded by name, as in tests/unit/biblio/sanitize.test.ts.
const jsdomName = 'jsdom';
const { JSDOM } = (await import(/* @vite-ignore */ jsdomName)) as { JSDOM: new (html: string) => { window: unknown } };
const purify = DOMPurify(new JSDOM('<!doctype html><html><body></body></html>').window as WindowLike);

type Hostile = {
  cases: { name: string; markdown: string }[];
  generators: { name: string; bytes: number; unit: string }[];
};
const corpus = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/biblio/hostile.json'), 'utf8'),
) as Hostile;

describe('notes and their citations', () => {
  it('creates a citation row per source and locator cited, keeps rows (and reviews) across edits', () => {
    const { s } = session();
    const cf = s.caseFile;
    const note = saveNote(cf, null, 'Assessment', 'Weaker at home [@ime2024, p. 4; @centcom2022], says @acled.');
    const id = note.id as string;
    const rows = () =>
      citationsFor(cf.db, 'notes', id).map((c) => [c.source_key, c.locator_type, c.locator, c.orphaned]);
    expect(rows()).toEqual([
      ['ime2024', 'page', '4', false],
      ['centcom2022', null, null, false],
      ['acled', null, null, false],
    ]);
    const ime = citationsFor(cf.db, 'notes', id)[0]!;

    // The page changes: the same row, re-pointed; a dropped key's unreviewed row goes.
    saveNote(cf, id, 'Assessment', 'Weaker at home [@ime2024, p. 5; @centcom2022].');
    expect(rows()).toEqual([
      ['ime2024', 'page', '5', false],
      ['centcom2022', null, null, false],
    ]);
    expect(citationsFor(cf.db, 'notes', id)[0]!.id).toBe(ime.id);

    // A reviewed citation whose key is taken out stays, flagged as no longer in the note.
    setStatus(cf, ime.id, 'disputed', 'Page 5 says the opposite.');
    saveNote(cf, id, 'Assessment', 'Weaker at home [@centcom2022]; unknown [@nobody].');
    expect(rows()).toEqual([
      ['ime2024', 'page', '5', true],
      ['centcom2022', null, null, false],
    ]);
    saveNote(cf, id, 'Assessment', 'Back [@ime2024, p. 5] and [@centcom2022].');
    expect(rows()).toEqual([
      ['ime2024', 'page', '5', false],
      ['centcom2022', null, null, false],
    ]);
    expect(citationsFor(cf.db, 'notes', id)[0]).toMatchObject({
      id: ime.id,
      status: 'disputed',
      reviewer: 'Test Analyst',
    });
    expect(listNotes(cf.db).find((n) => n.id === id)).toMatchObject({ title: 'Assessment', citations: 2 });

    // One save is one undo step: the text and its citations go back together.
    cf.undo();
    expect(cf.get('notes', id)!.body).toBe('Weaker at home [@centcom2022]; unknown [@nobody].');
    expect(rows()[0]![3]).toBe(true);
  });

  it('renders citations and a Chicago bibliography (APA on request), flagging unknown keys', () => {
    const { s } = session();
    const db = s.caseFile.db;
    const r = renderNoteHtml(db, 'Shrunk [@ime2024, p. 4], yet grew [@centcom2022; @nobody].', 'chicago-author-date');
    expect(r.html).toBe(
      '<p>Shrunk <span class="citation" data-cites="ime2024">(Institute of the Middle East (Moscow) 2024, 4)</span>, yet grew ' +
        '<span class="citation" data-cites="centcom2022 nobody">(U.S. Central Command 2022)</span>.</p>\n',
    );
    expect(r.bibliography).toEqual([
      '<div class="csl-entry">Institute of the Middle East (Moscow). 2024. “ИГ-Хорасан: ослабление в Афганистане и рост внешних операций.”</div>',
      '<div class="csl-entry">U.S. Central Command. 2022. “Posture Statement to Congress (March 2022).”</div>',
    ]);
    expect(r.missing).toEqual(['nobody']);
    const apa = renderNoteHtml(db, '[@acled, p. 2]', 'apa');
    expect(apa.html).toContain('(ACLED, 2024, p. 2)');
    expect(apa.bibliography).toEqual([
      '<div class="csl-entry">ACLED. (2024). <i>Armed Conflict Location &#38; Event Data (ACLED): Afghanistan</i> [Dataset].</div>',
    ]);
  });

  it('exports Markdown with a YAML header and the CSL-JSON of what the note cites', () => {
    const { s } = session();
    const note = saveNote(s.caseFile, null, 'ISKP: "strategic silence"?', 'See [@ghag] and [@ime2024, p. 4].');
    const b = noteExportBundle(s.caseFile.db, note.id as string, 'apa');
    expect(b.fileBase).toBe('ISKP-strategic-silence');
    expect(b.markdown).toBe(
      '---\ntitle: "ISKP: \\"strategic silence\\"?"\nbibliography: "ISKP-strategic-silence.json"\ncsl: "apa.csl"\n---\n\nSee [@ghag] and [@ime2024, p. 4].\n',
    );
    expect((JSON.parse(b.cslJson) as { id: string }[]).map((i) => i.id).sort()).toEqual(['ghag', 'ime2024']);
    expect(fileBaseOf('د طالبانو / اعلامیه')).toBe('د-طالبانو-اعلامیه');
    expect(fileBaseOf('***')).toBe('note');
  });
});

describe('hostile notes and sources, through the whole pipeline', () => {
  it('renders every hostile case, with hostile source titles cited, to sanitized HTML with nothing executable', () => {
    const { s } = session();
    const cf = s.caseFile;
    saveSource(cf, null, {
      key: 'evil',
      title: '<img src=x onerror=alert(1)><script>alert(2)</script>\u202Egpj.exe',
      authors: '<svg onload=alert(3)>',
      type: 'news',
      url: 'javascript:alert(4)',
    });
    for (const c of [...corpus.cases, { name: 'cites evil', markdown: 'See [@evil] and [@evil, p. <b>4</b>].' }]) {
      const r = renderNoteHtml(cf.db, c.markdown, 'chicago-author-date');
      const html = sanitizeNoteHtml(purify, r.html + r.bibliography.join(''));
      // The bibliography adds <div class="csl-entry"> and <i> to what a note's body may hold.
      expect(
        unsafeParts(html).filter((p) => !/^tag <(div|i|b)>$/.test(p)),
        c.name,
      ).toEqual([]);
      expect(html, c.name).not.toMatch(
        /<(script|iframe|form|button|input|svg|math|style|img|object|embed|meta|base)\b/i,
      );
      for (const tag of tagsOf(html))
        for (const a of tag.attrs) expect(a.name.startsWith('on'), `${c.name}: ${a.name}`).toBe(false);
    }
    const bidi = renderNoteHtml(
      cf.db,
      corpus.cases.find((c) => c.name === 'right-to-left override')!.markdown,
      'chicago-author-date',
    ).bidi;
    expect(bidi.map((b) => b.name)).toEqual(['RIGHT-TO-LEFT OVERRIDE', 'RIGHT-TO-LEFT OVERRIDE']);
  });

  it('renders the 1 MB note, formatting each distinct citation once', () => {
    const { s } = session();
    const g = corpus.generators[0]!;
    const md = g.unit.repeat(Math.ceil(g.bytes / g.unit.length)).slice(0, g.bytes);
    const r = renderNoteHtml(s.caseFile.db, md, 'chicago-author-date');
    expect(r.missing.sort()).toEqual(['acled2024', 'gtd2023', 'isw2024', 'un2024']);
    expect(unsafeParts(r.html)).toEqual([]);
    // A note holds at most a million characters: a longer one is refused with the reason, a 1 MB one is kept.
    expect(() => saveNote(s.caseFile, null, 'Bigger', md)).toThrow('Body is longer than 1000000 characters');
    const saved = saveNote(s.caseFile, null, 'Big', md.slice(0, 1_000_000));
    expect(saved.body).toHaveLength(1_000_000);
  });
});
