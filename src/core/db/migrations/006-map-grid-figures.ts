import { createSql, SUMMARIES, summaryFillSql, type SummaryDef } from './004-dashboard-summaries';

/**
 * Schema version 6: two reads of the dashboard that no summary or index answered at a million
 * incidents.
 *
 * - The map at world or continent scale. dash_points groups by exact position, which is a few
 *   thousand places for a dataset geocoded to towns, but as many rows as incidents when every
 *   incident has coordinates of its own (1.6 s for the world view at a million). dash_grid counts
 *   incidents per country, province and quarter-degree cell; a map whose cells are a quarter
 *   degree or larger (anything wider than a province) is binned from it.
 * - The reported-figures chart counts a figure's actor (named as primary or associated actor) in
 *   a country and period, by province. The country-and-date index is widened with the province
 *   and both actor columns, so that count is read from the index alone (190-320 ms -> ~20 ms at a
 *   million); it still answers everything the narrower one did, in the same order.
 * - Four of migration 003's covering indexes are dropped: they served group-bys over the whole
 *   incidents table, which the summary tables (004) answer now; a filtered chart copies its rows
 *   once (dashboard/selection.ts) through the grid's one-column indexes, which stay. Each cost
 *   about 6 s of a million-row import, and its share of every edit. The geographic one stays (a
 *   map label looks up the first incident at a position by it), as do the abroad one (partial,
 *   small) and the grid's.
 *
 * This list is frozen with the migration, as 004's is.
 */
export const SUMMARIES_006: readonly SummaryDef[] = [
  // ~45,000 at a million incidents over 20 countries (each province's cells; fewer where, as in
  // real data, a province is a place on the map): the map from a quarter degree up, unfiltered or
  // for a clicked country or province.
  { name: 'dash_grid', keys: ['country', 'admin1', 'gx', 'gy'], grain: null, indexes: [['admin1']] },
];

/** Every summary the current schema has, in the order pickSummary prefers them when it has no statistics. */
export const ALL_SUMMARIES: readonly SummaryDef[] = [...SUMMARIES, ...SUMMARIES_006];

export const migration006 = [
  ...SUMMARIES_006.map(createSql),
  ...SUMMARIES_006.map((d) => summaryFillSql(d)),
  'DROP INDEX incidents_dash_country;',
  'CREATE INDEX incidents_dash_country_actors ON incidents (country, date, fatalities, admin1, actor1, assoc_actors);',
  'DROP INDEX incidents_dash_admin1;',
  'DROP INDEX incidents_dash_event;',
  'DROP INDEX incidents_dash_actor;',
  'DROP INDEX incidents_dash_time;',
].join('\n');
