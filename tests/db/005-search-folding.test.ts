import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';
import { ftsQuery } from '../../src/core/grid/filter-sql';
import { ftsAddSql, ftsDeleteSql } from '../../src/core/db/search';

const meta = `'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 5: search through folding views', () => {
  it('reindexes existing rows with Arabic marks removed and Persian letters folded, in four columns', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 4);
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, description, location, admin1, actor1, event_type) VALUES
      ('${id(1)}', ${meta}, 'قَالَ الكِتَابُ', 'Kabul', 'Kabul', 'Islamic State Khorasan Province', 'Explosions/Remote violence'),
      ('${id(2)}', ${meta}, 'حمله در کابل', NULL, 'Nangarhar', 'ولایت خراسان', 'Battles'),
      ('${id(3)}', ${meta}, 'Attack in Mazār-e Sharīf', 'Mazar', 'Balkh', NULL, NULL)`);
    db.exec(
      `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type) VALUES ('${id(4)}', ${meta}, 'naba', 'النَّبَأ', 'propaganda')`,
    );
    migrate(db, 4, 5);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    db.pragma('trusted_schema = OFF');
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
    expect(hit('ولايت')).toEqual([id(2)]);
    expect(hit('sharif balkh')).toEqual([id(3)]);
    expect(hit('khorasan explosions')).toEqual([id(1)]);
    expect(db.prepare('SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH ?').get(ftsQuery('النبأ'))).toEqual({
      n: 1,
    });
    // The columns of the index: the ranking weighs four, not ten.
    expect((db.prepare('PRAGMA table_info(incidents_fts)').all() as { name: string }[]).map((c) => c.name)).toEqual([
      'description',
      'place',
      'actors',
      'kind',
    ]);

    // The core's upkeep statements remove the old text and add the new, by id or by rowid.
    db.prepare(ftsDeleteSql('incidents', 'id')).run(id(1));
    db.prepare("UPDATE incidents SET description = 'بَيَانٌ' WHERE id = ?").run(id(1));
    db.prepare(ftsAddSql('incidents', 'rowid')).run(1);
    expect(hit('الكتاب')).toEqual([]);
    expect(hit('بيان')).toEqual([id(1)]);
    db.exec("INSERT INTO incidents_fts (incidents_fts) VALUES ('integrity-check')");
  });
});
