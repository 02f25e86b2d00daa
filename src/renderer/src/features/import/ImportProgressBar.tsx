import { useEffect, useRef } from 'react';
import type { Progress } from '../../../../shared/channels/tasks';

/** Rows read, percent and rows per second (the core's own line), and the Cancel button. */
export function ImportProgressBar({
  progress,
  onCancel,
  cancelling,
}: {
  progress: Progress | null;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const read = progress && progress.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  // Every row read: the indexes and the search index are built before the commit, a while for a
  // large file, with no percent of their own: the bar turns indeterminate then, as without a total.
  const pct = read !== null && read < 100 ? read : null;
  // Started from the foot of a long preview, the bar and its Cancel would be below the window's edge.
  // Brought into view when it appears, and again when the core's first line makes it taller.
  const el = useRef<HTMLDivElement>(null);
  const hasLine = progress !== null;
  useEffect(() => {
    el.current?.scrollIntoView({ block: 'nearest' });
  }, [hasLine]);
  return (
    <div className="import-progress" data-testid="import-progress" role="status" aria-live="polite" ref={el}>
      <div
        className={`bar${pct === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct === null ? undefined : Math.floor(pct)}
        aria-label="Import progress"
      >
        <div style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <button type="button" data-testid="import-cancel" onClick={onCancel} disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      <span className="import-status" data-testid="import-progress-text">
        {progress?.message ?? 'Starting…'}
      </span>
    </div>
  );
}
