import type { gridChannels } from '../../shared/channels/grid';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the grid area's channels. */
export function gridHandlers(_s: Session): AreaHandlers<typeof gridChannels> {
  return {};
}
