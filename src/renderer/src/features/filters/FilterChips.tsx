import type { ReactNode } from 'react';
import type { GridTable } from '../../../../shared/domain/common';
import { clearFilter, setFilter, useFilter } from '../../lib/filter-store';
import { describeColumn, setColumn } from '../dashboard/filters';
import './filter-chips.css';

const LABELS: Record<GridTable, string> = {
  incidents: 'Incidents',
  plots: 'Plots',
  figures: 'Figures',
  sources: 'Sources',
};

type Props = {
  /** The tables whose filters narrow what this view shows. */
  tables: GridTable[];
  /** Shown when nothing is filtered; without it the bar is not drawn at all. */
  empty?: ReactNode;
  className?: string;
  testId: string;
  /** The Clear all button's test id (the grid's column filter popup has a "filter-clear" of its own). */
  clearTestId: string;
};

/**
 * What is filtered, as chips: the one filter model per table (lib/filter-store.ts), whoever set it
 * (a bar or a region clicked on the dashboard, a brushed period, a column filter or the search in
 * the grid). Each chip clears its own filter; Clear all clears them all. The grid and the
 * dashboard show the same chips, so a view narrowed somewhere else says so.
 */
export function FilterChips({ tables, empty, className, testId, clearTestId }: Props) {
  const incidents = useFilter('incidents');
  const plots = useFilter('plots');
  const figures = useFilter('figures');
  const models: Partial<Record<GridTable, typeof incidents>> = { incidents, plots, figures };
  const named = tables.length > 1;
  const chips = tables.flatMap((table) => {
    const f = models[table];
    if (!f) return [];
    const label = LABELS[table];
    const cols = Object.entries(f.columns).map(([col, cf]) => ({
      key: `${table}.${col}`,
      label,
      text: describeColumn(table, col, cf),
      clear: () => setColumn(table, col, null),
    }));
    const search = f.search.trim()
      ? [
          {
            key: `${table}.search`,
            label,
            text: `Search: “${f.search.trim()}”`,
            clear: () => setFilter(table, (p) => ({ ...p, search: '' })),
          },
        ]
      : [];
    return [...cols, ...search];
  });
  if (chips.length === 0 && !empty) return null;
  return (
    <div className={`filter-chips ${className ?? ''}`} data-testid={testId} role="region" aria-label="Active filters">
      {chips.length === 0 ? (
        empty
      ) : (
        <>
          <span className="muted">Filters:</span>
          {chips.map((c) => (
            <span className="chip" key={c.key} data-testid="filter-chip" dir="auto" title={c.text}>
              {named && (
                <>
                  <span className="chip-table">{c.label}</span>{' '}
                </>
              )}
              {c.text}
              <button type="button" aria-label={`Remove filter ${c.text}`} title="Remove this filter" onClick={c.clear}>
                ×
              </button>
            </span>
          ))}
          <button
            type="button"
            className="clear-all"
            data-testid={clearTestId}
            onClick={() => tables.forEach((t) => clearFilter(t))}
          >
            Clear all
          </button>
        </>
      )}
    </div>
  );
}
