import { spawnSync } from 'node:child_process';
import { join as joinPath } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/core/ids';
import { idAt, generateCase } from './generated-case';
import { noPostgres, titled, useCluster } from './use-cluster';
import { newDir, team } from './team';

const ROWS = 1_000_000;
/** Peak memory of the laptop's process (its whole RSS: Node, the driver and SQLite): a million rows are never held at once. */
const MAX_RSS_MB = 600;

/**
 * A new laptop joins a hub case of a million incidents: the whole case arrives (every row and
 * history entry, values as the hub holds them, its search index built), the laptop's process
 * stays within a bounded memory, and the time is printed. The pull runs in a process of its own
 * (the bench's laptop step, bench/hub-child.ts: the same syncCaseFile the app calls) so that its
 * peak memory is the pull's alone.
 */
describe.skipIf(noPostgres)(titled('a pull of a million rows'), { timeout: 180_000 }, () => {
  const cluster = useCluster();

  it('a new laptop takes a million-incident case whole, in bounded memory', async () => {
    const hub = await team(cluster(), ['ana']);
    const admin = await cluster().admin(hub.db);
    const caseId = uuidv7();
    const t0 = performance.now();
    try {
      await generateCase(admin, { caseId, rows: ROWS, member: 'ana' });
    } finally {
      await admin.end();
    }
    const generated = performance.now() - t0;
    const file = joinPath(newDir(), 'ana.casefile');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        joinPath(import.meta.dirname, '../../../bench/hub-child.ts'),
        JSON.stringify({ op: 'sync', file, url: hub.url('ana'), caseId, role: 'ana' }),
      ],
      // Killed at the limit rather than left running: its time is the measure.
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      ms: number;
      peakRssMb: number;
      pulled: number;
      pushed: number;
    };
    console.log(
      `million-row pull: generating the hub case ${Math.round(generated)} ms; the new laptop's sync ${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakRssMb)} MB`,
    );
    expect(r).toMatchObject({ pulled: ROWS, pushed: 0 });
    expect(r.peakRssMb).toBeLessThan(MAX_RSS_MB);

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(ROWS);
      expect(
        db.prepare("SELECT count(*) FROM change_log WHERE tbl = 'incidents' AND op = 'insert'").pluck().get(),
      ).toBe(ROWS);
      // Values as the hub holds them, from the first, the middle and the last row.
      const row = db.prepare('SELECT * FROM incidents WHERE id = ?');
      expect(row.get(idAt(1))).toMatchObject({
        date: '2014-01-02',
        event_type: 'Explosions/Remote violence',
        actor1: 'الدولة الإسلامية',
        location: 'الموصل 1',
        latitude: 10.01,
        fatalities: 1,
        description: 'Incident 1: هجوم على نقطة تفتيش — обстріл позицій — 检查站遭到袭击 — attaque près du marché',
        author: 'Ana (import)',
        hlc: '0019ad7358401-000000-generated',
      });
      expect(row.get(idAt(500_000))).toMatchObject({ country: 'Ukraine', admin1: 'Донецька область', fatalities: 0 });
      expect(row.get(idAt(ROWS))).toMatchObject({ external_id: `GEN${ROWS}`, origin: 'generated' });
      // The search index was built: a word of every row finds every row.
      expect(db.prepare("SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'attaque'").pluck().get()).toBe(
        ROWS,
      );
    } finally {
      db.close();
    }
  });
});
