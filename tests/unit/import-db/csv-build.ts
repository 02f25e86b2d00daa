import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One CSV field, quoted as RFC 4180 asks when it must be. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV of `header` and `rows` (each a record of cells), written to `dir/name`; `tail` is appended raw. */
export function writeCsv(
  dir: string,
  name: string,
  header: string[],
  rows: Record<string, string>[],
  tail = '',
): string {
  const lines = [header.join(','), ...rows.map((r) => header.map((h) => csvField(r[h] ?? '')).join(','))];
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n${tail}`);
  return p;
}

export const GTD_HEADER = [
  'eventid',
  'iyear',
  'imonth',
  'iday',
  'country_txt',
  'provstate',
  'city',
  'summary',
  'attacktype1_txt',
  'gname',
  'nkill',
  'scite1',
  'scite2',
  'scite3',
];

/** The 2015-era ACLED layout: upper-case names, day-first EVENT_DATE. */
export const ACLED_2015_HEADER = [
  'GWNO',
  'EVENT_ID_CNTY',
  'EVENT_ID_NO_CNTY',
  'EVENT_DATE',
  'YEAR',
  'TIME_PRECISION',
  'EVENT_TYPE',
  'ACTOR1',
  'ALLY_ACTOR_1',
  'INTER1',
  'ACTOR2',
  'ALLY_ACTOR_2',
  'INTER2',
  'INTERACTION',
  'COUNTRY',
  'ADMIN1',
  'ADMIN2',
  'ADMIN3',
  'LOCATION',
  'LATITUDE',
  'LONGITUDE',
  'GEO_PRECISION',
  'SOURCE',
  'NOTES',
  'FATALITIES',
];

/** A 2015-era ACLED row dated `date` (as the file writes it). */
export function acled2015Row(n: number, date: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GWNO: '700',
    EVENT_ID_CNTY: `AFG${n}`,
    EVENT_ID_NO_CNTY: String(n),
    EVENT_DATE: date,
    YEAR: date.slice(-4),
    TIME_PRECISION: '1',
    EVENT_TYPE: 'Battle-No change of territory',
    ACTOR1: 'Taliban',
    INTER1: '2',
    ACTOR2: 'Military Forces of Afghanistan',
    INTER2: '1',
    INTERACTION: '12',
    COUNTRY: 'Afghanistan',
    ADMIN1: 'Helmand',
    ADMIN2: 'Sangin',
    LOCATION: 'Sangin',
    LATITUDE: '32.07',
    LONGITUDE: '64.83',
    GEO_PRECISION: '1',
    SOURCE: 'Pajhwok Afghan News',
    NOTES: `Clash number ${n}.`,
    FATALITIES: String(n % 7),
    ...extra,
  };
}

export const ACLED_CURRENT_HEADER = [
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

/** A current-layout ACLED row for event AFG<n>, dated `date`. */
export function acledRow(
  n: number,
  date = `2022-03-${String((n % 28) + 1).padStart(2, '0')}`,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    event_id_cnty: `AFG${n}`,
    event_date: date,
    year: date.slice(0, 4),
    time_precision: '1',
    disorder_type: 'Political violence',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    actor1: 'Islamic State (Afghanistan)',
    inter1: 'Rebel group',
    actor2: 'Military Forces of Afghanistan (2021-)',
    inter2: 'State forces',
    interaction: 'Rebel group-State forces',
    iso: '4',
    region: 'Caucasus and Central Asia',
    country: 'Afghanistan',
    admin1: 'Kunar',
    admin2: 'Asadabad',
    location: 'Asadabad',
    latitude: '34.8732',
    longitude: '71.1466',
    geo_precision: '1',
    source: 'Tolo News',
    source_scale: 'National',
    notes: `Clash number ${n}.`,
    fatalities: String(n % 5),
    timestamp: '1700000000',
    ...extra,
  };
}
