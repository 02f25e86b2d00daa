import { describe, expect, it } from 'vitest';
import { initHub } from '../../../src/core/hub/init';
import { HUB_DATA_TABLES, HUB_SCHEMA_VERSION } from '../../../src/core/hub/migrations';
import { noPostgres, titled, useCluster } from './use-cluster';

describe.skipIf(noPostgres)(titled('casefile hub init on a real PostgreSQL'), { timeout: 60_000 }, () => {
  const cluster = useCluster();

  it('creates the versioned hub schema with the case file tables, typed and constrained, and a second init changes nothing', async () => {
    const c = cluster();
    const db = await c.createDatabase();
    expect(await initHub(c.url(db))).toMatchObject({ from: 0, to: HUB_SCHEMA_VERSION });
    expect(await initHub(c.url(db))).toMatchObject({ from: HUB_SCHEMA_VERSION, to: HUB_SCHEMA_VERSION });
    const admin = await c.admin(db);
    try {
      const tables = (
        await admin.query("SELECT tablename FROM pg_tables WHERE schemaname = 'casefile' ORDER BY 1")
      ).rows.map((r) => r.tablename);
      expect(tables).toEqual([...HUB_DATA_TABLES, 'cases', 'change_log', 'hub_meta', 'members'].sort());
      const types = Object.fromEntries(
        (
          await admin.query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'casefile' AND table_name = 'incidents'",
          )
        ).rows.map((r) => [r.column_name, r.data_type]),
      );
      expect(types).toMatchObject({
        latitude: 'double precision',
        fatalities: 'integer',
        source_timestamp: 'bigint',
        date: 'text',
        case_id: 'uuid',
      });
      // Every table is under row-level security.
      const rls = (
        await admin.query(
          "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'casefile' AND relkind = 'r' AND NOT relrowsecurity",
        )
      ).rows;
      expect(rls.map((r) => r.relname)).toEqual(['hub_meta']);
      // The same constraints as the case file: a latitude out of range is refused by the hub itself.
      await admin.query("INSERT INTO casefile.cases (id, title) VALUES ('0190f5c2-0000-7000-8000-000000000001', 'c')");
      await expect(
        admin.query(
          "INSERT INTO casefile.incidents (case_id, id, created_at, updated_at, author, hlc, latitude) VALUES ('0190f5c2-0000-7000-8000-000000000001', '0190f5c2-0000-7000-8000-000000000002', 't', 't', 'a', 'h', 91)",
        ),
      ).rejects.toThrow(/incidents_latitude_check/);
      // Who pushed is the authenticated role, whatever the client sends.
      await admin.query(
        "INSERT INTO casefile.notes (case_id, id, created_at, updated_at, author, hlc, title, pushed_by) VALUES ('0190f5c2-0000-7000-8000-000000000001', '0190f5c2-0000-7000-8000-000000000003', 't', 't', 'Laptop Name', 'h', 'n', 'someone else')",
      );
      expect((await admin.query('SELECT pushed_by FROM casefile.notes')).rows).toEqual([{ pushed_by: 'postgres' }]);
      expect((await admin.query("SELECT value FROM casefile.hub_meta WHERE key = 'schema_version'")).rows).toEqual([
        { value: String(HUB_SCHEMA_VERSION) },
      ]);
    } finally {
      await admin.end();
    }
  });

  it('refuses a hub newer than this Casefile, saying so, and changes nothing', async () => {
    const c = cluster();
    const db = await c.createDatabase();
    await initHub(c.url(db));
    const admin = await c.admin(db);
    try {
      await admin.query("UPDATE casefile.hub_meta SET value = '99' WHERE key = 'schema_version'");
      await expect(initHub(c.url(db))).rejects.toThrow(
        new RegExp(`version 99; this Casefile knows up to ${HUB_SCHEMA_VERSION}: update Casefile`),
      );
    } finally {
      await admin.end();
    }
  });
});
