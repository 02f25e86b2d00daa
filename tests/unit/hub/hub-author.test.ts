import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db/open';
import { initHub } from '../../../src/core/hub/init';
import { HUB_DATA_TABLES, HUB_MIGRATIONS } from '../../../src/core/hub/migrations';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, state, sync, team } from './team';

const TYPED = 'Jane (typed on the laptop)';

/** Each change-log entry as its identity (what merge matches entries by), sorted. */
const entryKeys = (
  rows: { tbl: string; row_id: string; field: string | null; hlc: string; author: string; op: string }[],
) => rows.map((e) => [e.tbl, e.row_id, e.field ?? '', e.hlc, e.author, e.op].join('|')).sort();

const localLog = (db: Db) =>
  entryKeys(
    db.prepare('SELECT tbl, row_id, field, hlc, author, op FROM change_log').all() as Parameters<typeof entryKeys>[0],
  );

describe.skipIf(noPostgres)(
  titled('the author of every hub change is the role the hub authenticated, on the hub and on the laptops'),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();

    it('a laptop whose typed author is "Jane (typed on the laptop)" syncs as role jane: the hub says jane, the other laptop pulls jane, and no laptop sees its own entries as another author’s', async () => {
      const hub = await team(cluster(), ['jane', 'bob']);
      const dir = newDir();
      const j = laptop(dir, 'jane', hub.url('jane'));
      j.s.settings.update({ author: TYPED });
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(j);
      const typedEntries = (j.s.caseFile.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number) || 0;
      expect(typedEntries).toBeGreaterThan(0);

      const first = await sync(j);
      // The analyst is told: the result names the role and how many of the file's entries now carry it.
      expect(first).toMatchObject({ role: 'jane', conflicts: null });
      expect(first.pushed).toMatchObject({ rows: 7, renamed: typedEntries });
      const admin = await cluster().admin(hub.db);
      const hubLog = async () =>
        entryKeys(
          (await admin.query('SELECT tbl, row_id, field, hlc, author, op FROM casefile.change_log')).rows as Parameters<
            typeof entryKeys
          >[0],
        );
      expect((await admin.query('SELECT DISTINCT author, pushed_by FROM casefile.change_log')).rows).toEqual([
        { author: 'jane', pushed_by: 'jane' },
      ]);
      const authors = await admin.query(
        HUB_DATA_TABLES.map((t) => `SELECT author FROM casefile.${t}`).join(' UNION ALL '),
      );
      expect(authors.rows).toHaveLength(7);
      expect(new Set(authors.rows.map((r) => r.author))).toEqual(new Set(['jane']));
      // Jane's file holds the same entries as the hub: under jane, none twice.
      expect(localLog(j.s.caseFile.db)).toEqual(await hubLog());

      const joined = await join(b, first.caseId, j);
      expect(joined.pulled).toMatchObject({ added: 7 });
      expect(b.s.caseFile.get('incidents', incidents[0]!)).toMatchObject({ author: 'jane' });
      expect(localLog(b.s.caseFile.db)).toEqual(await hubLog());

      // Jane's edit, then Bob's of the same field after he pulled it: Bob's is the newer decision,
      // taken by Jane without a conflict (her entry and the hub's copy of it are one entry).
      j.s.caseFile.update('incidents', incidents[0]!, { fatalities: 9 });
      const second = await sync(j);
      expect(second.pushed).toMatchObject({ rows: 1, renamed: 1 });
      await sync(b);
      b.s.caseFile.update('incidents', incidents[0]!, { fatalities: 10 });
      await sync(b);
      const back = await sync(j);
      expect(back.conflicts).toBeNull();
      expect(back.pulled).toMatchObject({ updated: 1, conflicts: 0 });
      expect(j.s.caseFile.get('incidents', incidents[0]!)).toMatchObject({ fatalities: 10 });
      expect(state(j)).toEqual(state(b));
      for (const l of [j, b]) {
        expect(localLog(l.s.caseFile.db), l.name).toEqual(await hubLog());
        expect(
          l.s.caseFile.db
            .prepare("SELECT count(*) FROM change_log WHERE author LIKE '%typed on the laptop%'")
            .pluck()
            .get(),
        ).toBe(0);
      }
      expect(
        (await admin.query('SELECT author, pushed_by FROM casefile.incidents WHERE id = $1', [incidents[0]])).rows,
      ).toEqual([{ author: 'bob', pushed_by: 'bob' }]);
      // In step: nothing pulled, nothing pushed, nothing renamed.
      const again = await sync(j);
      expect(again.pulled).toBeNull();
      expect(again.pushed).toMatchObject({ rows: 0, entries: 0, renamed: 0 });
      await admin.end();
      j.s.close();
      b.s.close();
    });

    it('a laptop stopped after the hub committed its push, before its own step, holds each entry once, under the role, after its next sync', async () => {
      const hub = await team(cluster(), ['jane']);
      const dir = newDir();
      const j = laptop(dir, 'jane', hub.url('jane'));
      j.s.settings.update({ author: TYPED });
      const { incidents } = seed(j);
      const { caseId } = await sync(j);
      const db = j.s.caseFile.db;
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'hub_sync'").pluck().get() as string;
      const last = db.prepare('SELECT max(seq) FROM change_log').pluck().get() as number;
      j.s.caseFile.update('incidents', incidents[0]!, { fatalities: 9 });
      await sync(j);
      // As if the laptop stopped between the hub's commit and the local step: the file as before it.
      db.prepare('UPDATE change_log SET author = ? WHERE seq > ?').run(TYPED, last);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'hub_sync'").run(meta);

      const r = await sync(j);
      expect(r.conflicts).toBeNull();
      expect(r.pushed).toMatchObject({ rows: 0, entries: 0, renamed: 1 });
      const admin = await cluster().admin(hub.db);
      try {
        const hubLog = entryKeys(
          (
            await admin.query(
              'SELECT tbl, row_id, field, hlc, author, op FROM casefile.change_log WHERE case_id = $1',
              [caseId],
            )
          ).rows as Parameters<typeof entryKeys>[0],
        );
        expect(hubLog).toHaveLength(8);
        expect(localLog(db)).toEqual(hubLog);
      } finally {
        await admin.end();
      }
      j.s.close();
    });

    it('a client writing to the hub directly under another author gets its own role recorded; an entry the hub holds, sent again, is not recorded twice', async () => {
      const hub = await team(cluster(), ['jane', 'bob']);
      const dir = newDir();
      const j = laptop(dir, 'jane', hub.url('jane'));
      const { incidents } = seed(j);
      const { caseId } = await sync(j);
      const b = laptop(dir, 'bob', hub.url('bob'));
      await join(b, caseId, j);
      const bob = new pg.Client({ connectionString: hub.url('bob') });
      bob.on('error', () => undefined);
      await bob.connect();
      try {
        const entry = (hlc: string, author: string) =>
          bob.query(
            "INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, field, after, pushed_by) VALUES ($1, $2, 't', $3, 'incidents', $4, 'update', 'location', '\"x\"', $3) ON CONFLICT DO NOTHING",
            [caseId, hlc, author, incidents[1]],
          );
        // A new entry claiming Jane: recorded as Bob's.
        expect((await entry('0000000000001-000000-bobnode', 'jane')).rowCount).toBe(1);
        expect(
          (
            await bob.query(
              "SELECT author, pushed_by FROM casefile.change_log WHERE hlc = '0000000000001-000000-bobnode'",
            )
          ).rows,
        ).toEqual([{ author: 'bob', pushed_by: 'bob' }]);
        // One of Jane's entries sent again as it is: the hub keeps its one copy, under Jane.
        const janes = (
          await bob.query("SELECT hlc FROM casefile.change_log WHERE author = 'jane' AND tbl = 'incidents' LIMIT 1")
        ).rows[0] as { hlc: string };
        const count = async () => Number((await bob.query('SELECT count(*) n FROM casefile.change_log')).rows[0].n);
        const before = await count();
        const existing = (
          await bob.query(
            "SELECT row_id, op, field FROM casefile.change_log WHERE author = 'jane' AND hlc = $1 AND tbl = 'incidents'",
            [janes.hlc],
          )
        ).rows[0] as { row_id: string; op: string; field: string | null };
        const resent = await bob.query(
          "INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, field) VALUES ($1, $2, 't', 'jane', 'incidents', $3, $4, $5) ON CONFLICT DO NOTHING",
          [caseId, janes.hlc, existing.row_id, existing.op, existing.field],
        );
        expect(resent.rowCount).toBe(0);
        expect(await count()).toBe(before);
        expect(
          (
            await bob.query("SELECT count(*)::int n FROM casefile.change_log WHERE author = 'bob' AND hlc = $1", [
              janes.hlc,
            ])
          ).rows,
        ).toEqual([{ n: 0 }]);

        // Rows too: inserted or updated under another name, they carry the writer's role.
        await bob.query(
          "INSERT INTO casefile.notes (case_id, id, created_at, updated_at, author, hlc, title) VALUES ($1, '01a25100-0000-7000-8000-0000000000bb', 't', 't', 'jane', 'h', 'n')",
          [caseId],
        );
        await bob.query("UPDATE casefile.incidents SET author = 'jane', location = 'y' WHERE id = $1", [incidents[2]]);
        expect(
          (
            await bob.query(
              "SELECT author FROM casefile.notes WHERE id = '01a25100-0000-7000-8000-0000000000bb' UNION ALL SELECT author FROM casefile.incidents WHERE id = $1",
              [incidents[2]],
            )
          ).rows,
        ).toEqual([{ author: 'bob' }, { author: 'bob' }]);
      } finally {
        await bob.end();
      }
      j.s.close();
      b.s.close();
    });

    it('a hub upgraded to stamp authors keeps the names its changes were pushed with; what is written after carries the role', async () => {
      const c = cluster();
      const db = await c.createDatabase();
      const admin = await c.admin(db);
      try {
        // A hub of the first version, as its init left it.
        await admin.query('BEGIN');
        await admin.query(HUB_MIGRATIONS[0]!);
        await admin.query(
          "INSERT INTO casefile.hub_meta (key, value) VALUES ('hub_id', gen_random_uuid()::text), ('schema_version', '1')",
        );
        await admin.query('COMMIT');
        await c.createRole('jane', 'jane-secret');
        await admin.query('GRANT casefile_analyst TO jane');
        const caseId = '0190f5c2-0000-7000-8000-0000000000c1';
        const jane = new pg.Client({ connectionString: c.url(db, { name: 'jane', password: 'jane-secret' }) });
        jane.on('error', () => undefined);
        await jane.connect();
        const note = (id: string) =>
          jane.query(
            "INSERT INTO casefile.notes (case_id, id, created_at, updated_at, author, hlc, title) VALUES ($1, $2, 't', 't', $3, '0000000000001-000000-janenode', 'n')",
            [caseId, id, TYPED],
          );
        const entry = (id: string) =>
          jane.query(
            "INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op) VALUES ($1, '0000000000001-000000-janenode', 't', $2, 'notes', $3, 'insert')",
            [caseId, TYPED, id],
          );
        try {
          await jane.query("INSERT INTO casefile.cases (id, title) VALUES ($1, 'old case')", [caseId]);
          await note('0190f5c2-0000-7000-8000-0000000000c2');
          await entry('0190f5c2-0000-7000-8000-0000000000c2');
          expect(await initHub(c.url(db))).toMatchObject({ from: 1 });
          await note('0190f5c2-0000-7000-8000-0000000000c3');
          await entry('0190f5c2-0000-7000-8000-0000000000c3');
          expect((await admin.query('SELECT id, author FROM casefile.notes ORDER BY id')).rows).toEqual([
            { id: '0190f5c2-0000-7000-8000-0000000000c2', author: TYPED },
            { id: '0190f5c2-0000-7000-8000-0000000000c3', author: 'jane' },
          ]);
          expect((await admin.query('SELECT row_id, author FROM casefile.change_log ORDER BY pos')).rows).toEqual([
            { row_id: '0190f5c2-0000-7000-8000-0000000000c2', author: TYPED },
            { row_id: '0190f5c2-0000-7000-8000-0000000000c3', author: 'jane' },
          ]);
        } finally {
          await jane.end();
        }
      } finally {
        await admin.end();
      }
    });
  },
);
