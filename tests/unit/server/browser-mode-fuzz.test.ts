import { afterAll, beforeAll, expect, it } from 'vitest';
import { contract } from '../../../src/shared/contract';
import { rng } from '../../rng';
import { call, frame, get, openWs, raw, rawSocket, spawnServer, type Served } from './spawn-server';
import type WebSocket from 'ws';

/**
 * A bounded fuzz of browser mode (issue 22): random request lines, headers, WebSocket frames and
 * messages, from a fixed seed, against a real server process on the loopback interface. Each
 * phase stops at its count or its time budget, whichever comes first; the server must never exit
 * and must serve a valid request after all of it.
 */
const SEED = 22_2026;
const BUDGET_MS = 6_000; // per phase, four phases

let s: Served;
beforeAll(async () => {
  s = await spawnServer();
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

const r = rng(SEED);
const int = (n: number) => Math.floor(r() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));

const PATH_BITS = [
  '/',
  '//',
  '[',
  ']',
  '%',
  '%E0%A4%A',
  '%E0',
  '%zz',
  '%00',
  '%2e%2e',
  '..',
  '/../',
  'index.html',
  'ws',
  '?token=',
  '#',
  '\\',
  '%C0%AF',
  '\u00e9',
  'assets',
  '?',
  '&',
  '=',
  '@',
  ':',
  '%25',
  '\t',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE', 'CONNECT', 'PRI', 'get', 'X'.repeat(40), ''];

function randomPath(): string {
  let p = '';
  for (let i = int(8); i >= 0; i--) p += r() < 0.85 ? pick(PATH_BITS) : bytes(1 + int(4)).toString('latin1');
  return p;
}

function randomRequest(port: number): Buffer {
  const headers: string[] = [];
  const host = pick([`127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', `127.0.0.1:${port}\u0000`, '[::1]']);
  if (r() < 0.9) headers.push(`Host: ${host}`);
  if (r() < 0.4)
    headers.push(`Origin: ${pick([`http://127.0.0.1:${port}`, 'null', 'http://evil.example', '', 'x'.repeat(300)])}`);
  if (r() < 0.35)
    headers.push(
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${pick(['dGhlIHNhbXBsZSBub25jZQ==', '', 'x', bytes(16).toString('base64')])}`,
      `Sec-WebSocket-Version: ${pick(['13', '8', '', 'x'])}`,
    );
  if (r() < 0.2) headers.push(`Content-Length: ${pick(['0', '5', '-1', '99999999999999999999', 'x'])}`);
  if (r() < 0.1) headers.push('Transfer-Encoding: chunked');
  if (r() < 0.2) headers.push(`${bytes(1 + int(10)).toString('latin1')}: ${bytes(int(20)).toString('latin1')}`);
  const path = r() < 0.5 ? randomPath() : `/ws?token=${pick([s.token, '', 'x'])}${pick(['', randomPath()])}`;
  const line = `${pick(METHODS)} ${path} ${pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/9', ''])}`;
  const body = r() < 0.3 ? bytes(int(200)) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from(`${line}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

function randomValue(depth = 0): unknown {
  const k = int(depth > 3 ? 6 : 9);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick([0, -1, 1e308, -0, 2 ** 53 + 1, 0.5, 1000001]);
    case 3:
      return pick([
        '',
        'x',
        '\u202Eevil',
        '__proto__',
        'constructor',
        '0'.repeat(5000),
        '\ud800',
        'incidents',
        'sources',
        '00000000-0000-7000-8000-000000000000',
      ]);
    case 4:
      return bytes(int(30)).toString('latin1');
    case 5:
      return pick(['incidents', 'plots', 'figures', 'notes']);
    case 6:
      return Array.from({ length: int(5) }, () => randomValue(depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(5); i > 0; i--)
        o[
          pick([
            'table',
            'id',
            'ids',
            'values',
            'filter',
            'sort',
            'after',
            'limit',
            'q',
            'query',
            'text',
            'field',
            'column',
            'input',
            'x',
          ])
        ] = randomValue(depth + 1);
      return o;
    }
  }
}

// Channels that take a path would write wherever a random string points: left out of the fuzz.
const CHANNELS = Object.entries(contract)
  .filter(
    ([, spec]) =>
      !/"(path|out|file|dir|target)"/i.test(
        JSON.stringify(Object.keys((spec.input as { shape?: object }).shape ?? {})),
      ),
  )
  .map(([name]) => name);

function randomMessage(): string | Buffer {
  const k = int(10);
  if (k === 0) return bytes(int(300));
  if (k === 1)
    return pick([
      'null',
      '[]',
      '1',
      '"x"',
      '{}',
      '{"channel":{"toString":1}}',
      '[[[[[[[[[[[[[[[[[[[[[[[[[[',
      '{"__proto__":{"x":1}}',
    ]);
  if (k === 2) return '['.repeat(int(50_000)) + ']'.repeat(int(50_000));
  const msg: Record<string, unknown> = { id: r() < 0.8 ? int(1000) : randomValue() };
  msg.channel = r() < 0.85 ? pick(CHANNELS) : randomValue();
  if (r() < 0.9) msg.input = randomValue();
  return JSON.stringify(msg);
}

async function phase(count: number, step: (i: number) => Promise<void>): Promise<number> {
  const end = Date.now() + BUDGET_MS;
  let i = 0;
  for (; i < count && Date.now() < end && s.exited() === null; i++) await step(i);
  return i;
}

it('never exits under random requests, frames and messages, and serves after', async () => {
  expect(CHANNELS.length).toBeGreaterThan(40);
  const done: Record<string, number> = {};

  done.requests = await phase(400, async () => {
    await Promise.all(Array.from({ length: 4 }, () => raw(s.port, randomRequest(s.port), 300)));
  });

  done.paths = await phase(300, async () => {
    await get(s.port, randomPath().replace(/[^\x21-\x7e]/g, '%'), {}, pick(['GET', 'HEAD'])).catch(() => undefined);
  });

  done.frames = await phase(150, async () => {
    const { socket } = await rawSocket(s.port, s.token);
    for (let n = 1 + int(4); n > 0; n--) {
      const payload = r() < 0.5 ? bytes(int(300)) : Buffer.from(String(randomMessage()));
      const opcode = pick([0, 1, 1, 1, 2, 2, 3, 8, 9, 10, 15]);
      const claimed = r() < 0.1 ? pick([126, 65_536, 64 * 1024 * 1024 + int(10), 2 ** 40]) : undefined;
      socket.write(
        frame(opcode, payload, {
          fin: r() < 0.8,
          rsv: r() < 0.1 ? 1 + int(7) : 0,
          mask: r() < 0.95,
          claimedLength: claimed,
        }),
      );
    }
    await new Promise((res) => setTimeout(res, 20));
    if (r() < 0.5) socket.resetAndDestroy();
    else socket.destroy();
  });

  let ws: WebSocket | null = null;
  done.messages = await phase(600, async () => {
    if (!ws || ws.readyState !== ws.OPEN) ws = await openWs(s.port, s.token);
    const w = ws;
    // Wait for the reply (or the close) so that messages do not pile up unanswered.
    await new Promise<void>((res) => {
      const t = setTimeout(res, 2000);
      const finish = () => {
        clearTimeout(t);
        w.off('message', finish);
        w.off('close', finish);
        res();
      };
      w.on('message', finish);
      w.on('close', finish);
      w.send(randomMessage());
    });
  });
  (ws as WebSocket | null)?.close();

  expect(s.exited(), s.output().slice(-2000)).toBeNull();
  expect((await get(s.port, '/')).status).toBe(200);
  const info = await call(s.port, s.token, 'app.info');
  expect(info.ok, JSON.stringify(info)).toBe(true);
  const count = await call(s.port, s.token, 'rows.seek', { table: 'incidents', offset: 0, limit: 1 });
  expect(count.ok, JSON.stringify(count)).toBe(true);
  // Enough of each kind ran for the fuzz to mean something on a slow machine.
  for (const [kind, n] of Object.entries(done)) expect(n, kind).toBeGreaterThan(20);
  console.log(`fuzz (seed ${SEED}): ${JSON.stringify(done)}`);
}, 60_000);
