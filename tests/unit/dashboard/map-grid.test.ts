import { afterEach, describe, expect, it } from 'vitest';
import { mapPoints } from '../../../src/core/dashboard/map';
import { resetDashboardCache } from '../../../src/core/dashboard/selection';
import { mapGridFrom } from '../../../src/core/dashboard/map';
import type { FilterModel } from '../../../src/shared/contract';
import { session } from '../../helpers';
import { rng } from '../../rng';

type Map = ReturnType<typeof mapPoints>;

/** Bins keyed by their cell (a bin's drawn position lies inside its cell on both paths). */
function bins(m: Map): Record<string, { n: number; f: number; x: number; y: number }> {
  const out: Record<string, { n: number; f: number; x: number; y: number }> = {};
  for (const [x, y, n, f] of m.points)
    out[`${Math.floor((x + 180) / m.cell)},${Math.floor((y + 90) / m.cell)}`] = { n, f, x, y };
  return out;
}

afterEach(() => mapGridFrom(null));

describe('the map binned from the quarter-degree grid (schema 6)', () => {
  it('gives the same cells, counts and fatalities as binning every position, each drawn within an eighth of a degree of the mean', () => {
    const { s } = session({ demo: false });
    const cf = s.caseFile;
    const r = rng(11);
    const boxes = [
      ['Afghanistan', 60, 29],
      ['Iraq', 39, 29],
      ['Nigeria', 3, 4],
      ['Mali', -12, 10],
    ] as const;
    cf.action('add incidents', (tx) => {
      for (let i = 0; i < 1500; i++) {
        const [country, lon, lat] = boxes[Math.floor(r() * boxes.length)]!;
        const located = r() < 0.95;
        tx.insert('incidents', {
          country,
          admin1: `P${Math.floor(r() * 5)}`,
          attribution: 'unknown',
          fatalities: r() < 0.2 ? null : Math.floor(r() * 9),
          longitude: located ? Math.round((lon + r() * 9) * 1e4) / 1e4 : null,
          latitude: located ? Math.round((lat + r() * 9) * 1e4) / 1e4 : null,
        });
      }
      // Moves and deletes after the inserts: the grid is kept by deltas like every summary.
    });
    const ids = cf.db.prepare('SELECT id FROM incidents ORDER BY id LIMIT 40').pluck().all() as string[];
    cf.action('edit', (tx) => {
      for (const id of ids.slice(0, 20)) tx.update('incidents', id, { longitude: 66.6, latitude: 33.3 });
      for (const id of ids.slice(20)) tx.delete('incidents', id);
    });
    const db = cf.db;
    const filters: FilterModel[] = [
      { columns: {}, search: '' },
      { columns: { country: { type: 'set', values: ['Afghanistan', 'Mali'] } }, search: '' },
      { columns: { admin1: { type: 'set', values: ['P1', 'P3'] } }, search: '' },
    ];
    for (const filter of filters) {
      for (const cell of [0.25, 1, 4]) {
        mapGridFrom(0);
        resetDashboardCache(db);
        const grid = mapPoints(db, filter, [-180, -90, 180, 90], cell);
        mapGridFrom(1e9);
        resetDashboardCache(db);
        const exact = mapPoints(db, filter, [-180, -90, 180, 90], cell);
        const label = `${JSON.stringify(filter.columns)} at ${cell}°`;
        expect(grid.merged, label).toBe(true);
        expect(grid.cell, label).toBe(exact.cell);
        expect([grid.total, grid.withoutCoords, grid.outside], label).toEqual([
          exact.total,
          exact.withoutCoords,
          exact.outside,
        ]);
        const [g, e] = [bins(grid), bins(exact)];
        expect(Object.keys(g).sort(), label).toEqual(Object.keys(e).sort());
        for (const [k, b] of Object.entries(e)) {
          expect([g[k]!.n, g[k]!.f], `${label} ${k}`).toEqual([b.n, b.f]);
          expect(Math.abs(g[k]!.x - b.x), `${label} ${k} x`).toBeLessThanOrEqual(0.125 + 1e-9);
          expect(Math.abs(g[k]!.y - b.y), `${label} ${k} y`).toBeLessThanOrEqual(0.125 + 1e-9);
        }
        expect(
          grid.points.every((p) => p[4] === null),
          label,
        ).toBe(true);
      }
    }
    s.close();
  });

  it('is not used for few positions, cells the grid does not nest in, or a filter or search the grid does not hold', () => {
    const { s } = session({ demo: true });
    const db = s.caseFile.db;
    const world: [number, number, number, number] = [-180, -90, 180, 90];
    // The demo file has a few dozen places: each stays one labelled point.
    const few = mapPoints(db, { columns: {}, search: '' }, world, 0.25);
    expect(few.points.some((p) => p[4] !== null)).toBe(true);
    mapGridFrom(0);
    resetDashboardCache(db);
    expect(mapPoints(db, { columns: {}, search: '' }, world, 0.25).points.every((p) => p[4] === null)).toBe(true);
    // A filter on a column the grid does not hold, and cells it does not nest in, read the positions.
    const exactly = (filter: FilterModel, cell: number) => {
      resetDashboardCache(db);
      mapGridFrom(0);
      const got = mapPoints(db, filter, world, cell);
      resetDashboardCache(db);
      mapGridFrom(1e9);
      expect(got).toEqual(mapPoints(db, filter, world, cell));
    };
    exactly({ columns: { event_type: { type: 'set', values: ['Explosions/Remote violence'] } }, search: '' }, 0.25);
    exactly({ columns: {}, search: 'Kabul' }, 1);
    exactly({ columns: {}, search: '' }, 0.125);
    exactly({ columns: {}, search: '' }, 0.3);
    s.close();
  });
});
