/**
 * A name's fingerprint: names that share one look like the same actor or place, and are offered
 * to the analyst as a suggestion (never joined without them). It folds:
 * - case, diacritics and punctuation ("Hérat", "HERAT", "Sar-e-Pul" / "Sar e Pul");
 * - word order, and words that only say what kind of thing is named ("Khorasan Chapter of the
 *   Islamic State" / "Islamic State Khorasan Province"); a parenthesis is left out
 *   ("Islamic State (Afghanistan)");
 * - common transliteration variants of Dari, Pashto, Arabic and Russian names in Latin letters:
 *   vowels inside a word, doubled letters, q/k, kh/k, ph/f, w/v, ou/oo/u ("Panjshayr" / "Panjshir",
 *   "Hirat" / "Herat", "Qunduz" / "Kunduz");
 * - in Arabic script what the search folds (vowel marks, tatweel, keheh, farsi yeh) and the
 *   alef, yaa and taa marbuta variants; ё as е.
 */
const STOP = new Set([
  'the',
  'of',
  'and',
  'al',
  'el',
  'province',
  'provincia',
  'wilayat',
  'wilayah',
  'velayat',
  'chapter',
  'branch',
  'group',
  'region',
  'district',
  'city',
  'ولايت',
  'ولاية',
  'واليت',
  'провинция',
  'вилаят',
  'область',
]);

const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;

function foldArabic(s: string): string {
  return s
    .replace(ARABIC_MARKS, '')
    .replace(/\u06a9/g, '\u0643')
    .replace(/[\u06cc\u0649]/g, '\u064a')
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/\u0629/g, '\u0647');
}

/** Latin letters of one word with the variants transliterations differ by folded away. */
function foldLatin(w: string): string {
  let s = w.replace(/kh/g, 'k').replace(/q/g, 'k').replace(/ph/g, 'f').replace(/w/g, 'v').replace(/ck/g, 'k');
  // Keep the first letter, drop later vowels (and y): "panjshayr" and "panjshir" are both "pnjshr".
  s = s[0]! + s.slice(1).replace(/[aeiouy]/g, '');
  return s.replace(/(.)\1+/g, '$1');
}

export function fingerprint(name: string): string {
  const base = name
    .replace(/\([^)]*\)/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е');
  const words = foldArabic(base)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !STOP.has(w));
  const folded = words.map((w) => (/^[a-z]+$/.test(w) ? foldLatin(w) : w));
  return [...new Set(folded)].sort().join(' ');
}
