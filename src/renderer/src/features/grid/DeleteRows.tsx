import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRef, useEffect, useState } from 'react';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke, subscribe } from '../../lib/api';

export const rowsWord = (table: GridTable, n: number) =>
  `${n.toLocaleString()} ${n === 1 ? (table === 'sources' ? 'source' : table.replace(/s$/, '')) : table}`;

/** Delete from the keyboard (Shift+Delete, Ctrl+Delete) asks first, naming how many rows go. */
export function ConfirmDelete({
  table,
  count,
  onConfirm,
  onCancel,
}: {
  table: GridTable;
  count: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onCancel());
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <form
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-label={`Delete ${rowsWord(table, count)}?`}
        data-testid="delete-confirm"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <h2>Delete {rowsWord(table, count)}?</h2>
        {table !== 'sources' && <p>Their citations are deleted with them. Undo brings both back.</p>}
        <div className="buttons">
          <button type="button" autoFocus data-testid="delete-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" data-testid="delete-confirm-ok">
            Delete {rowsWord(table, count)}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * Said after rows are deleted, with Undo at hand. It stays until closed, or until this window's
 * Undo would no longer take this deletion back (another step came after it, or it was undone).
 */
export function DeletedToast({
  message,
  label,
  onClose,
  onError,
}: {
  message: string;
  label: string;
  onClose: () => void;
  onError: (m: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const check = () =>
      void invoke('history.state', {})
        .then((h) => h.undoLabel !== label && onClose())
        .catch(() => undefined);
    return subscribe('history.changed', check);
  }, [label, onClose]);
  const undo = async () => {
    setBusy(true);
    try {
      const h = await invoke('history.state', {});
      if (h.undoLabel !== label) return onClose();
      const r = await invoke('history.undo', {});
      if (r.changedSince) onError(r.changedSince);
      onClose();
    } catch (e) {
      onError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="deleted-toast" role="status" data-testid="deleted-toast">
      <span>{message}</span>
      <button type="button" data-testid="deleted-undo" disabled={busy} onClick={() => void undo()}>
        Undo
      </button>
      <button type="button" aria-label="Close" data-testid="deleted-close" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
