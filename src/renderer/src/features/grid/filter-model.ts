import { ColumnFilter, type FilterModel } from '../../../../shared/contract';

/**
 * The grid's column filters ARE the core's column filters: every column uses our own filter
 * component (filters/ColumnFilterPanel.tsx), whose model is a ColumnFilter, so AG Grid's filter
 * model and the shared FilterModel are the same object and convert without loss either way.
 */
export function columnsFromGrid(ag: Record<string, unknown>): FilterModel['columns'] {
  const out: FilterModel['columns'] = {};
  for (const [col, m] of Object.entries(ag)) {
    const parsed = ColumnFilter.safeParse(m);
    if (parsed.success) out[col] = parsed.data;
  }
  return out;
}

/** Same filters, whatever the order of their keys. */
export function sameColumns(a: FilterModel['columns'], b: FilterModel['columns']): boolean {
  const norm = (x: FilterModel['columns']) =>
    JSON.stringify(
      Object.keys(x)
        .sort()
        .map((k) => [k, x[k]]),
    );
  return norm(a) === norm(b);
}
