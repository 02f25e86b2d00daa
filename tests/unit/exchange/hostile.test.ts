import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { importByCopying } from '../../../src/core/exchange/import-copy';
import { prepareMerge } from '../../../src/core/exchange/merge';
import { ReceivedRefusal, runWithTimeout } from '../../../src/core/exchange/received';
import { inspectCaseFile, MAX_CASE_FILE_BYTES } from '../../../src/core/db/open';
import type { Session } from '../../../src/core/session';
import { session, tempDir } from '../../helpers';

/**
 * Files a colleague (or someone posing as one) might send. Each is made here, at run time, from
 * a clean export of the demo case, then refused (or, by import, neutralised) with the analyst's
 * own open file byte for byte unchanged.
 */
let clean: string;
let cleanDir: string;
beforeAll(async () => {
  const { s, file } = session({ demo: true });
  // Its own folder: the helpers' temporary folders are removed after each test.
  cleanDir = mkdtempSync(join(tmpdir(), 'casefile-hostile-'));
  clean = join(cleanDir, 'clean.casefile');
  await exportCaseFile(file, clean, { checked: true });
  s.close();
}, 120_000);
afterAll(() => rmSync(cleanDir, { recursive: true, force: true }));

function fixture(name: string, sql?: string): string {
  const f = join(tempDir(), name);
  copyFileSync(clean, f);
  if (sql) {
    const db = new Database(f);
    db.exec(sql);
    db.close();
  }
  return f;
}

const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';

/** The analyst's own file (main database and WAL), as bytes. */
const snapshot = (s: Session) =>
  [s.caseFile.path, `${s.caseFile.path}-wal`].map((p) => (existsSync(p) ? readFileSync(p) : Buffer.alloc(0)));

async function refusedEverywhere(file: string, message: RegExp): Promise<void> {
  const { s } = session({ demo: true });
  const [a] = s.caseFile.db.prepare('SELECT id FROM incidents LIMIT 1').all() as { id: string }[];
  s.caseFile.update('incidents', a!.id, { fatalities: 3 }); // unsaved-looking work in the WAL
  const before = snapshot(s);
  const path = s.caseFile.path;
  await expect(prepareMerge(path, file)).rejects.toThrow(message);
  await expect(s.openChecked(file)).rejects.toThrow(message);
  expect(s.caseFile.path).toBe(path);
  expect(snapshot(s)).toEqual(before);
  expect(s.caseFile.get('incidents', a!.id)!.fatalities).toBe(3);
  s.close();
}

