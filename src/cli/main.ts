import { basename, resolve } from 'node:path';
import { CaseFile } from '../core/write/case-file';
import { buildDemo } from '../core/demo';
import { CasefileError, refuse } from '../core/errors';
import { createCaseFileDb, integrityProblems, openCaseFileReadOnly, summarise } from '../core/db/open';
import { SCHEMA_VERSION } from '../core/db/migrations';
import { flags, needArgs, unknownFlags } from './command';
import { terminalField, terminalLines } from '../shared/text/terminal-text';
import { TABLES } from '../shared/domain/common';
import { importExportCommands } from './commands/import-export';
import { sourcesCommands } from './commands/sources';
import { exchangeCommands } from './commands/exchange';
import { exportCommands } from './commands/export';
import { backupCommands } from './commands/backup';
import { hubCommands } from './commands/hub';
import { aliasesCommands } from './commands/aliases';
import type { Command } from './command';

/**
 * The `casefile` command: scripting and headless checks over the same core as the app.
 * Exit 0 on success; on any error one line on stderr and a non-zero exit.
 */

const USAGE = `usage:
  casefile new FILE [--demo]        create an empty (or the demo) case file
  casefile info FILE [--json]       schema version, row counts, integrity check
  casefile import|conflicts|export|sources|review|merge|aliases ...   (see docs/user-guide.md)
  casefile backup FILE | backups FILE [--json] | restore BACKUP --out NEW
  casefile hub init|sync|grant ...  a team hub on PostgreSQL (see docs/user-guide.md)`;

const CLI_AUTHOR = process.env.CASEFILE_AUTHOR ?? 'casefile CLI';
const CLI_NODE = 'c11c11c11c11';

const need = (p: string[], n: number, what: string) => needArgs(p, n, what, USAGE);

const coreCommands: Record<string, Command> = {
  new(args, out) {
    const { positional, flags: f } = flags(args);
    unknownFlags(f, ['demo']);
    need(positional, 1, 'FILE');
    const path = resolve(positional[0]!);
    const db = createCaseFileDb(path);
    try {
      if (f.has('demo')) buildDemo(new CaseFile(db, path, () => CLI_AUTHOR, CLI_NODE));
    } finally {
      db.close();
    }
    out(`created ${path}${f.has('demo') ? ' (demo case file)' : ''}`);
  },
  info(args, out) {
    const { positional, flags: f } = flags(args);
    unknownFlags(f, ['json']);
    need(positional, 1, 'FILE');
    const path = resolve(positional[0]!);
    const { db, version: schemaVersion } = openCaseFileReadOnly(path);
    try {
      const counts: Record<string, number> = {};
      for (const t of TABLES) counts[t] = (db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n;
      const problems = integrityProblems(db, 'integrity_check', basename(path));
      const integrity = problems.length > 0 ? problems.join('; ') : 'ok';
      const title =
        (db.prepare("SELECT value FROM meta WHERE key = 'title'").get() as { value: string } | undefined)?.value ??
        null;
      if (f.has('json')) {
        out(JSON.stringify({ schemaVersion, counts, integrity, title }));
      } else {
        out(
          `${path}\n  title: ${title === null ? '(none)' : terminalField(title)}\n  schema version: ${schemaVersion} (this Casefile: ${SCHEMA_VERSION})\n  integrity: ${integrity}`,
        );
        for (const [t, n] of Object.entries(counts)) out(`  ${t}: ${n}`);
      }
      // The report is printed either way; a damaged file must still fail a script that checks it.
      if (problems.length > 0) throw refuse(`${basename(path)} is damaged: ${summarise(problems)}`);
    } finally {
      db.close();
    }
  },
};

/** Every command; each area adds its own in commands/<area>.ts. */
export const commands: Record<string, Command> = {
  ...coreCommands,
  ...importExportCommands,
  ...sourcesCommands,
  ...exchangeCommands,
  ...exportCommands,
  ...backupCommands,
  ...hubCommands,
  ...aliasesCommands,
};

/**
 * Runs one command. Everything it prints passes through terminalLines here, so that no command
 * can put a file's escape sequences or direction overrides on the analyst's terminal.
 */
export async function run(
  argv: string[],
  print: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
): Promise<number> {
  const out = (s: string) => print(terminalLines(s));
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === 'help') {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  const c = commands[cmd];
  try {
    if (!c) throw new CasefileError('validation', `unknown command "${cmd}"\n${USAGE}`);
    await c(rest, out);
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`casefile: ${terminalLines(msg.split('\n')[0]!)}\n`);
    return e instanceof CasefileError ? 1 : 70;
  }
}
