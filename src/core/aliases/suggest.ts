import type { AliasSuggestion } from '../../shared/channels/aliases';
import { ALIAS_COLUMNS, type AliasKind } from '../../shared/domain/aliases';
import { FIELDS, type Field } from '../../shared/domain/fields';
import { splitList } from '../../shared/domain/lists';
import type { GridTable } from '../../shared/domain/common';
import type { Db } from '../db/open';
import { fingerprint } from './fingerprint';

/** Names with more distinct spellings than this in one column are read up to it (most rows first). */
const MAX_VALUES = 20_000;

/**
 * Names in the case file (its actor and place columns, and its aliases) that share a fingerprint
 * but are not yet names of one actor or place, and that the analyst has not kept apart. Each
 * with the rows naming it, so the analyst sees what a join would cover.
 */
export function aliasSuggestions(db: Db, limit = 100): AliasSuggestion[] {
  const counts = new Map<string, Map<string, number>>(); // kind\u0000name -> rows
  const add = (kind: AliasKind, name: string, n: number) => {
    const byKind = counts.get(kind) ?? new Map<string, number>();
    counts.set(kind, byKind);
    byKind.set(name, (byKind.get(name) ?? 0) + n);
  };
  for (const [table, cols] of Object.entries(ALIAS_COLUMNS) as [GridTable, Record<string, AliasKind>][]) {
    for (const [col, kind] of Object.entries(cols)) {
      const list = (FIELDS[table] as readonly Field[]).find((f) => f.name === col)?.list === true;
      const rows = db
        .prepare(
          `SELECT ${col} v, count(*) n FROM ${table} WHERE ${col} IS NOT NULL AND ${col} <> '' GROUP BY ${col} ORDER BY n DESC LIMIT ${MAX_VALUES}`,
        )
        .all() as { v: string; n: number }[];
      for (const r of rows) for (const name of list ? splitList(r.v) : [r.v]) add(kind, name, r.n);
    }
  }
  const aliasRows = db.prepare(`SELECT kind, name, entity, status FROM aliases`).all() as {
    kind: AliasKind;
    name: string;
    entity: string;
    status: string;
  }[];
  const entityOf = new Map<string, string>();
  const apart = new Set<string>();
  const k = (kind: string, name: string) => `${kind}\u0000${name.toLowerCase()}`;
  for (const a of aliasRows) {
    if (a.status === 'same') {
      entityOf.set(k(a.kind, a.name), a.entity);
      entityOf.set(k(a.kind, a.entity), a.entity);
      add(a.kind, a.name, 0);
    } else {
      apart.add(`${k(a.kind, a.name)}\u0001${a.entity.toLowerCase()}`);
      apart.add(`${k(a.kind, a.entity)}\u0001${a.name.toLowerCase()}`);
    }
  }
  const out: AliasSuggestion[] = [];
  for (const [kind, names] of counts as Map<AliasKind, Map<string, number>>) {
    const groups = new Map<string, { name: string; rows: number }[]>();
    for (const [name, rows] of names) {
      const fp = fingerprint(name);
      if (fp === '') continue;
      const g = groups.get(fp) ?? [];
      groups.set(fp, g);
      if (!g.some((x) => x.name.toLowerCase() === name.toLowerCase())) g.push({ name, rows });
      else g.find((x) => x.name.toLowerCase() === name.toLowerCase())!.rows += rows;
    }
    for (const [key, members] of groups) {
      // Names already of one actor or place stand as that one, under its chosen name, with their rows.
      const g: { name: string; rows: number; entity: string | null }[] = [];
      for (const m of members) {
        const entity = entityOf.get(k(kind, m.name)) ?? null;
        const same = entity === null ? undefined : g.find((x) => x.entity === entity);
        if (same) same.rows += m.rows;
        else g.push({ name: entity ?? m.name, rows: m.rows, entity });
      }
      if (g.length < 2) continue;
      g.sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
      const head = g[0]!.name;
      if (g.slice(1).every((x) => apart.has(`${k(kind, head)}\u0001${x.name.toLowerCase()}`))) continue;
      out.push({ kind, key, names: g });
    }
  }
  out.sort((a, b) => b.names.reduce((s, x) => s + x.rows, 0) - a.names.reduce((s, x) => s + x.rows, 0));
  return out.slice(0, limit);
}
