import { useCallback, useEffect, useState } from 'react';
import type { HistoryState } from '../../shared/contract';
import { invoke, mode, onConnectionLost, subscribe, type ConnectionProblem } from './lib/api';
import { useQuery } from './lib/use-query';
import { useTableCounts } from './lib/use-table-counts';
import { AuthorDialog } from './features/shell/AuthorDialog';
import { UndoProgress } from './features/shell/UndoProgress';
import { UndoChangedSince } from './features/shell/UndoChangedSince';
import { AREAS } from './areas';
import { FileMenu } from './features/exchange/FileMenu';
import { ConnectionBanner } from './features/shell/ConnectionBanner';
import { HelpMenu, type HelpItem } from './features/help/HelpMenu';
import { AboutDialog, ShortcutsSheet, UserGuide } from './features/help/HelpDialogs';
import { useShellShortcuts } from './features/help/shortcuts';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { useApplyTheme } from './features/settings/theme';
import { useWindowDrop } from './features/files/use-window-drop';
import { folderOf } from './features/exchange/format';
import './features/files/files.css';

export function App() {
  const [area, setArea] = useState<string>(() => AREAS.find((a) => `#${a.id}` === location.hash)?.id ?? AREAS[0]!.id);
  const current = AREAS.find((a) => a.id === area) ?? AREAS[0]!;
  // Asked again only when another file is opened: the badges follow data.changed's counts.
  const info = useQuery('app.info', {}, []);
  const counts = useTableCounts(info.data?.caseFile?.counts);
  // Re-import conflicts waiting for the analyst's choice: counted on the Import tab wherever one is.
  const conflicts = useQuery('import.conflicts', { limit: 1 }, ['incidents'], ['import.conflicts.changed']);
  const [history, setHistory] = useState<HistoryState | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [lost, setLost] = useState<ConnectionProblem | null>(null);
  // Damage the check after opening found (the analyst's own file opens before its check ends).
  const [damaged, setDamaged] = useState<string | null>(null);
  const [help, setHelp] = useState<HelpItem | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [changedSince, setChangedSince] = useState<{ kind: 'undo' | 'redo'; message: string } | null>(null);
  useApplyTheme();

  const showError = useCallback((m: string) => setToast(m), []);

  useEffect(() => {
    // Undo and Redo are this window's own: the event says some window's changed, this one asks for its own.
    const refresh = () =>
      void invoke('history.state', {})
        .then(setHistory)
        .catch(() => undefined);
    refresh();
    const a = subscribe('history.changed', refresh);
    const b = onConnectionLost(setLost);
    const c = subscribe('file.checked', (r) => setDamaged(r.ok ? null : (r.message ?? 'The case file is damaged')));
    const d = subscribe('file.opened', () => setDamaged(null));
    return () => {
      a();
      b();
      c();
      d();
    };
  }, []);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(t);
  }, [toast]);

  const step = useCallback(
    (kind: 'undo' | 'redo', overwrite = false) =>
      invoke(kind === 'undo' ? 'history.undo' : 'history.redo', { overwrite })
        .then((r) => {
          setHistory(r);
          if (r.changedSince) setChangedSince({ kind, message: r.changedSince });
        })
        .catch((e: Error) => showError(e.message)),
    [showError],
  );
  const undo = useCallback(() => step('undo'), [step]);
  const redo = useCallback(() => step('redo'), [step]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      // Text fields keep their own undo while they are being edited.
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      void (e.shiftKey ? redo() : undo());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);

  const switchArea = useCallback((id: string) => {
    setArea(id);
    window.history.replaceState(null, '', `#${id}`);
  }, []);
  useShellShortcuts({
    areaCount: AREAS.length,
    switchArea: (i) => switchArea(AREAS[i]!.id),
    showShortcuts: () => setHelp('shortcuts'),
  });

  const dragging = useWindowDrop({
    showImport: useCallback(() => switchArea('import'), [switchArea]),
    tell: showError,
  });

  const cf = info.data?.caseFile;
  const fileName = cf ? cf.path.slice(folderOf(cf.path).length) : null;
  // The window's title (the desktop app's title bar shows the page's) says which file is open and where.
  useEffect(() => {
    document.title = cf ? `${fileName} — ${folderOf(cf.path)} — Casefile` : 'Casefile';
  }, [cf, fileName]);
  return (
    <div className="app" data-testid="app-shell">
      <header className="titlebar">
        <strong className="brand">Casefile</strong>
        <FileMenu />
        <HelpMenu onPick={setHelp} />
        <span className="case-title" dir="auto" data-testid="case-title" title={cf?.path}>
          {cf?.title ?? 'No case file open'}
        </span>
        {cf && (
          <span className="case-where muted" data-testid="case-file" title={cf.path}>
            <span dir="auto">{fileName}</span> in {folderOf(cf.path)}
          </span>
        )}
        <span className="spacer" />
        <UndoProgress />
        <button
          type="button"
          data-testid="undo"
          disabled={!history?.canUndo}
          title={history?.undoLabel ? `Undo ${history.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
          onClick={() => void undo()}
        >
          ↶ Undo
        </button>
        <button
          type="button"
          data-testid="redo"
          disabled={!history?.canRedo}
          title={history?.redoLabel ? `Redo ${history.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}
          onClick={() => void redo()}
        >
          ↷ Redo
        </button>
        <span className="muted" title="Edits are recorded under this name">
          {info.data?.author ?? ''} · {mode === 'electron' ? 'desktop' : 'browser mode'}
        </span>
        <button type="button" data-testid="settings-open" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
      <nav className="areas" aria-label="Areas">
        {AREAS.map((a) => (
          <button
            type="button"
            key={a.id}
            className={a.id === area ? 'active' : ''}
            aria-current={a.id === area ? 'page' : undefined}
            data-testid={`nav-${a.id}`}
            onClick={() => switchArea(a.id)}
          >
            {a.label}
            {cf && a.countOf ? <span className="badge">{(counts[a.countOf] ?? 0).toLocaleString()}</span> : null}
            {cf && a.id === 'import' && (conflicts.data?.total ?? 0) > 0 ? (
              <span
                className="badge attention"
                data-testid="import-conflict-badge"
                title="Conflicts of re-imports waiting for your choice"
              >
                {conflicts.data!.total.toLocaleString()} to choose
              </span>
            ) : null}
          </button>
        ))}
      </nav>
      <main className="content">
        {lost && <ConnectionBanner problem={lost} />}
        {damaged && (
          <div className="error banner" role="alert" data-testid="file-damaged" dir="auto">
            {damaged}. Nothing will be written to it: restore a backup (Settings, Backups) or open another file.
          </div>
        )}
        {cf && current.render({ onError: showError })}
      </main>
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>Drop a CSV or XLSX to import it, or a .casefile to open or merge it</div>
        </div>
      )}
      {toast && (
        <div className="toast" role="alert" data-testid="toast" onClick={() => setToast(null)}>
          {toast}
        </div>
      )}
      {info.data && !info.data.author && <AuthorDialog onDone={info.refresh} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {help === 'shortcuts' && <ShortcutsSheet onClose={() => setHelp(null)} />}
      {help === 'about' && <AboutDialog onClose={() => setHelp(null)} />}
      {help === 'guide' && <UserGuide onClose={() => setHelp(null)} />}
      {changedSince && (
        <UndoChangedSince
          kind={changedSince.kind}
          message={changedSince.message}
          onCancel={() => setChangedSince(null)}
          onAnyway={() => {
            setChangedSince(null);
            void step(changedSince.kind, true);
          }}
        />
      )}
    </div>
  );
}
