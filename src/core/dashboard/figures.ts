import type { FigureBar } from '../../shared/channels/dashboard';
import { normalizeAdmin1 } from '../../shared/geo/admin1';
import type { Db } from '../db/open';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import { countryMatch, distinctValues } from './sql';
import { sourceLine } from './sources';
import { splitList } from '../../shared/domain/lists';
import { withAliases } from '../aliases/alias-sql';

/**
 * An incident counts towards a reported period only when the whole period its date names lies
 * inside it: "2024" (year precision) is not counted in "July 2022 to January 2024", since it may
 * well be later. Dates are text truncated to their precision, so their first and last days are
 * found by padding.
 */
const PERIOD_START = `CASE length(date) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01' ELSE date END`;
const PERIOD_END = `CASE length(date) WHEN 4 THEN date || '-12-31' WHEN 7 THEN date || '-31' ELSE date END`;
const periodStart = (p: string | null) =>
  p === null ? null : p.length === 4 ? `${p}-01-01` : p.length === 7 ? `${p}-01` : p;
const periodEnd = (p: string | null) =>
  p === null ? null : p.length === 4 ? `${p}-12-31` : p.length === 7 ? `${p}-31` : p;

type FigureRow = {
  id: string;
  measure: string;
  admin1: string | null;
  value: number;
  actor: string | null;
  country: string | null;
  period_start: string | null;
  period_end: string | null;
};
type Place = { c: string | null; a: string | null; n: number };

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The names a figure's actor goes by: its Actor field lists them, separated by semicolons. */
export const actorNames = (actor: string | null): string[] => [...new Set(splitList(actor))];

type Where = { where: string[]; params: (string | null)[] };

