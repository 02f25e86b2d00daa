import type { exchangeChannels } from '../../shared/channels/exchange';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the exchange area's channels. */
export function exchangeHandlers(_s: Session): AreaHandlers<typeof exchangeChannels> {
  return {};
}
