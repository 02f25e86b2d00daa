import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type GetRowIdParams,
  type GridApi,
  type SelectionChangedEvent,
  type SuppressKeyboardEventParams,
  type ValueSetterParams,
} from 'ag-grid-community';
import type { SortModel } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke, subscribe } from '../../lib/api';
import { getFilter, useFilter } from '../../lib/filter-store';
import { columnsFor, requiredFields } from './columns';
import { makeDatasource } from './datasource';
import { columnsFromGrid } from './filter-model';
import { sortOf, useGridState } from './use-grid-state';
import { useCopy } from './use-copy';
import { usePaste } from './use-paste';
import { AddRowDialog } from './AddRowDialog';
import { BestMatches, type SearchableTable } from './BestMatches';
import { ColumnsMenu } from './ColumnsMenu';
import { ExportDialog } from './ExportDialog';
import { RowDetail } from './RowDetail';
import { FilterChips } from '../filters/FilterChips';
import './grid.css';

ModuleRegistry.registerModules([AllCommunityModule]);

const BLOCK = 100;
/** The renderer holds at most this many blocks of rows, whatever the size of the table. */
const MAX_BLOCKS = 6;
const SEARCH_MS = 250;
const theme = themeQuartz.withParams({ fontSize: 13, headerFontSize: 13, spacing: 6 });
// Options given once, not rebuilt on each render: AG Grid's React wrapper passes a prop that is a
// new object or function to the grid as an option change, every time the count or selection
// re-renders this component.
const getRowId = (p: GetRowIdParams) => (p.data as { id: string }).id;
/**
 * The Delete key on a ticked row deletes the ticked rows (see onKeyDown below); AG Grid must not
 * also clear the focused cell. On any other row it clears the cell, as a spreadsheet does: a
 * ticked row scrolled out of sight is never deleted by a key pressed somewhere else.
 */
const DEFAULT_COL = { suppressKeyboardEvent: (p: SuppressKeyboardEventParams) => p.event.key === 'Delete' && !p.editing && p.node.isSelected() === true };
const ROW_SELECTION = { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false } as const;
// Kept beside the row number: scrolling right to a far column must not hide what is selected.
const SELECTION_COLUMN = { pinned: 'left', width: 50, suppressHeaderMenuButton: true } as const;

type Props = { table: GridTable; onError: (message: string) => void; onCount?: (n: number) => void };

/**
 * A table of the case file in AG Grid's infinite row model: the grid asks for blocks, the core
 * answers them from any position by keyset (rows.seek), and the renderer holds only the blocks
 * in AG Grid's small cache. Edits go to the core; the grid shows them when the change event
 * comes back, like every other view, so a refused edit never appears as if saved.
 */
