import { useFocusTrap } from '../lib/use-focus-trap';
import { useRef, type ReactNode } from 'react';

/** An in-app confirmation (not window.confirm: the page never opens a native dialog). */
export function Confirm({
  title,
  children,
  yes,
  onYes,
  onNo,
}: {
  title: string;
  children: ReactNode;
  yes: string;
  onYes: () => void;
  onNo: () => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => onNo());
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-label={title} data-testid="confirm-dialog">
        <h2>{title}</h2>
        <div className="confirm-body">{children}</div>
        <div className="buttons">
          <button type="button" onClick={onNo} autoFocus>
            Cancel
          </button>
          <button type="button" onClick={onYes} data-testid="confirm-yes">
            {yes}
          </button>
        </div>
      </div>
    </div>
  );
}
