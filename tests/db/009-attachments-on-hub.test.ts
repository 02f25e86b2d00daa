import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/open';

const meta = `'t', 't', 'seed', '0000000000000-000000-aaaaaaaaaaaa'`;
const id = (n: number) => `0190a6f0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const sha = 'a'.repeat(64);

describe('migration 9: attached files whose bytes are held on the team hub', () => {
  it('keeps every attached file with its bytes and text, and then takes a row without bytes (still refusing a row of no size)', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 0, 8);
    db.exec(
      `INSERT INTO sources (id, created_at, updated_at, author, hlc, key, title, type) VALUES ('${id(1)}', ${meta}, 'un', 'UN', 'official_report')`,
    );
    const ins = db.prepare(
      `INSERT INTO attachments (id, created_at, updated_at, author, hlc, source_id, name, media_type, size, sha256, data, text) VALUES (?, ${meta}, ?, ?, 'application/pdf', ?, ?, ?, ?)`,
    );
    ins.run(id(2), id(1), 'report.pdf', 3, sha, Buffer.from([1, 2, 3]), 'page one');
    expect(() => ins.run(id(3), id(1), 'x.pdf', 1, sha, null, null)).toThrow(/NOT NULL/);
    migrate(db, 8, 9);
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare('SELECT name, size, data, text FROM attachments').get()).toEqual({
      name: 'report.pdf',
      size: 3,
      data: Buffer.from([1, 2, 3]),
      text: 'page one',
    });
    ins.run(id(3), id(1), 'on-hub.pdf', 10, sha, null, 'its text came with the row');
    expect(db.prepare('SELECT data FROM attachments WHERE id = ?').pluck().get(id(3))).toBeNull();
    expect(() => ins.run(id(4), id(1), 'bad.pdf', -1, sha, null, null)).toThrow(/CHECK/);
    expect(() => ins.run(id(5), id(9), 'orphan.pdf', 1, sha, null, null)).toThrow(/FOREIGN KEY/);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM attachments WHERE source_id = ?').all(id(1)) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/INDEX attachments_source/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
