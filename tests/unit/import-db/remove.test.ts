import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { removeImport } from '../../../src/core/import/past-imports';
import { checkSummaries, rebuildSummaries } from '../../../src/core/dashboard/summaries';
import type { Db } from '../../../src/core/db/open';
import { session } from '../../helpers';
import { writeAcledCsv } from './acled-gen';
import { fixture } from './helpers';

type Ev = { event: string; payload: Record<string, unknown> };

const n = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const incidents = (db: Db) => n(db, 'SELECT count(*) FROM incidents');
const citedIncidents = (db: Db) => n(db, "SELECT count(*) FROM citations WHERE target_table = 'incidents'");

describe('removing the rows of an earlier import', { timeout: 60_000 }, () => {
  it('lists imports newest first, removes the incidents one added (edited or not) with their citations, and undoes as one step', async () => {
    const { s } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const events: Ev[] = [];
    s.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
    const cf = s.caseFile;
    const mine = cf.create('incidents', { date: '2024-01-02', location: 'Entered by hand', country: 'Afghanistan' });

    const first = await dispatch(h, 'import.run', { path: fixture('acled-current.csv') });
    expect(first).toMatchObject({ ok: true, value: { imported: 5 } });
    const history = await dispatch(h, 'import.past', {});
    expect(history).toMatchObject({
      ok: true,
      value: {
        items: [
          {
            file: 'acled-current.csv',
            format: 'acled',
            imported: 5,
            updated: 0,
            author: 'Test Analyst',
            removable: true,
            removed: null,
          },
        ],
      },
    });
    const txn = (history as { value: { items: { txn: string }[] } }).value.items[0]!.txn;
    // A settlement of conflicts is recorded beside imports; it is not an import.
    cf.setMeta(
      'import:01900000-0000-7000-8000-000000000000',
      JSON.stringify({ kind: 'conflicts-taken', at: '2024-01-01T00:00:00Z' }),
    );
    cf.setMeta('import:01900000-0000-7000-8000-000000000001', 'not json');
    expect(((await dispatch(h, 'import.past', {})) as { value: { items: unknown[] } }).value.items).toHaveLength(1);
    // An import larger than one removal can take is listed as not removable (the button is off, and says why).
    cf.setMeta(
      'import:01900000-0000-7000-8000-000000000002',
      JSON.stringify({ file: 'global.csv', format: 'acled', imported: 300_000, updated: 0 }),
    );
    expect(
      ((await dispatch(h, 'import.past', {})) as { value: { items: unknown[] } }).value.items.at(-1),
    ).toMatchObject({ file: 'global.csv', removable: false });

    // The analyst edited one imported row and deleted another: the edited one goes too, the deleted one is not counted.
    const ids = cf.db
      .prepare("SELECT row_id FROM change_log WHERE txn = ? AND tbl = 'incidents' AND op = 'insert' ORDER BY seq")
      .pluck()
      .all(txn) as string[];
    expect(ids).toHaveLength(5);
    cf.update('incidents', ids[0]!, { fatalities: 99 });
    cf.delete('incidents', [ids[1]!]);
    const cited = citedIncidents(cf.db);
    const ofMine = n(cf.db, `SELECT count(*) FROM citations WHERE target_id = '${String(mine.id)}'`);
    const sources = n(cf.db, 'SELECT count(*) FROM sources');
    expect(cited).toBeGreaterThan(ofMine);

    const found = () => n(cf.db, "SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'rafidah'");
    expect(found()).toBe(1);

    events.length = 0;
    expect(await dispatch(h, 'import.remove', { txn })).toEqual({ ok: true, value: { removed: 4 } });
    expect(incidents(cf.db)).toBe(1);
    expect(cf.get('incidents', String(mine.id))).not.toBeNull();
    expect(citedIncidents(cf.db)).toBe(ofMine);
    expect(n(cf.db, 'SELECT count(*) FROM sources')).toBe(sources);
    expect(cf.history()).toMatchObject({ canUndo: true, undoLabel: 'Remove the rows of acled-current.csv' });
    const progress = events.filter((e) => e.event === 'task.progress').map((e) => e.payload);
    // Progress counts the rows it added, the one already deleted included.
    expect(progress.at(-1)).toMatchObject({
      kind: 'import-remove',
      done: 5,
      total: 5,
      message: "Removing the import's rows: 5 of 5",
    });
    // The search index forgot them too.
    expect(found()).toBe(0);

    await dispatch(h, 'history.undo', {});
    expect(incidents(cf.db)).toBe(5);
    expect(cf.get('incidents', ids[0]!)!.fatalities).toBe(99);
    expect(cf.get('incidents', ids[1]!)).toBeNull();
    expect(citedIncidents(cf.db)).toBe(cited);
    await dispatch(h, 'history.redo', {});
    expect(incidents(cf.db)).toBe(1);

    // Past the most one removal (one undo step, held in memory) can take: refused, nothing removed.
    await dispatch(h, 'history.undo', {});
    await expect(removeImport(cf, txn, {}, 4)).rejects.toThrow(
      'acled-current.csv added 5 incidents, more than one removal can take (4): a removal is one step that Undo can bring back, and it is held in memory for that. Nothing was removed.',
    );
    expect(incidents(cf.db)).toBe(5);
    // A record that says fewer than its log holds (a forged file) is held to the bound by the log: rolled back.
    const record = JSON.parse(
      String(cf.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(`import:${txn}`)),
    ) as Record<string, unknown>;
    cf.setMeta(`import:${txn}`, JSON.stringify({ ...record, imported: 1 }));
    await expect(removeImport(cf, txn, {}, 4)).rejects.toThrow(
      /^acled-current\.csv added 5 incidents, more than one removal can take \(4\)/,
    );
    expect(incidents(cf.db)).toBe(5);
    expect(await dispatch(h, 'import.remove', { txn: 'no-such-import' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'That import is not recorded in this case file' },
    });
    s.close();
  });

  it('stops when asked and leaves the case file as it was', async () => {
    const { s, dir } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const cf = s.caseFile;
    const data = join(dir, 'acled.csv');
    writeAcledCsv(data, { rows: 4000 });
    expect(await dispatch(h, 'import.run', { path: data })).toMatchObject({ ok: true, value: { imported: 4000 } });
    const txn = listTxn(await dispatch(h, 'import.past', {}));
    const state = () => ({
      incidents: incidents(cf.db),
      cited: citedIncidents(cf.db),
      log: n(cf.db, 'SELECT count(*) FROM change_log'),
    });
    const before = state();

    let stopped = false;
    let last = '';
    s.subscribe((event, payload) => {
      const p = payload as { kind?: string; id?: string };
      if (event === 'task.progress' && p.kind === 'import-remove' && !stopped) {
        stopped = true;
        last = p.id!;
        void dispatch(h, 'tasks.cancel', { id: p.id! });
      }
    });
    expect(await dispatch(h, 'import.remove', { txn })).toEqual({
      ok: false,
      error: { code: 'refused', message: 'Cancelled' },
    });
    expect(stopped).toBe(true);
    expect(state()).toEqual(before);
    expect(cf.history().canUndo).toBe(false);
    // For good, in the worker: stopped, its transaction goes with it, and the file takes writes again.
    stopped = false;
    expect(await dispatch(h, 'import.remove', { txn, permanent: true })).toEqual({
      ok: false,
      error: { code: 'refused', message: 'Cancelled' },
    });
    expect(stopped).toBe(true);
    expect(state()).toEqual(before);
    expect(cf.create('incidents', { date: '2024-02-03', country: 'Afghanistan' })).toMatchObject({
      country: 'Afghanistan',
    });
    // Nothing is running now: stopping again says so.
    expect(await dispatch(h, 'tasks.cancel', { id: last })).toEqual({ ok: true, value: { cancelled: false } });
    s.close();
  });

  it('removes an import for good in a worker: each row logged by id alone, summaries and search right, Undo history cleared', async () => {
    const { s, dir } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const cf = s.caseFile;
    const keep = join(dir, 'keep.csv');
    const wrong = join(dir, 'wrong.csv');
    writeAcledCsv(keep, { rows: 30_000, seed: 7, idPrefix: 'KEEP' });
    writeAcledCsv(wrong, { rows: 4_500, seed: 8, idPrefix: 'WRONG' });
    expect(await dispatch(h, 'import.run', { path: keep })).toMatchObject({ ok: true, value: { imported: 30_000 } });
    expect(await dispatch(h, 'import.run', { path: wrong })).toMatchObject({ ok: true, value: { imported: 4_500 } });
    const txn = listTxn(await dispatch(h, 'import.past', {}));
    const wrongIds = cf.db
      .prepare("SELECT row_id FROM change_log WHERE txn = ? AND tbl = 'incidents' AND op = 'insert'")
      .pluck()
      .all(txn) as string[];
    const theirCitations = n(
      cf.db,
      `SELECT count(*) FROM citations WHERE target_id IN (SELECT row_id FROM change_log WHERE txn = '${txn}')`,
    );
    cf.update('incidents', wrongIds[0]!, { fatalities: 3 });
    expect(cf.history().canUndo).toBe(true);
    const events: Ev[] = [];
    s.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
    const summary = () => cf.db.prepare('SELECT * FROM dash_actor_months ORDER BY 1, 2, 3').all();
    const indexes = cf.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL ORDER BY name",
      )
      .pluck()
      .all();

    // Past the bound for one undo step (lowered to 1,000 here): refused as such, for good it goes.
    await expect(removeImport(cf, txn, {}, 1_000)).rejects.toThrow(
      /They can be removed for good instead \(no Undo\)\.$/,
    );
    // A share small enough for deltas (4,500 of 34,500), in the worker, set by set.
    expect(await dispatch(h, 'import.remove', { txn, permanent: true })).toEqual({
      ok: true,
      value: { removed: 4_500 },
    });
    expect(incidents(cf.db)).toBe(30_000);
    expect(n(cf.db, `SELECT count(*) FROM incidents WHERE external_id GLOB 'WRONG*'`)).toBe(0);
    const logged = cf.db
      .prepare("SELECT tbl, count(*) n, count(before) b FROM change_log WHERE op = 'delete' GROUP BY tbl ORDER BY tbl")
      .all();
    expect(logged).toEqual([
      { tbl: 'citations', n: theirCitations, b: 0 },
      { tbl: 'incidents', n: 4_500, b: 0 },
    ]);
    expect(n(cf.db, "SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'WRONG*'")).toBe(0);
    expect(n(cf.db, 'SELECT count(*) FROM incidents_fts')).toBe(30_000);
    const afterDeltas = summary();
    rebuildSummaries(cf.db);
    expect(summary()).toEqual(afterDeltas);
    expect(cf.history()).toMatchObject({ canUndo: false, canRedo: false });
    expect(
      (
        (await dispatch(h, 'import.past', {})) as { value: { items: { txn: string; removed: unknown }[] } }
      ).value.items.find((i) => i.txn === txn)!.removed,
    ).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      by: 'Test Analyst',
    });
    expect(events.find((e) => e.event === 'data.changed')!.payload).toMatchObject({
      tables: expect.arrayContaining(['incidents', 'citations']),
    });

    // Progress came from the worker's steps.
    expect(
      events
        .filter((e) => e.event === 'task.progress' && e.payload.kind === 'import-remove')
        .map((e) => e.payload.message),
    ).toContain('Removing the rows');
    // Most of the file: indexes set aside and made again, search and summaries rebuilt.
    expect(await dispatch(h, 'import.remove', { txn: (await listAll(h))[1]!, permanent: true })).toEqual({
      ok: true,
      value: { removed: 30_000 },
    });
    expect(incidents(cf.db)).toBe(0);
    expect(checkSummaries(cf.db)).toBe(true);
    expect(summary()).toEqual([]);
    expect(n(cf.db, 'SELECT count(*) FROM incidents_fts')).toBe(0);
    expect(
      cf.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL ORDER BY name",
        )
        .pluck()
        .all(),
    ).toEqual(indexes);
    s.close();
  });
});

async function listAll(h: ReturnType<typeof makeHandlers>): Promise<string[]> {
  return ((await dispatch(h, 'import.past', {})) as { value: { items: { txn: string }[] } }).value.items.map(
    (i) => i.txn,
  );
}

function listTxn(r: unknown): string {
  return (r as { value: { items: { txn: string }[] } }).value.items[0]!.txn;
}
