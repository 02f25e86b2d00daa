import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type GetRowIdParams,
  type GridApi,
  type IDatasource,
  type IGetRowsParams,
  type SelectionChangedEvent,
  type ValueSetterParams,
} from 'ag-grid-community';
import type { Cursor, FilterModel, SortModel } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke, subscribe } from '../../lib/api';
import { columnsFor } from './columns';
import { fromAgFilter } from './filter-model';
import { AddRowDialog } from './AddRowDialog';
import { RowDetail } from './RowDetail';

ModuleRegistry.registerModules([AllCommunityModule]);

const BLOCK = 100;
const theme = themeQuartz.withParams({ fontSize: 13, headerFontSize: 13, spacing: 6 });

type Props = { table: GridTable; onError: (message: string) => void; onCount?: (n: number) => void };

/**
 * A table of the case file in AG Grid's infinite row model: the grid asks for blocks, the core
 * answers them by keyset paging, and the renderer holds only the blocks in AG Grid's cache.
 * Edits go to the core; the grid shows them when the change event comes back, like every other
 * view, so a refused edit never appears as if saved.
 */
export function DataGrid({ table, onError, onCount }: Props) {
  const apiRef = useRef<GridApi | null>(null);
  const [search, setSearch] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const searchRef = useRef(search);
  searchRef.current = search;

  const columnDefs = useMemo(() => columnsFor(table).map((c) => ({ ...c, valueSetter: (p: ValueSetterParams) => save(p) })), [table]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = (p: ValueSetterParams): boolean => {
    const field = p.colDef.field!;
    const id = (p.data as { id: string }).id;
    const value = p.newValue === undefined ? null : p.newValue;
    if (typeof value === 'number' && Number.isNaN(value)) {
      onError(`${p.colDef.headerName}: not a number`);
      return false;
    }
    invoke('rows.update', { table, id, values: { [field]: value } }).catch((e: Error) => onError(`${p.colDef.headerName}: ${e.message}`));
    return false;
  };

  const datasource = useMemo<IDatasource>(() => {
    // Cursor at the start of each block, learnt as blocks arrive; a block is asked for after
    // the last row of the one before it.
    let cursors = new Map<number, Cursor | null>([[0, null]]);
    let lastKey = '';
    return {
      getRows: async (params: IGetRowsParams) => {
        const sort = params.sortModel.slice(0, 1) as SortModel;
        const filter: FilterModel = fromAgFilter(params.filterModel as Record<string, never>, searchRef.current);
        const key = JSON.stringify([sort, filter]);
        if (key !== lastKey) {
          cursors = new Map([[0, null]]);
          lastKey = key;
          invoke('rows.count', { table, filter })
            .then((r) => {
              setCount(r.count);
              onCount?.(r.count);
            })
            .catch(() => undefined);
        }
        try {
          let start = params.startRow;
          // Walk forward from the nearest known cursor when the grid jumps ahead.
          let known = Math.floor(start / BLOCK) * BLOCK;
          while (!cursors.has(known)) known -= BLOCK;
          let after = cursors.get(known) ?? null;
          for (let at = known; at < start; at += BLOCK) {
            const r = await invoke('rows.page', { table, sort, filter, after, limit: BLOCK });
            after = r.next;
            cursors.set(at + BLOCK, after);
            if (!after) break;
          }
          const r = after === null && start > 0 ? { rows: [], next: null } : await invoke('rows.page', { table, sort, filter, after, limit: params.endRow - start });
          cursors.set(params.endRow, r.next);
          const lastRow = r.next ? -1 : start + r.rows.length;
          params.successCallback(r.rows, lastRow);
          start = params.endRow;
        } catch (e) {
          onError((e as Error).message);
          params.failCallback();
        }
      },
    };
  }, [table]); // eslint-disable-line react-hooks/exhaustive-deps

  const refresh = useCallback(() => {
    apiRef.current?.refreshInfiniteCache();
    const filter = fromAgFilter((apiRef.current?.getFilterModel() ?? {}) as Record<string, never>, searchRef.current);
    invoke('rows.count', { table, filter }).then((r) => setCount(r.count)).catch(() => undefined);
  }, [table]);

  useEffect(() => {
    const off = subscribe('data.changed', (p) => {
      if (p.tables.includes(table) || (table !== 'sources' && p.tables.includes('citations'))) refresh();
    });
    const off2 = subscribe('file.opened', () => apiRef.current?.purgeInfiniteCache());
    return () => {
      off();
      off2();
    };
  }, [table, refresh]);

  useEffect(() => {
    const t = setTimeout(() => apiRef.current?.purgeInfiniteCache(), 250);
    return () => clearTimeout(t);
  }, [search]);

  const remove = async () => {
    if (selected.length === 0) return;
    try {
      await invoke('rows.delete', { table, ids: selected });
      apiRef.current?.deselectAll();
    } catch (e) {
      onError((e as Error).message);
    }
  };

  return (
    <div className="grid-area" data-testid={`grid-${table}`}>
      <div className="toolbar" role="toolbar" aria-label={`${table} tools`}>
        <input
          className="search"
          type="search"
          placeholder={`Search ${table}…`}
          aria-label={`Search ${table}`}
          data-testid="grid-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <span className="count" data-testid="grid-count">
          {count === null ? '' : `${count.toLocaleString()} ${count === 1 ? 'row' : 'rows'}`}
        </span>
        <span className="spacer" />
        <button type="button" data-testid="add-row" onClick={() => setAdding(true)}>
          Add row
        </button>
        <button type="button" data-testid="delete-rows" disabled={selected.length === 0} onClick={() => void remove()}>
          Delete {selected.length > 0 ? selected.length : ''}
        </button>
      </div>
      <div className="grid-and-detail">
        <div className="grid" onKeyDown={(e) => e.key === 'Delete' && !(e.target as HTMLElement).closest('input,textarea,select') && void remove()}>
          <AgGridReact
            theme={theme}
            columnDefs={columnDefs}
            rowModelType="infinite"
            datasource={datasource}
            cacheBlockSize={BLOCK}
            maxBlocksInCache={20}
            rowBuffer={10}
            getRowId={(p: GetRowIdParams) => (p.data as { id: string }).id}
            rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false }}
            stopEditingWhenCellsLoseFocus
            undoRedoCellEditing={false}
            onGridReady={(e) => (apiRef.current = e.api)}
            onSelectionChanged={(e: SelectionChangedEvent) => setSelected(e.api.getSelectedRows().map((r: { id: string }) => r.id))}
            onFilterChanged={() => undefined}
            tooltipShowDelay={400}
          />
        </div>
        {selected.length === 1 && <RowDetail table={table} id={selected[0]!} />}
      </div>
      {adding && <AddRowDialog table={table} onClose={() => setAdding(false)} onError={onError} />}
    </div>
  );
}
