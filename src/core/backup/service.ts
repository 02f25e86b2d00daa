import { logLine } from '../log/app-log';
import { CasefileError } from '../errors';
import type { SettingsStore } from '../settings';
import type { TaskOptions } from '../tasks/run-task';
import { listBackups, makeBackup, type BackupEntry, type BackupReason } from './backups';
import { DEFAULT_POLICY, type RotationPolicy } from './rotation';

/**
 * The session's backups: the settings say whether they are made and how many recent ones are
 * kept; the folder is the settings folder's `backups/`. When a file is opened a backup is made in
 * the background at most once a calendar day; before a merge is applied or an import's rows are
 * removed for good, one is made first, and if it cannot be the operation does not start.
 */
export class BackupService {
  /** The last automatic backup that failed, shown in the restore dialog until one succeeds. */
  lastError: string | null = null;
  /** The backup started by the last open, for whoever must wait for it (tests, shutdown). */
  pending: Promise<BackupEntry | null> = Promise.resolve(null);

  /**
   * `asTask`: runs a backup made before an operation as a task of its own (the session's
   * 'backup' task), so that its progress shows apart from the operation it precedes.
   */
  constructor(
    private readonly settings: SettingsStore,
    private readonly asTask?: (
      work: (onProgress: NonNullable<TaskOptions['onProgress']>) => Promise<BackupEntry>,
    ) => Promise<unknown>,
  ) {}

  get enabled(): boolean {
    return this.settings.get().backups.enabled;
  }

  policy(): RotationPolicy {
    return { ...DEFAULT_POLICY, keepLast: this.settings.get().backups.keep };
  }

  list(caseFile: string): BackupEntry[] {
    return listBackups(this.settings.dir, caseFile);
  }

  /** A backup now, whatever the settings say (the analyst asked for it). */
  async now(
    caseFile: string,
    reason: BackupReason = 'manual',
    opts: TaskOptions & { now?: Date } = {},
  ): Promise<BackupEntry> {
    try {
      const entry = await makeBackup(this.settings.dir, caseFile, { ...opts, reason, policy: this.policy() });
      this.lastError = null;
      logLine('info', `backup (${reason}) of ${caseFile}: ${entry.path}`);
      return entry;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.lastError = `The backup of ${caseFile} (${reason}) failed: ${msg}`;
      logLine('error', this.lastError);
      throw e;
    }
  }

  /** After a file is opened: a backup unless one was made today. Never throws (it runs unawaited). */
  onOpened(caseFile: string, now = new Date()): Promise<BackupEntry | null> {
    if (!this.enabled) return Promise.resolve(null);
    const today = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    const made = this.list(caseFile).some((b) => today(new Date(b.at)) === today(now));
    if (made) return Promise.resolve(null);
    this.pending = this.now(caseFile, 'open', { now }).catch(() => null);
    return this.pending;
  }

  /** Before a merge or a removal for good: the operation waits for it, and does not start without it. */
  async before(caseFile: string, reason: 'merge' | 'removal'): Promise<void> {
    if (!this.enabled) return;
    try {
      const message = `Backing up the case file before the ${reason}`;
      const work = (tell?: NonNullable<TaskOptions['onProgress']>) =>
        this.now(caseFile, reason, tell ? { onProgress: (p) => tell({ ...p, message }) } : {});
      await (this.asTask ? this.asTask(work) : work());
    } catch (e) {
      const what = reason === 'merge' ? 'merged' : 'removed';
      throw new CasefileError(
        'refused',
        `No backup could be made before this ${reason === 'merge' ? 'merge' : 'removal'} (${e instanceof Error ? e.message : String(e)}), so nothing was ${what}. Free some disk space, or turn backups off in Settings to go on without one.`,
      );
    }
  }
}
