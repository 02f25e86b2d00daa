import { createHash } from 'node:crypto';
import { FIELDS, PRECISIONS, type Field } from '../../shared/domain/fields';
import type { DatePrecision } from '../../shared/domain/common';
import { checkIncident } from './check';
import type { IncidentRecord, RowError, RowResult } from './types';
import { DateOrderReader } from './date-order';
import {
  joinList,
  parseNumber,
  pushListItems,
  pushSourceItems,
  pushTag,
  text,
  type DateOptions,
  type DateOrder,
} from './values';

/**
 * Any CSV or sheet, with a column mapping the analyst confirmed: `{ column name: field | null }`.
 *
 * Rules, by the kind of the target field in the registry:
 * - date: the formats of values.ts plus `YYYY-MM` and `YYYY`, which set month or year precision;
 *   `09/05/2020` is read in options.dateOrder, else in the order the file's other dates show
 *   (date-order.ts). A column mapped
 *   to date_precision (day|week|month|year|unknown, or ACLED's 1|2|3) overrides the precision and
 *   truncates the date; it may not claim more precision than the date has.
 * - int and real: decimal numbers only, integers for int; ranges are the registry's.
 * - enums (attribution, confidence): the registry's values, case-insensitively. Attribution is
 *   `unknown` when not mapped.
 * - several columns on one field: list fields (assoc_actors, tags) and `sources` collect the items
 *   of all of them; description joins them with a blank line; any other field takes the first
 *   non-empty one. A column mapped to tags whose own name is not "tags" adds `column=value` items,
 *   so extra columns can be kept without a field of their own.
 * - `sources` is not an incident field: its items are returned beside the record, one per line
 *   when the cell has line breaks (Casefile's own export), else split on `;`.
 */
export type IncidentField = (typeof FIELDS.incidents)[number]['name'];
export type GenericTarget = IncidentField | 'sources';
export type ColumnMapping = Record<string, GenericTarget | null>;
export type GenericOptions = {
  /** Written to the origin field when no column is mapped to it, or its cell is blank (default 'CSV'; the importer passes the file's name). */
  origin?: string;
  dateOrder?: DateOptions['dateOrder'];
};

export const GENERIC_TARGETS: readonly GenericTarget[] = [
  ...(FIELDS.incidents as readonly Field[]).map((f) => f.name as IncidentField),
  'sources',
];

type Slot = { target: GenericTarget; field: Field | null; cols: number[]; names: string[] };

export type GenericMapper = { map(cells: readonly string[], line: number): RowResult };

const norm = (s: string) => s.trim().toLowerCase();

export function createGenericMapper(
  header: readonly string[],
  mapping: ColumnMapping,
  options: GenericOptions = {},
): GenericMapper {
  const slots = new Map<GenericTarget, Slot>();
  const normHeader = header.map(norm);
  for (const [column, target] of Object.entries(mapping)) {
    if (target === null) continue;
    if (!GENERIC_TARGETS.includes(target)) throw new Error(`unknown field "${String(target)}" for column "${column}"`);
    let cols: number[] = [];
    header.forEach((h, i) => {
      if (h === column) cols.push(i);
    });
    if (cols.length === 0) {
      const n = norm(column);
      normHeader.forEach((h, i) => {
        if (h === n) cols.push(i);
      });
    }
    if (cols.length === 0) continue; // a remembered mapping may name a column this file lacks
    let slot = slots.get(target);
    if (slot === undefined) {
      const field =
        target === 'sources' ? null : ((FIELDS.incidents as readonly Field[]).find((f) => f.name === target) ?? null);
      slot = { target, field, cols: [], names: [] };
      slots.set(target, slot);
    }
    cols = cols.filter((c) => !slot.cols.includes(c));
    for (const c of cols) {
      slot.cols.push(c);
      slot.names.push(header[c] as string);
    }
  }
  const plan = [...slots.values()];
  const origin = options.origin ?? 'CSV';
  const dates = new DateOrderReader(options.dateOrder);
  return { map: (cells, line) => mapGenericCells(plan, cells, line, origin, dates) };
}

const mappers = new WeakMap<
  ColumnMapping,
  { header: readonly string[]; mapper: GenericMapper; options: GenericOptions | undefined }
>();

/** One row; the plan is built once per (mapping object, header array) and reused. */
export function mapGenericRow(
  header: readonly string[],
  cells: readonly string[],
  line: number,
  mapping: ColumnMapping,
  options?: GenericOptions,
): RowResult {
  let m = mappers.get(mapping);
  if (m === undefined || m.header !== header || m.options !== options) {
    m = { header, mapper: createGenericMapper(header, mapping, options), options };
    mappers.set(mapping, m);
  }
  return m.mapper.map(cells, line);
}

