import { ACLED_HEADER } from '../src/core/export/layout';
import { rng } from '../tests/rng';

/**
 * Synthetic ACLED data for the benchmark: the current 31-column layout with the quirks real
 * exports have (BOM, CRLF, quoted multi-line notes, `NA` blanks, three date styles, Arabic and
 * Cyrillic text). Row i depends only on (seed, i), so the baseline can make exactly the rows the
 * file holds without reading it back.
 */
/** The columns in ACLED's order: the same list the exporter writes (src/core/export/layout.ts). */
export const ACLED_COLUMNS = ACLED_HEADER;

type Country = { name: string; iso: number; code: string; region: string; lat: number; lon: number; admin1: string[] };

const COUNTRIES: Country[] = [
  {
    name: 'Afghanistan',
    iso: 4,
    code: 'AFG',
    region: 'Caucasus and Central Asia',
    lat: 34.5,
    lon: 69.2,
    admin1: [
      'Kabul',
      'Nangarhar',
      'Kandahar',
      'Helmand',
      'Kunar',
      'Balkh',
      'Herat',
      'Kunduz',
      'Ghazni',
      'Paktika',
      'Khost',
      'Laghman',
      'Parwan',
      'Baghlan',
      'Takhar',
      'Badakhshan',
      'Faryab',
      'Jowzjan',
      'Uruzgan',
      'Zabul',
      'Farah',
      'Nimroz',
      'Logar',
      'Wardak',
      'Kapisa',
      'Panjshir',
      'Bamyan',
      'Daykundi',
      'Ghor',
      'Badghis',
      'Sar-e Pol',
      'Samangan',
      'Nuristan',
      'Paktia',
    ],
  },
  {
    name: 'Syria',
    iso: 760,
    code: 'SYR',
    region: 'Middle East',
    lat: 35.0,
    lon: 38.5,
    admin1: [
      'Aleppo',
      'Idleb',
      'Deir ez Zor',
      'Ar-Raqqa',
      'Al-Hasakeh',
      'Hama',
      'Homs',
      "Dar'a",
      'Rural Damascus',
      'Damascus',
      'Lattakia',
      'Tartous',
      'As-Sweida',
      'Quneitra',
    ],
  },
  {
    name: 'Iraq',
    iso: 368,
    code: 'IRQ',
    region: 'Middle East',
    lat: 33.3,
    lon: 44.4,
    admin1: [
      'Baghdad',
      'Ninewa',
      'Anbar',
      'Salah al-Din',
      'Diyala',
      'Kirkuk',
      'Erbil',
      'Duhok',
      'Sulaymaniyah',
      'Basrah',
      'Babil',
      'Karbala',
      'Najaf',
      'Wasit',
      'Maysan',
      'Dhi-Qar',
      'Muthanna',
      'Qadissiya',
    ],
  },
  {
    name: 'Ukraine',
    iso: 804,
    code: 'UKR',
    region: 'Europe',
    lat: 48.4,
    lon: 35.0,
    admin1: [
      'Donetsk',
      'Luhansk',
      'Kharkiv',
      'Zaporizhia',
      'Kherson',
      'Dnipropetrovsk',
      'Mykolaiv',
      'Sumy',
      'Chernihiv',
      'Kyiv',
      'Odesa',
      'Poltava',
      'Crimea',
    ],
  },
  {
    name: 'Nigeria',
    iso: 566,
    code: 'NGA',
    region: 'Western Africa',
    lat: 10.5,
    lon: 8.0,
    admin1: [
      'Borno',
      'Yobe',
      'Adamawa',
      'Zamfara',
      'Kaduna',
      'Katsina',
      'Niger',
      'Plateau',
      'Benue',
      'Sokoto',
      'Lagos',
      'Rivers',
    ],
  },
  {
    name: 'Somalia',
    iso: 706,
    code: 'SOM',
    region: 'Eastern Africa',
    lat: 3.5,
    lon: 45.5,
    admin1: [
      'Banadir',
      'Lower Shabelle',
      'Middle Shabelle',
      'Hiraan',
      'Bay',
      'Bakool',
      'Gedo',
      'Lower Juba',
      'Galgaduud',
      'Mudug',
    ],
  },
  {
    name: 'Mali',
    iso: 466,
    code: 'MLI',
    region: 'Western Africa',
    lat: 15.0,
    lon: -2.0,
    admin1: ['Mopti', 'Gao', 'Timbuktu', 'Menaka', 'Segou', 'Kidal', 'Koulikoro', 'Sikasso'],
  },
  {
    name: 'Burkina Faso',
    iso: 854,
    code: 'BFA',
    region: 'Western Africa',
    lat: 12.5,
    lon: -1.5,
    admin1: ['Sahel', 'Est', 'Nord', 'Centre-Nord', 'Boucle du Mouhoun', 'Centre-Est', 'Cascades', 'Hauts-Bassins'],
  },
  {
    name: 'Yemen',
    iso: 887,
    code: 'YEM',
    region: 'Middle East',
    lat: 15.4,
    lon: 44.2,
    admin1: [
      'Taiz',
      'Al Hudaydah',
      'Marib',
      'Sadah',
      'Al Jawf',
      'Amanat al Asimah',
      'Abyan',
      'Shabwah',
      'Lahij',
      "Al Dhale'e",
      'Aden',
      'Hajjah',
    ],
  },
  {
    name: 'Pakistan',
    iso: 586,
    code: 'PAK',
    region: 'Southern Asia',
    lat: 31.0,
    lon: 70.0,
    admin1: ['Khyber Pakhtunkhwa', 'Balochistan', 'Punjab', 'Sindh', 'Islamabad Capital Territory', 'Gilgit-Baltistan'],
  },
  {
    name: 'Democratic Republic of Congo',
    iso: 180,
    code: 'COD',
    region: 'Middle Africa',
    lat: -1.5,
    lon: 29.0,
    admin1: ['Nord-Kivu', 'Ituri', 'Sud-Kivu', 'Tanganyika', 'Kasai', 'Kinshasa'],
  },
  {
    name: 'Mozambique',
    iso: 508,
    code: 'MOZ',
    region: 'Eastern Africa',
    lat: -12.0,
    lon: 40.0,
    admin1: ['Cabo Delgado', 'Niassa', 'Nampula', 'Maputo'],
  },
  {
    name: 'Philippines',
    iso: 608,
    code: 'PHL',
    region: 'Southeast Asia',
    lat: 7.5,
    lon: 124.5,
    admin1: ['Maguindanao', 'Lanao del Sur', 'Sulu', 'Basilan', 'Cotabato', 'Negros Occidental'],
  },
  {
    name: 'Egypt',
    iso: 818,
    code: 'EGY',
    region: 'Northern Africa',
    lat: 30.5,
    lon: 32.5,
    admin1: ['North Sinai', 'Cairo', 'Giza', 'Alexandria'],
  },
  {
    name: 'Libya',
    iso: 434,
    code: 'LBY',
    region: 'Northern Africa',
    lat: 30.0,
    lon: 17.0,
    admin1: ['Tripoli', 'Misrata', 'Benghazi', 'Sirte', 'Sabha'],
  },
  {
    name: 'Niger',
    iso: 562,
    code: 'NER',
    region: 'Western Africa',
    lat: 14.5,
    lon: 2.5,
    admin1: ['Tillaberi', 'Diffa', 'Tahoua', 'Maradi'],
  },
];

