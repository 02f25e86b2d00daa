import { checkIncident } from './check';
import type { IncidentRecord, RowError, RowResult } from './types';
import { DateOrderReader } from './date-order';
import type { DateOrder } from './values';
import { joinList, parseNumber, pushListItems, pushTag, text } from './values';

/**
 * ACLED CSV exports, in the three layouts seen in the wild:
 * - `current`: the 31-column layout (`disorder_type`, `civilian_targeting`, `tags`, text inter codes);
 * - `2020`: adds `data_id`, `event_id_no_cnty`, `iso3`; lacks `disorder_type`, `civilian_targeting`, `tags`;
 * - `2015`: upper-case names, `GWNO`, `ALLY_ACTOR_1/2`, numeric `INTER1/2` and `INTERACTION`, no sub-event type.
 * Names are matched case-insensitively and by name, not position; unknown columns (`population_*`) are ignored.
 *
 * Mapping decisions:
 * - ACLED codes no claims, so attribution is `unknown`; origin `ACLED`; external_id `event_id_cnty`.
 * - time_precision 1 day, 2 week (the mid-week day is kept, as ACLED records it), 3 month (truncated to YYYY-MM).
 * - actor2 is the target; assoc/ally actors 1 and 2 are merged into one list.
 * - What has no incident field is kept in `tags` as `key=value` after ACLED's own tags, so nothing is
 *   lost: inter1, inter2 and interaction (numeric codes turned into ACLED's names), civilian_targeting,
 *   disorder_type (one tag per part of "Political violence; Demonstrations"), source_scale, admin3.
 *   iso, region, year, gwno, iso3, data_id and event_id_no_cnty are dropped: derivable or internal.
 * - `NA` and blank mean null. A row is skipped, with its line and reason, when its id or date is
 *   missing or unreadable, a number is not a number or out of range. 2015-era files write
 *   `15/01/2015`: the order of day and month is the one chosen, else the file's (date-order.ts).
 */
export type AcledLayout = 'current' | '2020' | '2015';

const REQUIRED = ['event_id_cnty', 'event_date', 'event_type', 'actor1', 'country', 'fatalities'];

export function detectAcledLayout(header: readonly string[]): AcledLayout | null {
  const names = header.map((h) => h.trim().toLowerCase());
  for (const r of REQUIRED) if (!names.includes(r)) return null;
  const id = header[names.indexOf('event_id_cnty')]?.trim() ?? '';
  if (id === 'EVENT_ID_CNTY' || names.includes('gwno') || names.includes('ally_actor_1')) return '2015';
  if (names.includes('disorder_type') || names.includes('civilian_targeting')) return 'current';
  if (names.includes('data_id') || names.includes('iso3') || names.includes('event_id_no_cnty')) return '2020';
  return 'current';
}

/** ACLED's interaction codes, in codebook order (inter1/inter2 1-8; interaction is two of them). */
const INTER = [
  '',
  'State forces',
  'Rebel group',
  'Political militia',
  'Identity militia',
  'Rioters',
  'Protesters',
  'Civilians',
  'External/Other forces',
];

function interName(v: string | null): string | null {
  if (v === null) return null;
  if (v.length === 1) {
    const c = v.charCodeAt(0) - 48;
    if (c === 0) return null; // 0: no second actor
    if (c >= 1 && c <= 8) return INTER[c] as string;
  }
  return v;
}

function interactionName(v: string | null): string | null {
  if (v === null || v.length !== 2) return v;
  const a = v.charCodeAt(0) - 48;
  const b = v.charCodeAt(1) - 48;
  if (a < 1 || a > 8 || b < 0 || b > 8) return v;
  return b === 0 ? `${INTER[a]} only` : `${INTER[a]}-${INTER[b]}`;
}

type Columns = Record<
  | 'event_id_cnty'
  | 'event_date'
  | 'time_precision'
  | 'disorder_type'
  | 'event_type'
  | 'sub_event_type'
  | 'actor1'
  | 'assoc_actor_1'
  | 'inter1'
  | 'actor2'
  | 'assoc_actor_2'
  | 'inter2'
  | 'interaction'
  | 'civilian_targeting'
  | 'country'
  | 'admin1'
  | 'admin2'
  | 'admin3'
  | 'location'
  | 'latitude'
  | 'longitude'
  | 'geo_precision'
  | 'source'
  | 'source_scale'
  | 'notes'
  | 'fatalities'
  | 'tags'
  | 'timestamp',
  number
>;

export type AcledMapper = {
  layout: AcledLayout;
  map(cells: readonly string[], line: number): RowResult;
};

/** Resolves the column positions once for a header; throws if the header is not ACLED. */
export function createAcledMapper(
  header: readonly string[],
  options: { dateOrder?: DateOrder | null } = {},
): AcledMapper {
  const layout = detectAcledLayout(header);
  if (layout === null) throw new Error(`not an ACLED header: it needs ${REQUIRED.join(', ')}`);
  const names = header.map((h) => h.trim().toLowerCase());
  const at = (...alts: string[]) => {
    for (const a of alts) {
      const i = names.indexOf(a);
      if (i !== -1) return i;
    }
    return -1;
  };
  const c: Columns = {
    event_id_cnty: at('event_id_cnty'),
    event_date: at('event_date'),
    time_precision: at('time_precision'),
    disorder_type: at('disorder_type'),
    event_type: at('event_type'),
    sub_event_type: at('sub_event_type'),
    actor1: at('actor1'),
    assoc_actor_1: at('assoc_actor_1', 'ally_actor_1'),
    inter1: at('inter1'),
    actor2: at('actor2'),
    assoc_actor_2: at('assoc_actor_2', 'ally_actor_2'),
    inter2: at('inter2'),
    interaction: at('interaction'),
    civilian_targeting: at('civilian_targeting'),
    country: at('country'),
    admin1: at('admin1'),
    admin2: at('admin2'),
    admin3: at('admin3'),
    location: at('location'),
    latitude: at('latitude'),
    longitude: at('longitude'),
    geo_precision: at('geo_precision'),
    source: at('source'),
    source_scale: at('source_scale'),
    notes: at('notes'),
    fatalities: at('fatalities'),
    tags: at('tags'),
    timestamp: at('timestamp'),
  };
  const dates = new DateOrderReader(options.dateOrder);
  return { layout, map: (cells, line) => mapAcledCells(c, cells, line, dates) };
}

