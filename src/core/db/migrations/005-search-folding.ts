/**
 * Schema version 5: the search indexes read their text through a view that folds what the
 * unicode61 tokenizer cannot.
 *
 * - Arabic vowel marks, Quranic annotation marks and tatweel are combining characters: unicode61
 *   splits a word at them ("الكِتَابُ" became the tokens ال, ك, ت, اب), so vowelled text (a
 *   magazine quoting scripture, a statement written with full harakat) could not be found. The
 *   view removes them, as the search box already does with the query.
 * - Persian and Pashto keyboards type keheh (ک) and farsi yeh (ی) where Arabic text has kaf (ك)
 *   and yeh (ي): "کابل" and "كابل" are one word to a reader. Both sides fold to the Arabic letters.
 * - The incidents index has four columns instead of ten (description; place; actors; kind):
 *   bm25 ranking costs per column per matching row, and a broad term matches tens of thousands of
 *   rows. Searching still reads the same fields.
 *
 * Only text containing one of those characters pays for the replaces (a GLOB test first). The
 * list is written out here, not imported, because a shipped migration never changes.
 */
const FOLD_MARKS = [...range(0x0610, 0x061a), ...range(0x064b, 0x065f), 0x0670, ...range(0x06d6, 0x06ed), 0x0640];

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let c = a; c <= b; c++) out.push(c);
  return out;
}

const hex = (c: number) => c.toString(16).padStart(4, '0');
const ch = (c: number) => String.fromCodePoint(c);

/** `expr` with the marks removed and keheh/farsi yeh folded, evaluated only when one occurs. */
function fold(expr: string): string {
  let out = expr;
  for (const c of FOLD_MARKS) out = `replace(${out}, char(0x${hex(c)}), '')`;
  out = `replace(replace(${out}, char(0x06a9), char(0x0643)), char(0x06cc), char(0x064a))`;
  const cls = `[${ch(0x0610)}-${ch(0x061a)}${ch(0x064b)}-${ch(0x065f)}${ch(0x0670)}${ch(0x06d6)}-${ch(0x06ed)}${ch(0x0640)}${ch(0x06a9)}${ch(0x06cc)}]`;
  return `CASE WHEN ${expr} GLOB '*${cls}*' THEN ${out} ELSE ${expr} END`;
}

const join = (...cols: string[]) => `concat_ws(' ', ${cols.join(', ')})`;

export const migration005 = `
DROP TABLE incidents_fts;
DROP TABLE sources_fts;

CREATE VIEW incidents_search AS SELECT rowid AS rid,
  ${fold('description')} AS description,
  ${fold(join('location', 'admin2', 'admin1', 'country'))} AS place,
  ${fold(join('actor1', 'assoc_actors', 'target'))} AS actors,
  ${join('event_type', 'sub_event_type')} AS kind
FROM incidents;

CREATE VIEW sources_search AS SELECT rowid AS rid,
  key,
  ${fold('title')} AS title,
  ${fold('authors')} AS authors,
  ${fold('notes')} AS notes
FROM sources;

CREATE VIRTUAL TABLE incidents_fts USING fts5(
  description, place, actors, kind,
  content = 'incidents_search', content_rowid = 'rid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE sources_fts USING fts5(
  key, title, authors, notes,
  content = 'sources_search', content_rowid = 'rid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO sources_fts (sources_fts) VALUES ('rebuild');
`;
