import { z } from 'zod';

/** The tables a case file holds rows in. */
export const TABLES = [
  'sources',
  'incidents',
  'plots',
  'figures',
  'citations',
  'notes',
  'annotations',
  'aliases',
] as const;
export const TableName = z.enum(TABLES);
export type TableName = z.infer<typeof TableName>;

/**
 * Tables the change log records (and merge compares): the row tables, and attached files, which
 * are logged without their bytes. Not a TableName: attached files are no grid or rows.* table.
 */
export const LOGGED_TABLES = [...TABLES, 'attachments'] as const;
export const LoggedTable = z.enum(LOGGED_TABLES);
export type LoggedTable = z.infer<typeof LoggedTable>;

/** Tables shown in the grid. */
export const GRID_TABLES = ['incidents', 'plots', 'sources', 'figures'] as const;
export const GridTable = z.enum(GRID_TABLES);
export type GridTable = z.infer<typeof GridTable>;

export const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID');

/** Text a person typed: bounded so that a hostile input cannot exhaust memory. */
export const Text = (max = 10_000) => z.string().max(max, `longer than ${max} characters`);
export const OptText = (max = 10_000) => Text(max).nullable();

export const DatePrecision = z.enum(['day', 'week', 'month', 'year', 'unknown']);
export type DatePrecision = z.infer<typeof DatePrecision>;

/**
 * Dates are stored truncated to their precision, so that an imprecise date is never shown or
 * counted as if it were exact: day and week `YYYY-MM-DD` (a week is kept as ACLED does, at
 * mid-week), month `YYYY-MM`, year `YYYY`, unknown `null`. Text order is then time order.
 */
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

export function dateMatchesPrecision(date: string | null, precision: DatePrecision): string | null {
  if (precision === 'unknown') return date === null ? null : 'a date of unknown precision must be empty';
  if (date === null) return `a ${precision}-precision date is required`;
  if (precision === 'day' || precision === 'week') {
    if (!DAY.test(date) || !validDay(date)) return `"${date}" is not a date (YYYY-MM-DD)`;
  } else if (precision === 'month') {
    if (!MONTH.test(date)) return `"${date}" is not a month (YYYY-MM)`;
  } else if (!YEAR.test(date)) return `"${date}" is not a year (YYYY)`;
  return null;
}

function validDay(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** The precision a stored date string implies (the inverse of truncation). */
export function precisionOf(date: string | null): DatePrecision {
  if (date === null) return 'unknown';
  if (YEAR.test(date)) return 'year';
  if (MONTH.test(date)) return 'month';
  return 'day';
}

/** Columns every row has; written by the core, never by a client. */
export const RowMeta = z.object({
  id: Uuid,
  created_at: z.string(),
  updated_at: z.string(),
  author: z.string(),
});
export type RowMeta = z.infer<typeof RowMeta>;
export const META_FIELDS = ['id', 'created_at', 'updated_at', 'author'] as const;
