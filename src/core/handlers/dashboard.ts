import type { dashboardChannels } from '../../shared/channels/dashboard';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the dashboard area's channels. */
export function dashboardHandlers(_s: Session): AreaHandlers<typeof dashboardChannels> {
  return {};
}
