import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which window (an Electron window, a browser tab's connection) a call came from. The transport
 * names it, dispatch runs the handler inside it, and every write made on that call's behalf,
 * awaited steps included, is an undo step of that window: Undo in one window never takes back
 * another window's edit. Work with no window (the command line, tests, the app's own upkeep)
 * belongs to LOCAL_WINDOW.
 */
export const LOCAL_WINDOW = 'local';

const current = new AsyncLocalStorage<string>();

export function inWindow<T>(window: string | undefined, fn: () => T): T {
  return current.run(window ?? LOCAL_WINDOW, fn);
}

export function currentWindow(): string {
  return current.getStore() ?? LOCAL_WINDOW;
}
