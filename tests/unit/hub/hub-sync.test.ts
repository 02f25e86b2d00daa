import { readFileSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPrepared, prepareMerge } from '../../../src/core/exchange/merge';
import { exportHubCase } from '../../../src/core/hub/export';
import { noPostgres, titled, useCluster } from './use-cluster';
import { join, laptop, newDir, seed, state, sync, team } from './team';

describe.skipIf(noPostgres)(
  titled('syncing laptops through a hub (pull, three-way merge, push)'),
  { timeout: 120_000 },
  () => {
    const cluster = useCluster();

    it('a first sync creates the hub case; a new laptop joining it gets every row; edits of different fields of one row both arrive', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(a);
      const first = await sync(a);
      expect(first).toMatchObject({ created: true, role: 'alice', access: 'edit', pulled: null, conflicts: null });
      expect(first.pushed!.rows).toBe(7);
      // The hub records the authenticated role as the pusher and the author, not the name typed on the laptop.
      const admin = await cluster().admin(hub.db);
      expect((await admin.query('SELECT DISTINCT pushed_by, author FROM casefile.change_log')).rows).toEqual([
        { pushed_by: 'alice', author: 'alice' },
      ]);
      expect((await admin.query('SELECT DISTINCT author FROM casefile.incidents')).rows).toEqual([{ author: 'alice' }]);

      const joined = await join(b, first.caseId, a);
      expect(joined).toMatchObject({ created: false, role: 'bob', conflicts: null });
      expect(joined.pulled).toMatchObject({ added: 7, applied: true });
      expect(state(b)).toEqual(state(a));

      a.s.caseFile.update('incidents', incidents[0]!, { fatalities: 9 });
      b.s.caseFile.update('incidents', incidents[0]!, { location: 'Jalalabad' });
      await sync(a);
      const rb = await sync(b);
      expect(rb.pulled).toMatchObject({ updated: 1, conflicts: 0, applied: true });
      await sync(a);
      expect(state(a)).toEqual(state(b));
      expect(a.s.caseFile.get('incidents', incidents[0]!)).toMatchObject({ fatalities: 9, location: 'Jalalabad' });
      expect(
        (await admin.query('SELECT fatalities, location FROM casefile.incidents WHERE id = $1', [incidents[0]])).rows,
      ).toEqual([{ fatalities: 9, location: 'Jalalabad' }]);
      // Nothing new anywhere: a sync pulls and pushes nothing, and the hub's position stays.
      const head = (await admin.query('SELECT head FROM casefile.cases')).rows[0].head;
      const again = await sync(a);
      expect(again.pulled).toBeNull();
      expect(again.pushed).toMatchObject({ rows: 0, deleted: 0, entries: 0 });
      expect((await admin.query('SELECT head FROM casefile.cases')).rows[0].head).toBe(head);
      await admin.end();
      a.s.close();
      b.s.close();
    });

    it('a field both changed differently is a conflict: the sync merges and pushes nothing until it is chosen, never last-writer-wins', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(a);
      const { caseId } = await sync(a);
      await join(b, caseId, a);
      a.s.caseFile.update('incidents', incidents[1]!, { fatalities: 11 });
      b.s.caseFile.update('incidents', incidents[1]!, { fatalities: 12 });
      b.s.caseFile.update('incidents', incidents[2]!, { location: 'only bob changed this' });
      await sync(a);
      const admin = await cluster().admin(hub.db);
      const hubBefore = (
        await admin.query('SELECT head, (SELECT count(*) FROM casefile.change_log) n FROM casefile.cases')
      ).rows[0];
      const bBefore = state(b);

      const r = await sync(b);
      expect(r.pushed).toBeNull();
      expect(r.conflicts!.preview).toMatchObject({ conflicts: 1, applied: false });
      expect(r.conflicts!.preview.conflictRows).toEqual([
        expect.objectContaining({ tbl: 'incidents', id: incidents[1], fields: ['fatalities'] }),
      ]);
      r.conflicts!.review.received.dispose();
      expect(state(b)).toEqual(bBefore);
      expect(
        (await admin.query('SELECT head, (SELECT count(*) FROM casefile.change_log) n FROM casefile.cases')).rows[0],
      ).toEqual(hubBefore);

      // Bob keeps his value: it is pushed, and Alice's next sync takes it (his decision is the newer one).
      const settled = await sync(b, { prefer: 'mine' });
      expect(settled.pulled).toMatchObject({ conflicts: 1, applied: true });
      expect(b.s.caseFile.get('incidents', incidents[1]!)!.fatalities).toBe(12);
      const ra = await sync(a);
      expect(ra.conflicts).toBeNull();
      expect(a.s.caseFile.get('incidents', incidents[1]!)!.fatalities).toBe(12);
      expect(state(a)).toEqual(state(b));
      await admin.end();
      a.s.close();
      b.s.close();
    });

    it('the conflicts of a sync are settled field by field in the merge review: the hub case exported as a file and merged, then synced', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents } = seed(a);
      const { caseId } = await sync(a);
      await join(b, caseId, a);
      a.s.caseFile.update('incidents', incidents[0]!, { fatalities: 5, location: 'alice: the town' });
      b.s.caseFile.update('incidents', incidents[0]!, { fatalities: 6, location: 'bob: the village' });
      await sync(a);
      const r = await sync(b);
      expect(r.conflicts!.preview.conflictRows).toEqual([
        expect.objectContaining({ id: incidents[0], fields: ['location', 'fatalities'] }),
      ]);
      r.conflicts!.review.received.dispose();

      const out = joinPath(dir, 'hub-copy.casefile');
      writeFileSync(joinPath(dir, 'taken.casefile'), 'mine');
      await expect(exportHubCase(b.url, caseId, joinPath(dir, 'taken.casefile'))).rejects.toThrow(
        /taken\.casefile already exists/,
      );
      expect(readFileSync(joinPath(dir, 'taken.casefile'), 'utf8')).toBe('mine');
      expect(await exportHubCase(b.url, caseId, out)).toMatchObject({ rows: 7 });
      // What the review does: Bob keeps his place name and takes Alice's count.
      const p = await prepareMerge(b.file, out);
      const key = `incidents:${incidents[0]}`;
      await applyPrepared(b.s.caseFile, p, {
        resolutions: { [`${key}:location`]: 'mine', [`${key}:fatalities`]: 'theirs' },
        acceptNonConflicting: true,
      });
      p.received.dispose();
      const settled = await sync(b);
      expect(settled.conflicts).toBeNull();
      await sync(a);
      for (const l of [a, b])
        expect(l.s.caseFile.get('incidents', incidents[0]!)).toMatchObject({
          fatalities: 5,
          location: 'bob: the village',
        });
      expect(state(a)).toEqual(state(b));
      a.s.close();
      b.s.close();
    });

    it('deletions travel; a row one deleted and the other edited is a conflict, settled either way', async () => {
      const hub = await team(cluster(), ['alice', 'bob']);
      const dir = newDir();
      const a = laptop(dir, 'alice', hub.url('alice'));
      const b = laptop(dir, 'bob', hub.url('bob'));
      const { incidents, citation } = seed(a);
      const { caseId } = await sync(a);
      await join(b, caseId, a);
      // Deleting the cited incident takes its citation and that citation's annotation along.
      a.s.caseFile.delete('incidents', [incidents[0]!]);
      await sync(a);
      await sync(b);
      expect(b.s.caseFile.get('incidents', incidents[0]!)).toBeNull();
      expect(b.s.caseFile.get('citations', citation)).toBeNull();
      expect(state(b)).toEqual(state(a));

      a.s.caseFile.delete('incidents', [incidents[3]!]);
      b.s.caseFile.update('incidents', incidents[3]!, { location: 'bob still needs it' });
      await sync(a);
      const r = await sync(b);
      expect(r.conflicts!.preview.conflictRows).toEqual([
        expect.objectContaining({ tbl: 'incidents', id: incidents[3] }),
      ]);
      r.conflicts!.review.received.dispose();
      await sync(b, { prefer: 'mine' });
      await sync(a);
      expect(a.s.caseFile.get('incidents', incidents[3]!)).toMatchObject({ location: 'bob still needs it' });
      expect(state(a)).toEqual(state(b));
      a.s.close();
      b.s.close();
    });

    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    it.each(orders)(
      'three laptops editing, adding and deleting the same rows converge, syncing in the order %i, %i, %i',
      async (...order) => {
        {
          const hub = await team(cluster(), ['alice', 'bob', 'carol']);
          const dir = newDir();
          const ls = ['alice', 'bob', 'carol'].map((n) => laptop(dir, n, hub.url(n)));
          const { incidents } = seed(ls[0]!);
          const { caseId } = await sync(ls[0]!);
          await join(ls[1]!, caseId, ls[0]!);
          await join(ls[2]!, caseId, ls[0]!);
          // The same row, a different field each; one deletes a row; each adds one.
          ls[0]!.s.caseFile.update('incidents', incidents[1]!, { fatalities: 20 });
          ls[1]!.s.caseFile.update('incidents', incidents[1]!, { location: 'Kabul' });
          ls[2]!.s.caseFile.update('incidents', incidents[1]!, { confidence: 'high' });
          ls[1]!.s.caseFile.delete('incidents', [incidents[2]!]);
          for (const l of ls) l.s.caseFile.create('notes', { title: `note by ${l.name}` });
          for (const i of order) await sync(ls[i]!);
          for (const i of order) await sync(ls[i]!);
          const s0 = state(ls[0]!);
          expect(state(ls[1]!), `order ${order.join(',')}`).toEqual(s0);
          expect(state(ls[2]!), `order ${order.join(',')}`).toEqual(s0);
          expect(ls[0]!.s.caseFile.get('incidents', incidents[1]!)).toMatchObject({
            fatalities: 20,
            location: 'Kabul',
            confidence: 'high',
          });
          expect(ls[0]!.s.caseFile.get('incidents', incidents[2]!)).toBeNull();
          expect(Object.keys(s0.notes!)).toHaveLength(3);
          for (const l of ls) l.s.close();
        }
      },
    );
  },
);
