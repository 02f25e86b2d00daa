import type { TableName } from '../../shared/domain/common';
import { FIELDS, type Field } from '../../shared/domain/fields';

/**
 * Columns that merge and import-by-copy carry besides the field registry's: the upstream revision
 * time an importer keeps beside incidents (schema 2), which decides later re-imports.
 */
const EXTRA: Partial<Record<TableName, Field[]>> = {
  incidents: [{ name: 'source_timestamp', label: 'Upstream revision time', kind: 'int', readonly: true }],
};

export function mergedFields(tbl: TableName): readonly Field[] {
  return [...(FIELDS[tbl] as readonly Field[]), ...(EXTRA[tbl] ?? [])];
}

export function extraFields(tbl: TableName): readonly Field[] {
  return EXTRA[tbl] ?? [];
}

/** An extra column's value as stored (only whole numbers; anything else is dropped). */
export function extraValue(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}
