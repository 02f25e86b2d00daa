import { app, BrowserWindow, dialog, Menu, utilityProcess, type MessageBoxOptions } from 'electron';
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CasefileError } from '../core/errors';
import { dispatch, makeHandlers, type Handlers } from '../core/handlers/index';
import { Session } from '../core/session';
import { setProbeLauncher } from '../core/tasks/child-process';
import { describeMove, moveLowerCaseSettings, SETTINGS_FOLDER } from '../core/settings-dir';
import type { Channel, Input, UndoResult } from '../shared/contract';
import { forwardEvents, registerIpc, windowName } from './ipc';
import { buildMenu } from './menu';
import { notePdfHandler } from './note-pdf';
import { filePickHandler } from './file-picker';
import { startFolder } from '../core/files/documents-dir';
import { caseFilesIn, OpenRequests } from './open-request';
import { utilityLauncher } from './utility-child';
import { devServerUrl, guardContents, hardenSession, registerAppScheme, serveApp } from './security';
import { appWindows, createMainWindow } from './window';

/*
 * The Electron main process: lifecycle, windows, menu, dialogs and IPC wiring. Everything about
 * the case file itself lives in src/core, which runs unchanged under tests and the browser mode.
 */

// One settings folder for every mode (settings-dir.ts), set explicitly rather than derived from
// package.json's name. Before the single-instance lock, which lives in that folder. Tests point
// it at a temporary folder so they never touch the user's settings.
const userData = process.env['CASEFILE_USER_DATA'];
if (userData) app.setPath('userData', userData);
else {
  const moved = describeMove(moveLowerCaseSettings(app.getPath('appData')));
  if (moved) console.log(moved);
  app.setPath('userData', join(app.getPath('appData'), SETTINGS_FOLDER));
}

registerAppScheme();
// The received-file check's child is a utility process: the RunAsNode fuse is off.
setProbeLauncher(utilityLauncher(utilityProcess.fork));
app.on('web-contents-created', (_event, contents) => guardContents(contents));

/** Case files asked for by a double-click, a second start or macOS (open-request.ts). */
const requests = new OpenRequests();
for (const path of caseFilesIn(process.argv.slice(1), process.cwd())) requests.add(path);

const CASEFILE_FILTERS = [{ name: 'Casefile case files', extensions: ['casefile'] }];
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Shows why Casefile cannot go on, then exits (the line also goes to the terminal). */
function fail(text: string): void {
  console.error(`casefile: ${text}`);
  dialog.showErrorBox('Casefile', text);
  app.exit(1);
}

function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.focus();
}

function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? [...appWindows][0];
}

async function showMessage(options: MessageBoxOptions): Promise<void> {
  const win = parentWindow();
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

/**
 * The last case file if it still opens, else the demo (created on the first start). Checked in a
 * worker (Session.openChecked), so that a large file's quick_check does not hold the main process.
 */
async function openFirstCaseFile(session: Session, demoPath: string): Promise<boolean> {
  const last = session.settings.get().recent[0];
  if (last && last !== demoPath) {
    try {
      await session.openChecked(last);
      return true;
    } catch (e) {
      dialog.showMessageBoxSync({
        type: 'warning',
        title: 'Casefile',
        message: `Casefile could not open ${basename(last)}.`,
        detail: `${message(e)}\n\nThe demo case file is opened instead.`,
      });
    }
  }
  try {
    await session.openOrCreateDemo(demoPath);
    return true;
  } catch (first) {
    // A damaged demo is ours to rebuild: keep it aside and make a fresh one. Any other error
    // (the SQLite addon itself, the disk) would only fail again.
    if (!(first instanceof CasefileError)) {
      fail(`Casefile could not open its demo case file (${demoPath}): ${message(first)}`);
      return false;
    }
    try {
      const aside = `${demoPath}.unreadable-${Date.now()}`;
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(demoPath + suffix)) renameSync(demoPath + suffix, aside + suffix);
      await session.openOrCreateDemo(demoPath);
      return true;
    } catch {
      fail(`Casefile could not open its demo case file (${demoPath}): ${message(first)}`);
      return false;
    }
  }
}

function withExtension(path: string): string {
  return path.toLowerCase().endsWith('.casefile') ? path : `${path}.casefile`;
}

