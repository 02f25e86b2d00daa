/**
 * Text folding for finding a quote again in another copy of its source: the same passage comes
 * back from a PDF, a web page or a re-typed edition with other whitespace, other Unicode forms
 * (NFC/NFD, Arabic presentation forms, full-width letters), Arabic and Persian letter variants,
 * tatweel, diacritics and case. Folding maps all of these to one form, and keeps for every folded
 * character the range of the original it came from, so that a match maps back to the original.
 */

export type FoldedText = {
  /** The folded text: lower case, no diacritics, single spaces, no leading or trailing space. */
  text: string;
  /** For each folded UTF-16 index, where its original character starts in the source text. */
  start: Int32Array;
  /** For each folded UTF-16 index, where its original character (with its marks) ends. */
  end: Int32Array;
};

/**
 * Characters that carry no letters: tatweel (kashida, stretches Arabic words for layout), soft
 * hyphen, zero-width space/joiners (ZWNJ is used inconsistently in Persian), word joiner, BOM and
 * the bidirectional controls. They vary between copies of the same text and are skipped.
 */
const SKIP = /^[\u0640\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u061C]$/;
const NONSPACING_MARK = /^\p{Mn}$/u;
const SPACE = /^\s$/;

/**
 * Letters and punctuation that different keyboards, fonts and OCR engines use for the same text:
 * Arabic vs Persian yeh and kaf, teh marbuta vs heh, alef wasla; Arabic-Indic and Persian digits;
 * Arabic comma, semicolon and question mark; typographic quotes and dashes.
 */
const FOLD: Record<string, string> = {
  '\u064A': '\u06CC', // ARABIC YEH -> FARSI YEH
  '\u0649': '\u06CC', // ALEF MAKSURA -> FARSI YEH
  '\u0643': '\u06A9', // ARABIC KAF -> KEHEH
  '\u06AA': '\u06A9', // SWASH KAF -> KEHEH
  '\u0629': '\u0647', // TEH MARBUTA -> HEH
  '\u06C1': '\u0647', // HEH GOAL -> HEH
  '\u0671': '\u0627', // ALEF WASLA -> ALEF
  '\u0672': '\u0627',
  '\u0673': '\u0627',
  '\u060C': ',',
  '\u061B': ';',
  '\u061F': '?',
  '\u066A': '%',
  '\u066B': '.',
  '\u066C': ',',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
};
for (let d = 0; d < 10; d++) {
  FOLD[String.fromCharCode(0x0660 + d)] = String(d);
  FOLD[String.fromCharCode(0x06f0 + d)] = String(d);
}

/** Folds a text and keeps, for every folded character, the original range it came from. */
export function foldText(source: string, opts: { trim?: boolean } = {}): FoldedText {
  const trim = opts.trim ?? true;
  // Folding rarely grows text (ligatures such as U+FDFA do): start with room and grow when needed.
  let cap = source.length + 16;
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  const out: string[] = [];
  let n = 0;
  let lastSpace = trim; // at the start, a space would be leading: skip it when trimming

  const emit = (c: string, from: number, to: number) => {
    if (c === ' ') {
      if (lastSpace) return;
      lastSpace = true;
    } else lastSpace = false;
    for (let k = 0; k < c.length; k++) {
      if (n === cap) {
        cap *= 2;
        const s2 = new Int32Array(cap);
        s2.set(start);
        start = s2;
        const e2 = new Int32Array(cap);
        e2.set(end);
        end = e2;
      }
      start[n] = from;
      end[n] = to;
      n++;
    }
    out.push(c);
  };

  let i = 0;
  while (i < source.length) {
    const code = source.charCodeAt(i);
    if (code < 0x80) {
      // Fast path: plain ASCII needs no Unicode normalization.
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) emit(' ', i, i + 1);
      else emit(code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : source[i]!, i, i + 1);
      i++;
      continue;
    }
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const next = i + ch.length;
    if (SKIP.test(ch)) {
      i = next;
      continue;
    }
    if (SPACE.test(ch)) {
      emit(' ', i, next);
      i = next;
      continue;
    }
    for (const c of ch.toLowerCase().normalize('NFKD')) {
      if (NONSPACING_MARK.test(c)) {
        // A diacritic belongs to the letter before it: the match of that letter ends after it.
        if (n > 0 && !lastSpace) end[n - 1] = next;
        continue;
      }
      if (SPACE.test(c)) emit(' ', i, next);
      else emit(FOLD[c] ?? c, i, next);
    }
    i = next;
  }
  if (trim && n > 0 && lastSpace) {
    out.pop();
    n--;
  }
  return { text: out.join(''), start: start.subarray(0, n), end: end.subarray(0, n) };
}

/** The folded form alone, for comparing two short strings (titles, quotes). */
export function foldString(s: string, opts: { trim?: boolean } = {}): string {
  return foldText(s, opts).text;
}
