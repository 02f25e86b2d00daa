import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectReferenceFormat,
  duplicateKey,
  exportReferences,
  parseReferences,
  toCslJson,
  type ReferenceFormat,
  type SourceInput,
} from '../../../src/core/biblio/formats';
import { latex } from '../../../src/core/biblio/bibtex';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/biblio', name), 'utf8');
const FORMATS: ReferenceFormat[] = ['bibtex', 'ris', 'csl-json'];

/** A library as an analyst builds it in Casefile: every type, scripts, precisions and oddities. */
const LIBRARY: SourceInput[] = [
  {
    key: 'ru2022doklad',
    title: 'Доклад о ситуации в Донбассе: «оценка» — 2022',
    authors: 'Иванов, Иван; Петрова, Анна',
    published: '2022-03-04',
    published_precision: 'day',
    url: 'https://example.ru/doklad?id=1&lang=ru',
    language: 'ru',
    type: 'news',
    reliability: 'C',
    accessed: '2022-03-05',
    notes: 'Перевод: assessment of the situation.\nSecond line.',
  },
  {
    key: 'taliban2021',
    title: 'د اسلامي امارت د ویاند اعلامیه',
    authors: 'د افغانستان اسلامي امارت',
    published: '2021-08',
    published_precision: 'month',
    url: 'https://t.me/example/123',
    language: 'ps',
    type: 'statement',
    reliability: 'D',
    accessed: null,
    notes: null,
  },
  {
    key: 'amaq2019',
    title: 'بيان صادر عن وكالة أعماق',
    authors: 'Amaq News Agency',
    published: '2019',
    published_precision: 'year',
    url: null,
    language: 'ar',
    type: 'propaganda',
    reliability: 'E',
    accessed: null,
    notes: null,
  },
  {
    key: 'acled2024',
    title: 'ACLED codebook -- 50% of R&D {braces} $5 #1 under_score back\\slash ~tilde ^caret `` \'\' "q"',
    authors: 'ACLED',
    published: '2024',
    published_precision: 'year',
    url: 'https://acleddata.com/a%20b?c=1&d={2}#frag',
    language: 'en',
    type: 'dataset',
    reliability: 'A',
    accessed: '2024-01-15',
    notes: 'Export of 2024-01-15; 100% of events\nwith a no-break\u00A0space',
  },
  {
    key: 'un.s-2024:556',
    title: 'Letter dated 22 July 2024 from the Chair of the Security Council Committee',
    authors: '{Security Council Committee, United Nations}; King, Martin Luther, Jr.; van der Berg, Jan',
    published: '2024-07-22',
    published_precision: 'day',
    url: 'https://undocs.org/S/2024/556',
    language: 'fa-AF',
    type: 'official_report',
    reliability: 'B',
    accessed: null,
    notes: null,
  },
  {
    key: 'leak2015',
    title: 'Principles in the administration of the Islamic State',
    authors: null,
    published: null,
    published_precision: 'unknown',
    url: null,
    language: null,
    type: 'leaked_document',
    reliability: 'F',
    accessed: null,
    notes: null,
  },
  {
    key: 'jadoon2022',
    title: 'The Islamic State in Khorasan',
    authors: 'Jadoon, Amira; Mines, Andrew',
    published: '2022-06',
    published_precision: 'month',
    url: null,
    language: 'en-US',
    type: 'research',
    reliability: null,
    accessed: null,
    notes: null,
  },
];

describe('round trip: import, export, import gives the same records', () => {
  for (const format of FORMATS) {
    it(`keeps a Casefile library through ${format} (Russian, Pashto, Arabic titles included)`, () => {
      const first = parseReferences(exportReferences(LIBRARY, format), format);
      expect(first.errors).toEqual([]);
      const second = parseReferences(exportReferences(first.records, format), format);
      expect(second.errors).toEqual([]);
      expect(second.records).toEqual(first.records);
      // Casefile's own fields survive the other formats too (CSL-JSON keeps line breaks in notes
      // exactly; see below for BibTeX and RIS).
      const byKey = new Map(first.records.map((r) => [r.key, r]));
      for (const src of LIBRARY) {
        const got = byKey.get(src.key)!;
        expect(got, src.key).toBeDefined();
        expect({ ...got, notes: null }).toEqual({ ...src, notes: null });
      }
    });
  }

  for (const [name, format] of [
    ['sources.bib', 'bibtex'],
    ['zotero.ris', 'ris'],
    ['zotero.json', 'csl-json'],
  ] as const) {
    for (const out of FORMATS) {
      it(`${name} imported, exported as ${out}, imported again: same records`, () => {
        const first = parseReferences(fixture(name), format);
        const again = parseReferences(exportReferences(first.records, out), out);
        expect(again.errors).toEqual([]);
        expect(again.records).toEqual(first.records);
      });
    }
  }

  it('keeps notes with their line breaks in CSL-JSON, BibTeX and RIS (blank lines: not in RIS)', () => {
    const src = { ...LIBRARY[0]!, notes: 'one\ntwo\n\nafter a blank line' };
    expect(parseReferences(exportReferences([src], 'csl-json')).records[0]!.notes).toBe(src.notes);
    expect(parseReferences(exportReferences([src], 'bibtex')).records[0]!.notes).toBe(src.notes);
    expect(parseReferences(exportReferences([src], 'ris')).records[0]!.notes).toBe('one\ntwo\nafter a blank line');
  });
});

