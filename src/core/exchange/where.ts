import { GRID_TABLES, type GridTable } from '../../shared/domain/common';
import { FIELDS, type Field } from '../../shared/domain/fields';
import type { ExportScope } from '../../shared/channels/exchange';
import { CasefileError } from '../errors';
import { whereToFilter } from '../export/where';

/**
 * `--where` conditions of `casefile export --format casefile`, in the grammar of the table export
 * (export/where.ts: `[table.]column=value`, `=a|b`, `~text`, `>=x`, `<=x`), applied to a whole
 * case file: a condition without a table applies to every grid table that has the column, and a
 * table is exported when every such condition applies to it (plus its own prefixed ones). So
 * `admin1=Kunar date>=2022` exports incidents (which have both) but not figures (no date) nor
 * plots (no admin1). Sources, citations and comments those rows need follow them.
 */
const HEAD = /^\s*(?:([a-z]+)\.)?([a-z][a-z0-9_]*)\s*(?:>=|<=|~|=)/;

const hasField = (t: GridTable, name: string) => (FIELDS[t] as readonly Field[]).some((f) => f.name === name);

export function whereToScope(where: readonly string[]): ExportScope {
  const conds = where.map((raw) => {
    if (/!=|<>/.test(raw))
      throw new CasefileError(
        'validation',
        `--where "${raw.slice(0, 80)}": "not equal" is not supported; use =, ~, >= or <=`,
      );
    const m = HEAD.exec(raw);
    if (!m)
      throw new CasefileError(
        'validation',
        `--where "${raw.slice(0, 80)}" is not a condition (column=value, column~text, column>=x or column<=x)`,
      );
    const [, table, field] = m as unknown as [string, string | undefined, string];
    if (table !== undefined && !(GRID_TABLES as readonly string[]).includes(table)) {
      throw new CasefileError(
        'validation',
        `--where "${raw.slice(0, 80)}": no table "${table}" (${GRID_TABLES.join(', ')})`,
      );
    }
    if (table !== undefined && !hasField(table as GridTable, field))
      throw new CasefileError('validation', `--where "${raw.slice(0, 80)}": ${table} has no field "${field}"`, field);
    if (table === undefined && !GRID_TABLES.some((t) => hasField(t, field)))
      throw new CasefileError('validation', `--where "${raw.slice(0, 80)}": no table has a field "${field}"`, field);
    return { raw, table: (table as GridTable | undefined) ?? null, field };
  });
  const plain = conds.filter((c) => c.table === null);
  const scope: ExportScope = {};
  for (const t of GRID_TABLES) {
    const own = conds.filter((c) => c.table === t);
    if ((plain.length === 0 && own.length === 0) || !plain.every((c) => hasField(t, c.field))) continue;
    scope[t] = whereToFilter(
      t,
      [...plain, ...own].map((c) => c.raw),
    );
  }
  if (Object.keys(scope).length === 0)
    throw new CasefileError(
      'validation',
      `--where: no table has all of ${plain.map((c) => c.field).join(', ')}; nothing would be exported`,
    );
  return scope;
}
