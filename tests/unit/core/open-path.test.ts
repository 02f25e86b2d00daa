import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Session } from '../../../src/core/session';
import { describe, expect, it } from 'vitest';
import { createCaseFileDb, inspectCaseFile, migrate, openCaseFileDb } from '../../../src/core/db/open';
import { tempDir } from '../../helpers';

function emptyCaseFile(): string {
  const file = join(tempDir(), 'a.casefile');
  createCaseFileDb(file).close();
  return file;
}

/** Runs fn against the file with a raw connection (how a hostile file would be made). */
function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('opening a case file', () => {
  it('opens a file it created', () => {
    const f = emptyCaseFile();
    expect(inspectCaseFile(f)).toBe(SCHEMA_VERSION);
    openCaseFileDb(f).close();
  });

  it('refuses something that is not a database, and says so', () => {
    const f = join(tempDir(), 'notes.casefile');
    writeFileSync(f, 'Just some text. '.repeat(100));
    expect(() => inspectCaseFile(f)).toThrow(/notes.casefile is not a Casefile case file \(not an SQLite database\)/);
  });

  it('refuses an empty file and a missing one', () => {
    const f = join(tempDir(), 'empty.casefile');
    writeFileSync(f, '');
    expect(() => inspectCaseFile(f)).toThrow(/empty/);
    expect(() => inspectCaseFile(join(tempDir(), 'nope.casefile'))).toThrow(/no such file/);
  });

  it('refuses an SQLite database that Casefile did not make', () => {
    const f = join(tempDir(), 'other.sqlite');
    const db = new Database(f);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => inspectCaseFile(f)).toThrow(/not a Casefile case file/);
  });

  it('refuses a truncated file without changing it', () => {
    const f = emptyCaseFile();
    truncateSync(f, Math.floor(statSync(f).size / 2));
    const before = readFileSync(f);
    expect(() => openCaseFileDb(f)).toThrow(/truncated|damaged/);
    expect(readFileSync(f).equals(before)).toBe(true);
  });

  it('reads a file again while a checkpoint is growing it (page 1 already counts the new pages), and still refuses one that stays short', async () => {
    const f = emptyCaseFile();
    const full = readFileSync(f);
    const page = full.readUInt16BE(16);
    const short = full.subarray(0, full.length - page);
    // Mid-checkpoint: the header (page 1) says N pages, the file has N-1, and a log is live beside it.
    writeFileSync(f, short);
    writeFileSync(`${f}-wal`, Buffer.alloc(32, 1));
    // Another process finishes the checkpoint 300 ms after it is running: the last page is
    // appended (the file only grows, as under SQLite's checkpoint), then the log goes.
    writeFileSync(`${f}.last`, full.subarray(full.length - page));
    const finisher = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); console.log('ready'); setTimeout(() => { fs.appendFileSync(${JSON.stringify(f)}, fs.readFileSync(${JSON.stringify(`${f}.last`)})); fs.rmSync(${JSON.stringify(`${f}-wal`)}); }, 300)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => finisher.on('exit', r));
    await new Promise((r) => finisher.stdout!.once('data', r));
    expect(inspectCaseFile(f)).toBe(SCHEMA_VERSION);
    expect(readFileSync(f).equals(full)).toBe(true);
    await exited;
    // A file that stays short is refused, log or not (after the wait when a log is there).
    writeFileSync(f, short);
    expect(() => inspectCaseFile(f)).toThrow(/truncated/);
    writeFileSync(`${f}-wal`, Buffer.alloc(32, 1));
    const t = Date.now();
    expect(() => inspectCaseFile(f)).toThrow(/truncated/);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1900);
  });

  it('refuses a file with a corrupted page', () => {
    const f = emptyCaseFile();
    tamper(f, "INSERT INTO meta (key, value) VALUES ('title', 'x')");
    const bytes = readFileSync(f);
    // Page 2 onwards hold the tables: scribble over a b-tree page header.
    bytes.fill(0xff, 4096 + 0, 4096 + 64);
    writeFileSync(f, bytes);
    expect(() => inspectCaseFile(f)).toThrow(/damaged|malformed/);
  });

  it('refuses a file from a newer version with a message that says so', () => {
    const f = emptyCaseFile();
    tamper(f, 'PRAGMA user_version = 99');
    const before = readFileSync(f);
    expect(() => openCaseFileDb(f)).toThrow(
      new RegExp(`made by a newer Casefile \\(schema version 99; this version reads up to ${SCHEMA_VERSION}\\)`),
    );
    expect(readFileSync(f).equals(before)).toBe(true);
  });

  it('refuses a file with a trigger it did not create, before anything runs', () => {
    const f = emptyCaseFile();
    tamper(
      f,
      `CREATE TABLE evidence (x); CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM sources; END;`,
    );
    expect(() => openCaseFileDb(f)).toThrow(
      /contains a table "evidence" that Casefile did not create|contains a trigger "wipe"/,
    );
    const g = emptyCaseFile();
    tamper(g, `CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM sources; END;`);
    expect(() => openCaseFileDb(g)).toThrow(/contains a trigger "wipe" that Casefile did not create/);
  });

  it('refuses a view posing as a table, and a table whose definition was changed', () => {
    const f = emptyCaseFile();
    tamper(f, 'DROP TABLE notes; CREATE VIEW notes AS SELECT 1 AS id');
    expect(() => inspectCaseFile(f)).toThrow(/view "notes" that Casefile did not create/);
    const g = emptyCaseFile();
    const copy = join(tempDir(), 'copy.casefile');
    copyFileSync(g, copy);
    tamper(copy, 'ALTER TABLE notes ADD COLUMN extra TEXT GENERATED ALWAYS AS (upper(title)) VIRTUAL');
    expect(() => inspectCaseFile(copy)).toThrow(/table "notes" differs/);
  });
});

