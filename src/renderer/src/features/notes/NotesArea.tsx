import { useCallback, useEffect, useRef, useState } from 'react';
import type { CitationStyle } from '../../../../shared/channels/sources';
import { invoke, mode, subscribe } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { useOnLeave } from '../../lib/use-on-leave';
import { CitationList } from '../citations/CitationList';
import { download } from '../../lib/download';
import { UserText } from '../../components/UserText';
import { NoteEditor } from './NoteEditor';
import { NotePreview, type Rendered } from './NotePreview';
import { NotePrint } from './NotePrint';
import { standaloneHtml } from './export-html';
import '../sources/sources.css';

/** Analytic notes: a list, the Markdown editor, and the formatted preview with its bibliography. */
export function NotesArea({ onError }: { onError: (m: string) => void }) {
  const notes = useQuery('notes.list', {}, ['notes', 'citations']);
  const [current, setCurrent] = useState<string | null>(null);
  const [style, setStyle] = useState<CitationStyle>('chicago-author-date');
  // The default style is the one chosen in Settings; the menu beside the preview changes it for now.
  const defaultStyle = useQuery('settings.get', {}, [], ['settings.changed']).data?.citationStyle;
  useEffect(() => {
    if (defaultStyle) setStyle(defaultStyle);
  }, [defaultStyle]);

  useEffect(() => {
    if (current === null && notes.data?.length) setCurrent(notes.data[0]!.id);
  }, [notes.data, current]);

  const create = async () => {
    try {
      const row = await invoke('notes.save', { id: null, title: 'Untitled note', body: '' });
      setCurrent(String(row.id));
    } catch (e) {
      onError((e as Error).message);
    }
  };

  return (
    <div className="notes" data-testid="notes-area">
      <nav className="note-list" aria-label="Notes">
        <button type="button" onClick={() => void create()} data-testid="new-note">
          New note
        </button>
        <ul>
          {notes.data?.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={n.id === current ? 'active' : ''}
                onClick={() => setCurrent(n.id)}
                data-testid="note-item"
              >
                <UserText text={n.title} />
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {current ? (
        <NoteView key={current} id={current} style={style} setStyle={setStyle} onError={onError} />
      ) : (
        <p className="muted">No note yet.</p>
      )}
    </div>
  );
}

type SaveState = 'saved' | 'editing' | 'saving' | 'error';

function NoteView({
  id,
  style,
  setStyle,
  onError,
}: {
  id: string;
  style: CitationStyle;
  setStyle: (s: CitationStyle) => void;
  onError: (m: string) => void;
}) {
  const [loaded, setLoaded] = useState(false);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [state, setState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const rendered = useRef<Rendered | null>(null);
  const [printable, setPrintable] = useState<Rendered | null>(null);
  const onRendered = useCallback((r: Rendered) => {
    rendered.current = r;
    setPrintable(r);
  }, []);
  const [pdfBusy, setPdfBusy] = useState(false);
  const pending = useRef<{ title: string; body: string } | null>(null);
  /** The note as the case file holds it, as this editor last read or wrote it; and a save on its way. */
  const stored = useRef<{ title: string; body: string } | null>(null);
  const inFlight = useRef<{ title: string; body: string } | null>(null);
  /** Another window (or an undo) changed the note while this one has edits not yet saved. */
  const [external, setExternalState] = useState(false);
  const externalRef = useRef(false);
  const setExternal = (v: boolean) => {
    externalRef.current = v;
    setExternalState(v);
  };

  useEffect(() => {
    invoke('rows.get', { table: 'notes', id })
      .then((r) => {
        const t = String(r?.title ?? '');
        const b = String(r?.body ?? '');
        stored.current = { title: t, body: b };
        setTitle(t);
        setBody(b);
        setLoaded(true);
      })
      .catch((e: Error) => onError(e.message));
  }, [id, onError]);

  // Every window stays in step: a change made elsewhere (another window, Undo) is shown here. If
  // this window is in the middle of an edit, neither overwrites the other: the analyst is told, and
  // keeps theirs (saved over the other) or loads the other.
  useEffect(
    () =>
      subscribe('data.changed', (p) => {
        if (!p.tables.includes('notes') || (p.ids && !p.ids.includes(id))) return;
        invoke('rows.get', { table: 'notes', id })
          .then((r) => {
            if (!r) return;
            const next = { title: String(r.title ?? ''), body: String(r.body ?? '') };
            const same = (x: { title: string; body: string } | null) =>
              x !== null && x.title === next.title && x.body === next.body;
            if (same(stored.current) || same(inFlight.current)) return;
            stored.current = next;
            if (pending.current === null && inFlight.current === null) {
              setTitle(next.title);
              setBody(next.body);
              setExternal(false);
            } else setExternal(true);
          })
          .catch(() => undefined);
      }),
    [id],
  );

  const loadTheirs = () => {
    const s = stored.current;
    if (!s) return;
    pending.current = null;
    setTitle(s.title);
    setBody(s.body);
    setExternal(false);
    setState('saved');
  };

  /** `force`: also over a change made elsewhere meanwhile (the analyst chose theirs, or is leaving). */
  const flush = useCallback(
    async (force = false) => {
      const p = pending.current;
      if (!p) return;
      // Not saved over another window's change until the analyst chooses (the notice above the text).
      if (externalRef.current && !force) return;
      pending.current = null;
      const sent = { title: p.title.trim() || 'Untitled note', body: p.body };
      inFlight.current = sent;
      setState('saving');
      try {
        await invoke('notes.save', { id, ...sent });
        stored.current = sent;
        setExternal(false);
        setState(pending.current ? 'editing' : 'saved');
        setSaveError(null);
      } catch (e) {
        setState('error');
        setSaveError((e as Error).message);
      } finally {
        inFlight.current = null;
      }
    },
    [id],
  );

  // Saved a moment after typing stops (and when the note is left), as one undo step per save.
  useEffect(() => {
    if (!loaded || !pending.current) return;
    const t = setTimeout(() => void flush(), 800);
    return () => clearTimeout(t);
  }, [title, body, loaded, flush]);
  // And when the note is left or the window closes within that moment. Leaving saves what the
  // analyst sees, even over a change made elsewhere that they were told of (it stays in the history).
  useOnLeave(() => void flush(true));

  const edit = (t: string, b: string) => {
    pending.current = { title: t, body: b };
    setState('editing');
  };

  const exportMarkdown = async () => {
    await flush();
    try {
      const b = await invoke('notes.exportBundle', { id, style });
      download(`${b.fileBase}.md`, b.markdown, 'text/markdown;charset=utf-8');
      download(`${b.fileBase}.json`, b.cslJson, 'application/json');
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const exportHtml = async () => {
    const r = rendered.current;
    if (!r) return;
    const b = await invoke('notes.exportBundle', { id, style }).catch(() => null);
    download(`${b?.fileBase ?? 'note'}.html`, standaloneHtml(title, r.html, r.bibliography), 'text/html;charset=utf-8');
  };

  // Desktop: a PDF printed by the main process from the same standalone page as Export HTML.
  const exportPdf = async () => {
    const r = rendered.current;
    if (!r) return;
    await flush();
    setPdfBusy(true);
    try {
      await invoke('notes.exportPdf', { id, document: standaloneHtml(title, r.html, r.bibliography) });
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setPdfBusy(false);
    }
  };

  if (!loaded) return <p className="muted">Loading…</p>;
  return (
    <>
      <section className="note-editor" aria-label="Note">
        <input
          className="title-input"
          dir="auto"
          value={title}
          aria-label="Note title"
          data-testid="note-title"
          onChange={(e) => {
            setTitle(e.target.value);
            edit(e.target.value, body);
          }}
        />
        {external && (
          <p className="notice-bar" role="status" data-testid="note-external">
            This note was changed in another window while you were editing it; yours is not saved yet.{' '}
            <button
              type="button"
              onClick={() => {
                setExternal(false);
                void flush(true);
              }}
              data-testid="note-keep-mine"
            >
              Keep mine (save it over theirs)
            </button>{' '}
            <button type="button" onClick={loadTheirs} data-testid="note-load-theirs">
              Load theirs (drop my edits)
            </button>
          </p>
        )}
        <NoteEditor
          value={body}
          onChange={(v) => {
            setBody(v);
            edit(title, v);
          }}
        />
        <div className="note-tools">
          <span className={state === 'error' ? 'error' : 'muted'} data-testid="note-save-state">
            {state === 'saved'
              ? 'Saved'
              : state === 'saving'
                ? 'Saving…'
                : state === 'editing'
                  ? 'Editing…'
                  : `Not saved: ${saveError}`}
          </span>
          <span className="spacer" />
          <label className="small">
            Style{' '}
            <select
              value={style}
              onChange={(e) => setStyle(e.target.value as CitationStyle)}
              data-testid="citation-style"
            >
              <option value="chicago-author-date">Chicago author-date</option>
              <option value="apa">APA 7th</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => void exportMarkdown()}
            data-testid="export-markdown"
            title="Markdown and a CSL-JSON bibliography beside it, for Pandoc"
          >
            Export Markdown
          </button>
          <button type="button" onClick={() => void exportHtml()} data-testid="export-html">
            Export HTML
          </button>
          {mode === 'electron' ? (
            <button type="button" disabled={pdfBusy} onClick={() => void exportPdf()} data-testid="export-pdf">
              {pdfBusy ? 'Exporting PDF…' : 'Export PDF'}
            </button>
          ) : (
            <button
              type="button"
              onClick={() => window.print()}
              data-testid="print-note"
              title="The browser's print dialog: choose Save as PDF there"
            >
              Print / Save as PDF
            </button>
          )}
        </div>
      </section>
      <div style={{ display: 'grid', gridTemplateRows: 'minmax(0, 2fr) minmax(0, 1fr)', gap: 8, minHeight: 0 }}>
        <NotePreview markdown={body} style={style} onRendered={onRendered} />
        <NotePrint title={title} rendered={printable} />
        <section className="note-preview" aria-label="Citations of this note">
          <h3 style={{ margin: '4px 0' }}>Citations ({state === 'saved' ? 'as saved' : 'updated when saved'})</h3>
          <CitationList table="notes" id={id} onError={onError} />
        </section>
      </div>
    </>
  );
}
