import { resolve } from 'node:path';
import { CaseFile } from '../../core/write/case-file';
import { CasefileError } from '../../core/errors';
import { openCaseFileReadOnly } from '../../core/db/open';
import { openForWork } from '../../core/write/open-for-work';
import { addAlias, addStarter, entityOf, listAliases } from '../../core/aliases/store';
import type { AliasKind } from '../../shared/domain/aliases';
import { flags, needArgs, unknownFlags, type Command } from '../command';
import { terminalField } from '../../shared/text/terminal-text';

const USAGE = `usage:
  casefile aliases FILE [--json] [--kind actor|place]
  casefile aliases FILE --add "Name" --same-as "Other name" [--kind actor|place] [--source KEY]
  casefile aliases FILE --starter`;

const AUTHOR = process.env.CASEFILE_AUTHOR ?? 'casefile CLI';
const NODE = 'c11c11c11c11';

function kindOf(v: string | undefined): AliasKind | undefined {
  if (v === undefined) return undefined;
  if (v !== 'actor' && v !== 'place')
    throw new CasefileError('validation', `--kind must be actor or place, not "${v.slice(0, 40)}"`);
  return v;
}

/** `casefile aliases`: lists each actor and place with its names, or records one, as the app does. */
const aliases: Command = (args, out) => {
  const { positional, flags: f, values } = flags(args, ['add', 'same-as', 'kind', 'source']);
  unknownFlags(f, ['json', 'starter']);
  needArgs(positional, 1, 'FILE', USAGE);
  const file = resolve(positional[0]!);
  const kind = kindOf(values.get('kind'));
  const name = values.get('add');
  const sameAs = values.get('same-as');
  if ((name === undefined) !== (sameAs === undefined))
    throw new CasefileError('validation', `--add and --same-as go together\n${USAGE}`);
  if (name !== undefined && sameAs !== undefined) {
    const db = openForWork(file);
    try {
      const cf = new CaseFile(db, file, () => AUTHOR, NODE);
      // Without --kind: the kind of whichever name the file already knows, else an actor.
      const k = kind ?? ((entityOf(db, 'place', sameAs) ?? entityOf(db, 'place', name)) ? 'place' : 'actor');
      const key = values.get('source');
      let sourceId: string | null = null;
      if (key !== undefined) {
        sourceId = (db.prepare('SELECT id FROM sources WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
        if (sourceId === null)
          throw new CasefileError('not_found', `--source: no source with the key "${key.slice(0, 80)}" in ${file}`);
      }
      const e = addAlias(cf, { kind: k, name, sameAs, sourceId });
      if (f.has('json')) out(JSON.stringify(e));
      else out(`${terminalField(name)} is now a name of ${terminalField(e.entity)} (${k}; ${e.names.length} names)`);
    } finally {
      db.close();
    }
    return;
  }
  if (f.has('starter')) {
    const db = openForWork(file);
    try {
      const r = addStarter(new CaseFile(db, file, () => AUTHOR, NODE));
      out(f.has('json') ? JSON.stringify(r) : `added ${r.added} name${r.added === 1 ? '' : 's'} from the starter list`);
    } finally {
      db.close();
    }
    return;
  }
  const { db } = openCaseFileReadOnly(file);
  try {
    const list = listAliases(db, kind);
    if (f.has('json')) {
      out(
        JSON.stringify(
          list.map((e) => ({
            kind: e.kind,
            entity: e.entity,
            names: e.names.map((n) => ({ name: n.name, origin: n.origin, author: n.author, source: n.sourceKey })),
          })),
        ),
      );
      return;
    }
    if (list.length === 0) out('no aliases');
    for (const e of list) {
      out(`${e.kind} ${terminalField(e.entity)}`);
      for (const n of e.names)
        if (n.name !== e.entity)
          out(
            `  = ${terminalField(n.name)}  (${n.origin}, ${terminalField(n.author)}${n.sourceKey ? `, source ${terminalField(n.sourceKey)}` : ''})`,
          );
    }
  } finally {
    db.close();
  }
};

export const aliasesCommands: Record<string, Command> = { aliases };
