import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session } from '../../helpers';

/** Two windows on one case file, as the transports name them (a tab each in browser mode). */
function twoWindows() {
  const { s } = session();
  const h = makeHandlers(s, 'test');
  const cf = s.caseFile;
  const ids = cf.db.prepare('SELECT id FROM incidents ORDER BY rowid LIMIT 2').pluck().all() as string[];
  const call = (window: string) => (channel: string, input: unknown) => dispatch(h, channel, input, window);
  const value = (id: string, f: string) => (cf.get('incidents', id) as Record<string, unknown>)[f];
  return { s, cf, ids, a: call('tab:a'), b: call('tab:b'), value };
}

describe('Undo and Redo act on the steps made in their own window', () => {
  it("Undo in one window takes back its own edit, not the other window's later one", async () => {
    const { ids, a, b, value } = twoWindows();
    const [one, two] = ids as [string, string];
    const f1 = value(one, 'fatalities');
    expect(await a('rows.update', { table: 'incidents', id: one, values: { fatalities: 41 } })).toMatchObject({
      ok: true,
    });
    expect(await b('rows.update', { table: 'incidents', id: two, values: { injuries: 42 } })).toMatchObject({
      ok: true,
    });
    expect(await a('history.state', {})).toMatchObject({ value: { canUndo: true, undoLabel: 'Edit Fatalities' } });
    expect(await b('history.state', {})).toMatchObject({ value: { canUndo: true, undoLabel: 'Edit Injuries' } });

    expect(await a('history.undo', {})).toMatchObject({ ok: true, value: { canUndo: false, canRedo: true } });
    expect(value(one, 'fatalities')).toBe(f1);
    expect(value(two, 'injuries')).toBe(42);
    // The other window's step is still there, and its own.
    expect(await b('history.state', {})).toMatchObject({
      value: { canUndo: true, canRedo: false, undoLabel: 'Edit Injuries' },
    });
    expect(await a('history.redo', {})).toMatchObject({ ok: true });
    expect(value(one, 'fatalities')).toBe(41);
  });

  it("a step whose field another window changed since is not undone without asking; with the analyst's word it is", async () => {
    const { ids, a, b, value } = twoWindows();
    const one = ids[0]!;
    const f1 = value(one, 'fatalities');
    await a('rows.update', { table: 'incidents', id: one, values: { fatalities: 5 } });
    await b('rows.update', { table: 'incidents', id: one, values: { fatalities: 7 } });
    const r = await a('history.undo', {});
    expect(r).toMatchObject({ ok: true, value: { canUndo: true, undoLabel: 'Edit Fatalities' } });
    expect((r as { value: { changedSince: string } }).value.changedSince).toMatch(
      /^Since “Edit Fatalities”, another window .* changed .*: Fatalities of the incident .* is now “7”\.$/,
    );
    expect(value(one, 'fatalities')).toBe(7);
    expect(await a('history.undo', { overwrite: true })).toMatchObject({ ok: true, value: { canUndo: false } });
    expect(value(one, 'fatalities')).toBe(f1);
  });

  it('an added row another window edited since is not removed by Undo without asking', async () => {
    const { cf, a, b } = twoWindows();
    const made = await a('rows.create', { table: 'incidents', values: {} });
    const id = (made as { value: { id: string } }).value.id;
    await b('rows.update', { table: 'incidents', id, values: { event_type: 'Battles' } });
    const r = (await a('history.undo', {})) as { value: { changedSince?: string } };
    expect(r.value.changedSince).toMatch(/Event type of the incident is now “Battles”/);
    expect(cf.get('incidents', id)).not.toBeNull();
    // Once the other window has deleted the row, Undo has nothing left to take back: done, the row stays deleted.
    await b('rows.delete', { table: 'incidents', ids: [id] });
    expect(await a('history.undo', {})).toMatchObject({ ok: true, value: { canUndo: false, canRedo: true } });
    expect(cf.get('incidents', id)).toBeNull();
  });
});
