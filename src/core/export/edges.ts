import type { Db } from '../db/open';
import { splitList } from '../../shared/domain/lists';
import type { Row, SourceRef } from './map-export';
import { csvField } from './writers';

/**
 * The edge list Gephi, Maltego and i2 Analyst's Notebook import: CSV `source,target,kind,weight`,
 * one row per link, its weight the number of rows (incidents or plots) that make it.
 * Incidents: actor and associated actor (`associated_with`), actor and target (`targeted`), actor
 * and place (`active_in`: province, else country), source and actor (`reports_on`).
 * Plots: suspects' nationality and the country of interdiction (`plotted_in`), source and
 * country (`reports_on`).
 * With `aliases`, actors and places are written under the name the case file's aliases chose for
 * them, so that one group is one node. Cells pass the export's formula guard (writers.ts). No
 * byte-order mark: the tools read UTF-8 and would take one for part of the first column's name.
 */
export function edgeAccumulator(db: Db, table: 'incidents' | 'plots', aliases: boolean) {
  const chosen = new Map<string, string>();
  if (aliases) {
    for (const a of db.prepare(`SELECT kind, name, entity FROM aliases WHERE status = 'same'`).all() as {
      kind: string;
      name: string;
      entity: string;
    }[]) {
      chosen.set(`${a.kind}\u0000${a.name.toLowerCase()}`, a.entity);
    }
  }
  const name = (kind: 'actor' | 'place', v: unknown): string | null => {
    if (typeof v !== 'string' || v.trim() === '') return null;
    const t = v.trim();
    return chosen.get(`${kind}\u0000${t.toLowerCase()}`) ?? t;
  };
  const edges = new Map<string, number>();
  const link = (a: string | null, b: string | null, kind: string) => {
    if (a === null || b === null || a === b) return;
    const k = JSON.stringify([a, b, kind]);
    edges.set(k, (edges.get(k) ?? 0) + 1);
  };
  return {
    add(r: Row, sources: SourceRef[]): void {
      if (table === 'incidents') {
        const actor = name('actor', r.actor1);
        for (const a of splitList(r.assoc_actors)) link(actor, name('actor', a), 'associated_with');
        link(actor, name('actor', r.target), 'targeted');
        link(actor, name('place', r.admin1) ?? name('place', r.country), 'active_in');
        for (const s of sources) link(s.key, actor, 'reports_on');
      } else {
        const country = name('place', r.country);
        for (const n of splitList(r.suspects_nationalities)) link(n, country, 'plotted_in');
        for (const s of sources) link(s.key, country, 'reports_on');
      }
    },
    write(_path: string, out: { write(s: string): void }): void {
      out.write('source,target,kind,weight\r\n');
      const rows = [...edges].map(([k, w]) => [...(JSON.parse(k) as [string, string, string]), w] as const);
      rows.sort(
        (x, y) => y[3] - x[3] || x[2].localeCompare(y[2]) || x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]),
      );
      for (const [a, b, kind, w] of rows) out.write(`${csvField(a)},${csvField(b)},${csvField(kind)},${w}\r\n`);
    },
  };
}
