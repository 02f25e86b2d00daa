import { describe, expect, it } from 'vitest';
import { makeHandlers, dispatch } from '../../../src/core/handlers/index';
import { session } from '../../helpers';

describe('the grid’s citation count column', () => {
  it('counts each row’s citations, and for a source the citations pointing at it', async () => {
    const { s } = session();
    const h = makeHandlers(s, 't');
    const inc = (await dispatch(h, 'rows.seek', { table: 'incidents', offset: 0, limit: 100 })) as {
      ok: true;
      value: { rows: { cites: number }[] };
    };
    expect(inc.value.rows.map((r) => r.cites)).toEqual(Array(10).fill(1));
    const src = (await dispatch(h, 'rows.seek', { table: 'sources', offset: 0, limit: 100 })) as {
      ok: true;
      value: { rows: { key: string; cites: number }[] };
    };
    const byKey = Object.fromEntries(src.value.rows.map((r) => [r.key, r.cites]));
    // ime2024 backs 10 incidents, 15 plots, 16 figures and the note.
    expect(byKey).toMatchObject({ ime2024: 42, acled: 0, centcom2022: 1 });
    const seek = (await dispatch(h, 'rows.seek', { table: 'incidents', offset: 0, limit: 100 })) as {
      ok: true;
      value: { rows: { cites: number }[] };
    };
    expect(seek.value.rows.map((r) => r.cites)).toEqual(Array(10).fill(1));
    const id = (s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
    s.caseFile.delete(
      'citations',
      (s.caseFile.db.prepare('SELECT id FROM citations WHERE target_id = ?').all(id) as { id: string }[]).map(
        (c) => c.id,
      ),
    );
    const again = (await dispatch(h, 'rows.seek', { table: 'incidents', offset: 0, limit: 100 })) as {
      ok: true;
      value: { rows: { id: string; cites: number }[] };
    };
    expect(again.value.rows.find((r) => r.id === id)?.cites).toBe(0);
  });
});
