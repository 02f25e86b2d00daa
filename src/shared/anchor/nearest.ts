import { approxSearch } from './approx';
import { foldString, foldText } from './normalize';
import { similarity, type IndexedText, type TextQuoteSelector } from './quote';

/**
 * The passage nearest to a quote that is no longer in its text exactly (a changed word, OCR
 * noise, a typo, a word left out): a proposal for the analyst, never a silent re-anchoring.
 */
export type NearestPassage = {
  start: number;
  end: number;
  /** 1 - edits / quote length, on the folded texts: 1 is the same passage. */
  similarity: number;
};

/** Below this, what is found is another passage, not a copy of the quote: nothing is proposed. */
export const MIN_SIMILARITY = 0.75;
/**
 * Longer quotes are looked for by their first this many folded characters: the search costs the
 * text's length times the quote's in 32-character words, and this keeps a 2 MB text well under a
 * fifth of a second.
 */
const MAX_PATTERN = 128;
const CONTEXT_CAP = 64;

export function nearestQuote(
  text: string | IndexedText,
  selector: TextQuoteSelector,
  minSimilarity = MIN_SIMILARITY,
): NearestPassage | null {
  const hay = typeof text === 'string' ? foldText(text) : text;
  const exact = foldString(selector.exact);
  if (exact.length === 0) return null;
  const pattern = exact.slice(0, MAX_PATTERN);
  const maxErrors = Math.floor(pattern.length * (1 - minSimilarity));
  const prefix = foldString(selector.prefix ?? '', { trim: false })
    .trimEnd()
    .slice(-CONTEXT_CAP);
  const suffix = foldString(selector.suffix ?? '', { trim: false })
    .trimStart()
    .slice(0, CONTEXT_CAP);

  let best: { start: number; end: number; sim: number; rank: number } | null = null;
  for (const m of approxSearch(hay.text, pattern, maxErrors)) {
    let end = m.end;
    let errors = m.errors;
    // A long quote: its tail is matched on from where its head ended, edits counted the same way.
    if (pattern.length < exact.length) {
      const rest = exact.slice(pattern.length);
      const tail = approxSearch(hay.text.slice(m.end, m.end + rest.length * 2 + 1), rest, rest.length, 1)[0];
      if (!tail || tail.start > rest.length / 4) continue;
      end = m.end + tail.end;
      errors += tail.errors + tail.start;
    }
    const sim = Math.max(0, 1 - errors / exact.length);
    if (sim < minSimilarity) continue;
    const before = hay.text
      .slice(Math.max(0, m.start - prefix.length - 1), m.start)
      .trimEnd()
      .slice(-prefix.length);
    const after = hay.text
      .slice(end, end + suffix.length + 1)
      .trimStart()
      .slice(0, suffix.length);
    // Context breaks ties between near copies, and a little more: the quote's own words come first.
    const rank = sim + 0.1 * (prefix ? similarity(prefix, before) : 0) + 0.1 * (suffix ? similarity(suffix, after) : 0);
    if (!best || rank > best.rank) best = { start: m.start, end, sim, rank };
  }
  if (!best) return null;
  return {
    start: hay.start[best.start]!,
    end: hay.end[best.end - 1]!,
    similarity: Math.round(best.sim * 1000) / 1000,
  };
}
