import { CasefileError, refuse } from '../errors';

/** One row of sqlite_master, as the schema check compares it. */
export type SchemaEntry = { type: string; name: string; tbl_name: string; sql: string | null };

/** The schema check failed: lists what was found, so a caller can offer to import by copying. */
export class SchemaRefusal extends CasefileError {
  constructor(
    message: string,
    readonly found: string[],
  ) {
    super('refused', message);
  }
}

/**
 * Tables SQLite itself adds to a file Casefile made, beyond what the migrations create: ANALYZE
 * (an import ends with it) creates these two, with exactly this SQL. Nothing else under SQLite's
 * own names is allowed unless the migrations produce it too (the autoindexes of UNIQUE and
 * PRIMARY KEY columns, sqlite_sequence): a name is no pass, since a file edited with
 * writable_schema can give a trigger or a view any name, `sqlite_` prefix included.
 */
const SQLITE_EXTRA: ReadonlyMap<string, SchemaEntry> = new Map(
  [
    ['sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat)'],
    ['sqlite_stat4', 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)'],
  ].map(([name, sql]) => [`table:${name}`, { type: 'table', name: name!, tbl_name: name!, sql: sql! }]),
);

const key = (e: SchemaEntry) => `${e.type}:${e.name}`;

/**
 * Compares a file's sqlite_master rows with the schema the migrations produce: every entry must
 * be one of those (or one of SQLITE_EXTRA), with the same type, name, table and SQL (an autoindex:
 * NULL SQL, on the table it belongs to), each once; every expected entry must be there. Throws a
 * SchemaRefusal naming what Casefile did not create or what was changed, or a refusal for a
 * missing entry (the file is damaged).
 */
export function checkSchema(actual: SchemaEntry[], expected: ReadonlyMap<string, SchemaEntry>, name: string): void {
  const seen = new Set<string>();
  const foreign: string[] = [];
  const altered: string[] = [];
  for (const e of actual) {
    const k = key(e);
    const what = `${e.type === 'index' ? 'an' : 'a'} ${e.type} "${clip(e.name)}"`;
    const want = expected.get(k) ?? SQLITE_EXTRA.get(k);
    if (!want || seen.has(k)) foreign.push(what);
    else if (want.sql !== e.sql || want.tbl_name !== e.tbl_name) altered.push(what);
    seen.add(k);
  }
  if (foreign.length > 0) {
    const more = foreign.length > 1 ? `, and also ${listOf(foreign.slice(1))}` : '';
    throw new SchemaRefusal(`${name} contains ${foreign[0]} that Casefile did not create${more}; it was not opened`, [
      ...foreign.map((f) => `${f} Casefile did not create`),
      ...altered.map((a) => `a changed ${unarticled(a)}`),
    ]);
  }
  if (altered.length > 0) {
    const more = altered.length > 1 ? ` (and ${listOf(altered.slice(1))})` : '';
    throw new SchemaRefusal(
      `${name}: the ${unarticled(altered[0]!)} differs from the one Casefile creates${more}; it was not opened`,
      altered.map((a) => `a changed ${unarticled(a)}`),
    );
  }
  for (const [k, e] of expected) {
    if (!seen.has(k)) throw refuse(`${name} is damaged: the ${e.type} "${e.name}" is missing`);
  }
}

const unarticled = (what: string) => what.replace(/^an? /, '');

/** Names from a foreign file go into messages: keep them short and on one line. */
const clip = (s: string) => [...s.slice(0, 60)].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');

function listOf(items: string[]): string {
  const shown = items.slice(0, 3);
  return items.length > 3 ? `${shown.join(', ')} and ${items.length - 3} more` : shown.join(', ');
}
