import markdownIt from 'markdown-it';
import type { Env, MarkdownIt, StateInline, Token } from 'markdown-it';
import { scanCitation, type CitationCluster } from './pandoc-citation';

export { parseLocator, scanCitation } from './pandoc-citation';
export type { CitationCluster, CiteItem, LocatorLabel } from './pandoc-citation';

/**
 * Notes are Markdown with Pandoc citations. One markdown-it parser finds the citations for the
 * editor (`parseCitations`) and renders the note (`renderNote`), so a citation is never
 * highlighted in the editor and then printed as text, or the other way round: markdown-it
 * decides what is a code span, a code block or an escape, and citations are looked for only in
 * what remains.
 */

/**
 * Returns the formatted citation as plain text (it is escaped here), or null if unknown.
 * `index` is the cluster's position among the note's clusters, the same order `parseCitations`
 * returns them in: a caller can format them all in one citeproc call and look them up by index.
 * (The cluster's own offsets are within its paragraph here; `parseCitations` gives note offsets.)
 */
export type CitationResolver = (cluster: CitationCluster, index: number) => string | null;

type CiteEnv = { resolve?: CitationResolver; next?: number };

/** Only these link targets become links; anything else (javascript:, file:, data:...) stays text. */
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

function citationRule(state: StateInline, silent: boolean): boolean {
  const c = state.src.charCodeAt(state.pos);
  if (c !== 0x5b && c !== 0x40) return false;
  const found = scanCitation(state.src, state.pos, state.posMax);
  if (!found) return false;
  if (!silent) {
    const token = state.push('pandoc_citation', '', 0);
    token.content = found.raw;
    token.meta = found;
  }
  state.pos = found.end;
  return true;
}

function createParser(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = (url: string) => SAFE_LINK.test(url.trim());
  md.inline.ruler.before('link', 'pandoc_citation', citationRule);

  const esc = md.utils.escapeHtml;
  md.renderer.rules.pandoc_citation = (tokens, idx, _opts, env: Env | undefined) => {
    const cluster = tokens[idx]!.meta as CitationCluster;
    const keys = esc(cluster.items.map((i) => i.key).join(' '));
    const e = (env ?? {}) as CiteEnv;
    const index = e.next ?? 0;
    e.next = index + 1;
    const text = e.resolve ? e.resolve(cluster, index) : null;
    if (text === null || text === undefined) {
      return `<span class="citation citation-unresolved" data-cites="${keys}">${esc(cluster.raw)}</span>`;
    }
    return `<span class="citation" data-cites="${keys}">${esc(text)}</span>`;
  };
  // A remote image would be fetched when the note is shown (a tracking beacon, or a request that
  // reveals the analyst): show its description instead.
  md.renderer.rules.image = (tokens, idx) => {
    const t = tokens[idx]!;
    const alt = t.children ? altText(t.children) : t.content;
    return `<span class="image-alt">${esc(alt || '[image]')}</span>`;
  };
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, opts, _env, self) => self.renderToken(tokens, idx, opts));
  md.renderer.rules.link_open = (tokens, idx, opts, env, self) => {
    tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
    return defaultLinkOpen(tokens, idx, opts, env, self);
  };
  return md;
}

let parser: MarkdownIt | null = null;
const md = () => (parser ??= createParser());

/**
 * The note as HTML: raw HTML is shown as text, links only to http(s) and mailto, images as their
 * alt text, each citation cluster replaced by what `resolve` returns. Nothing is appended: the
 * caller adds the bibliography. Sanitize the result before inserting it (sanitize.ts).
 */
export function renderNote(markdown: string, resolve: CitationResolver): string {
  const env: CiteEnv = { resolve };
  return md().render(markdown, env);
}

/**
 * Every citation cluster in the note, in order, with UTF-16 offsets into `markdown` (what
 * CodeMirror uses): none inside code spans, code blocks, emails or URLs.
 */
export function parseCitations(markdown: string): CitationCluster[] {
  const tokens = md().parse(markdown, {});
  // markdown-it parses a copy with CRLF turned into LF: offsets are mapped back at the end.
  const src = markdown.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const crlf: number[] = [];
  for (let i = markdown.indexOf('\r\n'), removed = 0; i !== -1; i = markdown.indexOf('\r\n', i + 2)) {
    crlf.push(i - removed);
    removed++;
  }
  const toOriginal = (n: number) => n + countBefore(crlf, n);

  const out: CitationCluster[] = [];
  let cursor = 0;
  let lastLine = 0;
  for (const block of tokens) {
    if (block.map) lastLine = block.map[0];
    if (block.type !== 'inline' || !block.children) continue;
    const cites: CitationCluster[] = [];
    collect(block.children, cites);
    const lines = block.content.split('\n');
    const lineOffsets: number[] = [];
    let contentPos = 0;
    const contentLineStarts: number[] = [];
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j]!;
      const hint = lineStarts[Math.min(lastLine + j, lineStarts.length - 1)]!;
      const at = locateLine(src, line, Math.max(cursor, hint), lineStarts, lastLine + j);
      lineOffsets.push(at);
      contentLineStarts.push(contentPos);
      contentPos += line.length + 1;
      cursor = at + line.length;
    }
    if (cites.length === 0) continue;
    const toSource = (offset: number) => {
      const j = Math.max(0, countBefore(contentLineStarts, offset + 1) - 1);
      return toOriginal(lineOffsets[j]! + (offset - contentLineStarts[j]!));
    };
    for (const c of cites) {
      const start = toSource(c.start);
      const end = toSource(c.end - 1) + 1;
      out.push({
        ...c,
        start,
        end,
        raw: markdown.slice(start, end),
        items: c.items.map((i) => ({ ...i, keyStart: toSource(i.keyStart), keyEnd: toSource(i.keyEnd - 1) + 1 })),
      });
    }
  }
  return out;
}

/** An image's description as text; a citation in it stays as written (it is not rendered). */
function altText(tokens: Token[]): string {
  return tokens
    .map((t) =>
      t.type === 'pandoc_citation'
        ? t.content
        : t.type === 'softbreak' || t.type === 'hardbreak'
          ? ' '
          : t.children
            ? altText(t.children)
            : t.content,
    )
    .join('');
}

function collect(tokens: Token[], into: CitationCluster[]): void {
  for (const t of tokens) {
    if (t.type === 'pandoc_citation') into.push(t.meta as CitationCluster);
    // An image's description is shown as text, its citations are not rendered: not listed either.
    if (t.children && t.type !== 'image') collect(t.children, into);
  }
}

/**
 * Where a line of an inline token's content sits in the source. markdown-it strips block markers
 * and indentation (`> `, list bullets) from the front of each line and trims the last line, so
 * the content line is the end of its source line; table cells are found left to right.
 */
function locateLine(src: string, line: string, from: number, lineStarts: number[], lineNo: number): number {
  const lineEnd = lineNo + 1 < lineStarts.length ? lineStarts[lineNo + 1]! - 1 : src.length;
  let trimmedEnd = lineEnd;
  while (trimmedEnd > from && /[ \t]/.test(src[trimmedEnd - 1]!)) trimmedEnd--;
  for (const end of [lineEnd, trimmedEnd]) {
    const at = end - line.length;
    if (at >= from && src.startsWith(line, at)) return at;
  }
  const found = src.indexOf(line, from);
  return found === -1 ? from : found;
}

function countBefore(sorted: number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
