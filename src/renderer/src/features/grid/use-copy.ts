import { useCallback } from 'react';
import type { GridApi, IRowNode } from 'ag-grid-community';
import type { GridTable } from '../../../../shared/domain/common';
import { shownFields } from './columns';
import { toTsv } from './tsv';

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * Ctrl+C in the grid puts cells on the clipboard as a spreadsheet does (tab-separated, see
 * toTsv), so they paste into Excel or LibreOffice, or back into a grid: the ticked rows across
 * the data columns shown, in the view's order; with no row ticked, the focused cell. Values are
 * copied as stored (a date as "2024-03"), which is what a paste reads back; one cell of plain text
 * copies as that text alone. Text selected with
 * the mouse, and a cell being edited, copy as the browser copies them.
 */
export function useCopy(table: GridTable, apiRef: React.RefObject<GridApi | null>, onError: (m: string) => void) {
  return useCallback(
    (e: React.ClipboardEvent) => {
      const api = apiRef.current;
      if (!api || (e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
      if (window.getSelection()?.toString()) return;
      const columns = shownFields(api, table);
      const ticked = api.getSelectedNodes();
      let rows: string[][];
      if (ticked.length > 0) {
        const loaded = ticked.filter((n): n is IRowNode & { data: Record<string, unknown> } => n.data !== undefined);
        if (loaded.length < ticked.length) {
          onError(
            `${ticked.length - loaded.length} of the ticked rows are not loaded: scroll to them, or export the view instead`,
          );
          e.preventDefault();
          return;
        }
        loaded.sort((a, b) => (a.rowIndex ?? 0) - (b.rowIndex ?? 0));
        rows = loaded.map((n) => columns.map((c) => text(n.data[c])));
      } else {
        const focused = api.getFocusedCell();
        const col = focused?.column.getColId();
        const data = focused
          ? (api.getDisplayedRowAtIndex(focused.rowIndex)?.data as Record<string, unknown> | undefined)
          : undefined;
        if (!col || !data || !columns.includes(col)) return;
        rows = [[text(data[col])]];
      }
      // One plain cell copies as its text alone (no line break after it), for pasting into a note.
      const one = rows.length === 1 && rows[0]!.length === 1 && !/[\t\n\r"]/.test(rows[0]![0]!) ? rows[0]![0]! : null;
      e.clipboardData.setData('text/plain', one ?? toTsv(rows));
      e.preventDefault();
    },
    [table, apiRef, onError],
  );
}
