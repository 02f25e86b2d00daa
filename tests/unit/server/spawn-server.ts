import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A browser-mode server in its own process, started the way `npm run web` starts it. */
export type Served = {
  port: number;
  token: string;
  proc: ChildProcess;
  /** Everything the process wrote on stdout and stderr so far. */
  output: () => string;
  /** The exit code or signal, once it has exited; null while it runs. */
  exited: () => string | null;
  stop: () => Promise<void>;
};

export async function spawnServer(): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'casefile-server-'));
  // A page of our own: what is served does not matter here, only that the server serves it.
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Casefile</title>');
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/server/main.ts'),
      '--file',
      join(dir, 'case.casefile'),
      '--config-dir',
      join(dir, 'config'),
      '--static',
      join(dir, 'static'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let exit: string | null = null;
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((r) =>
    proc.on('exit', (code, signal) => {
      exit = `code ${code} signal ${signal}`;
      r();
    }),
  );
  const url = await new Promise<string>((res, rej) => {
    const t = setInterval(() => {
      const m = /Open: (http:\S+)/.exec(out);
      if (m) {
        clearInterval(t);
        res(m[1]!);
      } else if (exit !== null) {
        clearInterval(t);
        rej(new Error(`server exited (${exit}): ${out}`));
      }
    }, 50);
  });
  const u = new URL(url);
  return {
    port: Number(u.port),
    token: u.hash.replace('#token=', ''),
    proc,
    output: () => out,
    exited: () => exit,
    stop: async () => {
      if (exit === null) {
        proc.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type HttpReply = { status: number; body: string };

/** One HTTP request with a raw path and headers, as a hostile client would send it. */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<HttpReply> {
  return new Promise((res, rej) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
        r.on('error', rej);
      },
    );
    req.on('error', rej);
    req.end();
  });
}

/** Bytes on a bare TCP connection; resolves with what came back when the server closes or after `ms`. */
export function raw(port: number, bytes: Buffer | string, ms = 1000): Promise<string> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(t);
      s.destroy();
      res(got);
    };
    const t = setTimeout(done, ms);
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', done);
    s.on('close', done);
    s.write(bytes);
  });
}

/**
 * A WebSocket opened by hand on a TCP socket, so that a test can send frames no client library
 * would: a length over the limit, invalid UTF-8, reserved bits. Resolves once the server agreed.
 */
export function rawSocket(port: number, token: string): Promise<{ socket: Socket; received: () => Buffer }> {
  return new Promise((res, rej) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let open = false;
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!open && buf.includes('\r\n\r\n')) {
        if (!buf.toString('latin1').startsWith('HTTP/1.1 101')) return rej(new Error(buf.toString('latin1')));
        open = true;
        buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
        res({ socket, received: () => buf });
      }
    });
    socket.write(
      `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** A client frame (masked, as clients must): fin + opcode, and the payload length it claims. */
export function frame(
  opcode: number,
  payload: Buffer,
  opts: { fin?: boolean; rsv?: number; claimedLength?: number; mask?: boolean } = {},
): Buffer {
  const len = opts.claimedLength ?? payload.length;
  const first = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f);
  const masked = opts.mask ?? true;
  let head: Buffer;
  if (len < 126) head = Buffer.from([first, (masked ? 0x80 : 0) | len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = first;
    head[1] = (masked ? 0x80 : 0) | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = (masked ? 0x80 : 0) | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!masked) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([head, key, body]);
}

/** The close frame's status code in what the server sent, or null when none came. */
export function closeCode(received: Buffer): number | null {
  for (let i = 0; i + 1 < received.length;) {
    const op = received[i]! & 0x0f;
    let len = received[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = received.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(received.readBigUInt64BE(at));
      at += 8;
    }
    if (op === 8) return len >= 2 ? received.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return null;
}

/** A valid request over a fresh WebSocket: the proof that the server still serves. */
export async function call(
  port: number,
  token: string,
  channel: string,
  input: unknown = {},
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, {
    headers: { origin: `http://127.0.0.1:${port}` },
  });
  try {
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return await send(ws, JSON.stringify({ id: 1, channel, input })).then((r) => (r as { envelope: never }).envelope);
  } finally {
    ws.close();
  }
}

/** Sends one message and resolves with the next reply that is not an event. */
export function send(ws: WebSocket, message: string | Buffer): Promise<unknown> {
  return new Promise((res, rej) => {
    const onMessage = (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { event?: string };
      if (m.event) return;
      ws.off('message', onMessage);
      res(m);
    };
    ws.on('message', onMessage);
    ws.once('close', (code) => rej(new Error(`closed ${code}`)));
    ws.send(message);
  });
}

export async function openWs(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, {
    headers: { origin: `http://127.0.0.1:${port}` },
  });
  ws.on('error', () => {});
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('close', () => rej(new Error('refused')));
  });
  return ws;
}
