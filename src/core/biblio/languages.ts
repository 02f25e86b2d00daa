/**
 * Source languages are kept as BCP-47 tags ('ru', 'ps', 'fa-AF'). BibTeX files name them the
 * babel/polyglossia way ('russian', 'pashto'); RIS and CSL-JSON from Zotero carry either. Both
 * directions go through this table, so an export to BibLaTeX writes names biber knows and an
 * import of the same file gives the tags back.
 */
const NAME_TO_TAG: Record<string, string> = {
  english: 'en',
  american: 'en-US',
  usenglish: 'en-US',
  british: 'en-GB',
  ukenglish: 'en-GB',
  russian: 'ru',
  ukrainian: 'uk',
  belarusian: 'be',
  pashto: 'ps',
  pushto: 'ps',
  arabic: 'ar',
  persian: 'fa',
  farsi: 'fa',
  dari: 'prs',
  urdu: 'ur',
  hindi: 'hi',
  bengali: 'bn',
  punjabi: 'pa',
  turkish: 'tr',
  kurdish: 'ku',
  azerbaijani: 'az',
  uzbek: 'uz',
  tajik: 'tg',
  kazakh: 'kk',
  kyrgyz: 'ky',
  turkmen: 'tk',
  uyghur: 'ug',
  chechen: 'ce',
  georgian: 'ka',
  armenian: 'hy',
  hebrew: 'he',
  french: 'fr',
  german: 'de',
  ngerman: 'de',
  spanish: 'es',
  portuguese: 'pt',
  italian: 'it',
  dutch: 'nl',
  swedish: 'sv',
  norwegian: 'no',
  danish: 'da',
  finnish: 'fi',
  polish: 'pl',
  czech: 'cs',
  slovak: 'sk',
  hungarian: 'hu',
  romanian: 'ro',
  bulgarian: 'bg',
  serbian: 'sr',
  croatian: 'hr',
  bosnian: 'bs',
  slovenian: 'sl',
  macedonian: 'mk',
  albanian: 'sq',
  greek: 'el',
  somali: 'so',
  hausa: 'ha',
  amharic: 'am',
  tigrinya: 'ti',
  swahili: 'sw',
  yoruba: 'yo',
  fula: 'ff',
  kanuri: 'kr',
  indonesian: 'id',
  malay: 'ms',
  tagalog: 'tl',
  thai: 'th',
  vietnamese: 'vi',
  burmese: 'my',
  tamil: 'ta',
  sinhala: 'si',
  chinese: 'zh',
  japanese: 'ja',
  korean: 'ko',
  latin: 'la',
};

const TAG_TO_NAME: Record<string, string> = {};
for (const [name, tag] of Object.entries(NAME_TO_TAG)) TAG_TO_NAME[tag.toLowerCase()] ??= name;

const TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i;

/** A language as found in a reference, as a BCP-47 tag where it can be recognised. */
export function normalizeLanguage(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s === '') return null;
  const byName = NAME_TO_TAG[s.toLowerCase()];
  if (byName) return byName;
  if (!TAG.test(s)) return s;
  return s
    .split(/[-_]/)
    .map((part, i) => {
      if (i === 0) return part.toLowerCase();
      if (part.length === 2) return part.toUpperCase(); // region: en-US
      if (part.length === 4) return part[0]!.toUpperCase() + part.slice(1).toLowerCase(); // script: sr-Latn
      return part.toLowerCase();
    })
    .join('-');
}

/**
 * The babel/polyglossia name for a tag, for BibLaTeX's `language` field; the tag itself when babel
 * has no name for exactly that tag ('fa-AF' stays 'fa-AF' so that it comes back as it went).
 */
export function languageName(tag: string): string {
  return TAG_TO_NAME[tag.toLowerCase()] ?? tag;
}
