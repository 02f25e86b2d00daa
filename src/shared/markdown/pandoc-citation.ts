/**
 * Pandoc's citation syntax, one cluster at a time: `[@key]`, `[@key, p. 4]`, `[see @a, pp. 3-5;
 * @b]`, `[-@key]` (author suppressed), and in-text `@key` or `@key [p. 4]`. The markdown-it rule
 * in citations.ts calls `scanCitation` where it meets `[` or `@`, so code spans, code blocks and
 * escapes are already out of the way (markdown-it consumed them first).
 */

/** CSL locator labels that the terms below stand for. */
export type LocatorLabel =
  | 'page'
  | 'paragraph'
  | 'section'
  | 'chapter'
  | 'figure'
  | 'volume'
  | 'note'
  | 'line'
  | 'column'
  | 'verse'
  | 'part'
  | 'book'
  | 'issue'
  | 'table'
  | 'appendix'
  | 'folio'
  | 'timestamp';

export type CiteItem = {
  key: string;
  prefix: string;
  suffix: string;
  locator: string | null;
  label: LocatorLabel | null;
  /** `[-@key]`: the author is named in the sentence, only the date goes in the citation. */
  suppressAuthor: boolean;
  /** Where the key (after `@`) starts and ends, in the same coordinates as the cluster. */
  keyStart: number;
  keyEnd: number;
};

export type CitationCluster = {
  start: number;
  end: number;
  /** The cluster as written, brackets included. */
  raw: string;
  /** `@key says`: the author's name belongs in the sentence ("Smith (2024) says"). */
  inText: boolean;
  items: CiteItem[];
};

const TERMS: Record<string, LocatorLabel> = {};
const addTerms = (label: LocatorLabel, ...terms: string[]) => terms.forEach((t) => (TERMS[t] = label));
addTerms('page', 'p', 'pp', 'pg', 'pgs', 'page', 'pages');
addTerms('paragraph', 'para', 'paras', 'paragraph', 'paragraphs', '¶', '¶¶');
addTerms('section', 'sec', 'secs', 'sect', 'section', 'sections', '§', '§§');
addTerms('chapter', 'ch', 'chap', 'chaps', 'chapter', 'chapters');
addTerms('figure', 'fig', 'figs', 'figure', 'figures');
addTerms('volume', 'vol', 'vols', 'volume', 'volumes');
addTerms('note', 'n', 'nn', 'fn', 'note', 'notes');
addTerms('line', 'l', 'll', 'line', 'lines');
addTerms('column', 'col', 'cols', 'column', 'columns');
addTerms('verse', 'v', 'vv', 'verse', 'verses');
addTerms('part', 'pt', 'pts', 'part', 'parts');
addTerms('book', 'bk', 'bks', 'book', 'books');
addTerms('issue', 'no', 'nos', 'issue', 'issues');
addTerms('table', 'tab', 'tbl', 'table', 'tables');
addTerms('appendix', 'app', 'appx', 'appendix', 'appendices');
addTerms('folio', 'fol', 'fols', 'folio', 'folios');
addTerms('timestamp', 'at', 'timestamp');

/** Pandoc: a key starts with a letter, digit or `_`; punctuation is allowed only inside it. */
const KEY = /[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*/uy;
const BRACED_KEY = /\{([^{}\n]{1,200})\}/y;
/** A cluster longer than this is prose with a stray bracket: stop looking (and stay linear). */
const MAX_CLUSTER = 2000;

/**
 * Characters after which an in-text `@` starts a citation: not inside a word, an email or a URL
 * (`https://mastodon.social/@someone`), and not right after `[`, which is a link's text
 * (`[@handle](https://...)`) or an escaped bracket once the bracketed form has been ruled out.
 */
function opensInText(prev: number): boolean {
  if (Number.isNaN(prev)) return true; // start of the text
  const c = String.fromCharCode(prev);
  return /\s/.test(c) || '({"\'“‘«*_>'.includes(c);
}

function readKey(src: string, pos: number): { key: string; end: number } | null {
  BRACED_KEY.lastIndex = pos;
  let m = BRACED_KEY.exec(src);
  if (m) return { key: m[1]!.trim(), end: pos + m[0].length };
  KEY.lastIndex = pos;
  m = KEY.exec(src);
  return m ? { key: m[0], end: pos + m[0].length } : null;
}

/** A citation starting at `pos` (at `[` or `@`) and ending before `max`, or null. */
export function scanCitation(src: string, pos: number, max = src.length): CitationCluster | null {
  const ch = src.charCodeAt(pos);
  if (ch === 0x5b /* [ */) return scanBracketed(src, pos, max);
  if (ch === 0x40 /* @ */) return scanInText(src, pos, max);
  return null;
}

function scanBracketed(src: string, pos: number, max: number): CitationCluster | null {
  const limit = Math.min(max, pos + MAX_CLUSTER);
  let close = -1;
  for (let i = pos + 1; i < limit; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x5b /* [ */) return null;
    else if (c === 0x5d /* ] */) {
      close = i;
      break;
    }
  }
  if (close < 0) return null;
  // `[@handle](https://...)` and `[text][ref]` are links, not citations.
  const after = src.charCodeAt(close + 1);
  if (after === 0x28 /* ( */ || after === 0x5b /* [ */) return null;

  const items: CiteItem[] = [];
  let partStart = pos + 1;
  for (let i = pos + 1; i <= close; i++) {
    if (i < close && src.charCodeAt(i) !== 0x3b /* ; */) continue;
    const item = parseItem(src, partStart, i);
    if (!item) return null;
    items.push(item);
    partStart = i + 1;
  }
  return { start: pos, end: close + 1, raw: src.slice(pos, close + 1), inText: false, items };
}

