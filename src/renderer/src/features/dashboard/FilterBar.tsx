import type { GridTable } from '../../../../shared/domain/common';
import { clearFilter, setFilter, useFilter } from '../../lib/filter-store';
import { describeColumn, setColumn } from './filters';

const TABLES: { table: GridTable; label: string }[] = [
  { table: 'incidents', label: 'Incidents' },
  { table: 'plots', label: 'Plots' },
];

/**
 * What is filtered, as chips: the same filter model the grid shows, whoever set it (a click on a
 * bar, a brushed period, a column filter in the grid). Each chip clears its filter.
 */
export function FilterBar() {
  const incidents = useFilter('incidents');
  const plots = useFilter('plots');
  const models = { incidents, plots } as Record<GridTable, typeof incidents>;
  const chips = TABLES.flatMap(({ table, label }) => {
    const f = models[table];
    const cols = Object.entries(f.columns).map(([col, cf]) => ({ key: `${table}.${col}`, table, label, text: describeColumn(table, col, cf), clear: () => setColumn(table, col, null) }));
    const search = f.search.trim() ? [{ key: `${table}.search`, table, label, text: `Search: “${f.search.trim()}”`, clear: () => setFilter(table, (p) => ({ ...p, search: '' })) }] : [];
    return [...cols, ...search];
  });
  return (
    <div className="filter-bar" data-testid="filter-bar" role="region" aria-label="Active filters">
      {chips.length === 0 ? (
        <span className="muted">No filter: every chart counts all rows. Click a bar, a region or a period, or filter the grid, to narrow them.</span>
      ) : (
        <>
          <span className="muted">Filters:</span>
          {chips.map((c) => (
            <span className="chip" key={c.key} data-testid="filter-chip" dir="auto">
              <span className="chip-table">{c.label}</span> {c.text}
              <button type="button" aria-label={`Remove filter ${c.text}`} title="Remove this filter" onClick={c.clear}>
                ×
              </button>
            </span>
          ))}
          <button type="button" className="clear-all" data-testid="filter-clear" onClick={() => TABLES.forEach((t) => clearFilter(t.table))}>
            Clear all
          </button>
        </>
      )}
    </div>
  );
}
