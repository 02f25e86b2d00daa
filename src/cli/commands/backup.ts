import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { listBackups } from '../../core/backup/backups';
import { restoreBackup } from '../../core/backup/restore';
import { BackupService } from '../../core/backup/service';
import { CasefileError } from '../../core/errors';
import { SettingsStore } from '../../core/settings';
import { flags, needArgs, terminalProgress, unknownFlags, type Command } from '../command';

const USAGE = `usage:
  casefile backup FILE [--config-dir DIR]            make a backup of FILE now
  casefile backups FILE [--json] [--config-dir DIR]  list FILE's backups
  casefile restore BACKUP --out NEW                  restore a backup into a new file`;

/** The app's settings folder, where its backups are: as the app finds it, or --config-dir. */
function settingsDir(given: string | undefined): string {
  return resolve(
    given ??
      process.env.CASEFILE_CONFIG_DIR ??
      join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Casefile'),
  );
}

const one = (p: string[], what: string) => {
  needArgs(p, 1, what, USAGE);
  if (p.length > 1) throw new CasefileError('validation', `unexpected argument "${p[1]}"\n${USAGE}`);
  return p[0]!;
};

/** Backups of a case file, the same ones the app makes and lists. */
export const backupCommands: Record<string, Command> = {
  async backup(args, out) {
    const { positional, flags: f, values } = flags(args, ['config-dir']);
    unknownFlags(f, []);
    const file = resolve(one(positional, 'FILE'));
    const shown = terminalProgress();
    // Made whatever the app's settings say: it was asked for. Rotation keeps as many as the app does.
    const e = await new BackupService(new SettingsStore(settingsDir(values.get('config-dir'))))
      .now(file, 'manual', shown.onProgress ? { onProgress: shown.onProgress } : {})
      .finally(shown.done);
    out(e.path);
  },
  backups(args, out) {
    const { positional, flags: f, values } = flags(args, ['config-dir']);
    unknownFlags(f, ['json']);
    const file = resolve(one(positional, 'FILE'));
    const items = listBackups(settingsDir(values.get('config-dir')), file);
    if (f.has('json')) {
      out(
        JSON.stringify(
          items.map((b) => ({ path: b.path, at: b.at, counts: b.counts, reason: b.reason, size: b.size })),
        ),
      );
      return;
    }
    if (items.length === 0) out(`no backups of ${file}`);
    for (const b of items)
      out(
        `${b.at}  ${b.reason.padEnd(7)}  ${b.counts.incidents ?? 0} incidents, ${b.counts.sources ?? 0} sources  ${b.path}`,
      );
  },
  async restore(args, out) {
    const { positional, flags: f, values } = flags(args, ['out']);
    unknownFlags(f, []);
    const backup = one(positional, 'BACKUP');
    const target = values.get('out');
    if (!target)
      throw new CasefileError('validation', `--out NEW is required: a backup is restored into a new file\n${USAGE}`);
    const shown = terminalProgress();
    out(
      `restored into ${await restoreBackup(backup, target, shown.onProgress ? { onProgress: shown.onProgress } : {}).finally(shown.done)}`,
    );
  },
};
