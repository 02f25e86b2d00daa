import { join } from 'node:path';
import { TABLES } from '../../../src/shared/domain/common';
import { FIELDS, type Field } from '../../../src/shared/domain/fields';
import type { Db } from '../../../src/core/db/open';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { applyPrepared, prepareMerge } from '../../../src/core/exchange/merge';
import type { Choices } from '../../../src/core/exchange/apply';
import { Session } from '../../../src/core/session';
import { session } from '../../helpers';

/** My open demo case file, and a colleague's copy of it opened in their own session (author "Colleague"). */
export async function pair() {
  const { s: me, dir, file: mine } = session({ demo: true });
  const theirs = join(dir, 'colleague.casefile');
  await exportCaseFile(mine, theirs, { checked: true });
  const them = colleague(dir, theirs);
  return { me, them, dir, mine, theirs };
}

export function colleague(dir: string, file: string, name = 'Colleague'): Session {
  const s = new Session(join(dir, `config-${name}`), 'browser');
  s.settings.update({ author: name });
  s.open(file);
  return s;
}

/** Every row of every table, fields only, by table then id: the state a merge is checked against. */
export function rows(db: Db): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const t of TABLES) {
    out[t] = {};
    for (const r of db.prepare(`SELECT * FROM ${t} ORDER BY id`).all() as Record<string, unknown>[]) {
      out[t][r.id as string] = Object.fromEntries(
        (FIELDS[t] as readonly Field[]).map((f) => [f.name, r[f.name] ?? null]),
      );
    }
  }
  return out;
}

export const ids = (db: Db, table: string, n: number) =>
  (db.prepare(`SELECT id FROM ${table} ORDER BY id LIMIT ?`).all(n) as { id: string }[]).map((r) => r.id);

/** Plans and applies (the colleague's session must be closed: its file is read as sent). */
export async function merge(me: Session, theirs: string, choices: Partial<Choices> = {}) {
  const p = await prepareMerge(me.caseFile.path, theirs);
  try {
    const result = await applyPrepared(me.caseFile, p, { resolutions: {}, acceptNonConflicting: true, ...choices });
    return { plan: p.plan, result };
  } finally {
    p.received.dispose();
  }
}

export async function plan(me: Session, theirs: string) {
  const p = await prepareMerge(me.caseFile.path, theirs);
  p.received.dispose();
  return p.plan;
}
