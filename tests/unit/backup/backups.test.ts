import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backupFolder, listBackups, makeBackup, readCounts } from '../../../src/core/backup/backups';
import { restoreBackup } from '../../../src/core/backup/restore';
import { backupsToKeep } from '../../../src/core/backup/rotation';
import { BackupService } from '../../../src/core/backup/service';
import { createCaseFileDb } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { SettingsStore } from '../../../src/core/settings';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session, tempDir } from '../../helpers';
import { pair } from '../exchange/pair';

const DAY = 24 * 3600 * 1000;
const at = (base: Date, days: number) => new Date(base.getTime() - days * DAY);

describe('backups of a case file', () => {
  it('rotation keeps the last ten and the newest of each of the last five weeks, with faked times', async () => {
    const { s, file } = session();
    const config = s.settings.dir;
    const now = new Date('2026-06-30T12:00:00Z');
    // One backup every third day for 45 days, oldest first, each made "then" (rotated then, too).
    const ages = Array.from({ length: 16 }, (_, i) => 45 - 3 * i);
    for (const age of ages) await makeBackup(config, file, { reason: 'open', now: at(now, age) });
    const kept = listBackups(config, file).map((b) => Math.round((now.getTime() - Date.parse(b.at)) / DAY));
    // The ten newest (0 to 27 days old), then the newest of the fifth week (28 to 34 days: 30); nothing older.
    expect(kept).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    const files = readdirSync(backupFolder(config, file));
    expect(files.filter((f) => f.endsWith('.casefile'))).toHaveLength(11);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(11);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('rotation stays within the size budget, and always keeps the newest', () => {
    const now = new Date('2026-06-30T12:00:00Z');
    const entries = Array.from({ length: 5 }, (_, i) => ({ path: `b${i}`, at: at(now, i).toISOString(), size: 400 }));
    expect([...backupsToKeep(entries, now, { keepLast: 10, weeks: 5, budgetBytes: 1000 })]).toEqual(['b0', 'b1']);
    expect([
      ...backupsToKeep([{ path: 'huge', at: now.toISOString(), size: 5000 }], now, {
        keepLast: 10,
        weeks: 5,
        budgetBytes: 1000,
      }),
    ]).toEqual(['huge']);
  });

  it('a backup of a file with a -wal holds the rows only the WAL has', async () => {
    const dir = tempDir();
    const file = join(dir, 'live.casefile');
    const s = new Session(join(dir, 'config'), 'browser');
    s.create(file, false);
    const db = s.caseFile.db;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 25; i++) s.caseFile.create('incidents', { description: `only in the WAL ${i}` });
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    // The main file alone has none of them: a copy of it would lose them all.
    const plain = join(dir, 'plain-copy.casefile');
    writeFileSync(plain, (await import('node:fs')).readFileSync(file));
    expect(readCounts(plain).counts.incidents).toBe(0);
    const b = await makeBackup(join(dir, 'config'), file, { reason: 'manual' });
    s.close();
    expect(b.counts.incidents).toBe(25);
    expect(readCounts(b.path).counts.incidents).toBe(25);
    expect(existsSync(`${b.path}-wal`)).toBe(false);
  });

  it('two case files with the same name in different folders keep separate backups', async () => {
    const dir = tempDir();
    const config = join(dir, 'config');
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const a = join(dir, 'a', 'isis.casefile');
    const b = join(dir, 'b', 'isis.casefile');
    createCaseFileDb(a).close();
    const s = new Session(config, 'browser');
    s.create(b, true);
    s.close();
    await makeBackup(config, a, { reason: 'manual' });
    await makeBackup(config, b, { reason: 'manual' });
    expect(backupFolder(config, a)).not.toBe(backupFolder(config, b));
    expect(listBackups(config, a).map((x) => x.counts.incidents)).toEqual([0]);
    expect(listBackups(config, b).map((x) => x.counts.incidents)).toEqual([10]);
  });

  it('restores into a new file, never over an existing one, and the result opens with its rows', async () => {
    const { s, dir, file } = session();
    const b = await s.backups.now(file);
    s.caseFile.delete('incidents', [
      String((s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id),
    ]);
    await expect(restoreBackup(b.path, file)).rejects.toThrow(/already exists.*never over one/);
    const out = join(dir, 'restored.casefile');
    await expect(restoreBackup(b.path, out)).resolves.toBe(out);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const info = await s.openChecked(out);
    expect(info.counts.incidents).toBe(10);
    await s.backups.pending;
    s.close();
  });

  it('on open, makes at most one backup a day, and none when backups are off', async () => {
    const { s, file } = session();
    const day = new Date('2026-03-10T09:00:00');
    expect(await s.backups.onOpened(file, day)).not.toBeNull();
    expect(await s.backups.onOpened(file, new Date('2026-03-10T17:00:00'))).toBeNull();
    expect(await s.backups.onOpened(file, new Date('2026-03-11T08:00:00'))).not.toBeNull();
    s.settings.update({ backups: { enabled: false, keep: 10 } });
    expect(await s.backups.onOpened(file, new Date('2026-03-12T08:00:00'))).toBeNull();
    expect(s.backups.list(file)).toHaveLength(2);
  });

  it('a merge or removal whose backup cannot be made is refused, saying why', async () => {
    const { dir, file } = session();
    const config = join(dir, 'blocked');
    const settings = new SettingsStore(config);
    writeFileSync(join(config, 'backups'), 'a file where the folder should be');
    const service = new BackupService(settings);
    await expect(service.before(file, 'merge')).rejects.toThrow(
      /No backup could be made before this merge .*nothing was merged/,
    );
    expect(service.lastError).toMatch(/failed/);
  });

  it('a file the app opens gets its daily backup (the app path: openChecked)', async () => {
    const { s, file } = session();
    await s.openChecked(file);
    const made = await s.backups.pending;
    expect(made?.reason).toBe('open');
    expect(s.backups.list(file)).toHaveLength(1);
    const db = new Database(made!.path, { readonly: true });
    expect((db.prepare('SELECT count(*) n FROM incidents').get() as { n: number }).n).toBe(10);
    db.close();
  });
});

describe('backups before a merge', () => {
  it('a merge applied in the app is preceded by a backup holding the case file as it was', async () => {
    const { me, them, theirs } = await pair();
    them.caseFile.create('incidents', { description: 'brought by the merge' });
    them.close();
    const h = makeHandlers(me, 't');
    const preview = await dispatch(h, 'exchange.preview', { path: theirs });
    const planId = (preview as { value: { planId: string } }).value.planId;
    const done = await dispatch(h, 'exchange.apply', { planId, resolutions: {}, acceptNonConflicting: true });
    expect(done).toMatchObject({ ok: true, value: { added: 1, applied: true } });
    const [b] = me.backups.list(me.caseFile.path);
    expect(b).toMatchObject({ reason: 'merge', counts: { incidents: 10 } });
    expect(me.caseFile.info().counts.incidents).toBe(11);
  });
});

describe('a restored backup', () => {
  it('finds by search what the case file held (the index is rebuilt on restore)', async () => {
    const { s, dir, file } = session();
    for (let i = 0; i < 30; i++) s.caseFile.create('incidents', { description: `filler ${i}` });
    const gone = s.caseFile.db
      .prepare("SELECT id FROM incidents WHERE description LIKE 'filler%' LIMIT 10")
      .pluck()
      .all() as string[];
    s.caseFile.delete('incidents', gone);
    s.caseFile.create('incidents', { description: 'zarghunshah marker' });
    const b = await s.backups.now(file);
    const out = join(dir, 'back.casefile');
    await restoreBackup(b.path, out);
    const db = new Database(out, { readonly: true });
    const hit = db
      .prepare(
        "SELECT i.description FROM incidents_fts f JOIN incidents i ON i.rowid = f.rowid WHERE incidents_fts MATCH 'zarghunshah'",
      )
      .pluck()
      .all();
    db.close();
    expect(hit).toEqual(['zarghunshah marker']);
  });
});

describe('backups before a removal for good', () => {
  it('removing an import for good is preceded by a backup that still holds its rows', async () => {
    const { s } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const csv = fileURLToPath(new URL('../../fixtures/import/acled-current.csv', import.meta.url));
    const imported = await dispatch(h, 'import.run', { path: csv });
    expect(imported.ok).toBe(true);
    const n = s.caseFile.info().counts.incidents!;
    expect(n).toBeGreaterThan(0);
    const txn = ((await dispatch(h, 'import.past', {})) as { value: { items: { txn: string }[] } }).value.items[0]!.txn;
    expect(await dispatch(h, 'import.remove', { txn, permanent: true })).toMatchObject({ ok: true });
    expect(s.caseFile.info().counts.incidents).toBe(0);
    expect(s.backups.list(s.caseFile.path)).toMatchObject([{ reason: 'removal', counts: { incidents: n } }]);
  });
});

describe('a backup cut short', () => {
  it('leaves no file listed as a backup, and its temporary file goes at a later backup', async () => {
    const { s, file } = session();
    const folder = backupFolder(s.settings.dir, file);
    mkdirSync(folder, { recursive: true });
    const stale = join(folder, '.2026-01-01T00-00-00-000Z-open.tmp');
    writeFileSync(stale, 'half a database');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, old, old);
    expect(s.backups.list(file)).toEqual([]);
    await s.backups.now(file);
    expect(existsSync(stale)).toBe(false);
    expect(s.backups.list(file)).toHaveLength(1);
  });
});
