import type { linksChannels } from '../../shared/channels/links';
import { cachedAnswer } from '../dashboard/selection';
import { linkGraph } from '../dashboard/links';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** The link chart's channel: one aggregate over the open case file, cached until the data changes. */
export function linksHandlers(s: Session): AreaHandlers<typeof linksChannels> {
  const db = () => s.caseFile.db;
  return {
    'dashboard.links': ({ filter, expandBelow }) =>
      cachedAnswer(db(), ['links', filter, expandBelow], () => linkGraph(db(), filter, expandBelow)),
  };
}
