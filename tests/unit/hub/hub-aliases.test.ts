import { describe, expect, it } from 'vitest';
import { addAlias, removeAlias } from '../../../src/core/aliases/store';
import type { Db } from '../../../src/core/db/open';
import { noPostgres, titled, useCluster } from './use-cluster';
import { everything, join, laptop, newDir, seed, state, sync, team } from './team';

const names = (db: Db) => db.prepare('SELECT name, entity, status FROM aliases ORDER BY name').all();

describe.skipIf(noPostgres)(titled('aliases through the hub'), { timeout: 120_000 }, () => {
  const cluster = useCluster();

  it('an alias added on one laptop reaches another through the hub, and its removal there reaches the first', async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    seed(a);
    addAlias(a.s.caseFile, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    addAlias(a.s.caseFile, { kind: 'place', name: 'Hirat', sameAs: 'Herat' });
    const first = await sync(a);
    const admin = await cluster().admin(hub.db);
    try {
      expect((await admin.query('SELECT name, pushed_by FROM casefile.aliases ORDER BY name')).rows).toEqual([
        { name: 'Herat', pushed_by: 'alice' },
        { name: 'Hirat', pushed_by: 'alice' },
        { name: 'ISKP', pushed_by: 'alice' },
        { name: 'Islamic State Khorasan Province', pushed_by: 'alice' },
      ]);
      await join(b, first.caseId, a);
      expect(names(b.s.caseFile.db)).toEqual(names(a.s.caseFile.db));
      expect(names(b.s.caseFile.db)).toHaveLength(4);
      expect(state(b)).toEqual(state(a));

      const hirat = b.s.caseFile.db.prepare("SELECT id FROM aliases WHERE name = 'Hirat'").pluck().get() as string;
      removeAlias(b.s.caseFile, hirat);
      await sync(b);
      expect((await admin.query("SELECT count(*)::int n FROM casefile.aliases WHERE name = 'Hirat'")).rows).toEqual([
        { n: 0 },
      ]);
      const pulled = await sync(a);
      expect(pulled.pulled).toMatchObject({ deleted: 1, conflicts: 0, applied: true });
      expect(names(a.s.caseFile.db)).toEqual(names(b.s.caseFile.db));
      expect(names(a.s.caseFile.db)).toHaveLength(3);
    } finally {
      await admin.end();
      a.s.close();
      b.s.close();
    }
  });

  it('a reviewer may not change aliases: the push is refused, saying so, and nothing reaches the hub', async () => {
    const hub = await team(cluster(), ['alice', 'rita']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const r = laptop(dir, 'rita', hub.url('rita'));
    seed(a);
    const { caseId } = await sync(a);
    await join(r, caseId, a, 'review');
    addAlias(r.s.caseFile, { kind: 'actor', name: 'IS-K', sameAs: 'ISKP' });
    await expect(sync(r)).rejects.toThrow(/reviews this case: it may annotate but not change aliases \(2 rows/);
    const admin = await cluster().admin(hub.db);
    try {
      expect((await admin.query('SELECT count(*)::int n FROM casefile.aliases')).rows).toEqual([{ n: 0 }]);
    } finally {
      await admin.end();
      a.s.close();
      r.s.close();
    }
  });

  it('a hub sending an alias of a kind a case file does not know changes nothing locally, saying which row and field', async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    seed(a);
    const { caseId } = await sync(a);
    await join(b, caseId, a);
    addAlias(a.s.caseFile, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    await sync(a);
    const admin = await cluster().admin(hub.db);
    try {
      await admin.query('ALTER TABLE casefile.aliases DROP CONSTRAINT aliases_kind_check');
      await admin.query("UPDATE casefile.aliases SET kind = 'group' WHERE name = 'ISKP'");
      const before = everything(b.s.caseFile.db);
      await expect(sync(b)).rejects.toThrow(/malformed data \(aliases row [0-9a-f-]{36}, field kind: /);
      expect(everything(b.s.caseFile.db)).toEqual(before);
    } finally {
      await admin.end();
      a.s.close();
      b.s.close();
    }
  });

  it('aliases a file pushed to a hub that did not carry them yet go up with its first sync after the hub is upgraded', async () => {
    const hub = await team(cluster(), ['alice']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    seed(a);
    addAlias(a.s.caseFile, { kind: 'actor', name: 'ISKP', sameAs: 'Islamic State Khorasan Province' });
    await sync(a);
    // As a hub of version 1 left it: no aliases (the table did not exist), and the file's sync
    // state written by a Casefile that knew only that version.
    const admin = await cluster().admin(hub.db);
    try {
      await admin.query('DELETE FROM casefile.aliases');
      await admin.query("DELETE FROM casefile.change_log WHERE tbl = 'aliases'");
      const cf = a.s.caseFile;
      const st = JSON.parse(cf.db.prepare("SELECT value FROM meta WHERE key = 'hub_sync'").pluck().get() as string);
      delete st.hubVersion;
      cf.setMeta('hub_sync', JSON.stringify(st));
      const again = await sync(a);
      expect(again.pushed).toMatchObject({ rows: 2 });
      expect((await admin.query('SELECT name FROM casefile.aliases ORDER BY name')).rows).toEqual([
        { name: 'ISKP' },
        { name: 'Islamic State Khorasan Province' },
      ]);
      expect((await admin.query("SELECT count(*)::int n FROM casefile.change_log WHERE tbl = 'aliases'")).rows).toEqual(
        [{ n: 2 }],
      );
    } finally {
      await admin.end();
      a.s.close();
    }
  });
});
