import type { TableName } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';

/**
 * What the grid computed about a view (its count, its anchors, the distinct values of a column)
 * kept until a change could alter it. Changes are read from the change log, so an edit of a
 * column the view neither sorts nor filters on keeps the view's anchors; an insert or delete in
 * its table, or an edit of a column it reads, drops them; so does any change of an alias. A commit by another connection (an
 * import's worker) changes PRAGMA data_version, and then everything is dropped.
 */
type Entry = { table: TableName; columns: ReadonlySet<string>; value: unknown };
type DbCache = { dataVersion: number; seq: number; entries: Map<string, Entry> };

const MAX_ENTRIES = 64;
/** Beyond this many change-log rows since the last look, reading them costs more than recomputing. */
const MAX_SCAN = 20_000;
const caches = new WeakMap<Db, DbCache>();

function stamps(db: Db): { dataVersion: number; seq: number } {
  const dataVersion = stmt(db, 'PRAGMA data_version').pluck().get() as number;
  const seq = (stmt(db, 'SELECT max(seq) FROM change_log').pluck().get() as number | null) ?? 0;
  return { dataVersion, seq };
}

/** Drops what the changes since the last call make stale; returns the cache of this connection. */
function current(db: Db): DbCache {
  const now = stamps(db);
  let c = caches.get(db);
  if (!c) {
    c = { ...now, entries: new Map() };
    caches.set(db, c);
    return c;
  }
  if (now.dataVersion !== c.dataVersion || now.seq - c.seq > MAX_SCAN) {
    c.entries.clear();
  } else if (now.seq !== c.seq) {
    const changes = stmt(db, 'SELECT DISTINCT tbl, op, field FROM change_log WHERE seq > ?').all(c.seq) as {
      tbl: string;
      op: string;
      field: string | null;
    }[];
    // Filters and searches read the aliases (aliases/alias-sql.ts): a change of one can change any view.
    if (changes.some((ch) => ch.tbl === 'aliases')) c.entries.clear();
    for (const [key, e] of c.entries) {
      const stale = changes.some(
        (ch) => ch.tbl === e.table && (ch.op !== 'update' || ch.field === null || e.columns.has(ch.field)),
      );
      if (stale) c.entries.delete(key);
    }
  }
  c.dataVersion = now.dataVersion;
  c.seq = now.seq;
  return c;
}

/** A value computed for (key), reading `columns` of `table`; computed again once stale. */
export function cachedForView<T>(
  db: Db,
  key: string,
  table: TableName,
  columns: Iterable<string>,
  compute: () => T,
): T {
  const c = current(db);
  const hit = c.entries.get(key);
  if (hit) {
    c.entries.delete(key);
    c.entries.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  c.entries.set(key, { table, columns: new Set(columns), value });
  if (c.entries.size > MAX_ENTRIES) c.entries.delete(c.entries.keys().next().value!);
  return value;
}

/** Whether the entry is still there (not dropped by a change since it was stored). */
export function stillCached(db: Db, key: string): boolean {
  return current(db).entries.has(key);
}

/** Forgets everything about these tables (a bulk change announced without row ids). */
export function invalidateTables(db: Db, tables: readonly TableName[]): void {
  const c = caches.get(db);
  if (!c) return;
  for (const [key, e] of c.entries) if (tables.includes(e.table)) c.entries.delete(key);
}