const mappers = new WeakMap<readonly string[], AcledMapper>();

/** One row; the column plan is resolved once per header array and kept for the next rows. */
export function mapAcledRow(header: readonly string[], cells: readonly string[], line: number): RowResult {
  let m = mappers.get(header);
  if (m === undefined) {
    m = createAcledMapper(header);
    mappers.set(header, m);
  }
  return m.map(cells, line);
}

function fail(line: number, field: string | null, reason: string): RowError {
  return { ok: false, line, field, reason };
}

function mapAcledCells(c: Columns, cells: readonly string[], line: number, dates: DateOrderReader): RowResult {
  const id = cell(cells, c.event_id_cnty);
  if (id === null) return fail(line, 'event_id_cnty', 'event_id_cnty is empty');

  const rawDate = cell(cells, c.event_date);
  if (rawDate === null) return fail(line, 'event_date', 'event_date is empty');
  const d = dates.read(rawDate);
  if (!d.ok) {
    const r = fail(line, 'event_date', `event_date: ${d.reason}`);
    return d.pending ? { ...r, retry: [...cells] } : r;
  }
  let date = d.date;
  let precision: IncidentRecord['date_precision'] = 'day';
  const tp = cell(cells, c.time_precision);
  if (tp === '2') precision = 'week';
  else if (tp === '3') {
    precision = 'month';
    date = date.slice(0, 7);
  } else if (tp !== null && tp !== '1') return fail(line, 'time_precision', `time_precision "${tp}" is not 1, 2 or 3`);

  const lat = number(cell(cells, c.latitude));
  if (Number.isNaN(lat)) return fail(line, 'latitude', `latitude "${cell(cells, c.latitude)}" is not a number`);
  const lon = number(cell(cells, c.longitude));
  if (Number.isNaN(lon)) return fail(line, 'longitude', `longitude "${cell(cells, c.longitude)}" is not a number`);
  const geo = number(cell(cells, c.geo_precision));
  if (Number.isNaN(geo) || (geo !== null && !Number.isInteger(geo))) {
    return fail(line, 'geo_precision', `geo_precision "${cell(cells, c.geo_precision)}" is not 1, 2 or 3`);
  }
  const fat = number(cell(cells, c.fatalities));
  if (Number.isNaN(fat) || (fat !== null && !Number.isInteger(fat))) {
    return fail(line, 'fatalities', `fatalities "${cell(cells, c.fatalities)}" is not a whole number`);
  }
  const ts = number(cell(cells, c.timestamp));
  if (Number.isNaN(ts) || (ts !== null && !Number.isInteger(ts))) {
    return fail(line, 'timestamp', `timestamp "${cell(cells, c.timestamp)}" is not a Unix time`);
  }

  const assoc: string[] = [];
  pushListItems(cell(cells, c.assoc_actor_1), assoc);
  pushListItems(cell(cells, c.assoc_actor_2), assoc);

  const tags: string[] = [];
  pushListItems(cell(cells, c.tags), tags);
  pushTag(tags, 'inter1', interName(cell(cells, c.inter1)));
  pushTag(tags, 'inter2', interName(cell(cells, c.inter2)));
  pushTag(tags, 'interaction', interactionName(cell(cells, c.interaction)));
  pushTag(tags, 'civilian_targeting', cell(cells, c.civilian_targeting));
  pushTag(tags, 'disorder_type', cell(cells, c.disorder_type));
  pushTag(tags, 'source_scale', cell(cells, c.source_scale));
  pushTag(tags, 'admin3', cell(cells, c.admin3));

  const sources: string[] = [];
  pushListItems(cell(cells, c.source), sources);

  const incident: IncidentRecord = {
    date,
    date_precision: precision,
    event_type: cell(cells, c.event_type),
    sub_event_type: cell(cells, c.sub_event_type),
    actor1: cell(cells, c.actor1),
    assoc_actors: joinList(assoc),
    target: cell(cells, c.actor2),
    attribution: 'unknown',
    attributed_by: null,
    confidence: null,
    country: cell(cells, c.country),
    admin1: cell(cells, c.admin1),
    admin2: cell(cells, c.admin2),
    location: cell(cells, c.location),
    latitude: lat,
    longitude: lon,
    geo_precision: geo,
    fatalities: fat,
    injuries: null,
    description: cell(cells, c.notes),
    tags: joinList(tags),
    external_id: id,
    origin: 'ACLED',
  };
  const problem = checkIncident(incident);
  if (problem !== null) return fail(line, problem.field, `${problem.field}: ${problem.message}`);
  return {
    ok: true,
    line,
    incident,
    sources,
    timestamp: ts,
    externalId: id,
    ...(d.settles ? { settles: { order: d.settles, value: rawDate } } : {}),
  };
}

function cell(cells: readonly string[], i: number): string | null {
  return i < 0 ? null : text(cells[i]);
}

/** null for an empty cell, NaN for text that is not a number. */
function number(s: string | null): number | null {
  return s === null ? null : parseNumber(s);
}
