import type { ColumnFilter, FilterModel } from '../../shared/contract';
import { FIELDS, type Field } from '../../shared/domain/fields';
import type { GridTable } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import { FTS_TABLES } from '../db/migrations';
import { ALIAS_COLUMNS, aliasKindOf, type AliasKind } from '../../shared/domain/aliases';
import { groupNamesSql, likeEscaped, phraseOf } from '../aliases/alias-sql';

/**
 * The one filter model (column filters + quick search) as a parameterised WHERE clause. Column
 * names come only from the field registry, values only as parameters: a name that is not a field
 * of the table is refused, never spliced into SQL.
 */
export type Sql = { sql: string; params: (string | number | null)[] };

const META_COLS: Record<string, Field> = {
  created_at: { name: 'created_at', label: 'Created', kind: 'text' },
  updated_at: { name: 'updated_at', label: 'Updated', kind: 'text' },
  author: { name: 'author', label: 'Author', kind: 'text' },
};

/** Text columns that hold dates without a precision field beside them (figures' periods). */
const DATE_LIKE = new Set(['period_start', 'period_end', 'accessed', 'created_at', 'updated_at']);

export function columnOf(table: GridTable, name: string): Field {
  const f = Object.hasOwn(META_COLS, name)
    ? META_COLS[name]
    : (FIELDS[table] as readonly Field[]).find((x) => x.name === name);
  if (!f) throw new CasefileError('validation', `${table} has no column "${String(name).slice(0, 64)}"`);
  return f;
}

const DATE_INPUT = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

/** First and last day of the period a date names: '2022' -> 2022-01-01 .. 2022-12-31. */
export function periodOf(
  text: string,
  label: string,
): { first: string; last: string; precision: 'day' | 'month' | 'year' } {
  const m = DATE_INPUT.exec(text.trim());
  if (!m)
    throw new CasefileError(
      'validation',
      `${label}: "${text.slice(0, 40)}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`,
    );
  const [, y, mo, d] = m as unknown as [string, string, string | undefined, string | undefined];
  if (d !== undefined) {
    const last = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    if (Number(d) > last) throw new CasefileError('validation', `${label}: "${text}" is not a calendar date`);
    return { first: `${y}-${mo}-${d}`, last: `${y}-${mo}-${d}`, precision: 'day' };
  }
  if (mo !== undefined) {
    const last = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    return { first: `${y}-${mo}-01`, last: `${y}-${mo}-${String(last).padStart(2, '0')}`, precision: 'month' };
  }
  return { first: `${y}-01-01`, last: `${y}-12-31`, precision: 'year' };
}

/**
 * A date range over dates stored truncated to their precision ('2022', '2022-07', '2022-07-15').
 * A row is in the range when the whole period its date names lies inside it: '2022-07' is in
 * 2022-07-01..2022-09-30, '2022' is not (it may be any day of 2022). That is the rule the
 * dashboard uses when it sets a period, so the grid and the charts count the same rows.
 *
 * Both bounds stay index-friendly: as text, a stored date's period starts on or after F exactly
 * when the date is >= F, or F begins a month or year and the date is that month or year; and it
 * ends on or before T when the date is <= T and is not a month or year T falls inside of
 * (unless T is that period's last day).
 */
