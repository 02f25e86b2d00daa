import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseFile } from '../../../src/core/write/case-file';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { createCaseFileDb } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { tempDir } from '../../helpers';

const BIN = fileURLToPath(new URL('../../../bin/casefile.mjs', import.meta.url));
const DELETED = 'DELETED-SECRET-7f3a';
const OVERWRITTEN = 'OVERWRITTEN-SECRET-9b2c';

/**
 * A case file with deleted incidents and an overwritten description (their text is in its
 * history), and 100,000 more incidents so that an export takes long enough to be killed midway.
 */
function bigCaseFile(dir: string): string {
  const path = join(dir, 'big.casefile');
  const db = createCaseFileDb(path);
  const cf = new CaseFile(db, path, () => 'Test Analyst', 'a1a1a1a1a1a1');
  const x = cf.create('incidents', { description: DELETED, country: 'Afghanistan' });
  cf.delete('incidents', [x.id as string]);
  const y = cf.create('incidents', { description: OVERWRITTEN });
  cf.update('incidents', y.id as string, { description: 'now public' });
  const hlc = cf.clock.tick();
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO incidents (id, created_at, updated_at, author, hlc, date, country, description)
      SELECT printf('%08x-0000-7000-8000-%012x', i, i), '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'Test Analyst', ?, '2023-01-01', 'Afghanistan',
             'padding row ' || i || ' ' || hex(randomblob(60)) FROM n`,
    ).run(hlc);
    db.prepare(
      `INSERT INTO change_log (hlc, txn, author, tbl, row_id, op) SELECT ?, 'bulk', 'Test Analyst', 'incidents', id, 'insert' FROM incidents WHERE description LIKE 'padding%'`,
    ).run(hlc);
    // And as many incidents deleted since (an import taken back): their text is in the history only.
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO change_log (hlc, txn, author, tbl, row_id, op, before)
      SELECT ?, 'bulk-delete', 'Test Analyst', 'incidents', printf('%08x-0000-7000-9000-%012x', i, i), 'delete',
             json_object('description', '${DELETED} ' || i || ' ' || hex(randomblob(40))) FROM n`,
    ).run(hlc);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  expect(readFileSync(path).includes(DELETED)).toBe(true);
  return path;
}

/** A file's size, or -1 when it is gone: the running export creates and deletes journals while it is watched. */
function sizeOf(f: string): number {
  try {
    const s = statSync(f);
    return s.isFile() ? s.size : -1;
  } catch {
    return -1;
  }
}

/** Every file under dir, recursively (a file deleted while it is listed is left out). */
function files(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return []; // not there yet, or a subfolder went while it was listed: the next poll looks again
  }
  return names.map((f) => join(dir, f)).filter((f) => sizeOf(f) >= 0);
}
const holdsDeletedText = (f: string) => {
  const b = readFileSync(f);
  return b.includes(DELETED) || b.includes(OVERWRITTEN);
};

/** Runs the command line in a child process and SIGKILLs it as soon as `when` holds of the files it writes. */
async function killMidway(
  args: string[],
  config: string,
  watch: string[],
  when: (f: string) => boolean,
): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CASEFILE_CONFIG_DIR: config },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (done) throw new Error('the export finished before it could be killed');
    if (Date.now() > deadline) throw new Error('the export never reached the point to kill it at');
    if (watch.flatMap(files).some(when)) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