const RANK: Record<DatePrecision, number> = { day: 0, week: 0, month: 1, year: 2, unknown: 3 };
const PRECISION_CODES: Record<string, DatePrecision> = { '1': 'day', '2': 'week', '3': 'month' };

function fail(line: number, field: string | null, reason: string): RowError {
  return { ok: false, line, field, reason };
}

function mapGenericCells(
  plan: Slot[],
  cells: readonly string[],
  line: number,
  origin: string,
  dates: DateOrderReader,
): RowResult {
  const rec: IncidentRecord = {
    date: null,
    date_precision: 'unknown',
    event_type: null,
    sub_event_type: null,
    actor1: null,
    assoc_actors: null,
    target: null,
    attribution: 'unknown',
    attributed_by: null,
    confidence: null,
    country: null,
    admin1: null,
    admin2: null,
    location: null,
    latitude: null,
    longitude: null,
    geo_precision: null,
    fatalities: null,
    injuries: null,
    description: null,
    tags: null,
    external_id: null,
    origin,
  };
  const values = rec as unknown as Record<string, unknown>;
  const sources: string[] = [];
  let rawDate: string | null = null;
  let dateCol = '';
  let explicit: DatePrecision | null = null;

  for (const slot of plan) {
    const { target, field, cols, names } = slot;
    if (target === 'sources') {
      for (const c of cols) pushSourceItems(cells[c], sources);
      continue;
    }
    const f = field as Field;
    if (f.list) {
      const items: string[] = [];
      for (let k = 0; k < cols.length; k++) {
        const v = text(cells[cols[k] as number]);
        const name = names[k] as string;
        if (target === 'tags' && norm(name) !== 'tags') pushTag(items, name, v);
        else pushListItems(v, items);
      }
      values[target] = joinList(items);
      continue;
    }
    if (f.kind === 'longtext') {
      let out: string | null = null;
      for (const c of cols) {
        const v = text(cells[c]);
        if (v !== null) out = out === null ? v : `${out}\n\n${v}`;
      }
      values[target] = out;
      continue;
    }
    let v: string | null = null;
    let col = '';
    for (let k = 0; k < cols.length && v === null; k++) {
      v = text(cells[cols[k] as number]);
      col = names[k] as string;
    }
    if (v === null) continue;
    if (target === 'date') {
      rawDate = v;
      dateCol = col;
    } else if (target === 'date_precision') {
      const p = PRECISION_CODES[v] ?? (PRECISIONS as readonly string[]).find((x) => x === v.toLowerCase());
      if (p === undefined) return fail(line, target, `"${col}": "${v}" is not one of ${PRECISIONS.join(', ')}`);
      explicit = p as DatePrecision;
    } else if (f.kind === 'int' || f.kind === 'real') {
      const n = parseNumber(v);
      if (Number.isNaN(n)) return fail(line, target, `"${col}": "${v}" is not a number`);
      if (f.kind === 'int' && !Number.isInteger(n)) return fail(line, target, `"${col}": "${v}" is not a whole number`);
      values[target] = n;
    } else if (f.kind === 'enum') {
      const lower = v.toLowerCase();
      const e = (f.values ?? []).find((x) => x === lower);
      if (e === undefined) return fail(line, target, `"${col}": "${v}" is not one of ${(f.values ?? []).join(', ')}`);
      values[target] = e;
    } else values[target] = v;
  }

  let settles: DateOrder | undefined;
  if (rawDate !== null) {
    const d = dates.read(rawDate, { partial: true });
    if (!d.ok) {
      const r = fail(line, 'date', `"${dateCol}": ${d.reason}`);
      return d.pending ? { ...r, retry: [...cells] } : r;
    }
    settles = d.settles;
    const p = explicit ?? d.precision;
    if (RANK[p] < RANK[d.precision]) {
      return fail(line, 'date', `"${dateCol}": "${rawDate}" is less precise than the ${p} precision given for it`);
    }
    rec.date_precision = p;
    rec.date = p === 'unknown' ? null : p === 'year' ? d.date.slice(0, 4) : p === 'month' ? d.date.slice(0, 7) : d.date;
    // A date read from another calendar (or a month named in another language) keeps its text beside it.
    if (d.calendar !== undefined)
      rec.tags = [rec.tags, `date_original=${rawDate.replace(/;/g, ',')}`].filter(Boolean).join('; ');
  } else if (explicit !== null) rec.date_precision = explicit;

  const problem = checkIncident(rec);
  if (problem !== null) return fail(line, problem.field, `${problem.field}: ${problem.message}`);
  return {
    ok: true,
    line,
    incident: rec,
    sources,
    timestamp: null,
    externalId: rec.external_id,
    ...(settles ? { settles: { order: settles, value: rawDate as string } } : {}),
  };
}

