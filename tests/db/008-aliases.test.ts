import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

const meta = `'t', 't', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 8: aliases', () => {
  it('adds the aliases table beside existing rows, holding names in every script, and refuses rows of no kind or no name', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 7);
    db.exec(
      `INSERT INTO incidents (id, created_at, updated_at, author, hlc, actor1) VALUES ('${id(1)}', ${meta}, 'Islamic State Khorasan Province')`,
    );
    migrate(db, 7, 8);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare('SELECT actor1 FROM incidents').pluck().get()).toBe('Islamic State Khorasan Province');
    const ins = db.prepare(
      `INSERT INTO aliases (id, created_at, updated_at, author, hlc, kind, name, entity, origin) VALUES (?, ${meta}, ?, ?, ?, ?)`,
    );
    ins.run(id(2), 'actor', 'ISKP', 'Islamic State Khorasan Province', 'starter');
    ins.run(id(3), 'actor', 'ولایت خراسان', 'Islamic State Khorasan Province', 'analyst');
    ins.run(id(4), 'actor', 'ИГИЛ-Хорасан', 'Islamic State Khorasan Province', 'suggestion');
    ins.run(id(5), 'place', 'Hirat', 'Herat', 'starter');
    // Defaults: a name is "the same" unless the analyst said otherwise; no source needed.
    expect(db.prepare('SELECT name, status, source_id FROM aliases WHERE id = ?').get(id(3))).toEqual({
      name: 'ولایت خراسان',
      status: 'same',
      source_id: null,
    });
    // Lookups by name ignore case through the index.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT entity FROM aliases WHERE kind = 'actor' AND name = 'iskp' COLLATE NOCASE")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX aliases_name/);
    expect(
      db.prepare("SELECT entity FROM aliases WHERE kind = 'actor' AND name = 'iskp' COLLATE NOCASE").pluck().get(),
    ).toBe('Islamic State Khorasan Province');
    expect(() => ins.run(id(6), 'group', 'X', 'Y', 'analyst')).toThrow(/CHECK/);
    expect(() => ins.run(id(7), 'actor', '', 'Y', 'analyst')).toThrow(/CHECK/);
    expect(() => ins.run(id(8), 'actor', 'X', 'Y', 'imported')).toThrow(/CHECK/);
  });
});
