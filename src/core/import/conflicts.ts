import { z } from 'zod';
import { FIELDS, type Field } from '../../shared/domain/fields';
import type { PendingConflict } from '../../shared/channels/import';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import { putMeta, type Db } from '../db/open';
import { IMPORT_RECORD_PREFIX } from './writer';

/**
 * The conflicts of re-imports, kept until the analyst chooses.
 *
 * A re-import never overwrites a field the analyst edited (writer.ts): it keeps the analyst's
 * value and reports what the file said. The report alone would lose that list when its window
 * closes, so the import also stores it, in its own transaction, under `import-conflicts:<txn>`
 * in meta. A conflict is pending while the field still holds the value the import kept (and it
 * is not the file's); an edit of the field since settles it, and so does the analyst's choice:
 * - the file's value: an ordinary edit (one undo step, logged, searched, summarised) whose txn is
 *   recorded as an import's, so that the next import takes the field for the import's again;
 * - their own value: the conflict is dropped from the stored list. That is no edit, so not on the
 *   undo stack; what was dropped is returned, and restoreKept puts it back. A later revision of
 *   the row that still disagrees is reported again.
 * The stored lists are read as untrusted (a file from elsewhere may hold anything under a meta
 * key): an entry that does not parse, names no incident field, or no row, is ignored.
 */
export const CONFLICTS_PREFIX = 'import-conflicts:';
/** Conflicts kept per import and listed in its report: few unless a whole column was edited; past this many the list would be the problem. */
export const MAX_CONFLICTS = 10_000;

const EDITABLE = new Set<string>((FIELDS.incidents as readonly Field[]).filter((f) => !f.readonly).map((f) => f.name));
/** A date and its precision are taken together (one without the other may not validate). */
const COUPLED: Record<string, string> = { date: 'date_precision', date_precision: 'date' };

const Stored = z.array(
  z
    .object({
      line: z.number(),
      externalId: z.string(),
      id: z.string(),
      field: z.string(),
      theirs: z.unknown(),
      yours: z.unknown(),
    })
    .passthrough(),
);
type StoredConflict = z.infer<typeof Stored>[number];

export type ConflictKey = { txn: string; id: string; field: string };

/** Stores an import's conflicts (inside the import's transaction). */
export function storeConflicts(db: Db, txn: string, conflicts: readonly StoredConflict[]): void {
  if (conflicts.length === 0) return;
  const kept = conflicts.slice(0, MAX_CONFLICTS).map(({ line, externalId, id, field, theirs, yours }) => ({
    line,
    externalId,
    id,
    field,
    theirs: theirs ?? null,
    yours: yours ?? null,
  }));
  putMeta(db, `${CONFLICTS_PREFIX}${txn}`, JSON.stringify(kept));
}

type Entry = StoredConflict & { txn: string };

/**
 * Every stored conflict, the newest import's winning for a field named twice. Parsed lists are
 * kept per connection while the stored ones keep their keys and lengths (an import adds a list,
 * keeping one's own shortens one): every edit re-reads the pending list, and parsing 10,000
 * conflicts each time took tens of milliseconds.
 */
function storedEntries(db: Db): Map<string, Entry> {
  const sig =
    (db
      .prepare("SELECT group_concat(key || ':' || length(value), ',') FROM meta WHERE key LIKE 'import-conflicts:%'")
      .pluck()
      .get() as string | null) ?? '';
  const cached = parsedLists.get(db);
  if (cached && cached.sig === sig) return cached.entries;
  const out = new Map<string, Entry>();
  // Import txns are UUIDv7: their order is the imports' order.
  const rows = db.prepare("SELECT key, value FROM meta WHERE key LIKE 'import-conflicts:%' ORDER BY key").all() as {
    key: string;
    value: unknown;
  }[];
  for (const r of rows) {
    const list = parseList(r.value);
    if (!list) continue;
    const txn = r.key.slice(CONFLICTS_PREFIX.length);
    for (const c of list) if (EDITABLE.has(c.field)) out.set(keyOf(c.id, c.field), Object.assign(c, { txn }));
  }
  parsedLists.set(db, { sig, entries: out });
  return out;
}
const parsedLists = new WeakMap<Db, { sig: string; entries: Map<string, Entry> }>();

