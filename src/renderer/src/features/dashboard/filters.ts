import type { ColumnFilter, FilterModel } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { fieldOf } from '../../../../shared/domain/fields';
import { setFilter } from '../../lib/filter-store';
import { chartLabel } from './labels';

/**
 * The dashboard's edits to the one filter model per table (lib/filter-store.ts), and the words
 * that describe a filter in chips, subtitles and exports.
 */

/** The filter without the filters on a chart's own columns (as the core reads it). */
export function scoped(filter: FilterModel, own: readonly string[]): FilterModel {
  return {
    columns: Object.fromEntries(Object.entries(filter.columns).filter(([k]) => !own.includes(k))),
    search: filter.search,
  };
}

export function setColumn(table: GridTable, column: string, f: ColumnFilter | null): void {
  setFilter(table, (prev) => {
    const columns = { ...prev.columns };
    if (f) columns[column] = f;
    else delete columns[column];
    return { ...prev, columns };
  });
}

/**
 * A click on a bar: filter on its values, or drop them if they are already the filter. With
 * Ctrl, Cmd or Shift, add them to (or take them from) the values already chosen.
 */
export function toggleValues(
  table: GridTable,
  column: string,
  values: (string | null)[],
  current: FilterModel,
  additive: boolean,
): void {
  const prev = current.columns[column];
  const had = prev?.type === 'set' ? prev.values : [];
  const same = had.length === values.length && values.every((v) => had.includes(v));
  if (!additive) return setColumn(table, column, same ? null : { type: 'set', values });
  const all = values.every((v) => had.includes(v));
  const next = all ? had.filter((v) => !values.includes(v)) : [...had, ...values.filter((v) => !had.includes(v))];
  setColumn(table, column, next.length ? { type: 'set', values: next } : null);
}

/** Values chosen on a column (a set filter), for highlighting bars. */
export function chosen(filter: FilterModel, column: string): (string | null)[] | null {
  const f = filter.columns[column];
  return f?.type === 'set' ? f.values : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function formatDate(d: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(d);
  if (!m) return d;
  const mon = MONTHS[Number(m[2]) - 1] ?? m[2];
  return m[3] ? `${Number(m[3])} ${mon} ${m[1]}` : `${mon} ${m[1]}`;
}

function describeValue(v: string | null): string {
  return v === null ? '(blank)' : v;
}

/** "Admin1: Kabul, Takhar", "Date: Mar 2022 – May 2022", "Fatalities: ≥ 10". */
export function describeColumn(table: GridTable, column: string, f: ColumnFilter): string {
  const label = fieldOf(table, column)?.label ?? column;
  switch (f.type) {
    case 'set': {
      const shown = f.values
        .slice(0, 3)
        .map((v) => chartLabel(describeValue(v), 40))
        .join(', ');
      return f.values.length === 0
        ? `${label}: none`
        : `${label}: ${shown}${f.values.length > 3 ? ` and ${f.values.length - 3} more` : ''}`;
    }
    case 'date': {
      if (f.from && f.to)
        return f.from === f.to
          ? `${label}: ${formatDate(f.from)}`
          : `${label}: ${formatDate(f.from)} – ${formatDate(f.to)}`;
      return f.from
        ? `${label}: from ${formatDate(f.from)}`
        : f.to
          ? `${label}: until ${formatDate(f.to)}`
          : `${label}: any`;
    }
    case 'number':
      return `${label}: ${[f.min !== null ? `≥ ${f.min}` : '', f.max !== null ? `≤ ${f.max}` : ''].filter(Boolean).join(' and ') || 'any'}`;
    case 'text':
      return f.op === 'blank'
        ? `${label}: blank`
        : f.op === 'notBlank'
          ? `${label}: not blank`
          : `${label} ${f.op === 'equals' ? 'is' : f.op === 'startsWith' ? 'starts with' : 'contains'} “${chartLabel(f.value, 40)}”`;
  }
}

/** The whole filter in one line, for a chart's subtitle and its exports. */
export function describeFilter(table: GridTable, filter: FilterModel): string {
  const parts = Object.entries(filter.columns).map(([c, f]) => describeColumn(table, c, f));
  if (filter.search.trim()) parts.push(`search “${chartLabel(filter.search.trim(), 40)}”`);
  return parts.length ? `Filtered: ${parts.join('; ')}` : `All ${table}`;
}

/** A source title in a chart's footer is cut here (the full titles are listed under the chart). */
export const SOURCE_MAX = 80;

export function sourceText(s: { titles: string[]; more: number } | undefined, extra?: string): string {
  const list =
    s && s.titles.length
      ? `Sources: ${s.titles.map((t) => chartLabel(t, SOURCE_MAX)).join('; ')}${s.more ? `; and ${s.more} more` : ''}.`
      : 'Sources: none cited.';
  return extra ? `${list} ${extra}` : list;
}

/** "dates Feb 2020 to 2024" from the first and last stored dates (each at its own precision). */
export function spanText(span: { first: string | null; last: string | null } | undefined): string {
  if (!span?.first || !span.last) return 'no dates';
  return span.first === span.last
    ? `dated ${formatDate(span.first)}`
    : `dates ${formatDate(span.first)} to ${formatDate(span.last)}`;
}
