import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session } from '../../helpers';
import { writeAcledCsv } from '../import-db/acled-gen';

describe('writes while an import holds the case file', () => {
  it('an edit is refused at once with the reason, and a saved layout waits for the end', async () => {
    const { s, dir } = session({ demo: true });
    const h = makeHandlers(s, 't');
    const data = join(dir, 'acled-big.csv');
    writeAcledCsv(data, { rows: 20_000 });
    const id = (s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;

    const run = dispatch(h, 'import.run', { path: data });
    // The handler holds writes before its first await: no timing involved.
    const t0 = performance.now();
    const edit = await dispatch(h, 'rows.update', { table: 'incidents', id, values: { fatalities: 99 } });
    expect(performance.now() - t0).toBeLessThan(1000); // not SQLite's busy timeout
    expect(edit).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'The import of acled-big.csv is writing to this case file; nothing was changed. Try again when it has finished (or cancel it).',
      },
    });
    const layout = { columns: [], sort: [{ colId: 'date', sort: 'desc' as const }] };
    expect(await dispatch(h, 'grid.state.set', { grid: 'incidents', state: layout })).toMatchObject({ ok: true });

    expect(await run).toMatchObject({ ok: true, value: { imported: 20_000 } });
    // The layout was written when the import ended; edits work again.
    expect(await dispatch(h, 'grid.state.get', { grid: 'incidents' })).toMatchObject({
      ok: true,
      value: { sort: [{ colId: 'date', sort: 'desc' }] },
    });
    expect(await dispatch(h, 'rows.update', { table: 'incidents', id, values: { fatalities: 99 } })).toMatchObject({
      ok: true,
    });
    s.close();
  }, 120_000);

  it('an undo refused while the file is held keeps its step for later', async () => {
    const { s } = session({ demo: true });
    const h = makeHandlers(s, 't');
    const id = (s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    s.caseFile.update('incidents', id, { fatalities: 42 });
    const release = s.caseFile.holdWrites('The import of late.csv');
    expect(await dispatch(h, 'history.undo', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(s.caseFile.history()).toMatchObject({ canUndo: true, undoLabel: 'Edit Fatalities', canRedo: false });
    release();
    expect(await dispatch(h, 'history.undo', {})).toMatchObject({
      ok: true,
      value: { canRedo: true, redoLabel: 'Edit Fatalities' },
    });
    expect(s.caseFile.get('incidents', id)!.fatalities).not.toBe(42);
    s.close();
  });
});
