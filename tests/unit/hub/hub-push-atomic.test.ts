import { spawn } from 'node:child_process';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectHub } from '../../../src/core/hub/connect';
import { pushChanges, Raced } from '../../../src/core/hub/push';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, state, sync, team } from './team';

const until = async (what: string, fn: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.skipIf(noPostgres)(
  titled('a push is one PostgreSQL transaction: never half applied'),
  { timeout: 180_000 },
  () => {
    const cluster = useCluster();
    const hubState = async (db: string) => {
      const admin = await cluster().admin(db);
      try {
        return (
          await admin.query(
            'SELECT head, (SELECT count(*)::int FROM casefile.incidents) incidents, (SELECT count(*)::int FROM casefile.change_log) entries FROM casefile.cases',
          )
        ).rows[0];
      } finally {
        await admin.end();
      }
    };

    it('a push that finds the hub moved on writes nothing; the sync pulls again and pushes after', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(a);
      const { caseId } = await sync(a);
      await join(b, caseId, a);
      a.s.caseFile.update('incidents', incidents[0]!, { location: 'alice was here' });
      b.s.caseFile.update('incidents', incidents[1]!, { location: 'bob was here' });
      await sync(b);
      const before = await hubState(hub.db);
      // Alice pulled at the head before Bob's push: her push must not land.
      const h = await connectHub(a.url);
      const stale = JSON.parse(
        String(a.s.caseFile.db.prepare("SELECT value FROM meta WHERE key = 'hub_sync'").pluck().get()),
      ) as { head: number; pushedSeq: number };
      await expect(
        pushChanges(h.client, a.s.caseFile.db, {
          caseId,
          head: stale.head,
          pushedSeq: stale.pushedSeq,
          role: 'alice',
          access: 'edit',
          pulled: [],
        }),
      ).rejects.toBeInstanceOf(Raced);
      await h.client.end();
      expect(await hubState(hub.db)).toEqual(before);

      // Two laptops pushing at the same moment: one waits for the other's lock, finds the hub moved,
      // pulls and pushes again. Both land, and both laptops end alike.
      const admin = await cluster().admin(hub.db);
      await admin.query('BEGIN');
      await admin.query('SELECT head FROM casefile.cases FOR UPDATE');
      a.s.caseFile.update('incidents', incidents[2]!, { location: 'alice again' });
      b.s.caseFile.update('incidents', incidents[3]!, { location: 'bob again' });
      const both = Promise.all([sync(a), sync(b)]);
      await until(
        'both pushes waiting on the case',
        async () =>
          await cluster()
            .admin(hub.db)
            .then(async (c) => {
              const n = (
                await c.query(
                  "SELECT count(*)::int n FROM pg_stat_activity WHERE usename IN ('alice', 'bob') AND wait_event_type = 'Lock'",
                )
              ).rows[0].n;
              await c.end();
              return n === 2;
            }),
      );
      await admin.query('COMMIT');
      await admin.end();
      const [ra, rb] = await both;
      expect(ra.retries + rb.retries).toBe(1);
      await sync(a);
      await sync(b);
      expect(state(a)).toEqual(state(b));
      expect(a.s.caseFile.get('incidents', incidents[3]!)!.location).toBe('bob again');
      expect(b.s.caseFile.get('incidents', incidents[2]!)!.location).toBe('alice again');
      a.s.close();
      b.s.close();
    });

    it('a push killed midway (the process SIGKILLed while writing) leaves the hub as it was; the next sync pushes it all', async () => {
      const hub = await team(cluster(), ['alice']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      seed(a);
      await sync(a);
      const before = await hubState(hub.db);
      a.s.caseFile.action('Add many', (tx) => {
        for (let i = 0; i < 20_000; i++)
          tx.insert('incidents', {
            date: '2023-01-01',
            date_precision: 'day',
            location: `Village ${i}`,
            fatalities: i % 7,
          });
      });
      a.s.close();

      const child = spawn(
        process.execPath,
        [joinPath(import.meta.dirname, '..', '..', '..', 'bin', 'casefile.mjs'), 'hub', 'sync', a.file, a.url],
        { stdio: 'ignore' },
      );
      const exited = new Promise((r) => child.once('exit', r));
      // Killed once it is writing rows inside its transaction.
      await until('the push writing incidents', async () => {
        const c = await cluster().admin(hub.db);
        const n = (
          await c.query(
            "SELECT count(*)::int n FROM pg_stat_activity WHERE usename = 'alice' AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO casefile.incidents%'",
          )
        ).rows[0].n;
        await c.end();
        return n > 0;
      });
      child.kill('SIGKILL');
      await exited;
      await until('the server to end the dead connection', async () => {
        const c = await cluster().admin(hub.db);
        const n = (await c.query("SELECT count(*)::int n FROM pg_stat_activity WHERE usename = 'alice'")).rows[0].n;
        await c.end();
        return n === 0;
      });
      expect(await hubState(hub.db)).toEqual(before);

      a.s.open(a.file);
      const r = await sync(a);
      expect(r.pushed).toMatchObject({ rows: 20_000, deleted: 0 });
      expect(await hubState(hub.db)).toMatchObject({ incidents: 20_004 });
      a.s.close();
    });
  },
);
