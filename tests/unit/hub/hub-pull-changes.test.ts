import { join as joinPath } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { exportHubCase } from '../../../src/core/hub/export';
import { PAGE } from '../../../src/core/hub/snapshot';
import { uuidv7 } from '../../../src/core/ids';
import { generateCase } from './generated-case';
import { noPostgres, titled, useCluster } from './use-cluster';
import { everything, join, laptop, newDir, seed, state, sync, team, type Laptop } from './team';

/** `n` more incidents, in one action. */
const more = (l: Laptop, n: number) =>
  l.s.caseFile.action('more incidents', (tx) => {
    for (let i = 0; i < n; i++)
      tx.insert('incidents', { date: '2024-05-01', date_precision: 'day', country: 'Iraq', location: `Town ${i}` });
  });

/**
 * A laptop that has pulled before reads only what the hub changed since (hub migration 2 and
 * src/core/hub/changes.ts), merged with the same three-way merge; a laptop with an empty case file
 * joins with one bulk load (join.ts).
 */
describe.skipIf(noPostgres)(titled('a pull reads what changed since the last'), { timeout: 120_000 }, () => {
  const cluster = useCluster();

  it('a later pull reads only the rows changed since the last pull, deletions included, not the whole case', async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    const { incidents } = seed(a);
    // Enough rows that the merge reads from Bob's file only the rows the changes name (plan.ts).
    more(a, 40);
    const { caseId } = await sync(a);
    await join(b, caseId, a);
    a.s.caseFile.update('incidents', incidents[0]!, { location: 'Kandahar' });
    a.s.caseFile.delete('incidents', [incidents[2]!]);
    await sync(a);
    // A row nobody changed since Bob's pull, damaged on the hub behind every trigger: a pull that
    // read the whole case would refuse it; this one never reads it.
    const admin = await cluster().admin(hub.db);
    await admin.query('BEGIN');
    await admin.query('SET LOCAL session_replication_role = replica');
    await admin.query('ALTER TABLE casefile.incidents DROP CONSTRAINT incidents_latitude_check');
    await admin.query('UPDATE casefile.incidents SET latitude = 500 WHERE id = $1', [incidents[3]]);
    await admin.query('COMMIT');
    await admin.end();

    const r = await sync(b);
    expect(r.conflicts).toBeNull();
    expect(r.pulled).toMatchObject({ updated: 1, deleted: 1, applied: true });
    expect(b.s.caseFile.get('incidents', incidents[0]!)).toMatchObject({ location: 'Kandahar' });
    expect(b.s.caseFile.get('incidents', incidents[2]!)).toBeNull();
    expect(b.s.caseFile.get('incidents', incidents[3]!)).toMatchObject({ latitude: null });
    expect(state(b)).toEqual(state(a));
    a.s.close();
    b.s.close();
  });

  it("a colleague's new citation of a row you deleted offers the row back: the rows changed rows hang from are read with them", async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    const { incidents, source } = seed(a);
    more(a, 40);
    const { caseId } = await sync(a);
    await join(b, caseId, a);
    b.s.caseFile.delete('incidents', [incidents[1]!]);
    a.s.caseFile.create('citations', {
      source_id: source,
      target_table: 'incidents',
      target_id: incidents[1],
      locator_type: 'page',
      locator: '12',
    });
    await sync(a);
    const r = await sync(b);
    expect(r.conflicts).not.toBeNull();
    expect(r.conflicts!.review.plan.items).toContainEqual(
      expect.objectContaining({ tbl: 'incidents', id: incidents[1], kind: 'conflict' }),
    );
    r.conflicts!.review.received.dispose();
    // Bob takes theirs: the row comes back with the citation, as from the whole case.
    const settled = await sync(b, { prefer: 'theirs' });
    expect(settled.conflicts).toBeNull();
    await sync(a);
    expect(b.s.caseFile.get('incidents', incidents[1]!)).not.toBeNull();
    expect(state(b)).toEqual(state(a));
    a.s.close();
    b.s.close();
  });

  it('a new laptop joins with one load: every row and history entry, nothing of its own to push back', async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    const { incidents } = seed(a);
    a.s.caseFile.update('incidents', incidents[0]!, { location: 'Herat' });
    const { caseId } = await sync(a);
    const joined = await join(b, caseId, a);
    expect(joined.pulled).toMatchObject({ added: 7, updated: 0, applied: true });
    expect(joined.pushed).toMatchObject({ rows: 0, deleted: 0, entries: 0 });
    expect(state(b)).toEqual(state(a));
    const log = (db: typeof a.s.caseFile.db) =>
      db.prepare('SELECT hlc, author, tbl, row_id, op, field, after FROM change_log ORDER BY hlc, tbl, row_id').all();
    expect(log(b.s.caseFile.db)).toEqual(log(a.s.caseFile.db));
    // The search index was built: Bob finds Alice's place name.
    expect(
      b.s.caseFile.db.prepare("SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'herat'").pluck().get(),
    ).toBe(1);
    // Bob's edits after joining are stamped after everything he took in, and travel.
    b.s.caseFile.update('incidents', incidents[1]!, { fatalities: 30 });
    expect(
      (b.s.caseFile.get('incidents', incidents[1]!)!.hlc as string) >
        (a.s.caseFile.get('incidents', incidents[0]!)!.hlc as string),
    ).toBe(true);
    expect((await sync(b)).pushed).toMatchObject({ rows: 1 });
    await sync(a);
    expect(a.s.caseFile.get('incidents', incidents[1]!)).toMatchObject({ fatalities: 30 });
    a.s.close();
    b.s.close();
  });

  it('a join that meets a malformed row leaves the empty case file exactly as it was', async () => {
    const hub = await team(cluster(), ['alice', 'bob']);
    const dir = newDir();
    const a = laptop(dir, 'alice', hub.url('alice'));
    const b = laptop(dir, 'bob', hub.url('bob'));
    const { incidents } = seed(a);
    const { caseId } = await sync(a);
    const admin = await cluster().admin(hub.db);
    await admin.query('ALTER TABLE casefile.incidents DROP CONSTRAINT incidents_fatalities_check');
    await admin.query('UPDATE casefile.incidents SET fatalities = -3 WHERE id = $1', [incidents[3]]);
    await admin.end();
    const before = everything(b.s.caseFile.db);
    await expect(join(b, caseId, a)).rejects.toThrow(/malformed data \(incidents row [0-9a-f-]{36}, field fatalities/);
    expect(everything(b.s.caseFile.db)).toEqual(before);
    // And the file still takes writes: the hold on them ended with the failed join.
    expect(b.s.caseFile.create('notes', { title: 'still mine' })).toMatchObject({ title: 'still mine' });
    a.s.close();
    b.s.close();
  });

  it('a case with more history entries than one page holds arrives with every entry (pages follow the position as a number)', async () => {
    const hub = await team(cluster(), ['alice']);
    const admin = await cluster().admin(hub.db);
    const caseId = uuidv7();
    // In a new hub the rows take positions 1 to 6,000 and their entries 6,001 to 12,000: the pages
    // cross from four digits to five, where the order of the positions as text is not theirs.
    const rows = PAGE + 1000;
    await generateCase(admin, { caseId, rows, member: 'alice' });
    await admin.end();
    const out = joinPath(newDir(), 'whole.casefile');
    expect(await exportHubCase(hub.url('alice'), caseId, out)).toMatchObject({ rows, entries: rows });
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(DISTINCT row_id) FROM change_log').pluck().get()).toBe(rows);
    db.close();
  });
});
