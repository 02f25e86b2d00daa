import type { importChannels } from '../../shared/channels/import';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the import area's channels. */
export function importHandlers(_s: Session): AreaHandlers<typeof importChannels> {
  return {};
}
