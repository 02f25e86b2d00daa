import type { ImportProgressEvent } from './useImportProgress';

/** Rows read, percent and rows per second (the core's own line), and the Cancel button. */
export function ImportProgressBar({ progress, onCancel, cancelling }: { progress: ImportProgressEvent | null; onCancel: () => void; cancelling: boolean }) {
  const pct = progress && progress.total ? Math.min(100, (progress.done / progress.total) * 100) : null;
  const finishing = pct !== null && pct >= 100;
  return (
    <div className="import-progress" data-testid="import-progress" role="status" aria-live="polite">
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
        {finishing ? ' · building the search index' : ''}
      </span>
    </div>
  );
}
