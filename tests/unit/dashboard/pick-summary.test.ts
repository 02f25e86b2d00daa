import { describe, expect, it } from 'vitest';
import { pickSummary } from '../../../src/core/dashboard/summaries';
import { session } from '../../helpers';

const EMPTY = { columns: {}, search: '' };

describe('the summary a chart reads', () => {
  it("is the smallest that fits by the file's statistics, not by the typical order", () => {
    const { s } = session({ demo: true });
    const db = s.caseFile.db;
    db.exec('ANALYZE');
    // Only the two compared here have statistics; a summary without any is never preferred.
    db.prepare("DELETE FROM sqlite_stat1 WHERE tbl LIKE 'dash%'").run();
    const setRows = (tbl: string, n: number) => {
      db.prepare('DELETE FROM sqlite_stat1 WHERE tbl = ?').run(tbl);
      db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)').run(tbl, `${tbl}_key`, `${n} 1`);
    };
    // Incidents geocoded one by one: the points summary is as large as the incidents.
    setRows('dash_points', 1_000_000);
    setRows('dash_places', 3_600);
    expect(pickSummary(db, EMPTY, { keys: ['admin1', 'country'] })?.name).toBe('dash_places');
    setRows('dash_points', 2_000);
    expect(pickSummary(db, EMPTY, { keys: ['admin1', 'country'] })?.name).toBe('dash_points');
    s.close();
  });
});
