import { useCallback, useEffect, useRef } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { Row } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke, subscribe } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { columnsFromGrid } from './filter-model';
import { sortOf } from './use-grid-state';

/** Every update also sets these: a view sorted or filtered by one of them may reorder. */
const STAMPS = ['updated_at', 'author', 'hlc'];
/** Above this many rows of a change held in the grid, it rereads its blocks rather than each row. */
const MAX_ROWS_REREAD = 20;

/** An edit of this window on its way: `events` counts the changes announced for its row meanwhile. */
type OnItsWay = { open: number; made: number; events: number };

/**
 * What a change costs a grid. An edit made here shows the row the core returns (rows.update
 * answers with the saved row), with nothing reread. A change that only updated rows, in fields
 * the view is neither sorted nor filtered by, leaves every row where it is: another window rereads
 * just the rows it holds of those named (rows.get), and none when it holds none. Anything else (rows
 * added or deleted, a field of the view's sort, filters or search, citations behind the Cites
 * column, bulk work) can move rows: the grid rereads its blocks (`reread`, which follows the
 * edited row: use-follow-row.ts).
 */
export function useRowSync(
  table: GridTable,
  apiRef: React.RefObject<GridApi | null>,
  reread: () => void,
  onError: (m: string) => void,
) {
  const onItsWay = useRef(new Map<string, OnItsWay>());

  const show = useCallback(
    (row: Row) => {
      const api = apiRef.current;
      if (!api || api.isDestroyed()) return;
      const node = api.getRowNode(String(row.id));
      // Merged: the Cites count comes with a view's rows, not with the row itself.
      if (node?.data) node.updateData({ ...(node.data as Row), ...row });
    },
    [apiRef],
  );

  const fetchRow = useCallback(
    (id: string) =>
      invoke('rows.get', { table, id })
        .then((row) => row && show(row))
        .catch((e: Error) => onError(e.message)),
    [table, show, onError],
  );

  useEffect(
    () =>
      subscribe('data.changed', (p) => {
        const api = apiRef.current;
        if (!api || api.isDestroyed()) return;
        const cites = table !== 'sources' && p.tables.includes('citations');
        if (!p.tables.includes(table) && !cites) return;
        if (cites || p.tables.length !== 1 || !p.fields || !p.ids || !inPlace(api, table, p.fields)) return reread();
        const held: string[] = [];
        for (const id of p.ids) {
          const edit = onItsWay.current.get(id);
          if (edit) edit.events++;
          else if (api.getRowNode(id)) held.push(id);
        }
        if (held.length > MAX_ROWS_REREAD) return reread();
        for (const id of held) void fetchRow(id);
      }),
    [table, apiRef, reread, fetchRow],
  );

  /** Saves an edit of one row and shows the row as saved; an error is said with `label`. */
  const save = useCallback(
    (id: string, values: Record<string, string | number | null>, label: string) => {
      const edit = onItsWay.current.get(id) ?? { open: 0, made: 0, events: 0 };
      edit.open++;
      edit.made++;
      onItsWay.current.set(id, edit);
      invoke('rows.update', { table, id, values })
        .then(show)
        .catch((e: Error) => onError(`${label}: ${e.message}`))
        .finally(() => {
          if (--edit.open > 0) return;
          onItsWay.current.delete(id);
          // More changes announced than edits made: another window changed the row meanwhile.
          if (edit.events > edit.made) void fetchRow(id);
        });
    },
    [table, show, fetchRow, onError],
  );

  return { save };
}

/** Whether an update of these fields leaves every row of the view at its place. */
function inPlace(api: GridApi, table: GridTable, fields: readonly string[]): boolean {
  if (getFilter(table).search.trim() !== '') return false;
  const touched = new Set([...fields, ...STAMPS]);
  if (sortOf(api).some((s) => touched.has(s.colId))) return false;
  return !Object.keys(columnsFromGrid(api.getFilterModel() as Record<string, unknown>)).some((c) => touched.has(c));
}
