import { useEffect, useState } from 'react';
import { dropKindOf, offerDropped } from '../../lib/dropped-file';

const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

/**
 * A file dropped anywhere on the window: a CSV or XLSX goes to Import (with its preview), a case
 * file to the File menu (which asks Open or Merge). A PDF, HTML or text file is attached where it
 * is dropped on a source's attached files (that area takes it first); elsewhere the analyst is told so.
 * Returns whether a file is being dragged over the window (for the overlay).
 */
export function useWindowDrop(opts: { showImport: () => void; tell: (m: string) => void }): boolean {
  const [over, setOver] = useState(false);
  const { showImport, tell } = opts;
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overWindow = (e: DragEvent) => {
      // Without this the browser would open the file in place of the workbench.
      if (hasFiles(e)) e.preventDefault();
    };
    // In the capture phase: an area that takes the drop itself stops it before it bubbles here.
    const reset = () => {
      depth = 0;
      setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e) || e.defaultPrevented) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      const file = files[0];
      if (!file) return;
      if (files.length > 1)
        tell(`${files.length} files were dropped: Casefile takes one at a time, so only ${file.name} is used.`);
      const kind = dropKindOf(file.name);
      if (kind === 'data') {
        showImport();
        offerDropped('data', file);
      } else if (kind === 'casefile') offerDropped('casefile', file);
      else if (kind === 'attachment')
        tell(`To attach ${file.name}, drop it on a source's attached files (Sources, then a source).`);
      else
        tell(
          `${file.name}: Casefile opens case files (.casefile), imports CSV or XLSX, and attaches PDF, HTML or text files to a source.`,
        );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', reset, true);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('drop', reset, true);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, [showImport, tell]);
  return over;
}
