import type { AliasKind } from '../../shared/domain/aliases';

/**
 * SQL that widens a name to every name its actor or place has in the aliases table. Written as
 * subqueries rather than looked up in JS, so that every reader of the filter model (grid pages,
 * counts, set filters, the dashboard, exports) sees the aliases as they are in the same
 * transaction, with no cache to keep in step. The aliases table is small (hundreds of rows): the
 * subqueries cost microseconds. `kind` is one of two literals, never user text.
 */

/** Persian keheh and farsi yeh as the search index folds them (migration 005). */
export const arabicFold = (x: string) =>
  `replace(replace(${x}, char(0x06a9), char(0x0643)), char(0x06cc), char(0x064a))`;

/**
 * A subquery: every name of the actors (or places) that one of the given names belongs to, the
 * given names compared ignoring ASCII case (and, with `fold`, keheh and farsi yeh). One
 * parameter: the names as a JSON array. A name that belongs to no entity gives nothing.
 */
export function groupNamesSql(kind: AliasKind | 'any', fold = false): string {
  const f = fold ? arabicFold : (x: string) => x;
  const kindIs = (t: string) => (kind === 'any' ? '1' : `${t}.kind = '${kind}'`);
  return `WITH q(v) AS (SELECT ${f('value')} FROM json_each(?)),
    e(kind, entity) AS (SELECT a.kind, a.entity FROM aliases a WHERE ${kindIs('a')} AND a.status = 'same'
      AND (${f('a.name')} COLLATE NOCASE IN (SELECT v FROM q) OR ${f('a.entity')} COLLATE NOCASE IN (SELECT v FROM q)))
    SELECT g.name FROM aliases g WHERE g.status = 'same' AND (g.kind, g.entity) IN (SELECT kind, entity FROM e)
    UNION SELECT entity FROM e`;
}

/** `text` with LIKE's wildcards escaped (ESCAPE '\'), as SQL. */
export const likeEscaped = (text: string) => `replace(replace(replace(${text}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;

/**
 * The FTS5 query that finds a name as a phrase: in double quotes (a quote inside doubled), so its
 * punctuation is never query syntax, folded as the index folds.
 */
export const phraseOf = (name: string) => `'"' || replace(${arabicFold(name)}, '"', '""') || '"'`;

/** The names with every other name the aliases give their actors (or places), each once, the given ones first. */
export function withAliases(
  db: { prepare: (sql: string) => { pluck: () => { all: (...p: unknown[]) => unknown[] } } },
  kind: AliasKind,
  names: string[],
): string[] {
  if (names.length === 0) return names;
  const more = db.prepare(groupNamesSql(kind)).pluck().all(JSON.stringify(names)) as string[];
  const seen = new Set(names.map((n) => n.toLowerCase()));
  return [...names, ...more.filter((n) => !seen.has(n.toLowerCase()) && (seen.add(n.toLowerCase()), true))];
}
