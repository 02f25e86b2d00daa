import type { ReactNode } from 'react';

/** An in-app confirmation (not window.confirm: the page never opens a native dialog). */
export function Confirm({ title, children, yes, onYes, onNo }: { title: string; children: ReactNode; yes: string; onYes: () => void; onNo: () => void }) {
  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && onNo()}>
      <div className="dialog" role="alertdialog" aria-label={title} data-testid="confirm-dialog">
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
