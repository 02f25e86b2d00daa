import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  ModuleRegistry,
  type GetRowIdParams,
  type GridApi,
  type SelectionChangedEvent,
  type SuppressKeyboardEventParams,
  type ValueSetterParams,
} from 'ag-grid-community';
import type { SortModel } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { fieldOf } from '../../../../shared/domain/fields';
import { typedValue } from '../../../../shared/domain/typed';
import { invoke } from '../../lib/api';
import { getFilter, useFilter } from '../../lib/filter-store';
import { columnsFor, requiredFields } from './columns';
import { makeDatasource } from './datasource';
import { columnsFromGrid } from './filter-model';
import { sortOf, useGridState } from './use-grid-state';
import { useCopy } from './use-copy';
import { usePaste } from './use-paste';
import { useFollowRow } from './use-follow-row';
import { useRowSync } from './use-row-sync';
import { ConfirmDelete, DeletedToast, rowsWord } from './DeleteRows';
import { AddRowDialog } from './AddRowDialog';
import { BestMatches, type SearchableTable } from './BestMatches';
import { ColumnsMenu } from './ColumnsMenu';
import { ExportDialog } from './ExportDialog';
import { RowDetail } from './RowDetail';
import { useGridTheme } from '../settings/grid-theme';
import { FilterChips } from '../filters/FilterChips';
import './grid.css';
import { GRID_MODULES } from './grid-modules';

ModuleRegistry.registerModules(GRID_MODULES);

const BLOCK = 100;
/** The renderer holds at most this many blocks of rows, whatever the size of the table. */
const MAX_BLOCKS = 6;
const SEARCH_MS = 250;
// Options given once, not rebuilt on each render: AG Grid's React wrapper passes a prop that is a
// new object or function to the grid as an option change, every time the count or selection
// re-renders this component.
const getRowId = (p: GetRowIdParams) => (p.data as { id: string }).id;
/**
 * The Delete key clears the focused cell, as in a spreadsheet, ticked row or not. Rows are deleted
 * only on purpose: the Delete button, or Shift+Delete / Ctrl+Delete, which ask first (onKeyDown
 * below); AG Grid must not also clear the cell for those.
 */
const DEFAULT_COL = {
  suppressKeyboardEvent: (p: SuppressKeyboardEventParams) =>
    p.event.key === 'Delete' && !p.editing && (p.event.shiftKey || p.event.ctrlKey || p.event.metaKey),
};
/** A typed value that does not read keeps its editor open, with the reason (columns.ts). */
const INVALID_EDIT = 'block' as const;
const ROW_SELECTION = {
  mode: 'multiRow',
  checkboxes: true,
  headerCheckbox: false,
  enableClickSelection: false,
} as const;
// Kept beside the row number: scrolling right to a far column must not hide what is selected.
const SELECTION_COLUMN = { pinned: 'left', width: 50, suppressHeaderMenuButton: true } as const;

type Props = { table: GridTable; onError: (message: string) => void; onCount?: (n: number) => void };

/**
 * A table of the case file in AG Grid's infinite row model: the grid asks for blocks, the core
 * answers them from any position by keyset (rows.seek), and the renderer holds only the blocks
 * in AG Grid's small cache. Edits go to the core; the grid shows the row the core saved (never
 * the text typed), so a refused edit never appears as if saved. What a change rereads: use-row-sync.ts.
 */
