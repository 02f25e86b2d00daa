import { z } from 'zod';
import { CaseInfo, TaskId } from '../contract-base';

/** The analyst's preferences (the Settings dialog), kept in the settings folder. */
export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;
const Preferences = z.object({
  theme: Theme,
  /** Exported charts are light (for paper) unless this asks for the screen's dark theme. */
  exportChartsDark: z.boolean(),
  citationStyle: z.enum(['chicago-author-date', 'apa']),
  dateOrder: z.enum(['dmy', 'mdy']).nullable(),
  backups: z.object({ enabled: z.boolean(), keep: z.number().int().min(1).max(100) }),
});
export type Preferences = z.infer<typeof Preferences>;

export const SettingsView = Preferences.extend({
  author: z.string().nullable(),
  /** Where settings, the log, crash reports and backups are, to tell the analyst. */
  folder: z.string(),
  log: z.string(),
  crashReports: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const BackupItem = z.object({
  path: z.string(),
  at: z.string(),
  reason: z.enum(['open', 'merge', 'removal', 'manual']),
  title: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  size: z.number(),
});
export type BackupItem = z.infer<typeof BackupItem>;

const Path = z.string().min(1).max(4096);

/** Settings, backups and their restore. The author is set once (settings.setAuthor) and not here. */
export const settingsBackupChannels = {
  'settings.get': { kind: 'query', input: z.object({}).strict(), output: SettingsView },
  'settings.update': {
    kind: 'mutation',
    input: Preferences.extend({ backups: Preferences.shape.backups.partial() }).partial().strict(),
    output: SettingsView,
  },
  'backup.list': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({
      items: z.array(BackupItem),
      enabled: z.boolean(),
      keep: z.number(),
      folder: z.string(),
      lastError: z.string().nullable(),
    }),
  },
  'backup.now': { kind: 'mutation', input: z.object({}).strict(), output: BackupItem },
  /** Restores a backup of the open file's into a new file, never over one, and opens it. */
  'backup.restore': {
    kind: 'mutation',
    input: z.object({ backup: Path, out: Path, taskId: TaskId.optional() }).strict(),
    output: CaseInfo,
  },
} as const;
