import type { LoggedTable } from '../../shared/domain/common';
import type { RowValues } from '../../shared/domain/fields';
import type { PlanItem } from '../../shared/channels/exchange';
import { rowLabel } from './labels';
import type { PlannedItem } from './types';

/** A plan item for a row, with every field a plan item has (defaults for the rest). */
export function planItem(
  tbl: LoggedTable,
  r: RowValues,
  p: Partial<PlannedItem> & Pick<PlanItem, 'kind'>,
): PlannedItem {
  return {
    key: `${tbl}:${r.id as string}`,
    tbl,
    id: r.id as string,
    label: rowLabel(tbl, r),
    rowConflict: null,
    reason: null,
    problem: null,
    fields: [],
    by: null,
    row: null,
    mineHlc: null,
    theirsRow: null,
    readAtApply: false,
    follows: null,
    ...p,
  };
}
