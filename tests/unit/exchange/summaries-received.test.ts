import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incidentsBy } from '../../../src/core/dashboard/incidents';
import { checkSummaries } from '../../../src/core/dashboard/summaries';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { importByCopying } from '../../../src/core/exchange/import-copy';
import { prepareCaseFile, receiveCaseFile } from '../../../src/core/exchange/received';
import { keyExpr } from '../../../src/core/dashboard/summary-defs';
import { ALL_SUMMARIES as SUMMARIES } from '../../../src/core/dashboard/summary-defs';
import type { Db } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { EMPTY_FILTER } from '../../../src/shared/contract';
import { session, tempDir } from '../../helpers';
import { merge, pair } from './pair';

/**
 * The dashboard's summary tables in files that come from elsewhere or are written without Tx:
 * a colleague's summaries are never trusted, a copy's are refilled, and an own file's stale ones
 * are fixed by the worker that checks it on open.
 */

/** Every summary, row for row, against what a group-by over the incidents gives now. */
function summariesAgree(db: Db): boolean {
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(Object.values(r as object))).sort();
  return SUMMARIES.every((d) => {
    const exprs = d.keys.map((k) => keyExpr(d, k));
    const want = db
      .prepare(
        `SELECT ${exprs.join(', ')}, count(*), coalesce(sum(fatalities), 0), count(fatalities) FROM incidents GROUP BY ${exprs.map((_, i) => i + 1).join(', ')}`,
      )
      .all();
    const got = db.prepare(`SELECT ${d.keys.join(', ')}, n, f, k FROM ${d.name}`).all();
    return JSON.stringify(sorted(got)) === JSON.stringify(sorted(want));
  });
}

/** The actors chart as the incidents give it. */
const actorsTruth = (db: Db) =>
  Object.fromEntries(
    (
      db.prepare('SELECT actor1 a, count(*) n FROM incidents WHERE actor1 IS NOT NULL GROUP BY actor1').all() as {
        a: string;
        n: number;
      }[]
    ).map((r) => [r.a, r.n]),
  );
const actorsChart = (db: Db) =>
  Object.fromEntries(incidentsBy(db, 'actor1', EMPTY_FILTER, 1000).bars.map((b) => [b.label, b.value]));

/**
 * Moves one incident's count from one actor's row to another's in dash_actors: every total
 * stays right, so a totals check passes, and the actors chart lies.
 */
function forge(path: string): void {
  const db = new Database(path);
  try {
    const a = db.prepare('SELECT rowid FROM dash_actors WHERE n >= 2 ORDER BY n DESC LIMIT 1').pluck().get() as number;
    const b = db
      .prepare('SELECT rowid FROM dash_actors WHERE rowid <> ? ORDER BY rowid LIMIT 1')
      .pluck()
      .get(a) as number;
    db.prepare('UPDATE dash_actors SET n = n - 1 WHERE rowid = ?').run(a);
    db.prepare('UPDATE dash_actors SET n = n + 1 WHERE rowid = ?').run(b);
    expect(checkSummaries(db)).toBe(true);
    expect(summariesAgree(db)).toBe(false);
  } finally {
    db.close();
  }
}

describe('summaries of files from elsewhere', () => {
  it('never trusts a file whose summaries were forged per group (totals right): merge and open show the true charts', async () => {
    const { me, them, dir, theirs } = await pair();
    const cf = them.caseFile;
    for (let i = 0; i < 3; i++)
      cf.create('incidents', {
        actor1: 'Forged Front',
        country: 'Iran',
        date: '2023-05-0' + (i + 1),
        date_precision: 'day',
        attribution: 'unknown',
      });
    cf.create('incidents', {
      actor1: 'Quiet Cell',
      country: 'Iran',
      date: '2023-06-01',
      date_precision: 'day',
      attribution: 'unknown',
    });
    them.close();
    forge(theirs);

    // The private copy a merge reads keeps the forged summaries (it is not opened, and they are
    // never read): the merge brings this file's own summaries along row by row.
    const received = await receiveCaseFile(theirs);
    try {
      const copy = new Database(received.path, { readonly: true });
      expect(summariesAgree(copy)).toBe(false);
      copy.close();
    } finally {
      received.dispose();
    }

    await merge(me, theirs);
    expect(summariesAgree(me.caseFile.db)).toBe(true);
    expect(actorsChart(me.caseFile.db)).toEqual(actorsTruth(me.caseFile.db));
    expect(actorsChart(me.caseFile.db)['Forged Front']).toBe(3);

    // Opened in place as a colleague's file: rebuilt in the worker, not trusted on its totals.
    const other = new Session(join(dir, 'config-other'), 'browser');
    await other.openChecked(theirs, { untrusted: true });
    expect(summariesAgree(other.caseFile.db)).toBe(true);
    expect(actorsChart(other.caseFile.db)).toEqual(actorsTruth(other.caseFile.db));
    other.close();
    me.close();
  });

  it('fixes an own file with stale summaries in the worker that checks it, and then leaves it alone', async () => {
    const { s, file } = session({ demo: true });
    s.close();
    const db = new Database(file);
    db.exec(
      'DELETE FROM dash_actors WHERE rowid = (SELECT min(rowid) FROM dash_actors); UPDATE dash_days SET f = f + 7 WHERE rowid = (SELECT min(rowid) FROM dash_days)',
    );
    expect(checkSummaries(db)).toBe(false);
    db.close();

    expect(await prepareCaseFile(file, { migrate: true })).toMatchObject({ wrote: true });
    const fixed = new Database(file, { readonly: true });
    expect(summariesAgree(fixed)).toBe(true);
    fixed.close();
    expect(await prepareCaseFile(file, { migrate: true })).toMatchObject({ wrote: false });

    await s.openChecked(file);
    expect(summariesAgree(s.caseFile.db)).toBe(true);
    expect(actorsChart(s.caseFile.db)).toEqual(actorsTruth(s.caseFile.db));
    s.close();
  });

  it('refills the summaries of a filtered export and of an import by copying', async () => {
    const { s, file } = session({ demo: true });
    const dir = tempDir();
    const out = join(dir, 'iran.casefile');
    await exportCaseFile(file, out, { where: ['country=Iran'], attachments: false, checked: true });
    // Read as written (opening it would repair stale totals and hide a stale export).
    const sub = new Database(out, { readonly: true });
    const n = sub.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(s.caseFile.db.prepare('SELECT count(*) FROM incidents').pluck().get() as number);
    expect(summariesAgree(sub)).toBe(true);
    sub.close();
    s.close(); // its last commits are in the -wal, which a copy by import does not read

    const copied = join(dir, 'copied.casefile');
    const r = await importByCopying(file, copied);
    expect(r.copied.incidents).toBe(10);
    const db = new Database(copied, { readonly: true });
    expect(summariesAgree(db)).toBe(true);
    expect(db.prepare('SELECT sum(n) FROM dash_actors').pluck().get()).toBe(10);
    db.close();
  });
});
