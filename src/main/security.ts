import { app, BrowserWindow, dialog, protocol, session, shell, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { askToOpen, webAddress } from './link-policy';

/*
 * The app's pages are served from a privileged custom scheme, app://casefile/, not file://.
 * Why: a file:// page may read any file:// URL on the disk, and Electron documents that response
 * headers (our CSP) cannot be relied on for file://. Our own protocol handler answers only for
 * files under out/renderer and sets the CSP header itself (Electron security checklist, item 18).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'casefile';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const BASE_POLICY: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  // AG Grid and ECharts set inline styles.
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};
const serialise = (p: Record<string, string>) =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

export const CSP = serialise(BASE_POLICY);

/**
 * The Vite dev server (`electron-vite dev`), honoured only in an unpackaged app so an environment
 * variable can never point a shipped app at another server.
 */
export function devServerUrl(): URL | null {
  const raw = process.env['ELECTRON_RENDERER_URL'];
  if (app.isPackaged || !raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1') ? u : null;
  } catch {
    return null;
  }
}

/** Dev only: Vite injects React Refresh's inline preamble and talks HMR over a WebSocket. */
function devPolicy(dev: URL): string {
  return serialise({
    ...BASE_POLICY,
    'script-src': "'self' 'unsafe-inline'",
    'connect-src': `'self' ws://${dev.host}`,
  });
}

/** True for our own pages: app://casefile/… or, in development, the dev server. */
export function isAppUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST;
  const dev = devServerUrl();
  return dev !== null && u.origin === dev.origin;
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves the built renderer (rendererDir = out/renderer) at app://casefile/, with the CSP. */
export function serveApp(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    let file: string;
    try {
      const url = new URL(request.url);
      if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
      const path = decodeURIComponent(url.pathname);
      file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
    } catch {
      return notFound();
    }
    const rel = relative(root, file);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return notFound();
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: {
          'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return notFound();
    }
  });
}

/** One question at a time: a page that opens links in a loop gets no queue of boxes. */
let asking = false;

/**
 * The one way out of the app to the web: http(s) URLs only, parsed, and handed to the system
 * browser only after the analyst said yes to a message box that shows the whole address.
 * Everything else (file:, javascript:, custom schemes, our own pages) is dropped.
 */
export async function openExternal(raw: string, from?: WebContents): Promise<void> {
  const u = webAddress(raw, isAppUrl);
  if (!u || asking) return;
  asking = true;
  try {
    const parent = from ? BrowserWindow.fromWebContents(from) : null;
    const options = askToOpen(u);
    const { response } = await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    if (response === 1) await shell.openExternal(u.href);
  } catch (e) {
    console.error('[casefile] could not open a link', e);
  } finally {
    asking = false;
  }
}

/** Session-wide rules: the CSP on our responses, no network beyond our origin, no permissions. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  const dev = devServerUrl();
  const devCsp = dev ? devPolicy(dev) : null;

  // Pages only ever talk to our own origin; the core does not use the network.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      const u = new URL(details.url);
      const fromDev = dev !== null && (u.origin === dev.origin || (u.protocol === 'ws:' && u.host === dev.host));
      callback({ cancel: !fromDev });
    },
  );

  ses.webRequest.onHeadersReceived((details, callback) => {
    const policy = details.url.startsWith(`${APP_ORIGIN}/`) ? CSP : devCsp && isAppUrl(details.url) ? devCsp : null;
    if (!policy) return callback({});
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });

  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Every web contents, ours or not: no navigation, no new windows, no webviews. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    void openExternal(url, contents);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url, contents);
    return { action: 'deny' };
  });
}
