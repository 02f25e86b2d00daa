import type { DatePrecision } from '../../shared/domain/common';
import { RELIABILITY, SOURCE_TYPES } from '../../shared/domain/fields';
import { normalizeLanguage } from './languages';
import type { CslDate, CslItem, CslName, Reliability, SourceForExport, SourceInput, SourceType } from './types';

/**
 * CSL-JSON is the hub: BibTeX and RIS go through citation-js to and from CSL items, and these
 * functions turn a CSL item into a Casefile source row and back.
 *
 * Types. Casefile's seven types say what kind of evidence a source is; CSL's say how to print it.
 * Exported, each of ours becomes the CSL type that prints it best. Imported, CSL types map as in
 * `typeFromCsl`; `report` becomes `official_report` (CSL's report is "a report distributed by an
 * institution": UN Monitoring Team, government and agency reports), unless its genre says it is a
 * working paper, policy brief or study, which are `research`. Propaganda and leaked documents
 * have no CSL type: they are never guessed, the analyst sets them.
 *
 * What CSL cannot hold (our type where CSL's is ambiguous, the NATO reliability grade) travels
 * as keywords `casefile:type=...` and `casefile:reliability=...`: BibLaTeX `keywords`, RIS `KW`
 * and CSL `keyword` all survive the other tools, and styles never print them.
 */
export const CSL_TYPE_FOR: Record<SourceType, string> = {
  dataset: 'dataset',
  official_report: 'report',
  research: 'report',
  news: 'article-newspaper',
  statement: 'post',
  propaganda: 'document',
  leaked_document: 'manuscript',
};

const TYPE_FROM_CSL: Record<string, SourceType> = {
  dataset: 'dataset',
  report: 'official_report',
  legislation: 'official_report',
  bill: 'official_report',
  hearing: 'official_report',
  regulation: 'official_report',
  legal_case: 'official_report',
  treaty: 'official_report',
  standard: 'official_report',
  'article-newspaper': 'news',
  'article-magazine': 'news',
  'post-weblog': 'news',
  webpage: 'news',
  broadcast: 'news',
  post: 'statement',
  personal_communication: 'statement',
  speech: 'statement',
  interview: 'statement',
};

const RESEARCH_GENRE =
  /working paper|policy (brief|paper)|research|occasional paper|discussion paper|study|thesis|dissertation/i;

/** Casefile's type for a CSL type (and genre); anything else, articles and books included, is research. */
export function typeFromCsl(cslType: string, genre?: unknown): SourceType {
  const t = TYPE_FROM_CSL[cslType] ?? 'research';
  if (t === 'official_report' && cslType === 'report' && typeof genre === 'string' && RESEARCH_GENRE.test(genre))
    return 'research';
  return t;
}

const MARK_TYPE = 'casefile:type=';
const MARK_RELIABILITY = 'casefile:reliability=';

/** Keywords as a list, whether CSL gives them as a string ("a, b") or an array. */
function keywordsOf(item: CslItem): string[] {
  const k = item.keyword as unknown;
  const list = Array.isArray(k) ? k.map(String) : typeof k === 'string' ? k.split(/[,;]/) : [];
  return list.map((s) => s.trim()).filter(Boolean);
}

export function toCslJson(source: SourceForExport): CslItem {
  const item: CslItem = {
    id: source.key,
    'citation-key': source.key,
    type: source.csl_type || CSL_TYPE_FOR[source.type],
  };
  item.title = source.title;
  const authors = parseAuthors(source.authors);
  if (authors.length > 0) item.author = authors;
  const issued = toCslDate(source.published);
  if (issued) item.issued = issued;
  const accessed = toCslDate(source.accessed);
  if (accessed) item.accessed = accessed;
  if (source.url) item.URL = source.url;
  if (source.language) item.language = source.language;
  if (source.notes) item.note = source.notes;
  const marks = [MARK_TYPE + source.type];
  if (source.reliability) marks.push(MARK_RELIABILITY + source.reliability);
  item.keyword = marks.join(',');
  return item;
}

export type MappedSource = Omit<SourceInput, 'key'> & { key: string | null };

/** A source row from a CSL item, or the reason there is none. The key is settled by the caller. */
export function fromCslItem(item: CslItem): { ok: true; source: MappedSource } | { ok: false; reason: string } {
  const title = cleanTitle(item.title ?? item['title-short']);
  if (!title) return { ok: false, reason: 'has no title' };
  const keywords = keywordsOf(item);
  const markedType = keywords.find((k) => k.startsWith(MARK_TYPE))?.slice(MARK_TYPE.length);
  const markedReliability = keywords.find((k) => k.startsWith(MARK_RELIABILITY))?.slice(MARK_RELIABILITY.length);
  const type = (SOURCE_TYPES as readonly string[]).includes(markedType ?? '')
    ? (markedType as SourceType)
    : typeFromCsl(String(item.type ?? ''), item.genre);
  const reliability = (RELIABILITY as readonly string[]).includes(markedReliability ?? '')
    ? (markedReliability as Reliability)
    : null;
  const date = fromCslDate(item.issued);
  const accessed = fromCslDate(item.accessed);
  return {
    ok: true,
    source: {
      key: keyOf(item),
      title,
      authors: authorsOf(item),
      published: date.value,
      published_precision: date.precision,
      url: urlOf(item),
      language: normalizeLanguage(item.language),
      type,
      reliability,
      accessed: accessed.precision === 'day' ? accessed.value : null,
      notes: notesOf(item),
    },
  };
}

