import type { FilterModel } from '../../shared/contract';
import { EMPTY_FILTER } from '../../shared/contract';
import { OWN_COLUMNS, type TimeBucket } from '../../shared/channels/dashboard';
import type { Db } from '../db/open';
import { figuresByAdmin1 } from './figures';
import { eventTypes, incidentsBy } from './incidents';
import { mapPoints } from './map';
import { plotsSummary } from './plots';
import { abroad, timeline } from './timeline';
import { scopedWhere } from './sql';

/**
 * Everything the dashboard asks for at once, as the renderer does after a filter change (it sends
 * these as separate queries so each chart draws when its answer comes). For the benchmark.
 */
export function dashboardData(
  db: Db,
  incidents: FilterModel,
  plots: FilterModel = EMPTY_FILTER,
  bucket: TimeBucket = 'month',
) {
  return {
    admin1: incidentsBy(db, 'admin1', incidents),
    country: incidentsBy(db, 'country', incidents),
    actor1: incidentsBy(db, 'actor1', incidents, 15),
    eventTypes: eventTypes(db, incidents),
    timeline: timeline(db, incidents, bucket),
    abroad: abroad(db, incidents, null),
    map: mapPoints(db, incidents, [-180, -90, 180, 90], 1),
    plots: plotsSummary(db, plots),
    figures: figuresByAdmin1(db),
  };
}

type Chart = keyof typeof OWN_COLUMNS;
const INCIDENT_CHARTS: Chart[] = ['admin1', 'country', 'actor1', 'eventTypes', 'timeline', 'abroad', 'map'];

/**
 * What the renderer asks for after the incidents filter changes from `before` to `after`: only
 * the charts whose own view of the filter changed (a chart ignores filters on its own columns,
 * and the renderer does not ask again for an answer it has). For the benchmark.
 */
export function dashboardUpdate(db: Db, before: FilterModel, after: FilterModel, bucket: TimeBucket = 'month') {
  const changed = INCIDENT_CHARTS.filter((c) => {
    const key = (f: FilterModel) => JSON.stringify(scopedWhere('incidents', f, OWN_COLUMNS[c]));
    return key(before) !== key(after);
  });
  const run: Record<string, () => unknown> = {
    admin1: () => incidentsBy(db, 'admin1', after),
    country: () => incidentsBy(db, 'country', after),
    actor1: () => incidentsBy(db, 'actor1', after, 15),
    eventTypes: () => eventTypes(db, after),
    timeline: () => timeline(db, after, bucket),
    abroad: () => abroad(db, after, null),
    map: () => mapPoints(db, after, [-180, -90, 180, 90], 1),
  };
  return Object.fromEntries(changed.map((c) => [c, run[c]!()]));
}
