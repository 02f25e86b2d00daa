import type { Who } from '../../../../shared/channels/exchange';

/** A cell value from either file, as text (empty shows as a dash, so "cleared" is visible). */
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** "Colleague, 3 May 2024 14:02" from a change's author and clock time. */
export function who(w: Who | null): string {
  if (!w) return '';
  const d = w.at ? new Date(w.at) : null;
  const when =
    d && !Number.isNaN(d.getTime())
      ? d.toLocaleString(undefined, {
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        })
      : '';
  return when ? `${w.author}, ${when}` : w.author;
}

/** The folder of a path the core gave us (browser mode has no path module). */
export function folderOf(path: string | undefined): string {
  if (!path) return '';
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(0, i + 1) : '';
}

export const TABLE_LABEL: Record<string, string> = {
  incidents: 'Incident',
  plots: 'Plot',
  figures: 'Figure',
  sources: 'Source',
  citations: 'Citation',
  notes: 'Note',
  annotations: 'Comment',
  attachments: 'Attached file',
};

export const TABLE_PLURAL: Record<string, string> = {
  incidents: 'Incidents',
  plots: 'Plots',
  figures: 'Figures',
  sources: 'Sources',
  citations: 'Citations',
  notes: 'Notes',
  annotations: 'Comments',
  attachments: 'Attached files',
};
