import { useEffect, useRef, useState, type ReactNode } from 'react';
import { hasSystemDialog, uploadFile, type UploadProgress } from '../../lib/files';
import { UploadProgressLine } from '../files/UploadProgressLine';
import { FileChooser, type Chooser } from '../files/FileChooser';
import { useFocusTrap } from '../../lib/use-focus-trap';
import '../files/files.css';

/** Where a save goes: a path on the computer that runs Casefile, or a download in this browser. */
export type SaveHow = 'path' | 'download';

/**
 * Asks for a file. "Choose…" opens the system's dialog in the desktop app; in browser mode it is
 * the browser's chooser, and the chosen file is sent to Casefile (then submitted at once). A path
 * on the machine that runs Casefile can always be typed or pasted instead (large files, or files
 * already there). With `download` (browser mode, a save), the file can go to the browser's
 * downloads instead of a path.
 */
export function PathDialog(props: {
  title: string;
  label: string;
  initial: string;
  confirm: string;
  testId: string;
  busy?: boolean;
  chooser?: Chooser;
  /** The name a download gets: offered in browser mode for a save. */
  download?: string;
  /** A file dropped on the window for this dialog: sent to Casefile, then submitted. */
  dropped?: File | null;
  /** Shown above the path: what this is about. */
  intro?: ReactNode;
  children?: ReactNode;
  error?: string | null;
  onSubmit: (path: string, how: SaveHow) => void;
  onCancel: () => void;
}) {
  const [path, setPath] = useState(props.initial);
  const [how, setHow] = useState<SaveHow>(props.download && !hasSystemDialog ? 'download' : 'path');
  const [chooseError, setChooseError] = useState<string | null>(null);
  const box = useRef<HTMLFormElement>(null);
  const onKeyDown = useFocusTrap(box, props.onCancel);
  const error = props.error ?? chooseError;
  const [sending, setSending] = useState<UploadProgress | null>(null);
  const sent = useRef<File | null>(null);
  const submit = useRef(props.onSubmit);
  submit.current = props.onSubmit;
  useEffect(() => {
    const f = props.dropped;
    if (!f || sent.current === f) return;
    sent.current = f;
    uploadFile(f, { keep: props.chooser?.keep, onProgress: setSending })
      .then((r) => {
        setPath(r.path);
        submit.current(r.path, 'path');
      })
      .catch((e: Error) => setChooseError(e.message))
      .finally(() => setSending(null));
  }, [props.dropped, props.chooser?.keep]);
  const ready = how === 'download' || path.trim() !== '';
  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        ref={box}
        className="dialog xc-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        data-testid={props.testId}
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !props.busy) props.onSubmit(path.trim(), how);
        }}
      >
        <h2>{props.title}</h2>
        {props.intro}
        {props.download && !hasSystemDialog && (
          <fieldset className="xc-options" disabled={props.busy}>
            <label className="xc-check">
              <input
                type="radio"
                name="save-how"
                checked={how === 'download'}
                onChange={() => setHow('download')}
                data-testid={`${props.testId}-download`}
              />
              Download to this browser (<span dir="auto">{props.download}</span>)
            </label>
            <label className="xc-check">
              <input
                type="radio"
                name="save-how"
                checked={how === 'path'}
                onChange={() => setHow('path')}
                data-testid={`${props.testId}-to-path`}
              />
              Write to a path on the computer that runs Casefile
            </label>
          </fieldset>
        )}
        {how === 'path' && (
          <label>
            {props.label}
            <span className="path-row">
              <input
                autoFocus
                dir="auto"
                spellCheck={false}
                className="path-input"
                data-testid={`${props.testId}-path`}
                value={path}
                onChange={(e) => setPath(e.target.value)}
              />
              {props.chooser && (
                <FileChooser
                  chooser={props.chooser}
                  testId={props.testId}
                  disabled={props.busy}
                  onError={setChooseError}
                  onChosen={(p) => {
                    setChooseError(null);
                    setPath(p);
                    props.onSubmit(p, 'path');
                  }}
                />
              )}
            </span>
          </label>
        )}
        {sending && <UploadProgressLine progress={sending} />}
        {props.children}
        {error && (
          <p className="error" role="alert" data-testid={`${props.testId}-error`}>
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" data-testid={`${props.testId}-ok`} disabled={props.busy || !ready}>
            {props.confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
