import { FTS_TABLES } from './migrations';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

/**
 * The full-text indexes (schema 5, its views rewritten by schema 7): each reads its table through
 * a `<table>_search` view that folds the text (migrations/007-shallow-search-views.ts, the last of
 * a chain of views that SQLite flattens into one expression), with `rid` the table's rowid. The
 * core keeps them current; these are the statements it uses, so every writer indexes the same way.
 *
 * FTS_TABLES (from the migrations) names the table columns that feed each index: an edit of one
 * of them is an edit of the row's search text.
 */
export type SearchTable = keyof typeof FTS_TABLES;

export const FTS_INDEX_COLUMNS: Record<SearchTable, readonly string[]> = {
  incidents: ['description', 'place', 'actors', 'kind'],
  sources: ['key', 'title', 'authors', 'notes'],
};

export function isSearchTable(table: string): table is SearchTable {
  return Object.hasOwn(FTS_TABLES, table);
}

const keyOf = (table: SearchTable, by: 'id' | 'rowid') =>
  by === 'rowid' ? '?' : `(SELECT rowid FROM ${table} WHERE id = ?)`;

/** Adds a row's current text to the index; one parameter, the row's id or rowid. */
export function ftsAddSql(table: SearchTable, by: 'id' | 'rowid'): string {
  const cols = FTS_INDEX_COLUMNS[table].join(', ');
  return `INSERT INTO ${table}_fts (rowid, ${cols}) SELECT rid, ${cols} FROM ${table}_search WHERE rid = ${keyOf(table, by)}`;
}

/** Removes a row's current text from the index (run before the row changes or goes). */
export function ftsDeleteSql(table: SearchTable, by: 'id' | 'rowid'): string {
  const cols = FTS_INDEX_COLUMNS[table].join(', ');
  return `INSERT INTO ${table}_fts (${table}_fts, rowid, ${cols}) SELECT 'delete', rid, ${cols} FROM ${table}_search WHERE rid = ${keyOf(table, by)}`;
}

/** Rebuilds every search index from its table: after a bulk load, or in a copy VACUUM renumbered. */
export function rebuildSearch(db: Db): void {
  for (const t of Object.keys(FTS_TABLES)) db.prepare(`INSERT INTO ${t}_fts (${t}_fts) VALUES ('rebuild')`).run();
}

/**
 * The upkeep statements, prepared once per connection: the folding views expand into a large
 * expression, and preparing it costs about a millisecond, more than running it.
 */
const prepared = new WeakMap<Db, Map<string, Statement>>();

export function ftsStatement(db: Db, kind: 'add' | 'delete', table: SearchTable, by: 'id' | 'rowid'): Statement {
  let m = prepared.get(db);
  if (!m) prepared.set(db, (m = new Map()));
  const key = `${kind}:${table}:${by}`;
  let st = m.get(key);
  if (!st) m.set(key, (st = db.prepare(kind === 'add' ? ftsAddSql(table, by) : ftsDeleteSql(table, by))));
  return st;
}
