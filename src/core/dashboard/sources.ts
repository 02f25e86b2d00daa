import type { SourceLine } from '../../shared/channels/dashboard';
import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { cachedAnswer } from './selection';
import type { Sql } from './sql';

const MAX_TITLES = 8;
/** Up to this many matching rows, the source line follows the rows' citations. */
const FEW_ROWS = 2_000;

/**
 * Distinct titles of the sources cited by the rows a chart counted, for its source line. Two
 * plans, by how many rows matched: few, follow their citations (two seeks a row); many, ask
 * each source (sources are few) whether it cites a matching row, which stops at the first one
 * found, and finds one soon when the rows are many. Charts with the same rows share the answer.
 */
export function sourceLine(db: Db, table: GridTable, rows: Sql, matched: number): SourceLine {
  if (matched === 0) return { titles: [], more: 0 };
  return cachedAnswer(db, ['sources', table, rows], () => {
    let titles: { title: string }[];
    if (rows.sql === '1') {
      titles = db
        .prepare(
          `SELECT s.title FROM sources s WHERE EXISTS (SELECT 1 FROM citations c WHERE c.source_id = s.id AND c.target_table = ?) ORDER BY s.title`,
        )
        .all(table) as { title: string }[];
    } else if (matched <= FEW_ROWS) {
      titles = db
        .prepare(
          `SELECT s.title FROM sources s WHERE s.id IN (
             SELECT c.source_id FROM citations c WHERE c.target_table = ? AND c.target_id IN (SELECT id FROM ${table} WHERE ${rows.sql}))
           ORDER BY s.title`,
        )
        .all(table, ...rows.params) as { title: string }[];
    } else {
      titles = db
        .prepare(
          `SELECT s.title FROM sources s WHERE EXISTS (
             SELECT 1 FROM citations c WHERE c.source_id = s.id AND c.target_table = ?
               AND EXISTS (SELECT 1 FROM ${table} WHERE ${table}.id = c.target_id AND ${rows.sql}))
           ORDER BY s.title`,
        )
        .all(table, ...rows.params) as { title: string }[];
    }
    return { titles: titles.slice(0, MAX_TITLES).map((r) => r.title), more: Math.max(0, titles.length - MAX_TITLES) };
  });
}
