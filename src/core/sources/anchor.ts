import {
  findQuote,
  indexText,
  makeSelector,
  type IndexedText,
  type TextQuoteSelector,
} from '../../shared/anchor/quote';
import type { Anchor } from '../../shared/channels/sources';
import type { Db } from '../db/open';
import { PAGE_BREAK } from './extract';

/**
 * Finding a citation's passage in its source's attached text. Computed when citations are read,
 * not stored: a re-attached or replaced file re-anchors every citation at once, and a passage
 * that is gone shows as not found instead of pointing at stale offsets.
 */

type TextRow = { id: string; sha256: string; text: string };

/** Folded texts by attachment (id + hash), so a list of citations folds each file once. */
const cache = new Map<string, IndexedText>();
const CACHE_MAX = 8;

export function indexedText(a: TextRow): IndexedText {
  const k = `${a.id}:${a.sha256}`;
  let t = cache.get(k);
  if (!t) {
    t = indexText(a.text);
    cache.set(k, t);
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  } else {
    // Most recently used last.
    cache.delete(k);
    cache.set(k, t);
  }
  return t;
}

export function sourceTexts(db: Db, sourceId: string): TextRow[] {
  return db
    .prepare(
      'SELECT id, sha256, text FROM attachments WHERE source_id = ? AND text IS NOT NULL ORDER BY created_at, id',
    )
    .all(sourceId) as TextRow[];
}

export function hasAttachments(db: Db, sourceId: string): { files: number; withText: number } {
  return db
    .prepare('SELECT count(*) files, count(text) withText FROM attachments WHERE source_id = ?')
    .get(sourceId) as { files: number; withText: number };
}

/** The page a position is on: form feeds separate a PDF's pages. Null for a text without pages. */
export function pageAt(text: string, pos: number): number | null {
  if (!text.includes(PAGE_BREAK)) return null;
  let page = 1;
  for (let i = text.indexOf(PAGE_BREAK); i !== -1 && i < pos; i = text.indexOf(PAGE_BREAK, i + 1)) page++;
  return page;
}

type Quoted = { source_id: string; quote: string | null; prefix: string | null; suffix: string | null };

export function anchorOf(db: Db, c: Quoted, texts: TextRow[] = sourceTexts(db, c.source_id)): Anchor {
  if (!c.quote || c.quote.trim() === '') return { state: 'no-quote' };
  if (texts.length === 0) {
    const { files } = hasAttachments(db, c.source_id);
    return {
      state: 'no-text',
      reason:
        files > 0
          ? 'the attached file has no readable text (a scanned or protected PDF)'
          : 'no text of the source is attached',
    };
  }
  const sel: TextQuoteSelector = { exact: c.quote, prefix: c.prefix ?? '', suffix: c.suffix ?? '' };
  let best: Extract<Anchor, { state: 'found' }> | null = null;
  for (const t of texts) {
    const m = findQuote(indexedText(t), sel);
    if (m && (!best || m.score > best.score))
      best = {
        state: 'found',
        attachmentId: t.id,
        start: m.start,
        end: m.end,
        score: m.score,
        page: pageAt(t.text, m.start),
      };
  }
  return best ?? { state: 'not-found', attachmentIds: texts.map((t) => t.id) };
}

/**
 * The context either side of a quote, taken from the attached text where the quote is found:
 * what a citation stores so that it can be found again when the text changes.
 */
export function contextFor(db: Db, sourceId: string, quote: string): { prefix: string; suffix: string } | null {
  for (const t of sourceTexts(db, sourceId)) {
    const m = findQuote(indexedText(t), { exact: quote, prefix: '', suffix: '' });
    if (m) {
      const s = makeSelector(t.text, m.start, m.end);
      return { prefix: s.prefix, suffix: s.suffix };
    }
  }
  return null;
}
