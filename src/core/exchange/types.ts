import type { RowValues } from '../../shared/domain/fields';
import type { PlanCounts, PlanItem } from '../../shared/channels/exchange';

/** A plan item as the core keeps it: the review's view plus what applying it needs. */
export type PlannedItem = PlanItem & {
  /** The row's clock value in your file when planned (null: not there). Apply refuses if it moved. */
  mineHlc: string | null;
  /**
   * Their row (fields and id, times, author, clock) when it is to be inserted or its fields taken.
   * A plain addition keeps only its id and the ids it points at (`readAtApply`).
   */
  theirsRow: RowValues | null;
  /**
   * Their row is read again from their copy when it is inserted. A colleague's import adds
   * millions of rows, and a plan that held each one whole ran out of memory (a 1M-incident file:
   * 3.3M rows, over 4 GB); their copy is private and does not change between plan and apply.
   */
  readAtApply: boolean;
  /** Key of the item this one is decided with (a citation follows the row it cites). */
  follows: string | null;
};

export type MergePlan = {
  theirsName: string;
  theirsTitle: string;
  /** Authors of their history this file does not have yet. */
  authors: string[];
  /** Their change-log entries this file does not have yet. */
  theirLogEntries: number;
  theirsMaxHlc: string | null;
  items: PlannedItem[];
  /**
   * Their source id -> yours, for each source of theirs that is one of yours under another id
   * (same key, same title; source-twins.ts): what of theirs cites it cites yours when merged.
   */
  sourceAliases: Record<string, string>;
  counts: PlanCounts;
  warnings: string[];
};
