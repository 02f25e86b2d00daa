import type { ColumnFilter, Cursor, FilterModel, SortModel } from '../shared/contract';
import { FIELDS, type Field } from '../shared/domain/fields';
import type { GridTable } from '../shared/domain/common';
import { CasefileError } from './errors';
import type { Db } from './open';

/**
 * Grid queries: the filter model becomes a parameterised WHERE clause (column names come only
 * from the field registry, values only as parameters), and pages are read by keyset: after the
 * (sort value, id) of the last row seen, never with OFFSET.
 */
type Sql = { sql: string; params: (string | number | null)[] };

const META_COLS: Record<string, Field> = {
  created_at: { name: 'created_at', label: 'Created', kind: 'text' },
  updated_at: { name: 'updated_at', label: 'Updated', kind: 'text' },
  author: { name: 'author', label: 'Author', kind: 'text' },
};

export function columnOf(table: GridTable, name: string): Field {
  const f = (FIELDS[table] as readonly Field[]).find((x) => x.name === name) ?? META_COLS[name];
  if (!f) throw new CasefileError('validation', `${table} has no column "${name}"`, name);
  return f;
}

function filterSql(col: string, f: ColumnFilter, kind: Field['kind']): Sql {
  switch (f.type) {
    case 'text': {
      if (f.op === 'blank') return { sql: `(${col} IS NULL OR ${col} = '')`, params: [] };
      if (f.op === 'notBlank') return { sql: `(${col} IS NOT NULL AND ${col} <> '')`, params: [] };
      if (f.value === '') return { sql: '1', params: [] };
      if (f.op === 'equals') return { sql: `${col} = ? COLLATE NOCASE`, params: [f.value] };
      const esc = f.value.replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = f.op === 'startsWith' ? `${esc}%` : `%${esc}%`;
      return { sql: `${col} LIKE ? ESCAPE '\\'`, params: [pattern] };
    }
    case 'number': {
      const parts: string[] = [];
      const params: number[] = [];
      if (f.min !== null) {
        parts.push(`${col} >= ?`);
        params.push(f.min);
      }
      if (f.max !== null) {
        parts.push(`${col} <= ?`);
        params.push(f.max);
      }
      return { sql: parts.length ? parts.join(' AND ') : '1', params };
    }
    case 'date': {
      // Dates are text truncated to their precision; an imprecise date is in a range when the
      // period it names starts inside it, which text comparison gives directly.
      const parts: string[] = [];
      const params: string[] = [];
      if (f.from) {
        parts.push(`${col} >= ?`);
        params.push(f.from);
      }
      if (f.to) {
        parts.push(`${col} <= ?`);
        params.push(`${f.to}\uffff`);
      }
      return { sql: parts.length ? parts.join(' AND ') : '1', params };
    }
    case 'set': {
      if (f.values.length === 0) return { sql: '0', params: [] };
      const vals = f.values.filter((v): v is string => v !== null);
      const hasNull = vals.length !== f.values.length;
      const parts: string[] = [];
      if (vals.length) parts.push(`${col} IN (SELECT value FROM json_each(?))`);
      if (hasNull) parts.push(`${col} IS NULL`);
      void kind;
      return { sql: `(${parts.join(' OR ')})`, params: vals.length ? [JSON.stringify(vals)] : [] };
    }
  }
}

export function whereSql(table: GridTable, filter: FilterModel): Sql {
  const parts: string[] = [];
  const params: Sql['params'] = [];
  for (const [name, f] of Object.entries(filter.columns)) {
    const field = columnOf(table, name);
    const s = filterSql(field.name, f, field.kind);
    parts.push(s.sql);
    params.push(...s.params);
  }
  const q = filter.search.trim();
  const fts = q ? ftsQuery(q) : null;
  if (fts && (table === 'incidents' || table === 'sources')) {
    parts.push(`${table}.rowid IN (SELECT rowid FROM ${table}_fts WHERE ${table}_fts MATCH ?)`);
    params.push(fts);
  } else if (q) {
    const cols = (FIELDS[table] as readonly Field[]).filter((f) => f.fts || f.name === 'title' || f.name === 'measure');
    const esc = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(`(${cols.map((c) => `${c.name} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...cols.map(() => esc));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/**
 * A search box's text as an FTS5 query: each word a quoted prefix term, all required, so that
 * punctuation in the text is never read as query syntax.
 */
export function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).map((w) => w.replace(/"/g, '')).filter((w) => w.length > 0);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

type PageOpts = { sort: SortModel; filter: FilterModel; after: Cursor | null; limit: number };

export function page(db: Db, table: GridTable, o: PageOpts): { rows: Record<string, unknown>[]; next: Cursor | null } {
  const w = whereSql(table, o.filter);
  const s = o.sort[0];
  const col = s ? columnOf(table, s.colId).name : null;
  const desc = s?.sort === 'desc';
  const where = [w.sql];
  const params = [...w.params];
  if (o.after) {
    const k = keysetAfter(col, desc, o.after);
    where.push(k.sql);
    params.push(...k.params);
  }
  const dir = desc ? 'DESC' : 'ASC';
  const order = col ? `${col} ${dir}, id ${dir}` : 'id ASC';
  const rows = db.prepare(`SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`).all(...params, o.limit) as Record<string, unknown>[];
  const last = rows.at(-1);
  const next = rows.length === o.limit && last ? { values: col ? [last[col] as string | number | null] : [], id: last.id as string } : null;
  return { rows, next };
}

/** Rows strictly after the cursor in (col, id) order; SQLite puts NULL first ascending. */
function keysetAfter(col: string | null, desc: boolean, c: Cursor): Sql {
  if (!col) return { sql: 'id > ?', params: [c.id] };
  const v = c.values[0] ?? null;
  if (!desc) {
    if (v === null) return { sql: `((${col} IS NULL AND id > ?) OR ${col} IS NOT NULL)`, params: [c.id] };
    return { sql: `(${col} > ? OR (${col} = ? AND id > ?))`, params: [v, v, c.id] };
  }
  if (v === null) return { sql: `(${col} IS NULL AND id < ?)`, params: [c.id] };
  return { sql: `(${col} < ? OR (${col} = ? AND id < ?) OR ${col} IS NULL)`, params: [v, v, c.id] };
}

export function count(db: Db, table: GridTable, filter: FilterModel): number {
  const w = whereSql(table, filter);
  return (db.prepare(`SELECT count(*) n FROM ${table} WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
}
