import { foldString, foldText, type FoldedText } from './normalize';

/**
 * W3C Web Annotation TextQuoteSelector: a citation keeps the quoted words and a little context
 * either side, so that it can be found again in another edition, a re-extracted PDF or a revised
 * web page, where offsets and page numbers no longer hold.
 */
export type TextQuoteSelector = { exact: string; prefix: string; suffix: string };
export type QuoteMatch = { start: number; end: number; score: number };

/** A source text folded once, for anchoring many quotes in it. */
export type IndexedText = FoldedText & { readonly indexed: true };

export function indexText(text: string): IndexedText {
  return { ...foldText(text), indexed: true };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The selector of text[start, end): `context` UTF-16 units either side, widened by one where the
 * edge would cut a surrogate pair in half (an emoji or a rare CJK character).
 */
export function makeSelector(text: string, start: number, end: number, context = 32): TextQuoteSelector {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    throw new RangeError(`no passage [${start}, ${end}) in a text of ${text.length} characters`);
  }
  let from = Math.max(0, start - context);
  if (from > 0 && isLow(text.charCodeAt(from)) && isHigh(text.charCodeAt(from - 1))) from--;
  let to = Math.min(text.length, end + context);
  if (to < text.length && isLow(text.charCodeAt(to)) && isHigh(text.charCodeAt(to - 1))) to++;
  return { exact: text.slice(start, end), prefix: text.slice(from, start), suffix: text.slice(end, to) };
}

/** Context is compared over at most this many folded characters next to the quote. */
const CONTEXT_CAP = 64;

/**
 * Where the quote is in `text` now, or null when it is no longer there (the caller flags that
 * citation for review). The quote must be present once folded (see normalize.ts): whitespace,
 * Unicode form, Arabic/Persian letter variants, tatweel, diacritics and case may differ, words may
 * not. When it occurs several times, prefix and suffix choose; on a tie, the first wins.
 *
 * `score` is 1 when the context either side is unchanged and falls toward 0.5 as the context
 * differs (a quote found in a new setting is still found, but worth a look).
 */
export function findQuote(text: string | IndexedText, selector: TextQuoteSelector): QuoteMatch | null {
  const hay = typeof text === 'string' ? foldText(text) : text;
  const exact = foldString(selector.exact);
  if (exact.length === 0) return null;
  // Whether a space separates the quote from its context is not worth a point either way.
  const prefix = tail(foldString(selector.prefix ?? '', { trim: false }).trimEnd(), CONTEXT_CAP);
  const suffix = head(foldString(selector.suffix ?? '', { trim: false }).trimStart(), CONTEXT_CAP);

  let best: { pos: number; score: number } | null = null;
  for (let pos = hay.text.indexOf(exact); pos !== -1; pos = hay.text.indexOf(exact, pos + 1)) {
    const end = pos + exact.length;
    const before = tail(hay.text.slice(Math.max(0, pos - prefix.length - 1), pos).trimEnd(), prefix.length);
    const after = head(hay.text.slice(end, end + suffix.length + 1).trimStart(), suffix.length);
    const score = 0.5 + 0.25 * similarity(prefix, before) + 0.25 * similarity(suffix, after);
    if (!best || score > best.score) best = { pos, score };
    if (best.score === 1) break;
  }
  if (!best) return null;
  return {
    start: hay.start[best.pos]!,
    end: hay.end[best.pos + exact.length - 1]!,
    score: Math.round(best.score * 1000) / 1000,
  };
}

const tail = (s: string, n: number) => (s.length > n ? s.slice(s.length - n) : s);
const head = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/** 1 - edit distance / length: how alike two short context strings are (1 when equal). */
export function similarity(a: string, b: string): number {
  if (a.length === 0) return 1;
  return Math.max(0, 1 - levenshtein(a, b) / Math.max(a.length, b.length));
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