function dateRange(col: string, from: string | null, to: string | null, label: string): Sql {
  const parts: string[] = [];
  const params: string[] = [];
  if (from) {
    const f = periodOf(from, label).first;
    const lower = f.endsWith('-01-01') ? f.slice(0, 4) : f.endsWith('-01') ? f.slice(0, 7) : f;
    parts.push(`${col} >= ?`);
    params.push(lower);
  }
  if (to) {
    const t = periodOf(to, label).last;
    const monthEnd = periodOf(t.slice(0, 7), label).last === t;
    const yearEnd = t.endsWith('-12-31');
    parts.push(`${col} <= ? AND ${col} NOT IN (?, ?)`);
    // '' is never a stored date: it stands for "nothing to exclude".
    params.push(t, monthEnd ? '' : t.slice(0, 7), yearEnd ? '' : t.slice(0, 4));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

function filterSql(col: string, f: ColumnFilter, field: Field, kind: AliasKind | null): Sql {
  switch (f.type) {
    case 'text': {
      if (f.op === 'blank') return { sql: `(${col} IS NULL OR ${col} = '')`, params: [] };
      if (f.op === 'notBlank') return { sql: `(${col} IS NOT NULL AND ${col} <> '')`, params: [] };
      if (f.value === '') return { sql: '1', params: [] };
      const aliased = kind !== null && !f.exact;
      if (f.op === 'equals') {
        if (!aliased) return { sql: `${col} = ? COLLATE NOCASE`, params: [f.value] };
        return {
          sql: `(${col} = ? COLLATE NOCASE OR ${col} COLLATE NOCASE IN (${groupNamesSql(kind)}))`,
          params: [f.value, JSON.stringify([f.value.trim()])],
        };
      }
      const esc = f.value.replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = f.op === 'startsWith' ? `${esc}%` : `%${esc}%`;
      if (!aliased) return { sql: `${col} LIKE ? ESCAPE '\\'`, params: [pattern] };
      // The typed text as written, or any name of the actor or place it is an alias of.
      const around = f.op === 'startsWith' ? '' : `'%' || `;
      return {
        sql: `(${col} LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM (${groupNamesSql(kind)}) n WHERE ${col} LIKE ${around}${likeEscaped('n.name')} || '%' ESCAPE '\\'))`,
        params: [pattern, JSON.stringify([f.value.trim()])],
      };
    }
    case 'number': {
      if (field.kind !== 'int' && field.kind !== 'real')
        throw new CasefileError('validation', `${field.label} is not a number column: it cannot have a number range`);
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
      if (field.kind !== 'date' && !DATE_LIKE.has(field.name))
        throw new CasefileError('validation', `${field.label} is not a date column: it cannot have a date range`);
      return dateRange(col, f.from, f.to, field.label);
    }
    case 'set': {
      if (f.values.length === 0) return { sql: '0', params: [] };
      const text = f.values.filter((v): v is string => v !== null);
      const hasNull = text.length !== f.values.length;
      // Values cross the boundary as text; a number column (STRICT) holds numbers, compared as such.
      const numeric = field.kind === 'int' || field.kind === 'real';
      const vals: (string | number)[] = numeric ? text.map(Number).filter(Number.isFinite) : text;
      const parts: string[] = [];
      const params: (string | number)[] = [];
      // One parameter however many values: the statement text (and its cached plan) stays the same.
      if (kind !== null && !f.exact && !numeric && text.length) {
        // A ticked name brings the other names of its actor or place, unless the filter asks for
        // exactly these. One IN over both, so an index on the column still answers it.
        parts.push(`${col} IN (SELECT value FROM json_each(?) UNION SELECT name FROM (${groupNamesSql(kind)}))`);
        params.push(JSON.stringify(text), JSON.stringify(text));
      } else if (vals.length === 1) {
        parts.push(`${col} = ?`);
        params.push(vals[0]!);
      } else if (vals.length) {
        parts.push(`${col} IN (SELECT value FROM json_each(?))`);
        params.push(JSON.stringify(vals));
      }
      if (hasNull) parts.push(`${col} IS NULL`);
      return { sql: parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`, params };
    }
  }
}

/** Columns the search box reads where a table has no FTS index (plots, figures). */
function likeColumns(table: GridTable): string[] {
  return (FIELDS[table] as readonly Field[])
    .filter((f) => f.kind === 'text' || f.kind === 'longtext')
    .map((f) => f.name);
}

export function whereSql(table: GridTable, filter: FilterModel, opts: { except?: string } = {}): Sql {
  const parts: string[] = [];
  const params: Sql['params'] = [];
  for (const name of Object.keys(filter.columns).sort()) {
    if (name === opts.except) continue;
    const field = columnOf(table, name);
    const s = filterSql(field.name, filter.columns[name]!, field, aliasKindOf(table, field.name));
    if (s.sql === '1') continue;
    parts.push(s.sql);
    params.push(...s.params);
  }
  const q = filter.search.trim();
  if (q) {
    if (Object.hasOwn(FTS_TABLES, table)) {
      const fts = ftsQuery(q);
      if (fts === null) parts.push('0');
      else {
        parts.push(`${table}.rowid IN (SELECT rowid FROM ${table}_fts WHERE ${table}_fts MATCH ?)`);
        params.push(fts);
        if (table === 'incidents') {
          // An incident is also found by the sources it cites: all the words in the text of one
          // cited source (title, authors, key, notes), e.g. "Pajhwok" or "Amaq". The matching
          // sources lead (CROSS JOIN fixes the order), each to its own citations by source_id;
          // the unary + keeps target_table from choosing citations_target instead, whose first
          // column is the same for every incident's citation: the planner read all of them
          // (every imported incident cites its dataset), 0.6 s at 100k rows for each chart of
          // the dashboard under a search.
          parts[parts.length - 1] =
            `(${parts.at(-1)} OR incidents.id IN (SELECT c.target_id FROM sources s CROSS JOIN citations c
            WHERE s.rowid IN (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?) AND c.source_id = s.id AND +c.target_table = 'incidents'))`;
          params.push(fts);
          // A search that is one of an actor's or a place's names also finds rows naming it by another.
          parts[parts.length - 1] =
            `(${parts.at(-1)} OR incidents.rowid IN (SELECT incidents_fts.rowid FROM (${groupNamesSql('any', true)}) n, incidents_fts
            WHERE incidents_fts MATCH ${phraseOf('n.name')}))`;
          params.push(JSON.stringify([q]));
        }
      }
    } else {
      const cols = likeColumns(table);
      const esc = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const named = Object.keys(ALIAS_COLUMNS[table]);
      const aliased = named.length
        ? ` OR EXISTS (SELECT 1 FROM (${groupNamesSql('any', true)}) n WHERE ${named.map((c) => `${c} LIKE '%' || ${likeEscaped('n.name')} || '%' ESCAPE '\\'`).join(' OR ')})`
        : '';
      parts.push(`(${cols.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')}${aliased})`);
      params.push(...cols.map(() => esc));
      if (aliased) params.push(JSON.stringify([q]));
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** The columns a filter model reads (to tell which edits can change its rows). */
export function filterColumns(table: GridTable, filter: FilterModel): string[] {
  const cols = Object.keys(filter.columns);
  if (filter.search.trim()) {
    const fts = FTS_TABLES[table as keyof typeof FTS_TABLES] as readonly string[] | undefined;
    cols.push(...(fts ?? likeColumns(table)));
  }
  return cols;
}

// ---- search text -> FTS5 query --------------------------------------------------------------

const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const ALEFS = ['\u0627', '\u0623', '\u0625', '\u0622'];
const ALEF_RE = /[\u0627\u0623\u0625\u0622\u0671]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const MAX_WORDS = 16;

/**
 * Spellings the unicode61 tokenizer does not fold but readers treat as one word: Arabic hamza on
 * the word's first alef (after the article or a one-letter prefix), final yaa / alif maqsura and
 * taa marbuta / haa; Russian ё written as е. Vowel marks and tatweel are dropped from the query.
 */
function variants(word: string): string[] {
  const out = new Set<string>([word]);
  if (/[\u0600-\u06ff]/.test(word)) {
    let forms = [word];
    const m = /^(?:[\u0648\u0641\u0628\u0644\u0643])?(?:\u0627\u0644)?/.exec(word);
    const start = m ? m[0].length : 0;
    const at = word.slice(start).search(ALEF_RE);
    if (at !== -1) {
      const i = start + at;
      forms = ALEFS.map((a) => word.slice(0, i) + a + word.slice(i + 1));
    }
    const last = word.at(-1);
    const swap =
      last === '\u064a'
        ? '\u0649'
        : last === '\u0649'
          ? '\u064a'
          : last === '\u0629'
            ? '\u0647'
            : last === '\u0647'
              ? '\u0629'
              : null;
    if (swap) forms = forms.flatMap((f) => [f, f.slice(0, -1) + swap]);
    for (const f of forms) out.add(f);
  }
  if (/ё/i.test(word)) out.add(word.replace(/ё/g, 'е').replace(/Ё/g, 'Е'));
  return [...out];
}

/**
 * A search box's text as an FTS5 query: each word a quoted prefix term, all required, so that
 * punctuation in the text is never read as query syntax. Words with no letter or digit are
 * dropped; null when nothing is left to search for.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .replace(ARABIC_MARKS, '')
    // Persian keheh and farsi yeh, as the index folds them (migrations/005-search-folding.ts).
    .replace(/\u06a9/g, '\u0643')
    .replace(/\u06cc/g, '\u064a')
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => WORD_CHAR.test(w))
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  return words
    .map((w) => {
      const vs = variants(w).map((v) => `"${v}"*`);
      return vs.length === 1 ? vs[0] : `(${vs.join(' OR ')})`;
    })
    .join(' AND ');
}
