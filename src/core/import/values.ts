import type { DateOrder } from '../../shared/channels/import';
import { unguardFormula } from '../export/formula-guard';
import { parseCalendarDate, type CalendarName } from '../../shared/dates/calendars';
/**
 * Cell-level parsing shared by the ACLED, GTD and generic mappers. Everything here runs once per
 * cell of a million-row file, so the regular expressions are compiled once, at load.
 */

/** Cell contents that mean "nothing recorded" in the files analysts bring. */
const NULL_TOKENS = new Set(['', 'NA', 'N/A', 'n/a', '#N/A', 'NULL', 'null']);

/**
 * The trimmed text of a cell, or null when it is blank or a null token such as `NA`. The `'` an
 * export puts before formula-like text is taken off again (formula-guard.ts), exactly once, so a
 * file Casefile exported comes back as it went out.
 */
export function text(raw: string | undefined): string | null {
  const s = plain(raw);
  return s !== null && s.charCodeAt(0) === 39 ? unguardFormula(s) : s;
}

/** text() without the export's protection taken off: for the items of a list whose cell was already read by text(). */
function plain(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const n = raw.length;
  if (n === 0) return null;
  let s = raw;
  // Hot path (every cell of every row): trim only when an end could be whitespace, and hash
  // only short strings: a Set lookup reads the whole string, and notes run to hundreds of chars.
  const a = raw.charCodeAt(0);
  const z = raw.charCodeAt(n - 1);
  if (a <= 32 || a > 126 || z <= 32 || z > 126) {
    s = raw.trim();
    if (s.length === 0) return null;
  }
  return s.length <= 4 && NULL_TOKENS.has(s) ? null : s;
}

/**
 * Splits a semicolon list (a cell already read by text()) into trimmed, deduplicated items,
 * dropping blanks and null tokens.
 */
export function pushListItems(raw: string | null, into: string[]): void {
  if (raw === null) return;
  if (raw.indexOf(';') === -1) {
    if (!into.includes(raw)) into.push(raw);
    return;
  }
  for (const part of raw.split(';')) {
    const item = plain(part);
    if (item !== null && !into.includes(item)) into.push(item);
  }
}

/**
 * The items of a sources cell: one per line when the cell has line breaks (Casefile's export
 * writes its titles so, each ending with one, since titles hold semicolons), else split on `;`.
 */
export function pushSourceItems(raw: string | undefined, into: string[]): void {
  if (raw === undefined || raw.indexOf('\n') === -1) {
    pushListItems(text(raw), into);
    return;
  }
  const cell = raw.charCodeAt(0) === 39 ? unguardFormula(raw) : raw;
  for (const part of cell.split('\n')) {
    const item = plain(part);
    if (item !== null && !into.includes(item)) into.push(item);
  }
}

export function joinList(items: string[]): string | null {
  return items.length === 0 ? null : items.join('; ');
}

/**
 * Adds `key=value` to a tag list. A value holding a semicolon (ACLED's
 * "Political violence; Demonstrations") becomes one tag per part, so the list stays splittable.
 */
