import { useCallback, useEffect, useRef, useState } from 'react';
import type { ColumnState, GridApi } from 'ag-grid-community';
import { EMPTY_FILTER, type FilterModel, type SortModel } from '../../../../shared/contract';
import type { GridLayout } from '../../../../shared/channels/grid';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke, subscribe } from '../../lib/api';
import { useOnLeave } from '../../lib/use-on-leave';
import { getFilter, setFilter, useFilter } from '../../lib/filter-store';
import { columnsFromGrid, sameColumns } from './filter-model';
import { ROW_NUMBER_COL } from './columns';

const SAVE_MS = 600;
const INTERNAL = (id: string) => id === ROW_NUMBER_COL || id.startsWith('ag-Grid-');

export function sortOf(api: GridApi): SortModel {
  return api
    .getColumnState()
    .filter((c) => c.sort && !INTERNAL(c.colId))
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
    .slice(0, 3)
    .map((c) => ({ colId: c.colId, sort: c.sort as 'asc' | 'desc' }));
}

/**
 * What ties a grid to the rest of the window and to the case file:
 * - the filter store (lib/filter-store.ts) is the one filter model of the table: the grid writes
 *   its column filters there and follows it when the dashboard changes it, with no loop (a
 *   change is passed on only when it differs from what the other side has);
 * - the layout (column order, widths, visibility, pinning, sort, filters) is saved in the case
 *   file (grid.state.*) and restored when the grid opens, or another case file is opened.
 * The search box is part of the filter model; the caller keeps its text in step (onSearch).
 */