describe('BibTeX', () => {
  it('reads a BibLaTeX file as the analyst meant it', () => {
    const r = parseReferences(fixture('sources.bib'));
    expect(r.format).toBe('bibtex');
    expect(r.errors).toEqual([]);
    const [isw, kommersant, taliban, ar, acled] = r.records;
    expect(isw).toMatchObject({
      key: 'isw2024kharkiv',
      authors: 'Institute for the Study of War',
      title: 'Russian Offensive Campaign Assessment, March 3, 2024',
      published: '2024-03-03',
      published_precision: 'day',
      accessed: '2024-03-05',
      language: 'en',
      type: 'official_report',
      notes: null,
    });
    expect(kommersant).toMatchObject({
      title: 'Доклад о ситуации в Донбассе',
      authors: 'Иванов, Иван; Петрова, Анна',
      language: 'ru',
      type: 'news',
    });
    expect(taliban).toMatchObject({
      title: 'د اسلامي امارت د ویاند اعلامیه',
      authors: 'د افغانستان اسلامي امارت',
      published: '2021-08',
      published_precision: 'month',
      url: 'https://t.me/example/123',
      language: 'ps',
      type: 'statement',
      reliability: 'D',
    });
    // A report whose type says "working paper" is research, not an official report.
    expect(ar).toMatchObject({ title: 'تقرير عن الجماعات المسلحة في الساحل', language: 'ar', type: 'research' });
    expect(acled).toMatchObject({
      title: 'Armed Conflict Location & Event Data Project (ACLED) – 50% of R&D codebook',
      type: 'dataset',
      notes: 'Export of 2024-01-15; see <i>codebook</i>, p.\u00A04.',
    });
  });

  it('writes UTF-8, not the ASCII that drops Cyrillic and Arabic letters', () => {
    const bib = exportReferences([LIBRARY[0]!, LIBRARY[2]!], 'bibtex');
    expect(bib).toContain('title = {Доклад о ситуации в Донбассе: «оценка» — 2022}');
    expect(bib).toContain('بيان صادر عن وكالة أعماق');
    expect(bib).toContain('@article{ru2022doklad,');
    expect(bib).toContain('keywords = {casefile:type=news,casefile:reliability=C}');
    expect(bib).toContain('language = {russian}');
    expect(bib).not.toContain('[Online; accessed');
  });

  it("escapes LaTeX's special characters and ligatures", () => {
    expect(latex("50% R&D {x} $5 #1 a_b \\ ~ ^ -- `` ''")).toBe(
      "50\\% R\\&D \\{x\\} \\$5 \\#1 a\\_b \\textbackslash{} \\textasciitilde{} \\textasciicircum{} -{}- `{}` '{}'",
    );
  });

  it('imports the good entries of a file with a broken one, and names the broken one', () => {
    const text = `@string{un = "{United Nations}"}
@misc{good1, title = {First}, author = un, year = 2020}
@misc{bad, title = {Never closed, author = {A}
@misc{good2, title = {Second}, year = {2021}}
@misc{notitle, author = {Nobody, A}, year = {2022}}
`;
    const r = parseReferences(text);
    expect(r.records.map((x) => [x.key, x.title, x.authors])).toEqual([
      ['good1', 'First', 'United Nations'],
      ['good2', 'Second', null],
    ]);
    expect(r.errors.map((e) => e.index)).toEqual([1, 3]);
    expect(r.errors[0]!.message).toMatch(/^entry 2 \(bad\): not valid BibTeX/);
    expect(r.errors[1]!.message).toBe('entry 4 (notitle): has no title');
  });

  it('renames a key used twice in one file and says so', () => {
    const r = parseReferences('@misc{same, title={A}, year=2020}\n@misc{same, title={B}, year=2021}\n');
    expect(r.records.map((x) => x.key)).toEqual(['same', 'samea']);
    expect(r.warnings).toEqual([
      { index: 1, message: 'entry 2: key "same" is used twice in the file, renamed "samea"' },
    ]);
  });
});

