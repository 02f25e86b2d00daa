import type { FilterModel } from '../../shared/contract';
import type { Db } from '../db/open';
import type { SearchTable } from '../db/search';
import { ftsQuery, whereSql } from './filter-sql';
import { stmt } from '../db/statements';

/**
 * A search's best matches, by FTS5's bm25 relevance: what the grid's "Best matches" panel
 * lists beside a view that is in the table's own order.
 *
 * - Ranked by the row's own text (for an incident: description, place, actors, kind). The grid's
 *   search also finds an incident by the text of a source it cites; such a row is in the grid but
 *   has no score of its own here.
 * - Without column filters the ranking is read from the search index alone and only the rows
 *   listed are read from the table (the benchmark's "ranked top 100"). With column filters every
 *   match is ranked and then filtered, which reads each match's row.
 * - Each match carries a snippet: a few words of its best-matching column around the terms found,
 *   the terms between SNIPPET_OPEN and SNIPPET_CLOSE (control characters, so that the renderer
 *   can mark them without reading the text as markup; text that itself holds one of them only
 *   gets a mark misplaced, since every part is shown as text).
 */
export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';
const SNIPPET_WORDS = 24;

export type BestMatch = { row: Record<string, unknown>; score: number; snippet: string };

/**
 * The last answers per connection, each kept while the file has not changed since it was made.
 * A broad term ranks every match by bm25 (44k matches of "suicide" at a million incidents,
 * 25-45 ms on a busy machine), and the panel asks again for the same search whenever the grid
 * refreshes (a page scrolled, a column resized, a window focused). Whether anything changed is
 * asked of SQLite, not of the change events: `total_changes()` counts every row this connection
 * wrote (the app's edits, undo, upkeep), `PRAGMA data_version` moves when any other connection
 * committed (an import's or a merge's worker). Both cost microseconds.
 */
const CACHED = 16;
type Cached = { key: string; at: string; answer: readonly BestMatch[] };
const answers = new WeakMap<Db, Cached[]>();

/** Drops the kept answers of a connection: the benchmark's first-ask figure ranks every time. */
export function forgetBestMatches(db: Db): void {
  answers.delete(db);
}

function changeStamp(db: Db): string {
  return `${stmt(db, 'SELECT total_changes()').pluck().get() as number}:${db.pragma('data_version', { simple: true }) as number}`;
}

/**
 * `snippets: false` leaves them empty: the ranking alone (the benchmark's "ranked top 100").
 * The answer is frozen: a later call with the same search on an unchanged file returns it again.
 */
export function bestMatches(
  db: Db,
  table: SearchTable,
  filter: FilterModel,
  limit = 100,
  opts: { snippets?: boolean } = {},
): readonly BestMatch[] {
  const q = ftsQuery(filter.search);
  if (q === null) return [];
  const key = JSON.stringify([table, q, filter.columns, limit, opts.snippets !== false]);
  const at = changeStamp(db);
  let kept = answers.get(db);
  if (!kept) answers.set(db, (kept = []));
  const hit = kept.findIndex((c) => c.key === key);
  if (hit !== -1 && kept[hit]!.at === at) return kept[hit]!.answer;
  if (hit !== -1) kept.splice(hit, 1);
  const answer = Object.freeze(rank(db, table, filter, q, limit, opts).map((m) => Object.freeze(m)));
  kept.push({ key, at, answer });
  if (kept.length > CACHED) kept.shift();
  return answer;
}

function rank(
  db: Db,
  table: SearchTable,
  filter: FilterModel,
  q: string,
  limit: number,
  opts: { snippets?: boolean },
): BestMatch[] {
  const fts = `${table}_fts`;
  const filtered = whereSql(table, { columns: filter.columns, search: '' });
  const ranked = (
    filtered.sql === '1'
      ? stmt(
          db,
          `SELECT ${table}.*, m.r AS _rowid, m.score AS _score FROM (SELECT rowid AS r, bm25(${fts}) AS score FROM ${fts} WHERE ${fts} MATCH ? ORDER BY score LIMIT ?) m
           JOIN ${table} ON ${table}.rowid = m.r ORDER BY m.score`,
        ).all(q, limit)
      : stmt(
          db,
          `SELECT ${table}.*, m.r AS _rowid, m.score AS _score FROM (SELECT rowid AS r, bm25(${fts}) AS score FROM ${fts} WHERE ${fts} MATCH ?) m
           JOIN ${table} ON ${table}.rowid = m.r WHERE ${filtered.sql} ORDER BY m.score LIMIT ?`,
        ).all(q, ...filtered.params, limit)
  ) as (Record<string, unknown> & { _rowid: number; _score: number })[];
  // The snippets of the listed rows only, in one pass over the matches: asked in the ranking
  // query they would be made for every match, and a rowid constraint FTS5 sees (rowid = ?, or
  // IN) runs the whole query again per row (300 ms for 100 prefix matches at a million rows).
  // `+rowid` keeps the list out of FTS5's hands: SQLite filters the matches, 5 ms.
  const snippets = new Map<number, string>();
  if (ranked.length > 0 && opts.snippets !== false) {
    const rows = stmt(
      db,
      `SELECT rowid AS r, snippet(${fts}, -1, ?, ?, '…', ${SNIPPET_WORDS}) AS s FROM ${fts} WHERE ${fts} MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
    ).all(SNIPPET_OPEN, SNIPPET_CLOSE, q, JSON.stringify(ranked.map((r) => r._rowid))) as { r: number; s: string }[];
    for (const r of rows) snippets.set(r.r, r.s);
  }
  return ranked.map(({ _rowid, _score, ...row }) => ({ row, score: _score, snippet: snippets.get(_rowid) ?? '' }));
}
