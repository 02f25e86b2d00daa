import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { initHub } from '../../../src/core/hub/init';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from '../../../src/core/hub/migrations';
import { noPostgres, titled, useCluster } from './use-cluster';

const CASE = '0190f5c2-0000-7000-8000-000000000001';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(noPostgres)(
  titled('hub version 2: aliases, attached files and their bytes'),
  { timeout: 60_000 },
  () => {
    const cluster = useCluster();

    it('a hub of version 1 is brought to the current version by init (through 2), keeping its cases; the server itself refuses bytes that are not what their checksum names', async () => {
      const c = cluster();
      const db = await c.createDatabase();
      const admin = await c.admin(db);
      try {
        // A hub as version 1 made it.
        await admin.query(HUB_MIGRATIONS[0]!);
        await admin.query("INSERT INTO casefile.hub_meta (key, value) VALUES ('hub_id', $1), ('schema_version', '1')", [
          randomUUID(),
        ]);
        await admin.query("INSERT INTO casefile.cases (id, title) VALUES ($1, 'kept')", [CASE]);
        expect(await initHub(c.url(db))).toMatchObject({ from: 1, to: HUB_SCHEMA_VERSION });
        expect((await admin.query('SELECT title FROM casefile.cases')).rows).toEqual([{ title: 'kept' }]);

        const pdf = Buffer.from('%PDF-1.4 a file');
        await admin.query('INSERT INTO casefile.blobs (case_id, sha256, size, data) VALUES ($1, $2, $3, $4)', [
          CASE,
          sha(pdf),
          pdf.length,
          pdf,
        ]);
        await expect(
          admin.query('INSERT INTO casefile.blobs (case_id, sha256, size, data) VALUES ($1, $2, $3, $4)', [
            CASE,
            sha(Buffer.from('other')),
            pdf.length,
            pdf,
          ]),
        ).rejects.toThrow(/blobs_check/);
        // The same columns and constraints as the case file's aliases.
        await expect(
          admin.query(
            "INSERT INTO casefile.aliases (case_id, id, created_at, updated_at, author, hlc, kind, name, entity) VALUES ($1, '0190f5c2-0000-7000-8000-000000000002', 't', 't', 'a', 'h', 'group', 'x', 'y')",
            [CASE],
          ),
        ).rejects.toThrow(/aliases_kind_check/);

        // Row-level security: a role that is no member of the case sees none of its bytes, and may add none.
        await c.createRole('mallory', 'mallory-secret');
        await admin.query('GRANT casefile_analyst TO mallory');
        const m = new pg.Client({ connectionString: c.url(db, { name: 'mallory', password: 'mallory-secret' }) });
        await m.connect();
        try {
          expect((await m.query('SELECT count(*)::int n FROM casefile.blobs')).rows).toEqual([{ n: 0 }]);
          const other = Buffer.from('mallory');
          await expect(
            m.query('INSERT INTO casefile.blobs (case_id, sha256, size, data) VALUES ($1, $2, $3, $4)', [
              CASE,
              sha(other),
              other.length,
              other,
            ]),
          ).rejects.toThrow(/row-level security/);
          await expect(m.query('DELETE FROM casefile.blobs')).rejects.toThrow(/permission denied/);
        } finally {
          await m.end();
        }
      } finally {
        await admin.end();
      }
    });
  },
);