export function DataGrid({ table, onError, onCount }: Props) {
  const gridTheme = useGridTheme();
  const apiRef = useRef<GridApi | null>(null);
  const [api, setApi] = useState<GridApi | null>(null);
  const [search, setSearchText] = useState(() => getFilter(table).search);
  const [count, setCount] = useState<number | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState<SortModel | null>(null);
  const [best, setBest] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [deleted, setDeleted] = useState<{ message: string; label: string } | null>(null);
  /** Why the text in the open editor is refused, shown under its cell (the editor stays open). */
  const [cellError, setCellError] = useState<{ message: string; left: number; top: number } | null>(null);
  const gridBody = useRef<HTMLDivElement | null>(null);
  const onInvalid = useCallback((message: string | null) => {
    // Called while AG Grid checks the editor: placed after, beside the cell being edited.
    setTimeout(() => {
      const el = gridBody.current?.querySelector('.ag-cell-inline-editing');
      if (!message || !el) return setCellError(null);
      const r = el.getBoundingClientRect();
      setCellError((prev) =>
        prev?.message === message && prev.left === r.left && prev.top === r.bottom
          ? prev
          : { message, left: r.left, top: r.bottom },
      );
    }, 0);
  }, []);
  const filter = useFilter(table);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);

  const grid = useGridState(table, apiRef, setSearchText, onError);
  const onPaste = usePaste(table, apiRef, onError);
  const onCopy = useCopy(table, apiRef, onError);
  const followRow = useFollowRow(table, apiRef, setNotice);
  const rowSync = useRowSync(table, apiRef, followRow.refresh, onError);

  const save = (p: ValueSetterParams): boolean => {
    const field = p.colDef.field!;
    const id = followRow.rowOfEdit(p);
    const f = fieldOf(table, field);
    const raw = p.newValue === undefined ? null : (p.newValue as string | number | null);
    // Read exactly as typed, or refused (the editor already refused it; a cleared cell too).
    const typed = f ? typedValue(f, raw) : ({ ok: true, value: raw } as const);
    if (!typed.ok) {
      onError(
        typed.message.startsWith(p.colDef.headerName ?? '')
          ? typed.message
          : `${p.colDef.headerName}: ${typed.message}`,
      );
      return false;
    }
    followRow.follow(id);
    rowSync.save(id, { [field]: typed.value }, p.colDef.headerName ?? field);
    return false;
  };
  const columnDefs = useMemo(
    () =>
      columnsFor(table, onInvalid).map((c) => (c.field ? { ...c, valueSetter: (p: ValueSetterParams) => save(p) } : c)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [table],
  );

  const onTotal = useCallback(
    (n: number) => {
      setCount(n);
      onCount?.(n);
    },
    [onCount],
  );
  const datasource = useMemo(() => makeDatasource(table, onTotal, onError), [table, onTotal, onError]);

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

  /** Rows are deleted on purpose only (the button, or the shortcut once confirmed), said with Undo at hand. */
  const remove = async (ids: string[]) => {
    if (ids.length === 0) return;
    try {
      const { deleted: n } = await invoke('rows.delete', { table, ids });
      apiRef.current?.deselectAll();
      const h = await invoke('history.state', {});
      if (n > 0 && h.undoLabel)
        setDeleted({
          message: `Deleted ${rowsWord(table, n)}${table === 'sources' ? '' : ' and their citations'}.`,
          label: h.undoLabel,
        });
    } catch (e) {
      onError((e as Error).message);
    }
  };
  /** Shift+Delete or Ctrl+Delete: the ticked rows, or else the focused cell's row, once confirmed. */
  const askToDelete = () => {
    const api = apiRef.current;
    if (!api) return;
    const focused = api.getFocusedCell();
    const focusedId = focused
      ? (api.getDisplayedRowAtIndex(focused.rowIndex)?.data as { id?: string } | undefined)?.id
      : undefined;
    const ids = selected.length > 0 ? selected : focusedId ? [focusedId] : [];
    if (ids.length > 0) setConfirming(ids);
  };

  /**
   * A new row is brought to the analyst: scrolled to wherever the view's sort puts it, its first
   * editable cell focused and open for typing. Where the view's filters or search leave it out,
   * the analyst is told rather than left looking for it.
   */
  const reveal = async (id: string) => {
    const api = apiRef.current;
    if (!api) return;
    const view = {
      columns: columnsFromGrid(api.getFilterModel() as Record<string, unknown>),
      search: getFilter(table).search,
    };
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
        // What is typed next goes to this row, wherever the sort takes it (use-follow-row.ts).
        followRow.follow(id);
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

  const closeDeleted = useCallback(() => setDeleted(null), []);
  const { onEditingStopped: followStopped } = followRow;
  const onEditingStopped = useCallback(() => {
    setCellError(null);
    followStopped();
  }, [followStopped]);
  /** The dialog closed: the keyboard goes back to the cell it was on. */
  const refocus = () => {
    const api = apiRef.current;
    const f = api?.getFocusedCell();
    if (api && f) api.setFocusedCell(f.rowIndex, f.column);
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
          {count === null
            ? ''
            : `${count.toLocaleString()} ${searching ? (count === 1 ? 'match' : 'matches') : count === 1 ? 'row' : 'rows'}`}
        </span>
        {rankable && searching && (
          <button
            type="button"
            data-testid="best-open"
            aria-pressed={best}
            onClick={() => setBest((b) => !b)}
            title="The matches ranked by relevance, with the words found"
          >
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
        <button
          type="button"
          data-testid="export-open"
          onClick={() => setExporting(apiRef.current ? sortOf(apiRef.current) : [])}
        >
          Export…
        </button>
        <button type="button" data-testid="add-row" onClick={() => void addRow()}>
          Add row
        </button>
        <button
          type="button"
          data-testid="delete-rows"
          disabled={selected.length === 0}
          title={
            selected.length > 0
              ? `Delete the ${rowsWord(table, selected.length)} ticked (Shift+Delete)`
              : 'Tick rows to delete them'
          }
          onClick={() => void remove(selected)}
        >
          Delete {selected.length > 0 ? selected.length : ''}
        </button>
      </div>
      {/* Filters set here or on the dashboard: the rows shown are narrowed, and by what. */}
      <FilterChips tables={[table]} className="grid-filters" testId="grid-filters" clearTestId="grid-filters-clear" />
      <div className="grid-and-detail">
        <div
          className="grid"
          ref={gridBody}
          data-testid="grid-body"
          onPaste={onPaste}
          onCopy={onCopy}
          onKeyDown={(e) => {
            if (
              e.key !== 'Delete' ||
              !(e.shiftKey || e.ctrlKey || e.metaKey) ||
              (e.target as HTMLElement).closest('input:not([type="checkbox"]),textarea,select')
            )
              return;
            e.preventDefault();
            askToDelete();
          }}
        >
          <AgGridReact
            theme={gridTheme}
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
            invalidEditValueMode={INVALID_EDIT}
            undoRedoCellEditing={false}
            onCellEditingStarted={followRow.onEditingStarted}
            onCellEditingStopped={onEditingStopped}
            onCellFocused={followRow.onCellFocused}
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
            onSelectionChanged={(e: SelectionChangedEvent) =>
              setSelected(e.api.getSelectedRows().map((r: { id: string }) => r.id))
            }
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
          <BestMatches
            table={table as SearchableTable}
            filter={filter}
            onClose={() => setBest(false)}
            onError={onError}
          />
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
      {cellError && (
        <div
          className="cell-error"
          role="alert"
          data-testid="cell-error"
          style={{ left: cellError.left, top: cellError.top }}
        >
          {cellError.message}
        </div>
      )}
      {confirming && (
        <ConfirmDelete
          table={table}
          count={confirming.length}
          onCancel={() => {
            setConfirming(null);
            refocus();
          }}
          onConfirm={() => {
            const ids = confirming;
            setConfirming(null);
            refocus();
            void remove(ids);
          }}
        />
      )}
      {deleted && (
        <DeletedToast message={deleted.message} label={deleted.label} onClose={closeDeleted} onError={onError} />
      )}
      {exporting && (
        <ExportDialog
          table={table}
          sort={exporting}
          viewCount={count}
          onClose={() => setExporting(null)}
          onError={onError}
        />
      )}
    </div>
  );
}
