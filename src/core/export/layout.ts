import { FIELDS, type Field } from '../../shared/domain/fields';
import type { GridTable } from '../../shared/domain/common';
import type { ExportLayout } from '../../shared/channels/grid';
import { splitList } from '../../shared/domain/lists';
import { CasefileError } from '../errors';

/**
 * What an export writes, column by column: the header, and for each row the cells. A cell is a
 * number only where the database holds a number (number columns are STRICT), so numbers stay
 * numbers and text stays text whatever it looks like.
 */
export type Cell = string | number | null;
export type ColumnPlan = {
  header: string[];
  cells: (row: Record<string, unknown>) => Cell[];
  extraSelect?: string;
  xlsx?: XlsxShape;
};
/**
 * What an XLSX export makes of some columns (by index in the header): date columns become date
 * cells read with the precision column beside them, and the values of list fields are given
 * again one per row, with the row's id, on a second sheet.
 */
export type XlsxShape = {
  dates?: { column: number; precision: number }[];
  lists?: { column: number; field: string }[];
  idColumn?: number;
  /** Rows of list values per sheet: Excel's limit (smaller only where a test needs it). */
  sheetRows?: number;
};

const META = ['created_at', 'updated_at', 'author'];

export function planFor(table: GridTable, layout: ExportLayout): ColumnPlan {
  if (layout === 'acled') {
    if (table !== 'incidents') throw new CasefileError('validation', 'The ACLED layout is for incidents only');
    return ACLED_PLAN;
  }
  const fields = FIELDS[table] as readonly Field[];
  if (table === 'incidents') {
    const header = ['id', ...fields.map((f) => f.name), 'sources', ...META];
    return {
      header,
      cells: (row) => header.map((h) => cellValue(h === 'sources' ? row._source_lines : row[h])),
      extraSelect: SOURCE_LINES,
      xlsx: xlsxShape(header, fields),
    };
  }
  const header = ['id', ...fields.map((f) => f.name), ...META];
  return { header, cells: (row) => header.map((h) => cellValue(row[h])), xlsx: xlsxShape(header, fields) };
}

function xlsxShape(header: string[], fields: readonly Field[]): XlsxShape {
  const dates: { column: number; precision: number }[] = [];
  const lists: { column: number; field: string }[] = [];
  for (const f of fields) {
    const column = header.indexOf(f.name);
    const precision = f.precisionField ? header.indexOf(f.precisionField) : -1;
    if (f.kind === 'date' && precision >= 0) dates.push({ column, precision });
    if (f.list) lists.push({ column, field: f.name });
  }
  return { dates, lists, idColumn: header.indexOf('id') };
}

/**
 * An incident's `sources` cell: the titles of the sources it cites (not the dataset it came
 * from), in citation order, each followed by a line break. Titles hold semicolons ("Cairo Police
 * Chief Quits; Decries..."), so the importer reads a cell with line breaks one title per line;
 * the break after the last keeps a lone title with a semicolon whole too.
 */
const SOURCE_LINES = `(SELECT group_concat(s.title || char(10), '' ORDER BY c.rowid) FROM citations c JOIN sources s ON s.id = c.source_id
      WHERE c.target_table = 'incidents' AND c.target_id = incidents.id AND s.type <> 'dataset') AS _source_lines`;

function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

// ---- ACLED's current 31-column layout ---------------------------------------------------------

export const ACLED_HEADER = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
];

/** ACLED columns the importer keeps as `key=value` tags, since incidents have no field for them. */
const TAG_COLUMNS = new Set([
  'inter1',
  'inter2',
  'interaction',
  'civilian_targeting',
  'disorder_type',
  'source_scale',
  'admin3',
]);
const PRECISION_CODE: Record<string, string> = { day: '1', week: '2', month: '3', year: '3' };

/**
 * The inverse of the ACLED importer: columns it folded into tags come back out of them, the
 * sources a row cites become its `source` list (in citation order), the row's upstream revision
 * time its `timestamp`. ACLED has no year precision and no unknown date: a year is written as
 * its 1 July with precision 3 (month), an unknown date is left blank. iso, region and year are
 * derived columns the importer drops: year is written, iso and region are left blank. Fields
 * ACLED has no column for (injuries, attribution, confidence) are not written.
 */
function acledCells(row: Record<string, unknown>): Cell[] {
  const date = (row.date as string | null) ?? null;
  const precision = String(row.date_precision ?? 'unknown');
  const eventDate =
    date === null ? null : date.length === 10 ? date : date.length === 7 ? `${date}-15` : `${date}-07-01`;
  const tagged = new Map<string, string[]>();
  const rest: string[] = [];
  for (const t of splitList(row.tags)) {
    const eq = t.indexOf('=');
    const key = eq > 0 ? t.slice(0, eq) : '';
    if (TAG_COLUMNS.has(key)) tagged.set(key, [...(tagged.get(key) ?? []), t.slice(eq + 1)]);
    else rest.push(t);
  }
  const tag = (k: string): Cell => tagged.get(k)?.join('; ') ?? null;
  const byName: Record<string, Cell> = {
    event_id_cnty: cellValue(row.external_id ?? row.id),
    event_date: eventDate,
    year: date === null ? null : Number(date.slice(0, 4)),
    time_precision: date === null ? null : Number(PRECISION_CODE[precision] ?? '1'),
    disorder_type: tag('disorder_type'),
    event_type: cellValue(row.event_type),
    sub_event_type: cellValue(row.sub_event_type),
    actor1: cellValue(row.actor1),
    assoc_actor_1: cellValue(row.assoc_actors),
    inter1: tag('inter1'),
    actor2: cellValue(row.target),
    assoc_actor_2: null,
    inter2: tag('inter2'),
    interaction: tag('interaction'),
    civilian_targeting: tag('civilian_targeting'),
    iso: null,
    region: null,
    country: cellValue(row.country),
    admin1: cellValue(row.admin1),
    admin2: cellValue(row.admin2),
    admin3: tag('admin3'),
    location: cellValue(row.location),
    latitude: cellValue(row.latitude),
    longitude: cellValue(row.longitude),
    geo_precision: cellValue(row.geo_precision),
    source: cellValue(row._sources),
    source_scale: tag('source_scale'),
    notes: cellValue(row.description),
    fatalities: cellValue(row.fatalities),
    tags: rest.length ? rest.join('; ') : null,
    timestamp: cellValue(row.source_timestamp),
  };
  return ACLED_HEADER.map((h) => byName[h] ?? null);
}

const ACLED_PLAN: ColumnPlan = {
  header: ACLED_HEADER,
  cells: acledCells,
  // The titles of the sources each row cites, in the order they were cited; not the dataset itself
  // (the importer cites "ACLED export <file>" from every row it brings in).
  extraSelect: `(SELECT group_concat(s.title, '; ' ORDER BY c.rowid) FROM citations c JOIN sources s ON s.id = c.source_id
      WHERE c.target_table = 'incidents' AND c.target_id = incidents.id AND s.type <> 'dataset') AS _sources`,
};
