import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

describe('migration 3: aggregate indexes', () => {
  it('adds covering indexes that the dashboard group-bys use, keeping existing rows', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 2);
    const meta = `'t', 't', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, country, admin1, fatalities, tags) VALUES
      ('0190a6f0-0000-7000-8000-000000000001', ${meta}, 'Afghanistan', 'Kabul', 3, NULL),
      ('0190a6f0-0000-7000-8000-000000000002', ${meta}, 'Iran', 'Fars', 1, 'abroad')`);
    migrate(db, 2, 3);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT admin1, count(*), sum(fatalities) FROM incidents GROUP BY admin1')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX incidents_dash_admin1/);
    expect(db.prepare('SELECT admin1, sum(fatalities) f FROM incidents GROUP BY admin1 ORDER BY admin1').all()).toEqual(
      [
        { admin1: 'Fars', f: 1 },
        { admin1: 'Kabul', f: 3 },
      ],
    );
  });
});
