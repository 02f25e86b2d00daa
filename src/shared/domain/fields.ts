import { z } from 'zod';
import { dateMatchesPrecision, type DatePrecision, type GridTable, type TableName } from './common';

/**
 * One description of every user-visible column. The core derives its SQL and validation from it,
 * the grid its column definitions, the importers their targets: a field is declared once.
 */
export type FieldKind = 'text' | 'longtext' | 'int' | 'real' | 'enum' | 'date' | 'ref';
export type Field = {
  name: string;
  label: string;
  kind: FieldKind;
  values?: readonly string[];
  required?: boolean;
  min?: number;
  max?: number;
  /** Part of the full-text index (issue 3). */
  fts?: boolean;
  /** For ref fields: the table the id points into. */
  ref?: TableName;
  /** Semicolon-separated list stored as text (actors, tags, nationalities). */
  list?: boolean;
  /** For `date` fields: the field holding its precision. */
  precisionField?: string;
  /** Not editable in the grid (written by the system or an importer). */
  readonly?: boolean;
  width?: number;
};

export const SOURCE_TYPES = [
  'dataset',
  'official_report',
  'statement',
  'propaganda',
  'leaked_document',
  'news',
  'research',
] as const;
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const RELIABILITY_LABEL: Record<(typeof RELIABILITY)[number], string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'cannot be judged',
};
export const CREDIBILITY_LABEL: Record<number, string> = {
  1: 'confirmed by other sources',
  2: 'probably true',
  3: 'possibly true',
  4: 'doubtful',
  5: 'improbable',
  6: 'cannot be judged',
};
export const PRECISIONS = ['day', 'week', 'month', 'year', 'unknown'] as const;
export const ATTRIBUTION = ['claimed', 'attributed', 'unclaimed', 'unknown'] as const;
export const CONFIDENCE = ['high', 'medium', 'low'] as const;
export const GROUP_LINK = ['directed', 'guided', 'inspired', 'unknown'] as const;
export const PLOT_STAGE = ['planning', 'preparation', 'arrested', 'attack_carried_out'] as const;
export const METRICS = ['incident_count', 'fatalities', 'plot_count', 'other'] as const;
export const LOCATOR_TYPES = ['page', 'paragraph', 'section', 'timestamp', 'other'] as const;
export const REVIEW_STATUS = ['unreviewed', 'verified', 'disputed', 'needs_source'] as const;
export const CITE_TARGETS = ['incidents', 'plots', 'figures', 'notes'] as const;
export const ALIAS_KINDS = ['actor', 'place'] as const;
export const ALIAS_STATUS = ['same', 'not_same'] as const;
export const ALIAS_ORIGINS = ['analyst', 'starter', 'suggestion'] as const;