function parseItem(src: string, from: number, to: number): CiteItem | null {
  const at = src.indexOf('@', from);
  if (at < 0 || at >= to) return null;
  let prefixEnd = at;
  let suppressAuthor = false;
  if (src.charCodeAt(at - 1) === 0x2d /* - */ && at - 1 >= from) {
    suppressAuthor = true;
    prefixEnd = at - 1;
  }
  const prefix = src.slice(from, prefixEnd);
  // `[write to a@b.org]`: an @ inside a word is not a citation.
  if (prefix.length > 0 && !/\s$/.test(prefix)) return null;
  const key = readKey(src, at + 1);
  if (!key || key.end > to) return null;
  const rest = src.slice(key.end, to);
  const loc = rest.startsWith(',') ? parseLocator(rest.slice(1)) : { locator: null, label: null, suffix: rest.trim() };
  return {
    key: key.key,
    prefix: prefix.trim(),
    suffix: loc.suffix,
    locator: loc.locator,
    label: loc.label,
    suppressAuthor,
    keyStart: at + 1,
    keyEnd: key.end,
  };
}

function scanInText(src: string, pos: number, max: number): CitationCluster | null {
  if (!opensInText(pos > 0 ? src.charCodeAt(pos - 1) : NaN)) return null;
  const key = readKey(src, pos + 1);
  if (!key || key.end > max) return null;
  const item: CiteItem = {
    key: key.key,
    prefix: '',
    suffix: '',
    locator: null,
    label: null,
    suppressAuthor: false,
    keyStart: pos + 1,
    keyEnd: key.end,
  };
  let end = key.end;
  // `@key [p. 4]`: a bracket right after the key holds its locator and suffix.
  const m = /^ ?\[([^\][@\n]{1,200})\]/.exec(src.slice(end, Math.min(max, end + 210)));
  if (m && src.charCodeAt(end + m[0].length) !== 0x28 /* ( */) {
    const inner = m[1]!.startsWith(',') ? m[1]!.slice(1) : m[1]!;
    const loc = parseLocator(inner);
    item.locator = loc.locator;
    item.label = loc.label;
    item.suffix = loc.suffix;
    end += m[0].length;
  }
  return { start: pos, end, raw: src.slice(pos, end), inText: true, items: [item] };
}

const NUMBERISH = String.raw`(?:\p{N}[\p{L}\p{N}.:]*|[ivxlcdm]+(?![\p{L}.]))`;
const VALUE = new RegExp(String.raw`^(?:\{([^{}]*)\}|${NUMBERISH}(?:\s*(?:[-–—,&+]|\band\b)\s*${NUMBERISH})*)`, 'iu');
const TERM = /^(§§|§|¶¶|¶|[\p{L}]+)(\.?)\s*/u;
const TIMESTAMP = /^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[-–]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?/;

/**
 * Splits `p. 4, emphasis added` into locator `4`, label page and suffix `emphasis added`. A bare
 * number is a page (as in Pandoc and citeproc); `01:23:45` a timestamp (a video or a recording).
 */
export function parseLocator(text: string): { locator: string | null; label: LocatorLabel | null; suffix: string } {
  const s = text.trim();
  const ts = TIMESTAMP.exec(s);
  if (ts) return { locator: ts[0], label: 'timestamp', suffix: trimSuffix(s.slice(ts[0].length)) };
  let label: LocatorLabel | null = null;
  let rest = s;
  const t = TERM.exec(s);
  if (t && TERMS[t[1]!.toLowerCase()]) {
    label = TERMS[t[1]!.toLowerCase()]!;
    rest = s.slice(t[0].length);
    const tsAfter = label === 'timestamp' ? TIMESTAMP.exec(rest) : null;
    if (tsAfter) return { locator: tsAfter[0], label, suffix: trimSuffix(rest.slice(tsAfter[0].length)) };
  }
  const v = VALUE.exec(rest);
  if (!v || (label === null && !/^[\p{N}{]/u.test(rest))) {
    return { locator: null, label: null, suffix: s };
  }
  const locator = (v[1] ?? v[0]).trim();
  return { locator, label: label ?? 'page', suffix: trimSuffix(rest.slice(v[0].length)) };
}

const trimSuffix = (s: string) => s.replace(/^\s*,?\s*/, '').trimEnd();
