import type { coreChannels } from '../../shared/channels/core';
import type { AreaHandlers } from './types';
import type { Session } from '../session';

/** The foundation's channels. */
export function coreHandlers(s: Session, version: string): AreaHandlers<typeof coreChannels> {
  return {
    'app.info': () => ({ mode: s.mode, author: s.settings.get().author, caseFile: s.hasCaseFile ? s.caseFile.info() : null, version }),
    'settings.setAuthor': ({ author }) => {
      s.settings.update({ author });
      return { ok: true as const };
    },
    'file.new': ({ path, demo }) => s.create(path, demo),
    // Any file may have come from someone else: check it in a separate process with a time limit.
    'file.open': ({ path }) => s.openChecked(path),
    'file.recent': () => s.settings.get().recent,
    'file.saveAs': ({ path }) => s.saveAs(path),
    'history.state': () => s.caseFile.history(),
    // A large step (a merge of thousands of rows) is replayed between turns of the event loop, its progress told as the 'undo' task.
    'history.undo': ({ overwrite }) => s.caseFile.undoAsync((done, total) => s.emit('task.progress', { task: 'undo', done, total, message: `Undoing: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} changes` }), { overwrite }),
    'history.redo': ({ overwrite }) => s.caseFile.redoAsync((done, total) => s.emit('task.progress', { task: 'undo', done, total, message: `Redoing: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} changes` }), { overwrite }),
  };
}