/**
 * A stable key for "files with this header", to remember the mapping an analyst confirmed. Names
 * are trimmed, lower-cased and sorted: the mapping applies by name, so a file whose export put
 * the same columns in another order takes the same mapping.
 */
export function headerSignature(header: readonly string[]): string {
  const names = header.map(norm).sort();
  return `h1:${createHash('sha256').update(names.join('\u001f')).digest('hex').slice(0, 32)}`;
}

const SYNONYMS: [GenericTarget, string[]][] = [
  ['date', ['date', 'event_date', 'incident_date', 'attack_date', 'day']],
  ['date_precision', ['date_precision', 'time_precision', 'precision']],
  ['event_type', ['event_type', 'type', 'attack_type', 'attacktype', 'attacktype1_txt', 'incident_type', 'category']],
  ['sub_event_type', ['sub_event_type', 'subtype', 'sub_type', 'weapon', 'weapon_type', 'weaptype1_txt']],
  [
    'actor1',
    [
      'actor1',
      'actor',
      'actor_1',
      'perpetrator',
      'perpetrators',
      'perpetrator_group',
      'group',
      'group_name',
      'gname',
      'organisation',
      'organization',
    ],
  ],
  [
    'assoc_actors',
    [
      'assoc_actors',
      'assoc_actor_1',
      'assoc_actor_2',
      'associated_actors',
      'ally_actor_1',
      'ally_actor_2',
      'gname2',
      'gname3',
    ],
  ],
  ['target', ['target', 'actor2', 'actor_2', 'victim', 'victims', 'target1', 'target_type', 'targtype1_txt']],
  ['attribution', ['attribution']],
  ['attributed_by', ['attributed_by']],
  ['confidence', ['confidence']],
  ['country', ['country', 'country_txt', 'country_name']],
  ['admin1', ['admin1', 'admin_1', 'province', 'provstate', 'state', 'governorate']],
  ['admin2', ['admin2', 'admin_2', 'district', 'county']],
  ['location', ['location', 'city', 'town', 'place', 'village', 'locality']],
  ['latitude', ['latitude', 'lat']],
  ['longitude', ['longitude', 'lon', 'lng', 'long']],
  ['geo_precision', ['geo_precision']],
  ['fatalities', ['fatalities', 'killed', 'deaths', 'dead', 'nkill', 'fatality']],
  ['injuries', ['injuries', 'injured', 'wounded', 'nwound']],
  ['description', ['description', 'notes', 'note', 'summary', 'details', 'narrative']],
  ['tags', ['tags']],
  ['external_id', ['external_id', 'event_id', 'event_id_cnty', 'eventid', 'incident_id', 'id']],
  // Casefile's own exports carry it: re-imported, their rows keep the dataset they came from.
  ['origin', ['origin']],
  ['sources', ['source', 'sources', 'url', 'link', 'citation', 'scite1', 'scite2', 'scite3']],
];
const SYNONYM_OF = new Map<string, GenericTarget>();
for (const [target, names] of SYNONYMS) for (const n of names) SYNONYM_OF.set(n, target);
const MULTI = new Set<GenericTarget>(['assoc_actors', 'tags', 'sources', 'description']);

/**
 * A first guess at the mapping from column names; the analyst confirms or corrects it. A column
 * named exactly as a field wins over a synonym: Casefile's own export has both `id` (its row id)
 * and `external_id`, and the dataset's id is the second.
 */
export function suggestMapping(header: readonly string[]): ColumnMapping {
  const out: ColumnMapping = {};
  const used = new Set<GenericTarget>();
  const norm = (h: string) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  const exact = new Set(header.map(norm).filter((k) => SYNONYMS.some(([t]) => t === k)));
  for (const h of header) {
    if (h in out) continue;
    const key = norm(h);
    const t = SYNONYM_OF.get(key);
    // A synonym yields to a column elsewhere in the header named exactly as its field.
    const yields = t !== undefined && t !== key && exact.has(t);
    if (t !== undefined && !yields && (MULTI.has(t) || !used.has(t))) {
      out[h] = t;
      used.add(t);
    } else out[h] = null;
  }
  return out;
}
