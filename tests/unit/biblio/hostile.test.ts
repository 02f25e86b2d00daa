import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCitations, renderNote, type CitationCluster } from '../../../src/shared/markdown/citations';
import { findBidiControls } from '../../../src/shared/markdown/bidi';
import { tagsOf, unsafeParts } from './html-tags';

type Hostile = {
  cases: { name: string; markdown: string }[];
  generators: { name: string; bytes: number; unit: string }[];
};
const corpus = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/biblio/hostile.json'), 'utf8'),
) as Hostile;

function generate(g: Hostile['generators'][number]): string {
  return g.unit.repeat(Math.ceil(g.bytes / g.unit.length)).slice(0, g.bytes);
}

/** A resolver that itself returns markup: what it says must be escaped too. */
const resolve = (c: CitationCluster) => `<script>alert("${c.items.map((i) => i.key).join(';')}")</script>`;

describe('hostile notes render with no executable content', () => {
  for (const c of corpus.cases) {
    it(c.name, () => {
      const html = renderNote(c.markdown, resolve);
      expect(unsafeParts(html)).toEqual([]);
      expect(html).not.toMatch(/<(script|iframe|form|button|input|svg|math|style|img|object|embed|meta|base)\b/i);
      for (const tag of tagsOf(html)) {
        for (const a of tag.attrs) expect(a.name.startsWith('on'), `${a.name} on <${tag.name}>`).toBe(false);
      }
    });
  }

  it('keeps the raw HTML of a note visible as text, not as markup', () => {
    const html = renderNote('<script>alert(1)</script>', resolve);
    expect(html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  it('flags the right-to-left override of "invoice\\u202Egpj.exe"', () => {
    const c = corpus.cases.find((x) => x.name === 'right-to-left override')!;
    const found = findBidiControls(c.markdown);
    expect(found.map((f) => f.name)).toEqual(['RIGHT-TO-LEFT OVERRIDE', 'RIGHT-TO-LEFT OVERRIDE']);
    expect(c.markdown[found[0]!.index]).toBe('\u202E');
  });

  for (const g of corpus.generators) {
    it(`${g.name}: renders, finds its citations, and stays inert`, () => {
      const md = generate(g);
      expect(md.length).toBe(g.bytes);
      const html = renderNote(md, (c) => `(${c.items.length})`);
      expect(unsafeParts(html)).toEqual([]);
      const clusters = parseCitations(md);
      const perUnit = parseCitations(g.unit).length;
      expect(perUnit).toBe(3);
      expect(clusters.length).toBeGreaterThanOrEqual(perUnit * Math.floor(g.bytes / g.unit.length));
      for (const c of clusters.slice(-5)) expect(md.slice(c.start, c.end)).toBe(c.raw);
    });
  }
});
