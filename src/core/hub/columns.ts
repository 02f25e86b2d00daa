import type { TableName } from '../../shared/domain/common';
import { validateRow, type RowValues } from '../../shared/domain/fields';
import { decodeHlc } from '../hlc';
import { mergedFields } from '../exchange/fields';
import { HUB_DATA_TABLES } from './migrations';

/**
 * The columns a hub table shares with the case file's: the row's id, times, author and clock,
 * then the fields merge compares (the field registry's and the extras beside them).
 */
export const META_COLUMNS = ['id', 'created_at', 'updated_at', 'author', 'hlc'] as const;

/** The row tables a hub carries (hub version 2 added aliases); attached files are attachment-sync.ts's. */
export type HubTable = (typeof HUB_DATA_TABLES)[number] | 'aliases';
export const HUB_TABLES: readonly HubTable[] = [...HUB_DATA_TABLES, 'aliases'];
/** Tables whose change-log entries travel: the row tables, and attached files (logged without their bytes). */
const LOG_TABLES: readonly string[] = [...HUB_TABLES, 'attachments'];
const ATTACHMENT_FIELDS: readonly string[] = ['source_id'];

export const fieldNames = (t: TableName): string[] => mergedFields(t).map((f) => f.name);
export const columnsOf = (t: TableName): string[] => [...META_COLUMNS, ...fieldNames(t)];

/** The SELECT list of a hub table: bigint columns as text (the driver would give a string anyway), parsed after. */
export const selectList = (t: TableName): string =>
  columnsOf(t)
    .map((c) => (c === 'source_timestamp' ? `${c}::text AS ${c}` : c))
    .join(', ');

/** Ids Casefile makes: lower-case UUIDs (the merge leaves any other id out). */
export const ID_RE = /^[0-9a-f-]{36}$/;
const TIME_RE = /^[\x20-\x7e]{1,40}$/;

const validHlc = (v: unknown) => {
  if (typeof v !== 'string') return false;
  try {
    decodeHlc(v);
    return true;
  } catch {
    return false;
  }
};

/**
 * A row as the hub returned it, checked by the contract's schemas (the field registry's
 * validateRow, as for a row typed in the grid) and the case file's own rules for ids, times,
 * authors and clocks: what is wrong (column and why), or null. A bigint arrives as text: parsed
 * here into a whole number.
 */
export function hubRowProblem(t: TableName, r: RowValues): { field: string; message: string } | null {
  return hubMetaProblem(r) ?? validateRow(t, r);
}

/** The checks of a row's id, times, author and clock (and a bigint sent as text), every table's. */
export function hubMetaProblem(r: RowValues): { field: string; message: string } | null {
  if (typeof r.id !== 'string' || !ID_RE.test(r.id)) return { field: 'id', message: 'not an id Casefile makes' };
  for (const k of ['created_at', 'updated_at'] as const)
    if (typeof r[k] !== 'string' || !TIME_RE.test(r[k])) return { field: k, message: 'not a time' };
  if (typeof r.author !== 'string' || r.author.length > 200)
    return { field: 'author', message: 'not an author name (text of up to 200 characters)' };
  if (!validHlc(r.hlc)) return { field: 'hlc', message: 'not a clock value' };
  if ('source_timestamp' in r && r.source_timestamp !== null) {
    const n = Number(r.source_timestamp);
    if (typeof r.source_timestamp !== 'string' || !Number.isSafeInteger(n))
      return { field: 'source_timestamp', message: 'not a whole number' };
    r.source_timestamp = n;
  }
  return null;
}

export type HubLogEntry = {
  hlc: string;
  txn: string;
  author: string;
  tbl: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  field: string | null;
  before: string | null;
  after: string | null;
};

const MAX_VALUE = 4_000_000;

const jsonOrNull = (v: unknown) => {
  if (v === null) return true;
  if (typeof v !== 'string' || v.length > MAX_VALUE) return false;
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
};

/** A change-log entry as the hub returned it: what is wrong, or null. */
export function hubEntryProblem(e: Record<string, unknown>): string | null {
  if (typeof e.tbl !== 'string' || !LOG_TABLES.includes(e.tbl)) return 'tbl: not a table of a case file';
  if (typeof e.row_id !== 'string' || !ID_RE.test(e.row_id)) return 'row_id: not an id Casefile makes';
  if (e.op !== 'insert' && e.op !== 'update' && e.op !== 'delete') return 'op: not insert, update or delete';
  const fields = e.tbl === 'attachments' ? ATTACHMENT_FIELDS : fieldNames(e.tbl as TableName);
  if (e.field !== null && (typeof e.field !== 'string' || !fields.includes(e.field)))
    return `field: not a field of ${e.tbl}`;
  if (e.op === 'update' && e.field === null) return 'field: an update names no field';
  if (!validHlc(e.hlc)) return 'hlc: not a clock value';
  if (typeof e.author !== 'string' || e.author.length > 200) return 'author: not an author name';
  if (typeof e.txn !== 'string' || e.txn.length > 64) return 'txn: not a transaction id';
  if (!jsonOrNull(e.before)) return 'before: not a JSON value';
  if (!jsonOrNull(e.after)) return 'after: not a JSON value';
  return null;
}
