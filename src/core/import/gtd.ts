import { checkIncident } from './check';
import type { IncidentRecord, RowResult } from './types';
import { dayString, joinList, parseNumber, pushListItems, pushTag, text } from './values';

/**
 * Global Terrorism Database rows (CSV extract or the .xlsx, read with encoding 'auto' since some
 * releases are Windows-1252).
 *
 * Mapping decisions:
 * - Date from iyear/imonth/iday: iday 0 gives month precision (`YYYY-MM`), imonth 0 year precision
 *   (`YYYY`); `approxdate` (free text) goes to tags so the analyst still sees it.
 * - event_type = attacktype1_txt (Bombing/Explosion, Armed Assault, ...); sub_event_type =
 *   weaptype1_txt (Explosives, Firearms, ...): in ACLED the sub-type says by what means, and the
 *   weapon type is GTD's nearest answer. target = "targtype1_txt: target1" (e.g.
 *   "Private Citizens & Property: Wedding guests"), the type alone when target1 is blank.
 * - actor1 = gname (including GTD's "Unknown": that the perpetrator is unknown is information);
 *   assoc_actors = gname2, gname3.
 * - country_txt, provstate -> admin1, city -> location ("Unknown" city/province becomes null: it is
 *   GTD's blank); specificity 1 -> geo_precision 1, 2 -> 2, 3-5 -> 3 (region or coarser).
 * - nkill -> fatalities, nwound -> injuries, rounded down (pandas extracts write `3.0`).
 * - claimed 1 -> claimed, 0 -> unclaimed, -9 or blank -> unknown.
 * - summary -> description; scite1..3 -> sources, one citation per column (never split at `;`); eventid -> external_id; origin `GTD`.
 * - -9 and -99 in any numeric column mean unknown -> null.
 * - Kept as `key=value` tags: attacktype2/3, targtype2/3, weaptype2-4, weapsubtype1, gsubname,
 *   claimmode, approxdate; success=yes|no; suicide, extended, multiple, doubtterr as `=yes` when set.
 */
const REQUIRED = ['eventid', 'iyear', 'imonth', 'iday'];

export function isGtdHeader(header: readonly string[]): boolean {
  const names = header.map((h) => h.trim().toLowerCase());
  return REQUIRED.every((r) => names.includes(r));
}

const COLS = [
  'eventid',
  'iyear',
  'imonth',
  'iday',
  'approxdate',
  'extended',
  'country_txt',
  'provstate',
  'city',
  'latitude',
  'longitude',
  'specificity',
  'summary',
  'doubtterr',
  'multiple',
  'success',
  'suicide',
  'attacktype1_txt',
  'attacktype2_txt',
  'attacktype3_txt',
  'targtype1_txt',
  'targtype2_txt',
  'targtype3_txt',
  'target1',
  'gname',
  'gsubname',
  'gname2',
  'gname3',
  'claimed',
  'claimmode_txt',
  'weaptype1_txt',
  'weaptype2_txt',
  'weaptype3_txt',
  'weaptype4_txt',
  'weapsubtype1_txt',
  'nkill',
  'nwound',
  'scite1',
  'scite2',
  'scite3',
] as const;
type Columns = Record<(typeof COLS)[number], number>;

export type GtdMapper = { map(cells: readonly string[], line: number): RowResult };

export function createGtdMapper(header: readonly string[]): GtdMapper {
  if (!isGtdHeader(header)) throw new Error(`not a GTD header: it needs ${REQUIRED.join(', ')}`);
  const names = header.map((h) => h.trim().toLowerCase());
  const c = {} as Columns;
  for (const k of COLS) c[k] = names.indexOf(k);
  return { map: (cells, line) => mapGtdCells(c, cells, line) };
}

const NUMERIC_ID = /^\d+\.0$/;
const mappers = new WeakMap<readonly string[], GtdMapper>();

export function mapGtdRow(header: readonly string[], cells: readonly string[], line: number): RowResult {
  let m = mappers.get(header);
  if (m === undefined) {
    m = createGtdMapper(header);
    mappers.set(header, m);
  }
  return m.map(cells, line);
}

function cell(cells: readonly string[], i: number): string | null {
  return i < 0 ? null : text(cells[i]);
}

function bad(c: Columns, cells: readonly string[], line: number, col: keyof Columns, what: string): RowResult {
  return fail(line, col, `${col} "${cell(cells, c[col])}" ${what}`);
}

function fail(line: number, field: string | null, reason: string): RowResult {
  return { ok: false, line, field, reason };
}

/** A GTD number: null when blank or coded unknown (-9, -99), NaN when not a number. */
function gnum(s: string | null): number | null {
  if (s === null) return null;
  const n = parseNumber(s);
  return n === -9 || n === -99 ? null : n;
}

function yesNo(v: number | null): string | null {
  return v === 1 ? 'yes' : v === 0 ? 'no' : null;
}

function onlyYes(v: number | null): string | null {
  return v === 1 ? 'yes' : null;
}

function place(s: string | null): string | null {
  return s === null || s === 'Unknown' ? null : s;
}