function fileActions(handlers: Handlers, session: Session) {
  const call = async <C extends Channel>(channel: C, input: Input<C>, failure: string) => {
    const result = await dispatch(handlers, channel, input);
    if (!result.ok)
      await showMessage({ type: 'error', title: 'Casefile', message: failure, detail: result.error.message });
  };
  const saveDialog = async (title: string, name: string) => {
    // The folder last used (the page's Choose… and this menu share it), else Documents.
    const options = {
      title,
      defaultPath: join(startFolder(session.settings.get().lastFolder, app.getPath('documents')), name),
      filters: CASEFILE_FILTERS,
      properties: ['createDirectory' as const],
    };
    const win = parentWindow();
    const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
    if (r.canceled || !r.filePath) return null;
    session.settings.update({ lastFolder: dirname(r.filePath) });
    return withExtension(r.filePath);
  };
  return {
    newFile: async () => {
      const path = await saveDialog('New case file', 'Untitled.casefile');
      if (path) await call('file.new', { path, demo: false }, 'The case file was not created.');
    },
    open: async () => {
      const options = {
        title: 'Open case file',
        defaultPath: startFolder(session.settings.get().lastFolder, app.getPath('documents')),
        filters: CASEFILE_FILTERS,
        properties: ['openFile' as const],
      };
      const win = parentWindow();
      const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
      const path = r.canceled ? undefined : r.filePaths[0];
      if (path) session.settings.update({ lastFolder: dirname(path) });
      if (path) await call('file.open', { path }, `${basename(path)} was not opened.`);
    },
    openRecent: (path: string) => call('file.open', { path }, `${basename(path)} was not opened.`),
    /** A file from outside (double-click, second start, open-file): File > Open's path, in the window. */
    openRequested: async (path: string) => {
      const win = [...appWindows][0] ?? createMainWindow();
      showWindow(win);
      await call('file.open', { path }, `${basename(path)} was not opened.`);
    },
    saveAs: async () => {
      const path = await saveDialog('Save case file as', 'Copy.casefile');
      if (path) await call('file.saveAs', { path }, 'The case file was not saved.');
    },
    undo: () => undoInWindow(handlers, 'history.undo'),
    redo: () => undoInWindow(handlers, 'history.redo'),
  };
}

/** The window the menu acts for: the focused one (its undo steps, see core/window-origin.ts). */
function focusedWindowName(): string | undefined {
  const win = parentWindow();
  return win ? windowName(win.webContents.id) : undefined;
}

/**
 * Edit > Undo / Redo from the menu: the focused window's step. When what it would put back was
 * changed since by another window, the analyst is asked before it is overwritten.
 */
async function undoInWindow(handlers: Handlers, channel: 'history.undo' | 'history.redo'): Promise<void> {
  const window = focusedWindowName();
  const what = channel === 'history.undo' ? 'Undo' : 'Redo';
  const result = await dispatch(handlers, channel, {}, window);
  if (!result.ok)
    return showMessage({
      type: 'error',
      title: 'Casefile',
      message: `Nothing was ${what === 'Undo' ? 'undone' : 'redone'}.`,
      detail: result.error.message,
    });
  const changed = (result.value as UndoResult).changedSince;
  if (!changed) return;
  const win = parentWindow();
  const options: MessageBoxOptions = {
    type: 'question',
    title: 'Casefile',
    message: changed,
    buttons: [`${what} anyway`, 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
  const answer = await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  if (answer.response === 0) {
    const again = await dispatch(handlers, channel, { overwrite: true }, window);
    if (!again.ok)
      await showMessage({
        type: 'error',
        title: 'Casefile',
        message: `Nothing was ${what === 'Undo' ? 'undone' : 'redone'}.`,
        detail: again.error.message,
      });
  }
}

async function start(): Promise<void> {
  const rendererDir = join(app.getAppPath(), 'out', 'renderer');
  if (!devServerUrl() && !existsSync(join(rendererDir, 'index.html'))) {
    return fail('The workbench is not built: run "npm run build", then start Casefile again.');
  }

  // better-sqlite3 is an N-API addon: the binary that serves Node serves Electron too.
  const session = new Session(app.getPath('userData'), 'electron');
  if (!(await openFirstCaseFile(session, join(app.getPath('userData'), 'demo.casefile')))) return;
  const handlers = makeHandlers(session, app.getVersion());
  // Printing a note needs Electron: its handler lives here, the core's one refuses.
  handlers['notes.exportPdf'] = notePdfHandler(session, parentWindow);
  // The same for the platform's file dialog: every file operation in the page asks for it here.
  handlers['files.pick'] = filePickHandler(session, parentWindow);

  hardenSession();
  serveApp(rendererDir);
  registerIpc(handlers);
  forwardEvents(session);

  // The menu shows recent files and what Undo would undo: rebuild it when either changes.
  const actions = fileActions(handlers, session);
  const menuActions = {
    newFile: () => void actions.newFile(),
    open: () => void actions.open(),
    openRecent: (path: string) => void actions.openRecent(path),
    saveAs: () => void actions.saveAs(),
    undo: () => void actions.undo(),
    redo: () => void actions.redo(),
  };
  let pending = false;
  const refreshMenu = () => {
    pending = false;
    const history = session.hasCaseFile ? session.caseFile.history(focusedWindowName()) : null;
    Menu.setApplicationMenu(
      buildMenu({ recent: session.settings.get().recent, history, dev: !app.isPackaged }, menuActions),
    );
  };
  session.subscribe((event) => {
    if ((event === 'file.opened' || event === 'history.changed') && !pending) {
      pending = true;
      setImmediate(refreshMenu);
    }
  });
  // Undo in the menu is the focused window's.
  app.on('browser-window-focus', () => {
    if (!pending) {
      pending = true;
      setImmediate(refreshMenu);
    }
  });
  refreshMenu();

  createMainWindow();
  requests.ready(actions.openRequested);
  app.on('activate', () => {
    if (appWindows.size === 0) createMainWindow();
  });
  app.on('will-quit', () => session.close());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const win = [...appWindows][0];
    if (win) showWindow(win);
    for (const path of caseFilesIn(argv.slice(1), workingDirectory)) requests.add(path);
  });
  // macOS hands a double-clicked file to the running app (or to the one starting) this way.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requests.add(path);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fail(`Casefile could not start: ${message(e)}`));
}