/** The incidents a figure speaks of, actor aside: its country (any spelling) and whole dates inside its period. */
function scopeOf(f: FigureRow, countries: string[] | null): Where {
  const start = periodStart(f.period_start);
  const end = periodEnd(f.period_end);
  const where: string[] = [];
  const params: (string | null)[] = [];
  if (countries) {
    where.push(`country IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(countries));
  }
  // The plain bounds on `date` let an index narrow the rows; the padded ones decide.
  if (start) {
    where.push(`date >= ? AND ${PERIOD_START} >= ?`);
    params.push(start.slice(0, 4), start);
  }
  if (end) {
    where.push(`date <= ? AND ${PERIOD_END} <= ?`);
    params.push(`${end}\uffff`, end);
  }
  return { where, params };
}

/** An incident is the figure's actor's when its actor or associated actors contain any of the actor's names. */
function actorMatch(names: string[]): Where {
  const params: string[] = [];
  for (const n of names) params.push(`%${likeEscape(n)}%`, `%${likeEscape(n)}%`);
  return {
    where: [`(${names.map(() => `actor1 LIKE ? ESCAPE '\\' OR assoc_actors LIKE ? ESCAPE '\\'`).join(' OR ')})`],
    params,
  };
}

const sql = (w: Where) => w.where.join(' AND ') || '1';

/**
 * The case file's incidents for one figure's actor, country and period, counted by country and
 * province. Only the conditions a figure has are written, so each stays a range on an index:
 * the country's spellings and the period's bounds narrow the rows before actor names are read.
 */
function placesFor(db: Db, f: FigureRow, countries: string[] | null): Place[] {
  const scope = scopeOf(f, countries);
  // The case file's aliases count too: a figure for "ISKP" counts incidents of "Islamic State (Afghanistan)".
  const names = withAliases(db, 'actor', actorNames(f.actor));
  // Country, period, province and both actor columns are all in one index (migration 006): the
  // count is read from it alone, the country and period narrowing the range it reads.
  const m = names.length ? actorMatch(names) : { where: [], params: [] };
  const w = { where: [...scope.where, ...m.where], params: [...scope.params, ...m.params] };
  return db
    .prepare(`SELECT country c, admin1 a, count(*) n FROM incidents WHERE ${sql(w)} GROUP BY country, admin1`)
    .all(...w.params) as Place[];
}

/** How many of the other actors to name: enough to spot the group under another name. */
const OTHER_ACTORS = 5;

function sameCountry(a: string | null, b: string | null): boolean {
  if (b === null) return true;
  if (a === null) return false;
  const ka = countryMatch(a).key;
  const kb = countryMatch(b).key;
  return ka !== null && kb !== null ? ka === kb : a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The reported counts the panel compares: by province, largest first, the total, and the first of
 * them (whose actor, country and period are shown). Equal counts are in province order, then in
 * the order they were entered (created_at, then the time-ordered id): never by rowid, which an
 * undone delete changes (the rows go back in with new rowids).
 */
function figureSet(db: Db) {
  const rows = db
    .prepare(
      `SELECT id, measure, admin1, value, actor, country, period_start, period_end FROM figures
       WHERE metric = 'incident_count' AND admin1 IS NOT NULL ORDER BY value DESC, admin1 COLLATE NOCASE, created_at, id`,
    )
    .all() as FigureRow[];
  const totalRow = db
    .prepare(
      `SELECT id, measure, admin1, value, actor, country, period_start, period_end FROM figures WHERE metric = 'incident_count' AND admin1 IS NULL ORDER BY created_at, id LIMIT 1`,
    )
    .get() as FigureRow | undefined;
  return { rows, totalRow, head: rows[0] ?? totalRow };
}

/** The spellings of a country in the incidents (AFG, Afghanistan), the distinct values read once. */
function countrySpellings(db: Db): (country: string | null) => string[] | null {
  let countryValues: string[] | null = null;
  return (country) => {
    if (country === null) return null;
    countryValues ??= distinctValues(db, 'incidents', 'country');
    return countryValues.filter((c) => sameCountry(c, country));
  };
}

/**
 * The actors most often named by the incidents the figures speak of (their country and period)
 * that the figures' actor names do not match: the same group under another dataset's name
 * ("Islamic State (Afghanistan)" in ACLED, "Khorasan Chapter of the Islamic State" in GTD) is
 * usually among them. A query of its own, beside the figures' counts: grouping a country's
 * period by actor costs as much as the counts themselves (about 25 ms each at a million incidents).
 */
export function figuresOtherActors(db: Db): { name: string; count: number }[] {
  const { head } = figureSet(db);
  const names = withAliases(db, 'actor', actorNames(head?.actor ?? null));
  if (head === undefined || names.length === 0) return [];
  const scope = scopeOf(head, countrySpellings(db)(head.country));
  const m = actorMatch(names);
  return db
    .prepare(
      `SELECT actor1 name, count(*) count FROM incidents WHERE ${sql(scope)} AND actor1 IS NOT NULL AND actor1 <> ''
       AND NOT coalesce(${m.where[0]}, 0) GROUP BY actor1 ORDER BY count DESC, actor1 LIMIT ${OTHER_ACTORS}`,
    )
    .all(...scope.params, ...m.params) as { name: string; count: number }[];
}

/**
 * Reported incident counts by province, in the source's order (value, then entry order), each
 * beside the count of the case file's own incidents for the same actor, country, province and
 * period: "the source says 245, your data has 231". Provinces match across spellings (Herat in
 * the source, Hirat on the map); a name that matches no province is compared by its spelling
 * and listed as unmatched, never dropped.
 */
export function figuresByAdmin1(db: Db) {
  const { rows, totalRow, head } = figureSet(db);
  const spellingsOf = countrySpellings(db);
  const cache = new Map<string, Place[]>();
  const places = (f: FigureRow) => {
    const k = JSON.stringify([f.actor, f.country, f.period_start, f.period_end]);
    let p = cache.get(k);
    if (!p) cache.set(k, (p = placesFor(db, f, spellingsOf(f.country))));
    return p;
  };

  const unmatched: string[] = [];
  const bars: FigureBar[] = rows.map((f) => {
    const target = normalizeAdmin1(f.country, f.admin1);
    if (!target.matched && !unmatched.includes(f.admin1!)) unmatched.push(f.admin1!);
    let computed = 0;
    const values: string[] = [];
    for (const p of places(f)) {
      if (p.a === null) continue;
      const hit = target.matched
        ? normalizeAdmin1(p.c, p.a).key === target.key
        : p.a.trim().toLowerCase() === f.admin1!.trim().toLowerCase();
      if (!hit) continue;
      computed += p.n;
      if (!values.includes(p.a)) values.push(p.a);
    }
    return {
      label: f.admin1!,
      value: f.value,
      computed,
      matchedAs: target.matched ? target.display : null,
      key: target.key,
      values,
    };
  });

  const computedTotal = totalRow ? places(totalRow).reduce((s, p) => s + p.n, 0) : null;
  const ids = [...rows.map((r) => r.id), ...(totalRow ? [totalRow.id] : [])];
  return {
    measure: head?.measure ?? null,
    total: totalRow?.value ?? null,
    computedTotal,
    actor: head?.actor ?? null,
    actorNames: actorNames(head?.actor ?? null),
    // The figures a name is added to: those of the shown actor (a case file may hold counts for other actors too).
    actorFigureIds: [...rows, ...(totalRow ? [totalRow] : [])].filter((f) => f.actor === head?.actor).map((f) => f.id),
    country: head?.country ?? null,
    periodStart: head?.period_start ?? null,
    periodEnd: head?.period_end ?? null,
    bars,
    unmatched,
    sources: sourceLine(
      db,
      'figures',
      { sql: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] },
      ids.length,
    ),
  };
}

/**
 * Counts `name` as the figures' actor from now on: adds it to the Actor field of each of the
 * figures `ids` (those that do not list it yet), in one undoable step.
 */
export function addActorName(cf: CaseFile, ids: string[], name: string): { updated: number } {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.includes(';'))
    throw new CasefileError(
      'validation',
      `Actor name "${name}": a name may not be empty or contain ";" (it separates names)`,
    );
  const read = cf.db.prepare('SELECT actor FROM figures WHERE id = ?');
  const first = (read.get(ids[0] ?? '') as { actor: string | null } | undefined)?.actor;
  const label = `Count "${trimmed}" as ${actorNames(first ?? null)[0] ?? "the figures' actor"}`;
  return cf.action(label, (tx) => {
    let updated = 0;
    for (const id of ids) {
      const row = read.get(id) as { actor: string | null } | undefined;
      if (row === undefined)
        throw new CasefileError('not_found', `Figure ${id} is not in the case file (deleted in another window?)`);
      const names = actorNames(row.actor);
      if (names.some((n) => n.toLowerCase() === trimmed.toLowerCase())) continue;
      tx.update('figures', id, { actor: [...names, trimmed].join('; ') });
      updated++;
    }
    return { updated };
  });
}
