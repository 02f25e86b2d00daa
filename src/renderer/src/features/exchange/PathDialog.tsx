import { useState, type ReactNode } from 'react';

/**
 * Asks for a file path. In browser mode there is no native file dialog: the path is on the
 * machine that runs Casefile (the same one, on loopback), typed or pasted here.
 */
export function PathDialog(props: {
  title: string;
  label: string;
  initial: string;
  confirm: string;
  testId: string;
  busy?: boolean;
  /** Shown above the path: what this is about. */
  intro?: ReactNode;
  children?: ReactNode;
  error?: string | null;
  onSubmit: (path: string) => void;
  onCancel: () => void;
}) {
  const [path, setPath] = useState(props.initial);
  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <form
        className="dialog xc-dialog"
        role="dialog"
        aria-label={props.title}
        data-testid={props.testId}
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) props.onSubmit(path.trim());
        }}
      >
        <h2>{props.title}</h2>
        {props.intro}
        <label>
          {props.label}
          <input autoFocus dir="auto" spellCheck={false} data-testid={`${props.testId}-path`} value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
        {props.children}
        {props.error && (
          <p className="error" role="alert" data-testid={`${props.testId}-error`}>
            {props.error}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" data-testid={`${props.testId}-ok`} disabled={props.busy || !path.trim()}>
            {props.confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
