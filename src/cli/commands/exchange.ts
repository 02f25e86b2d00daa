import { CasefileError } from '../../core/errors';
import { mergeFiles } from '../../core/exchange/merge';
import { flags, needArgs, terminalProgress, unknownFlags, type Command } from '../command';
import { mergeReport } from './merge-report';

const USAGE = 'usage: casefile merge MINE THEIRS [--json] [--prefer mine|theirs] [--dry-run]';

/** Commands of this area. */
export const exchangeCommands: Record<string, Command> = {
  /**
   * Merges THEIRS (a colleague's case file, checked as untrusted) into MINE. Conflicts are settled
   * by --prefer; without it, a merge with conflicts applies nothing and exits non-zero (the app's
   * merge review lets an analyst choose field by field).
   */
  async merge(args, out) {
    const { positional, flags: f, values } = flags(args, ['prefer']);
    unknownFlags(f, ['json', 'dry-run']);
    needArgs(positional, 2, 'MINE and THEIRS', USAGE);
    if (positional.length > 2)
      throw new CasefileError('validation', `unexpected argument "${positional[2]}"\n${USAGE}`);
    const prefer = values.get('prefer');
    if (prefer !== undefined && prefer !== 'mine' && prefer !== 'theirs')
      throw new CasefileError('validation', `--prefer must be "mine" or "theirs", not "${prefer}"`);
    const shown = terminalProgress();
    const r = await mergeFiles(positional[0]!, positional[1]!, {
      author: process.env.CASEFILE_AUTHOR ?? 'casefile CLI',
      dryRun: f.has('dry-run'),
      ...(prefer ? { prefer } : {}),
      ...(shown.onProgress ? { onProgress: shown.onProgress } : {}),
    }).finally(shown.done);
    if (f.has('json')) {
      const { added, updated, deleted, conflicts, applied, tables, conflictRows, skipped, notes } = r;
      out(JSON.stringify({ added, updated, deleted, conflicts, applied, tables, conflictRows, skipped, notes }));
    } else {
      for (const line of mergeReport(r)) out(line);
    }
    if (!r.applied && !f.has('dry-run')) {
      throw new CasefileError(
        'conflict',
        `${r.conflicts} conflict${r.conflicts === 1 ? '' : 's'}: nothing was merged. Use --prefer mine|theirs, or merge in the app to choose field by field`,
      );
    }
  },
};
