import type { UploadProgress } from '../../lib/files';
import { sizeText } from '../../lib/files';

/** A file on its way to the core: how much has arrived, and a Cancel. */
export function UploadProgressLine({ progress, onCancel }: { progress: UploadProgress; onCancel?: () => void }) {
  const pct = progress.total ? Math.round((100 * progress.done) / progress.total) : 100;
  return (
    <div className="upload-progress" role="status" data-testid="upload-progress">
      <progress max={100} value={pct} aria-label={`Sending ${progress.name}`} />
      <span dir="auto">
        Sending {progress.name}: {sizeText(progress.done)} of {sizeText(progress.total)} ({pct}%)
      </span>
      {onCancel && (
        <button type="button" data-testid="upload-cancel" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