const keyOf = (id: string, field: string) => `${id}\u0001${field}`;

function importInfo(db: Db, txn: string): { file: string | null; at: string | null } {
  const v = (
    db.prepare('SELECT value FROM meta WHERE key = ?').get(`${IMPORT_RECORD_PREFIX}${txn}`) as
      { value: unknown } | undefined
  )?.value;
  try {
    const r = typeof v === 'string' ? (JSON.parse(v) as { file?: unknown; at?: unknown }) : {};
    return { file: typeof r.file === 'string' ? r.file : null, at: typeof r.at === 'string' ? r.at : null };
  } catch {
    return { file: null, at: null };
  }
}

/**
 * Pending: the row is there and the field still holds what the import kept, which is not what the
 * file said. Taking the file's value settles it, and an undo of that brings it back.
 */
function pendingEntries(db: Db): { entry: Entry; current: unknown }[] {
  // One query per field named (a handful), each reading that column of the rows named: an edit
  // re-reads this list, and 10,000 conflicts read row by row took a quarter of a second.
  const byField = new Map<string, Entry[]>();
  for (const e of storedEntries(db).values()) {
    const list = byField.get(e.field);
    if (list) list.push(e);
    else byField.set(e.field, [e]);
  }
  const out: { entry: Entry; current: unknown }[] = [];
  for (const [field, entries] of byField) {
    // `field` is one of EDITABLE (storedEntries keeps no other): a column name, safe to write here.
    const now = new Map<string, unknown>();
    const rows = db
      .prepare(`SELECT id, ${field} AS v FROM incidents WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(entries.map((e) => e.id))) as [string, unknown][];
    for (const [id, v] of rows) now.set(id, v ?? null);
    for (const e of entries) {
      if (!now.has(e.id)) continue;
      const current = now.get(e.id);
      if (current === (e.yours ?? null) && current !== (e.theirs ?? null)) out.push({ entry: e, current });
    }
  }
  return out;
}

/** The pending conflicts, oldest import first and in file order: the first `limit`, and how many in all. */
export function listConflicts(db: Db, limit: number): { total: number; items: PendingConflict[] } {
  const pending = pendingEntries(db);
  pending.sort((a, b) =>
    a.entry.txn < b.entry.txn
      ? -1
      : a.entry.txn > b.entry.txn
        ? 1
        : a.entry.line - b.entry.line || a.entry.field.localeCompare(b.entry.field),
  );
  const info = new Map<string, { file: string | null; at: string | null }>();
  const items = pending.slice(0, limit).map(({ entry: e, current }) => {
    if (!info.has(e.txn)) info.set(e.txn, importInfo(db, e.txn));
    const i = info.get(e.txn)!;
    return {
      txn: e.txn,
      file: i.file,
      at: i.at,
      line: e.line,
      externalId: e.externalId,
      id: e.id,
      field: e.field,
      theirs: scalar(e.theirs),
      yours: scalar(current),
    };
  });
  return { total: pending.length, items };
}

/** Values as the grid has them: text, numbers or empty (anything else in a stored list is shown as its JSON). */
function scalar(v: unknown): string | number | null {
  return v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v);
}

/**
 * Settles conflicts: `take: 'file'` writes the file's values as one undoable edit (a date and its
 * precision together when both are pending); `take: 'mine'` drops them from the stored lists.
 * `items: 'all'` settles every pending conflict. All or nothing: a value that does not validate
 * names its event and field, and nothing is written.
 */
export function resolveConflicts(
  cf: CaseFile,
  take: 'file' | 'mine',
  items: readonly ConflictKey[] | 'all',
): { resolved: number; kept?: KeptConflicts } {
  cf.checkWritable();
  const pending = pendingEntries(cf.db);
  const byKey = new Map(pending.map((p) => [keyOf(p.entry.id, p.entry.field), p.entry]));
  let chosen: Entry[];
  if (items === 'all') chosen = pending.map((p) => p.entry);
  else {
    chosen = [];
    for (const k of items) {
      const e = byKey.get(keyOf(k.id, k.field));
      // Settled meanwhile (edited, taken in another window, the row deleted): nothing to do.
      if (e && e.txn === k.txn) chosen.push(e);
    }
  }
  if (take === 'file') {
    const partner = (e: Entry) => (COUPLED[e.field] ? byKey.get(keyOf(e.id, COUPLED[e.field]!)) : undefined);
    const perRow = new Map<string, { entry: Entry; values: Record<string, unknown> }>();
    for (const e of chosen) {
      const row = perRow.get(e.id) ?? { entry: e, values: {} };
      row.values[e.field] = e.theirs ?? null;
      const p = partner(e);
      if (p && p.txn === e.txn && !(p.field in row.values)) row.values[p.field] = p.theirs ?? null;
      perRow.set(e.id, row);
    }
    const fields = [...perRow.values()].reduce((n, r) => n + Object.keys(r.values).length, 0);
    if (fields === 0) return { resolved: 0 };
    cf.action(`Take the imported ${fields === 1 ? 'value' : `values of ${fields.toLocaleString()} fields`}`, (tx) => {
      for (const { entry, values } of perRow.values()) {
        try {
          tx.update('incidents', entry.id, values);
        } catch (e) {
          const field = Object.keys(values).join(', ');
          throw new CasefileError(
            'validation',
            `${entry.externalId} (line ${entry.line}), ${field}: ${(e as Error).message}`,
            field,
          );
        }
      }
      // What the import said is now the field's value: the next import counts it as imported, not as the analyst's edit.
      cf.setMeta(
        `${IMPORT_RECORD_PREFIX}${tx.txn}`,
        JSON.stringify({ kind: 'conflicts-taken', at: new Date().toISOString(), author: cf.author, fields }),
      );
    });
    return { resolved: fields };
  }
  if (chosen.length === 0) return { resolved: 0 };
  // Out of every stored list: an older import's entry for the field must not take its place.
  const drop = new Set(chosen.map((e) => keyOf(e.id, e.field)));
  const kept: KeptConflicts = [];
  cf.db.transaction(() => {
    for (const r of cf.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'import-conflicts:%'").all() as {
      key: string;
      value: unknown;
    }[]) {
      const list = parseList(r.value);
      if (!list) continue;
      const left = list.filter((c) => !drop.has(keyOf(c.id, c.field)));
      if (left.length === list.length) continue;
      kept.push({ key: r.key, entries: list.filter((c) => drop.has(keyOf(c.id, c.field))) });
      if (left.length === 0) cf.db.prepare('DELETE FROM meta WHERE key = ?').run(r.key);
      else putMeta(cf.db, r.key, JSON.stringify(left));
    }
  })();
  return { resolved: chosen.length, kept };
}

/** What a "keep mine" took out of the stored lists, to put back if the analyst takes the choice back. */
export type KeptConflicts = { key: string; entries: StoredConflict[] }[];

/**
 * Puts conflicts dropped by "keep mine" back into their lists (an entry already there again is
 * not doubled). Keeping one's own value is no edit, so Undo does not see it: the Import tab
 * offers this right after the choice instead.
 */
export function restoreKept(cf: CaseFile, kept: KeptConflicts): { restored: number } {
  cf.checkWritable();
  let restored = 0;
  cf.db.transaction(() => {
    for (const { key, entries } of kept) {
      const v = cf.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: unknown } | undefined;
      const list = parseList(v?.value) ?? [];
      const there = new Set(list.map((c) => keyOf(c.id, c.field)));
      const back = entries.filter((c) => !there.has(keyOf(c.id, c.field)));
      if (back.length === 0) continue;
      restored += back.length;
      putMeta(cf.db, key, JSON.stringify([...list, ...back]));
    }
  })();
  return { restored };
}

/** A stored list, read as untrusted: null unless it is JSON text of the expected shape. */
function parseList(value: unknown): StoredConflict[] | null {
  if (typeof value !== 'string') return null;
  try {
    const list = Stored.safeParse(JSON.parse(value));
    return list.success ? list.data : null;
  } catch {
    return null;
  }
}
