import { useRef, useState } from 'react';
import { MAX_ATTACHMENT_BYTES } from '../../../../shared/channels/sources';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { useTask } from '../../lib/use-task';
import { base64ToBlob, download, readAsBase64 } from '../../lib/download';
import { PassageViewer } from '../../components/PassageViewer';
import { Confirm } from '../../components/Confirm';
import { dropKindOf } from '../../lib/dropped-file';

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A source's attached files (PDF, HTML, text): add, view the extracted text, save a copy, remove. */
export function Attachments({ sourceId, onError }: { sourceId: string; onError: (m: string) => void }) {
  const { data } = useQuery('attachments.list', { sourceId }, ['sources']);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement | null>(null);
  // A PDF is read page by page in a task worker: its progress, while a file is being added.
  const task = useTask();
  const pages = task.progress
    ? (task.progress.message ?? `${task.progress.done} of ${task.progress.total ?? '?'}`)
    : null;

  const add = async (file: File) => {
    // Checked here too, so a huge file is not read into memory only to be refused.
    if (file.size > MAX_ATTACHMENT_BYTES) {
      onError(
        `${file.name}: ${size(file.size)} is more than the ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB an attached file may have`,
      );
      return;
    }
    setBusy(`Reading ${file.name}…`);
    setNote(null);
    try {
      const dataBase64 = await readAsBase64(file);
      setBusy(`Extracting the text of ${file.name}…`);
      const r = await invoke('attachments.add', {
        sourceId,
        name: file.name,
        mediaType: file.type,
        dataBase64,
        taskId: task.start(),
      });
      if (r.warning) setNote(r.warning);
    } catch (e) {
      const m = (e as Error).message;
      if (m === 'Cancelled') setNote(`${file.name} was not attached (cancelled).`);
      else onError(m);
    } finally {
      setBusy(null);
    }
  };

  const save = async (id: string) => {
    try {
      const d = await invoke('attachments.data', { id });
      download(d.name, base64ToBlob(d.dataBase64, d.mediaType));
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const remove = async (id: string) => {
    setRemoving(null);
    await invoke('attachments.remove', { id }).catch((e: Error) => onError(e.message));
  };

  return (
    <div
      data-testid="attachments"
      className="attach-drop"
      // A file dropped here is attached to this source (the window's own drop handling never sees it).
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const f = e.dataTransfer.files[0];
        if (!f) return;
        e.preventDefault();
        e.stopPropagation();
        if (busy !== null) onError(`${f.name} was not attached: another file is being added.`);
        else if (dropKindOf(f.name) === 'attachment') void add(f);
        else onError(`${f.name}: a source takes PDF, HTML or text files.`);
      }}
    >
      {data?.length === 0 && (
        <p className="muted small">
          No file attached. Attach the source&apos;s PDF, web page or text (or drop it here) so quoted passages can be
          checked.
        </p>
      )}
      <ul className="file-list">
        {data?.map((a) => (
          <li key={a.id} data-testid="attachment">
            <span dir="auto" className="user-text">
              {a.name}
            </span>
            <span className="muted small">
              {a.media_type} · {size(a.size)} ·{' '}
              {a.text_length === null ? 'no readable text' : `${a.text_length.toLocaleString()} characters of text`}
            </span>
            {a.text_length !== null && (
              <button type="button" className="link" onClick={() => setViewing(a.id)} data-testid="view-attachment">
                View text
              </button>
            )}
            <button type="button" className="link" onClick={() => void save(a.id)}>
              Save copy
            </button>
            <button type="button" className="link" onClick={() => setRemoving({ id: a.id, name: a.name })}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button type="button" disabled={busy !== null} onClick={() => fileRef.current?.click()} data-testid="attach-file">
        Attach file…
      </button>
      <input
        ref={fileRef}
        type="file"
        hidden
        accept=".pdf,.html,.htm,.txt,.md,application/pdf,text/html,text/plain"
        data-testid="attach-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void add(f);
        }}
      />
      {busy && (
        <>
          {' '}
          <button
            type="button"
            className="link"
            onClick={() => void task.stop().catch((e: Error) => onError(e.message))}
            data-testid="attach-cancel"
          >
            Cancel
          </button>
          <span className="muted small" data-testid="attach-progress" role="status">
            {' '}
            {pages ?? busy}
          </span>
        </>
      )}
      {note && (
        <p className="warn small" data-testid="attachment-warning">
          {note}
        </p>
      )}
      {viewing && <PassageViewer attachmentId={viewing} onClose={() => setViewing(null)} />}
      {removing && (
        // Removing is undoable, but a file is bigger news than a field: ask first.
        <Confirm
          title="Remove attached file"
          yes="Remove"
          onYes={() => void remove(removing.id)}
          onNo={() => setRemoving(null)}
        >
          Remove <span dir="auto">“{removing.name}”</span> from this source? (Ctrl+Z puts it back.)
        </Confirm>
      )}
    </div>
  );
}
