import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { ExportDialog } from './ExportDialog';
import { folderOf } from './format';
import { MergeDialog } from './MergeDialog';
import { OpenDialog } from './OpenDialog';
import { PathDialog } from './PathDialog';
import { RestoreDialog } from '../backup/RestoreDialog';
import './exchange.css';

type Dialog = 'new' | 'open' | 'saveAs' | 'export' | 'merge' | 'restore';
const ITEMS: [Dialog, string][] = [
  ['new', 'New case file…'],
  ['open', 'Open…'],
  ['saveAs', 'Save As…'],
  ['export', 'Export case file…'],
  ['merge', 'Merge a colleague’s case file…'],
  ['restore', 'Restore from backup…'],
];

/** The File menu of the workbench (browser mode has no native menu; Electron's lacks export and merge). */
export function FileMenu() {
  const info = useQuery('app.info', {}, []);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
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
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 12_000);
    return () => clearTimeout(t);
  }, [notice]);

  const close = () => {
    setDialog(null);
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
      <button type="button" aria-haspopup="menu" aria-expanded={open} data-testid="file-menu" onClick={() => setOpen(!open)}>
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
        </div>
      )}
      {/* Dialogs render at the top of the page, outside the title bar and its styles. */}
      {createPortal(
        <>
          {dialog === 'new' && (
            <PathDialog title="New case file" label="Create the case file at" initial={`${folder}Untitled.casefile`} confirm="Create" testId="new-dialog" busy={busy} error={error} onCancel={close} onSubmit={(p) => simple(() => invoke('file.new', { path: p, demo: false }), `Created ${p}.`)} />
          )}
          {dialog === 'open' && <OpenDialog initial={folder} onDone={done} onClose={close} />}
          {dialog === 'saveAs' && (
            <PathDialog title="Save case file as" label="Save a copy as, and continue there" initial={`${folder}${stem} copy.casefile`} confirm="Save" testId="saveas-dialog" busy={busy} error={error} onCancel={close} onSubmit={(p) => simple(() => invoke('file.saveAs', { path: p }), `Saved as ${p}; you are now working in it.`)} />
          )}
          {dialog === 'export' && <ExportDialog initial={`${folder}${stem} (for colleague).casefile`} onDone={done} onClose={close} />}
          {dialog === 'merge' && <MergeDialog initial={folder} onDone={done} onClose={close} />}
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
