/**
 * A list stored as text ("Islamic State (Afghanistan); ISKP"): its items, trimmed, empty ones
 * left out. Fields declared `list` (fields.ts) hold their values this way.
 */
export function splitList(v: unknown): string[] {
  if (typeof v !== 'string' || v === '') return [];
  return v
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
