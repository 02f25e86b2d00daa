import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { receiveCaseFile } from '../../../src/core/exchange/received';
import { SCHEMA_VERSION } from '../../../src/core/db/migrations';
import { createCaseFileDb, inspectCaseFile } from '../../../src/core/db/open';
import { Session } from '../../../src/core/session';
import { tempDir } from '../../helpers';
import { bytesOf, cli } from '../exchange/received-files';

const BINDING = createRequire(import.meta.url).resolve('better-sqlite3');
const NOTES = 8000;

/**
 * What a kill in the moment after an import commits leaves: a child process commits NOTES notes
 * (their text, search index and all, in its -wal), then copies the log into the file (a passive
 * checkpoint, as the import's worker does) and is killed with SIGKILL while the file grows. Page 1
 * already counts every page, the file has only some of them, and the -wal holds the rest.
 */
async function killedInCheckpoint(): Promise<string> {
  const f = join(tempDir(), 'case.casefile');
  createCaseFileDb(f).close();
  const before = statSync(f).size;
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(BINDING)});
       const db = new Database(${JSON.stringify(f)});
       db.pragma('wal_autocheckpoint = 0');
       const add = db.prepare("INSERT INTO notes (id, created_at, updated_at, author, hlc, title, body) VALUES (?, 't', 't', 'Analyst', 'h', ?, ?)");
       db.transaction(() => { for (let i = 0; i < ${NOTES}; i++) add.run('0190a6f0-0000-7000-8000-' + String(i).padStart(12, '0'), 'note ' + i, 'text of note ' + i + ' '.repeat(1500)); })();
       process.stdout.write('committed\\n');
       process.stdin.once('data', () => db.pragma('wal_checkpoint(PASSIVE)'));`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise((r) => child.on('exit', r));
  await new Promise((r) => child.stdout!.once('data', r));
  child.stdin!.write('go\n');
  // Killed as soon as the checkpoint has written some pages past the old end of the file.
  const until = Date.now() + 20_000;
  while (statSync(f).size < before + 50 * 4096 && Date.now() < until);
  child.kill('SIGKILL');
  await exited;
  return f;
}

const header = (f: string) => {
  const b = readFileSync(f);
  return { size: b.length, declared: b.readUInt32BE(28) * b.readUInt16BE(16) };
};
const notesIn = (f: string) => {
  const db = new Database(f, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) n FROM notes').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('a file whose checkpoint was killed', { timeout: 180_000 }, () => {
  it('opens with every row, on this machine and when received, since its -wal completes it', async () => {
    const f = await killedInCheckpoint();
    const h = header(f);
    expect(h.size).toBeLessThan(h.declared); // the state a kill in the checkpoint leaves
    expect(statSync(`${f}-wal`).size).toBeGreaterThan(h.declared - h.size);

    expect(inspectCaseFile(f)).toBe(SCHEMA_VERSION);
    const info = await cli('info', f, '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out)).toMatchObject({ integrity: 'ok', counts: { notes: NOTES } });

    // From someone else: recovered in the private copy; the sent file and its log stay as they are.
    const sent = bytesOf(f);
    const r = await receiveCaseFile(f);
    try {
      expect(r.version).toBe(SCHEMA_VERSION);
      expect(existsSync(`${r.path}-wal`)).toBe(false);
      expect(header(r.path).size).toBe(header(r.path).declared);
      expect(notesIn(r.path)).toBe(NOTES);
    } finally {
      r.dispose();
    }
    expect(bytesOf(f)).toEqual(sent);

    // The analyst's own file: opened in place, SQLite finishes the checkpoint.
    const s = new Session(join(tempDir(), 'config'), 'browser');
    s.open(f);
    expect((s.caseFile.db.prepare('SELECT count(*) n FROM notes').get() as { n: number }).n).toBe(NOTES);
    s.close();
    expect(header(f).size).toBe(header(f).declared);
    expect(inspectCaseFile(f)).toBe(SCHEMA_VERSION);
  });

  it('is still refused as truncated when its -wal lacks the commit that completes it', async () => {
    const f = await killedInCheckpoint();
    const cut = join(tempDir(), 'cut.casefile');
    copyFileSync(f, cut);
    copyFileSync(`${f}-wal`, `${cut}-wal`);
    // The log loses its end, and with it the commit frame: SQLite uses none of it.
    truncateSync(`${cut}-wal`, Math.floor(statSync(`${cut}-wal`).size / 2));
    expect(() => inspectCaseFile(cut)).toThrow(
      /cut.casefile is damaged: it is truncated \(\d+ bytes, the header says \d+\), and its -wal does not complete it/,
    );
    await expect(receiveCaseFile(cut)).rejects.toThrow(/cut.casefile is damaged: it is truncated/);
    // Without its log, the same file is refused before anything is copied.
    const bare = join(tempDir(), 'bare.casefile');
    copyFileSync(f, bare);
    await expect(receiveCaseFile(bare)).rejects.toThrow(
      /bare.casefile is damaged: it is truncated \(\d+ bytes, the header says \d+\), and no -wal beside it completes it; nothing was copied/,
    );
  });
});
