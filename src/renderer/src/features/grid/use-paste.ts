import { useCallback } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { GridTable } from '../../../../shared/domain/common';
import { shownFields } from './columns';
import { invoke } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { parseTsv } from './tsv';
import { sortOf } from './use-grid-state';

const MAX_ROWS = 10_000;

/**
 * Ctrl+V on a focused cell: the clipboard's text as a block of cells (copied from a spreadsheet),
 * laid from that cell rightwards and down over the view's rows, and sent to the core as ONE
 * paste, which saves it whole or not at all (rows.paste). While a cell is being edited, the
 * editor's own paste applies instead.
 */
export function usePaste(table: GridTable, apiRef: React.RefObject<GridApi | null>, onError: (m: string) => void) {
  return useCallback(
    (e: React.ClipboardEvent) => {
      const api = apiRef.current;
      if (!api || (e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
      const focused = api.getFocusedCell();
      const text = e.clipboardData.getData('text/plain');
      if (!focused || focused.rowPinned || !text) return;
      e.preventDefault();
      const block = parseTsv(text);
      if (block.length === 0) return;
      if (block.length > MAX_ROWS)
        return onError(
          `A paste may hold up to ${MAX_ROWS.toLocaleString()} rows; this one has ${block.length.toLocaleString()}`,
        );
      const cols = shownFields(api, table);
      const start = cols.indexOf(focused.column.getColId());
      if (start === -1) return onError('Select a cell of a data column to paste into');
      const width = Math.max(...block.map((r) => r.length));
      if (start + width > cols.length)
        return onError(
          `The block is ${width} columns wide, but only ${cols.length - start} columns follow the selected cell`,
        );
      const columns = cols.slice(start, start + width);
      void (async () => {
        try {
          const first = focused.rowIndex;
          let ids = block.map(
            (_, i) => (api.getDisplayedRowAtIndex(first + i)?.data as { id?: string } | undefined)?.id,
          );
          if (ids.some((id) => !id)) {
            // Rows below the loaded blocks: their ids from the core, in the same view.
            const got: string[] = [];
            while (got.length < block.length) {
              const r = await invoke('rows.seek', {
                table,
                sort: sortOf(api),
                filter: getFilter(table),
                offset: first + got.length,
                limit: Math.min(1000, block.length - got.length),
              });
              got.push(...r.rows.map((row) => row.id as string));
              if (r.rows.length === 0) break;
            }
            ids = got;
          }
          if (ids.length < block.length)
            return onError(`The block has ${block.length} rows, but only ${ids.length} rows follow the selected cell`);
          await invoke('rows.paste', {
            table,
            columns,
            firstRow: first + 1,
            rows: block.map((cells, i) => ({
              id: ids[i]!,
              cells: [...cells, ...Array<string>(width - cells.length).fill('')],
            })),
          });
        } catch (err) {
          onError((err as Error).message);
        }
      })();
    },
    [table, apiRef, onError],
  );
}
