import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../db/open';

/**
 * The index that delivers a one-column sort in its keyset order, and the tie-breaker of that
 * order: an index on (column) alone, whose entries end with the rowid, gives (column, rowid); an
 * index on (column, id) gives (column, id) (incidents_date). An index with other columns after
 * the sorted one is not used for the order: its order would break ties by those columns, so that
 * editing, say, fatalities would move a row within a view sorted by actor. Read from the schema,
 * so whatever indexes the migrations create are used; with none, the key is (column, rowid) all
 * the same, produced by a sort.
 */
type Completion = { tie: 'id' | 'rowid'; index: string | null };
const memo = new WeakMap<Db, Map<string, Completion>>();

export function completionFor(db: Db, table: GridTable, col: string): Completion {
  let m = memo.get(db);
  if (!m) memo.set(db, (m = new Map()));
  const key = `${table}.${col}`;
  let c = m.get(key);
  if (c) return c;
  c = { tie: 'rowid', index: null };
  const list = db.prepare(`PRAGMA index_list(${table})`).all() as { name: string; partial: number; origin: string }[];
  for (const ix of list.sort((a, b) => a.name.localeCompare(b.name))) {
    if (ix.partial || ix.origin === 'pk') continue;
    const cols = (
      db.prepare(`PRAGMA index_info(${JSON.stringify(ix.name)})`).all() as { seqno: number; name: string | null }[]
    )
      .sort((a, b) => a.seqno - b.seqno)
      .map((x) => x.name);
    if (cols.length === 2 && cols[0] === col && cols[1] === 'id') {
      c = { tie: 'id', index: ix.name };
      break;
    }
    if (cols.length === 1 && cols[0] === col && c.index === null) c = { tie: 'rowid', index: ix.name };
  }
  m.set(key, c);
  return c;
}
