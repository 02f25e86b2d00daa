import { dateMatchesPrecision, precisionOf } from './common';
import { fieldSchema, type Field } from './fields';
import { parseCalendarDate } from '../dates/calendars';

/**
 * What an analyst typed into a cell, read as the field's value: exactly as typed, or refused
 * with the reason. Nothing is rounded, read in another notation or dropped: `12.5` in a whole
 * number field, `1e3`, `ninety` or `2023-13` are refused, never stored as 12, 1000, empty or a
 * day. The grid's editors check with this before they close, and the core (paste) with the same.
 */
export type Typed = { ok: true; value: string | number | null } | { ok: false; message: string };

const INT = /^[+-]?\d+$/;
/** Digits with an optional decimal point: no exponent, no thousands separator, no comma. */
const REAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

const quoted = (s: string) => `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;

/** A number as typed, or why it is not one of this kind (int: a whole number). */
export function typedNumber(
  kind: 'int' | 'real',
  s: string,
): { ok: true; value: number } | { ok: false; message: string } {
  if (kind === 'int') {
    if (!INT.test(s)) return { ok: false, message: `${quoted(s)} is not a whole number` };
    const n = Number(s);
    if (!Number.isSafeInteger(n)) return { ok: false, message: `${quoted(s)} is too large` };
    return { ok: true, value: n };
  }
  if (!REAL.test(s)) return { ok: false, message: `${quoted(s)} is not a number (digits, with a point for decimals)` };
  return { ok: true, value: Number(s) };
}

export function typedValue(f: Field, raw: string | number | null | undefined): Typed {
  let value: string | number | null;
  if (raw === null || raw === undefined) value = null;
  else if (typeof raw === 'number') value = raw;
  else {
    const s = f.kind === 'longtext' ? raw : raw.trim();
    if (s.trim() === '') value = null;
    else if (f.kind === 'int' || f.kind === 'real') {
      const n = typedNumber(f.kind, s);
      if (!n.ok) return n;
      value = n.value;
    } else if (f.kind === 'date') {
      const problem = dateMatchesPrecision(s, precisionOf(s));
      // A date in another calendar goes to the core as typed: it stores the Gregorian date and keeps the text.
      const other = problem ? parseCalendarDate(s) : null;
      if (other && 'error' in other) return { ok: false, message: other.error };
      if (problem && !other)
        return {
          ok: false,
          message: `${quoted(s)} is not a date: type a year (2023), a month (2023-03) or a day (2023-03-15)`,
        };
      value = s;
    } else if (f.kind === 'enum') {
      const v = f.values?.find((x) => x.toLowerCase() === s.toLowerCase());
      if (v === undefined) return { ok: false, message: `${quoted(s)} is not one of: ${(f.values ?? []).join(', ')}` };
      value = v;
    } else value = s;
  }
  const r = fieldSchema(f).safeParse(value);
  if (!r.success)
    return {
      ok: false,
      message: value === null && f.required ? `${f.label} is required` : (r.error.issues[0]?.message ?? 'invalid'),
    };
  return { ok: true, value };
}
