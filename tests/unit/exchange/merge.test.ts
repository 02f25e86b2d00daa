import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { computePlan } from '../../../src/core/exchange/plan';
import { colleague, ids, merge, pair, plan, rows } from './pair';

/** Every row of a closed case file (see rows). */
function rowsOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return rows(db);
  } finally {
    db.close();
  }
}

describe('merging a colleague’s copy (three-way, field by field)', { timeout: 180_000 }, () => {
  it('takes the fields only they changed and keeps the fields only you changed', async () => {
    const { me, them, theirs } = await pair();
    const [a] = ids(me.caseFile.db, 'incidents', 1);
    me.caseFile.update('incidents', a!, { fatalities: 5 });
    them.caseFile.update('incidents', a!, { location: 'Jalalabad city' });
    // A re-import on their side moves the upstream revision time (a column beside the fields).
    them.caseFile.action('Import', (tx) =>
      tx.apply({
        tbl: 'incidents',
        row_id: a!,
        op: 'update',
        field: 'source_timestamp',
        before: null,
        after: 1717171717,
      }),
    );
    them.close();
    const expected = rows(me.caseFile.db);
    expected.incidents![a!]!.location = 'Jalalabad city';

    const { plan: p, result } = await merge(me, theirs);
    expect(p.counts).toEqual({
      added: 0,
      changed: 1,
      deleted: 0,
      conflicts: 0,
      tables: { incidents: { added: 0, changed: 1, deleted: 0, conflicts: 0 } },
    });
    expect(p.items[0]!.fields.map((f) => [f.field, f.theirs, f.conflict])).toEqual([
      ['location', 'Jalalabad city', false],
      ['source_timestamp', 1717171717, false],
    ]);
    expect(result).toMatchObject({ added: 0, updated: 1, deleted: 0, conflicts: 0, applied: true });
    expect(rows(me.caseFile.db)).toEqual(expected);
    expect(me.caseFile.get('incidents', a!)!.source_timestamp).toBe(1717171717);
  });

  it('sees a change of case, of a NULL and of a number, and nothing in a row edited back to what it was', async () => {
    const { me, them, theirs } = await pair();
    const [a, b, c, d] = me.caseFile.db
      .prepare(
        "SELECT id FROM incidents WHERE admin1 GLOB '*[a-z]*' AND latitude IS NOT NULL AND injuries IS NULL ORDER BY id LIMIT 4",
      )
      .pluck()
      .all() as string[];
    const was = me.caseFile.get('incidents', d!)!;
    them.caseFile.update('incidents', a!, { admin1: String(me.caseFile.get('incidents', a!)!.admin1).toUpperCase() });
    them.caseFile.update('incidents', b!, { injuries: 0 });
    them.caseFile.update('incidents', b!, { injuries: null });
    them.caseFile.update('incidents', b!, { target: 'Police checkpoint' });
    them.caseFile.update('incidents', c!, { latitude: Number(me.caseFile.get('incidents', c!)!.latitude) + 1e-9 });
    // Touched (its clock and time move) but every field as it was: no item.
    them.caseFile.update('incidents', d!, { description: 'changed for a moment' });
    them.caseFile.update('incidents', d!, { description: was.description ?? null });
    them.close();

    const p = await plan(me, theirs);
    expect(p.items.map((x) => [x.id, x.fields.map((f) => f.field)]).sort()).toEqual(
      [
        [a, ['admin1']],
        [b, ['target']],
        [c, ['latitude']],
      ].sort(),
    );
    expect(p.counts).toMatchObject({ added: 0, changed: 3, deleted: 0, conflicts: 0 });
  });

  it('makes a field both changed differently a conflict, applies nothing until it is chosen, then takes the choice', async () => {
    const { me, them, theirs } = await pair();
    const [a, b] = ids(me.caseFile.db, 'incidents', 2);
    me.caseFile.update('incidents', a!, { description: 'mine: eleven killed' });
    them.caseFile.update('incidents', a!, { description: 'theirs: twelve killed' });
    me.caseFile.update('incidents', b!, { fatalities: 3 });
    them.caseFile.update('incidents', b!, { fatalities: 4 });
    them.close();
    const before = rows(me.caseFile.db);
    const logBefore = me.caseFile.db.prepare('SELECT count(*) n FROM change_log').get();

    const p = await plan(me, theirs);
    expect(p.counts.conflicts).toBe(2);
    const c = p.items.find((x) => x.id === a)!;
    expect(c.kind).toBe('conflict');
    expect(c.fields[0]).toMatchObject({
      field: 'description',
      mine: 'mine: eleven killed',
      theirs: 'theirs: twelve killed',
      conflict: true,
    });
    expect(c.fields[0]!.mineBy!.author).toBe('Test Analyst');
    expect(c.fields[0]!.theirsBy!.author).toBe('Colleague');
    expect(c.fields[0]!.theirsBy!.at).toMatch(/^\d{4}-\d\d-\d\dT/);

    await expect(merge(me, theirs, { resolutions: { [`incidents:${a}:description`]: 'theirs' } })).rejects.toThrow(
      /1 conflict has no choice yet.*nothing was merged/,
    );
    expect(rows(me.caseFile.db)).toEqual(before);
    expect(me.caseFile.db.prepare('SELECT count(*) n FROM change_log').get()).toEqual(logBefore);

    const { result } = await merge(me, theirs, {
      resolutions: { [`incidents:${a}:description`]: 'theirs', [`incidents:${b}`]: 'mine' },
    });
    expect(result).toMatchObject({ updated: 1, conflicts: 2, applied: true });
    const after = rows(me.caseFile.db);
    expect(after.incidents![a!]!.description).toBe('theirs: twelve killed');
    expect(after.incidents![b!]!.fatalities).toBe(3);
    before.incidents![a!]!.description = 'theirs: twelve killed';
    expect(after).toEqual(before);
  });

  it('never deletes silently: a row they deleted that you edited, and a row you deleted that they edited, are conflicts', async () => {
    const { me, them, theirs } = await pair();
    const [x, y, z] = ids(me.caseFile.db, 'incidents', 3);
    const citesOf = (id: string) =>
      (me.caseFile.db.prepare('SELECT count(*) n FROM citations WHERE target_id = ?').get(id) as { n: number }).n;
    const yCites = citesOf(y!);
    expect(yCites).toBeGreaterThan(0);
    them.caseFile.delete('incidents', [x!]);
    me.caseFile.update('incidents', x!, { injuries: 9 });
    me.caseFile.delete('incidents', [y!]);
    them.caseFile.update('incidents', y!, { admin2: 'Achin' });
    them.caseFile.delete('incidents', [z!]); // you did not touch z: their deletion is taken
    them.close();

    const p = await plan(me, theirs);
    const byId = new Map(p.items.map((i) => [i.id, i]));
    expect(byId.get(x!)).toMatchObject({ kind: 'conflict', rowConflict: 'they-deleted' });
    expect(byId.get(x!)!.fields.map((f) => f.field)).toEqual(['injuries']);
    expect(byId.get(y!)).toMatchObject({ kind: 'conflict', rowConflict: 'you-deleted' });
    expect(byId.get(y!)!.fields.map((f) => [f.field, f.theirs])).toEqual([['admin2', 'Achin']]);
    expect(byId.get(z!)).toMatchObject({ kind: 'deleted' });
    expect(p.counts.conflicts).toBe(2);
    await expect(merge(me, theirs)).rejects.toThrow(/2 conflicts have no choice yet/);

    // Keep my edited x; bring y back as they changed it (with the citations deleted along with it).
    const { result } = await merge(me, theirs, {
      resolutions: { [`incidents:${x}`]: 'mine', [`incidents:${y}`]: 'theirs' },
    });
    expect(result.applied).toBe(true);
    expect(me.caseFile.get('incidents', x!)!.injuries).toBe(9);
    expect(me.caseFile.get('incidents', y!)!.admin2).toBe('Achin');
    expect(citesOf(y!)).toBe(yCites);
    expect(me.caseFile.get('incidents', z!)).toBeNull();
    expect(citesOf(z!)).toBe(0);
  });

  it('adds rows added on either side, with what they need (a new source and its citation)', async () => {
    const { me, them, theirs } = await pair();
    const mineNew = me.caseFile.create('plots', {
      country: 'Germany',
      stage: 'arrested',
      date: '2024-03',
      target_city: 'Cologne',
    });
    const src = them.caseFile.create('sources', {
      key: 'colleague2024',
      title: 'Court filing',
      type: 'official_report',
      reliability: 'B',
    });
    const theirNew = them.caseFile.create('plots', {
      country: 'Austria',
      stage: 'planning',
      date: '2024-05',
      target_city: 'Vienna',
    });
    const cite = them.caseFile.create('citations', {
      source_id: src.id,
      target_table: 'plots',
      target_id: theirNew.id,
      locator_type: 'page',
      locator: '4',
    });
    them.close();
    const expected = rows(me.caseFile.db);

    const { plan: p, result } = await merge(me, theirs);
    expect(p.counts).toMatchObject({ added: 3, conflicts: 0 });
    // The plan keeps only the ids of a row it adds (and what the row points at); apply reads the rest from their copy.
    const planned = p.items.find((x) => x.id === theirNew.id)!;
    expect(planned).toMatchObject({ kind: 'added', readAtApply: true, row: null, theirsRow: {} });
    expect(p.items.find((x) => x.id === cite.id)!.theirsRow).toEqual({
      source_id: src.id,
      target_table: 'plots',
      target_id: theirNew.id,
    });
    expect(result).toMatchObject({ added: 3, updated: 0, deleted: 0 });
    const after = rows(me.caseFile.db);
    expect(after.plots![mineNew.id as string]).toEqual(expected.plots![mineNew.id as string]);
    expect(after.plots![theirNew.id as string]).toEqual(rowsOf(theirs).plots![theirNew.id as string]);
    expect(after.citations![cite.id as string]!.source_id).toBe(src.id);
    // Provenance: their rows keep their author and times, their log entries keep theirs.
    expect(me.caseFile.get('plots', theirNew.id as string)).toMatchObject({
      author: 'Colleague',
      hlc: theirNew.hlc,
      created_at: theirNew.created_at,
    });
    const logged = me.caseFile.db
      .prepare("SELECT author, hlc FROM change_log WHERE row_id = ? AND op = 'insert' ORDER BY seq")
      .all(theirNew.id) as { author: string; hlc: string }[];
    expect(logged[0]!.author).toBe('Colleague');
  });

  it('changes nothing when the same file is merged a second time, and the merge undoes as one step', async () => {
    const { me, them, theirs } = await pair();
    const [a, b, c] = ids(me.caseFile.db, 'incidents', 3);
    me.caseFile.update('incidents', a!, { description: 'mine' });
    them.caseFile.update('incidents', a!, { description: 'theirs' });
    them.caseFile.update('incidents', b!, { fatalities: 40 });
    them.caseFile.delete('incidents', [c!]);
    them.caseFile.create('notes', { title: 'Colleague’s note', body: 'From the field' });
    them.close();
    const before = rows(me.caseFile.db);

    await merge(me, theirs, { resolutions: { [`incidents:${a}:description`]: 'mine' } });
    const once = rows(me.caseFile.db);
    const logOnce = me.caseFile.db.prepare('SELECT count(*) n FROM change_log').get();
    expect(me.caseFile.history().undoLabel).toBe('Merge colleague.casefile');

    const again = await plan(me, theirs);
    expect(again.items).toEqual([]);
    expect(again.theirLogEntries).toBe(0);
    const { result } = await merge(me, theirs);
    expect(result).toMatchObject({ added: 0, updated: 0, deleted: 0, conflicts: 0 });
    expect(rows(me.caseFile.db)).toEqual(once);
    expect(me.caseFile.db.prepare('SELECT count(*) n FROM change_log').get()).toEqual(logOnce);

    me.caseFile.undo();
    expect(rows(me.caseFile.db)).toEqual(before);
  });

  it('converges when they merge back what you merged (your choices travel, nothing reappears)', async () => {
    const { me, them, theirs, dir } = await pair();
    const [a, b] = ids(me.caseFile.db, 'incidents', 2);
    me.caseFile.update('incidents', a!, { description: 'mine wins' });
    them.caseFile.update('incidents', a!, { description: 'theirs loses' });
    them.caseFile.update('incidents', b!, { fatalities: 7 });
    const declined = them.caseFile.create('notes', { title: 'Declined note' });
    them.close();
    await merge(me, theirs, {
      resolutions: { [`incidents:${a}:description`]: 'mine', [`notes:${declined.id as string}`]: 'mine' },
    });
    expect(me.caseFile.get('notes', declined.id as string)).toBeNull();

    // The colleague merges my file back: they get my decision, and their note is offered for deletion.
    const back = colleague(dir, theirs);
    const p = await plan(back, me.caseFile.path);
    expect(p.counts.conflicts).toBe(0);
    await merge(back, me.caseFile.path);
    expect(back.caseFile.get('incidents', a!)!.description).toBe('mine wins');
    expect(back.caseFile.get('incidents', b!)!.fatalities).toBe(7);
    expect(rows(back.caseFile.db)).toEqual(rows(me.caseFile.db));
    back.close();
    expect((await plan(me, theirs)).items).toEqual([]);
  });

  it('refuses to apply a plan once your file changed since the review', async () => {
    const { me, them, theirs } = await pair();
    const [a] = ids(me.caseFile.db, 'incidents', 1);
    them.caseFile.update('incidents', a!, { fatalities: 2 });
    them.close();
    const { prepareMerge, applyPrepared } = await import('../../../src/core/exchange/merge');
    const p = await prepareMerge(me.caseFile.path, theirs);
    me.caseFile.update('incidents', a!, { fatalities: 1 });
    await expect(applyPrepared(me.caseFile, p, { resolutions: {}, acceptNonConflicting: true })).rejects.toThrow(
      /changed since the merge was reviewed/,
    );
    p.received.dispose();
    expect(me.caseFile.get('incidents', a!)!.fatalities).toBe(1);
  });
  // Attached files are merged: see merge-attachments.test.ts.
  it('refuses a merge that would change more rows than one merge can hold, before holding them, and changes nothing', async () => {
    const { me, them, theirs } = await pair();
    for (let i = 0; i < 5; i++)
      them.caseFile.create('plots', {
        country: 'Austria',
        stage: 'planning',
        date: '2024-05',
        target_city: `Vienna ${i}`,
      });
    them.close();
    const before = rows(me.caseFile.db);
    // As the plan's worker opens them (exchange/tasks.ts), with a limit of 3 items instead of a million.
    const t = new Database(theirs, { readonly: true });
    const m = new Database(me.caseFile.path, { readonly: true });
    try {
      t.prepare('ATTACH DATABASE ? AS mine').run(me.caseFile.path);
      expect(() => computePlan(m, t, 'colleague.casefile', undefined, 3)).toThrow(
        /^colleague\.casefile would add, change or delete more than 3 rows of your case file: more than one merge can take\. Nothing was changed\. Ask for it in parts/,
      );
      expect(computePlan(m, t, 'colleague.casefile', undefined, 5).counts.added).toBe(5);
    } finally {
      t.close();
      m.close();
    }
    expect(rows(me.caseFile.db)).toEqual(before);
  });
});
