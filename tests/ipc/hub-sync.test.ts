import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../src/core/handlers/index';
import { grantCase } from '../../src/core/hub/grant';
import type { EventPayload } from '../../src/shared/contract';
import { TaskProgress, TaskResult } from '../../src/shared/channels/tasks';
import { everything, laptop, newDir, team, type Laptop } from '../unit/hub/team';
import { noPostgres, titled, useCluster } from '../unit/hub/use-cluster';

/** A laptop driven through the real handlers, as a window would: every data.changed it announced is kept. */
function window(l: Laptop) {
  const h = makeHandlers(l.s, 't');
  const changed: EventPayload<'data.changed'>[] = [];
  const progress: unknown[] = [];
  l.s.subscribe((event, payload) => {
    if (event === 'data.changed') changed.push(payload as EventPayload<'data.changed'>);
    if (event === 'task.progress') progress.push(payload);
  });
  const call = async (channel: string, input: unknown) => dispatch(h, channel, input);
  return { call, changed, progress };
}

describe.skipIf(noPostgres)(
  titled('hub.sync: the app syncs the open case file with the team hub'),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();
    const env = process.env.PGPASSFILE;
    let hub: Awaited<ReturnType<typeof team>>;
    // The pgpass file outlives each test's temp folders (removed after every test).
    let passDir: string;
    // The app's address carries no password: the driver reads it from a pgpass file, as an analyst's would.
    const address = (role: string) => `postgres://${role}@127.0.0.1:${cluster().port}/${hub.db}`;

    beforeAll(async () => {
      hub = await team(cluster(), ['alice', 'bob']);
      passDir = mkdtempSync(joinPath(tmpdir(), 'casefile-pgpass-'));
      const pgpass = joinPath(passDir, 'pgpass');
      writeFileSync(
        pgpass,
        ['alice', 'bob'].map((r) => `127.0.0.1:${cluster().port}:${hub.db}:${r}:${r}-secret`).join('\n') + '\n',
        { mode: 0o600 },
      );
      process.env.PGPASSFILE = pgpass;
    });
    afterAll(() => {
      rmSync(passDir, { recursive: true, force: true });
      if (env === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = env;
    });

    it('one laptop pushes an edit through the channel, the other syncs through it and sees the row, announced by data.changed', async () => {
      const dir = newDir();
      const a = laptop(dir, 'alice', address('alice'));
      const b = laptop(dir, 'bob', address('bob'));
      const wa = window(a);
      const wb = window(b);
      const id = a.s.caseFile.create('incidents', {
        date: '2024-05-01',
        date_precision: 'day',
        country: 'Mali',
        location: 'Gao',
        fatalities: 3,
        attribution: 'claimed',
      }).id as string;

      const first = await wa.call('hub.sync', { url: address('alice'), taskId: 'sync-a-1' });
      expect(first).toMatchObject({
        ok: true,
        value: { created: true, role: 'alice', access: 'edit', pulled: null, conflicts: null },
      });
      const caseId = (first as { value: { caseId: string } }).value.caseId;
      // The result and the progress are the hub-sync task's, typed like every other kind.
      expect(
        TaskResult.safeParse({ id: 'x', kind: 'hub-sync', result: (first as { value: unknown }).value }).error,
      ).toBeUndefined();
      expect(wa.progress.length).toBeGreaterThan(0);
      for (const p of wa.progress) expect(TaskProgress.safeParse(p).error, JSON.stringify(p)).toBeUndefined();
      expect(
        wa.progress
          .filter((p) => (p as { kind: string }).kind === 'hub-sync')
          .every((p) => (p as { id: string }).id === 'sync-a-1'),
      ).toBe(true);
      // The address is remembered for the next sync.
      expect(await wa.call('hub.get', {})).toEqual({ ok: true, value: { url: address('alice') } });

      await grantCase(address('alice'), caseId, 'bob', 'edit');
      const joined = await wb.call('hub.sync', { url: address('bob'), caseId });
      expect(joined).toMatchObject({
        ok: true,
        value: { created: false, role: 'bob', conflicts: null, pulled: { added: 1, applied: true } },
      });
      expect(b.s.caseFile.get('incidents', id)).toMatchObject({ location: 'Gao', fatalities: 3 });
      expect(wb.changed.some((c) => c.tables.includes('incidents'))).toBe(true);

      // Alice edits and pushes through the channel; Bob's sync pulls it, and his windows are told.
      a.s.caseFile.update('incidents', id, { location: 'Gao (market)' });
      const pushed = await wa.call('hub.sync', { url: address('alice') });
      expect(pushed).toMatchObject({ ok: true, value: { pushed: { rows: 1 }, conflicts: null } });
      wb.changed.length = 0;
      const pulled = await wb.call('hub.sync', { url: address('bob') });
      expect(pulled).toMatchObject({ ok: true, value: { pulled: { updated: 1, applied: true }, conflicts: null } });
      expect(b.s.caseFile.get('incidents', id)).toMatchObject({ location: 'Gao (market)' });
      expect(wb.changed.some((c) => c.tables.includes('incidents'))).toBe(true);
    });

    it('a password in the address is refused, saying to use ~/.pgpass or PGPASSWORD, and is neither kept nor used', async () => {
      const c = laptop(newDir(), 'alice', address('alice'));
      const w = window(c);
      const before = everything(c.s.caseFile.db);
      const r = await w.call('hub.sync', {
        url: `postgres://alice:alice-secret@127.0.0.1:${cluster().port}/${hub.db}`,
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
      const message = (r as { error: { message: string } }).error.message;
      expect(message).toMatch(/~\/\.pgpass/);
      expect(message).toMatch(/PGPASSWORD/);
      expect(message).not.toContain('alice-secret');
      expect(await w.call('hub.get', {})).toEqual({ ok: true, value: { url: null } });
      expect(everything(c.s.caseFile.db)).toEqual(before);
      expect(w.changed).toEqual([]);
    });

    it('conflicts stop the sync with nothing merged or pushed, and write the hub case for the merge review', async () => {
      const a = laptop(newDir(), 'alice', address('alice'));
      const b = laptop(newDir(), 'bob', address('bob'));
      const wa = window(a);
      const wb = window(b);
      const id = a.s.caseFile.create('incidents', {
        date: '2024-06-01',
        date_precision: 'day',
        country: 'Niger',
        location: 'Tillabéri',
        fatalities: 2,
        attribution: 'claimed',
      }).id as string;
      const first = (await wa.call('hub.sync', { url: address('alice') })) as { value: { caseId: string } };
      expect(first, JSON.stringify(first)).toMatchObject({ ok: true });
      await grantCase(address('alice'), first.value.caseId, 'bob', 'edit');
      await wb.call('hub.sync', { url: address('bob'), caseId: first.value.caseId });

      a.s.caseFile.update('incidents', id, { fatalities: 5 });
      b.s.caseFile.update('incidents', id, { fatalities: 7 });
      await wa.call('hub.sync', { url: address('alice') });
      const before = everything(b.s.caseFile.db);
      wb.changed.length = 0;
      const r = await wb.call('hub.sync', { url: address('bob') });
      expect(r).toMatchObject({ ok: true, value: { pulled: null, pushed: null, conflicts: { count: 1 } } });
      const conflicts = (r as { value: { conflicts: { review: string; message: string } } }).value.conflicts;
      expect(existsSync(conflicts.review)).toBe(true);
      expect(conflicts.message).toContain('File > Merge');
      expect(conflicts.message).toContain(conflicts.review);
      expect(everything(b.s.caseFile.db)).toEqual(before);
      expect(wb.changed).toEqual([]);

      // The review file is what File > Merge takes: its plan shows the same conflict.
      const plan = await wb.call('exchange.preview', { path: conflicts.review });
      expect(plan).toMatchObject({ ok: true, value: { counts: { conflicts: 1 } } });
    });
  },
);
