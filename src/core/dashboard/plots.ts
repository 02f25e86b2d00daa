import type { FilterModel } from '../../shared/contract';
import { OWN_COLUMNS, type PlotPeriod } from '../../shared/channels/dashboard';
import { PLOT_STAGE } from '../../shared/domain/fields';
import type { Db } from '../db/open';
import { countryMatch, formatPeriod, scopedWhere } from './sql';
import { sourceLine } from './sources';
import { dateSpan } from './selection';

/**
 * Interdicted plots by country, by period and by stage. A plot whose date is unknown but known to
 * be before some month ("before the takeover of August 2021") is its own period, "before Aug
 * 2021", placed before every year; it is neither dropped nor called undated.
 */
export function plotsSummary(db: Db, filter: FilterModel) {
  const wc = scopedWhere('plots', filter, OWN_COLUMNS.plotsCountry);
  const countries = db
    .prepare(`SELECT country v, count(*) n FROM plots WHERE ${wc.sql} GROUP BY country`)
    .all(...wc.params) as { v: string; n: number }[];
  const merged = new Map<string, { label: string; value: number; key: string | null; values: string[] }>();
  for (const r of countries) {
    const m = countryMatch(r.v);
    const id = m.matched ? `k:${m.key}` : `r:${r.v.trim().toLowerCase()}`;
    const bar = merged.get(id) ?? { label: m.display ?? r.v, value: 0, key: m.matched ? m.key : null, values: [] };
    bar.value += r.n;
    bar.values.push(r.v);
    merged.set(id, bar);
  }
  const byCountry = [...merged.values()].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const countryTotal = byCountry.reduce((s, b) => s + b.value, 0);

  const wp = scopedWhere('plots', filter, OWN_COLUMNS.plotsPeriod);
  const periods = db
    .prepare(
      `SELECT CASE WHEN date IS NOT NULL THEN substr(date, 1, 4) WHEN date_before IS NOT NULL AND trim(date_before) <> '' THEN 'before ' || trim(date_before) END k, count(*) n
       FROM plots WHERE ${wp.sql} GROUP BY 1`,
    )
    .all(...wp.params) as { k: string | null; n: number }[];
  const byPeriod: PlotPeriod[] = periods.map((r) =>
    r.k === null
      ? { key: 'undated', label: 'date unknown', kind: 'undated', value: r.n }
      : r.k.startsWith('before ')
        ? { key: r.k.slice(7), label: `before ${formatPeriod(r.k.slice(7))}`, kind: 'before', value: r.n }
        : { key: r.k, label: r.k, kind: 'year', value: r.n },
  );
  // Open-ended periods first (they may reach back any distance), then years, then the undated.
  const rank = { before: 0, year: 1, undated: 2 } as const;
  byPeriod.sort((a, b) => rank[a.kind] - rank[b.kind] || a.key.localeCompare(b.key));
  const periodTotal = byPeriod.reduce((s, p) => s + p.value, 0);

  const ws = scopedWhere('plots', filter, OWN_COLUMNS.plotsStage);
  const stages = new Map(
    (
      db.prepare(`SELECT stage s, count(*) n FROM plots WHERE ${ws.sql} GROUP BY stage`).all(...ws.params) as {
        s: string;
        n: number;
      }[]
    ).map((r) => [r.s, r.n]),
  );
  const byStage = PLOT_STAGE.map((s) => ({ stage: s, label: s.replaceAll('_', ' '), value: stages.get(s) ?? 0 }));
  const stageTotal = byStage.reduce((s, x) => s + x.value, 0);

  const all = scopedWhere('plots', filter, []);
  const total = (db.prepare(`SELECT count(*) n FROM plots WHERE ${all.sql}`).get(...all.params) as { n: number }).n;
  return {
    total,
    span: dateSpan(db, 'plots', all.sql, all.params),
    byCountry: { bars: byCountry, sources: sourceLine(db, 'plots', wc, countryTotal) },
    byPeriod: { periods: byPeriod, sources: sourceLine(db, 'plots', wp, periodTotal) },
    byStage: { stages: byStage, sources: sourceLine(db, 'plots', ws, stageTotal) },
  };
}
