import { describe, expect, it } from 'vitest';
import { TaskProgress, type TaskProgress as Progress } from '../../../src/shared/channels/tasks';
import { CasefileError } from '../../../src/core/errors';
import { TaskRegistry } from '../../../src/core/tasks/registry';

/** A task's work that runs until its signal is aborted (or it is let go). */
function waiting(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new CasefileError('refused', 'Cancelled'))),
  );
}

describe('the task registry', () => {
  it('stops a running task by id, whatever its kind; its progress goes out with its id and kind', async () => {
    const told: Progress[] = [];
    const tasks = new TaskRegistry((p) => told.push(p));
    const running = tasks.run('grid-export', { id: 'a1' }, ({ signal, progress }) => {
      progress({ done: 1, total: 10 });
      return waiting(signal);
    });
    expect(tasks.list()).toEqual([{ id: 'a1', kind: 'grid-export' }]);
    expect(tasks.cancel('a1')).toEqual({ cancelled: true });
    await expect(running).rejects.toThrow('Cancelled');
    expect(told).toEqual([{ id: 'a1', kind: 'grid-export', done: 1, total: 10 }]);
    for (const p of told) expect(TaskProgress.parse(p)).toEqual(p);
    expect(tasks.list()).toEqual([]);
    // Stopped again once it has ended: said so, not an error.
    expect(tasks.cancel('a1')).toEqual({ cancelled: false });
    expect(() => tasks.cancel('zz')).toThrow('No task zz is running or has run here: nothing was stopped');
  });

  it('refuses to stop a task that cannot be stopped, and a second task of a group that runs alone', async () => {
    const tasks = new TaskRegistry(() => undefined);
    let finish!: () => void;
    const undo = tasks.run(
      'undo',
      { id: 'u1' },
      () =>
        new Promise(
          (resolve) => (finish = () => resolve({ canUndo: false, canRedo: true, undoLabel: null, redoLabel: 'x' })),
        ),
    );
    expect(() => tasks.cancel('u1')).toThrow(
      expect.objectContaining({
        code: 'refused',
        message: 'An undo or redo of a large step cannot be stopped once started: it finishes by itself',
      }),
    );
    finish();
    await expect(undo).resolves.toMatchObject({ redoLabel: 'x' });

    const alone = { group: 'import', refusal: () => new CasefileError('conflict', 'an import is already running') };
    const ctl = new AbortController();
    const first = tasks.run('import', { alone, signal: ctl.signal }, ({ signal }) => waiting(signal));
    await expect(tasks.run('import', { alone }, () => Promise.reject(new Error('never started')))).rejects.toThrow(
      'an import is already running',
    );
    // The caller's own signal stops it too (the command line, tests).
    ctl.abort();
    await expect(first).rejects.toThrow('Cancelled');
    expect(tasks.list()).toEqual([]);
  });

  it("stops a task that cannot be stopped once started only in the stretch it marks stoppable (a sync's join)", async () => {
    const tasks = new TaskRegistry(() => undefined);
    let mark!: (on: boolean) => void;
    let stretch!: AbortSignal;
    const sync = tasks.run('hub-sync', { id: 's1' }, ({ signal, stoppable }) => {
      mark = stoppable;
      stretch = signal;
      return waiting(signal);
    });
    const refusal = 'A sync with the team hub cannot be stopped once started: it finishes by itself';
    expect(() => tasks.cancel('s1')).toThrow(refusal);
    mark(true);
    mark(false);
    expect(() => tasks.cancel('s1')).toThrow(
      'A sync with the team hub cannot be stopped at this stage: it finishes by itself',
    );
    expect(stretch.aborted).toBe(false);
    mark(true);
    expect(tasks.cancel('s1')).toEqual({ cancelled: true });
    await expect(sync).rejects.toThrow('Cancelled');
  });
});
