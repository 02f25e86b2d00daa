import { resolve } from 'node:path';
import { CasefileError } from '../../core/errors';
import { nodeId } from '../../core/ids';
import { CaseFile } from '../../core/write/case-file';
import { openForWork } from '../../core/write/open-for-work';
import { exportHubCase } from '../../core/hub/export';
import { grantCase } from '../../core/hub/grant';
import { initHub } from '../../core/hub/init';
import { syncCaseFile } from '../../core/hub/sync';
import { flags, needArgs, terminalProgress, unknownFlags, type Command } from '../command';
import { mergeReport } from './merge-report';

const USAGE = `usage:
  casefile hub init URL                              create or upgrade a hub (IT, as the database's owner)
  casefile hub sync FILE URL [--case ID] [--prefer mine|theirs] [--json]
  casefile hub grant URL CASE ROLE edit|review|none  (the case's creator, or IT)
  casefile hub export URL CASE --out FILE            the hub case as a new case file`;

const bad = (msg: string) => new CasefileError('validation', `${msg}\n${USAGE}`);

const sub: Record<string, Command> = {
  async init(args, out) {
    const { positional, flags: f } = flags(args);
    unknownFlags(f, ['json']);
    needArgs(positional, 1, 'URL', USAGE);
    const r = await initHub(positional[0]!);
    if (f.has('json')) out(JSON.stringify(r));
    else
      out(
        r.from === r.to
          ? `the hub is at version ${r.to}: nothing to do`
          : `hub ${r.hubId}: schema version ${r.from} -> ${r.to}`,
      );
  },

  /**
   * Pulls and merges what others pushed, then pushes this file's changes. Conflicts without
   * --prefer stop the sync before anything is merged or pushed, listing them (exit non-zero):
   * the app's merge review settles them field by field.
   */
  async sync(args, out) {
    const { positional, flags: f, values } = flags(args, ['case', 'prefer']);
    unknownFlags(f, ['json']);
    needArgs(positional, 2, 'FILE and URL', USAGE);
    if (positional.length > 2) throw bad(`unexpected argument "${positional[2]}"`);
    const prefer = values.get('prefer');
    if (prefer !== undefined && prefer !== 'mine' && prefer !== 'theirs')
      throw new CasefileError('validation', `--prefer must be "mine" or "theirs", not "${prefer}"`);
    const path = resolve(positional[0]!);
    const db = openForWork(path);
    // Whatever this sync writes to the file is recorded under the role the hub authenticated.
    let role = 'casefile CLI';
    const shown = terminalProgress();
    try {
      const cf = new CaseFile(db, path, () => role, nodeId());
      const caseId = values.get('case');
      const r = await syncCaseFile(cf, positional[1]!, {
        onRole: (name) => (role = name),
        ...(caseId ? { caseId } : {}),
        ...(prefer ? { prefer } : {}),
        ...(shown.onProgress ? { onProgress: shown.onProgress } : {}),
      }).finally(shown.done);
      const conflicts = r.conflicts?.preview ?? null;
      r.conflicts?.review.received.dispose();
      if (f.has('json')) {
        out(
          JSON.stringify({
            caseId: r.caseId,
            role: r.role,
            access: r.access,
            created: r.created,
            pulled: r.pulled,
            pushed: r.pushed,
            retries: r.retries,
            conflicts,
          }),
        );
      } else {
        out(`${r.created ? 'new hub case' : 'hub case'} ${r.caseId} (as ${r.role}, ${r.access})`);
        if (r.pulled) for (const line of mergeReport(r.pulled)) out(`pulled: ${line}`);
        else if (!conflicts) out('pulled: nothing new on the hub');
        if (conflicts) for (const line of mergeReport(conflicts)) out(`pulled: ${line}`);
        if (r.pushed)
          out(
            `pushed: ${r.pushed.rows} rows written, ${r.pushed.deleted} deleted, ${r.pushed.entries} history entries (hub position ${r.pushed.head})`,
          );
        if (r.pushed?.uploaded.files)
          out(
            `pushed: the bytes of ${r.pushed.uploaded.files} attached file${r.pushed.uploaded.files === 1 ? '' : 's'} the hub did not hold (${r.pushed.uploaded.bytes} bytes)`,
          );
        if (r.pushed?.renamed) {
          const one = r.pushed.renamed === 1;
          out(
            `recorded under ${r.role}: ${r.pushed.renamed} history ${one ? 'entry' : 'entries'} of this file made under another name now ${one ? 'carries' : 'carry'} the role the hub authenticated, here as on the hub`,
          );
        }
      }
      if (conflicts) {
        const n = conflicts.conflicts;
        throw new CasefileError(
          'conflict',
          `${n} conflict${n === 1 ? '' : 's'} with the hub: nothing was merged or pushed. Use --prefer mine|theirs, or choose field by field: casefile hub export URL ${r.caseId} --out FILE, merge FILE in the app (File > Merge), then sync again`,
        );
      }
    } finally {
      db.close();
    }
  },

  /** The hub case as a case file: merged in the app (File > Merge), its conflicts are settled field by field. */
  async export(args, out) {
    const { positional, flags: f, values } = flags(args, ['out']);
    unknownFlags(f, []);
    needArgs(positional, 2, 'URL and CASE', USAGE);
    const target = values.get('out');
    if (!target) throw bad('missing --out FILE');
    const r = await exportHubCase(positional[0]!, positional[1]!, target);
    out(`wrote ${r.path}: ${r.rows} rows, ${r.entries} history entries (hub position ${r.head})`);
    if (r.missing.length > 0)
      out(
        `not in the file: the bytes of ${r.missing.length} attached file${r.missing.length === 1 ? '' : 's'} the hub does not hold (${r.missing.slice(0, 5).join(', ')}${r.missing.length > 5 ? ', …' : ''}): their rows and text are in it`,
      );
  },

  async grant(args, out) {
    const { positional, flags: f } = flags(args);
    unknownFlags(f, []);
    needArgs(positional, 4, 'URL, CASE, ROLE and edit|review|none', USAGE);
    const [url, caseId, role, access] = positional as [string, string, string, string];
    if (access !== 'edit' && access !== 'review' && access !== 'none')
      throw bad(`access must be edit, review or none, not "${access}"`);
    await grantCase(url, caseId, role, access);
    out(
      access === 'none' ? `${role} no longer has access to case ${caseId}` : `${role} may now ${access} case ${caseId}`,
    );
  },
};

/** `casefile hub init|sync|grant|export`. */
export const hubCommands: Record<string, Command> = {
  async hub(args, out) {
    const [name, ...rest] = args;
    const c = name ? sub[name] : undefined;
    if (!c) throw bad(name ? `unknown hub command "${name}"` : 'missing hub command');
    await c(rest, out);
  },
};
