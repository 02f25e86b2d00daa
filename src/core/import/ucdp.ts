import { checkIncident } from './check';
import type { IncidentRecord, RowResult } from './types';
import { dayString, joinList, parseNumber, pushTag, text } from './values';

/**
 * UCDP Georeferenced Event Dataset (GED) rows, CSV as UCDP distributes it.
 *
 * Mapping decisions:
 * - external_id = `id` (GED's stable event id), origin `UCDP`: a re-import updates by id.
 * - Date from `date_start` (with or without a time), at the precision `date_prec` gives:
 *   1 exact day; 2 (a 2-6 day range) and 3 (the week) week precision at the range's middle day, as
 *   ACLED keeps a week at mid-week; 4 (8-30 days, or the month) month precision when the range
 *   lies in one month, else year; 5 (longer, or the year) year precision when it lies in one year,
 *   else unknown. The range as given is kept as a `date_range=` tag whenever it is not one day.
 * - Deaths: `best` as fatalities; `low` and `high` kept beside it as `deaths_low=` and
 *   `deaths_high=` tags, with the split by side (`deaths_a`, `deaths_b`, `deaths_civilians`,
 *   `deaths_unknown`).
 * - actor1 = `side_a`, target (actor 2) = `side_b`; `conflict_name` and `dyad_name` as tags.
 * - event_type from `type_of_violence`: 1 State-based violence, 2 Non-state violence, 3 One-sided violence.
 * - country, `adm_1` -> admin1, `adm_2` -> admin2, `where_coordinates` -> location, latitude and
 *   longitude; `where_prec` 1 -> geo_precision 1, 2-3 -> 2, 4-7 -> 3.
 * - `source_article` -> sources, one per article (articles are separated by `;` outside quotes);
 *   `source_headline` -> description.
 */
const REQUIRED = ['id', 'side_a', 'side_b', 'date_start', 'date_prec', 'best', 'type_of_violence'];

export function isUcdpHeader(header: readonly string[]): boolean {
  const names = header.map((h) => h.trim().toLowerCase());
  return REQUIRED.every((r) => names.includes(r));
}

const COLS = [
  'id',
  'type_of_violence',
  'conflict_name',
  'dyad_name',
  'side_a',
  'side_b',
  'source_article',
  'source_headline',
  'where_prec',
  'where_coordinates',
  'adm_1',
  'adm_2',
  'latitude',
  'longitude',
  'country',
  'event_clarity',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_a',
  'deaths_b',
  'deaths_civilians',
  'deaths_unknown',
  'best',
  'high',
  'low',
] as const;
type Columns = Record<(typeof COLS)[number], number>;

const VIOLENCE: Record<string, string> = {
  '1': 'State-based violence',
  '2': 'Non-state violence',
  '3': 'One-sided violence',
};

export function createUcdpMapper(header: readonly string[]): {
  map(cells: readonly string[], line: number): RowResult;
} {
  if (!isUcdpHeader(header)) throw new Error(`not a UCDP GED header: it needs ${REQUIRED.join(', ')}`);
  const names = header.map((h) => h.trim().toLowerCase());
  const c = {} as Columns;
  for (const k of COLS) c[k] = names.indexOf(k);
  return { map: (cells, line) => mapUcdpRow(c, cells, line) };
}

const fail = (line: number, field: string | null, reason: string): RowResult => ({ ok: false, line, field, reason });

