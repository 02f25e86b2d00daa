import { closeSync, openSync, writeSync } from 'node:fs';
import { rng } from '../../rng';

/**
 * Writes an ACLED-layout CSV (current layout) of `rows` events, with the quirks real exports
 * have: a byte-order mark, CRLF line ends, `NA` blanks, three date styles, quoted notes with
 * commas, quotes and line breaks, and semicolon lists of sources. Deterministic for a seed, so
 * counts can be asserted exactly; shared by the unit tests and the e2e test.
 */
export const ACLED_HEADER =
  'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

const EVENTS: [string, string][] = [
  ['Explosions/Remote violence', 'Suicide bomb'],
  ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  ['Battles', 'Armed clash'],
  ['Violence against civilians', 'Attack'],
  ['Protests', 'Peaceful protest'],
  ['Strategic developments', 'Arrests'],
];
const ACTORS = [
  'Islamic State (Afghanistan)',
  'Military Forces of Afghanistan (2021-)',
  'Police Forces of Afghanistan (2021-)',
  'Unidentified Armed Group (Afghanistan)',
];
const PLACES: [string, string, number, number][] = [
  ['Kabul', 'Kabul', 34.5167, 69.1833],
  ['Nangarhar', 'Jalalabad', 34.4265, 70.4515],
  ['Kunar', 'Asadabad', 34.8732, 71.1466],
  ['Herat', 'Herat', 34.3482, 62.1997],
  ['Balkh', 'Mazar-e Sharif', 36.709, 67.1109],
];
export const GEN_SOURCES = [
  'Pajhwok Afghan News',
  'Tolo News',
  'Xinhua',
  'Bakhtar News Agency',
  'Khaama Press',
  'Ministry of Interior of Afghanistan',
  'Amaq News Agency',
  'Reuters',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const SHORT = MONTHS.map((m) => m.slice(0, 3));

export type GenOptions = {
  rows: number;
  seed?: number;
  idPrefix?: string;
  timestamp?: number;
  fatalitiesPlus?: number;
};

/** One data line (no line end) for event number i. */
export function acledLine(i: number, r: () => number, o: GenOptions): string {
  const [event, sub] = EVENTS[i % EVENTS.length]!;
  const [admin1, loc, lat, lon] = PLACES[i % PLACES.length]!;
  const y = 2018 + (i % 6);
  const m = (i % 12) + 1;
  const d = (i % 28) + 1;
  const style = i % 3;
  const date =
    style === 0
      ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
      : style === 1
        ? `${d} ${MONTHS[m - 1]} ${y}`
        : `${d}-${SHORT[m - 1]}-${String(y).slice(2)}`;
  const nsrc = 1 + (i % 3);
  const sources: string[] = [];
  for (let k = 0; k < nsrc; k++) sources.push(GEN_SOURCES[(i + k * 3) % GEN_SOURCES.length]!);
  const fat = (i % 7) + (o.fatalitiesPlus ?? 0);
  const note =
    i % 10 === 0
      ? `"Event ${i}: a ""quoted"" word, a comma,\r\nand a second line."`
      : `"Event ${i} near ${loc}, reported by ${sources[0]}."`;
  const actor = ACTORS[i % ACTORS.length]!;
  const jitter = Math.round(r() * 1000) / 10000;
  return [
    `${o.idPrefix ?? 'GEN'}${i}`,
    date,
    y,
    1 + (i % 3),
    'Political violence',
    event,
    sub,
    actor,
    'NA',
    'Rebel group',
    'Civilians (Afghanistan)',
    i % 5 === 0 ? 'NA' : '',
    'Civilians',
    'Rebel group-Civilians',
    i % 2 ? 'Civilian targeting' : '',
    4,
    'Caucasus and Central Asia',
    'Afghanistan',
    admin1,
    loc,
    'NA',
    loc,
    (lat + jitter).toFixed(4),
    lon.toFixed(4),
    1 + (i % 3),
    sources.join('; '),
    'National',
    note,
    fat,
    i % 4 === 0 ? 'crowd size=no report' : '',
    o.timestamp ?? 1_700_000_000,
  ].join(',');
}

/** Writes the file in chunks (memory stays small for any row count). */
export function writeAcledCsv(path: string, o: GenOptions): void {
  const fd = openSync(path, 'w');
  const r = rng(o.seed ?? 1);
  try {
    let buf = `\ufeff${ACLED_HEADER}\r\n`;
    for (let i = 1; i <= o.rows; i++) {
      buf += acledLine(i, r, o) + '\r\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}