function mapGtdCells(c: Columns, cells: readonly string[], line: number): RowResult {
  let id = cell(cells, c.eventid);
  if (id === null) return fail(line, 'eventid', 'eventid is empty');
  // Extracts written by pandas turn the 12-digit id into a float: 201712280001.0.
  if (id.endsWith('.0') && NUMERIC_ID.test(id)) id = id.slice(0, -2);

  const y = gnum(cell(cells, c.iyear));
  const mo = gnum(cell(cells, c.imonth));
  const dd = gnum(cell(cells, c.iday));
  if (Number.isNaN(y) || (y !== null && !Number.isInteger(y))) return bad(c, cells, line, 'iyear', 'is not a year');
  if (Number.isNaN(mo) || (mo !== null && (!Number.isInteger(mo) || mo < 0 || mo > 12)))
    return bad(c, cells, line, 'imonth', 'is not a month (0-12)');
  if (Number.isNaN(dd) || (dd !== null && (!Number.isInteger(dd) || dd < 0 || dd > 31)))
    return bad(c, cells, line, 'iday', 'is not a day (0-31)');
  let date: string | null = null;
  let precision: IncidentRecord['date_precision'] = 'unknown';
  if (y !== null) {
    if (y < 1000 || y > 9999) return bad(c, cells, line, 'iyear', 'is not a year');
    if (!mo) {
      date = String(y);
      precision = 'year';
    } else if (!dd) {
      date = `${y}-${mo < 10 ? '0' : ''}${mo}`;
      precision = 'month';
    } else {
      date = dayString(y, mo, dd);
      if (date === null) return fail(line, 'iday', `${y}-${mo}-${dd} is not a calendar date`);
      precision = 'day';
    }
  }

  const lat = gnum(cell(cells, c.latitude));
  if (Number.isNaN(lat)) return bad(c, cells, line, 'latitude', 'is not a number');
  const lon = gnum(cell(cells, c.longitude));
  if (Number.isNaN(lon)) return bad(c, cells, line, 'longitude', 'is not a number');
  const spec = gnum(cell(cells, c.specificity));
  if (Number.isNaN(spec) || (spec !== null && (spec < 1 || spec > 5 || !Number.isInteger(spec))))
    return bad(c, cells, line, 'specificity', 'is not 1-5');
  const nkill = gnum(cell(cells, c.nkill));
  if (Number.isNaN(nkill)) return bad(c, cells, line, 'nkill', 'is not a number');
  const nwound = gnum(cell(cells, c.nwound));
  if (Number.isNaN(nwound)) return bad(c, cells, line, 'nwound', 'is not a number');
  const claimed = gnum(cell(cells, c.claimed));
  if (Number.isNaN(claimed) || (claimed !== null && claimed !== 0 && claimed !== 1))
    return bad(c, cells, line, 'claimed', 'is not 1, 0 or -9');

  const assoc: string[] = [];
  const gname = cell(cells, c.gname);
  for (const g of [cell(cells, c.gname2), cell(cells, c.gname3)])
    if (g !== null && g !== gname) pushListItems(g, assoc);

  const targType = cell(cells, c.targtype1_txt);
  const target1 = cell(cells, c.target1);
  const target = targType !== null && target1 !== null ? `${targType}: ${target1}` : (targType ?? target1);

  const tags: string[] = [];
  pushTag(tags, 'attacktype', cell(cells, c.attacktype2_txt));
  pushTag(tags, 'attacktype', cell(cells, c.attacktype3_txt));
  pushTag(tags, 'targtype', cell(cells, c.targtype2_txt));
  pushTag(tags, 'targtype', cell(cells, c.targtype3_txt));
  pushTag(tags, 'weaptype', cell(cells, c.weaptype2_txt));
  pushTag(tags, 'weaptype', cell(cells, c.weaptype3_txt));
  pushTag(tags, 'weaptype', cell(cells, c.weaptype4_txt));
  pushTag(tags, 'weapsubtype', cell(cells, c.weapsubtype1_txt));
  pushTag(tags, 'gsubname', cell(cells, c.gsubname));
  pushTag(tags, 'claimmode', cell(cells, c.claimmode_txt));
  pushTag(tags, 'approxdate', cell(cells, c.approxdate));
  // Success is worth a tag either way (failed attacks are a question of their own); the other
  // flags only when set, or every row would carry four "=no" tags.
  pushTag(tags, 'success', yesNo(gnum(cell(cells, c.success))));
  pushTag(tags, 'suicide', onlyYes(gnum(cell(cells, c.suicide))));
  pushTag(tags, 'extended', onlyYes(gnum(cell(cells, c.extended))));
  pushTag(tags, 'multiple', onlyYes(gnum(cell(cells, c.multiple))));
  pushTag(tags, 'doubtterr', onlyYes(gnum(cell(cells, c.doubtterr))));

  // Each scite column is one whole citation, and titles hold semicolons ("Cairo Police Chief
  // Quits; Decries Local 'Militants',"...): never split on them.
  const sources: string[] = [];
  for (const s of [cell(cells, c.scite1), cell(cells, c.scite2), cell(cells, c.scite3)])
    if (s !== null && !sources.includes(s)) sources.push(s);

  const incident: IncidentRecord = {
    date,
    date_precision: precision,
    event_type: cell(cells, c.attacktype1_txt),
    sub_event_type: cell(cells, c.weaptype1_txt),
    actor1: gname,
    assoc_actors: joinList(assoc),
    target,
    attribution: claimed === 1 ? 'claimed' : claimed === 0 ? 'unclaimed' : 'unknown',
    attributed_by: null,
    confidence: null,
    country: cell(cells, c.country_txt),
    admin1: place(cell(cells, c.provstate)),
    admin2: null,
    location: place(cell(cells, c.city)),
    latitude: lat,
    longitude: lon,
    geo_precision: spec === null ? null : spec >= 3 ? 3 : spec,
    fatalities: nkill === null ? null : Math.floor(nkill),
    injuries: nwound === null ? null : Math.floor(nwound),
    description: cell(cells, c.summary),
    tags: joinList(tags),
    external_id: id,
    origin: 'GTD',
  };
  const problem = checkIncident(incident);
  if (problem !== null) return fail(line, problem.field, `${problem.field}: ${problem.message}`);
  return { ok: true, line, incident, sources, timestamp: null, externalId: id };
}
