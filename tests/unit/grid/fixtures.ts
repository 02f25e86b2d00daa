import type { Database as BetterDb } from 'better-sqlite3';
import type { CaseFile } from '../../../src/core/write/case-file';
import { session } from '../../helpers';
import { rng } from '../../rng';

const TYPES = ['Battles', 'Protests', 'Riots', null];
const ADMIN1 = ['Kabul', 'Nangarhar', 'Kunar', 'Aleppo', null];

/**
 * Incidents with many ties and NULLs in the sorted columns (dates at every precision, unknown
 * dates, fatalities mostly 0 or unknown), the cases where keyset paging goes wrong.
 */
export function seedIncidents(cf: CaseFile, n: number, seed = 7): void {
  const r = rng(seed);
  cf.action(
    'seed',
    (tx) => {
      for (let i = 0; i < n; i++) {
        const p = r();
        const y = 2018 + Math.floor(r() * 4);
        const m = String(1 + Math.floor(r() * 3)).padStart(2, '0');
        const d = String(1 + Math.floor(r() * 3)).padStart(2, '0');
        const date = p < 0.1 ? null : p < 0.2 ? String(y) : p < 0.35 ? `${y}-${m}` : `${y}-${m}-${d}`;
        const f = r();
        tx.insert('incidents', {
          date,
          event_type: TYPES[Math.floor(r() * TYPES.length)] ?? null,
          admin1: ADMIN1[Math.floor(r() * ADMIN1.length)] ?? null,
          country: r() < 0.5 ? 'Afghanistan' : 'Syria',
          fatalities: f < 0.2 ? null : f < 0.7 ? 0 : Math.floor(r() * 5),
          description: `event ${i}`,
        });
      }
    },
    { undoable: false },
  );
}

export function bigSession(n: number, seed = 7) {
  const ctx = session({ demo: false });
  seedIncidents(ctx.s.caseFile, n, seed);
  return ctx;
}

/**
 * Drops the indexes the migrations made for sorting and aggregates (not the primary keys, nor
 * incidents_date): the grid must give the same rows without them, only slower.
 */
export function dropSortIndexes(db: BetterDb): void {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('incidents_date', 'incidents_external')",
    )
    .pluck()
    .all() as string[];
  for (const n of names) db.exec(`DROP INDEX "${n}"`);
}
