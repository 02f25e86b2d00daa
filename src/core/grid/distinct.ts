import type { FilterModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { columnOf, filterColumns, whereSql } from './filter-sql';
import { stmt } from '../db/statements';
import { cachedForView } from './view-cache';

export type DistinctValue = { value: string | null; count: number };
export type Distinct = { values: DistinctValue[]; truncated: boolean };

/**
 * The values of one column with how many rows of the view hold each, for a set filter: counted
 * under every other filter of the view (not the column's own, or unticking a value would hide it
 * from the list), most common first. `search` narrows the list for columns with thousands of
 * values (actors); an enum column lists every allowed value, also those no row has yet.
 */
export function distinct(
  db: Db,
  table: GridTable,
  column: string,
  filter: FilterModel,
  o: { search?: string; limit?: number } = {},
): Distinct {
  const field = columnOf(table, column);
  if (field.kind === 'int' || field.kind === 'real')
    throw new CasefileError('validation', `${field.label} is a number column: filter it by range`);
  const limit = o.limit ?? 1000;
  const search = (o.search ?? '').trim();
  const key = JSON.stringify(['distinct', table, field.name, filter, search, limit]);
  const others: FilterModel = {
    ...filter,
    columns: Object.fromEntries(Object.entries(filter.columns).filter(([c]) => c !== field.name)),
  };
  return cachedForView(db, key, table, [field.name, ...filterColumns(table, others)], () => {
    const w = whereSql(table, others);
    const params = [...w.params];
    let sql = `SELECT ${field.name} AS value, count(*) AS count FROM ${table} WHERE ${w.sql}`;
    if (search) {
      sql += ` AND ${field.name} LIKE ? ESCAPE '\\'`;
      params.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    sql += ` GROUP BY ${field.name} ORDER BY count DESC, value ASC LIMIT ?`;
    const rows = stmt(db, sql).all(...params, limit + 1) as DistinctValue[];
    const truncated = rows.length > limit;
    const values = rows.slice(0, limit);
    if (field.values && !truncated) {
      const needle = search.toLowerCase();
      for (const v of field.values)
        if (!values.some((x) => x.value === v) && v.toLowerCase().includes(needle)) values.push({ value: v, count: 0 });
    }
    return { values, truncated };
  });
}
