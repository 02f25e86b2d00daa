import type { FilterModel } from '../../shared/contract';
import type { LinkGraph, LinkNode } from '../../shared/channels/links';
import { splitList } from '../../shared/domain/lists';
import type { Db } from '../db/open';
import { whereSql } from '../grid/filter-sql';

/** The most linked nodes of each kind that are drawn; the rest are counted in `omitted`. */
const MAX = { actor: 25, place: 20, source: 15 } as const;

type Group = { actor1: string | null; assoc: string | null; place: string | null; n: number };

/**
 * The link chart's network, computed in SQL over the incidents the filter selects: actors (actor
 * and associated actors, each under the name the case file's aliases chose for it, so one group
 * is one node), places (province, else country) and the sources cited, linked with weights (the
 * incidents behind each link). Aggregated first: GROUP BY queries whatever the row count, the
 * most linked nodes of each kind kept. Expanded when the filter selects few incidents
 * (`expandBelow`): each incident is then a node of its own, linked to its actor, place and sources.
 */
export function linkGraph(db: Db, filter: FilterModel, expandBelow = 150): LinkGraph {
  const w = whereSql('incidents', filter);
  const total = db
    .prepare(`SELECT count(*) FROM incidents WHERE ${w.sql}`)
    .pluck()
    .get(...w.params) as number;
  const chosen = new Map<string, string>();
  for (const a of db.prepare(`SELECT kind, name, entity FROM aliases WHERE status = 'same'`).all() as {
    kind: string;
    name: string;
    entity: string;
  }[])
    chosen.set(`${a.kind}\u0000${a.name.toLowerCase()}`, a.entity);
  const named = (kind: 'actor' | 'place', v: string | null): string | null =>
    v === null || v.trim() === '' ? null : (chosen.get(`${kind}\u0000${v.trim().toLowerCase()}`) ?? v.trim());

  const nodes = new Map<string, LinkNode>();
  const weights = new Map<string, { source: string; target: string; kind: string; weight: number }>();
  const node = (id: string, kind: LinkNode['kind'], name: string, n: number, f: LinkNode['filter']) => {
    const x = nodes.get(id);
    if (x) x.value += n;
    else nodes.set(id, { id, kind, name, value: n, filter: f });
  };
  const link = (a: string, b: string, kind: string, n: number) => {
    if (a === b) return;
    const k = `${a}\u0000${b}\u0000${kind}`;
    const x = weights.get(k);
    if (x) x.weight += n;
    else weights.set(k, { source: a, target: b, kind, weight: n });
  };

  const groups = db
    .prepare(
      `SELECT actor1, assoc_actors assoc, coalesce(nullif(admin1, ''), country) place, count(*) n FROM incidents WHERE ${w.sql} GROUP BY actor1, assoc_actors, place`,
    )
    .all(...w.params) as Group[];
  for (const g of groups) {
    const actor = named('actor', g.actor1);
    const place = named('place', g.place);
    if (actor) node(`a:${actor}`, 'actor', actor, g.n, { column: 'actor1', value: actor });
    if (place)
      node(`p:${place}`, 'place', place, g.n, { column: g.place === null ? 'country' : 'admin1', value: place });
    if (actor && place) link(`a:${actor}`, `p:${place}`, 'active_in', g.n);
    for (const raw of splitList(g.assoc)) {
      const other = named('actor', raw);
      if (!other) continue;
      node(`a:${other}`, 'actor', other, 0, { column: 'assoc_actors', value: raw });
      if (actor) link(`a:${actor}`, `a:${other}`, 'associated_with', g.n);
    }
  }
  const cited = db
    .prepare(
      `SELECT s.id, s.key, i.actor1, count(*) n FROM incidents i JOIN citations c ON c.target_table = 'incidents' AND c.target_id = i.id JOIN sources s ON s.id = c.source_id
       WHERE i.rowid IN (SELECT rowid FROM incidents WHERE ${w.sql}) GROUP BY s.id, i.actor1`,
    )
    .all(...w.params) as { id: string; key: string; actor1: string | null; n: number }[];
  for (const c of cited) {
    node(`s:${c.id}`, 'source', c.key, c.n, { column: 'search', value: c.key });
    const actor = named('actor', c.actor1);
    if (actor) link(`s:${c.id}`, `a:${actor}`, 'reports_on', c.n);
  }

  // Keep the most linked of each kind; links to what is left out go with it.
  let omitted = 0;
  for (const kind of ['actor', 'place', 'source'] as const) {
    const of = [...nodes.values()]
      .filter((n) => n.kind === kind)
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
    for (const n of of.slice(MAX[kind])) {
      nodes.delete(n.id);
      omitted++;
    }
  }

  const expanded = total > 0 && total <= expandBelow;
  if (expanded) {
    const rows = db
      .prepare(
        `SELECT id, date, actor1, coalesce(nullif(admin1, ''), country) place, location, fatalities FROM incidents WHERE ${w.sql} ORDER BY date, id LIMIT ?`,
      )
      .all(...w.params, expandBelow) as {
      id: string;
      date: string | null;
      actor1: string | null;
      place: string | null;
      location: string | null;
      fatalities: number | null;
    }[];
    const sourcesOf = db
      .prepare(`SELECT source_id FROM citations WHERE target_table = 'incidents' AND target_id = ?`)
      .pluck();
    for (const r of rows) {
      const id = `i:${r.id}`;
      node(id, 'incident', [r.date ?? 'undated', r.location ?? r.place].filter(Boolean).join(' · '), 1, null);
      const actor = named('actor', r.actor1);
      const place = named('place', r.place);
      if (actor && nodes.has(`a:${actor}`)) link(`a:${actor}`, id, 'acted_in', 1);
      if (place && nodes.has(`p:${place}`)) link(id, `p:${place}`, 'took_place_in', 1);
      for (const s of sourcesOf.all(r.id) as string[]) if (nodes.has(`s:${s}`)) link(`s:${s}`, id, 'supports', 1);
    }
  }
  const links = [...weights.values()].filter(
    (l) =>
      nodes.has(l.source) && nodes.has(l.target) && !(expanded && (l.kind === 'active_in' || l.kind === 'reports_on')),
  );
  return { nodes: [...nodes.values()], links, total, expanded, omitted };
}
