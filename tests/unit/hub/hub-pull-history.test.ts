import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db/open';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, sync, team } from './team';

type Entry = { tbl: string; row_id: string; field: string | null; hlc: string; author: string; op: string };
const keys = (rows: Entry[]) =>
  rows.map((e) => [e.tbl, e.row_id, e.field ?? '', e.hlc, e.author, e.op].join('|')).sort();
const localLog = (db: Db) =>
  keys(db.prepare('SELECT tbl, row_id, field, hlc, author, op FROM change_log').all() as Entry[]);

describe.skipIf(noPostgres)(
  titled(
    'a laptop holds the hub case’s history as the hub does: each entry once, none of its own merge’s restatements',
  ),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();
    const hubLog = async (db: string, caseId: string) => {
      const admin = await cluster().admin(db);
      try {
        return keys(
          (
            await admin.query(
              'SELECT tbl, row_id, field, hlc, author, op FROM casefile.change_log WHERE case_id = $1',
              [caseId],
            )
          ).rows as Entry[],
        );
      } finally {
        await admin.end();
      }
    };

    it('a pull brings each entry of a case holding more than nine once (positions read in number order, not as text)', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      seed(a);
      for (let i = 0; i < 5; i++) a.s.caseFile.create('notes', { title: `note ${i}` });
      const { caseId } = await sync(a);
      const log = await hubLog(hub.db, caseId);
      expect(log).toHaveLength(12);
      await join(b, caseId, a);
      expect(localLog(b.s.caseFile.db)).toEqual(log);
      a.s.close();
      b.s.close();
    });

    it('a conflict settled "keep mine" leaves none of the merge’s entries for the rows it only pulled', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(a);
      const { caseId } = await sync(a);
      await join(b, caseId, a);
      a.s.caseFile.update('incidents', incidents[0]!, { fatalities: 5 });
      a.s.caseFile.create('notes', { title: 'only pulled by bob' });
      b.s.caseFile.update('incidents', incidents[0]!, { fatalities: 6 });
      await sync(a);
      const r = await sync(b);
      r.conflicts!.review.received.dispose();
      expect((await sync(b, { prefer: 'mine' })).conflicts).toBeNull();
      // Alice's note came in with her entry for it: Bob's merge inserting it is no edit of his.
      expect(localLog(b.s.caseFile.db)).toEqual(await hubLog(hub.db, caseId));
      await sync(a);
      expect(localLog(a.s.caseFile.db)).toEqual(await hubLog(hub.db, caseId));
      a.s.close();
      b.s.close();
    });
  },
);