export function DataGrid({ table, onError, onCount }: Props) {
  const apiRef = useRef<GridApi | null>(null);
  const [api, setApi] = useState<GridApi | null>(null);
  const [search, setSearchText] = useState(() => getFilter(table).search);
  const [count, setCount] = useState<number | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState<SortModel | null>(null);
  const [best, setBest] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const filter = useFilter(table);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);

  const grid = useGridState(table, apiRef, setSearchText, onError);
  const onPaste = usePaste(table, apiRef, onError);
  const onCopy = useCopy(table, apiRef, onError);

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
  const columnDefs = useMemo(() => columnsFor(table).map((c) => (c.field ? { ...c, valueSetter: (p: ValueSetterParams) => save(p) } : c)), [table]); // eslint-disable-line react-hooks/exhaustive-deps

  const onTotal = useCallback(
    (n: number) => {
      setCount(n);
      onCount?.(n);
    },
    [onCount],
  );
  const datasource = useMemo(() => makeDatasource(table, onTotal, onError), [table, onTotal, onError]);

  useEffect(() => {
    const off = subscribe('data.changed', (p) => {
      if (p.tables.includes(table) || (table !== 'sources' && p.tables.includes('citations'))) apiRef.current?.refreshInfiniteCache();
    });
    return off;
  }, [table]);

  const pendingSearch = useRef<string | null>(null);
  const onSearchInput = (text: string) => {
    setSearchText(text);
    pendingSearch.current = text;
    if (typing.current) clearTimeout(typing.current);
    typing.current = setTimeout(() => {
      typing.current = null;
      pendingSearch.current = null;
      grid.setSearch(text);
    }, SEARCH_MS);
  };
  const { setSearch } = grid;
  // Leaving the tab while typing: the last text still goes to the filter (and the saved layout).
  useEffect(
    () => () => {
      if (typing.current) clearTimeout(typing.current);
      if (pendingSearch.current !== null) setSearch(pendingSearch.current);
    },
    [setSearch],
  );

  const remove = async () => {
    if (selected.length === 0) return;
    try {
      await invoke('rows.delete', { table, ids: selected });
      apiRef.current?.deselectAll();
    } catch (e) {
      onError((e as Error).message);
    }
  };

  /**
   * A new row is brought to the analyst: scrolled to wherever the view's sort puts it, its first
   * editable cell focused and open for typing. Where the view's filters or search leave it out,
   * the analyst is told rather than left looking for it.
   */
  const reveal = async (id: string) => {
    const api = apiRef.current;
    if (!api) return;
    const view = { columns: columnsFromGrid(api.getFilterModel() as Record<string, unknown>), search: getFilter(table).search };
    const { index } = await invoke('rows.position', { table, sort: sortOf(api), filter: view, id });
    if (index === null) {
      setNotice("Row added, but this view's filters or search hide it.");
      return;
    }
    api.ensureIndexVisible(index, 'middle');
    const col = api.getAllDisplayedColumns().find((c) => c.getColDef().field && c.getColDef().editable === true);
    // The block holding the row is read after the change's refresh: wait until it is the row there.
    for (let tries = 0; tries < 100; tries++) {
      if (api.isDestroyed()) return;
      if ((api.getDisplayedRowAtIndex(index)?.data as { id?: string } | undefined)?.id === id) {
        if (!col) return;
        // Again, now that the grid knows the new row count (the first scroll may have been short of it).
        api.ensureIndexVisible(index);
        api.ensureColumnVisible(col);
        api.setFocusedCell(index, col);
        api.startEditingCell({ rowIndex: index, colKey: col });
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(t);
  }, [notice]);
  const creating = useRef(false);
  const addRow = async () => {
    setNotice(null);
    if (requiredFields(table).length > 0) {
      setAdding(true);
      return;
    }
    if (creating.current) return;
    creating.current = true;
    try {
      const row = await invoke('rows.create', { table, values: {} });
      await reveal(row.id as string);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      creating.current = false;
    }
  };

  const searching = filter.search.trim() !== '';
  const rankable = table === 'incidents' || table === 'sources';
  return (
    <div className="grid-area" data-testid={`grid-${table}`}>
      <div className="toolbar" role="toolbar" aria-label={`${table} tools`}>
        <input
          className="search"
          type="search"
          dir="auto"
          placeholder={`Search ${table}…`}
          aria-label={`Search ${table}`}
          data-testid="grid-search"
          value={search}
          onChange={(e) => onSearchInput(e.target.value)}
        />
        <span className="count" data-testid="grid-count" aria-live="polite">
          {count === null ? '' : `${count.toLocaleString()} ${searching ? (count === 1 ? 'match' : 'matches') : count === 1 ? 'row' : 'rows'}`}
        </span>
        {rankable && searching && (
          <button type="button" data-testid="best-open" aria-pressed={best} onClick={() => setBest((b) => !b)} title="The matches ranked by relevance, with the words found">
            Best matches
          </button>
        )}
        {notice && (
          <span className="notice" role="status" data-testid="grid-notice" title={notice}>
            {notice}
          </span>
        )}
        <span className="spacer" />
        <ColumnsMenu table={table} api={api} />
        <button type="button" data-testid="export-open" onClick={() => setExporting(apiRef.current ? sortOf(apiRef.current) : [])}>
          Export…
        </button>
        <button type="button" data-testid="add-row" onClick={() => void addRow()}>
          Add row
        </button>
        <button type="button" data-testid="delete-rows" disabled={selected.length === 0} onClick={() => void remove()}>
          Delete {selected.length > 0 ? selected.length : ''}
        </button>
      </div>
      {/* Filters set here or on the dashboard: the rows shown are narrowed, and by what. */}
      <FilterChips tables={[table]} className="grid-filters" testId="grid-filters" clearTestId="grid-filters-clear" />
      <div className="grid-and-detail">
        <div
          className="grid"
          data-testid="grid-body"
          onPaste={onPaste}
          onCopy={onCopy}
          onKeyDown={(e) => {
            if (e.key !== 'Delete' || (e.target as HTMLElement).closest('input:not([type="checkbox"]),textarea,select')) return;
            const api = apiRef.current;
            const focused = api?.getFocusedCell();
            if (focused && api?.getDisplayedRowAtIndex(focused.rowIndex)?.isSelected()) void remove();
          }}
        >
          <AgGridReact
            theme={theme}
            columnDefs={columnDefs}
            defaultColDef={DEFAULT_COL}
            rowModelType="infinite"
            datasource={grid.settled ? datasource : undefined}
            cacheBlockSize={BLOCK}
            maxBlocksInCache={MAX_BLOCKS}
            rowBuffer={10}
            getRowId={getRowId}
            rowSelection={ROW_SELECTION}
            selectionColumnDef={SELECTION_COLUMN}
            stopEditingWhenCellsLoseFocus
            undoRedoCellEditing={false}
            onGridReady={(e) => {
              apiRef.current = e.api;
              setApi(e.api);
              void grid.load();
            }}
            // The Cites count opens the row's citations: that row alone is ticked, so the detail shows it.
            onCellClicked={(e) => {
              if (e.column.getColId() !== 'cites' || !e.node.data) return;
              e.api.deselectAll();
              e.node.setSelected(true);
            }}
            onSelectionChanged={(e: SelectionChangedEvent) => setSelected(e.api.getSelectedRows().map((r: { id: string }) => r.id))}
            onFilterChanged={grid.onFilterChanged}
            onSortChanged={grid.save}
            onColumnMoved={grid.save}
            onColumnResized={(e) => e.finished && grid.save()}
            onColumnVisible={grid.save}
            onColumnPinned={grid.save}
            tooltipShowDelay={400}
          />
        </div>
        {best && rankable && searching ? (
          <BestMatches table={table as SearchableTable} filter={filter} onClose={() => setBest(false)} onError={onError} />
        ) : (
          selected.length === 1 && <RowDetail table={table} id={selected[0]!} onError={onError} />
        )}
      </div>
      {adding && (
        <AddRowDialog
          table={table}
          onClose={() => setAdding(false)}
          onCreated={(id) => void reveal(id).catch((e: Error) => onError(e.message))}
        />
      )}
      {exporting && <ExportDialog table={table} sort={exporting} viewCount={count} onClose={() => setExporting(null)} onError={onError} />}
    </div>
  );
}