describe('an older case file', () => {
  it('is backed up with VACUUM INTO, then migrated, keeping its rows', () => {
    const f = join(tempDir(), 'old.casefile');
    const db = new Database(f);
    migrate(db, 0, 1);
    db.exec(
      `INSERT INTO incidents (id, created_at, updated_at, author, hlc, description) VALUES ('0190a6f0-0000-7000-8000-000000000001', 't', 't', 'a', '0000000000000-000000-aaaaaaaaaaaa', 'kept across the upgrade')`,
    );
    db.close();
    expect(inspectCaseFile(f)).toBe(1);
    const up = openCaseFileDb(f);
    expect(up.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(up.prepare("SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH 'upgrade'").get()).toEqual({
      n: 1,
    });
    up.close();
    expect(inspectCaseFile(`${f}.v1-backup`)).toBe(1);
  });

  it('opened from the File menu, is upgraded in the task worker and then opened without a second check', async () => {
    const dir = tempDir();
    const f = join(dir, 'old.casefile');
    const db = new Database(f);
    migrate(db, 0, 3);
    db.exec(
      `INSERT INTO incidents (id, created_at, updated_at, author, hlc, description) VALUES ('0190a6f0-0000-7000-8000-000000000001', 't', 't', 'a', '0000000000000-000000-aaaaaaaaaaaa', 'الكِتَابُ upgraded')`,
    );
    db.close();
    const s = new Session(join(dir, 'config'), 'browser');
    const steps: string[] = [];
    const info = await s.openChecked(f, { onProgress: (p) => steps.push(p.message ?? '') });
    expect(info.schemaVersion).toBe(SCHEMA_VERSION);
    expect(inspectCaseFile(`${f}.v3-backup`)).toBe(3);
    expect(
      s.caseFile.db.prepare("SELECT count(*) n FROM incidents_fts WHERE incidents_fts MATCH 'الكتاب'").get(),
    ).toEqual({ n: 1 });
    s.close();
  });
});
