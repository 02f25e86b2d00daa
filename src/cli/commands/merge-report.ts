import type { MergeResult, TableResult } from '../../shared/channels/exchange';
import { LOGGED_TABLES, type LoggedTable } from '../../shared/domain/common';
import { TABLE_NOUN as NOUN } from '../../core/exchange/labels';
import { terminalField } from '../../shared/text/terminal-text';

const count = (n: number, t: LoggedTable) => `${n.toLocaleString('en-US')} ${NOUN[t][n === 1 ? 0 : 1]}`;

/**
 * A merge's result for people, table by table: "incidents: 10 added" rather than one count of
 * every row of every table; a row in conflict counts once, with the fields both changed.
 */
export function mergeReport(r: MergeResult): string[] {
  const lines: string[] = [];
  const verb = r.applied ? 'merged' : 'not applied';
  const tables = LOGGED_TABLES.filter((t) => r.tables[t]);
  if (tables.length === 0) lines.push(`nothing to merge (${verb})`);
  else lines.push(`${r.conflicts.toLocaleString('en-US')} row${r.conflicts === 1 ? '' : 's'} in conflict (${verb})`);
  for (const t of tables) {
    const c = r.tables[t] as TableResult;
    const parts = (['added', 'updated', 'deleted'] as const)
      .filter((k) => c[k] > 0)
      .map((k) => `${c[k].toLocaleString('en-US')} ${k}`);
    if (c.conflicts > 0) parts.push(`${count(c.conflicts, t)} in conflict`);
    lines.push(`  ${t}: ${parts.join(', ') || 'nothing applied'}`);
  }
  for (const c of r.conflictRows) {
    const what = c.fields.length ? c.fields.join(', ') : (c.reason ?? 'the whole row');
    lines.push(`  conflict: ${NOUN[c.tbl][0]} ${terminalField(c.label)} (${c.id}): ${terminalField(what)}`);
  }
  if (r.conflictRows.length < r.conflicts)
    lines.push(`  ... and ${(r.conflicts - r.conflictRows.length).toLocaleString('en-US')} more rows in conflict`);
  for (const s of r.skipped) lines.push(`  not applied: ${terminalField(s)}`);
  for (const s of r.notes) lines.push(`  note: ${terminalField(s)}`);
  return lines;
}
