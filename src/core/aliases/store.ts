import type { AliasEntity } from '../../shared/channels/aliases';
import type { AliasKind } from '../../shared/domain/aliases';
import { CasefileError } from '../errors';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import type { CaseFile, Tx } from '../write/case-file';
import { starterList } from './starter';

type Origin = 'analyst' | 'starter' | 'suggestion';
type Row = {
  id: string;
  kind: AliasKind;
  name: string;
  entity: string;
  origin: Origin;
  author: string;
  created_at: string;
  source_id: string | null;
  source_key: string | null;
};

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

/** Every actor and place with its names (the chosen name first), as the case file holds them. */
export function listAliases(db: Db, kind?: AliasKind): AliasEntity[] {
  const rows = stmt(
    db,
    `SELECT a.id, a.kind, a.name, a.entity, a.origin, a.author, a.created_at, a.source_id, s.key source_key
     FROM aliases a LEFT JOIN sources s ON s.id = a.source_id
     WHERE a.status = 'same' AND (? IS NULL OR a.kind = ?)
     ORDER BY a.kind, a.entity COLLATE NOCASE, a.entity, a.name = a.entity DESC, a.name COLLATE NOCASE, a.created_at, a.id`,
  ).all(kind ?? null, kind ?? null) as Row[];
  const out: AliasEntity[] = [];
  for (const r of rows) {
    let e = out.at(-1);
    if (!e || e.kind !== r.kind || e.entity !== r.entity) out.push((e = { kind: r.kind, entity: r.entity, names: [] }));
    e.names.push({
      id: r.id,
      name: r.name,
      origin: r.origin,
      author: r.author,
      created_at: r.created_at,
      sourceId: r.source_id,
      sourceKey: r.source_key,
    });
  }
  return out;
}

export function entityListing(db: Db, kind: AliasKind, entity: string): AliasEntity {
  return listAliases(db, kind).find((e) => e.entity === entity) ?? { kind, entity, names: [] };
}

/** The actor or place a name belongs to (its chosen name), or null; ASCII case is ignored. */
export function entityOf(db: Db, kind: AliasKind, name: string): string | null {
  const r = stmt(
    db,
    `SELECT entity FROM aliases WHERE kind = ? AND status = 'same' AND (name = ? COLLATE NOCASE OR entity = ? COLLATE NOCASE) ORDER BY created_at, id LIMIT 1`,
  ).get(kind, name.trim(), name.trim()) as { entity: string } | undefined;
  return r?.entity ?? null;
}

/**
 * Makes every name a name of `entity` (or of the actor or place `entity` is already a name of),
 * inside an action: a name that already belongs to another actor brings that actor's names along
 * (the two were one all along). Rejections between the joined names are withdrawn.
 */
function joinNames(
  tx: Tx,
  db: Db,
  kind: AliasKind,
  entity: string,
  names: string[],
  meta: { origin: Origin; sourceId: string | null },
): string {
  const target = entityOf(db, kind, entity) ?? entity.trim();
  const insert = (name: string) =>
    tx.insert('aliases', { kind, name, entity: target, origin: meta.origin, source_id: meta.sourceId });
  const hasRow = (name: string, ent: string) =>
    stmt(db, `SELECT 1 FROM aliases WHERE kind = ? AND status = 'same' AND entity = ? AND name = ? COLLATE NOCASE`).get(
      kind,
      ent,
      name,
    ) !== undefined;
  if (!hasRow(target, target)) insert(target);
  const joined = new Set([target.toLowerCase()]);
  for (const raw of names) {
    const name = raw.trim();
    const e = entityOf(db, kind, name);
    joined.add(name.toLowerCase());
    if (e === target) continue;
    if (e === null) {
      insert(name);
      continue;
    }
    // Another actor (or place) under its own chosen name: all its names move over, that name too.
    if (!hasRow(e, e)) insert(e);
    const ids = stmt(db, `SELECT id, name FROM aliases WHERE kind = ? AND status = 'same' AND entity = ?`).all(
      kind,
      e,
    ) as { id: string; name: string }[];
    for (const r of ids) {
      tx.update('aliases', r.id, { entity: target });
      joined.add(r.name.toLowerCase());
    }
  }
  const rejections = stmt(db, `SELECT id, name, entity FROM aliases WHERE kind = ? AND status = 'not_same'`).all(
    kind,
  ) as { id: string; name: string; entity: string }[];
  for (const r of rejections)
    if (joined.has(r.name.toLowerCase()) && joined.has(r.entity.toLowerCase())) tx.delete('aliases', r.id);
  return target;
}

