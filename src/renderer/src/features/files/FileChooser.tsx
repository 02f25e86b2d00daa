import { useRef, useState } from 'react';
import type { FilePurpose } from '../../../../shared/channels/files';
import { ACCEPT, hasSystemDialog, pickPath, uploadFile, type UploadProgress } from '../../lib/files';
import { UploadProgressLine } from './UploadProgressLine';

export type Chooser = {
  kind: 'open' | 'save';
  purpose: FilePurpose;
  title?: string;
  defaultName?: string;
  extensions?: string[];
  keep?: boolean;
};

/**
 * The "Choose…" of every file operation. In the desktop app it opens the system's dialog (from the
 * folder last used). In browser mode, to open a file it uses the browser's chooser and sends the
 * file to the core with its progress; a save there is a download, which the dialog offers itself.
 * `onChosen` gets a path the core can read or write, and whether it is a copy received from the browser.
 */
export function FileChooser({
  chooser,
  testId,
  disabled,
  onChosen,
  onError,
}: {
  chooser: Chooser;
  testId: string;
  disabled?: boolean;
  onChosen: (path: string, received: boolean) => void;
  onError: (m: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const abort = useRef<AbortController | null>(null);

  if (hasSystemDialog) {
    return (
      <button
        type="button"
        data-testid={`${testId}-choose`}
        disabled={disabled}
        onClick={() =>
          void pickPath(chooser)
            // A save dialog may hand back a name without the extension the case file needs.
            .then(
              (p) =>
                p &&
                onChosen(
                  chooser.purpose === 'casefile' && chooser.kind === 'save' && !/\.casefile$/i.test(p)
                    ? `${p}.casefile`
                    : p,
                  false,
                ),
            )
            .catch((e: Error) => onError(e.message))
        }
      >
        Choose…
      </button>
    );
  }
  if (chooser.kind === 'save') return null;
  const send = (file: File) => {
    abort.current = new AbortController();
    uploadFile(file, { keep: chooser.keep, onProgress: setProgress, signal: abort.current.signal })
      .then((r) => onChosen(r.path, true))
      .catch((e: Error) => onError(e.message === 'Cancelled' ? `${file.name} was not sent: cancelled.` : e.message))
      .finally(() => setProgress(null));
  };
  return (
    <>
      <button
        type="button"
        data-testid={`${testId}-choose`}
        disabled={disabled || progress !== null}
        onClick={() => input.current?.click()}
        title="Choose a file on this computer; its copy is sent to Casefile"
      >
        Choose a file…
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept={ACCEPT[chooser.purpose]}
        data-testid={`${testId}-file`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) send(f);
        }}
      />
      {progress && <UploadProgressLine progress={progress} onCancel={() => abort.current?.abort()} />}
    </>
  );
}
