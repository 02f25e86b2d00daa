import type { GridTable } from '../../../../shared/domain/common';
import { useQuery } from '../../lib/use-query';

/** The selected row's citations: each with its source, grade (e.g. B2), locator and passage. */
export function RowDetail({ table, id }: { table: GridTable; id: string }) {
  const { data } = useQuery('citations.forRow', { table, id }, ['citations', 'sources']);
  return (
    <aside className="row-detail" data-testid="row-detail" aria-label="Citations of the selected row">
      <h3>Citations</h3>
      {!data?.length && <p className="muted">No citations.</p>}
      <ul>
        {data?.map((c) => (
          <li key={String(c.id)}>
            <span className="grade" title="source reliability + information credibility">
              {String(c.source_reliability ?? '?')}
              {String(c.credibility ?? '?')}
            </span>{' '}
            {table === 'sources' ? <span>cited by {String(c.target_table).replace(/s$/, '')}{c.field ? ` (${String(c.field)})` : ''}</span> : <span dir="auto">{String(c.source_title)}</span>}
            {c.locator ? <span className="muted"> · {String(c.locator)}</span> : null}
            {c.quote ? (
              <blockquote dir="auto">{String(c.quote)}</blockquote>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
