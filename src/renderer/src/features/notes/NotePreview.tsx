import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import DOMPurify from 'dompurify';
import type { Output } from '../../../../shared/contract';
import type { CitationStyle } from '../../../../shared/channels/sources';
import { sanitizeNoteHtml } from '../../../../shared/markdown/sanitize';
import { invoke, mode } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { Confirm } from '../../components/Confirm';
import { BidiWarning, revealControls } from '../../components/UserText';
import { findBidiControls } from '../../../../shared/markdown/bidi';

export type Rendered = { html: string; bibliography: string };

/**
 * The note as it will read: rendered in the core (citeproc), sanitized here with DOMPurify
 * before it touches the DOM. Links never navigate the app: a click asks first, then opens
 * http(s) links outside it (Electron hands them to the system browser through its one
 * allowlisted opener; a browser opens a new tab without opener or referrer).
 */
export function NotePreview({
  markdown,
  style,
  onRendered,
}: {
  markdown: string;
  style: CitationStyle;
  onRendered?: (r: Rendered) => void;
}) {
  const keys = useQuery('sources.keys', {}, ['sources']);
  const [out, setOut] = useState<Output<'notes.render'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setBusy(true);
    const t = setTimeout(() => {
      invoke('notes.render', { markdown, style })
        .then((r) => {
          if (mine !== seq.current) return;
          setOut(r);
          setError(null);
        })
        .catch((e: Error) => mine === seq.current && setError(e.message))
        .finally(() => mine === seq.current && setBusy(false));
    }, 250);
    return () => clearTimeout(t);
  }, [markdown, style, keys.data]);

  const clean = useMemo(() => {
    if (!out) return null;
    return {
      html: sanitizeNoteHtml(DOMPurify, out.html),
      bibliography: sanitizeNoteHtml(DOMPurify, out.bibliography.join('\n')),
    };
  }, [out]);

  // Controls in what was rendered: the note's own, and those the cited sources' authors and
  // titles bring into its citations and references (the markdown alone does not show these).
  const bidiCount = useMemo(() => {
    if (!clean || !out) return 0;
    // Overrides and embeddings only: the isolates around them are the core's own containment.
    const rendered = findBidiControls(`${clean.html}\n${clean.bibliography}`).filter(
      (c) => c.kind === 'override' || c.kind === 'embedding',
    ).length;
    return Math.max(out.bidi.length, rendered);
  }, [clean, out]);

  useEffect(() => {
    if (clean) onRendered?.(clean);
  }, [clean, onRendered]);

  function open(href: string) {
    setLink(null);
    window.open(href, '_blank', 'noopener,noreferrer');
  }

  const onClick = (e: MouseEvent) => {
    const a = (e.target as HTMLElement).closest('a');
    if (!a) return;
    e.preventDefault();
    const href = a.getAttribute('href') ?? '';
    let url: URL | null = null;
    try {
      url = new URL(href);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
      return setRefused(href);
    // In Electron the main process asks before anything leaves (a message box with the whole
    // address), so asking here too would ask twice; a browser tab has only this question.
    if (mode === 'electron') open(url.href);
    else setLink(url.href);
  };

  return (
    <section className="note-preview" aria-label="Preview" data-testid="note-preview">
      <div className="note-tools muted small">
        <span>{busy ? 'Formatting…' : 'Preview'}</span>
        {bidiCount > 0 && <BidiWarning count={bidiCount} />}
        {out && out.missing.length > 0 && (
          <span className="warn" data-testid="missing-keys" dir="auto">
            Not in the library:{' '}
            {out.missing
              .slice(0, 10)
              .map((k) => `@${k}`)
              .join(', ')}
            {out.missing.length > 10 ? ` and ${out.missing.length - 10} more` : ''}
          </span>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {clean && (
        <>
          <div
            className="rendered"
            dir="auto"
            data-testid="note-rendered"
            onClick={onClick}
            onAuxClick={(e) => e.preventDefault()}
            dangerouslySetInnerHTML={{ __html: clean.html }}
          />
          {clean.bibliography && (
            <>
              <h3>References</h3>
              <div
                className="bibliography"
                data-testid="bibliography"
                dangerouslySetInnerHTML={{ __html: clean.bibliography }}
              />
            </>
          )}
        </>
      )}
      {link && (
        <Confirm title="Open link" yes="Open in new tab" onYes={() => open(link)} onNo={() => setLink(null)}>
          <p>This link leaves Casefile for {new URL(link).host}. The whole address:</p>
          <code className="user-text link-target" data-testid="link-target">
            {revealControls(link)}
          </code>
        </Confirm>
      )}
      {refused !== null && (
        <Confirm title="Link not opened" yes="OK" onYes={() => setRefused(null)} onNo={() => setRefused(null)}>
          Only web links (http, https) open from a note: <code>{revealControls(refused).slice(0, 200)}</code>
        </Confirm>
      )}
    </section>
  );
}
