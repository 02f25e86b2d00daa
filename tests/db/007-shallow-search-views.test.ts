import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';
import { ftsQuery } from '../../src/core/grid/filter-sql';
import { ftsAddSql, ftsDeleteSql } from '../../src/core/db/search';
import { migration007 } from '../../src/core/db/migrations/007-shallow-search-views';

const meta = `'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** The deepest nesting of parentheses in an SQL text (outside string literals). */
function depth(sql: string): number {
  let d = 0;
  let max = 0;
  let quoted = false;
  for (const c of sql) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') max = Math.max(max, ++d);
    else if (!quoted && c === ')') d--;
  }
  return max;
}

function seed(db: Database.Database): void {
  db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, description, location, admin2, admin1, country, actor1, assoc_actors, target, event_type, sub_event_type) VALUES
    ('${id(1)}', ${meta}, 'قَالَ الكِتَابُ ـ ۖ', 'Kabul', NULL, 'Kabul', 'Afghanistan', 'Islamic State Khorasan Province', NULL, NULL, 'Explosions/Remote violence', 'Suicide bomb'),
    ('${id(2)}', ${meta}, 'حمله در کابل', NULL, NULL, 'Nangarhar', NULL, 'ولایت خراسان', 'الدَّوْلَة', '', 'Battles', NULL),
    ('${id(3)}', ${meta}, 'Attack in Mazār-e Sharīf', 'Mazar', 'Dehdadi', 'Balkh', 'Afghanistan', NULL, NULL, NULL, NULL, NULL),
    ('${id(4)}', ${meta}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    ('${id(5)}', ${meta}, '', '', '', '', '', 'کیهان ۝ ؐؑؒ', '', '', '', '')`);
  db.exec(`INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, authors, notes, type) VALUES
    ('${id(6)}', ${meta}, 'naba', 'النَّبَأ', NULL, 'ی ک', 'propaganda'),
    ('${id(7)}', ${meta}, 'pajhwok', 'Pajhwok Afghan News', 'Staff', NULL, 'news')`);
}

describe('migration 7: search-folding views an SQLite before 3.46 can parse', () => {
  it('folds every row exactly as schema 5 did, through views at most 15 calls deep, and keeps the index valid', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 6);
    seed(db);
    const read = () => ({
      incidents: db.prepare('SELECT * FROM incidents_search ORDER BY rid').all(),
      sources: db.prepare('SELECT * FROM sources_search ORDER BY rid').all(),
    });
    const before = read();
    // Rows indexed by schema 6, to show that the index needs no rebuild.
    db.exec(
      "INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild'); INSERT INTO sources_fts (sources_fts) VALUES ('rebuild')",
    );
    migrate(db, 6, 7);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    db.pragma('trusted_schema = OFF');

    expect(read()).toEqual(before);
    expect((before.incidents[0] as { description: string }).description).toBe('قال الكتاب  ');
    expect(before.incidents[3]).toEqual({ rid: 4, description: null, place: '', actors: '', kind: '' });
    db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('integrity-check')");
    db.exec("INSERT INTO sources_fts (sources_fts) VALUES ('integrity-check')");

    // No view nests deeper than an SQLite with a 100-entry parser stack reads, and none calls
    // a function SQLite 3.37 lacks.
    const views = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name").all() as {
      name: string;
      sql: string;
    }[];
    expect(views.map((v) => v.name)).toEqual([
      'incidents_fold1',
      'incidents_fold2',
      'incidents_fold3',
      'incidents_search',
      'sources_fold1',
      'sources_fold2',
      'sources_fold3',
      'sources_search',
    ]);
    for (const v of views) {
      expect(depth(v.sql), v.name).toBeLessThanOrEqual(17);
      expect(v.sql, v.name).not.toMatch(/concat|unixepoch|octet_length|format\(/i);
    }
    // SQLite flattens the chain: a row is read by its rowid, not through a scan of each view.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM incidents_search WHERE rid = ?').all(1) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH incidents USING INTEGER PRIMARY KEY (rowid=?)']);

    const hit = (q: string) =>
      (
        db
          .prepare(
            'SELECT i.id FROM incidents_fts f JOIN incidents i ON i.rowid = f.rowid WHERE incidents_fts MATCH ? ORDER BY i.rowid',
          )
          .all(ftsQuery(q)) as { id: string }[]
      ).map((r) => r.id);
    expect(hit('الكتاب')).toEqual([id(1)]);
    expect(hit('كابل')).toEqual([id(2)]);
    expect(hit('ولايت الدولة')).toEqual([id(2)]);
    expect(hit('كيهان')).toEqual([id(5)]);
    expect(hit('sharif dehdadi')).toEqual([id(3)]);
    expect(hit('khorasan suicide')).toEqual([id(1)]);
    expect(db.prepare('SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH ?').get(ftsQuery('النبأ'))).toEqual({
      n: 1,
    });
    expect(db.prepare('SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH ?').get(ftsQuery('ي'))).toEqual({
      n: 1,
    });

    // The core's upkeep statements read the new views the same way.
    db.prepare(ftsDeleteSql('incidents', 'id')).run(id(1));
    db.prepare("UPDATE incidents SET description = 'بَيَانٌ' WHERE id = ?").run(id(1));
    db.prepare(ftsAddSql('incidents', 'rowid')).run(1);
    expect(hit('الكتاب')).toEqual([]);
    expect(hit('بيان')).toEqual([id(1)]);
    expect(
      db
        .prepare("SELECT snippet(incidents_fts, 0, '[', ']', '…', 8) s FROM incidents_fts WHERE incidents_fts MATCH ?")
        .get(ftsQuery('بيان')),
    ).toEqual({ s: '[بيان]' });
    db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('integrity-check')");
  });

  it('is frozen: its SQL is what shipped', () => {
    expect(createHash('sha256').update(migration007).digest('hex')).toBe(
      '40448989409ca0e95ab1ecb0c683596fdece5758ce3fd1819f9a41b8733da1b1',
    );
  });
});
