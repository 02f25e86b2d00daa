import {
  app,
  dialog,
  type BrowserWindow,
  type FileFilter,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import { dirname, join } from 'node:path';
import { startFolder } from '../core/files/documents-dir';
import type { Session } from '../core/session';
import type { ParsedInput, Output } from '../shared/contract';
import type { FilePurpose } from '../shared/channels/files';

const FILTERS: Record<FilePurpose, FileFilter[]> = {
  casefile: [{ name: 'Casefile case files', extensions: ['casefile'] }],
  data: [
    { name: 'Data files (CSV, XLSX)', extensions: ['csv', 'tsv', 'txt', 'xlsx'] },
    { name: 'All files', extensions: ['*'] },
  ],
  'table-export': [{ name: 'Tables', extensions: ['csv', 'xlsx', 'json'] }],
  attachment: [
    { name: 'Documents (PDF, HTML, text)', extensions: ['pdf', 'html', 'htm', 'txt'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/**
 * `files.pick` in the desktop app: the platform's own dialog, started in the folder last used (or
 * Documents), which is remembered in the settings for the next one. Cancel answers `null`.
 */
export function filePickHandler(session: Session, parent: () => BrowserWindow | undefined) {
  return async (input: ParsedInput<'files.pick'>): Promise<Output<'files.pick'>> => {
    const folder = startFolder(session.settings.get().lastFolder, app.getPath('documents'));
    const filters = input.extensions?.length
      ? [{ name: input.extensions.map((e) => e.toUpperCase()).join(', '), extensions: input.extensions }]
      : FILTERS[input.purpose];
    const win = parent();
    let path: string | null = null;
    if (input.kind === 'open') {
      const options: OpenDialogOptions = { title: input.title, defaultPath: folder, filters, properties: ['openFile'] };
      const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
      path = r.canceled ? null : (r.filePaths[0] ?? null);
    } else {
      const options: SaveDialogOptions = {
        title: input.title,
        defaultPath: join(folder, input.defaultName ?? ''),
        filters,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
      path = r.canceled || !r.filePath ? null : r.filePath;
    }
    if (path) session.settings.update({ lastFolder: dirname(path) });
    return { path };
  };
}
