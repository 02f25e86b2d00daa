import { FIELDS, fieldOf, type Field, type RowValues } from '../../shared/domain/fields';
import type { TableName } from '../../shared/domain/common';
import type { CaseFile, Change } from './case-file';

/**
 * Before an undo or redo replays its changes: is the file still as the step left it? Each change
 * to replay names in `before` what it expects to find. A field that holds something else now was
 * changed since (by another window, an import, a merge) and is listed, to be put to the analyst
 * rather than overwritten silently. Changes of one step are followed in order (a row the step
 * added and then edited is compared with its last state). `skip`: changes that cannot apply any
 * more (their row was deleted since, or is back), left out if the analyst undoes all the same.
 */
export function changedSince(cf: CaseFile, changes: Change[]): { conflicts: string[]; skip: Set<Change> } {
  const conflicts: string[] = [];
  const skip = new Set<Change>();
  const known = new Map<string, RowValues | null>();
  const rowNow = (t: TableName, id: string): RowValues | null => {
    const k = `${t}\u0000${id}`;
    if (!known.has(k)) known.set(k, cf.get(t, id));
    return known.get(k) ?? null;
  };
  for (const c of changes) {
    if (c.tbl === 'attachments') continue;
    const t = c.tbl;
    const k = `${t}\u0000${c.row_id}`;
    const now = rowNow(t, c.row_id);
    if (c.op === 'update') {
      if (!now) {
        conflicts.push(`${describeRow(t, c.row_id, null)} was deleted`);
        skip.add(c);
        continue;
      }
      const f = c.field ?? '';
      if (!same(now[f], c.before))
        conflicts.push(`${fieldOf(t, f)?.label ?? f} of ${describeRow(t, c.row_id, now)} is now ${show(now[f])}`);
      known.set(k, { ...now, [f]: c.after });
    } else if (c.op === 'delete') {
      if (!now) {
        skip.add(c);
        continue;
      }
      const expected = (c.before ?? {}) as RowValues;
      for (const f of FIELDS[t] as readonly Field[]) {
        if (!same(now[f.name], expected[f.name]))
          conflicts.push(`${f.label} of ${describeRow(t, c.row_id, now)} is now ${show(now[f.name])}`);
      }
      known.set(k, null);
    } else {
      if (now) {
        conflicts.push(`${describeRow(t, c.row_id, now)} exists again`);
        skip.add(c);
        continue;
      }
      known.set(k, c.after as RowValues);
    }
  }
  return { conflicts, skip };
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'empty';
  const s = String(v);
  return `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”`;
}

/** A row as the analyst knows it: the incident of 2020-02 in Malé, the source "Amaq 2021". */
function describeRow(t: TableName, id: string, row: RowValues | null): string {
  const v = (f: string) =>
    row && row[f] !== null && row[f] !== undefined && row[f] !== '' ? String(row[f]).slice(0, 40) : null;
  switch (t) {
    case 'incidents':
    case 'plots': {
      const where = v('location') ?? v('admin1') ?? v('country');
      const when = v('date');
      const what = t === 'incidents' ? 'the incident' : 'the plot';
      return row ? `${what}${when ? ` of ${when}` : ''}${where ? ` in ${where}` : ''}` : `${what} ${id.slice(0, 8)}`;
    }
    case 'sources':
      return row ? `the source “${v('key') ?? v('title') ?? id.slice(0, 8)}”` : `a source`;
    case 'figures':
      return row ? `the figure “${v('measure') ?? id.slice(0, 8)}”` : 'a figure';
    case 'notes':
      return row ? `the note “${v('title') ?? id.slice(0, 8)}”` : 'a note';
    case 'citations':
      return 'a citation';
    default:
      return 'a comment';
  }
}
