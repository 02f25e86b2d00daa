import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

const meta = `'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 2: search, revision times, attachments, grid layouts', () => {
  it('indexes rows that existed before it, in Latin, Cyrillic and Arabic script, without diacritics', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 1);
    db.exec(`INSERT INTO incidents (id, created_at, updated_at, author, hlc, description, location) VALUES
      ('${id(1)}', ${meta}, 'Attack near the shrine', 'Shīrāz'),
      ('${id(2)}', ${meta}, 'Нападение на концертный зал', 'Красногорск'),
      ('${id(3)}', ${meta}, 'حمله در کابل', 'کابل')`);
    db.exec(
      `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type) VALUES ('${id(4)}', ${meta}, 'ime2024', 'ИГ-Хорасан: анализ', 'research')`,
    );
    migrate(db, 1, 2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const hit = (q: string) =>
      (
        db
          .prepare('SELECT i.id FROM incidents_fts f JOIN incidents i ON i.rowid = f.rowid WHERE incidents_fts MATCH ?')
          .all(q) as { id: string }[]
      ).map((r) => r.id);
    expect(hit('shiraz')).toEqual([id(1)]);
    expect(hit('концертный')).toEqual([id(2)]);
    expect(hit('کابل')).toEqual([id(3)]);
    expect(db.prepare("SELECT count(*) n FROM sources_fts WHERE sources_fts MATCH 'хорасан'").get()).toEqual({ n: 1 });

    db.exec(`UPDATE incidents SET source_timestamp = 1700000000 WHERE id = '${id(1)}'`);
    db.exec(`INSERT INTO attachments (id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data, text)
      VALUES ('${id(5)}', ${meta}, '${id(4)}', 'analysis.txt', 'text/plain', 5, 'x', X'6869', 'hi')`);
    expect(() =>
      db.exec(`INSERT INTO attachments (id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data)
      VALUES ('${id(6)}', ${meta}, '${id(4)}', 'a', 'text/plain', -1, 'x', X'00')`),
    ).toThrow(/CHECK/);
    db.exec(`INSERT INTO grid_state (grid, state) VALUES ('incidents', '{}')`);
  });
});