function keyOf(item: CslItem): string | null {
  const k = item['citation-key'] ?? item.id;
  if (typeof k === 'number') return String(k);
  return typeof k === 'string' && k.trim() !== '' ? k.trim() : null;
}

const text = (v: unknown): string | null => {
  if (Array.isArray(v)) v = v.filter((x) => typeof x === 'string').join('\n');
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
};

/** CSL rich-text markup (citation-js writes it for \textit and the like) is not part of a title. */
const RICH =
  /<(i|b|sc|sup|sub)>([\s\S]*?)<\/\1>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>([\s\S]*?)<\/span>/g;

function cleanTitle(v: unknown): string | null {
  const raw = text(v);
  if (raw === null) return null;
  let s: string = raw;
  // Nested markup (<i><b>x</b></i>) peels one level per pass.
  for (let i = 0; i < 4; i++) {
    const next = s.replace(
      RICH,
      (_m, _tag, inner: string | undefined, span: string | undefined) => inner ?? span ?? '',
    );
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim() || null;
}

function notesOf(item: CslItem): string | null {
  const parts = [text(item.note), text(item.abstract)].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join('\n\n') : null;
}

function urlOf(item: CslItem): string | null {
  const url = text(item.URL);
  if (url) return url;
  const doi = text(item.DOI);
  return doi ? `https://doi.org/${doi.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')}` : null;
}

const NEWS_LIKE = new Set(['article-newspaper', 'article-magazine', 'post-weblog', 'webpage', 'broadcast', 'post']);

/**
 * Authors as text; without any, the publisher, and for news without a byline the outlet (Chicago
 * cites an unsigned article by its paper's name).
 */
function authorsOf(item: CslItem): string | null {
  for (const role of ['author', 'reporter', 'director', 'editor', 'authority', 'interviewer'] as const) {
    const names = item[role];
    if (Array.isArray(names) && names.length > 0) {
      const s = (names as CslName[]).map(nameToText).filter(Boolean).join('; ');
      if (s) return s;
    }
  }
  const publisher = text(item.publisher);
  if (publisher) return publisher;
  return NEWS_LIKE.has(String(item.type)) ? text(item['container-title']) : null;
}

/**
 * One name as text: 'Family, Given' (with particles and suffix: 'van der Berg, Jan', 'King,
 * Martin Luther, Jr.'), an institution as its name, in braces when it holds a comma or a
 * semicolon ('{Ministry of Defence, Ukraine}'), as in BibTeX.
 */
export function nameToText(n: CslName): string {
  const brace = (s: string) => (/[,;]/.test(s) ? `{${s}}` : s);
  if (n.literal) return brace(n.literal.trim());
  const family = [n['non-dropping-particle'], n.family].filter(Boolean).join(' ').trim();
  const given = [n.given, n['dropping-particle']].filter(Boolean).join(' ').trim();
  if (family && given) return `${family}, ${given}${n.suffix ? `, ${n.suffix}` : ''}`;
  return brace(family || given);
}

/** The inverse of `nameToText` over a '; '-joined list. */
export function parseAuthors(authors: string | null): CslName[] {
  if (!authors) return [];
  const out: CslName[] = [];
  let depth = 0;
  let cur = '';
  const flush = () => {
    const s = cur.trim();
    cur = '';
    if (!s) return;
    const braced = /^\{([^{}]*)\}$/.exec(s);
    if (braced) return void out.push({ literal: braced[1]!.trim() });
    if (!s.includes(',')) return void out.push({ literal: s });
    const [family, given, ...rest] = s.split(',').map((p) => p.trim());
    const name: CslName = { family: family! };
    if (given) name.given = given;
    if (rest.length > 0 && rest.join(', ')) name.suffix = rest.join(', ');
    out.push(name);
  };
  for (const c of authors) {
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    if (c === ';' && depth === 0) flush();
    else cur += c;
  }
  flush();
  return out;
}

export function toCslDate(date: string | null): CslDate | undefined {
  const m = date ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date) : null;
  if (!m) return undefined;
  return { 'date-parts': [[m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number)] };
}

const int = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
};

/**
 * A CSL date as Casefile stores dates: truncated to what is known. Seasons (months 13-24),
 * impossible days and ranges keep what is certain: the year, or the year and month, of the start.
 */
export function fromCslDate(d: unknown): { value: string | null; precision: DatePrecision } {
  let y: number | null = null;
  let m: number | null = null;
  let day: number | null = null;
  const obj = (d && typeof d === 'object' ? d : null) as CslDate | null;
  const parts = obj?.['date-parts']?.[0];
  if (Array.isArray(parts) && parts.length > 0) {
    [y, m, day] = [int(parts[0]), int(parts[1]), int(parts[2])];
  } else {
    const raw = typeof d === 'string' ? d : (obj?.raw ?? obj?.literal);
    if (typeof raw === 'string') {
      const iso = /^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?/.exec(raw);
      if (iso) [y, m, day] = [int(iso[1]), int(iso[2]), int(iso[3])];
      else y = int(/\b(\d{4})\b/.exec(raw)?.[1]);
    }
  }
  if (y === null || y < 1 || y > 9999) return { value: null, precision: 'unknown' };
  const yyyy = String(y).padStart(4, '0');
  if (m === null || m < 1 || m > 12) return { value: yyyy, precision: 'year' };
  const mm = String(m).padStart(2, '0');
  if (day !== null && day >= 1 && day <= daysIn(y, m))
    return { value: `${yyyy}-${mm}-${String(day).padStart(2, '0')}`, precision: 'day' };
  return { value: `${yyyy}-${mm}`, precision: 'month' };
}

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}
