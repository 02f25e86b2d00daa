import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPayload } from '../src/shared/contract';
import { TABLES } from '../src/shared/domain/common';
import { dispatch, makeHandlers } from '../src/core/handlers/index';
import { Session } from '../src/core/session';
import { median, type Row } from './grid-measures';

const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);

/**
 * One edit and every reread it triggers, in the core, through the real handlers of a Session on
 * the file (zod parsing and envelopes included): the editing window's rows.update, whose answer it
 * shows as is, then for each change event what another window holding the row asks for: rows.get
 * of each row named (src/renderer/src/features/grid/use-row-sync.ts); the badges take the event's
 * counts and ask nothing. Beside it, measured in the same run, the path before: the same edit, then
 * six blocks of 100 reread (rows.seek) and every table counted (app.info).
 */
export async function editMeasures(path: string): Promise<Row[]> {
  const config = mkdtempSync(join(tmpdir(), 'casefile-bench-'));
  const s = new Session(config, 'browser');
  try {
    s.open(path);
    const h = makeHandlers(s, 'bench');
    const call = async (...a: Parameters<typeof dispatch>) => {
      const r = await dispatch(...a);
      if (!r.ok) throw new Error(`${a[1]}: ${r.error.message}`);
      return r.value;
    };
    // A window opening the file counts every table once.
    await call(h, 'app.info', {});
    const events: EventPayload<'data.changed'>[] = [];
    s.subscribe((e, p) => e === 'data.changed' && events.push(p as EventPayload<'data.changed'>));
    const db = s.caseFile.db;
    const n = db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    const id = db
      .prepare('SELECT id FROM incidents WHERE rowid = (SELECT max(rowid) / 3 FROM incidents)')
      .pluck()
      .get() as string;
    let v = 0;
    const edit = () => call(h, 'rows.update', { table: 'incidents', id, values: { fatalities: ++v % 50 } });

    const now = async () => {
      await edit();
      for (const p of events.splice(0)) {
        if (!p.fields || !p.ids) throw new Error('an edit was announced as more than an update');
        for (const row of p.ids) await call(h, 'rows.get', { table: 'incidents', id: row });
      }
    };
    const before = async () => {
      await edit();
      events.length = 0;
      for (let b = 0; b < 6; b++) await call(h, 'rows.seek', { table: 'incidents', offset: b * 100, limit: 100 });
      for (const t of TABLES) db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    };
    const nowMs = await median(now, 31);
    const beforeMs = await median(before, 15);
    return [
      {
        measure: `one edit and every reread it triggers, in the core (rows.update; another window's rows.get of the row; no recount), ${n.toLocaleString('en')} incidents; before: six blocks reread and every table counted, ${ms(beforeMs)} (${(beforeMs / nowMs).toFixed(0)}x)`,
        ms: nowMs,
        targetMs: 5,
      },
    ];
  } finally {
    s.close();
    rmSync(config, { recursive: true, force: true });
  }
}
