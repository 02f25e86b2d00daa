import type { GridTable } from '../../../../shared/domain/common';
import { CitationList } from '../citations/CitationList';

/**
 * The selected row's citations, with their grade (e.g. B2), review status, passage and a way to
 * cite another source; for a source, the rows that cite it.
 */
export function RowDetail({
  table,
  id,
  onError,
}: {
  table: GridTable;
  id: string;
  onError: (message: string) => void;
}) {
  return (
    <aside
      className="row-detail"
      data-testid="row-detail"
      aria-label={table === 'sources' ? 'Rows citing the selected source' : 'Citations of the selected row'}
    >
      <h3>{table === 'sources' ? 'Cited by' : 'Citations'}</h3>
      <CitationList table={table} id={id} onError={onError} />
    </aside>
  );
}
