import type { ColumnFilter, FilterModel } from '../../shared/contract';
import type { GridTable } from '../../shared/domain/common';
import { CasefileError } from '../errors';
import { columnOf, periodOf } from '../grid/filter-sql';

/**
 * The command line's filter syntax, translated to the grid's FilterModel (so `casefile export
 * --where` selects exactly the rows the grid shows with the same filters). One condition per
 * --where, all required (AND); the grammar is the one `export --format casefile` reads
 * (exchange/where.ts), `[table.]` prefix included:
 *
 *   column=value           equals (text: case-insensitive; an enum: one of its values; a date
 *                          column: the day, month or year it names)
 *   column=a|b|c           any of these exact values, as the grid's set filter ("\|" for a bar)
 *   column=                no value (blank)
 *   column~text            contains text (case-insensitive for ASCII)
 *   column>=x, column<=x   number or date range, inclusive; dates as YYYY, YYYY-MM or YYYY-MM-DD,
 *                          and a row counts when the whole period of its date is inside
 */
const CONDITION = /^(?:([a-z]+)\.)?([a-z][a-z0-9_]*)\s*(>=|<=|~|=)(.*)$/s;

export function whereToFilter(table: GridTable, conditions: readonly string[], search = ''): FilterModel {
  const columns: Record<string, ColumnFilter> = {};
  for (const raw of conditions) {
    const at = `--where "${raw.slice(0, 80)}"`;
    if (/!=|<>/.test(raw))
      throw new CasefileError('validation', `${at}: "not equal" is not supported; use =, ~, >= or <=`);
    const m = CONDITION.exec(raw.trim());
    if (!m) throw new CasefileError('validation', `${at}: expected column=value, column~text, column>=x or column<=x`);
    const [, prefix, name, op, rawValue] = m as unknown as [string, string | undefined, string, string, string];
    if (prefix !== undefined && prefix !== table)
      throw new CasefileError('validation', `${at}: this export is of ${table}, not ${prefix}`);
    const value = rawValue.trim().replace(/^(['"])(.*)\1$/s, '$2');
    let field;
    try {
      field = columnOf(table, name);
    } catch {
      throw new CasefileError('validation', `${at}: ${table} has no column "${name}"`);
    }
    const numeric = field.kind === 'int' || field.kind === 'real';
    const isDate = field.kind === 'date' || /^(period_start|period_end)$/.test(field.name);
    const prev = columns[field.name];
    const twice = () =>
      new CasefileError(
        'validation',
        `${at}: ${field.label} already has a condition that this one cannot be combined with`,
      );
    if (op === '~') {
      if (prev) throw twice();
      columns[field.name] = { type: 'text', op: 'contains', value };
    } else if (op === '=') {
      if (prev) throw twice();
      if (numeric) {
        const n = number(value, at);
        columns[field.name] = { type: 'number', min: n, max: n };
      } else if (isDate && value !== '') {
        periodOf(value, at);
        columns[field.name] = { type: 'date', from: value, to: value };
      } else if (value === '') {
        columns[field.name] = { type: 'set', values: [null] };
      } else {
        const values = value.split(/(?<!\\)\|/).map((v) => v.replace(/\\\|/g, '|').trim());
        if (field.values) {
          const canon = values.map((v) => field.values!.find((x) => x.toLowerCase() === v.toLowerCase()));
          const bad = values.find((_, i) => canon[i] === undefined);
          if (bad !== undefined)
            throw new CasefileError('validation', `${at}: "${bad}" is not one of ${field.values.join(', ')}`);
          columns[field.name] = { type: 'set', values: canon as string[] };
        } else
          columns[field.name] =
            values.length === 1 ? { type: 'text', op: 'equals', value: values[0]! } : { type: 'set', values };
      }
    } else if (numeric) {
      const n = number(value, at);
      if (prev && prev.type !== 'number') throw twice();
      const cur = prev?.type === 'number' ? prev : { type: 'number' as const, min: null, max: null };
      columns[field.name] = op === '>=' ? { ...cur, min: n } : { ...cur, max: n };
    } else if (isDate) {
      periodOf(value, at);
      if (prev && prev.type !== 'date') throw twice();
      const cur = prev?.type === 'date' ? prev : { type: 'date' as const, from: null, to: null };
      columns[field.name] = op === '>=' ? { ...cur, from: value } : { ...cur, to: value };
    } else {
      throw new CasefileError('validation', `${at}: ${field.label} is text; use ${name}=value or ${name}~text`);
    }
  }
  return { columns, search };
}

function number(s: string, at: string): number {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(s))
    throw new CasefileError('validation', `${at}: "${s.slice(0, 40)}" is not a number`);
  return Number(s);
}
