import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { CHANNELS, contract, events } from '../../src/shared/contract';
import { TASK_KINDS, TASKS, TaskProgress, TaskResult, type TaskKind } from '../../src/shared/channels/tasks';
import { dispatch, makeHandlers } from '../../src/core/handlers/index';
import { startWebServer } from '../../src/server/web-server';
import { makePdf } from '../fixtures/sources/make-pdf';
import { writeAcledCsv } from '../unit/import-db/acled-gen';
import { fixture } from '../unit/import-db/helpers';
import { session } from '../helpers';

/** The schema object of a channel's input, to read its fields. */
const inputShape = (c: (typeof CHANNELS)[number]) => {
  const input = contract[c].input as z.ZodType;
  return 'shape' in input ? (input.shape as Record<string, unknown>) : {};
};

describe('long tasks in the contract', () => {
  it('has exactly one cancel channel, and each task kind names a channel that answers with its result', () => {
    expect(CHANNELS.filter((c) => /cancel|stop|abort/i.test(c))).toEqual(['tasks.cancel']);
    expect(TASK_KINDS.sort()).toEqual(
      [
        'attach',
        'backup',
        'exchange-export',
        'file-open',
        'grid-export',
        'import',
        'import-copy',
        'import-remove',
        'merge-apply',
        'merge-preview',
        'received-open',
        'restore',
        'save-as',
        'undo',
        'hub-sync',
      ].sort(),
    );
    for (const kind of TASK_KINDS) {
      const t = TASKS[kind];
      expect(CHANNELS, kind).toContain(t.channel);
      // The same schema object: what the channel answers is the kind's result, typed once.
      expect(contract[t.channel].output, kind).toBe(t.result);
      // A task Stop can stop is started with an id the window may choose.
      if (t.stoppable) expect(Object.keys(inputShape(t.channel)), kind).toContain('taskId');
    }
    // Only channels that start a task take a task id.
    const starters = new Set<string>(TASK_KINDS.map((k) => TASKS[k].channel));
    expect(CHANNELS.filter((c) => 'taskId' in inputShape(c) && !starters.has(c))).toEqual([]);
    expect(events['task.progress']).toBe(TaskProgress);
    // A progress without a kind, or with a kind no task has, is not one.
    expect(TaskProgress.safeParse({ id: 'a', task: 'import', done: 0, total: null }).success).toBe(false);
    expect(TaskProgress.safeParse({ id: 'a', kind: 'dance', done: 0, total: null }).success).toBe(false);
  });

  it(
    "runs every kind through the handlers: each one's progress and result validate against its kind",
    { timeout: 120_000 },
    async () => {
      const { s, dir, file } = session();
      const h = makeHandlers(s, 't');
      const told: unknown[] = [];
      s.subscribe((event, payload) => event === 'task.progress' && told.push(payload));
      const results = new Map<TaskKind, unknown>();
      const run = async (kind: TaskKind, input: Record<string, unknown>) => {
        const r = await dispatch(h, TASKS[kind].channel, input);
        expect(r, kind).toMatchObject({ ok: true });
        const value = (r as { value: unknown }).value;
        results.set(kind, value);
        return value as never;
      };

      await run('import', { path: fixture('acled-2015.csv'), taskId: randomUUID() });
      const past = (await dispatch(h, 'import.past', {})) as { value: { items: { txn: string }[] } };
      await run('import-remove', { txn: past.value.items[0]!.txn, taskId: randomUUID() });
      await run('grid-export', { table: 'incidents', format: 'csv', path: join(dir, 'view.csv') });
      const exported = join(dir, 'colleague.casefile');
      await run('exchange-export', { path: exported });
      const plan: { planId: string } = await run('merge-preview', { path: exported });
      await run('merge-apply', { planId: plan.planId });
      await run('undo', {});
      const sourceId = (s.caseFile.db.prepare('SELECT id FROM sources LIMIT 1').get() as { id: string }).id;
      await run('attach', {
        sourceId,
        name: 'report.pdf',
        mediaType: 'application/pdf',
        dataBase64: makePdf([['one'], ['two']]).toString('base64'),
      });
      const backup: { path: string } = await run('backup', {});
      await run('save-as', { path: join(dir, 'saved.casefile') });
      await run('file-open', { path: file });
      await run('import-copy', { path: exported, outPath: join(dir, 'copied.casefile') });
      await run('received-open', { path: exported });
      await run('restore', { backup: backup.path, out: join(dir, 'restored.casefile') });

      // A hub sync needs a PostgreSQL server: tests/ipc/hub-sync.test.ts runs it against a real one and checks its result and progress the same way.
      const here = TASK_KINDS.filter((k) => k !== 'hub-sync');
      expect([...results.keys()].sort()).toEqual([...here].sort());
      for (const [kind, result] of results)
        expect(TaskResult.safeParse({ id: 'x', kind, result }).error, kind).toBeUndefined();
      for (const p of told) expect(TaskProgress.safeParse(p).error, JSON.stringify(p)).toBeUndefined();
      // Every kind that reports progress for work this small did so under its own kind (an undo of a small step does not report).
      const kinds = new Set(told.map((p) => (p as { kind: TaskKind }).kind));
      for (const kind of here.filter((k) => k !== 'undo' && k !== 'file-open' && k !== 'received-open'))
        expect(kinds, kind).toContain(kind);
      // Each task run had an id of its own.
      expect(new Set(told.map((p) => (p as { id: string }).id)).size).toBeGreaterThanOrEqual(kinds.size);
      s.close();
    },
  );
});

