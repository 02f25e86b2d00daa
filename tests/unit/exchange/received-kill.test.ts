import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseFile } from '../../../src/core/write/case-file';
import { createCaseFileDb } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { tempDir } from '../../helpers';

const BIN = fileURLToPath(new URL('../../../bin/casefile.mjs', import.meta.url));

/** A colleague's file large enough that its check takes a moment, so that a merge can be killed during it. */
function theirs(dir: string): string {
  const path = join(dir, 'from-colleague.casefile');
  const db = createCaseFileDb(path);
  const cf = new CaseFile(db, path, () => 'Colleague', 'b2b2b2b2b2b2');
  cf.create('incidents', { description: 'seed', country: 'Afghanistan' });
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
    INSERT INTO incidents (id, created_at, updated_at, author, hlc, date, country, description)
    SELECT printf('%08x-0000-7000-8000-%012x', i, i), '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'Colleague', 'x', '2023-01-01', 'Afghanistan',
           'row ' || i || ' ' || hex(randomblob(80)) FROM n`,
  ).run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return path;
}

/** Folders under dir whose name starts with `received-`, at any depth. */
function receivedDirs(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names.filter((n) => /(^|\/)received-[^/]+$/.test(n)).map((n) => join(dir, n));
}

describe("a merge killed while it checks the colleague's file", { timeout: 120_000 }, () => {
  it('left its private copy only in the private folder, and the next start removes it', async () => {
    const dir = tempDir();
    const config = join(dir, 'config');
    const mine = join(dir, 'mine.casefile');
    createCaseFileDb(mine).close();
    const other = theirs(dir);
    const inTmpBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('casefile-received-')));

    const child = spawn(process.execPath, [BIN, 'merge', mine, other, '--dry-run'], {
      env: { ...process.env, CASEFILE_CONFIG_DIR: config },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, s) => res(s)));
    let done = false;
    void exited.then(() => (done = true));
    const until = Date.now() + 60_000;
    for (;;) {
      if (done) throw new Error('the merge finished before it could be killed');
      if (Date.now() > until) throw new Error('no private copy appeared');
      const copies = receivedDirs(join(config, 'exports')).flatMap((d) => readdirSync(d).map((f) => join(d, f)));
      if (copies.some((f) => f.endsWith('.casefile') && existsSync(f) && statSync(f).size > 0)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Nothing new in the shared temp folder; the copy sits in this user's private folder.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('casefile-received-') && !inTmpBefore.has(n))).toEqual([]);
    expect(receivedDirs(join(config, 'exports')).length).toBe(1);
    for (const d of readdirSync(join(config, 'exports')))
      expect(statSync(join(config, 'exports', d)).mode & 0o077).toBe(0);

    new Session(config, 'browser');
    expect(receivedDirs(join(config, 'exports'))).toEqual([]);
  });
});
