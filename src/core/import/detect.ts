import { detectAcledLayout, type AcledLayout } from './acled';
import { isGtdHeader } from './gtd';
import { isUcdpHeader } from './ucdp';

export type DetectedFormat =
  { format: 'acled'; layout: AcledLayout } | { format: 'gtd' } | { format: 'ucdp' } | { format: 'csv' };

/** Which importer a header belongs to; anything else is a generic table that needs a column mapping. */
export function detectTableFormat(header: readonly string[]): DetectedFormat {
  const layout = detectAcledLayout(header);
  if (layout !== null) return { format: 'acled', layout };
  if (isGtdHeader(header)) return { format: 'gtd' };
  if (isUcdpHeader(header)) return { format: 'ucdp' };
  return { format: 'csv' };
}