describe('RIS', () => {
  it('reads a Zotero export: BOM, CRLF, newspaper authors and full dates, notes', () => {
    const r = parseReferences(fixture('zotero.ris'));
    expect(r.format).toBe('ris');
    expect(r.records[0]).toEqual({
      key: 'doe2022iskp',
      title: 'ISKP claims attack in Kabul',
      authors: 'Doe, Jane; Khan, Ahmad',
      published: '2022-09-05',
      published_precision: 'day',
      url: 'https://example.org/news/1',
      language: 'en',
      type: 'news',
      reliability: null,
      accessed: '2022-09-06',
      notes: 'First line of a note\nSecond line',
    });
    expect(r.records[1]).toMatchObject({
      key: 'S/2024/556',
      authors: 'United Nations Security Council',
      type: 'official_report',
      published: '2024-07-22',
    });
    expect(r.records[2]).toMatchObject({
      title: 'د ننګرهار پېښه',
      language: 'ps',
      published: '2020',
      published_precision: 'year',
    });
    expect(r.errors).toEqual([{ index: 3, message: 'entry 4: has no title' }]);
    expect(r.warnings.map((w) => w.index)).toEqual([0, 2]);
  });

  it('writes long values unwrapped, so that they come back whole', () => {
    const long = { ...LIBRARY[0]!, title: 'Очень длинное название '.repeat(20).trim() };
    const ris = exportReferences([long], 'ris');
    expect(ris).toContain(`TI  - ${long.title}\r\n`);
    expect(ris).toContain('TY  - NEWS\r\n');
    expect(ris).toContain('AU  - Иванов, Иван\r\n');
    expect(ris).toContain('DA  - 2022/3/4/\r\n');
    expect(parseReferences(ris).records[0]!.title).toBe(long.title);
  });
});

describe('CSL-JSON', () => {
  it('reads Zotero CSL-JSON: URL ids replaced, DOI as URL, impossible dates truncated, markers', () => {
    const r = parseReferences(fixture('zotero.json'));
    expect(r.format).toBe('csl-json');
    const [jadoon, crisis, amaq, dup] = r.records;
    expect(jadoon).toMatchObject({
      key: 'jadoon2022islamic',
      title: 'The Islamic State in Khorasan: a longitudinal study',
      authors: 'Jadoon, Amira; Mines, Andrew',
      published: '2022-06',
      published_precision: 'month',
      url: 'https://doi.org/10.1080/1057610X.2022.0000000',
      language: 'en-US',
      type: 'research',
      notes: 'An abstract.',
    });
    expect(crisis).toMatchObject({
      key: 'ITEM-2',
      authors: 'International Crisis Group',
      type: 'research',
      published: '2024-02',
      accessed: '2024-03-01',
    });
    // 30 February: the month is certain, the day is not.
    expect(amaq).toMatchObject({
      published: '2019-02',
      published_precision: 'month',
      type: 'propaganda',
      reliability: 'E',
      language: 'ar',
    });
    expect(dup!.key).toBe('ITEM-4');
    expect(r.duplicates).toEqual([{ index: 3, of: 0, key: duplicateKey(jadoon!) }]);
    expect(r.errors).toEqual([
      { index: 4, message: 'entry 5 (ITEM-5): has no title' },
      { index: 5, message: 'entry 6: not a CSL-JSON item' },
    ]);
    expect(r.csl[0]!.type).toBe('article-journal');
  });

  it('toCslJson writes CSL that citeproc and Zotero read', () => {
    expect(toCslJson(LIBRARY[4]!)).toEqual({
      id: 'un.s-2024:556',
      'citation-key': 'un.s-2024:556',
      type: 'report',
      title: 'Letter dated 22 July 2024 from the Chair of the Security Council Committee',
      author: [
        { literal: 'Security Council Committee, United Nations' },
        { family: 'King', given: 'Martin Luther', suffix: 'Jr.' },
        { family: 'van der Berg', given: 'Jan' },
      ],
      issued: { 'date-parts': [[2024, 7, 22]] },
      URL: 'https://undocs.org/S/2024/556',
      language: 'fa-AF',
      keyword: 'casefile:type=official_report,casefile:reliability=B',
    });
    expect(toCslJson({ ...LIBRARY[1]!, csl_type: 'personal_communication' }).type).toBe('personal_communication');
  });
});

describe('detection and duplicates', () => {
  it('detects the format from the content', () => {
    expect(detectReferenceFormat('\uFEFF  @article{x,')).toBe('bibtex');
    expect(detectReferenceFormat('\r\nTY  - JOUR\r\n')).toBe('ris');
    expect(detectReferenceFormat(' [{"id":"x"}]')).toBe('csl-json');
    expect(detectReferenceFormat('just some text')).toBeNull();
    expect(() => parseReferences('just some text')).toThrow(/not a BibTeX, RIS or CSL-JSON file/);
  });

  it('duplicateKey ignores case, punctuation, diacritics, Arabic letter forms and date precision', () => {
    const a = { title: 'The Islamic State — in Khorasan!', published: '2022-06-01' };
    const b = { title: 'the islamic state in khorasan', published: '2022' };
    expect(duplicateKey(a)).toBe(duplicateKey(b));
    expect(duplicateKey({ title: 'تقرير عن الجماعات', published: '2019' })).toBe(
      duplicateKey({ title: 'تقریر عن الجماعات', published: '2019' }),
    );
    expect(duplicateKey(a)).not.toBe(duplicateKey({ ...b, published: '2023' }));
  });
});
