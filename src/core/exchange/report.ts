import type {
  ConflictRow,
  FieldDiff,
  MergeResult,
  PlanCounts,
  TableCounts,
  TableResult,
} from '../../shared/channels/exchange';
import type { LoggedTable } from '../../shared/domain/common';
import type { MergePlan, PlannedItem } from './types';

/** The most conflict rows a report lists (the counts cover them all). */
const CONFLICT_ROWS = 1000;

/**
 * A dataset's bookkeeping fields (an importer's upstream revision time) are not the analyst's
 * data: beside other differences they follow the choice made for those (`follows`), never a
 * conflict of their own. Alone, a difference both sides made is settled by the later revision.
 */
export function settleBookkeeping(diffs: FieldDiff[], bookkeeping: ReadonlySet<string>): FieldDiff[] {
  if (bookkeeping.size === 0) return diffs;
  const data = diffs.filter((d) => !bookkeeping.has(d.field));
  const kept = diffs.filter((d) => data.length > 0 || !d.conflict || later(d.theirs, d.mine));
  for (const d of kept) {
    if (!bookkeeping.has(d.field)) continue;
    d.conflict = false;
    if (data.length > 0) d.follows = true;
  }
  return kept;
}

const later = (a: unknown, b: unknown) => typeof a === 'number' && (typeof b !== 'number' || a > b);

const zero = (): TableCounts => ({ added: 0, changed: 0, deleted: 0, conflicts: 0 });

/** Totals and per-table counts of a plan, one conflict per row whatever its number of fields. */
export function planCounts(items: readonly PlannedItem[]): PlanCounts {
  const total = zero();
  const tables: Partial<Record<LoggedTable, TableCounts>> = {};
  for (const x of items) {
    const k = x.kind === 'conflict' ? 'conflicts' : x.kind;
    total[k]++;
    (tables[x.tbl] ??= zero())[k]++;
  }
  return { ...total, tables };
}

/** The rows in conflict, each with the fields both changed (none when the whole row is at stake). */
export function conflictRows(items: readonly PlannedItem[]): ConflictRow[] {
  return items
    .filter((x) => x.kind === 'conflict')
    .slice(0, CONFLICT_ROWS)
    .map((x) => ({
      tbl: x.tbl,
      id: x.id,
      label: x.label,
      fields: x.rowConflict ? [] : x.fields.filter((f) => f.conflict).map((f) => f.field),
      reason: x.reason,
    }));
}

/** What a merge would do, before it is applied (a dry run, or conflicts without a choice). */
export function previewResult(plan: MergePlan): MergeResult {
  const tables: Partial<Record<LoggedTable, TableResult>> = {};
  for (const [t, c] of Object.entries(plan.counts.tables) as [LoggedTable, TableCounts][]) {
    // A field-level conflict updates its row whichever side is chosen for what only they changed.
    const fieldConflicts = plan.items.filter((x) => x.tbl === t && x.kind === 'conflict' && !x.rowConflict).length;
    tables[t] = { added: c.added, updated: c.changed + fieldConflicts, deleted: c.deleted, conflicts: c.conflicts };
  }
  const sum = (k: keyof TableResult) => Object.values(tables).reduce((n, r) => n + r[k], 0);
  return {
    added: sum('added'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    conflicts: plan.counts.conflicts,
    applied: false,
    tables,
    conflictRows: conflictRows(plan.items),
    skipped: [],
    notes: [],
  };
}

/** Counters for a merge being applied, per table. */
export function resultCounter(plan: MergePlan) {
  const tables: Partial<Record<LoggedTable, TableResult>> = {};
  for (const [t, c] of Object.entries(plan.counts.tables) as [LoggedTable, TableCounts][])
    tables[t] = { added: 0, updated: 0, deleted: 0, conflicts: c.conflicts };
  const out: MergeResult = {
    added: 0,
    updated: 0,
    deleted: 0,
    conflicts: plan.counts.conflicts,
    applied: true,
    tables,
    conflictRows: conflictRows(plan.items),
    skipped: [],
    notes: [],
  };
  const count = (t: LoggedTable, k: 'added' | 'updated' | 'deleted') => {
    out[k]++;
    (tables[t] ??= { added: 0, updated: 0, deleted: 0, conflicts: 0 })[k]++;
  };
  return { out, count };
}
