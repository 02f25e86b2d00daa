import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db/open';
import { HUB_DATA_TABLES } from '../../../src/core/hub/migrations';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, state, sync, team, type Laptop } from './team';

const NAMES = ['alice', 'bob', 'carol'] as const;

/** Every permutation of the three laptops: the order in which they sync. */
const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

type Entry = { tbl: string; row_id: string; field: string | null; hlc: string; author: string; op: string };
const keys = (rows: Entry[]) =>
  rows.map((e) => [e.tbl, e.row_id, e.field ?? '', e.hlc, e.author, e.op].join('|')).sort();
const localLog = (db: Db) =>
  keys(db.prepare('SELECT tbl, row_id, field, hlc, author, op FROM change_log').all() as Entry[]);

describe.skipIf(noPostgres)(
  titled('three laptops editing, deleting and conflicting on the same rows converge, in every sync order'),
  { timeout: 180_000 },
  () => {
    const cluster = useCluster();
    // One hub for every order (a new hub case each): the cluster and the hub's schema are made once.
    let hub: Awaited<ReturnType<typeof team>>;
    beforeAll(async () => {
      if (!noPostgres) hub = await team(cluster(), [...NAMES]);
    }, 60_000);

    it.each(ORDERS)(
      'alice and bob edit two fields of one row, carol deletes another and edits alice’s field: synced in the order %i, %i, %i, every file ends alike, nothing lost',
      async (...order) => {
        const dir = newDir();
        const [a, b, c] = NAMES.map((n) => laptop(dir, n, hub.url(n))) as [Laptop, Laptop, Laptop];
        const ls = [a, b, c];
        const { incidents, source, citation, annotation } = seed(a);
        const { caseId } = await sync(a);
        await join(b, caseId, a);
        await join(c, caseId, a);
        const untouched = state(a);

        a.s.caseFile.update('incidents', incidents[1]!, { fatalities: 20 });
        b.s.caseFile.update('incidents', incidents[1]!, { location: 'Kabul' });
        c.s.caseFile.delete('incidents', [incidents[2]!]);
        c.s.caseFile.update('incidents', incidents[1]!, { fatalities: 30 });
        for (const l of ls) l.s.caseFile.create('notes', { title: `note by ${l.name}` });

        // Each syncs in turn; the one of alice and carol who comes second finds the conflict,
        // which stops its sync with nothing changed, and keeps its own value when settling.
        const conflicted: string[] = [];
        for (const i of order) {
          const l = ls[i]!;
          const before = state(l);
          const r = await sync(l);
          if (r.conflicts) {
            r.conflicts.review.received.dispose();
            expect(r.conflicts.preview.conflictRows).toEqual([
              expect.objectContaining({ tbl: 'incidents', id: incidents[1], fields: ['fatalities'] }),
            ]);
            expect(state(l)).toEqual(before);
            conflicted.push(l.name);
            expect((await sync(l, { prefer: 'mine' })).conflicts).toBeNull();
          }
        }
        const second = order.indexOf(0) > order.indexOf(2) ? a : c;
        expect(conflicted).toEqual([second.name]);
        // A second round: everyone pulls what came after them; nothing conflicts any more.
        for (const i of order) expect((await sync(ls[i]!)).conflicts).toBeNull();

        const s0 = state(a);
        for (const l of [b, c]) expect(state(l), `${l.name}, order ${order.join(',')}`).toEqual(s0);
        expect(s0.incidents![incidents[1]!]).toMatchObject({
          fatalities: second === a ? 20 : 30,
          location: 'Kabul',
        });
        expect(s0.incidents![incidents[2]!]).toBeUndefined();
        // Nothing else lost: the rows nobody touched are as they were, each laptop's note arrived.
        for (const id of [incidents[0]!, incidents[3]!]) expect(s0.incidents![id]).toEqual(untouched.incidents![id]);
        expect(s0.sources![source]).toEqual(untouched.sources![source]);
        expect(s0.citations![citation]).toEqual(untouched.citations![citation]);
        expect(s0.annotations![annotation]).toEqual(untouched.annotations![annotation]);
        expect(Object.values(s0.notes!).map((n) => n.title)).toEqual(
          expect.arrayContaining(NAMES.map((n) => `note by ${n}`)),
        );

        // The hub holds the same rows, and one history that every laptop holds too: the value that
        // was overruled is in it, each change under the role that made it.
        const admin = await cluster().admin(hub.db);
        try {
          for (const t of HUB_DATA_TABLES) {
            const n = Number(
              (await admin.query(`SELECT count(*) n FROM casefile.${t} WHERE case_id = $1`, [caseId])).rows[0].n,
            );
            expect(n, t).toBe(Object.keys(s0[t]!).length);
          }
          const log = (
            await admin.query(
              'SELECT tbl, row_id, field, hlc, author, op, after FROM casefile.change_log WHERE case_id = $1',
              [caseId],
            )
          ).rows as (Entry & { after: string | null })[];
          const fatalities = log.filter((e) => e.row_id === incidents[1] && e.field === 'fatalities');
          expect(fatalities).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ author: 'alice', after: '20' }),
              expect.objectContaining({ author: 'carol', after: '30' }),
            ]),
          );
          expect(new Set(log.map((e) => e.author))).toEqual(new Set(NAMES));
          for (const l of ls) expect(localLog(l.s.caseFile.db), l.name).toEqual(keys(log));
        } finally {
          await admin.end();
        }
        for (const l of ls) l.s.close();
      },
    );
  },
);
