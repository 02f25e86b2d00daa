import type { LoggedTable } from '../../shared/domain/common';
import type { RowValues } from '../../shared/domain/fields';

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
const join = (...parts: unknown[]) =>
  parts
    .map(str)
    .filter((p) => p.trim() !== '')
    .join(' · ');

/** A short, one-line name for a row in the merge review (text from a colleague's file: clipped). */
export function rowLabel(tbl: LoggedTable, r: RowValues): string {
  let s: string;
  switch (tbl) {
    case 'incidents':
      s = join(r.date ?? 'undated', r.location ?? r.admin1 ?? r.country, r.event_type);
      break;
    case 'plots':
      s = join(r.date ?? r.date_before ?? 'undated', r.target_city ?? r.country, r.stage);
      break;
    case 'figures':
      s = join(r.measure, r.period_start);
      break;
    case 'sources':
      s = join(r.key, r.title);
      break;
    case 'citations':
      s = `Citation of ${str(r.target_table).replace(/s$/, '') || 'a row'}${r.locator ? ` (${str(r.locator_type) || 'at'} ${str(r.locator)})` : ''}${r.quote ? `: “${str(r.quote).slice(0, 60)}”` : ''}`;
      break;
    case 'notes':
      s = str(r.title);
      break;
    case 'annotations':
      s = `Comment${r.body ? `: ${str(r.body).slice(0, 60)}` : ''}`;
      break;
    case 'aliases':
      s = `${str(r.name)} ${r.status === 'not_same' ? 'is not' : '='} ${str(r.entity)} (${str(r.kind)})`;
      break;
    case 'attachments':
      // eslint-disable-next-line no-control-regex
      s = `${str(r.name).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')} (${typeof r.size === 'number' ? bytes(r.size) : 'size unknown'})`;
      break;
  }
  s = s.replace(/\s+/g, ' ').trim();
  return (s.length > 120 ? `${s.slice(0, 119)}…` : s) || String(r.id);
}

export const TABLE_NOUN: Record<LoggedTable, [string, string]> = {
  sources: ['source', 'sources'],
  incidents: ['incident', 'incidents'],
  plots: ['plot', 'plots'],
  figures: ['figure', 'figures'],
  citations: ['citation', 'citations'],
  notes: ['note', 'notes'],
  annotations: ['comment', 'comments'],
  aliases: ['alias', 'aliases'],
  attachments: ['attached file', 'attached files'],
};

export const plural = (n: number, tbl: LoggedTable) => `${n} ${TABLE_NOUN[tbl][n === 1 ? 0 : 1]}`;
