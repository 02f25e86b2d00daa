import type { SourcingPanel } from '../../shared/channels/sources';
import { RELIABILITY } from '../../shared/domain/fields';
import { figuresByAdmin1 } from '../dashboard/figures';
import Database from 'better-sqlite3';
import type { Db } from '../db/open';
import { runTask } from '../tasks/run-task';
import { REVIEWED } from './citations';

/**
 * The sourcing panel: how much of the case file leads back to a source, to a verified citation,
 * and to more than one independent source (distinct sources); the library by grade; and the
 * figures a source reports that the case file's own rows do not bear out.
 */

// REVIEWED: each reviewed citation's current status, as the queue shows it. Citations no one
// reviewed are unreviewed; an imported dataset brings millions of them, so they are counted, not
// looked up one by one (8 s at 2.3M citations).

type ShareTable = 'incidents' | 'plots' | 'figures';

export function sourcingPanel(db: Db): SourcingPanel {
  const share = (t: ShareTable) =>
    db
      .prepare(
        `SELECT count(*) AS total, count(g.target_id) AS cited, count(v.id) AS verified, coalesce(sum(g.sources >= 2), 0) AS multiSource
         FROM ${t} t
         LEFT JOIN (SELECT target_id, count(DISTINCT source_id) AS sources FROM citations WHERE target_table = ? GROUP BY target_id) g ON g.target_id = t.id
         LEFT JOIN (SELECT DISTINCT c.target_id AS id FROM (${REVIEWED}) r JOIN citations c ON c.id = r.id WHERE c.target_table = ? AND r.status = 'verified') v ON v.id = t.id`,
      )
      .get(t, t) as SourcingPanel['incidents'];

  const reviewed = new Map(
    (
      db
        .prepare(`SELECT r.status, count(*) n FROM (${REVIEWED}) r JOIN citations c ON c.id = r.id GROUP BY r.status`)
        .all() as { status: string; n: number }[]
    ).map((r) => [r.status, r.n]),
  );
  const citations = db.prepare('SELECT count(*) FROM citations').pluck().get() as number;
  const byStatus = new Map(reviewed);
  byStatus.set(
    'unreviewed',
    (reviewed.get('unreviewed') ?? 0) + citations - [...reviewed.values()].reduce((a, b) => a + b, 0),
  );
  const grades = db
    .prepare(
      `SELECT coalesce(s.reliability, '?') AS reliability, count(*) AS sources,
        sum((SELECT count(*) FROM citations c WHERE c.source_id = s.id)) AS citations
       FROM sources s GROUP BY 1`,
    )
    .all() as { reliability: string; sources: number; citations: number }[];
  const order = [...RELIABILITY, '?'];
  const sourcesByGrade = order.map(
    (r) => grades.find((g) => g.reliability === r) ?? { reliability: r, sources: 0, citations: 0 },
  );
  // Grouped by source and credibility over one pass of the citations, then by grade over the
  // few groups: joined first, each of 2.3M citations was read through the index on its source (4.7 s, now 1.8).
  const citationsByGrade = db
    .prepare(
      `SELECT coalesce(s.reliability, '?') || coalesce(CAST(g.credibility AS TEXT), '?') AS grade, sum(g.n) AS citations
       FROM (SELECT source_id, credibility, count(*) AS n FROM citations NOT INDEXED GROUP BY source_id, credibility) g
       JOIN sources s ON s.id = g.source_id GROUP BY 1 ORDER BY 1`,
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

/**
 * Past this many citations the panel is read in a task worker: at a million incidents (2.3M
 * citations) it takes seconds, and on the app's own connection every window would wait for it.
 */
export const PANEL_IN_WORKER = 200_000;

/** The panel of the open case file: here when it is small, else in a worker (the same numbers). */
export async function sourcingPanelFor(db: Db, path: string): Promise<SourcingPanel> {
  // max(rowid) reads one page; count(*) would read them all.
  const size = (db.prepare('SELECT max(rowid) FROM citations').pluck().get() as number | null) ?? 0;
  if (size <= PANEL_IN_WORKER) return sourcingPanel(db);
  return runTask({ kind: 'review-panel', path });
}

/** In the worker: the panel read on a read-only connection of its own. */
export function sourcingPanelOf(path: string, nativeBinding?: string): SourcingPanel {
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('trusted_schema = OFF');
    return sourcingPanel(db);
  } finally {
    db.close();
  }
}

/** The panel's numbers in the shape `casefile review --json` prints. */
export function reviewSummary(p: SourcingPanel) {
  return { incidents: p.incidents, plots: p.plots, figures: p.figures, citations: p.citations };
}
