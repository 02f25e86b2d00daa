/**
 * Schema version 7: the search-folding views of schema 5, written so that SQLite 3.37 and newer
 * can read the file.
 *
 * Schema 5 folds each column with 60 nested replace() calls in one expression. SQLite before 3.46
 * parses with a fixed stack of 100 entries and refuses that view as "parser stack overflow"; since
 * the schema is parsed when a file is opened, such an SQLite (Debian 12's sqlite3, Python 3's
 * sqlite3 module, so pandas, R, Datasette and DB Browser on most machines) could read no table of a
 * case file at all. It also used concat_ws(), which SQLite only has since 3.44.
 *
 * The same folding is spread over a chain of views, at most 15 replace() calls deep each (the old
 * parser takes about 27 within a CASE): `<table>_fold1` removes the first marks, `_fold2` and
 * `_fold3` the next, and `<table>_search`, the view the full-text index reads, the last ones and
 * keheh/farsi yeh, still only for text in which one of them occurs (the GLOB test reads the
 * unfolded text, carried through the chain). SQLite flattens the chain into the expression schema
 * 5 had, so reading through it costs the same. concat_ws(' ', ...) is written with coalesce and
 * substr, which give the same text (NULLs left out, empty strings kept).
 *
 * The folded text is exactly schema 5's, so the index built from it stays valid and is not
 * rebuilt. The list of marks is written out again here, not imported, because a shipped migration
 * never changes.
 */
const FOLD_MARKS = [...range(0x0610, 0x061a), ...range(0x064b, 0x065f), 0x0670, ...range(0x06d6, 0x06ed), 0x0640];
const FOLD_LETTERS: [number, number][] = [
  [0x06a9, 0x0643],
  [0x06cc, 0x064a],
];
/** Each replace() is [from, to]: the marks are removed, then the Persian letters folded, as in schema 5. */
const REPLACES: [number, number | null][] = [...FOLD_MARKS.map((c): [number, null] => [c, null]), ...FOLD_LETTERS];
const PER_VIEW = 15;
const CHUNKS: [number, number | null][][] = [];
for (let i = 0; i < REPLACES.length; i += PER_VIEW) CHUNKS.push(REPLACES.slice(i, i + PER_VIEW));

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let c = a; c <= b; c++) out.push(c);
  return out;
}

const hex = (c: number) => c.toString(16).padStart(4, '0');
const ch = (c: number) => String.fromCodePoint(c);
const CLASS = `[${ch(0x0610)}-${ch(0x061a)}${ch(0x064b)}-${ch(0x065f)}${ch(0x0670)}${ch(0x06d6)}-${ch(0x06ed)}${ch(0x0640)}${ch(0x06a9)}${ch(0x06cc)}]`;

function replaces(expr: string, chunk: [number, number | null][]): string {
  let out = expr;
  for (const [from, to] of chunk)
    out = `replace(${out}, char(0x${hex(from)}), ${to === null ? "''" : `char(0x${hex(to)})`})`;
  return out;
}

/** concat_ws(' ', ...cols) without concat_ws: each non-NULL value after a space, the first space cut. */
const join = (...cols: string[]) => `substr(${cols.map((c) => `coalesce(' ' || ${c}, '')`).join(' || ')}, 2)`;

type Column = { name: string; expr: string; fold: boolean };

/**
 * The chain for one table: `${table}_fold1`..`_fold<n-1>`, then `${table}_search`. A folded column
 * `c` travels as `c_raw` (the unfolded text) and `c` (folded so far); the others as they are.
 */
function chain(table: string, columns: Column[]): string {
  const views: string[] = [];
  const name = (i: number) => (i === CHUNKS.length - 1 ? `${table}_search` : `${table}_fold${i + 1}`);
  for (const [i, chunk] of CHUNKS.entries()) {
    const first = i === 0;
    const last = i === CHUNKS.length - 1;
    const cols = columns.map((c) => {
      const raw = first ? c.expr : `${c.name}_raw`;
      if (!c.fold) return `${first ? c.expr : c.name} AS ${c.name}`;
      const folded = replaces(first ? c.expr : c.name, chunk);
      if (last) return `CASE WHEN ${raw} GLOB '*${CLASS}*' THEN ${folded} ELSE ${raw} END AS ${c.name}`;
      return `${raw} AS ${c.name}_raw, ${folded} AS ${c.name}`;
    });
    const from = first ? table : name(i - 1);
    views.push(
      `CREATE VIEW ${name(i)} AS SELECT ${first ? 'rowid AS rid' : 'rid'},\n  ${cols.join(',\n  ')}\nFROM ${from};`,
    );
  }
  return views.join('\n\n');
}

export const migration007 = `
DROP VIEW incidents_search;
DROP VIEW sources_search;

${chain('incidents', [
  { name: 'description', expr: 'description', fold: true },
  { name: 'place', expr: join('location', 'admin2', 'admin1', 'country'), fold: true },
  { name: 'actors', expr: join('actor1', 'assoc_actors', 'target'), fold: true },
  { name: 'kind', expr: join('event_type', 'sub_event_type'), fold: false },
])}

${chain('sources', [
  { name: 'key', expr: 'key', fold: false },
  { name: 'title', expr: 'title', fold: true },
  { name: 'authors', expr: 'authors', fold: true },
  { name: 'notes', expr: 'notes', fold: true },
])}
`;
