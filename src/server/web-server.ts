import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Handlers } from '../core/handlers/index';
import { answer } from './ws-message';
import type { Session } from '../core/session';

/**
 * Browser mode: the same handlers as the Electron main process, behind a WebSocket on the
 * loopback interface. Every connection must present the random token (given to the user in the
 * URL's fragment, which browsers never send to the server), and the Host and Origin headers must
 * name this server, so that another web page cannot reach it (DNS rebinding, cross-site sockets).
 */
export type WebServer = { url: string; port: number; token: string; close: () => Promise<void> };

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
};
const MAX_MESSAGE = 64 * 1024 * 1024;

export async function startWebServer(opts: {
  session: Session;
  handlers: Handlers;
  staticDir: string;
  port?: number;
}): Promise<WebServer> {
  const token = randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  // Any web page can make the browser send a request here (an <img> needs no token), so nothing a
  // request holds may throw out of these handlers: a throw would end the process and the session.
  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return deny(res, 421, 'wrong host');
    serveStatic(opts.staticDir, req, res).catch((e: unknown) => failed(res, e));
  });
  // Bytes that are not HTTP: answer 400 when the socket can still take it, and drop the connection.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', () => socket.destroy());
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  wss.on('error', (e) => console.error('[casefile] websocket server:', e.message));
  const sockets = new Set<WebSocket>();
  /**
   * Each connection is a window of its own (its undo steps are its own). A tab names itself
   * (kept in its sessionStorage, so a reload or a reconnect finds its steps again); a name
   * already held by an open connection (a duplicated tab copies sessionStorage) gets a new one.
   */
  const windows = new Map<WebSocket, string>();
  const windowOf = (asked: string | null): string => {
    const held = new Set(windows.values());
    const name = asked && /^[A-Za-z0-9-]{8,64}$/.test(asked) ? `tab:${asked}` : null;
    return name && !held.has(name) ? name : `tab:${randomUUID()}`;
  };

  server.on('upgrade', (req, socket, head) => {
    // A peer that resets mid-handshake must not raise an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    let ok = false;
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const origin = req.headers.origin;
      const given = Buffer.from(url.searchParams.get('token') ?? '');
      ok =
        url.pathname === '/ws' &&
        allowedHosts().has(req.headers.host ?? '') &&
        (origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''))) &&
        given.length === tokenBuf.length &&
        timingSafeEqual(given, tokenBuf);
    } catch {
      ok = false; // an address that does not parse is refused like a wrong token
    }
    if (!ok) {
      // Written in full, then the connection is dropped without waiting for the peer to close its side.
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n', () => socket.destroy());
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    sockets.add(ws);
    const window = windowOf(new URL(req.url ?? '/', 'http://x').searchParams.get('window'));
    windows.set(ws, window);
    // Each client gets every event; a view that made a change refreshes from the event like any other.
    const unsubscribe = opts.session.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    // A frame over the limit, invalid UTF-8 or a broken frame: ws closes the connection with the
    // code that says which (1009, 1007, 1002); without this listener the error would end the process.
    ws.on('error', (e) => console.error(`[casefile] websocket closed: ${e.message}`));
    ws.on('message', (data) => {
      answer(opts.handlers, data, window)
        .then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(reply);
        })
        .catch((e: unknown) => console.error('[casefile] websocket reply failed:', e));
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
      windows.delete(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(message);
}

/** What went wrong past every check: an error reply if none was started, and the server goes on. */
function failed(res: ServerResponse, e: unknown): void {
  console.error('[casefile] request failed:', e instanceof Error ? e.message : String(e));
  if (!res.headersSent) deny(res, 500, 'internal error');
  else res.destroy();
}

/** The request's path, decoded; null when it does not parse or holds a malformed %-escape. */
export function requestPath(url: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
  const pathname = requestPath(req.url);
  if (pathname === null) return deny(res, 400, 'bad request: the address does not parse');
  const rel = normalize(pathname === '/' ? '/index.html' : pathname);
  const file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) return deny(res, 403, 'forbidden');
  try {
    const st = await stat(file);
    if (!st.isFile()) return deny(res, 404, 'not found');
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    deny(res, 404, 'not found');
  }
}
