import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citationRenderer, renderCitationsWith, type CitationClusterInput } from '../../../src/core/biblio/citeproc';
import { loadCslResources, renderCitations } from '../../../src/core/biblio/citeproc-node';
import { toCslJson, type SourceInput } from '../../../src/core/biblio/formats';
import { tagsOf } from './html-tags';

const base = { url: null, reliability: null, accessed: null, notes: null } as const;
const SOURCES: SourceInput[] = [
  {
    ...base,
    key: 'ime2024',
    title: 'Annual Threat Assessment',
    authors: 'Institute of the Middle East',
    published: '2024',
    published_precision: 'year',
    url: 'https://example.org/ata',
    language: 'en',
    type: 'official_report',
  },
  {
    ...base,
    key: 'smith2023',
    title: 'Drone warfare in the Sahel',
    authors: 'Smith, John; Doe, Jane',
    published: '2023-05',
    published_precision: 'month',
    language: 'en',
    type: 'research',
  },
  {
    ...base,
    key: 'ps2022',
    title: 'د طالبانو اعلامیه',
    authors: 'Zabihullah Mujahid',
    published: '2022-03-04',
    published_precision: 'day',
    url: 'https://t.me/x/1',
    language: 'ps',
    type: 'statement',
  },
  {
    ...base,
    key: 'ru2022',
    title: 'Доклад о ситуации',
    authors: 'Иванов, Иван',
    published: '2022-03-04',
    published_precision: 'day',
    language: 'ru',
    type: 'news',
  },
];
const ITEMS = SOURCES.map(toCslJson);

const CLUSTERS: CitationClusterInput[] = [
  { id: 'c1', items: [{ id: 'ime2024', locator: '4', label: 'page' }] },
  { id: 'c2', items: [{ id: 'smith2023', prefix: 'see', locator: '3-5' }, { id: 'ru2022' }] },
  { id: 'c3', items: [{ id: 'ps2022', locator: '01:02:03', label: 'timestamp' }] },
  { id: 'c4', items: [{ id: 'smith2023', locator: '12' }], inText: true },
  { id: 'c5', items: [{ id: 'nope' }] },
  {
    id: 'c6',
    items: [
      { id: 'ime2024', locator: '7', label: 'paragraph' },
      { id: 'ps2022', label: 'section', locator: '2' },
    ],
  },
];

