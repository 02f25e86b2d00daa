import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';
import { APPLICATION_ID } from '../../src/core/db/migrations';

describe('migration 1: initial schema', () => {
  it('creates every table, sets the version and the application id, and enforces its checks', () => {
    const db = new Database(':memory:');
    migrate(db, 0, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual([
      'annotations',
      'change_log',
      'citations',
      'figures',
      'incidents',
      'meta',
      'notes',
      'plots',
      'sources',
    ]);

    const meta = `'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
    const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;
    db.exec(
      `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type, reliability) VALUES ('${id(1)}', ${meta}, 'k', 'Title', 'research', 'B')`,
    );
    db.exec(
      `INSERT INTO incidents (id, created_at, updated_at, author, hlc, date, date_precision, fatalities) VALUES ('${id(2)}', ${meta}, '2022-10', 'month', 3)`,
    );
    db.exec(
      `INSERT INTO citations (id, created_at, updated_at, author, hlc, source_id, target_table, target_id, credibility) VALUES ('${id(3)}', ${meta}, '${id(1)}', 'incidents', '${id(2)}', 2)`,
    );
    expect(db.prepare('SELECT date, date_precision, fatalities FROM incidents').get()).toEqual({
      date: '2022-10',
      date_precision: 'month',
      fatalities: 3,
    });

    // The schema refuses what the app would never write.
    expect(() =>
      db.exec(
        `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type, reliability) VALUES ('${id(4)}', ${meta}, 'k2', 'T', 'research', 'G')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO incidents (id, created_at, updated_at, author, hlc, fatalities) VALUES ('${id(5)}', ${meta}, -1)`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO incidents (id, created_at, updated_at, author, hlc, fatalities) VALUES ('${id(6)}', ${meta}, 'many')`,
      ),
    ).toThrow(/cannot store TEXT value in INTEGER/);
    expect(() =>
      db.exec(
        `INSERT INTO citations (id, created_at, updated_at, author, hlc, source_id, target_table, target_id, credibility) VALUES ('${id(7)}', ${meta}, '${id(1)}', 'incidents', '${id(2)}', 7)`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type) VALUES ('${id(8)}', ${meta}, 'k', 'dup key', 'news')`,
      ),
    ).toThrow(/UNIQUE/);
  });
});