export const FIELDS = {
  sources: [
    { name: 'key', label: 'Key', kind: 'text', required: true, width: 150 },
    { name: 'title', label: 'Title', kind: 'text', required: true, fts: true, width: 320 },
    { name: 'authors', label: 'Authors / publisher', kind: 'text', fts: true, width: 200 },
    { name: 'published', label: 'Published', kind: 'date', precisionField: 'published_precision' },
    { name: 'published_precision', label: 'Pub. precision', kind: 'enum', values: PRECISIONS },
    { name: 'url', label: 'URL', kind: 'text' },
    { name: 'language', label: 'Language', kind: 'text', width: 90 },
    { name: 'type', label: 'Type', kind: 'enum', values: SOURCE_TYPES, required: true },
    { name: 'reliability', label: 'Reliability', kind: 'enum', values: RELIABILITY, width: 100 },
    { name: 'accessed', label: 'Accessed', kind: 'text' },
    { name: 'notes', label: 'Notes', kind: 'longtext', fts: true },
  ],
  incidents: [
    { name: 'date', label: 'Date', kind: 'date', precisionField: 'date_precision', width: 110 },
    { name: 'date_precision', label: 'Precision', kind: 'enum', values: PRECISIONS, required: true, width: 100 },
    { name: 'event_type', label: 'Event type', kind: 'text', width: 170 },
    { name: 'sub_event_type', label: 'Sub-event type', kind: 'text', width: 170 },
    { name: 'actor1', label: 'Actor', kind: 'text', fts: true, width: 200 },
    { name: 'country', label: 'Country', kind: 'text', fts: true, width: 120 },
    { name: 'admin1', label: 'Admin1', kind: 'text', fts: true, width: 120 },
    { name: 'location', label: 'Location', kind: 'text', fts: true, width: 150 },
    { name: 'fatalities', label: 'Fatalities', kind: 'int', min: 0, max: 1_000_000, width: 100 },
    { name: 'injuries', label: 'Injuries', kind: 'int', min: 0, max: 1_000_000, width: 100 },
    { name: 'attribution', label: 'Attribution', kind: 'enum', values: ATTRIBUTION, required: true },
    { name: 'attributed_by', label: 'Attributed by', kind: 'text' },
    { name: 'confidence', label: 'Confidence', kind: 'enum', values: CONFIDENCE },
    { name: 'target', label: 'Target / actor 2', kind: 'text', fts: true, width: 170 },
    { name: 'assoc_actors', label: 'Associated actors', kind: 'text', fts: true, list: true },
    { name: 'admin2', label: 'Admin2', kind: 'text', fts: true },
    { name: 'latitude', label: 'Lat', kind: 'real', min: -90, max: 90, width: 90 },
    { name: 'longitude', label: 'Lon', kind: 'real', min: -180, max: 180, width: 90 },
    { name: 'geo_precision', label: 'Geo prec.', kind: 'int', min: 1, max: 3, width: 90 },
    { name: 'description', label: 'Description', kind: 'longtext', fts: true, width: 320 },
    { name: 'tags', label: 'Tags', kind: 'text', list: true },
    { name: 'external_id', label: 'External id', kind: 'text', readonly: true },
    { name: 'origin', label: 'Origin', kind: 'text', readonly: true, width: 90 },
  ],
  plots: [
    { name: 'date', label: 'Date', kind: 'date', precisionField: 'date_precision', width: 110 },
    { name: 'date_precision', label: 'Precision', kind: 'enum', values: PRECISIONS, required: true, width: 100 },
    { name: 'date_before', label: 'Before (date unknown)', kind: 'text', width: 120 },
    { name: 'country', label: 'Country of interdiction', kind: 'text', required: true, width: 150 },
    { name: 'target_city', label: 'Target city', kind: 'text', width: 130 },
    { name: 'target_description', label: 'Target', kind: 'text', width: 200 },
    { name: 'attack_type', label: 'Planned attack', kind: 'text', width: 150 },
    { name: 'suspects_nationalities', label: "Suspects' nationalities", kind: 'text', list: true, width: 170 },
    { name: 'group_link', label: 'Link to group', kind: 'enum', values: GROUP_LINK, required: true },
    { name: 'stage', label: 'Stage reached', kind: 'enum', values: PLOT_STAGE, required: true },
    { name: 'outcome', label: 'Outcome', kind: 'text', width: 200 },
    { name: 'description', label: 'Description', kind: 'longtext', width: 300 },
  ],
  figures: [
    { name: 'measure', label: 'Measure', kind: 'text', required: true, width: 260 },
    { name: 'metric', label: 'Metric', kind: 'enum', values: METRICS, required: true, width: 130 },
    { name: 'actor', label: 'Actor', kind: 'text', list: true, width: 120 },
    { name: 'country', label: 'Country', kind: 'text', width: 110 },
    { name: 'admin1', label: 'Admin1', kind: 'text', width: 110 },
    { name: 'period_start', label: 'From', kind: 'text', width: 100 },
    { name: 'period_end', label: 'To', kind: 'text', width: 100 },
    { name: 'value', label: 'Reported value', kind: 'real', required: true, width: 120 },
    { name: 'notes', label: 'Notes', kind: 'longtext' },
  ],
  citations: [
    { name: 'source_id', label: 'Source', kind: 'ref', ref: 'sources', required: true },
    { name: 'target_table', label: 'Cites', kind: 'enum', values: CITE_TARGETS, required: true },
    { name: 'target_id', label: 'Row', kind: 'text', required: true },
    { name: 'field', label: 'Field', kind: 'text' },
    { name: 'locator_type', label: 'Locator type', kind: 'enum', values: LOCATOR_TYPES },
    { name: 'locator', label: 'Locator', kind: 'text' },
    { name: 'quote', label: 'Quote', kind: 'longtext' },
    { name: 'prefix', label: 'Before', kind: 'text' },
    { name: 'suffix', label: 'After', kind: 'text' },
    { name: 'translation', label: 'Translation', kind: 'longtext' },
    { name: 'credibility', label: 'Credibility', kind: 'int', min: 1, max: 6 },
  ],
  notes: [
    { name: 'title', label: 'Title', kind: 'text', required: true },
    { name: 'body', label: 'Body', kind: 'longtext' },
  ],
  annotations: [
    { name: 'citation_id', label: 'Citation', kind: 'ref', ref: 'citations', required: true },
    { name: 'parent_id', label: 'Reply to', kind: 'text' },
    { name: 'status', label: 'Status', kind: 'enum', values: REVIEW_STATUS },
    { name: 'body', label: 'Comment', kind: 'longtext' },
    { name: 'resolved', label: 'Resolved', kind: 'int', min: 0, max: 1 },
  ],
  aliases: [
    { name: 'kind', label: 'Kind', kind: 'enum', values: ALIAS_KINDS, required: true },
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'entity', label: 'Same as', kind: 'text', required: true },
    { name: 'status', label: 'Status', kind: 'enum', values: ALIAS_STATUS, required: true },
    { name: 'origin', label: 'Origin', kind: 'enum', values: ALIAS_ORIGINS, required: true },
    { name: 'source_id', label: 'Source', kind: 'ref', ref: 'sources' },
    { name: 'notes', label: 'Notes', kind: 'longtext' },
  ],
} as const satisfies Record<TableName, readonly Field[]>;

