import type { SourcingPanel } from '../../shared/channels/sources';
import { RELIABILITY } from '../../shared/domain/fields';
import { figuresByAdmin1 } from '../dashboard';
import type { Db } from '../open';

/**
 * The sourcing panel: how much of the case file leads back to a source, to a verified citation,
 * and to more than one independent source (distinct sources); the library by grade; and the
 * figures a source reports that the case file's own rows do not bear out.
 */

/** Each citation with its current review status (the latest status annotation, else unreviewed). */
const STATUS_CTE = `WITH cs AS (
  SELECT c.id, c.target_table, c.target_id, c.source_id, c.credibility,
    coalesce((SELECT a.status FROM annotations a WHERE a.citation_id = c.id AND a.status IS NOT NULL ORDER BY a.hlc DESC LIMIT 1), 'unreviewed') AS status
  FROM citations c)`;

type ShareTable = 'incidents' | 'plots' | 'figures';

export function sourcingPanel(db: Db): SourcingPanel {
  const share = (t: ShareTable) =>
    db
      .prepare(
        `${STATUS_CTE}
         SELECT count(*) AS total, count(g.target_id) AS cited, coalesce(sum(g.verified > 0), 0) AS verified, coalesce(sum(g.sources >= 2), 0) AS multiSource
         FROM ${t} t LEFT JOIN (
           SELECT target_id, max(status = 'verified') AS verified, count(DISTINCT source_id) AS sources FROM cs WHERE target_table = ? GROUP BY target_id
         ) g ON g.target_id = t.id`,
      )
      .get(t) as SourcingPanel['incidents'];

  const byStatus = new Map(
    (db.prepare(`${STATUS_CTE} SELECT status, count(*) n FROM cs GROUP BY status`).all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const grades = db
    .prepare(
      `SELECT coalesce(s.reliability, '?') AS reliability, count(*) AS sources,
        sum((SELECT count(*) FROM citations c WHERE c.source_id = s.id)) AS citations
       FROM sources s GROUP BY 1`,
    )
    .all() as { reliability: string; sources: number; citations: number }[];
  const order = [...RELIABILITY, '?'];
  const sourcesByGrade = order.map((r) => grades.find((g) => g.reliability === r) ?? { reliability: r, sources: 0, citations: 0 });
  const citationsByGrade = db
    .prepare(
      `SELECT coalesce(s.reliability, '?') || coalesce(CAST(c.credibility AS TEXT), '?') AS grade, count(*) AS citations
       FROM citations c JOIN sources s ON s.id = c.source_id GROUP BY 1 ORDER BY 1`,
    )
    .all() as { grade: string; citations: number }[];

  const figures = figuresByAdmin1(db);
  const disagreements = figures.bars
    .filter((b) => b.value !== b.computed)
    .map((b) => ({ label: b.label, measure: figures.measure, reported: b.value, computed: b.computed }));

  return {
    incidents: share('incidents'),
    plots: share('plots'),
    figures: share('figures'),
    citations: {
      unreviewed: byStatus.get('unreviewed') ?? 0,
      verified: byStatus.get('verified') ?? 0,
      disputed: byStatus.get('disputed') ?? 0,
      needsSource: byStatus.get('needs_source') ?? 0,
    },
    sourcesByGrade,
    citationsByGrade,
    disagreements,
  };
}

/** The panel's numbers in the shape `casefile review --json` prints. */
export function reviewSummary(p: SourcingPanel) {
  return { incidents: p.incidents, plots: p.plots, figures: p.figures, citations: p.citations };
}
