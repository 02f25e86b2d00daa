import { FilterChips } from '../filters/FilterChips';

/**
 * What narrows the dashboard's charts: the incidents' and plots' filters as chips, the same ones
 * the grid shows (features/filters/FilterChips.tsx).
 */
export function FilterBar() {
  return (
    <FilterChips
      tables={['incidents', 'plots']}
      className="filter-bar"
      testId="filter-bar"
      clearTestId="filter-clear"
      empty={
        <span className="muted">
          No filter: every chart counts all rows. Click a bar, a region or a period, or filter the grid, to narrow them.
        </span>
      }
    />
  );
}
