import { useCallback, useRef } from 'react';
import type { CellEditingStartedEvent, CellFocusedEvent, Column, GridApi, ValueSetterParams } from 'ag-grid-community';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { columnsFromGrid } from './filter-model';
import { sortOf } from './use-grid-state';

function editingIn(api: GridApi | null): boolean {
  return (api?.getEditingCells().length ?? 0) > 0;
}

/**
 * Keystrokes go to the row the analyst is working on, wherever the view's sort puts it.
 *
 * The infinite row model keeps rows by position: when a change moves a row (its date typed in a
 * view sorted by date), the grid's re-read puts another row at that position, and the editor that
 * Tab opened, or the next key typed on the focused cell, landed on that other row. So:
 * - while an editor is open, the grid is not re-read (the change is shown when it closes);
 * - an edit is saved to the row its editor was opened on, whatever row is at that position now;
 * - the row just added or edited is followed: after the re-read, the focus moves to where the row
 *   is now (asked of the core before the re-read, so no key lands in between), or, when the
 *   view's filters or search now hide it, the focus is cleared and the analyst told.
 * Following stops when the analyst moves to another row (a click, an arrow key, Tab past the end).
 */
export function useFollowRow(table: GridTable, apiRef: React.RefObject<GridApi | null>, onNotice: (m: string) => void) {
  const followed = useRef<string | null>(null);
  const pending = useRef(false);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const moving = useRef(false);
  const editing = useRef<{ rowIndex: number; colId: string; id: string } | null>(null);

  const editingNow = useCallback(() => editingIn(apiRef.current), [apiRef]);

  const relocate = useCallback(async () => {
    const api = apiRef.current;
    if (!api || api.isDestroyed()) return;
    if (editingNow()) {
      pending.current = true;
      return;
    }
    pending.current = false;
    const id = followed.current;
    const focused = api.getFocusedCell();
    if (!id || !focused) {
      api.refreshInfiniteCache();
      return;
    }
    const view = {
      columns: columnsFromGrid(api.getFilterModel() as Record<string, unknown>),
      search: getFilter(table).search,
    };
    let index: number | null = null;
    let gone = false;
    try {
      index = (await invoke('rows.position', { table, sort: sortOf(api), filter: view, id })).index;
      if (index === null) gone = (await invoke('rows.get', { table, id })) === null;
    } catch {
      gone = true;
    }
    if (api.isDestroyed()) return;
    // The analyst opened an editor meanwhile: it is still on the followed row (nothing was re-read).
    if (editingNow()) {
      pending.current = true;
      return;
    }
    const column: Column = api.getFocusedCell()?.column ?? focused.column;
    api.refreshInfiniteCache();
    if (followed.current !== id) return;
    if (index === null) {
      followed.current = null;
      // Deleted (an undo, another window): nothing to follow. Hidden by the view: nothing typed
      // may go to the row that now takes its place.
      if (gone) return;
      api.clearFocusedCell();
      onNotice("The row you were editing is now hidden by this view's filters or search.");
      return;
    }
    moving.current = true;
    try {
      api.ensureIndexVisible(index);
      api.setFocusedCell(index, column);
    } finally {
      moving.current = false;
    }
  }, [apiRef, table, onNotice, editingNow]);

  /** A change event: the grid re-reads its rows, now or when the open editor closes. */
  const refresh = useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = relocate().finally(() => {
      running.current = null;
      if (again.current) {
        again.current = false;
        refresh();
      }
    });
  }, [relocate]);

  const follow = useCallback((id: string) => {
    followed.current = id;
  }, []);

  const onEditingStarted = useCallback((e: CellEditingStartedEvent) => {
    const id = (e.data as { id?: string } | undefined)?.id;
    editing.current = id && e.rowIndex !== null ? { rowIndex: e.rowIndex, colId: e.column.getColId(), id } : null;
  }, []);

  const onEditingStopped = useCallback(() => {
    editing.current = null;
    // Tab closes one editor and opens the next: the re-read waits until none is open.
    setTimeout(() => {
      if (pending.current && !editingNow()) refresh();
    }, 0);
  }, [refresh, editingNow]);

  const onCellFocused = useCallback(
    (e: CellFocusedEvent) => {
      if (moving.current || followed.current === null || e.rowIndex === null) return;
      if (e.previousCellFocus && e.previousCellFocus.rowIndex === e.rowIndex) return;
      const id = (apiRef.current?.getDisplayedRowAtIndex(e.rowIndex)?.data as { id?: string } | undefined)?.id;
      if (id !== followed.current) followed.current = null;
    },
    [apiRef],
  );

  /** The row an edit belongs to: the one its editor was opened on. */
  const rowOfEdit = useCallback((p: ValueSetterParams): string => {
    const e = editing.current;
    const id =
      e && e.rowIndex === p.node?.rowIndex && e.colId === p.column.getColId() ? e.id : (p.data as { id: string }).id;
    return id;
  }, []);

  return { refresh, follow, onEditingStarted, onEditingStopped, onCellFocused, rowOfEdit };
}