function checkSource(db: Db, sourceId: string | null): void {
  if (sourceId !== null && !stmt(db, 'SELECT 1 FROM sources WHERE id = ?').get(sourceId))
    throw new CasefileError('not_found', `no source ${sourceId} in this case file`, 'sourceId');
}

/** Records that `name` names the same actor or place as `sameAs`: one undoable action. */
export function addAlias(
  cf: CaseFile,
  o: { kind: AliasKind; name: string; sameAs: string; sourceId?: string | null; origin?: 'analyst' | 'suggestion' },
): AliasEntity {
  const name = o.name.trim();
  const sameAs = o.sameAs.trim();
  if (name === '' || sameAs === '')
    throw new CasefileError(
      'validation',
      'An alias needs a name and the name it is the same as',
      name === '' ? 'name' : 'sameAs',
    );
  if (name.toLowerCase() === sameAs.toLowerCase())
    throw new CasefileError('validation', `“${clip(name)}” and “${clip(sameAs)}” are one name: nothing to add`, 'name');
  const a = entityOf(cf.db, o.kind, name);
  const b = entityOf(cf.db, o.kind, sameAs);
  if (a !== null && a === b)
    throw new CasefileError('conflict', `“${clip(name)}” is already a name of “${clip(a)}”`, 'name');
  checkSource(cf.db, o.sourceId ?? null);
  const target = cf.action(`Add alias “${clip(name)}” for “${clip(sameAs)}”`, (tx) =>
    joinNames(tx, cf.db, o.kind, sameAs, [name], { origin: o.origin ?? 'analyst', sourceId: o.sourceId ?? null }),
  );
  return entityListing(cf.db, o.kind, target);
}

/** Accepts a suggestion: every name becomes a name of `entity`. */
export function acceptNames(cf: CaseFile, kind: AliasKind, entity: string, names: string[]): AliasEntity {
  const others = names.filter((n) => n.trim().toLowerCase() !== entity.trim().toLowerCase());
  if (others.length === 0) throw new CasefileError('validation', 'Choose at least one other name to join', 'names');
  const target = cf.action(`Join ${others.length + 1} names of “${clip(entity)}”`, (tx) =>
    joinNames(tx, cf.db, kind, entity, others, { origin: 'suggestion', sourceId: null }),
  );
  return entityListing(cf.db, kind, target);
}

/** Rejects a suggestion: each other name is recorded as not the same as the first, so it is not offered again. */
export function rejectNames(cf: CaseFile, kind: AliasKind, names: string[]): void {
  const [head, ...others] = names.map((n) => n.trim());
  cf.action(`Keep “${clip(head!)}” apart from ${others.length} name${others.length === 1 ? '' : 's'}`, (tx) => {
    for (const n of others)
      tx.insert('aliases', { kind, name: n, entity: head, status: 'not_same', origin: 'suggestion' });
  });
}

export function removeAlias(cf: CaseFile, id: string): void {
  const row = cf.get('aliases', id);
  if (!row) throw new CasefileError('not_found', `no alias ${id}`);
  cf.action(`Remove alias “${clip(String(row.name))}”`, (tx) => tx.delete('aliases', id));
}

/**
 * Adds the starter list's names that the case file does not know yet (marked 'starter'), each
 * to the actor or place the file already has for one of its names, if any. Returns how many.
 */
export function insertStarter(tx: Tx, db: Db): number {
  let added = 0;
  for (const s of starterList()) {
    const target = [s.entity, ...s.names].map((n) => entityOf(db, s.kind, n)).find((e) => e !== null) ?? s.entity;
    for (const name of [s.entity, ...s.names]) {
      if (entityOf(db, s.kind, name) !== null) continue;
      tx.insert('aliases', { kind: s.kind, name, entity: target, origin: 'starter' });
      added++;
    }
  }
  return added;
}

export function addStarter(cf: CaseFile): { added: number } {
  return { added: cf.action('Add the starter list of aliases', (tx) => insertStarter(tx, cf.db)) };
}
