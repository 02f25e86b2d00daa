import { Cite, logger, plugins } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { fromCslDate } from './csl-map';
import type { CslItem, CslName } from './types';

/**
 * RIS through citation-js, which implements the RIS specification's per-type tag tables. Three
 * gaps are filled here:
 * - for newspaper articles (NEWS) the specification calls AU the "reporter" and has the date in
 *   PY only. citation-js then reads AU as unparsed strings, writes no AU at all, and drops DA (the
 *   full date Zotero writes): names and dates are read back from the raw record and written here;
 * - citation-js wraps values at 70 characters by inserting a newline, mid-word, and its reader
 *   joins continuation lines with a space ("Ünï code"): records are serialized here unwrapped,
 *   from the tag objects citation-js maps;
 * - a note's line breaks become one N1 per line (blank lines are lost: RIS has no way to say them).
 */

type RisRecord = Record<string, string | string[]>;

export function readRis(text: string): {
  entries: { index: number; item: CslItem }[];
  errors: { index: number; message: string }[];
} {
  let records: RisRecord[];
  try {
    // The record reader fails on a tag before the first TY: such a preamble is not a record.
    const start = text.search(/^TY {2}- /m);
    records = plugins.input.data(start > 0 ? text.slice(start) : text, '@ris/file') as RisRecord[];
  } catch (e) {
    return {
      entries: [],
      errors: [{ index: 0, message: `not a readable RIS file: ${e instanceof Error ? e.message : String(e)}` }],
    };
  } finally {
    logger._log.length = 0;
  }
  const entries: { index: number; item: CslItem }[] = [];
  const errors: { index: number; message: string }[] = [];
  records.forEach((record, index) => {
    try {
      const [item] = plugins.input.chain(record, {
        forceType: '@ris/record',
        generateGraph: false,
        strict: true,
      }) as CslItem[];
      if (!item) throw new Error('no reference in this record');
      entries.push({ index, item: fixItem(item, record) });
    } catch (e) {
      const id = typeof record.ID === 'string' ? ` (${record.ID})` : '';
      errors.push({ index, message: `record ${index + 1}${id}: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      logger._log.length = 0;
    }
  });
  return { entries, errors };
}

/** `2024/03/05/`, `2024/03//`, `2024///`, `2024-03-05`: the RIS date forms seen in the wild. */
function risDate(v: string | string[] | undefined): { 'date-parts': number[][] } | null {
  const s = Array.isArray(v) ? v[0] : v;
  const m = s ? /^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?/.exec(s) : null;
  if (!m) return null;
  return { 'date-parts': [[m[1], m[2], m[3]].filter((p): p is string => !!p).map(Number)] };
}

const PRECISION_RANK = { unknown: 0, year: 1, month: 2, week: 3, day: 3 } as const;

/**
 * RIS has no way to write an institution whose name holds a comma ("Ministry of Defence,
 * Ukraine"): readers split it into family and given name. Casefile writes it in braces, as BibTeX
 * does, and joins it back here.
 */
const NAME_ROLES = ['author', 'editor', 'reporter', 'director', 'translator'] as const;

function unbrace(n: CslName): CslName {
  const parts = [n.family, n.given, n.suffix].filter((p): p is string => typeof p === 'string');
  const joined = parts.join(', ');
  if (joined.startsWith('{') && joined.endsWith('}')) return { literal: joined.slice(1, -1).trim() };
  if (n.literal?.startsWith('{') && n.literal.endsWith('}')) return { literal: n.literal.slice(1, -1).trim() };
  return n;
}

const braceLiteral = (n: CslName): CslName => (n.literal && /[,;]/.test(n.literal) ? { literal: `{${n.literal}}` } : n);

function fixItem(item: CslItem, record: RisRecord): CslItem {
  const reporter = item.reporter as unknown;
  const reporters = typeof reporter === 'string' ? [reporter] : Array.isArray(reporter) ? (reporter as unknown[]) : [];
  if (reporters.some((r) => typeof r === 'string')) {
    item.reporter = reporters.map((r) => (typeof r === 'string' ? fromRisName(r) : (r as CslName)));
  }
  for (const role of NAME_ROLES) {
    const names = item[role];
    if (Array.isArray(names)) item[role] = names.map((n) => unbrace(n as CslName));
  }
  // Keep the most precise of the dates the record gives, if it agrees on the year.
  const have = fromCslDate(item.issued);
  for (const tag of ['DA', 'PY', 'Y1']) {
    const d = risDate(record[tag]);
    const got = fromCslDate(d);
    if (
      d &&
      PRECISION_RANK[got.precision] > PRECISION_RANK[have.precision] &&
      (have.value === null || got.value?.startsWith(have.value.slice(0, 4)))
    ) {
      item.issued = d;
      break;
    }
  }
  return item;
}

/** 'Family, Given, Suffix' or an institution's name, as in AU. */
function fromRisName(s: string): CslName {
  if (!s.includes(',')) return { literal: s.trim() };
  const [family, given, ...rest] = s.split(',').map((p) => p.trim());
  const name: CslName = { family: family! };
  if (given) name.given = given;
  if (rest.length > 0) name.suffix = rest.join(', ');
  return name;
}

/** A name as RIS writes it: 'Family, Given, Suffix', an institution as its name. */
function risName(n: CslName): string {
  if (n.literal) return n.literal;
  const family = [n['non-dropping-particle'], n.family].filter(Boolean).join(' ');
  const given = [n.given, n['dropping-particle']].filter(Boolean).join(' ');
  return [family, given, n.suffix].filter(Boolean).join(', ');
}

/** One RIS record per item, unwrapped, CRLF line ends as the specification asks. */
export function writeRis(items: CslItem[]): string {
  if (items.length === 0) return '';
  const prepared = items.map((item) => (item.author ? { ...item, author: item.author.map(braceLiteral) } : item));
  const records = new Cite(prepared).format('ris', { format: 'object' }) as RisRecord[];
  const out: string[] = [];
  records.forEach((record, i) => {
    const item = prepared[i]!;
    if (!record.AU && item.author) record.AU = item.author.map(risName);
    const issued = item.issued?.['date-parts']?.[0];
    if (!record.DA && issued) record.DA = `${issued[0]}/${issued[1] ?? ''}/${issued[2] ?? ''}/`;
    out.push(`TY  - ${String(record.TY)}`);
    for (const [tag, value] of Object.entries(record)) {
      if (tag === 'TY') continue;
      for (const v of ([] as string[]).concat(value as string | string[])) {
        const s = String(v);
        if (tag === 'N1') {
          for (const line of s.split(/\r?\n/)) if (line.trim() !== '') out.push(`N1  - ${line}`);
        } else {
          out.push(`${tag}  - ${s.replace(/\s*\r?\n\s*/g, ' ')}`);
        }
      }
    }
    out.push('ER  - ', '');
  });
  return out.join('\r\n');
}
