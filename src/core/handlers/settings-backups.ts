import { join, relative, resolve, isAbsolute } from 'node:path';
import type { settingsBackupChannels, SettingsView } from '../../shared/channels/settings-backups';
import { restoreBackup } from '../backup/restore';
import { refuse } from '../errors';
import { logPaths } from '../log/app-log';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the Settings dialog and of "Restore from backup…". */
export function settingsBackupHandlers(s: Session): AreaHandlers<typeof settingsBackupChannels> {
  const view = (): SettingsView => {
    const v = s.settings.get();
    const paths = logPaths(s.settings.dir);
    return {
      author: v.author,
      theme: v.theme,
      exportChartsDark: v.exportChartsDark,
      citationStyle: v.citationStyle,
      dateOrder: v.dateOrder,
      backups: v.backups,
      folder: s.settings.dir,
      log: paths.log,
      crashReports: paths.crashReports,
    };
  };
  const backupsRoot = () => resolve(join(s.settings.dir, 'backups'));
  return {
    'settings.get': view,
    'settings.update': ({ backups, ...rest }) => {
      s.settings.update({ ...rest, ...(backups ? { backups: { ...s.settings.get().backups, ...backups } } : {}) });
      s.emit('settings.changed', {});
      return view();
    },
    'backup.list': () => ({
      items: s.backups.list(s.caseFile.path),
      enabled: s.backups.enabled,
      keep: s.settings.get().backups.keep,
      folder: backupsRoot(),
      lastError: s.backups.lastError,
    }),
    'backup.now': () =>
      s.tasks.run('backup', {}, ({ progress }) => s.backups.now(s.caseFile.path, 'manual', { onProgress: progress })),
    'backup.restore': ({ backup, out, taskId }) => {
      // Only a backup from the settings folder: any other file is opened with Open, which says what it is.
      const rel = relative(backupsRoot(), resolve(backup));
      if (rel.startsWith('..') || isAbsolute(rel) || !rel.endsWith('.casefile'))
        throw refuse(`${backup} is not one of Casefile's backups`);
      return s.tasks.run('restore', { id: taskId }, async ({ signal, progress }) =>
        s.openChecked(await restoreBackup(backup, out, { signal, onProgress: progress }), { signal }),
      );
    },
  };
}
