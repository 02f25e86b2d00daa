import { dirname } from 'node:path';
import type { filesChannels } from '../../shared/channels/files';
import { refuse } from '../errors';
import { startFolder } from '../files/documents-dir';
import { FileReceiver } from '../files/upload-receiver';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

const receivers = new Set<FileReceiver>();
let hooked = false;
/** Whatever the process received or wrote for the browser goes with it (and sweepStale catches a kill). */
function onExit(r: FileReceiver): void {
  receivers.add(r);
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const x of receivers) x.close();
  });
}

/** Files by dialog (the desktop app's main process replaces `files.pick`) and by upload. */
export function filesHandlers(s: Session, receiver = new FileReceiver()): AreaHandlers<typeof filesChannels> {
  onExit(receiver);
  return {
    'files.pick': () => {
      throw refuse('this window has no file dialog of the system: choose the file in the page');
    },
    'files.upload.begin': ({ name, size }) => receiver.begin(name, size),
    'files.upload.chunk': ({ id, index, data }) => receiver.chunk(id, index, data),
    'files.upload.finish': ({ id, keep }) => {
      const r = receiver.finish(id, keep ? startFolder(s.settings.get().lastFolder) : undefined);
      if (keep) s.settings.update({ lastFolder: dirname(r.path) });
      return r;
    },
    'files.upload.discard': ({ id }) => {
      receiver.abort(id);
      return { ok: true as const };
    },
    'files.download.target': ({ name }) => ({ path: receiver.target(name) }),
    'files.download.read': ({ path, offset }) => receiver.read(path, offset),
    'files.discard': ({ path }) => {
      receiver.discard(path);
      return { ok: true as const };
    },
  };
}
