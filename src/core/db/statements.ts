import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

/**
 * Prepared statements, per connection, most recently used kept. Preparing costs as much as
 * running a keyset page of the grid, and more than writing one row: the grid's queries and the
 * core's row reads and writes (case-file.ts) ask for the same few statements over and over. The
 * SQL text never holds values (they are parameters), so the set of texts is small; the cap
 * bounds it anyway.
 */
const MAX = 256;
const caches = new WeakMap<Db, Map<string, Statement>>();

export function stmt(db: Db, sql: string): Statement {
  let m = caches.get(db);
  if (!m) caches.set(db, (m = new Map()));
  let s = m.get(sql);
  if (s) {
    m.delete(sql);
    m.set(sql, s);
    return s;
  }
  s = db.prepare(sql);
  m.set(sql, s);
  if (m.size > MAX) m.delete(m.keys().next().value!);
  return s;
}
