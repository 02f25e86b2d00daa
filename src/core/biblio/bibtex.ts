import { Cite, logger, plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { languageName } from './languages';
import type { CslItem, CslName } from './types';

/**
 * BibTeX and BibLaTeX through citation-js. Files are read in either dialect and written as
 * BibLaTeX (what biber reads): it keeps what Casefile has and BibTeX lacks, `date` with month and
 * day, `urldate`, `language`, `@dataset`, `@report`, `@online`.
 */

type BibtexConfig = { format: { asciiOnly: boolean; checkLabel: boolean; useIdAsLabel: boolean } };

/**
 * citation-js's output settings are process-wide; ours are set for each call and put back. By
 * default it writes ASCII only and silently drops every character it cannot spell in LaTeX:
 * Cyrillic, Arabic and Pashto titles came out empty. We write UTF-8 (biber reads it) and escape
 * LaTeX's special characters ourselves (`latex` below), since without asciiOnly it escapes none.
 */
function withOutputConfig<T>(fn: () => T): T {
  const cfg = plugins.config.get('@bibtex') as BibtexConfig;
  const saved = { ...cfg.format };
  Object.assign(cfg.format, { asciiOnly: false, checkLabel: false, useIdAsLabel: true });
  try {
    return fn();
  } finally {
    Object.assign(cfg.format, saved);
  }
}

/**
 * LaTeX's special characters, and the ligatures a BibTeX reader turns into other characters
 * (`--` into an en dash, ``` `` ``` and `''` into curly quotes), written so they come back as typed;
 * a no-break space as `~`, which is how a reader gives it back.
 */
export function latex(s: string): string {
  return s
    .replace(/[\\{}%&#_$~^]/g, (c) =>
      c === '\\'
        ? '\\textbackslash{}'
        : c === '~'
          ? '\\textasciitilde{}'
          : c === '^'
            ? '\\textasciicircum{}'
            : `\\${c}`,
    )
    .replace(/\u00A0/g, '~')
    .replace(/-(?=-)/g, '-{}')
    .replace(/`(?=`)/g, '`{}')
    .replace(/'(?=')/g, "'{}");
}

/** Line breaks in notes as `\\` (LaTeX's line break), read back by `fromLatexBreaks`. */
const toLatexBreaks = (s: string) => s.replace(/[ \t]*\r?\n/g, '\\\\ ');
export const fromLatexBreaks = (s: string) => s.replace(/\s*\\par\b\s*/g, '\n\n').replace(/ ?\\\\ ?/g, '\n');

const latexName = (n: CslName): CslName => {
  // citation-js writes nothing for a `literal` name: an institution goes out as a family name,
  // which it braces ({Institute for the Study of War}) so that BibTeX does not split it.
  if (n.literal) return { family: latex(n.literal) };
  const out: CslName = {};
  for (const [k, v] of Object.entries(n)) if (typeof v === 'string') out[k as keyof CslName] = latex(v);
  return out;
};

const BIBTEX_KEY_UNSAFE = /[^\p{L}\p{N}_:.\-+/]/gu;

function forBibtex(item: CslItem): CslItem {
  const out: CslItem = { ...item };
  const key = item.id.replace(BIBTEX_KEY_UNSAFE, '_') || 'ref';
  out.id = key;
  out['citation-key'] = key;
  if (item.title) out.title = latex(item.title);
  if (item.note) out.note = toLatexBreaks(latex(item.note));
  if (item.author) out.author = item.author.map(latexName);
  if (item.language) out.language = languageName(item.language);
  if (item.URL && !balanced(item.URL)) out.URL = item.URL.replace(/[{}]/g, encodeURIComponent);
  return out;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * citation-js writes `note = {[Online; accessed DATE]}` for an entry without a note, for classic
 * BibTeX styles that know no `urldate`. BibLaTeX has `urldate`, and on import the made-up note
 * would become the analyst's notes: it is left out, and dropped when a file brings it.
 */
const ACCESSED_NOTE = /^\s*\[Online; accessed [^\]\n]*\]\s*$/;

export function writeBibtex(items: CslItem[]): string {
  if (items.length === 0) return '';
  const text = withOutputConfig(() => String(new Cite(items.map(forBibtex)).format('biblatex')));
  return text.replace(/^\tnote = \{\[Online; accessed [^\]\n]*\]\},\n/gm, '');
}

const chain = (text: string) => {
  try {
    return plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false, strict: true }) as CslItem[];
  } finally {
    logger._log.length = 0;
  }
};

/**
 * The CSL items of a BibTeX file, each with its position among the file's entries. One bad entry
 * fails citation-js's whole parse; then the file is read entry by entry (each entry with the
 * `@string` definitions before it), so that the others are imported and the bad one is named.
 */
export function readBibtex(text: string): {
  entries: { index: number; item: CslItem }[];
  errors: { index: number; message: string }[];
} {
  try {
    return { entries: chain(text).map((item, index) => ({ index, item: fixItem(item) })), errors: [] };
  } catch {
    // fall through to one entry at a time
  }
  const entries: { index: number; item: CslItem }[] = [];
  const errors: { index: number; message: string }[] = [];
  let strings = '';
  let index = 0;
  for (const chunk of text.split(/^(?=[ \t]*@)/m)) {
    const kind = /^\s*@\s*([a-zA-Z]+)/.exec(chunk)?.[1]?.toLowerCase();
    if (!kind || kind === 'comment' || kind === 'preamble') continue;
    if (kind === 'string') {
      try {
        chain(strings + chunk);
        strings += chunk;
      } catch {
        // an unreadable @string only loses its own definition
      }
      continue;
    }
    const label = /^\s*@\s*[a-zA-Z]+\s*[{(]\s*([^,\s]*)/.exec(chunk)?.[1];
    try {
      for (const item of chain(strings + chunk)) entries.push({ index, item: fixItem(item) });
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      errors.push({ index, message: `entry ${index + 1}${label ? ` (${label})` : ''}: not valid BibTeX: ${why}` });
    }
    index++;
  }
  return { entries, errors };
}

function fixItem(item: CslItem): CslItem {
  if (typeof item.note === 'string') {
    if (ACCESSED_NOTE.test(item.note)) delete item.note;
    else item.note = fromLatexBreaks(item.note);
  }
  return item;
}
