import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN, devServerUrl } from './security';

/** Our windows: only these may call the core, and only these receive its events. */
export const appWindows = new Set<BrowserWindow>();

export function startUrl(): string {
  return devServerUrl()?.href ?? `${APP_ORIGIN}/index.html`;
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Casefile',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(app.getAppPath(), 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: !app.isPackaged,
    },
  });
  appWindows.add(win);
  win.on('closed', () => appWindows.delete(win));
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a load we (or a reload) cut short, not a missing page.
    if (!isMainFrame || code === -3) return;
    win.show();
    dialog.showErrorBox(
      'Casefile',
      `The workbench page did not load (${description || code}: ${url}). Run "npm run build", then start Casefile again.`,
    );
  });
  void win.loadURL(startUrl());
  return win;
}
