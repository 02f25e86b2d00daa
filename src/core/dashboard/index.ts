/**
 * Aggregates for the dashboard, computed in SQL in the core; the renderer never receives rows for
 * a chart. One module per kind of chart under ./dashboard/.
 */
export { addActorName, figuresByAdmin1, figuresOtherActors } from './figures';
export { incidentsBy, eventTypes } from './incidents';
export { timeline, abroad, homeCountry, bucketRange } from './timeline';
export { ABROAD_TAG, cachedAnswer, incidentSource, resetDashboardCache } from './selection';
export { mapPoints } from './map';
export { plotsSummary } from './plots';
export { scopedWhere } from './sql';
export { sourceLine } from './sources';
export { dashboardData, dashboardUpdate } from './all';
