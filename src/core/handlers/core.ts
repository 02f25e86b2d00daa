import type { coreChannels } from '../../shared/channels/core';
import type { AreaHandlers } from './types';
import type { Session } from '../session';

const thousands = (n: number) => n.toLocaleString('en-US');

/** The foundation's channels. */
export function coreHandlers(s: Session, version: string): AreaHandlers<typeof coreChannels> {
  return {
    'app.info': () => ({
      mode: s.mode,
      author: s.settings.get().author,
      caseFile: s.hasCaseFile ? s.caseFile.info() : null,
      version,
    }),
    'settings.setAuthor': ({ author }) => {
      s.settings.update({ author });
      return { ok: true as const };
    },
    'file.new': ({ path, demo }) => s.create(path, demo),
    // Any file may have come from someone else: check it in a separate process with a time limit.
    'file.open': ({ path, taskId }) =>
      s.tasks.run('file-open', { id: taskId }, ({ signal, progress }) =>
        s.openChecked(path, { signal, onProgress: progress }),
      ),
    'file.saveAs': ({ path, taskId }) => s.saveAs(path, undefined, taskId),
    'file.recent': () => s.settings.get().recent,
    'history.state': () => s.caseFile.history(),
    // A large step (a merge of thousands of rows) is replayed between turns of the event loop, its progress told as the 'undo' task.
    'history.undo': ({ overwrite }) =>
      s.tasks.run('undo', {}, ({ progress }) =>
        s.caseFile.undoAsync(
          (done, total) =>
            progress({ done, total, message: `Undoing: ${thousands(done)} of ${thousands(total)} changes` }),
          { overwrite },
        ),
      ),
    'history.redo': ({ overwrite }) =>
      s.tasks.run('undo', {}, ({ progress }) =>
        s.caseFile.redoAsync(
          (done, total) =>
            progress({ done, total, message: `Redoing: ${thousands(done)} of ${thousands(total)} changes` }),
          { overwrite },
        ),
      ),
  };
}
