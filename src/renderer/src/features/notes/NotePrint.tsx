import { createPortal } from 'react-dom';
import type { Rendered } from './NotePreview';
import './notes-print.css';

/**
 * The note as it prints in the browser (Print / Save as PDF): its title, the preview's sanitized
 * HTML and the bibliography, under <body> and hidden on screen; the print stylesheet shows only it.
 */
export function NotePrint({ title, rendered }: { title: string; rendered: Rendered | null }) {
  if (!rendered) return null;
  return createPortal(
    <article className="note-print" data-testid="note-print" dir="auto">
      <h1 dir="auto">{title}</h1>
      <div dangerouslySetInnerHTML={{ __html: rendered.html }} />
      {rendered.bibliography && (
        <>
          <h2>References</h2>
          <div className="bibliography" dangerouslySetInnerHTML={{ __html: rendered.bibliography }} />
        </>
      )}
    </article>,
    document.body,
  );
}
