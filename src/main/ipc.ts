import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { dispatch, type Handlers } from '../core/handlers/index';
import type { Session } from '../core/session';
import type { Envelope } from '../shared/contract';
import { IPC_EVENT, IPC_INVOKE } from '../shared/bridge';
import { isAppUrl } from './security';
import { appWindows } from './window';

/** The caller is the top frame of one of our windows, showing one of our pages. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const win = BrowserWindow.fromWebContents(event.sender);
  return win !== null && appWindows.has(win) && isAppUrl(frame.url);
}

/** The name a window's calls run under: its web contents' id, stable across reloads. */
export function windowName(webContentsId: number): string {
  return `window:${webContentsId}`;
}

const untrusted: Envelope<never> = {
  ok: false,
  error: { code: 'refused', message: 'this page may not call Casefile' },
};

/** One handler for every channel: check the sender, then the shared dispatch parses and runs. */
export function registerIpc(handlers: Handlers): void {
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event)) {
      console.warn(`[casefile] refused a call from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return untrusted;
    }
    // Each window's undo steps are its own (core/window-origin.ts).
    return dispatch(handlers, channel, input, windowName(event.sender.id));
  });
}

/** Every contract event goes to every open window of ours. */
export function forwardEvents(session: Session): () => void {
  return session.subscribe((name, payload) => {
    for (const win of appWindows) {
      if (win.isDestroyed()) continue;
      const wc = win.webContents;
      if (!wc.isDestroyed() && isAppUrl(wc.getURL())) wc.send(IPC_EVENT, name, payload);
    }
  });
}