const ARMED = [
  'Islamic State',
  'Military Forces',
  'Police Forces',
  'Unidentified Armed Group',
  'Al Qaeda',
  'Communal Militia',
  'Rebel Forces',
];
const EVENTS: [string, string, string[]][] = [
  [
    'Battles',
    'Political violence',
    ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  ],
  [
    'Explosions/Remote violence',
    'Political violence',
    [
      'Remote explosive/landmine/IED',
      'Suicide bomb',
      'Air/drone strike',
      'Shelling/artillery/missile attack',
      'Grenade',
    ],
  ],
  ['Violence against civilians', 'Political violence', ['Attack', 'Abduction/forced disappearance', 'Sexual violence']],
  [
    'Protests',
    'Demonstrations',
    ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  ],
  ['Riots', 'Demonstrations', ['Violent demonstration', 'Mob violence']],
  [
    'Strategic developments',
    'Strategic developments',
    [
      'Arrests',
      'Looting/property destruction',
      'Headquarters or base established',
      'Disrupted weapons use',
      'Agreement',
      'Other',
    ],
  ],
];
const EVENT_WEIGHTS = [30, 22, 16, 18, 6, 8];
const SOURCES = [
  'Reuters',
  'Associated Press',
  'Agence France Presse',
  'Xinhua',
  'Al Jazeera',
  'BBC Monitoring',
  'Pajhwok Afghan News',
  'Khaama Press',
  'Tolo News',
  'Ariana News',
  'Amaq News Agency',
  'Syrian Observatory for Human Rights',
  'Rudaw',
  'Kurdistan 24',
  'Shafaq News',
  'Ukrainska Pravda',
  'Interfax-Ukraine',
  'Premium Times',
  'Daily Trust',
  'Sahara Reporters',
  'Garowe Online',
  'Radio Shabelle',
  'Hiiraan Online',
  'Le Monde',
  'RFI',
  'Studio Tamani',
  'Burkina24',
  'Yemen Monitor',
  'Saba News Agency',
  'Dawn',
  'The Express Tribune',
  'Actualite.cd',
  'Radio Okapi',
  'Cabo Ligado',
  'Zitamar News',
  'Rappler',
  'Inquirer',
  'Ahram Online',
  'Libya Observer',
  'ActuNiger',
  'Local Source',
  'Twitter',
  'Facebook',
  'Telegram',
  'Undisclosed Source',
  'Human Rights Watch',
  'Amnesty International',
  'UN OCHA',
  'UNAMA',
  'Government of Afghanistan',
];
const SCALES = ['National', 'Subnational', 'International', 'Local partner-Other', 'New media', 'Other-National'];
const VERBS = [
  'attacked',
  'clashed with',
  'detonated an IED targeting',
  'fired on',
  'abducted',
  'ambushed',
  'shelled positions of',
  'raided a compound of',
];
const PLACES = [
  'a checkpoint',
  'a market',
  'a mosque',
  'a school',
  'a police station',
  'a military base',
  'a convoy',
  'a village',
  'a hospital',
  'a bus station',
];
const ARABIC = [
  'هجوم انتحاري في سوق المدينة',
  'أعلن تنظيم الدولة الإسلامية مسؤوليته عن الهجوم',
  'اشتباكات مسلحة قرب الحدود',
  'مقتل ثلاثة مدنيين في قصف',
];
const CYRILLIC = [
  'Обстрел жилого квартала',
  'Нападение на блокпост',
  'Взрыв на рынке, погибли мирные жители',
  'Атака беспилотника на склад',
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

/** Index by weights proportional to 1/(k+1): a few common values and a long tail, as in ACLED. */
function zipf(r: number, n: number): number {
  // Precomputed per n; inverse by linear scan is fine for n <= 40.
  let total = 0;
  for (let k = 0; k < n; k++) total += 1 / (k + 1);
  let x = r * total;
  for (let k = 0; k < n; k++) {
    x -= 1 / (k + 1);
    if (x <= 0) return k;
  }
  return n - 1;
}

function weighted(r: number, w: number[]): number {
  const total = w.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (let i = 0; i < w.length; i++) {
    x -= w[i]!;
    if (x <= 0) return i;
  }
  return w.length - 1;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const DAY0 = Date.UTC(2017, 0, 1);
const DAYS = 8 * 365;

/** The 31 cells of row i (0-based) as they appear in the file, before CSV quoting. */
export function acledRow(i: number, seed = 1): string[] {
  const r = rng((seed * 0x9e3779b1) ^ (i * 2654435761));
  const c = COUNTRIES[zipf(r(), COUNTRIES.length)]!;
  const admin1 = c.admin1[zipf(r(), c.admin1.length)]!;
  const ev = weighted(r(), EVENT_WEIGHTS);
  const [eventType, disorder, subs] = EVENTS[ev]!;
  const sub = subs[Math.floor(r() * subs.length)]!;
  const d = new Date(DAY0 + Math.floor(r() * DAYS) * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const tpR = r();
  const tp = tpR < 0.85 ? 1 : tpR < 0.95 ? 2 : 3;
  const styleR = r();
  // ISO most of the time; ACLED's own "28 December 2022"; Excel's re-save "9-May-20".
  const eventDate =
    styleR < 0.85
      ? `${y}-${pad(m + 1)}-${pad(day)}`
      : styleR < 0.95
        ? `${day} ${MONTHS[m]} ${y}`
        : `${day}-${SHORT[m]}-${String(y).slice(2)}`;
  const protest = eventType === 'Protests' || eventType === 'Riots';
  const actor1 = protest
    ? `${eventType === 'Protests' ? 'Protesters' : 'Rioters'} (${c.name})`
    : `${ARMED[zipf(r(), ARMED.length)]} (${c.name})`;
  const actor2 = protest
    ? r() < 0.3
      ? `Police Forces (${c.name})`
      : ''
    : r() < 0.45
      ? `Civilians (${c.name})`
      : `${ARMED[Math.floor(r() * ARMED.length)]} (${c.name})`;
  const inter1 = protest
    ? eventType === 'Protests'
      ? 'Protesters'
      : 'Rioters'
    : actor1.startsWith('Military') || actor1.startsWith('Police')
      ? 'State forces'
      : 'Rebel group';
  const inter2 =
    actor2 === ''
      ? ''
      : actor2.startsWith('Civilians')
        ? 'Civilians'
        : actor2.startsWith('Military') || actor2.startsWith('Police')
          ? 'State forces'
          : 'Rebel group';
  const interaction = inter2 ? `${inter1}-${inter2}` : `${inter1} only`;
  const civ = eventType === 'Violence against civilians' ? 'Civilian targeting' : '';
  const na = () => (r() < 0.3 ? 'NA' : '');
  const assoc1 = r() < 0.15 ? `${ARMED[Math.floor(r() * ARMED.length)]} (${c.name}); Local Militia (${c.name})` : na();
  const admin2 = r() < 0.8 ? `${admin1} District ${1 + Math.floor(r() * 12)}` : na();
  const admin3 = r() < 0.1 ? `Subdistrict ${1 + Math.floor(r() * 40)}` : '';
  const location = r() < 0.6 ? admin1 : `${admin1} - Village ${1 + Math.floor(r() * 300)}`;
  const lat = (c.lat + (r() - 0.5) * 4).toFixed(4);
  const lon = (c.lon + (r() - 0.5) * 4).toFixed(4);
  const geo = String(1 + weighted(r(), [70, 25, 5]));
  const nSrc = r() < 0.7 ? 1 : 2;
  const src: string[] = [];
  for (let k = 0; k < nSrc; k++) {
    const s = SOURCES[zipf(r(), SOURCES.length)]!;
    if (!src.includes(s)) src.push(s);
  }
  const fatR = r();
  const fat = protest
    ? 0
    : fatR < 0.55
      ? 0
      : fatR < 0.9
        ? 1 + Math.floor(r() * 5)
        : fatR < 0.99
          ? 5 + Math.floor(r() * 30)
          : 30 + Math.floor(r() * 300);
  const when = `${day} ${MONTHS[m]} ${y}`;
  let notes = protest
    ? `On ${when}, around ${10 * (1 + Math.floor(r() * 50))} people protested in ${location} (${admin1}) against ${PLACES[Math.floor(r() * PLACES.length)]} closures.`
    : `On ${when}, ${actor1} ${VERBS[Math.floor(r() * VERBS.length)]} ${PLACES[Math.floor(r() * PLACES.length)]} in ${location} (${admin1}, ${c.name}). ${fat === 0 ? 'No fatalities reported.' : `${fat} killed.`}`;
  const q = r();
  // Quirks in the notes: quotes, commas and line breaks inside a quoted field; other scripts.
  if (q < 0.03) notes += `\nLocal sources said: "the ${PLACES[Math.floor(r() * PLACES.length)]} was hit, twice".`;
  else if (q < 0.04) notes += ` ${ARABIC[Math.floor(r() * ARABIC.length)]}.`;
  else if (q < 0.05) notes += ` ${CYRILLIC[Math.floor(r() * CYRILLIC.length)]}.`;
  const tags = protest
    ? r() < 0.5
      ? 'crowd size=no report'
      : `crowd size=around ${10 * (1 + Math.floor(r() * 50))}`
    : '';
  const ts = String(1_600_000_000 + Math.floor(r() * 100_000_000));
  return [
    `${c.code}${i + 1}`,
    eventDate,
    String(y),
    String(tp),
    disorder,
    eventType,
    sub,
    actor1,
    assoc1,
    inter1,
    actor2,
    na(),
    inter2,
    interaction,
    civ,
    String(c.iso),
    c.region,
    c.name,
    admin1,
    admin2,
    admin3,
    location,
    lat,
    lon,
    geo,
    src.join('; '),
    SCALES[Math.floor(r() * SCALES.length)]!,
    notes,
    String(fat),
    tags,
    ts,
  ];
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of rows [from, to), CRLF line ends. */
export function acledCsvChunk(from: number, to: number, seed = 1): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(acledRow(i, seed).map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

export function acledCsvHeader(): string {
  return `\ufeff${ACLED_COLUMNS.join(',')}\r\n`;
}