describe('tasks.cancel', () => {
  it(
    'stops an export of a table and one for a colleague by their ids: no file is left, the case file is as it was',
    { timeout: 180_000 },
    async () => {
      const { s, dir } = session({ demo: false });
      const h = makeHandlers(s, 't');
      const data = join(dir, 'big.csv');
      writeAcledCsv(data, { rows: 30_000 });
      expect(await dispatch(h, 'import.run', { path: data })).toMatchObject({ ok: true, value: { imported: 30_000 } });
      const before = s.caseFile.info().counts;
      const files = () => readdirSync(dir).sort();
      const listed = files();
      // Stop as the window does: with the id it chose, once the task's first progress has come.
      const stopAtFirstProgress = (id: string) => {
        let stop: Promise<unknown> | null = null;
        const off = s.subscribe((event, p) => {
          if (event === 'task.progress' && (p as { id: string }).id === id && !stop)
            stop = dispatch(h, 'tasks.cancel', { id });
        });
        return () => {
          off();
          return stop;
        };
      };

      const grid = randomUUID();
      const stoppedGrid = stopAtFirstProgress(grid);
      const table = join(dir, 'all.xlsx');
      expect(
        await dispatch(h, 'grid.export', {
          table: 'incidents',
          scope: 'table',
          format: 'xlsx',
          path: table,
          taskId: grid,
        }),
      ).toEqual({ ok: false, error: { code: 'refused', message: 'Cancelled' } });
      expect(await stoppedGrid()).toEqual({ ok: true, value: { cancelled: true } });
      expect(existsSync(table)).toBe(false);

      const xc = randomUUID();
      const stoppedXc = stopAtFirstProgress(xc);
      const copy = join(dir, 'colleague.casefile');
      expect(await dispatch(h, 'exchange.export', { path: copy, taskId: xc })).toEqual({
        ok: false,
        error: { code: 'refused', message: 'Cancelled' },
      });
      expect(await stoppedXc()).toEqual({ ok: true, value: { cancelled: true } });
      expect(existsSync(copy)).toBe(false);

      expect(files()).toEqual(listed);
      expect(s.caseFile.info().counts).toEqual(before);
      s.close();
    },
  );

  it('an id no task had is a clear error, not a crash; a finished task is said to be finished', async () => {
    const { s, dir } = session();
    const h = makeHandlers(s, 't');
    expect(await dispatch(h, 'tasks.cancel', { id: 'no-such-task' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No task no-such-task is running or has run here: nothing was stopped' },
    });
    expect(await dispatch(h, 'tasks.cancel', {})).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await dispatch(h, 'tasks.cancel', { id: '<script>' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'not a task id (id)' },
    });
    const taskId = randomUUID();
    expect(
      await dispatch(h, 'grid.export', { table: 'incidents', format: 'csv', path: join(dir, 'a.csv'), taskId }),
    ).toMatchObject({ ok: true });
    expect(await dispatch(h, 'tasks.cancel', { id: taskId })).toEqual({ ok: true, value: { cancelled: false } });
    // An id is one task's: a second task under it is refused before it starts.
    expect(
      await dispatch(h, 'grid.export', { table: 'incidents', format: 'csv', path: join(dir, 'b.csv'), taskId }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    s.close();
  });

  it('through the browser-mode server: an unknown id gets an error reply and the server goes on answering', async () => {
    const { s, dir } = session();
    const server = await startWebServer({ session: s, handlers: makeHandlers(s, 't'), staticDir: join(dir) });
    try {
      const ws = await new Promise<WebSocket>((resolve, reject) => {
        const w = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
        w.once('open', () => resolve(w));
        w.once('error', reject);
      });
      const replies = new Map<number, unknown>();
      const reply = (id: number) =>
        new Promise<unknown>((resolve) => {
          const check = () => (replies.has(id) ? resolve(replies.get(id)) : setTimeout(check, 5));
          check();
        });
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { id?: number; envelope?: unknown };
        if (typeof msg.id === 'number') replies.set(msg.id, msg.envelope);
      });
      ws.send(
        JSON.stringify({ id: 1, channel: 'tasks.cancel', input: { id: '0190aaaa-0000-7000-8000-000000000000' } }),
      );
      expect(await reply(1)).toEqual({
        ok: false,
        error: {
          code: 'not_found',
          message: 'No task 0190aaaa-0000-7000-8000-000000000000 is running or has run here: nothing was stopped',
        },
      });
      ws.send(JSON.stringify({ id: 2, channel: 'app.info', input: {} }));
      expect(await reply(2)).toMatchObject({ ok: true });
      ws.close();
    } finally {
      await server.close();
    }
    s.close();
  });
});
