import { useEffect, useState } from 'react';
import { subscribe } from './api';

/**
 * The tables' row counts for the tabs' badges: the case file's counts when it was opened
 * (app.info), then each change's own (data.changed carries the counts of the tables it added rows
 * to or removed rows from), so no edit makes the core count a table again.
 */
export function useTableCounts(opened: Record<string, number> | undefined): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>(opened ?? {});
  useEffect(() => setCounts(opened ?? {}), [opened]);
  useEffect(
    () =>
      subscribe('data.changed', (p) => {
        const changed = p.counts;
        if (changed && Object.keys(changed).length > 0) setCounts((c) => ({ ...c, ...changed }));
      }),
    [],
  );
  return counts;
}
