import type { dashboardChannels } from '../../shared/channels/dashboard';
import { abroad, timeline } from '../dashboard/timeline';
import { addActorName, figuresByAdmin1, figuresOtherActors } from '../dashboard/figures';
import { cachedAnswer } from '../dashboard/selection';
import { eventTypes, incidentsBy } from '../dashboard/incidents';
import { mapPoints } from '../dashboard/map';
import { plotsSummary } from '../dashboard/plots';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/**
 * Handlers of the dashboard area's channels: each one SQL aggregate over the open case file,
 * kept until the data changes (cached), so a second window or a filter toggled back is free.
 */
export function dashboardHandlers(s: Session): AreaHandlers<typeof dashboardChannels> {
  const db = () => s.caseFile.db;
  return {
    'dashboard.figuresByAdmin1': () => cachedAnswer(db(), ['figures'], () => figuresByAdmin1(db())),
    'dashboard.figuresOtherActors': () => cachedAnswer(db(), ['figures-actors'], () => figuresOtherActors(db())),
    'figures.addActorName': ({ ids, name }) => addActorName(s.caseFile, ids, name),
    'dashboard.incidentsBy': ({ dimension, filter, limit }) =>
      cachedAnswer(db(), ['by', dimension, filter, limit], () => incidentsBy(db(), dimension, filter, limit)),
    'dashboard.eventTypes': ({ filter }) => cachedAnswer(db(), ['events', filter], () => eventTypes(db(), filter)),
    'dashboard.timeline': ({ filter, bucket }) =>
      cachedAnswer(db(), ['timeline', filter, bucket], () => timeline(db(), filter, bucket)),
    'dashboard.abroad': ({ filter, home }) =>
      cachedAnswer(db(), ['abroad', filter, home], () => abroad(db(), filter, home)),
    'dashboard.mapPoints': ({ filter, bbox, cell }) =>
      cachedAnswer(db(), ['map', filter, bbox, cell], () => mapPoints(db(), filter, bbox, cell)),
    'dashboard.plots': ({ filter }) => cachedAnswer(db(), ['plots', filter], () => plotsSummary(db(), filter)),
  };
}
