import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeCode, frame, get, openWs, raw, rawSocket, send, spawnServer, type Served } from './spawn-server';

/**
 * Requests and messages that each ended browser mode (issue 22, item 2), sent to a real server
 * process: each gets an error reply or a close with its code, and the server serves on.
 */
let s: Served;

beforeAll(async () => {
  s = await spawnServer();
}, 60_000);

afterAll(async () => {
  await s?.stop();
});

async function stillServes(): Promise<void> {
  expect(s.exited(), s.output()).toBeNull();
  expect((await get(s.port, '/')).status).toBe(200);
  const info = await call(s.port, s.token, 'app.info');
  expect(info.ok).toBe(true);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('browser mode outlives a hostile request', () => {
  it('answers 400 to a malformed %-escape in the path, which needs no token', async () => {
    const r = await get(s.port, '/%E0%A4%A');
    expect(r.status).toBe(400);
    await stillServes();
  });

  it('answers a path that is not a URL, over HTTP and as an upgrade', async () => {
    expect((await get(s.port, '//[')).status).toBe(400);
    const reply = await raw(
      s.port,
      `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1.1 403/);
    await stillServes();
  });

  it('answers bytes that are not HTTP with 400', async () => {
    expect(await raw(s.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]))).toMatch(
      /^HTTP\/1.1 400/,
    );
    await stillServes();
  });

  it('answers the message null, and JSON that is not a request, with an error', async () => {
    const ws = await openWs(s.port, s.token);
    for (const m of [
      'null',
      '1',
      '"x"',
      '[]',
      'true',
      '{"channel":{"toString":1}}',
      '{"channel":"app.info","input":null,"id":{}}',
      '['.repeat(100_000) + ']'.repeat(100_000),
    ]) {
      const reply = (await send(ws, m)) as { id: unknown; envelope: { ok: boolean; error?: { message: string } } };
      expect(reply.envelope.ok, m.slice(0, 40)).toBe(m.includes('app.info'));
    }
    expect(((await send(ws, 'null')) as { envelope: { error: { message: string } } }).envelope.error.message).toMatch(
      /not an object/,
    );
    ws.close();
    await stillServes();
  });

  it('closes with 1009 on a frame over 64 MiB', async () => {
    const { socket, received } = await rawSocket(s.port, s.token);
    // Only the header: the server must refuse by the length it declares, before reading 64 MiB.
    socket.write(frame(1, Buffer.alloc(0), { claimedLength: 64 * 1024 * 1024 + 1 }));
    await wait(300);
    expect(closeCode(received())).toBe(1009);
    socket.destroy();
    await stillServes();
  });

  it('closes with 1009 on a message over 64 MiB sent whole', async () => {
    const ws = await openWs(s.port, s.token);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(Buffer.alloc(64 * 1024 * 1024 + 1, 0x20));
    expect(await closed).toBe(1009);
    await stillServes();
  });

  it('closes with 1007 on a text frame of invalid UTF-8', async () => {
    const { socket, received } = await rawSocket(s.port, s.token);
    socket.write(frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    await wait(300);
    expect(closeCode(received())).toBe(1007);
    socket.destroy();
    await stillServes();
  });

  it('closes with 1002 on broken frames: reserved bits, an unmasked frame, an unknown opcode', async () => {
    for (const f of [
      frame(1, Buffer.from('{}'), { rsv: 4 }),
      frame(1, Buffer.from('{}'), { mask: false }),
      frame(3, Buffer.from('x')),
      frame(9, Buffer.alloc(200)),
    ]) {
      const { socket, received } = await rawSocket(s.port, s.token);
      socket.write(f);
      await wait(200);
      expect(closeCode(received())).toBe(1002);
      socket.destroy();
    }
    await stillServes();
  });

  it('survives a client that resets mid-message', async () => {
    const { socket } = await rawSocket(s.port, s.token);
    socket.write(frame(1, Buffer.alloc(1000, 0x20)).subarray(0, 500));
    socket.resetAndDestroy();
    await wait(200);
    await stillServes();
  });
});
