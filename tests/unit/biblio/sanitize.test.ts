import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DOMPurify, { type WindowLike } from 'dompurify';
import { describe, expect, it } from 'vitest';
import { renderNote } from '../../../src/shared/markdown/citations';
import { NOTE_ALLOWED_TAGS, sanitizeNoteHtml } from '../../../src/shared/markdown/sanitize';
import { tagsOf } from './html-tags';

/**
 * DOMPurify needs a DOM. The DOM tests run when jsdom is installed (a devDependency: `jsdom`);
 * without it they are skipped and only the fail-closed check runs.
 */
const jsdomName = 'jsdom';
const jsdom = (await import(/* @vite-ignore */ jsdomName).catch(() => null)) as {
  JSDOM: new (html: string) => { window: unknown };
} | null;
const purifier = jsdom
  ? DOMPurify(new jsdom.JSDOM('<!doctype html><html><body></body></html>').window as WindowLike)
  : null;
const describeDom = purifier ? describe : describe.skip;

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/biblio/hostile.json'), 'utf8')) as {
  cases: { name: string; markdown: string }[];
};

/** Raw HTML as a future markdown plugin or a citeproc style might let through. */
const RAW_HOSTILE = [
  '<script>alert(1)</script>',
  '<img src="https://evil.example/p.gif" onerror="alert(1)">',
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">go</button><textarea></textarea><select><option>x</option></select></form>',
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<svg onload="alert(1)"><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<style>body{display:none}</style><p style="background:url(javascript:alert(1))">x</p>',
  '<a href="javascript:alert(1)">js</a><a href="JAVASCRIPT:alert(1)">JS</a><a href=" javascript:alert(1)">sp</a>',
  '<a href="file:///etc/passwd">file</a><a href="data:text/html,<script>alert(1)</script>">data</a><a href="vbscript:x">vb</a>',
  '<a href="https://ok.example/" target="_blank" onclick="alert(1)" ping="https://evil.example/">ok</a>',
  '<div onmouseover="alert(1)" id="x" name="y">hover</div><details open ontoggle="alert(1)">d</details>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">',
  '<video src="x" onerror="alert(1)"></video><audio src="x"></audio><canvas></canvas><template><script>alert(1)</script></template>',
  '<p>text \u202Egpj.exe</p>',
];

/** What sanitized HTML may hold: allowed tags, allowed attributes, web and mail links only. */
function problems(html: string): string[] {
  const out: string[] = [];
  const allowedTags = new Set<string>(NOTE_ALLOWED_TAGS);
  const allowedAttrs = new Set([
    'href',
    'title',
    'class',
    'data-cites',
    'dir',
    'lang',
    'start',
    'colspan',
    'rowspan',
    'rel',
  ]);
  for (const tag of tagsOf(html)) {
    if (!allowedTags.has(tag.name)) out.push(`<${tag.name}>`);
    for (const a of tag.attrs) {
      if (!allowedAttrs.has(a.name)) out.push(`${a.name}= on <${tag.name}>`);
      if (a.name === 'href' && !/^(https?:\/\/|mailto:)/i.test(a.value ?? '')) out.push(`href=${a.value}`);
    }
  }
  return out;
}

describe('sanitizeNoteHtml without a DOM', () => {
  it('refuses to pass HTML through when DOMPurify cannot work (it would return it unchanged)', () => {
    // Node without jsdom: DOMPurify is not supported, and its sanitize() is the identity.
    expect(DOMPurify.isSupported).toBe(false);
    expect(() => sanitizeNoteHtml(DOMPurify, '<script>alert(1)</script>')).toThrow(/refusing/);
  });
});

describeDom('sanitizeNoteHtml with DOMPurify on jsdom', () => {
  for (const html of RAW_HOSTILE) {
    it(`cleans ${html.slice(0, 60)}`, () => {
      const clean = sanitizeNoteHtml(purifier!, html);
      expect(problems(clean)).toEqual([]);
      expect(clean).not.toMatch(/javascript:|vbscript:|file:|data:text/i);
    });
  }

  it('keeps what a rendered note needs: paragraphs, links, citations, code, tables', () => {
    const md =
      'See [ACLED](https://acleddata.com/) and [@acled2024, p. 4].\n\n`code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const html = renderNote(md, () => '(ACLED 2024, 4)');
    const clean = sanitizeNoteHtml(purifier!, html);
    expect(clean).toContain('<a href="https://acleddata.com/" rel="noopener noreferrer nofollow">ACLED</a>');
    expect(clean).toContain('<span class="citation" data-cites="acled2024">(ACLED 2024, 4)</span>');
    expect(clean).toContain('<code>code</code>');
    expect(clean).toContain('<td>1</td>');
  });

  for (const c of corpus.cases) {
    it(`renderNote + sanitize: ${c.name}`, () => {
      const clean = sanitizeNoteHtml(
        purifier!,
        renderNote(c.markdown, (x) => `<img src=x onerror=alert("${x.raw}")>`),
      );
      expect(problems(clean)).toEqual([]);
      // Walk the parsed result too: no element may carry an event handler or a script URL.
      const doc = new jsdom!.JSDOM(`<body>${clean}</body>`).window as unknown as Window;
      for (const el of Array.from(doc.document.body.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) {
          expect(attr.name.startsWith('on'), `${attr.name} on ${el.tagName}`).toBe(false);
          expect(/^\s*(javascript|vbscript|data|file):/i.test(attr.value)).toBe(false);
        }
      }
      expect(doc.document.querySelectorAll('script, iframe, form, img, svg, math, style, object, embed').length).toBe(
        0,
      );
    });
  }
});
