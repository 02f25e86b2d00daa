import { foldString } from '../../shared/anchor/normalize';
import type { SourceInput } from './types';

/**
 * Citation keys must survive being written as `@key` in a Pandoc note and as a BibTeX label:
 * letters, digits and `_`, with `: . - + /` allowed inside (Pandoc allows more punctuation, but
 * `# % & ? < > ~ $` break BibTeX or read badly in prose).
 */
export const KEY_PATTERN = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_:.\-+/]*[\p{L}\p{N}_])?$/u;
const MAX_KEY = 64;

export function isValidKey(key: string): boolean {
  return key.length <= MAX_KEY && KEY_PATTERN.test(key);
}

/**
 * The key a reference brought, made valid, or null when it is not worth keeping: absent, a URL
 * (Zotero's CSL-JSON ids), a bare number (RIS and EndNote record numbers) or too long.
 */
export function cleanKey(raw: string | null): string | null {
  if (raw === null) return null;
  const k = raw
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_:.\-+/]+/gu, '_')
    .replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, '');
  if (k === '' || /^\d+$/.test(k) || raw.includes('://') || k.length > MAX_KEY) return null;
  return isValidKey(k) ? k : null;
}

const STOP = new Set([
  'the',
  'a',
  'an',
  'of',
  'on',
  'in',
  'and',
  'for',
  'to',
  'le',
  'la',
  'les',
  'der',
  'die',
  'das',
  'el',
  'al',
]);

const firstWord = (s: string | null, skipStop: boolean): string => {
  const words =
    (s ?? '')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return (skipStop ? words.find((w) => !STOP.has(w)) : words[0]) ?? '';
};

/** A key in the usual shape, author + year + title word: `smith2024drone`, `иванов2022доклад`. */
export function makeKey(source: Pick<SourceInput, 'authors' | 'published' | 'title'>): string {
  const author = firstWord(source.authors, true);
  const year = source.published?.slice(0, 4) ?? 'nd';
  const word = firstWord(source.title, true);
  const key = `${author}${year}${word}`.slice(0, MAX_KEY - 3);
  return isValidKey(key) ? key : `ref${year}`;
}

/** Makes `key` unique among `taken` by a letter suffix (a, b, ..., z, aa, ...), and takes it. */
export function uniqueKey(key: string, taken: Set<string>): string {
  let k = key;
  for (let n = 0; taken.has(k); n++) k = key + letters(n);
  taken.add(k);
  return k;
}

function letters(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Two references to the same work tend to differ in capitals, punctuation, diacritics and Arabic
 * letter forms of the title, and in the precision of the date: compare the folded title and the year.
 */
export function duplicateKey(source: Pick<SourceInput, 'title' | 'published'>): string {
  return `${foldString(source.title).replace(/[^\p{L}\p{N}]+/gu, '')}|${source.published?.slice(0, 4) ?? ''}`;
}
