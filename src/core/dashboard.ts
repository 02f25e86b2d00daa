/**
 * Aggregates for the dashboard, computed in SQL in the core; the renderer never receives rows for
 * a chart. One module per kind of chart under ./dashboard/.
 */
export { addActorName, figuresByAdmin1, figuresOtherActors } from './dashboard/figures';
export { incidentsBy, eventTypes } from './dashboard/incidents';
export { timeline, abroad, homeCountry, bucketRange } from './dashboard/timeline';
export { ABROAD_TAG, cached, incidentSource, resetDashboardCache } from './dashboard/selection';
export { mapPoints } from './dashboard/map';
export { plotsSummary } from './dashboard/plots';
export { scopedWhere } from './dashboard/sql';
export { sourceLine } from './dashboard/sources';
export { dashboardData, dashboardUpdate } from './dashboard/all';
