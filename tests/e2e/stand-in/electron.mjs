// A stand-in for the `electron` module, for tests/e2e/electron-wiring.test.mjs: just enough of
// Electron's main-process API for the built out/main to start, recording every call that
// matters as one JSON line in $CASEFILE_WIRING_LOG. The test reads the log and drives the
// recorded handlers (navigation, new windows) through the stand-in's own control channel:
// lines written to stdin, one JSON command each.
import { fork } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const LOG = process.env.CASEFILE_WIRING_LOG;
const HOME = process.env.CASEFILE_WIRING_HOME;
const record = (kind, data = {}) => appendFileSync(LOG, `${JSON.stringify({ kind, ...data })}\n`);
const noop = () => undefined;

const paths = {
  appData: join(HOME, 'appData'),
  userData: join(HOME, 'appData', 'casefile'),
  documents: join(HOME, 'documents'),
  temp: join(HOME, 'temp'),
};
for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });

class App extends EventEmitter {
  isPackaged = false;
  getPath(name) {
    return paths[name] ?? join(HOME, name);
  }
  setPath(name, value) {
    paths[name] = value;
    record('app.setPath', { name, value });
  }
  getAppPath() {
    return process.cwd();
  }
  getVersion() {
    return '0.0.0-wiring';
  }
  getName() {
    return 'Casefile';
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    record('app.quit');
  }
  exit(code) {
    record('app.exit', { code });
  }
}
export const app = new App();

class WebContents extends EventEmitter {
  static last = 0;
  id = ++WebContents.last;
  url = '';
  windowOpenHandler = null;
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send(channel, ...args) {
    record('webContents.send', { id: this.id, channel, args });
  }
  undo() {}
  redo() {}
}

const windows = new Set();
export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.webContents = new WebContents();
    windows.add(this);
    record('BrowserWindow.new', { id: this.webContents.id, options });
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getFocusedWindow() {
    return [...windows][0] ?? null;
  }
  static getAllWindows() {
    return [...windows];
  }
  static fromWebContents(wc) {
    return [...windows].find((w) => w.webContents === wc) ?? null;
  }
  async loadURL(url) {
    this.webContents.url = url;
    record('BrowserWindow.loadURL', { id: this.webContents.id, url });
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() {}
  focus() {
    record('BrowserWindow.focus', { id: this.webContents.id });
  }
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  destroy() {
    windows.delete(this);
  }
}

const webRequest = { onBeforeRequest: noop, onHeadersReceived: noop };
const fakeSession = {
  webRequest,
  protocol: { handle: noop },
  setPermissionRequestHandler: noop,
  setPermissionCheckHandler: noop,
  setDevicePermissionHandler: noop,
};
export const session = { defaultSession: fakeSession, fromPartition: () => fakeSession };

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => record('protocol.registerSchemesAsPrivileged', { schemes }),
  handle: (scheme) => record('protocol.handle', { scheme }),
};

const ipcHandlers = new Map();
export const ipcMain = {
  handle: (channel, fn) => {
    ipcHandlers.set(channel, fn);
    record('ipcMain.handle', { channel });
  },
};
export const Menu = {
  buildFromTemplate: (t) => ({ template: t }),
  setApplicationMenu: () => record('Menu.setApplicationMenu'),
};
export const shell = { openExternal: async (url) => record('shell.openExternal', { url }) };
export const dialog = {
  showErrorBox: (title, text) => record('dialog.showErrorBox', { title, text }),
  showMessageBox: async (...a) => (record('dialog.showMessageBox', { options: a.at(-1) }), { response: 0 }),
  showMessageBoxSync: (...a) => (record('dialog.showMessageBox', { options: a.at(-1) }), 0),
  // The file dialogs answer what $CASEFILE_WIRING_PICK names (or Cancel), and record what they were asked.
  showOpenDialog: async (...a) => (
    record('dialog.showOpenDialog', { options: a.at(-1) }),
    process.env.CASEFILE_WIRING_PICK
      ? { canceled: false, filePaths: [process.env.CASEFILE_WIRING_PICK] }
      : { canceled: true, filePaths: [] }
  ),
  showSaveDialog: async (...a) => (
    record('dialog.showSaveDialog', { options: a.at(-1) }),
    process.env.CASEFILE_WIRING_PICK
      ? { canceled: false, filePath: process.env.CASEFILE_WIRING_PICK }
      : { canceled: true }
  ),
};
// A utility process as a forked Node with process.parentPort (parent-port.mjs): enough to run
// the real exchange-probe-utility.js the app starts for the received-file check.
export const utilityProcess = {
  fork(path, args = [], options = {}) {
    record('utilityProcess.fork', { path, serviceName: options.serviceName });
    const child = fork(path, args, {
      execArgv: ['--import', new URL('./parent-port.mjs', import.meta.url).href],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proc = new EventEmitter();
    child.on('spawn', () => proc.emit('spawn'));
    child.on('message', (m) => proc.emit('message', m));
    child.on('exit', (code) => proc.emit('exit', code ?? 1));
    proc.postMessage = (m) => child.send({ toPort: m });
    proc.kill = () => child.kill('SIGKILL');
    return proc;
  },
};

// The test's commands: act as Chromium would on the recorded handlers, and record the outcome.
createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  const wc = [...windows].find((w) => w.webContents.id === cmd.id)?.webContents;
  if (!wc) return record('error', { message: `no web contents ${cmd.id}` });
  if (cmd.do === 'navigate') {
    let prevented = false;
    wc.emit('will-navigate', { preventDefault: () => (prevented = true) }, cmd.url);
    record('navigate', { url: cmd.url, prevented });
  } else if (cmd.do === 'invoke') {
    // A call from the window's top frame, as its preload makes it.
    const event = { sender: wc, senderFrame: { parent: null, url: wc.getURL() } };
    Promise.resolve(ipcHandlers.get('casefile:invoke')?.(event, cmd.channel, cmd.input)).then((envelope) =>
      record('invoked', { channel: cmd.channel, envelope }),
    );
  } else if (cmd.do === 'open-window') {
    record('open-window', {
      url: cmd.url,
      result: wc.windowOpenHandler ? wc.windowOpenHandler({ url: cmd.url }) : null,
    });
  }
});

export default { app, BrowserWindow, session, protocol, ipcMain, Menu, shell, dialog, utilityProcess };
