import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

describe('migration 6: the map grid and the figures index', () => {
  it('adds the quarter-degree grid, filled from the existing incidents, and widens the country index to cover the figures count', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 5);
    const meta = `'t', 't', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, country, admin1, longitude, latitude, fatalities) VALUES
      ('0190a6f0-0000-7000-8000-000000000001', ${meta}, 'Afghanistan', 'Kabul', 69.16, 34.53, 3),
      ('0190a6f0-0000-7000-8000-000000000002', ${meta}, 'Afghanistan', 'Kabul', 69.24, 34.51, NULL),
      ('0190a6f0-0000-7000-8000-000000000003', ${meta}, 'Afghanistan', 'Kabul', 69.26, 34.51, 1),
      ('0190a6f0-0000-7000-8000-000000000004', ${meta}, 'Fiji', NULL, 180, -90, 2),
      ('0190a6f0-0000-7000-8000-000000000005', ${meta}, 'Iran', NULL, NULL, NULL, 1)`);
    migrate(db, 5, 6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    // (69.16 + 180) * 4 = 996.64 and (69.24 + 180) * 4 = 996.96 share a cell; 69.26 is the next one.
    expect(
      db.prepare('SELECT country, admin1, gx, gy, n, f, k FROM dash_grid ORDER BY country, gx IS NULL, gx').all(),
    ).toEqual([
      { country: 'Afghanistan', admin1: 'Kabul', gx: 996, gy: 498, n: 2, f: 3, k: 1 },
      { country: 'Afghanistan', admin1: 'Kabul', gx: 997, gy: 498, n: 1, f: 1, k: 1 },
      { country: 'Fiji', admin1: null, gx: 1440, gy: 0, n: 1, f: 2, k: 1 },
      { country: 'Iran', admin1: null, gx: null, gy: null, n: 1, f: 1, k: 1 },
    ]);
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND name LIKE 'incidents_dash_country%'",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(['incidents_dash_country_actors']);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT country, admin1, count(*) FROM incidents WHERE country IN ('Afghanistan') AND date >= '2022' AND date <= '2024-01-31'
                AND (actor1 LIKE '%IS%' OR assoc_actors LIKE '%IS%') GROUP BY country, admin1`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX incidents_dash_country_actors/);
  });
});