export function useGridState(
  table: GridTable,
  apiRef: React.RefObject<GridApi | null>,
  onSearch: (s: string) => void,
  onError: (m: string) => void,
) {
  const filter = useFilter(table);
  const loaded = useRef(false);
  const applying = useRef(false);
  /**
   * The column filters last handed to AG Grid and not yet reported back by it: a filter component
   * is made asynchronously, so getFilterModel() still shows the old model for a moment, and a
   * second sync in that moment (the load and the store's effect both sync) set the same model
   * again: two filterChanged events, two reloads from the top.
   */
  const handed = useRef<FilterModel['columns'] | null>(null);
  const lastSearch = useRef(filter.search);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /**
   * The saved layout is read and its filter is in the grid: the rows can be asked for. Before,
   * they would come in the wrong order and filter, and be asked for again a moment later.
   */
  const [settled, setSettled] = useState(false);

  /**
   * The layout to save, taken when it changed (the grid may be gone by the time it is sent), and
   * the filter last sent. A change is sent SAVE_MS after the last of a burst, and at once when the
   * grid goes away (another tab, a closed window): leaving a tab right after clearing a search
   * kept the old search in the case file.
   */
  const snapshot = useRef<Omit<GridLayout, 'filter'> | null>(null);
  const dirty = useRef(false);
  const sentFilter = useRef<string | null>(null);
  const send = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    const filterNow = getFilter(table);
    if (!snapshot.current || (!dirty.current && JSON.stringify(filterNow) === sentFilter.current)) return;
    dirty.current = false;
    sentFilter.current = JSON.stringify(filterNow);
    const state: GridLayout = { ...snapshot.current, filter: filterNow };
    invoke('grid.state.set', { grid: table, state }).catch((e: Error) => onError(`Layout not saved: ${e.message}`));
  }, [table, onError]);

  const save = useCallback(() => {
    if (!loaded.current) return;
    const api = apiRef.current;
    if (!api || api.isDestroyed()) return;
    const columns = api
      .getColumnState()
      .filter((c) => !INTERNAL(c.colId))
      .map((c) => ({
        colId: c.colId,
        width: Math.round(c.width ?? 100),
        ...(c.hide ? { hide: true } : {}),
        ...(c.pinned ? { pinned: c.pinned === 'right' ? ('right' as const) : ('left' as const) } : {}),
      }));
    snapshot.current = { columns, sort: sortOf(api) };
    dirty.current = true;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(send, SAVE_MS);
  }, [apiRef, send]);

  // Store -> grid: column filters into AG Grid, search into the box; the grid re-reads its rows.
  const syncFromStore = useCallback(() => {
    const api = apiRef.current;
    if (!api || api.isDestroyed()) return;
    const f = getFilter(table);
    // What the grid has, or is about to have.
    const gridHas = handed.current ?? columnsFromGrid(api.getFilterModel());
    if (!sameColumns(gridHas, f.columns)) {
      handed.current = f.columns;
      applying.current = true;
      try {
        api.setFilterModel(Object.keys(f.columns).length ? f.columns : null);
      } finally {
        applying.current = false;
      }
    }
    if (f.search !== lastSearch.current) {
      lastSearch.current = f.search;
      onSearch(f.search);
      api.purgeInfiniteCache();
    }
  }, [apiRef, table, onSearch]);

  const load = useCallback(async () => {
    loaded.current = false;
    const api = apiRef.current;
    if (!api) return;
    try {
      const saved = await invoke('grid.state.get', { grid: table });
      if (saved && !api.isDestroyed()) {
        const known = new Set(api.getColumns()?.map((c) => c.getColId()) ?? []);
        const state: ColumnState[] = saved.columns
          .filter((c) => known.has(c.colId))
          .map((c) => ({ colId: c.colId, width: c.width, hide: c.hide ?? false, pinned: c.pinned ?? null }));
        api.applyColumnState({ state: [{ colId: ROW_NUMBER_COL, pinned: 'left' }, ...state], applyOrder: true });
        api.applyColumnState({
          state: saved.sort.map((s, i) => ({ colId: s.colId, sort: s.sort, sortIndex: i })),
          defaultState: { sort: null },
        });
        // A filter set in this window (the dashboard got there first) wins over the saved one.
        const current = getFilter(table);
        if (Object.keys(current.columns).length === 0 && current.search === '') setFilter(table, saved.filter);
      }
    } catch (e) {
      onError(`Layout not loaded: ${(e as Error).message}`);
    } finally {
      loaded.current = true;
      // What the store holds now (set by the dashboard while this grid was not shown, or loaded).
      syncFromStore();
      // Settled now, or when the grid reports the filter handed to it (onFilterChanged); at the
      // latest after a second, so that a filter event that never comes cannot leave the grid empty.
      if (handed.current === null) setSettled(true);
      else setTimeout(() => setSettled(true), 1000);
    }
  }, [apiRef, table, onError, syncFromStore]);

  useEffect(() => {
    syncFromStore();
    save();
  }, [filter, syncFromStore, save]);

  useEffect(() => {
    const off = subscribe('file.opened', () => {
      // What waited to be saved was the other file's layout.
      if (saveTimer.current) clearTimeout(saveTimer.current);
      saveTimer.current = null;
      snapshot.current = null;
      dirty.current = false;
      setFilter(table, EMPTY_FILTER);
      void load();
    });
    return off;
  }, [table, load]);
  // What waits is sent when the grid goes away or the window closes (after the search box hands
  // its last text to the store, in the same unmount).
  useOnLeave(send);

  /** Grid -> store: the user changed a column filter. */
  const onFilterChanged = useCallback(() => {
    const api = apiRef.current;
    // From here on the grid's model is what it shows (ours arrived, or the user changed it).
    if (!applying.current && handed.current !== null) {
      handed.current = null;
      if (loaded.current) setSettled(true);
    }
    if (applying.current || !api) return;
    const columns = columnsFromGrid(api.getFilterModel());
    if (!sameColumns(columns, getFilter(table).columns)) setFilter(table, (prev) => ({ ...prev, columns }));
  }, [apiRef, table]);

  /** The search box, once the typing pauses. */
  const setSearch = useCallback((search: string) => setFilter(table, (prev) => ({ ...prev, search })), [table]);

  return { load, save, onFilterChanged, setSearch, settled };
}
