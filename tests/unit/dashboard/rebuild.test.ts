import { describe, expect, it } from 'vitest';
import { rebuildSummaries } from '../../../src/core/dashboard/summaries';
import { keyExpr } from '../../../src/core/dashboard/summary-defs';
import { ALL_SUMMARIES as SUMMARIES } from '../../../src/core/dashboard/summary-defs';
import { session } from '../../helpers';
import { rng } from '../../rng';

describe('rebuilding the summary tables', () => {
  it('gives every summary, also those added up from a finer one, exactly the group-by of the incidents', () => {
    const { s } = session({ demo: true });
    const cf = s.caseFile;
    const r = rng(7);
    const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
    cf.action('add incidents', (tx) => {
      for (let i = 0; i < 300; i++) {
        tx.insert('incidents', {
          country: pick(['Afghanistan', 'Iran', null]),
          admin1: pick(['Kabul', 'Herat', null]),
          event_type: pick(['Battles', 'Riots', null]),
          sub_event_type: pick(['Armed clash', null]),
          actor1: pick(['IS-K', 'Taliban', null]),
          tags: pick(['abroad', 'x; Abroad', null]),
          ...pick([
            { date: '2021-03-04', date_precision: 'day' },
            { date: '2021-03', date_precision: 'month' },
            { date: '2021', date_precision: 'year' },
            { date: '2022-12-31', date_precision: 'week' },
            { date: null, date_precision: 'unknown' },
          ]),
          longitude: pick([69.1, 69.37, -180, 180, 0.124, -0.3, null]),
          latitude: pick([34.5, 34.26, -90, 90, -0.01, null]),
          fatalities: r() < 0.3 ? null : Math.floor(r() * 9),
          attribution: 'unknown',
        });
      }
    });
    const db = cf.db;
    db.exec(
      'UPDATE dash_actors SET n = n + 1; DELETE FROM dash_abroad; DELETE FROM dash_places WHERE rowid % 2 = 0; UPDATE dash_months SET f = 0; DELETE FROM dash_grid WHERE rowid % 3 = 0',
    );
    rebuildSummaries(db);
    const sorted = (rows: unknown[]) => rows.map((x) => JSON.stringify(Object.values(x as object))).sort();
    for (const d of SUMMARIES) {
      const exprs = d.keys.map((k) => keyExpr(d, k));
      const want = db
        .prepare(
          `SELECT ${exprs.join(', ')}, count(*), coalesce(sum(fatalities), 0), count(fatalities) FROM incidents GROUP BY ${exprs.map((_, i) => i + 1).join(', ')}`,
        )
        .all();
      const got = db.prepare(`SELECT ${d.keys.join(', ')}, n, f, k FROM ${d.name}`).all();
      expect(sorted(got), d.name).toEqual(sorted(want));
    }
    s.close();
  });
});
