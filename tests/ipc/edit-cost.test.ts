import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { EventPayload } from '../../src/shared/contract';
import { TABLES } from '../../src/shared/domain/common';
import { dispatch, makeHandlers } from '../../src/core/handlers/index';
import { session } from '../helpers';

type Db = Database.Database;
const METHODS = ['run', 'get', 'all', 'iterate'] as const;
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

/** Records the SQL of every statement the connection runs (better-sqlite3's own, on the real file). */
function recordStatements(db: Db): string[] {
  const seen: string[] = [];
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  const originals = METHODS.map((m) => [m, proto[m]!] as const);
  for (const [m, fn] of originals) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      seen.push(this.source);
      return fn.apply(this, args);
    };
  }
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    seen.push(sql);
    return exec(sql);
  };
  restore = () => {
    for (const [m, fn] of originals) proto[m] = fn;
    db.exec = exec;
  };
  return seen;
}

const COUNT = /\bcount\s*\(/i;

describe('what one edit costs', () => {
  it('an edit counts no table, and its event names the fields it changed, with no counts (the badges keep theirs)', async () => {
    const { s } = session();
    const h = makeHandlers(s, 't');
    // The window opened the file: app.info counted every table once.
    await dispatch(h, 'app.info', {});
    const events: EventPayload<'data.changed'>[] = [];
    s.subscribe((e, p) => e === 'data.changed' && events.push(p as EventPayload<'data.changed'>));
    const id = s.caseFile.db.prepare('SELECT id FROM incidents ORDER BY id LIMIT 1').pluck().get() as string;

    const sql = recordStatements(s.caseFile.db);
    const r = await dispatch(h, 'rows.update', {
      table: 'incidents',
      id,
      values: { description: 'seen again in the footage' },
    });
    // What another window rereads of it: the row, and nothing else (use-row-sync.ts).
    const again = await dispatch(h, 'rows.get', { table: 'incidents', id });
    const counts = await dispatch(h, 'app.info', {});
    restore!();

    expect(r).toMatchObject({ ok: true, value: { id, description: 'seen again in the footage' } });
    expect(again).toEqual(r);
    expect(events).toEqual([{ tables: ['incidents'], ids: [id], fields: ['description'] }]);
    expect(sql.filter((q) => COUNT.test(q) && !/change_log/.test(q))).toEqual([]);
    // The edit itself: read the row, write it and its search entry, log the field, read it back.
    expect(sql.length).toBeLessThanOrEqual(20);
    expect(
      counts.ok && (counts.value as { caseFile: { counts: Record<string, number> } }).caseFile.counts.incidents,
    ).toBe(s.caseFile.db.prepare('SELECT count(*) FROM incidents').pluck().get());
  });

  it('a row added, deleted, undone or redone announces its tables’ new counts, as a count of the file gives them', async () => {
    const { s } = session();
    const h = makeHandlers(s, 't');
    await dispatch(h, 'app.info', {});
    const events: EventPayload<'data.changed'>[] = [];
    s.subscribe((e, p) => e === 'data.changed' && events.push(p as EventPayload<'data.changed'>));
    const real = (t: string) => s.caseFile.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    const plots = real('plots');

    const added = await dispatch(h, 'rows.create', {
      table: 'plots',
      values: { country: 'Austria', stage: 'arrested' },
    });
    expect(events.at(-1)!.counts).toEqual({ plots: plots + 1 });
    const incident = s.caseFile.db
      .prepare('SELECT id FROM incidents WHERE id IN (SELECT target_id FROM citations) LIMIT 1')
      .pluck()
      .get() as string;
    await dispatch(h, 'rows.delete', { table: 'incidents', ids: [incident] });
    // The incident's citations went with it.
    expect(events.at(-1)!.counts).toEqual({ incidents: real('incidents'), citations: real('citations') });
    await dispatch(h, 'history.undo', {});
    expect(events.at(-1)!.counts).toEqual({ incidents: real('incidents'), citations: real('citations') });
    await dispatch(h, 'history.undo', {});
    expect(events.at(-1)!.counts).toEqual({ plots });
    await dispatch(h, 'history.redo', {});
    expect(events.at(-1)!.counts).toEqual({ plots: plots + 1 });
    expect(added.ok).toBe(true);

    const info = await dispatch(h, 'app.info', {});
    const all = Object.fromEntries(TABLES.map((t) => [t, real(t)]));
    expect(info.ok && (info.value as { caseFile: { counts: Record<string, number> } }).caseFile.counts).toEqual(all);
  });
});
