import { useCallback, useEffect, useRef, useState } from 'react';
import type { CitationStyle } from '../../../../shared/channels/sources';
import { invoke, mode } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { CitationList } from '../citations/CitationList';
import { download } from '../../lib/download';
import { UserText } from '../citations/UserText';
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
              <button type="button" className={n.id === current ? 'active' : ''} onClick={() => setCurrent(n.id)} data-testid="note-item">
                <UserText text={n.title} />
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {current ? <NoteView key={current} id={current} style={style} setStyle={setStyle} onError={onError} /> : <p className="muted">No note yet.</p>}
    </div>
  );
}

type SaveState = 'saved' | 'editing' | 'saving' | 'error';

function NoteView({ id, style, setStyle, onError }: { id: string; style: CitationStyle; setStyle: (s: CitationStyle) => void; onError: (m: string) => void }) {
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

  useEffect(() => {
    invoke('rows.get', { table: 'notes', id })
      .then((r) => {
        setTitle(String(r?.title ?? ''));
        setBody(String(r?.body ?? ''));
        setLoaded(true);
      })
      .catch((e: Error) => onError(e.message));
  }, [id, onError]);

  const flush = useCallback(async () => {
    const p = pending.current;
    if (!p) return;
    pending.current = null;
    setState('saving');
    try {
      await invoke('notes.save', { id, title: p.title.trim() || 'Untitled note', body: p.body });
      setState(pending.current ? 'editing' : 'saved');
      setSaveError(null);
    } catch (e) {
      setState('error');
      setSaveError((e as Error).message);
    }
  }, [id]);

  // Saved a moment after typing stops (and when the note is left), as one undo step per save.
  useEffect(() => {
    if (!loaded || !pending.current) return;
    const t = setTimeout(() => void flush(), 800);
    return () => clearTimeout(t);
  }, [title, body, loaded, flush]);
  useEffect(() => {
    // And when the window closes within that moment.
    const hide = () => void flush();
    window.addEventListener('pagehide', hide);
    return () => {
      window.removeEventListener('pagehide', hide);
      void flush();
    };
  }, [flush]);

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
        <input className="title-input" dir="auto" value={title} aria-label="Note title" data-testid="note-title" onChange={(e) => { setTitle(e.target.value); edit(e.target.value, body); }} />
        <NoteEditor value={body} onChange={(v) => { setBody(v); edit(title, v); }} />
        <div className="note-tools">
          <span className={state === 'error' ? 'error' : 'muted'} data-testid="note-save-state">
            {state === 'saved' ? 'Saved' : state === 'saving' ? 'Saving…' : state === 'editing' ? 'Editing…' : `Not saved: ${saveError}`}
          </span>
          <span className="spacer" />
          <label className="small">
            Style{' '}
            <select value={style} onChange={(e) => setStyle(e.target.value as CitationStyle)} data-testid="citation-style">
              <option value="chicago-author-date">Chicago author-date</option>
              <option value="apa">APA 7th</option>
            </select>
          </label>
          <button type="button" onClick={() => void exportMarkdown()} data-testid="export-markdown" title="Markdown and a CSL-JSON bibliography beside it, for Pandoc">
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
            <button type="button" onClick={() => window.print()} data-testid="print-note" title="The browser's print dialog: choose Save as PDF there">
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
