import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { SortModel } from '../../../../shared/contract';
import type { GridTable } from '../../../../shared/domain/common';
import { invoke } from '../../lib/api';
import { getFilter } from '../../lib/filter-store';
import { columnsFromGrid } from './filter-model';

/**
 * AG Grid's infinite row model asks for blocks by position; the core answers any position by
 * keyset from its anchors (rows.seek), with the view's row count, so the scrollbar is the size
 * of the whole view and dragging it to 99% of a million rows costs one page.
 */
export function makeDatasource(
  table: GridTable,
  onTotal: (n: number) => void,
  onError: (m: string) => void,
): IDatasource {
  return {
    getRows: (params: IGetRowsParams) => {
      const sort = params.sortModel.slice(0, 3).map((s) => ({ colId: s.colId, sort: s.sort })) as SortModel;
      const filter = {
        columns: columnsFromGrid(params.filterModel as Record<string, unknown>),
        search: getFilter(table).search,
      };
      invoke('rows.seek', { table, sort, filter, offset: params.startRow, limit: params.endRow - params.startRow })
        .then((r) => {
          onTotal(r.total);
          params.successCallback(r.rows, r.total);
        })
        .catch((e: Error) => {
          onError(e.message);
          params.failCallback();
        });
    },
  };
}
