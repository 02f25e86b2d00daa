import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNELS, contract } from '../../src/shared/contract';
import { dispatch, makeHandlers } from '../../src/core/handlers/index';
import { startWebServer } from '../../src/server/web-server';
import { session } from '../helpers';

const snapshot = (s: ReturnType<typeof session>['s']) => ({
  log: s.caseFile.db.prepare('SELECT count(*) n FROM change_log').get(),
  rows: s.caseFile.db.prepare('SELECT * FROM incidents ORDER BY id').all(),
});

describe('the IPC contract', () => {
  it('has a handler for every channel and a handler for nothing else', () => {
    const { s } = session({ demo: false });
    const h = makeHandlers(s, 't');
    expect(Object.keys(h).sort()).toEqual([...CHANNELS].sort());
    for (const c of CHANNELS) expect(['query', 'mutation']).toContain(contract[c].kind);
  });

  it('rejects malformed input with a validation error and changes nothing', async () => {
    const { s } = session();
    const h = makeHandlers(s, 't');
    const id = (s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    const before = snapshot(s);
    const bad: [string, unknown][] = [
      ['rows.update', { table: 'incidents', id, values: { fatalities: 'twelve' } }],
      ['rows.update', { table: 'incidents', id }],
      ['rows.update', { table: 'incidents', id: 'not-a-uuid', values: { fatalities: 1 } }],
      ['rows.update', { table: 'secrets', id, values: { fatalities: 1 } }],
      ['rows.update', { table: 'incidents', id, values: { description: 'x'.repeat(1_000_001) } }],
      ['rows.update', JSON.parse(`{"table":"incidents","id":"${id}","values":{"__proto__":{"polluted":true}}}`)],
      ['rows.update', JSON.parse(`{"table":"incidents","id":"${id}","values":{"fatalities":1},"__proto__":{"x":1}}`)],
      ['rows.update', { table: 'incidents', id, values: { fatalities: 1 }, extra: true }],
      ['rows.delete', { table: 'incidents', ids: [] }],
      ['rows.seek', { table: 'incidents', offset: 0, limit: 10_000 }],
      ['rows.seek', { table: 'incidents', offset: 0, sort: [{ colId: 'x; DROP TABLE incidents', sort: 'asc' }] }],
      ['no.such.channel', {}],
      ['file.open', { path: 42 }],
    ];
    for (const [channel, input] of bad) {
      const r = await dispatch(h, channel, input);
      expect(r.ok, `${channel} ${JSON.stringify(input).slice(0, 80)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('validation');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(snapshot(s)).toEqual(before);
  });

  it('answers with an envelope, never a stack trace', async () => {
    const { s } = session();
    const h = makeHandlers(s, 't');
    const r = await dispatch(h, 'rows.update', {
      table: 'incidents',
      id: '01900000-0000-7000-8000-000000000000',
      values: { fatalities: 1 },
    });
    expect(r).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no incidents row 01900000-0000-7000-8000-000000000000' },
    });
  });
});

describe('browser mode', () => {
  const connect = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });

  it('shows an edit made by one client to a second connected client, and refuses a wrong token', async () => {
    const { s, dir } = session();
    const server = await startWebServer({ session: s, handlers: makeHandlers(s, 't'), staticDir: join(dir) });
    try {
      const wsUrl = `ws://127.0.0.1:${server.port}/ws?token=${server.token}`;
      await expect(connect(`ws://127.0.0.1:${server.port}/ws?token=nope`)).rejects.toThrow(/403/);
      await expect(connect(`ws://127.0.0.1:${server.port}/ws`)).rejects.toThrow(/403/);
      const a = await connect(wsUrl);
      const b = await connect(wsUrl);
      const seenByB = new Promise<{ tables: string[]; ids: string[] }>((resolve) =>
        b.on('message', (m) => {
          const msg = JSON.parse(String(m));
          if (msg.event === 'data.changed') resolve(msg.payload);
        }),
      );
      const id = (s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
      const reply = new Promise<{ envelope: { ok: boolean } }>((resolve) =>
        a.on('message', (m) => {
          const msg = JSON.parse(String(m));
          if (msg.id === 1) resolve(msg);
        }),
      );
      a.send(
        JSON.stringify({ id: 1, channel: 'rows.update', input: { table: 'incidents', id, values: { fatalities: 4 } } }),
      );
      expect((await reply).envelope.ok).toBe(true);
      expect(await seenByB).toEqual({ tables: ['incidents'], ids: [id], fields: ['fatalities'] });
      // B reads the new value without reconnecting.
      const read = new Promise<{ envelope: { ok: true; value: { fatalities: number } } }>((resolve) =>
        b.on('message', (m) => {
          const msg = JSON.parse(String(m));
          if (msg.id === 7) resolve(msg);
        }),
      );
      b.send(JSON.stringify({ id: 7, channel: 'rows.get', input: { table: 'incidents', id } }));
      expect((await read).envelope.value.fatalities).toBe(4);
      a.close();
      b.close();
    } finally {
      await server.close();
    }
  });
});
