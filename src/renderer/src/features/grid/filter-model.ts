import type { FilterModel } from '../../../../shared/contract';

type AgFilter = { filterType?: string; type?: string; filter?: unknown; filterTo?: unknown };

/** AG Grid's column filter model, translated into the one filter model the core understands. */
export function fromAgFilter(ag: Record<string, AgFilter>, search: string): FilterModel {
  const columns: FilterModel['columns'] = {};
  for (const [col, f] of Object.entries(ag)) {
    if (f.filterType === 'number') {
      const v = typeof f.filter === 'number' ? f.filter : null;
      const to = typeof f.filterTo === 'number' ? f.filterTo : null;
      if (f.type === 'inRange') columns[col] = { type: 'number', min: v, max: to };
      else if (f.type === 'greaterThan' || f.type === 'greaterThanOrEqual') columns[col] = { type: 'number', min: v, max: null };
      else if (f.type === 'lessThan' || f.type === 'lessThanOrEqual') columns[col] = { type: 'number', min: null, max: v };
      else if (f.type === 'equals') columns[col] = { type: 'number', min: v, max: v };
    } else if (f.filterType === 'text') {
      const op = f.type === 'equals' ? 'equals' : f.type === 'startsWith' ? 'startsWith' : f.type === 'blank' ? 'blank' : f.type === 'notBlank' ? 'notBlank' : 'contains';
      columns[col] = { type: 'text', op, value: typeof f.filter === 'string' ? f.filter : '' };
    }
  }
  return { columns, search };
}
