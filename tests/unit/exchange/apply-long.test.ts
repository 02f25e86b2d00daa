import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { pair } from './pair';

type Ev = { event: string; payload: Record<string, unknown> };

/**
 * A merge that brings many rows (a colleague's import) runs between turns of the event loop:
 * the windows are served, its progress is told, other writes wait with a reason, and a cancel
 * leaves the case file as it was, with the review still open for another try.
 */
describe('a long merge', { timeout: 180_000 }, () => {
  it('is served between rows, tells its progress, refuses other writes, and can be cancelled', async () => {
    const { me, them, theirs } = await pair();
    them.caseFile.action('Import', (tx) => {
      for (let i = 0; i < 6_000; i++)
        tx.insert('incidents', {
          attribution: 'unknown',
          date: '2024-02-01',
          date_precision: 'day',
          country: 'Afghanistan',
          admin1: 'Kabul',
          description: `theirs ${i}`,
        });
    });
    them.close();
    const h = makeHandlers(me, 't');
    const events: Ev[] = [];
    me.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
    const db = me.caseFile.db;
    const state = () => ({
      incidents: db.prepare('SELECT count(*) FROM incidents').pluck().get(),
      log: db.prepare('SELECT count(*) FROM change_log').pluck().get(),
      summaries: db.prepare('SELECT sum(n) FROM dash_actors').pluck().get(),
    });
    const before = state();
    const preview = await dispatch(h, 'exchange.preview', { path: theirs });
    expect(preview).toMatchObject({ ok: true, value: { counts: { added: 6_000 } } });
    const planId = (preview as { value: { planId: string } }).value.planId;
    const anIncident = db.prepare('SELECT id FROM incidents LIMIT 1').pluck().get() as string;

    // Cancelled once progress has been told twice (a tenth of a second in): an edit meanwhile is refused, naming the merge.
    let ticks = 0;
    let told = 0;
    const timer = setInterval(() => ticks++, 1);
    let edit: Promise<unknown> | null = null;
    let cancel: Promise<unknown> | null = null;
    const off = me.subscribe((event, p) => {
      if (event !== 'task.progress' || (p as { kind: string }).kind !== 'merge-apply' || cancel || ++told < 2) return;
      edit = dispatch(h, 'rows.update', { table: 'incidents', id: anIncident, values: { fatalities: 9 } });
      // Stopped by the id its progress carries, as any window can.
      cancel = dispatch(h, 'tasks.cancel', { id: (p as { id: string }).id });
    });
    const stopped = await dispatch(h, 'exchange.apply', { planId, resolutions: {}, acceptNonConflicting: true });
    clearInterval(timer);
    off();
    expect(stopped).toEqual({ ok: false, error: { code: 'refused', message: 'Cancelled' } });
    expect(await edit).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(
          /^The merge of colleague\.casefile is writing to this case file; nothing was changed/,
        ),
      },
    });
    expect(ticks).toBeGreaterThan(0);
    expect(state()).toEqual(before);
    expect(me.caseFile.history().undoLabel ?? '').not.toMatch(/^Merge/);

    // Again, to the end: every step told, then the rows, their summaries and one undo step.
    events.length = 0;
    const done = await dispatch(h, 'exchange.apply', { planId, resolutions: {}, acceptNonConflicting: true });
    expect(done).toMatchObject({ ok: true, value: { added: 6_000, applied: true } });
    const progress = events
      .filter((e) => e.event === 'task.progress' && e.payload.kind === 'merge-apply')
      .map((e) => e.payload);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: 12_000, total: 12_000, message: 'Merging: 12,000 of 12,000 steps' });
    expect(state().incidents).toBe((before.incidents as number) + 6_000);
    expect(
      await dispatch(h, 'rows.update', { table: 'incidents', id: anIncident, values: { fatalities: 9 } }),
    ).toMatchObject({ ok: true });
    me.caseFile.undo();
    expect(me.caseFile.history().undoLabel).toBe('Merge colleague.casefile');

    // Undoing it (6,000 changes) is long work too: told as the 'undo' task; a second Undo
    // meanwhile is refused and takes no step off the stack.
    events.length = 0;
    let second: Promise<unknown> | null = null;
    const off2 = me.subscribe((event, p) => {
      if (event === 'task.progress' && (p as { kind: string }).kind === 'undo' && !second)
        second = dispatch(h, 'history.undo', {});
    });
    const undone = await dispatch(h, 'history.undo', {});
    off2();
    expect(undone).toMatchObject({ ok: true, value: { canRedo: true, redoLabel: 'Merge colleague.casefile' } });
    expect(await second).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/^The undo of “Merge colleague\.casefile” is writing to this case file/),
      },
    });
    expect(
      events.filter((e) => e.event === 'task.progress' && e.payload.kind === 'undo').at(-1)?.payload,
    ).toMatchObject({ done: 6_000, total: 6_000, message: 'Undoing: 6,000 of 6,000 changes' });
    // Every window is told once the undo is done, and then reads its own Undo and Redo.
    expect(events.filter((e) => e.event === 'history.changed').length).toBeGreaterThan(0);
    expect(await dispatch(h, 'history.state', {})).toMatchObject({ value: { redoLabel: 'Merge colleague.casefile' } });
    expect(state()).toMatchObject({ incidents: before.incidents, summaries: before.summaries });
    expect(await dispatch(h, 'history.redo', {})).toMatchObject({
      ok: true,
      value: { undoLabel: 'Merge colleague.casefile' },
    });
    expect(state().incidents).toBe((before.incidents as number) + 6_000);
    me.close();
  });
});