export function fieldsOf(table: TableName): readonly Field[] {
  return FIELDS[table];
}

export function fieldOf(table: TableName, name: string): Field | undefined {
  return (FIELDS[table] as readonly Field[]).find((f) => f.name === name);
}

const LONG = 1_000_000;
const SHORT = 10_000;

const schemaCache = new WeakMap<Field, z.ZodType<unknown>>();

/** The zod schema of one field's value (null = empty), built once per field. */
export function fieldSchema(f: Field): z.ZodType<unknown> {
  let cached = schemaCache.get(f);
  if (!cached) {
    cached = buildFieldSchema(f);
    schemaCache.set(f, cached);
  }
  return cached;
}

function buildFieldSchema(f: Field): z.ZodType<unknown> {
  let s: z.ZodType<unknown>;
  switch (f.kind) {
    case 'int': {
      let n = z.number().int(`${f.label} must be a whole number`);
      if (f.min !== undefined) n = n.min(f.min, `${f.label} must be at least ${f.min}`);
      if (f.max !== undefined) n = n.max(f.max, `${f.label} must be at most ${f.max}`);
      s = n;
      break;
    }
    case 'real': {
      let n = z.number().refine(Number.isFinite, `${f.label} must be a number`);
      if (f.min !== undefined) n = n.min(f.min, `${f.label} must be at least ${f.min}`);
      if (f.max !== undefined) n = n.max(f.max, `${f.label} must be at most ${f.max}`);
      s = n;
      break;
    }
    case 'enum':
      s = z.enum(f.values as [string, ...string[]], {
        error: `${f.label} must be one of: ${(f.values ?? []).join(', ')}`,
      });
      break;
    case 'longtext':
      s = z.string().max(LONG, `${f.label} is longer than ${LONG} characters`);
      break;
    default:
      s = z.string().max(SHORT, `${f.label} is longer than ${SHORT} characters`);
  }
  return f.required ? s : s.nullable();
}

export type RowValues = Record<string, unknown>;

/** Checks a whole row: each field, then rules across fields (date vs its precision). */
export function validateRow(table: TableName, row: RowValues): { field: string; message: string } | null {
  const fields = FIELDS[table] as readonly Field[];
  for (const f of fields) {
    const v = row[f.name] === undefined ? null : row[f.name];
    const r = fieldSchema(f).safeParse(v);
    if (!r.success) {
      const msg = v === null && f.required ? `${f.label} is required` : (r.error.issues[0]?.message ?? 'invalid');
      return { field: f.name, message: msg };
    }
  }
  // Rules across fields, once each field is valid on its own.
  for (const f of fields) {
    if (f.kind !== 'date' || !f.precisionField) continue;
    const v = (row[f.name] ?? null) as string | null;
    const p = (row[f.precisionField] ?? (v === null ? 'unknown' : null)) as DatePrecision | null;
    if (p === null) continue;
    const err = dateMatchesPrecision(v, p);
    if (err) return { field: f.name, message: `${f.label}: ${err}` };
  }
  return null;
}

export function isGridTable(t: string): t is GridTable {
  return t === 'incidents' || t === 'plots' || t === 'sources' || t === 'figures';
}
