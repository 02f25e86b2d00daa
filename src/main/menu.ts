import {
  Menu,
  type BaseWindow,
  type BrowserWindow,
  type KeyboardEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { basename, dirname } from 'node:path';
import type { HistoryState } from '../shared/contract';

export type MenuActions = {
  newFile(): void;
  open(): void;
  openRecent(path: string): void;
  saveAs(): void;
  undo(): void;
  redo(): void;
};

export type MenuState = { recent: readonly string[]; history: HistoryState | null; dev: boolean };

const isMac = process.platform === 'darwin';

/**
 * Undo and Redo act on the case file (the session), not on the page's text. The renderer handles
 * Ctrl/Cmd+Z itself (and leaves it alone inside text fields), so the accelerator is shown but not
 * registered on Windows and Linux. On macOS the menu only sees a key the page did not handle
 * (Chromium gives the page the first chance): that is a text field's undo, so it goes to the page.
 */
function historyItem(kind: 'undo' | 'redo', state: MenuState, run: () => void): MenuItemConstructorOptions {
  const h = state.history;
  const label =
    kind === 'undo' ? (h?.undoLabel ? `Undo ${h.undoLabel}` : 'Undo') : h?.redoLabel ? `Redo ${h.redoLabel}` : 'Redo';
  return {
    id: kind,
    label,
    accelerator: kind === 'undo' ? 'CmdOrCtrl+Z' : 'CmdOrCtrl+Shift+Z',
    registerAccelerator: false,
    // Kept enabled on macOS so that a text field's Cmd+Z still reaches the page.
    enabled: isMac || (kind === 'undo' ? !!h?.canUndo : !!h?.canRedo),
    click: (_item, win: BaseWindow | undefined, event: KeyboardEvent) => {
      const contents = (win as BrowserWindow | undefined)?.webContents;
      if (event.triggeredByAccelerator && contents) {
        if (kind === 'undo') contents.undo();
        else contents.redo();
      } else run();
    },
  };
}

export function buildMenu(state: MenuState, actions: MenuActions): Menu {
  const recent: MenuItemConstructorOptions[] = state.recent.length
    ? state.recent.map((path) => ({
        label: `${basename(path)} — ${dirname(path)}`,
        click: () => actions.openRecent(path),
      }))
    : [{ label: 'No recent case files', enabled: false }];

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Case File…', accelerator: 'CmdOrCtrl+N', click: () => actions.newFile() },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveAs() },
        { type: 'separator' },
        { role: 'close' },
        ...(isMac ? [] : [{ role: 'quit' } as MenuItemConstructorOptions]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        historyItem('undo', state, actions.undo),
        historyItem('redo', state, actions.redo),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(state.dev ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    ...(isMac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
  ];
  return Menu.buildFromTemplate(template);
}
