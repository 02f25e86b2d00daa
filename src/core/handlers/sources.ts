import type { sourcesChannels } from '../../shared/channels/sources';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the sources area's channels. */
export function sourcesHandlers(_s: Session): AreaHandlers<typeof sourcesChannels> {
  return {};
}