const shm: string[] = [];
afterEach(() => {
  for (const d of shm.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('an export killed midway', { timeout: 240_000 }, () => {
  it('leaves nothing that holds deleted text beside the target, and the next start removes the private leftover', async () => {
    const dir = tempDir();
    const file = bigCaseFile(dir);
    const dest = join(dir, 'shared-folder');
    const config = join(dir, 'config');
    mkdirSync(dest);
    // Killed while the full copy is being cleaned (its rollback journal open): it still holds everything.
    // (While the copy is written its journal stays a header; cleaning fills it with the pages it changes.)
    await killMidway(
      ['export', file, '--format', 'casefile', '--out', join(dest, 'for-colleague.casefile')],
      config,
      [dest, join(config, 'exports')],
      (f) => f.endsWith('-journal') && sizeOf(f) > 256 * 1024,
    );

    expect(files(dest).filter(holdsDeletedText)).toEqual([]);
    expect(readdirSync(dest)).toEqual([]);
    const leftovers = files(join(config, 'exports'));
    expect(leftovers.some(holdsDeletedText)).toBe(true);
    // The private folder is this user's only.
    for (const d of readdirSync(join(config, 'exports')))
      expect(statSync(join(config, 'exports', d)).mode & 0o077).toBe(0);

    // The next start (the app's or browser mode's session) removes what the killed run left.
    new Session(config, 'browser');
    expect(files(join(config, 'exports'))).toEqual([]);
    expect(readdirSync(join(config, 'exports'))).toEqual([]);
  });

  it('CSV: a killed export leaves no half-written file beside the target; the next command removes the private one', async () => {
    const dir = tempDir();
    const file = bigCaseFile(dir);
    const dest = join(dir, 'shared-folder');
    const config = join(dir, 'config');
    mkdirSync(dest);
    await killMidway(
      ['export', file, '--table', 'incidents', '--format', 'csv', '--out', join(dest, 'incidents.csv')],
      config,
      [dest, join(config, 'exports')],
      (f) => sizeOf(f) > 1024 * 1024,
    );

    expect(readdirSync(dest)).toEqual([]);
    expect(files(join(config, 'exports')).length).toBe(1);

    // The next run of the command line sweeps first, and leaves only its finished export.
    const next = spawnSync(
      process.execPath,
      [
        BIN,
        'export',
        file,
        '--table',
        'incidents',
        '--format',
        'csv',
        '--out',
        join(dest, 'incidents.csv'),
        '--where',
        'country=Nowhere',
      ],
      {
        env: { ...process.env, CASEFILE_CONFIG_DIR: config },
        encoding: 'utf8',
      },
    );
    expect(next.stderr).toBe('');
    expect(next.status).toBe(0);
    expect(readdirSync(dest)).toEqual(['incidents.csv']);
    expect(files(join(config, 'exports'))).toEqual([]);
  });

  it('builds in the private folder on another volume too: the target folder receives only the finished, cleaned file', async () => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tempDir()).dev) return;
    const dir = tempDir();
    const config = mkdtempSync('/dev/shm/casefile-config-');
    shm.push(config);
    const file = join(dir, 'small.casefile');
    const db = createCaseFileDb(file);
    const cf = new CaseFile(db, file, () => 'Test Analyst', 'a1a1a1a1a1a1');
    const x = cf.create('incidents', { description: DELETED });
    cf.delete('incidents', [x.id as string]);
    db.close();
    new Session(config, 'browser');
    const out = join(dir, 'out', 'for-colleague.casefile');
    mkdirSync(join(dir, 'out'));
    await exportCaseFile(file, out, { checked: true });
    expect(readdirSync(join(dir, 'out'))).toEqual(['for-colleague.casefile']);
    expect(holdsDeletedText(out)).toBe(false);
    expect(files(join(config, 'exports'))).toEqual([]);

    // A copy cut on its way leaves a temporary file beside the target and a marker naming it: both go at the next start.
    const dead = join(config, 'exports', '999999-0badc0de');
    mkdirSync(dead, { recursive: true });
    const cut = join(dir, 'out', `.for-colleague.casefile.999999.0badc0de.tmp`);
    writeFileSync(cut, 'half a copy');
    writeFileSync(join(dead, '0badc0de.dest'), cut);
    new Session(config, 'browser');
    expect(existsSync(cut)).toBe(false);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual(['for-colleague.casefile']);
  });
});
