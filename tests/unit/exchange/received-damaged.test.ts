import Database from 'better-sqlite3';
import { closeSync, copyFileSync, openSync, readdirSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CasefileError } from '../../../src/core/errors';
import { prepareMerge } from '../../../src/core/exchange/merge';
import { runWithTimeout } from '../../../src/core/exchange/received';
import { session, tempDir } from '../../helpers';
import { bytesOf, cleanExport, cli, fixture } from './received-files';

let clean: string;
let dispose: () => void;
beforeAll(async () => {
  ({ clean, dispose } = await cleanExport());
}, 120_000);
afterAll(() => dispose());

/** Runs fn with os.tmpdir() pointing at an empty folder of its own; returns what was left in it. */
async function inOwnTmp(fn: () => Promise<unknown>): Promise<string[]> {
  const dir = tempDir();
  const was = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await fn();
  } finally {
    if (was === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = was;
  }
  return readdirSync(dir);
}

describe('a received file that is damaged', { timeout: 180_000 }, () => {
  it('is refused when a -wal from another file makes its index disagree with its table, and info exits non-zero', async () => {
    // Another case file, same origin, whose log rewrote the date index after its dates changed.
    const other = fixture(clean, 'other.casefile');
    const db = new Database(other);
    db.exec("UPDATE incidents SET date = '1999-01-01'");
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('REINDEX incidents_date');
    const f = join(tempDir(), 'received.casefile');
    copyFileSync(clean, f);
    copyFileSync(`${other}-wal`, `${f}-wal`);
    db.close();

    const info = await cli('info', f, '--json');
    expect(info.code).toBe(1);
    expect(info.err).toMatch(
      /^casefile: received.casefile is damaged: row 1 missing from index incidents_date; row 2 missing from index incidents_date; row 3 missing from index incidents_date \(and \d+ more problems\)\n$/,
    );
    expect(JSON.parse(info.out).integrity).toMatch(/^row 1 missing from index incidents_date/);

    const { s } = session({ demo: true });
    try {
      const mine = s.caseFile.path;
      const before = bytesOf(mine);
      await expect(prepareMerge(mine, f)).rejects.toThrow(
        /received.casefile is damaged: row 1 missing from index incidents_date/,
      );
      const merge = await cli('merge', mine, f, '--prefer', 'theirs');
      expect(merge.code).toBe(1);
      expect(merge.err).toMatch(/received.casefile is damaged: row 1 missing from index incidents_date/);
      expect(bytesOf(mine)).toEqual(before);
    } finally {
      s.close();
    }
  });

  it('is refused by its declared size before anything is copied: a 4 GB sparse file holding some hundred pages', async () => {
    const f = fixture(clean, 'sparse.casefile');
    truncateSync(f, 4 * 1024 ** 3); // takes no disk space
    const { s } = session({ demo: true });
    try {
      const left = await inOwnTmp(() =>
        expect(prepareMerge(s.caseFile.path, f)).rejects.toThrow(
          /^sparse.casefile is damaged: its size \(4294967296 bytes\) does not match its header \(\d+ pages of 4096 bytes\): the file is 4.0 GB long, its header declares \d+ KB; nothing was copied$/,
        ),
      );
      expect(left).toEqual([]);

      // A header that declares more than Casefile opens: 2^31 pages of 64 KB.
      const g = fixture(clean, 'declares-huge.casefile');
      const fd = openSync(g, 'r+');
      writeSync(fd, Buffer.from([0x00, 0x01]), 0, 2, 16);
      writeSync(fd, Buffer.from([0x80, 0, 0, 0]), 0, 4, 28);
      closeSync(fd);
      const left2 = await inOwnTmp(() =>
        expect(prepareMerge(s.caseFile.path, g)).rejects.toThrow(
          /^declares-huge.casefile declares 131072.0 GB in its header \(2147483648 pages of 65536 bytes\); Casefile opens case files up to 32.0 GB; nothing was copied$/,
        ),
      );
      expect(left2).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('is refused when its header counts pages that nothing uses (integrity_check passes it)', async () => {
    // A sparse 64 MB whose header counts all of it: past the real pages, zeros that no table,
    // index or free list refers to, and that SQLite's integrity_check does not count here.
    const f = fixture(clean, 'padded-header.casefile');
    const real = statSync(f).size / 4096;
    truncateSync(f, 64 * 1024 ** 2);
    const fd = openSync(f, 'r+');
    const count = Buffer.alloc(4);
    count.writeUInt32BE(16384);
    writeSync(fd, count, 0, 4, 28);
    closeSync(fd);
    const { s } = session({ demo: true });
    try {
      await expect(prepareMerge(s.caseFile.path, f)).rejects.toThrow(
        `padded-header.casefile is damaged: ${16384 - real} of its 16384 pages belong to no table, index or free list`,
      );
    } finally {
      s.close();
    }
  });

  it("is refused when a row breaks one of Casefile's CHECK constraints (a read-only integrity_check skips them)", async () => {
    const f = fixture(clean, 'bad-op.casefile', (db) => {
      db.pragma('ignore_check_constraints = ON');
      db.prepare("UPDATE change_log SET op = 'bogus' WHERE seq = (SELECT min(seq) FROM change_log)").run();
    });
    const { s } = session({ demo: true });
    try {
      await expect(prepareMerge(s.caseFile.path, f)).rejects.toThrow(
        'bad-op.casefile is damaged: CHECK constraint failed in change_log',
      );
    } finally {
      s.close();
    }
  });

  it('names its problems, not the "*** in database main ***" heading of SQLite\'s list', async () => {
    const f = fixture(clean, 'scribbled.casefile');
    const probe = new Database(f, { readonly: true });
    const { pageno } = probe
      .prepare("SELECT pageno FROM dbstat WHERE name = 'incidents' AND pagetype = 'leaf' LIMIT 1")
      .get() as { pageno: number };
    probe.close();
    const fd = openSync(f, 'r+');
    // The page's cell count raised to 127: SQLite lists each cell it then finds out of range.
    writeSync(fd, Buffer.from([0x00, 0x7f]), 0, 2, (pageno - 1) * 4096 + 3);
    closeSync(fd);
    const { s } = session({ demo: true });
    try {
      const e = (await prepareMerge(s.caseFile.path, f).catch((x: unknown) => x)) as Error;
      expect(e.message).toMatch(new RegExp(`^scribbled.casefile is damaged: Tree \\d+ page ${pageno}(:| cell)`));
      expect(e.message).not.toMatch(/\*\*\*|\n/);
      const info = await cli('info', f);
      expect(info.code).toBe(1);
      expect(info.err).toMatch(/^casefile: scribbled.casefile is damaged: (?!\*\*\*)/);
    } finally {
      s.close();
    }
  });

  it('is refused with a message when the process checking it dies', async () => {
    let pid = 0;
    const onProgress = (p: { message?: string }) => {
      pid = Number(/^pid (\d+)$/.exec(p.message ?? '')?.[1] ?? pid);
      if (pid) process.kill(pid, 'SIGKILL'); // as a crash inside SQLite would end it
    };
    const e = await runWithTimeout({ kind: 'exchange-spin' }, 'Checking dying.casefile', 60_000, { onProgress }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CasefileError);
    expect((e as Error).message).toBe(
      'Checking dying.casefile stopped unexpectedly (SIGKILL); nothing was opened or changed',
    );
  });
});
