import { makeSelector } from '../../shared/anchor/quote';
import { nearestQuote } from '../../shared/anchor/nearest';
import type { NearestPassage } from '../../shared/channels/sources';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { anchorOf, indexedText, pageAt, sourceTexts } from './anchor';

/**
 * A citation whose passage is not found exactly is flagged; this proposes the nearest passage in
 * the attached text (a changed word, OCR noise, a word left out) with its similarity. The flag
 * stays until the analyst accepts, which re-anchors the citation as one logged, undoable edit.
 */

type CitationRow = { source_id: string; quote: string | null; prefix: string | null; suffix: string | null };

function citationRow(db: Db, id: string): CitationRow {
  const c = db.prepare('SELECT source_id, quote, prefix, suffix FROM citations WHERE id = ?').get(id) as
    CitationRow | undefined;
  if (!c) throw new CasefileError('not_found', `no citation ${id}`);
  return c;
}

/** The nearest passage to a not-found quote, or null (found exactly, nothing to look in, nothing near enough). */
export function nearestPassage(db: Db, citationId: string): NearestPassage | null {
  const c = citationRow(db, citationId);
  const texts = sourceTexts(db, c.source_id);
  if (anchorOf(db, c, texts).state !== 'not-found') return null;
  const sel = { exact: c.quote ?? '', prefix: c.prefix ?? '', suffix: c.suffix ?? '' };
  let best: NearestPassage | null = null;
  for (const t of texts) {
    const m = nearestQuote(indexedText(t), sel);
    if (m && (!best || m.similarity > best.similarity)) {
      const name = (db.prepare('SELECT name FROM attachments WHERE id = ?').pluck().get(t.id) as string) ?? '';
      best = {
        attachmentId: t.id,
        attachmentName: name,
        start: m.start,
        end: m.end,
        passage: t.text.slice(m.start, m.end),
        similarity: m.similarity,
        page: pageAt(t.text, m.start),
      };
    }
  }
  return best;
}

/**
 * Accepting a proposal: the citation quotes the passage as the attached text has it now, with its
 * context. The passage sent must still be at those offsets (the file may have been replaced since
 * the proposal was shown); otherwise nothing changes.
 */
export function acceptPassage(
  cf: CaseFile,
  citationId: string,
  p: { attachmentId: string; start: number; end: number; passage: string },
): void {
  const c = citationRow(cf.db, citationId);
  const t = sourceTexts(cf.db, c.source_id).find((a) => a.id === p.attachmentId);
  if (!t) throw new CasefileError('not_found', 'the attached file of this passage is no longer attached to the source');
  if (p.end <= p.start || p.end > t.text.length || t.text.slice(p.start, p.end) !== p.passage) {
    throw new CasefileError('conflict', 'the attached text changed since the passage was proposed: look again');
  }
  const sel = makeSelector(t.text, p.start, p.end);
  cf.action('Re-anchor citation', (tx) =>
    tx.update('citations', citationId, { quote: sel.exact, prefix: sel.prefix || null, suffix: sel.suffix || null }),
  );
}