export function pushTag(tags: string[], key: string, value: string | null): void {
  if (value === null) return;
  if (value.indexOf(';') === -1) {
    tags.push(`${key}=${value}`);
    return;
  }
  for (const part of value.split(';')) {
    const v = plain(part);
    if (v !== null) tags.push(`${key}=${v}`);
  }
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number, or NaN when the text is not one (no hex, no `Infinity`, no thousands separators). */
export function parseNumber(s: string): number {
  return NUMBER.test(s) ? Number(s) : NaN;
}

export type DateResult =
  /** `calendar`: read from a Solar Hijri or Hijri date, or a month named in another language (the caller keeps the text). */
  | { ok: true; date: string; precision: 'day' | 'month' | 'year'; calendar?: CalendarName }
  | { ok: false; reason: string; /** day and month could be swapped: a date order would read it */ ambiguous?: true };

/** How a generic table writes `09/05/2020`: day first, or month first (declared once, with the import's channels). */
export type { DateOrder };

export type DateOptions = {
  /** Accept `YYYY-MM`, `YYYY`, `May 2020` (month and year precision); ACLED and GTD never need them. */
  partial?: boolean;
  /** How to read `09/05/2020`: without it, a slash date is read only when day and month cannot be swapped. */
  dateOrder?: DateOrder;
};

const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** `28 December 2022`, `9 May 2020`, `9-May-20`, `28-Dec-2022`, `3 Sept. 2021`. */
const DAY_MONTH_YEAR = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4}|\d{2})$/;
/** `December 28, 2022`, `Dec 28 2022`. */
const MONTH_DAY_YEAR = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/;
const NUMERIC_DMY = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{1,2})$/;
const MONTH_YEAR = /^([A-Za-z]{3,9})\.? (\d{4})$/;
const YEAR_ONLY = /^(\d{4})$/;

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/**
 * Excel rewrites dates as `9-May-20` when a CSV is opened and saved again; it reads two-digit
 * years 00-29 as 20xx, but conflict data from the 1970s is real, so the pivot here is the one the
 * brief fixes: 00-69 are 20xx, 70-99 are 19xx.
 */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD` for a valid calendar day, or null. */
export function dayString(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const max = DAYS_IN_MONTH[m - 1] as number;
  if (d > max) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function day(y: number, m: number, d: number, raw: string): DateResult {
  const s = dayString(y, m, d);
  return s === null
    ? { ok: false, reason: `"${raw}" is not a calendar date` }
    : { ok: true, date: s, precision: 'day' };
}

/** Reads the date styles found in conflict data; see the regular expressions above for the list. */
export function parseDate(raw: string, options?: DateOptions): DateResult {
  let m = ISO_DAY.exec(raw);
  // 1402/05/12: a Solar Hijri (or, from 1421, Hijri) date, not a day of the 15th century.
  if (m && Number(m[1]) >= 1300 && Number(m[1]) <= 1500)
    return calendarDate(raw, options) ?? { ok: false, reason: `"${raw}" is not a date Casefile can read` };
  if (m) return day(Number(m[1]), Number(m[2]), Number(m[3]), raw);
  m = DAY_MONTH_YEAR.exec(raw);
  if (m) {
    const month = MONTHS[(m[2] as string).toLowerCase()];
    if (month === undefined) return { ok: false, reason: `"${raw}": unknown month "${m[2]}"` };
    return day(fullYear(m[3] as string), month, Number(m[1]), raw);
  }
  m = MONTH_DAY_YEAR.exec(raw);
  if (m) {
    const month = MONTHS[(m[1] as string).toLowerCase()];
    if (month === undefined) return { ok: false, reason: `"${raw}": unknown month "${m[1]}"` };
    return day(Number(m[3]), month, Number(m[2]), raw);
  }
  m = NUMERIC_DMY.exec(raw);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3] as string);
    const order =
      options?.dateOrder ?? (a === b ? 'dmy' : a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : null);
    if (order === null) {
      return { ok: false, reason: `ambiguous date "${raw}": it could be day/month or month/day`, ambiguous: true };
    }
    return order === 'dmy' ? day(y, b, a, raw) : day(y, a, b, raw);
  }
  if (options?.partial) {
    m = ISO_MONTH.exec(raw);
    if (m) return month(Number(m[1]), Number(m[2]), raw);
    m = MONTH_YEAR.exec(raw);
    if (m) {
      const mo = MONTHS[(m[1] as string).toLowerCase()];
      if (mo !== undefined) return month(Number(m[2]), mo, raw);
    }
    m = YEAR_ONLY.exec(raw);
    if (m && Number(m[1]) >= 1000) return { ok: true, date: m[1] as string, precision: 'year' };
  }
  return calendarDate(raw, options) ?? { ok: false, reason: `"${raw}" is not a date Casefile can read` };
}

/** Solar Hijri, Hijri, and month names in Russian, Persian, Pashto and Arabic (shared/dates/calendars.ts); null when none. */
function calendarDate(raw: string, options?: DateOptions): DateResult | null {
  const c = parseCalendarDate(raw);
  if (c === null) return null;
  if ('error' in c) return { ok: false, reason: c.error };
  return c.precision === 'day' || options?.partial
    ? { ok: true, date: c.date, precision: c.precision, calendar: c.calendar }
    : null;
}

/**
 * What a numeric date such as `09/05/2020` tells of the order of day and month in its file:
 * 'dmy' when the first number cannot be a month (`25/05/2020`), 'mdy' when the second cannot
 * (`05/25/2020`), 'either' when both can and differ; null for any other text, or `05/05/2020`.
 */
export function numericDateOrder(raw: string): DateOrder | 'either' | null {
  const m = NUMERIC_DMY.exec(raw);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a === b || a < 1 || b < 1) return null;
  if (a > 12) return b <= 12 ? 'dmy' : null;
  if (b > 12) return 'mdy';
  return 'either';
}

function month(y: number, mo: number, raw: string): DateResult {
  if (y < 1000 || mo < 1 || mo > 12) return { ok: false, reason: `"${raw}" is not a month` };
  return { ok: true, date: `${y}-${pad2(mo)}`, precision: 'month' };
}
