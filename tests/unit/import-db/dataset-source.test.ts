import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session } from '../../helpers';
import { fixture } from './helpers';

const datasets = (s: ReturnType<typeof session>['s']) =>
  s.caseFile.db.prepare("SELECT key, title FROM sources WHERE type = 'dataset' ORDER BY rowid").all() as {
    key: string;
    title: string;
  }[];

describe('the dataset source of an ACLED import', () => {
  it("an ACLED import through the Import tab cites the demo's ACLED source instead of adding a second one", async () => {
    const { s } = session({ demo: true });
    const h = makeHandlers(s, 't');
    const before = datasets(s);
    expect(before.filter((d) => /ACLED/.test(d.title))).toHaveLength(1);
    const r = await dispatch(h, 'import.run', { path: fixture('acled-current.csv') });
    expect(r).toMatchObject({ ok: true, value: { format: 'acled', imported: 5 } });
    expect(datasets(s)).toEqual(before);
    // Every imported row cites it.
    const uncited = s.caseFile.db
      .prepare(
        "SELECT count(*) FROM incidents i WHERE i.origin = 'ACLED' AND NOT EXISTS (SELECT 1 FROM citations c WHERE c.target_id = i.id AND c.source_id = (SELECT id FROM sources WHERE key = 'acled'))",
      )
      .pluck()
      .get();
    expect(uncited).toBe(0);
    s.close();
  });

  it('a second ACLED file cites the source the first one made', async () => {
    const { s } = session({ demo: false });
    const h = makeHandlers(s, 't');
    expect(await dispatch(h, 'import.run', { path: fixture('acled-current.csv') })).toMatchObject({ ok: true });
    expect(await dispatch(h, 'import.run', { path: fixture('acled-2020.csv') })).toMatchObject({ ok: true });
    expect(datasets(s)).toEqual([{ key: 'acled-data-acled-current-csv', title: 'ACLED export acled-current.csv' }]);
    s.close();
  });
});
