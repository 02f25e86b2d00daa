import { useFocusTrap } from '../lib/use-focus-trap';
import { useEffect, useRef, useState } from 'react';
import { makeSelector, type TextQuoteSelector } from '../../../shared/anchor/quote';
import { useQuery } from '../lib/use-query';
import { BidiWarning } from './UserText';
import { hasBidiHazard } from '../../../shared/markdown/bidi';
import '../features/sources/sources.css';

type Props = {
  attachmentId: string;
  /** The passage to show highlighted and scrolled into view. */
  highlight?: { start: number; end: number } | null;
  /** Selection mode: the analyst selects a passage and it comes back as a quote with context. */
  onPick?: (selector: TextQuoteSelector) => void;
  onClose: () => void;
};

/**
 * An attached file's extracted text, as text (never as HTML), with a cited passage highlighted,
 * or a passage to pick for a new citation.
 */
export function PassageViewer({ attachmentId, highlight, onPick, onClose }: Props) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onClose());
  const { data, error } = useQuery('attachments.text', { id: attachmentId }, ['sources']);
  const markRef = useRef<HTMLElement | null>(null);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [picked, setPicked] = useState<TextQuoteSelector | null>(null);
  const text = data?.text ?? null;

  useEffect(() => {
    markRef.current?.scrollIntoView({ block: 'center' });
  }, [text, highlight?.start]);

  const onMouseUp = () => {
    if (!onPick || !bodyRef.current || text === null) return;
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const r = sel.getRangeAt(0);
    if (!bodyRef.current.contains(r.startContainer) || !bodyRef.current.contains(r.endContainer)) return;
    // The body holds the text and nothing else, so a range's length from its start is an offset.
    const pre = document.createRange();
    pre.selectNodeContents(bodyRef.current);
    pre.setEnd(r.startContainer, r.startOffset);
    const start = pre.toString().length;
    const end = start + r.toString().length;
    if (end > start) setPicked(makeSelector(text, start, end));
  };

  const h = highlight && text !== null && highlight.end <= text.length ? highlight : null;
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div
        className="dialog viewer"
        role="dialog"
        aria-modal="true"
        aria-label="Attached text"
        data-testid="passage-viewer"
      >
        <div className="viewer-head">
          <h2 dir="auto">{data?.attachment.name ?? 'Attached text'}</h2>
          {text !== null && hasBidiHazard(text) && <BidiWarning text={text} />}
          <span className="spacer" />
          <button type="button" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
        {error && <p className="error">{error}</p>}
        {data && text === null && (
          <p className="muted">
            This file has no readable text (a scanned or protected PDF): passages cannot be found in it.
          </p>
        )}
        {text !== null && (
          <div className="viewer-text" dir="auto" ref={bodyRef} onMouseUp={onMouseUp} data-testid="viewer-text">
            {h ? (
              <>
                {text.slice(0, h.start)}
                <mark ref={markRef} data-testid="passage-mark">
                  {text.slice(h.start, h.end)}
                </mark>
                {text.slice(h.end)}
              </>
            ) : (
              text
            )}
          </div>
        )}
        {onPick && (
          <div className="buttons">
            <span className="muted picked" dir="auto">
              {picked ? `“${picked.exact.slice(0, 200)}”` : 'Select the passage in the text above.'}
            </span>
            <button type="button" disabled={!picked} data-testid="use-passage" onClick={() => picked && onPick(picked)}>
              Use this passage
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
