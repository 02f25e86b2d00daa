import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { grantCase } from '../../../src/core/hub/grant';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, state, sync, team } from './team';

describe.skipIf(noPostgres)(
  titled("who may do what is PostgreSQL's job: row-level security per case, reviewers annotate only"),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();

    /** A client logged in as `role` (password auth, as an analyst's laptop). */
    async function as(url: string) {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    }

    it('a role without rights to a case sees nothing of it, cannot write to it or grant it, and its sync says so', async () => {
      const hub = await team(cluster(), ['alice', 'carol']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const c = laptop(dir, 'carol', hub.url('carol'));
      const { incidents } = seed(a);
      const { caseId } = await sync(a);
      const before = state(c);

      await expect(sync(c, { caseId })).rejects.toThrow(
        `The hub has no case ${caseId}, or your role carol has not been granted it`,
      );
      expect(state(c)).toEqual(before);
      await expect(grantCase(hub.url('carol'), caseId, 'carol', 'edit')).rejects.toThrow(
        /only the role that created case .* may grant it/,
      );

      const carol = await as(hub.url('carol'));
      try {
        for (const t of ['cases', 'members', 'incidents', 'sources', 'citations', 'annotations', 'change_log']) {
          expect((await carol.query(`SELECT count(*)::int n FROM casefile.${t}`)).rows[0].n, t).toBe(0);
        }
        expect(
          (await carol.query(`UPDATE casefile.incidents SET location = 'x' WHERE id = $1`, [incidents[0]])).rowCount,
        ).toBe(0);
        expect((await carol.query(`DELETE FROM casefile.incidents WHERE id = $1`, [incidents[0]])).rowCount).toBe(0);
        await expect(
          carol.query(
            "INSERT INTO casefile.notes (case_id, id, created_at, updated_at, author, hlc, title) VALUES ($1, '01a25100-0000-7000-8000-000000000001', 't', 't', 'carol', 'h', 'planted')",
            [caseId],
          ),
        ).rejects.toThrow(/row-level security/);
        await expect(
          carol.query('UPDATE casefile.cases SET head = 0 WHERE id = $1', [caseId]).then((r) => r.rowCount),
        ).resolves.toBe(0);
      } finally {
        await carol.end();
      }
      const admin = await cluster().admin(hub.db);
      expect((await admin.query('SELECT count(*)::int n FROM casefile.incidents')).rows[0].n).toBe(4);
      await admin.end();
      a.s.close();
      c.s.close();
    });

    it('a reviewer pulls the case and pushes annotations, but an edit of an incident is refused, naming it, and the hub keeps its row', async () => {
      const hub = await team(cluster(), ['alice', 'dave']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const d = laptop(dir, 'dave', hub.url('dave'));
      const { incidents, citation } = seed(a);
      const { caseId } = await sync(a);
      const joined = await join(d, caseId, a, 'review');
      expect(joined).toMatchObject({ access: 'review', conflicts: null });
      expect(state(d)).toEqual(state(a));

      // An incident the editor deletes goes from the reviewer's file too, with no conflict: joining
      // took every row, and that is no edit of the reviewer's.
      a.s.caseFile.delete('incidents', [incidents[3]!]);
      await sync(a);
      expect((await sync(d)).conflicts).toBeNull();
      expect(d.s.caseFile.get('incidents', incidents[3]!)).toBeNull();

      const note = d.s.caseFile.create('annotations', {
        citation_id: citation,
        status: 'disputed',
        body: 'the page says eleven',
      }).id as string;
      const pushed = await sync(d);
      expect(pushed.pushed).toMatchObject({ rows: 1, deleted: 0 });
      await sync(a);
      expect(a.s.caseFile.get('annotations', note)).toMatchObject({ status: 'disputed', body: 'the page says eleven' });

      const admin = await cluster().admin(hub.db);
      const hubBefore = (
        await admin.query(
          'SELECT head, (SELECT count(*) FROM casefile.change_log) n, (SELECT location FROM casefile.incidents WHERE id = $1) loc FROM casefile.cases',
          [incidents[0]],
        )
      ).rows[0];
      d.s.caseFile.update('incidents', incidents[0]!, { location: 'dave moved it' });
      d.s.caseFile.create('annotations', { citation_id: citation, body: 'and another comment' });
      await expect(sync(d)).rejects.toThrow(
        `Your role dave reviews this case: it may annotate but not change incidents (1 row, first ${incidents[0]})`,
      );
      expect(
        (
          await admin.query(
            'SELECT head, (SELECT count(*) FROM casefile.change_log) n, (SELECT location FROM casefile.incidents WHERE id = $1) loc FROM casefile.cases',
            [incidents[0]],
          )
        ).rows[0],
      ).toEqual(hubBefore);

      // The refusal is the server's, not only the laptop's: straight SQL as the reviewer changes nothing.
      const dave = await as(hub.url('dave'));
      try {
        expect(
          (await dave.query(`UPDATE casefile.incidents SET location = 'x' WHERE id = $1`, [incidents[0]])).rowCount,
        ).toBe(0);
        await expect(
          dave.query(
            "INSERT INTO casefile.change_log (case_id, hlc, txn, author, tbl, row_id, op, field, after) VALUES ($1, 'h', 't', 'alice', 'incidents', $2, 'update', 'location', '\"x\"')",
            [caseId, incidents[0]],
          ),
        ).rejects.toThrow(/row-level security/);
        // Who pushed is the authenticated role, whatever name the client gives.
        await dave.query(
          "INSERT INTO casefile.annotations (case_id, id, created_at, updated_at, author, hlc, citation_id, body, pushed_by) VALUES ($1, '01a25100-0000-7000-8000-0000000000aa', 't', 't', 'alice', 'h', $2, 'b', 'alice')",
          [caseId, citation],
        );
        expect(
          (
            await dave.query(
              "SELECT pushed_by FROM casefile.annotations WHERE id = '01a25100-0000-7000-8000-0000000000aa'",
            )
          ).rows,
        ).toEqual([{ pushed_by: 'dave' }]);
      } finally {
        await dave.end();
      }
      await admin.end();
      a.s.close();
      d.s.close();
    });
  },
);