describe('citeproc with the bundled styles', () => {
  it('Chicago author-date (the default), plain text', () => {
    const r = renderCitations(ITEMS, CLUSTERS);
    expect(r.citations).toEqual({
      c1: '(Institute of the Middle East 2024, 4)',
      c2: '(see Smith and Doe 2023, 3–5; Иванов 2022)',
      c3: '(Zabihullah Mujahid 2022, 01:02:03)',
      c4: 'Smith and Doe (2023, 12)',
      c5: '',
      c6: '(Institute of the Middle East 2024, para. 7; Zabihullah Mujahid 2022, sec. 2)',
    });
    expect(r.bibliography).toEqual([
      'Institute of the Middle East. 2024. “Annual Threat Assessment.” https://example.org/ata.',
      'Smith, John, and Jane Doe. 2023. “Drone Warfare in the Sahel.”',
      'Zabihullah Mujahid. 2022. “د طالبانو اعلامیه.” https://t.me/x/1.',
      'Иванов, Иван. 2022. “Доклад о ситуации,” March 4, 2022.',
    ]);
    expect(r.missing).toEqual(['nope']);
  });

  it('APA 7th edition, plain text and HTML', () => {
    const text = renderCitations(ITEMS, CLUSTERS, 'apa', 'text');
    expect(text.citations).toEqual({
      c1: '(Institute of the Middle East, 2024, p. 4)',
      c2: '(see Smith & Doe, 2023, pp. 3–5; Иванов, 2022)',
      c3: '(Zabihullah Mujahid, 2022, 01:02:03)',
      c4: 'Smith & Doe (2023, p. 12)',
      c5: '',
      c6: '(Institute of the Middle East, 2024, para. 7; Zabihullah Mujahid, 2022, Section 2)',
    });
    expect(text.bibliography).toEqual([
      'Institute of the Middle East. (2024). Annual Threat Assessment. https://example.org/ata',
      'Smith, J., & Doe, J. (2023). Drone warfare in the Sahel.',
      'Zabihullah Mujahid. (2022, March 4). د طالبانو اعلامیه [Online post]. https://t.me/x/1',
      'Иванов, И. (2022, March 4). Доклад о ситуации.',
    ]);
    const html = renderCitations(ITEMS, CLUSTERS.slice(0, 2), 'apa', 'html');
    expect(html.citations.c2).toBe('(see Smith &#38; Doe, 2023, pp. 3–5; Иванов, 2022)');
    expect(html.bibliography[0]).toBe(
      '<div class="csl-entry">Institute of the Middle East. (2024). <i>Annual Threat Assessment</i>. https://example.org/ata</div>',
    );
  });

  it('disambiguates by year suffix, and a later call starts from a clean processor', () => {
    const a = {
      id: 'a',
      type: 'report',
      title: 'First',
      author: [{ literal: 'ISW' }],
      issued: { 'date-parts': [[2024]] },
    };
    const b = {
      id: 'b',
      type: 'report',
      title: 'Second',
      author: [{ literal: 'ISW' }],
      issued: { 'date-parts': [[2024]] },
    };
    const both = renderCitations(
      [a, b],
      [
        { id: 'x', items: [{ id: 'a' }] },
        { id: 'y', items: [{ id: 'b' }] },
      ],
    );
    expect(both.citations).toEqual({ x: '(ISW 2024a)', y: '(ISW 2024b)' });
    expect(both.bibliography).toEqual(['ISW. 2024a. “First.”', '———. 2024b. “Second.”']);
    const one = renderCitations([{ ...a, title: 'Edited title' }], [{ id: 'x', items: [{ id: 'a' }] }]);
    expect(one.citations).toEqual({ x: '(ISW 2024)' });
    expect(one.bibliography).toEqual(['ISW. 2024. “Edited Title.”']);
  });

  it('lists only cited works unless asked for all, which then count in disambiguation', () => {
    const a = {
      id: 'a',
      type: 'report',
      title: 'First',
      author: [{ literal: 'ISW' }],
      issued: { 'date-parts': [[2024]] },
    };
    const b = {
      id: 'b',
      type: 'report',
      title: 'Second',
      author: [{ literal: 'ISW' }],
      issued: { 'date-parts': [[2024]] },
    };
    expect(renderCitations([a, b], [{ id: 'x', items: [{ id: 'a' }] }]).bibliography).toEqual(['ISW. 2024. “First.”']);
    const all = renderCitations([a, b], [{ id: 'x', items: [{ id: 'a' }] }], 'chicago-author-date', 'text', {
      bibliography: 'all',
    });
    expect(all.citations).toEqual({ x: '(ISW 2024a)' });
    expect(all.bibliography).toHaveLength(2);
    expect(renderCitations([a, b], []).bibliography).toEqual([]);
  });

  it('runs from XML strings alone (what the renderer passes, imported with ?raw)', () => {
    const dir = join(import.meta.dirname, '../../../resources/csl');
    const resources = {
      styles: { 'chicago-author-date': readFileSync(join(dir, 'chicago-author-date.csl'), 'utf8') },
      locales: { 'en-US': readFileSync(join(dir, 'locales-en-US.xml'), 'utf8') },
    };
    const r = renderCitationsWith(resources, ITEMS, [CLUSTERS[0]!], 'chicago-author-date', 'text');
    expect(r.citations.c1).toBe('(Institute of the Middle East 2024, 4)');
    expect(() => renderCitationsWith(resources, ITEMS, [CLUSTERS[0]!], 'apa', 'text')).toThrow(/"apa" is not loaded/);
    const render = citationRenderer(loadCslResources(dir));
    expect(render(ITEMS, [CLUSTERS[0]!]).citations.c1).toBe('(Institute of the Middle East 2024, 4)');
  });

  it('escapes hostile titles, names and affixes in HTML output', () => {
    const hostile = {
      id: 'h',
      type: 'report',
      title: '<script>alert(1)</script> & <b onclick="x">bold</b>',
      author: [{ literal: '<img src=x onerror=alert(1)>' }],
      issued: { 'date-parts': [[2020]] },
      URL: 'javascript:alert(1)',
    };
    for (const style of ['chicago-author-date', 'apa'] as const) {
      const r = renderCitations(
        [hostile],
        [{ id: 'c', items: [{ id: 'h', prefix: '<script>', suffix: '<iframe>' }] }],
        style,
        'html',
      );
      for (const html of [r.citations.c!, ...r.bibliography]) {
        for (const tag of tagsOf(html)) {
          expect(['div', 'i', 'b', 'span', 'sup', 'sub']).toContain(tag.name);
          expect(tag.attrs.filter((a) => !['class', 'style'].includes(a.name))).toEqual([]);
        }
        expect(html).not.toMatch(/<(script|img|iframe)/i);
        expect(html).not.toMatch(/href=/i);
      }
    }
  });
});
