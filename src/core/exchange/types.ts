import type { RowValues } from '../../shared/domain/fields';
import type { PlanCounts, PlanItem } from '../../shared/channels/exchange';

/** A plan item as the core keeps it: the review's view plus what applying it needs. */
export type PlannedItem = PlanItem & {
  /** The row's clock value in your file when planned (null: not there). Apply refuses if it moved. */
  mineHlc: string | null;
  /** Their row (fields and id, times, author, clock) when it is to be inserted or its fields taken. */
  theirsRow: RowValues | null;
  /** Key of the item this one is decided with (a citation follows the row it cites). */
  follows: string | null;
};

export type MergePlan = {
  theirsName: string;
  theirsTitle: string;
  /** Authors of their history this file does not have yet. */
  authors: string[];
  /** Their change-log entries this file does not have yet. */
  history: number;
  theirsMaxHlc: string | null;
  items: PlannedItem[];
  counts: PlanCounts;
  warnings: string[];
};