describe('opening what others send', { timeout: 180_000 }, () => {
  it('refuses a file that is not a database', async () => {
    const f = join(tempDir(), 'report.casefile');
    writeFileSync(f, 'Quarterly report, not a database. '.repeat(100));
    await refusedEverywhere(f, /report.casefile is not a Casefile case file \(not an SQLite database\)/);
  });

  it('refuses a truncated file, a corrupted page, and a size that does not match the header', async () => {
    const t = fixture('truncated.casefile');
    truncateSync(t, Math.floor(statSync(t).size / 2));
    await refusedEverywhere(t, /truncated.casefile is damaged: it is truncated/);

    const c = fixture('corrupt.casefile');
    const probe = new Database(c, { readonly: true });
    const { pageno } = probe
      .prepare("SELECT pageno FROM dbstat WHERE name = 'incidents' AND pagetype = 'leaf' LIMIT 1")
      .get() as { pageno: number };
    probe.close();
    const fd = openSync(c, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (pageno - 1) * 4096);
    closeSync(fd);
    await refusedEverywhere(c, /corrupt.casefile is damaged/);

    const g = fixture('padded.casefile');
    appendFileSync(g, Buffer.alloc(4096, 0x41));
    const { s } = session({ demo: true });
    await expect(prepareMerge(s.caseFile.path, g)).rejects.toThrow(
      /padded.casefile is damaged: its size \(\d+ bytes\) does not match its header/,
    );
    s.close();
  });

  it('refuses a file larger than the cap before reading it', async () => {
    const f = join(tempDir(), 'huge.casefile');
    writeFileSync(f, readFileSync(clean).subarray(0, 4096));
    truncateSync(f, MAX_CASE_FILE_BYTES + 4096); // sparse: takes no disk space
    await refusedEverywhere(f, /huge.casefile is 32.0 GB; Casefile opens case files up to 32/);
  });

  it('refuses a file from a newer Casefile', async () => {
    await refusedEverywhere(
      fixture('newer.casefile', 'PRAGMA user_version = 99'),
      /made by a newer Casefile \(schema version 99/,
    );
  });

  it('refuses a data-deleting trigger, and import by copying leaves it behind', async () => {
    const f = fixture(
      'trigger.casefile',
      'CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM incidents; END;',
    );
    await refusedEverywhere(
      f,
      /trigger.casefile contains a trigger "wipe" that Casefile did not create; it was not opened/,
    );
    const out = join(tempDir(), 'imported.casefile');
    const r = await importByCopying(f, out);
    expect(r.copied).toMatchObject({ incidents: 10, sources: 6, citations: 46 });
    expect(inspectCaseFile(out)).toBe(SCHEMA_VERSION);
    const db = new Database(out);
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE type = 'trigger'").get()).toEqual({ n: 0 });
    db.prepare(
      "INSERT INTO change_log (hlc, txn, author, tbl, row_id, op) VALUES ('0', 't', 'a', 'notes', 'x', 'insert')",
    ).run();
    expect(db.prepare('SELECT count(*) n FROM incidents').get()).toEqual({ n: 10 });
    db.close();
  });

  it('refuses a view posing as a table; import copies the real tables only', async () => {
    const f = fixture(
      'view.casefile',
      "DROP TABLE notes; CREATE VIEW notes AS SELECT '0190a6f0-0000-7000-8000-000000000001' AS id, 'Planted' AS title",
    );
    await refusedEverywhere(f, /view.casefile contains a view "notes" that Casefile did not create/);
    const r = await importByCopying(f, join(tempDir(), 'imported.casefile'));
    expect(r.copied.notes).toBe(0);
    expect(r.skipped.join('\n')).toMatch(/notes: it is not a table in this file .*none of its rows were copied/);
    expect(r.copied.incidents).toBe(10);
  });

  it('refuses a generated column calling a function, without ever computing it', async () => {
    // Were it computed (by quick_check's constraint checks, or a SELECT *), each row would allocate 500 MB.
    const f = fixture(
      'generated.casefile',
      "ALTER TABLE notes ADD COLUMN extra TEXT GENERATED ALWAYS AS (printf('%.*c', 500000000, 'x')) VIRTUAL",
    );
    await refusedEverywhere(f, /the table "notes" differs from the one Casefile creates/);
    const r = await importByCopying(f, join(tempDir(), 'imported.casefile'), { timeoutMs: 60_000 });
    expect(r.copied.notes).toBe(1);

    const g = fixture(
      'generated-title.casefile',
      "DROP TABLE notes; CREATE TABLE notes (id TEXT PRIMARY KEY, created_at TEXT, updated_at TEXT, author TEXT, hlc TEXT, title TEXT GENERATED ALWAYS AS (printf('%.*c', 1000, 'x')) VIRTUAL, body TEXT)",
    );
    const r2 = await importByCopying(g, join(tempDir(), 'imported.casefile'));
    expect(r2.skipped.join('\n')).toMatch(/notes: its column "title" is computed/);
  });

  it('refuses a runaway recursive view without ever selecting from it', async () => {
    const f = fixture(
      'runaway.casefile',
      `CREATE VIEW v AS ${RUNAWAY}; DROP TABLE plots; CREATE VIEW plots AS ${RUNAWAY}`,
    );
    const t0 = Date.now();
    await refusedEverywhere(
      f,
      /runaway.casefile contains a view "plots" that Casefile did not create, and also a view "v"/,
    );
    const r = await importByCopying(f, join(tempDir(), 'imported.casefile'), { timeoutMs: 60_000 });
    expect(r.copied.plots).toBe(0);
    expect(r.copied.incidents).toBe(10);
    // Had anything selected from either view, it would have run until the time limit.
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('stops a check whose query does not end, at the time limit, and the process running it is gone', async () => {
    const t0 = Date.now();
    let pid = 0;
    const onProgress = (p: { message?: string }) => (pid = Number(/^pid (\d+)$/.exec(p.message ?? '')?.[1] ?? pid));
    await expect(
      runWithTimeout({ kind: 'exchange-spin' }, 'Checking spin.casefile', 8000, { onProgress }),
    ).rejects.toThrow(/Checking spin.casefile took longer than 8 s and was stopped/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('offers to import (not open) a file refused for its schema, and names what was found', async () => {
    const f = fixture(
      'extra.casefile',
      'CREATE TABLE evidence (x); CREATE TRIGGER t1 AFTER DELETE ON notes BEGIN SELECT 1; END;',
    );
    const { s } = session({ demo: true });
    const e = await s.openChecked(f).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReceivedRefusal);
    expect((e as ReceivedRefusal).found).toEqual([
      'a table "evidence" Casefile did not create',
      'a trigger "t1" Casefile did not create',
    ]);
    s.close();
  });
});
