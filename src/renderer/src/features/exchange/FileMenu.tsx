import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { ExportCaseFileDialog } from './ExportCaseFileDialog';
import { DroppedCaseFile } from './DroppedCaseFile';
import { onDropped, takeDropped } from '../../lib/dropped-file';
import { folderOf } from './format';
import { MergeDialog } from './MergeDialog';
import { OpenDialog } from './OpenDialog';
import { PathDialog } from './PathDialog';
import { RestoreDialog } from '../backup/RestoreDialog';
import { HubSyncDialog } from '../hub/HubSyncDialog';
import './exchange.css';

type Dialog = 'new' | 'open' | 'saveAs' | 'export' | 'merge' | 'hub' | 'restore';
const ITEMS: [Dialog, string][] = [
  ['new', 'New case file…'],
  ['open', 'Open…'],
  ['saveAs', 'Save As…'],
  ['export', 'Export case file…'],
  ['merge', 'Merge a colleague’s case file…'],
  ['hub', 'Sync with the team hub…'],
  ['restore', 'Restore from backup…'],
];

/** The File menu of the workbench (browser mode has no native menu; Electron's lacks export and merge). */
export function FileMenu() {
  const info = useQuery('app.info', {}, []);
  const recent = useQuery('file.recent', {}, [], ['file.opened']);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // A case file dropped on the window: asked Open or Merge, then handed to that dialog.
  const [dropped, setDropped] = useState<File | null>(null);
  const [droppedFor, setDroppedFor] = useState<File | null>(null);
  // The hub case a sync in conflict wrote beside the file: the merge review starts from it.
  const [mergeFrom, setMergeFrom] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menu = useRef<HTMLDivElement>(null);
  const path = info.data?.caseFile?.path;
  const folder = folderOf(path);
  const stem = path ? path.slice(folder.length).replace(/\.casefile$/i, '') : 'case';

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => !menu.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [open]);

  useEffect(() => {
    const take = () => {
      const f = takeDropped('casefile');
      if (f) setDropped(f);
    };
    take();
    return onDropped('casefile', take);
  }, []);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 12_000);
    return () => clearTimeout(t);
  }, [notice]);

  const close = () => {
    setDialog(null);
    setDroppedFor(null);
    setMergeFrom(null);
    setError(null);
    setBusy(false);
  };
  const done = (m: string) => {
    close();
    setNotice(m);
  };
  const simple = (fn: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    fn()
      .then(() => done(message))
      .catch((e: Error) => {
        setError(e.message);
        setBusy(false);
      });
  };
  const openRecent = (p: string) => {
    setNotice(`Opening ${p}…`);
    invoke('exchange.open', { path: p })
      .then((r) => setNotice(r.ok ? `Opened ${r.info.title} (${r.info.path}).` : `${p} was not opened: ${r.message}`))
      .catch((e: Error) => setNotice(`${p} was not opened: ${e.message}`));
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') setOpen(false);
    else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else return;
    e.preventDefault();
  };

  return (
    <div className="xc-menu" ref={menu} onKeyDown={onMenuKey}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="file-menu"
        onClick={() => setOpen(!open)}
      >
        File ▾
      </button>
      {open && (
        <div role="menu" className="xc-menu-list">
          {ITEMS.map(([d, label]) => (
            <button
              key={d}
              type="button"
              role="menuitem"
              data-testid={`file-${d}`}
              disabled={d !== 'new' && d !== 'open' && !path}
              onClick={() => {
                setOpen(false);
                setDialog(d);
              }}
            >
              {label}
            </button>
          ))}
          <div className="xc-recent" role="group" aria-label="Open Recent">
            <span className="xc-recent-head" aria-hidden="true">
              Open Recent
            </span>
            {(recent.data ?? []).filter((p) => p !== path).length === 0 && (
              <span className="xc-recent-head">No other case file opened yet</span>
            )}
            {(recent.data ?? [])
              .filter((p) => p !== path)
              .map((p) => (
                <button
                  key={p}
                  type="button"
                  role="menuitem"
                  data-testid="file-recent"
                  title={p}
                  onClick={() => {
                    setOpen(false);
                    openRecent(p);
                  }}
                >
                  <span dir="auto">{p.slice(folderOf(p).length)}</span>
                  <small dir="ltr">{folderOf(p)}</small>
                </button>
              ))}
          </div>
        </div>
      )}
      {/* Dialogs render at the top of the page, outside the title bar and its styles. */}
      {createPortal(
        <>
          {dialog === 'new' && (
            <PathDialog
              title="New case file"
              label="Create the case file at (a path on the computer that runs Casefile)"
              initial={`${folder}Untitled.casefile`}
              confirm="Create"
              testId="new-dialog"
              busy={busy}
              error={error}
              chooser={{ kind: 'save', purpose: 'casefile', title: 'New case file', defaultName: 'Untitled.casefile' }}
              onCancel={close}
              onSubmit={(p) => simple(() => invoke('file.new', { path: p, demo: false }), `Created ${p}.`)}
            />
          )}
          {dialog === 'open' && <OpenDialog initial={folder} dropped={droppedFor} onDone={done} onClose={close} />}
          {dialog === 'saveAs' && (
            <PathDialog
              title="Save case file as"
              label="Save a copy as, and continue there (a path on the computer that runs Casefile)"
              initial={`${folder}${stem} copy.casefile`}
              confirm="Save"
              testId="saveas-dialog"
              busy={busy}
              error={error}
              chooser={{
                kind: 'save',
                purpose: 'casefile',
                title: 'Save case file as',
                defaultName: `${stem} copy.casefile`,
              }}
              onCancel={close}
              onSubmit={(p) =>
                simple(() => invoke('file.saveAs', { path: p }), `Saved as ${p}; you are now working in it.`)
              }
            />
          )}
          {dialog === 'export' && (
            <ExportCaseFileDialog initial={`${folder}${stem} (for colleague).casefile`} onDone={done} onClose={close} />
          )}
          {dialog === 'merge' && (
            <MergeDialog initial={mergeFrom ?? folder} dropped={droppedFor} onDone={done} onClose={close} />
          )}
          {dialog === 'hub' && (
            <HubSyncDialog
              onDone={done}
              onClose={close}
              onReview={(p) => {
                setMergeFrom(p);
                setDialog('merge');
              }}
            />
          )}
          {dropped && (
            <DroppedCaseFile
              file={dropped}
              canMerge={!!path}
              onChoose={(what) => {
                setDroppedFor(dropped);
                setDropped(null);
                setDialog(what);
              }}
              onCancel={() => setDropped(null)}
            />
          )}
          {dialog === 'restore' && <RestoreDialog onDone={done} onClose={close} />}
          {notice && (
            <div className="xc-notice" role="status" data-testid="exchange-notice" onClick={() => setNotice(null)}>
              {notice}
            </div>
          )}
        </>,
        document.body,
      )}
    </div>
  );
}
