import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bestMatches } from '../../../src/core/grid/best';
import { ftsQuery } from '../../../src/core/grid/filter-sql';
import { session } from '../../helpers';

const WORDS = [
  'ambush',
  'suicide',
  'attack',
  'checkpoint',
  'convoy',
  'village',
  'militants',
  'police',
  'market',
  'road',
];

/** 400 incidents of seeded text: each a few of WORDS, some repeated, in texts of varied length. */
function seeded() {
  const ctx = session({ demo: false });
  let x = 20261207;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  ctx.s.caseFile.action(
    'seed',
    (tx) => {
      for (let i = 0; i < 400; i++) {
        const n = 3 + Math.floor(next() * 30);
        const text = Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
        tx.insert('incidents', {
          date: '2023-01-02',
          country: 'Afghanistan',
          admin1: `P${i % 7}`,
          event_type: 'Battles',
          description: text,
        });
      }
    },
    { undoable: false },
  );
  return ctx;
}

/** The ranking as it was made before answers were kept: FTS5's top 100 by bm25, then their rows. */
function fresh(db: Database.Database, search: string) {
  return db
    .prepare(
      `SELECT incidents.id, m.score FROM (SELECT rowid AS r, bm25(incidents_fts) AS score FROM incidents_fts WHERE incidents_fts MATCH ? ORDER BY score LIMIT 100) m
       JOIN incidents ON incidents.rowid = m.r ORDER BY m.score`,
    )
    .all(ftsQuery(search)) as { id: string; score: number }[];
}

describe('best matches kept while the file is unchanged', () => {
  it('answers a repeated search from the last answer, identical to a fresh ranking', () => {
    const { s } = seeded();
    const db = s.caseFile.db;
    try {
      for (const w of ['suicide', 'ambush convoy', 'road']) {
        const first = bestMatches(db, 'incidents', { columns: {}, search: w }, 100, { snippets: false });
        expect(first.map((m) => ({ id: m.row.id, score: m.score }))).toEqual(fresh(db, w));
        expect(first.length).toBeGreaterThan(0);
        // The same answer, not made again.
        expect(bestMatches(db, 'incidents', { columns: {}, search: w }, 100, { snippets: false })).toBe(first);
      }
    } finally {
      s.close();
    }
  });

  it('ranks again after an edit on this connection and after a commit by another', () => {
    const { s, file } = seeded();
    const cf = s.caseFile;
    try {
      const search = { columns: {}, search: 'suicide' };
      const before = bestMatches(cf.db, 'incidents', search);
      const last = before.at(-1)!.row.id as string;
      cf.action('edit', (tx) => tx.update('incidents', last, { description: 'suicide suicide suicide' }));
      const afterEdit = bestMatches(cf.db, 'incidents', search);
      expect(afterEdit).not.toBe(before);
      expect(afterEdit[0]!.row.id).toBe(last);
      expect(afterEdit.map((m) => ({ id: m.row.id, score: m.score }))).toEqual(fresh(cf.db, 'suicide'));

      // Another connection (an import's worker) removes the best match's row.
      const other = new Database(file);
      other.prepare('DELETE FROM citations WHERE target_id = ?').run(last);
      other.prepare('DELETE FROM incidents WHERE id = ?').run(last);
      other.close();
      const afterOther = bestMatches(cf.db, 'incidents', search);
      expect(afterOther).not.toBe(afterEdit);
      expect(afterOther.map((m) => m.row.id)).not.toContain(last);
    } finally {
      s.close();
    }
  });
});
