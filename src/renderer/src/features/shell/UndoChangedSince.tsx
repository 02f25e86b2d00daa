import { useRef } from 'react';
import { useFocusTrap } from '../../lib/use-focus-trap';
/**
 * Undo or Redo found that what it would put back was changed since by another window: nothing
 * was done yet. The analyst reads what changed and chooses; Cancel keeps the other window's work.
 */
export function UndoChangedSince({
  kind,
  message,
  onAnyway,
  onCancel,
}: {
  kind: 'undo' | 'redo';
  message: string;
  onAnyway: () => void;
  onCancel: () => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onCancel());
  const what = kind === 'undo' ? 'Undo' : 'Redo';
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-label={`${what} what another window changed?`}
        data-testid="undo-changed-since"
      >
        <h2>{what} what another window changed?</h2>
        <p dir="auto" data-testid="undo-changed-since-message">
          {message}
        </p>
        <div className="buttons">
          <button type="button" autoFocus data-testid="undo-changed-since-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" data-testid="undo-changed-since-anyway" onClick={onAnyway}>
            {what} anyway
          </button>
        </div>
      </div>
    </div>
  );
}