/** "2022-01-05", "2022-01-05 00:00:00.000" or "2022-01-05T00:00:00": the day, or null. */
function day(s: string | null): string | null {
  const m = s === null ? null : /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(s.trim());
  return m ? dayString(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

function middle(a: string, b: string): string {
  const t = (Date.parse(`${a}T00:00:00Z`) + Date.parse(`${b}T00:00:00Z`)) / 2;
  return new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
}

/** A UCDP count: null when blank or NA, NaN when not a whole number of at least 0. */
function count(s: string | null): number | null {
  if (s === null) return null;
  const n = parseNumber(s);
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}

/** `source_article`: articles separated by `;`, a `;` inside double quotes being part of a title. */
export function splitArticles(s: string | null): string[] {
  if (s === null) return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return [...new Set(out.map((x) => x.trim()).filter((x) => x !== ''))];
}

function mapUcdpRow(c: Columns, cells: readonly string[], line: number): RowResult {
  const cell = (k: keyof Columns) => (c[k] < 0 ? null : text(cells[c[k]]));
  let id = cell('id');
  if (id === null) return fail(line, 'id', 'id is empty');
  if (/^\d+\.0$/.test(id)) id = id.slice(0, -2);

  const startRaw = cell('date_start');
  const start = day(startRaw);
  if (startRaw !== null && start === null)
    return fail(line, 'date_start', `date_start "${startRaw}" is not a date (YYYY-MM-DD)`);
  const endRaw = cell('date_end');
  const end = day(endRaw) ?? start;
  if (endRaw !== null && day(endRaw) === null)
    return fail(line, 'date_end', `date_end "${endRaw}" is not a date (YYYY-MM-DD)`);
  if (start !== null && end !== null && end < start)
    return fail(line, 'date_end', `date_end ${end} is before date_start ${start}`);
  const precRaw = cell('date_prec');
  const prec = precRaw === null ? null : Number(precRaw);
  if (precRaw !== null && !(prec !== null && Number.isInteger(prec) && prec >= 1 && prec <= 5))
    return fail(line, 'date_prec', `date_prec "${precRaw}" is not 1-5`);

  let date: string | null = null;
  let precision: IncidentRecord['date_precision'] = 'unknown';
  if (start !== null && end !== null) {
    const p = prec ?? (start === end ? 1 : 5);
    if (p === 1) [date, precision] = [start, 'day'];
    else if (p <= 3) [date, precision] = [middle(start, end), 'week'];
    else if (p === 4 && start.slice(0, 7) === end.slice(0, 7)) [date, precision] = [start.slice(0, 7), 'month'];
    else if (start.slice(0, 4) === end.slice(0, 4)) [date, precision] = [start.slice(0, 4), 'year'];
  }

  const best = count(cell('best'));
  const low = count(cell('low'));
  const high = count(cell('high'));
  for (const [k, v] of [
    ['best', best],
    ['low', low],
    ['high', high],
  ] as const)
    if (Number.isNaN(v)) return fail(line, k, `${k} "${cell(k)}" is not a count of deaths`);
  if (best !== null && low !== null && high !== null && !(low <= best && best <= high))
    return fail(line, 'best', `best ${best} is not between low ${low} and high ${high}`);

  const lat = cell('latitude') === null ? null : parseNumber(cell('latitude')!);
  const lon = cell('longitude') === null ? null : parseNumber(cell('longitude')!);
  if (Number.isNaN(lat)) return fail(line, 'latitude', `latitude "${cell('latitude')}" is not a number`);
  if (Number.isNaN(lon)) return fail(line, 'longitude', `longitude "${cell('longitude')}" is not a number`);
  const wp = cell('where_prec') === null ? null : Number(cell('where_prec'));
  const geo = wp === null || !Number.isInteger(wp) || wp < 1 ? null : wp === 1 ? 1 : wp <= 3 ? 2 : 3;

  const tags: string[] = [];
  pushTag(tags, 'deaths_low', low === null ? null : String(low));
  pushTag(tags, 'deaths_high', high === null ? null : String(high));
  for (const k of ['deaths_a', 'deaths_b', 'deaths_civilians', 'deaths_unknown'] as const) pushTag(tags, k, cell(k));
  if (start !== null && end !== null && (start !== end || precision !== 'day'))
    pushTag(tags, 'date_range', start === end ? start : `${start}..${end}`);
  pushTag(tags, 'conflict', cell('conflict_name'));
  pushTag(tags, 'dyad', cell('dyad_name'));
  if (cell('event_clarity') === '2') pushTag(tags, 'event_clarity', 'low');

  const violence = cell('type_of_violence');
  const incident: IncidentRecord = {
    date,
    date_precision: precision,
    event_type: violence === null ? null : (VIOLENCE[violence] ?? violence),
    sub_event_type: null,
    actor1: cell('side_a'),
    assoc_actors: null,
    target: cell('side_b'),
    attribution: 'unknown',
    attributed_by: null,
    confidence: null,
    country: cell('country'),
    admin1: cell('adm_1'),
    admin2: cell('adm_2'),
    location: cell('where_coordinates'),
    latitude: lat,
    longitude: lon,
    geo_precision: geo,
    fatalities: best,
    injuries: null,
    description: cell('source_headline'),
    tags: joinList(tags),
    external_id: id,
    origin: 'UCDP',
  };
  const problem = checkIncident(incident);
  if (problem !== null) return fail(line, problem.field, `${problem.field}: ${problem.message}`);
  return { ok: true, line, incident, sources: splitArticles(cell('source_article')), timestamp: null, externalId: id };
}
