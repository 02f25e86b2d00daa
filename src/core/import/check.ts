import { validateRow } from '../../shared/domain/fields';
import type { IncidentRecord } from './types';

/**
 * The importers check each record with the same rules as an edit in the grid. validateRow builds
 * its schemas once per field, so this costs a few microseconds a row.
 */
export function checkIncident(row: IncidentRecord): { field: string; message: string } | null {
  return validateRow('incidents', row as unknown as Record<string, unknown>);
}
