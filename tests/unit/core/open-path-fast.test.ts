import Database from 'better-sqlite3';
import { closeSync, openSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { stampOf } from '../../../src/core/clean-closes';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../src/shared/contract';
import { session } from '../../helpers';

/**
 * The analyst's own file, closed cleanly by the app after a check and unchanged since, opens
 * after the cheap checks while quick_check runs in the background (Session.openChecked); any
 * other file is checked in full first.
 */
type Heard = { event: EventName; payload: unknown };

function listen(s: ReturnType<typeof session>['s']): Heard[] {
  const heard: Heard[] = [];
  s.subscribe((event, payload) => heard.push({ event, payload }));
  return heard;
}

async function checked(heard: Heard[]): Promise<{ path: string; ok: boolean; message?: string }> {
  for (let i = 0; i < 600; i++) {
    const h = heard.find((x) => x.event === 'file.checked');
    if (h) return h.payload as { path: string; ok: boolean; message?: string };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no file.checked event');
}

/** Raises the cell count of a page of the search index's data, which opening never reads: quick_check finds it, the cheap checks do not. */
function scribble(file: string): void {
  const probe = new Database(file, { readonly: true });
  const { pageno } = probe
    .prepare("SELECT pageno FROM dbstat WHERE name = 'incidents_fts_data' AND pagetype = 'leaf' LIMIT 1")
    .get() as { pageno: number };
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([0x00, 0x7f]), 0, 2, (pageno - 1) * pageSize + 3);
  closeSync(fd);
}

/**
 * Sets a file's times back to the millisecond they had. Seconds pass through a double, whose error
 * at today's dates (a few hundred nanoseconds) can land just below the millisecond when set at its
 * start (a Date): the middle of the millisecond is read back as the same millisecond every time.
 */
function backdate(file: string, atimeMs: number, mtimeMs: number): void {
  utimesSync(file, (Math.floor(atimeMs) + 0.5) / 1000, (Math.floor(mtimeMs) + 0.5) / 1000);
}

/** Opens the file once the full way and closes it cleanly: its clean close is recorded. */
async function openedAndClosed(): Promise<ReturnType<typeof session>> {
  const made = session({ demo: true });
  made.s.close();
  await made.s.openChecked(made.file);
  made.s.close();
  return made;
}

describe('opening the analyst own file again', { timeout: 60_000 }, () => {
  it('shows it before quick_check, which then runs in the background and reports; writes wait for it', async () => {
    const { s, file } = session({ demo: true });
    try {
      s.close();
      const heard = listen(s);
      // First open: no stamp yet (the file was only created), the full check comes before the file.
      await s.openChecked(file);
      expect(heard.map((h) => h.event)).toContain('file.opened');
      expect(heard.some((h) => h.event === 'file.checked')).toBe(false);
      s.close();

      heard.length = 0;
      await s.openChecked(file);
      // The file was adopted before any check reported: quick_check had not run.
      expect(heard.map((h) => h.event).filter((e) => e === 'file.opened' || e === 'file.checked')).toEqual([
        'file.opened',
      ]);
      expect(() => s.caseFile.action('edit', () => undefined)).toThrow(
        /case\.casefile is still being checked .*nothing was changed/,
      );
      expect(await checked(heard)).toEqual({ path: file, ok: true });
      s.caseFile.action('edit', () => undefined);
    } finally {
      s.close();
    }
  });

  it('checks in full, before anything is shown, a file whose bytes changed since the app closed it', async () => {
    const { s, file } = await openedAndClosed();
    try {
      scribble(file);
      const heard = listen(s);
      await expect(s.openChecked(file)).rejects.toThrow(/case\.casefile is damaged: /);
      expect(heard.some((h) => h.event === 'file.opened')).toBe(false);
      expect(s.hasCaseFile).toBe(false);
    } finally {
      s.close();
    }
  });

  it('checks in full a file with a -wal or a -journal beside it, which no clean close leaves', async () => {
    const { s, file } = await openedAndClosed();
    try {
      for (const beside of ['-wal', '-journal']) {
        expect(stampOf(file)).not.toBeNull();
        writeFileSync(file + beside, Buffer.alloc(beside === '-wal' ? 32 : 512, 1));
        expect(stampOf(file)).toBeNull();
        rmSync(file + beside);
      }
    } finally {
      s.close();
    }
  });

  it('checks in full a file from someone else even when its stamp matches', async () => {
    const { s, file } = await openedAndClosed();
    try {
      const { atimeMs, mtimeMs } = statSync(file);
      scribble(file);
      backdate(file, atimeMs, mtimeMs);
      await expect(s.openChecked(file, { untrusted: true })).rejects.toThrow(/case\.casefile is damaged: /);
    } finally {
      s.close();
    }
  });

  it('reports damage the background check finds, refuses every write, and checks in full next time', async () => {
    const { s, file } = await openedAndClosed();
    try {
      // Bytes changed in place with the time set back: everything the stamp holds still matches.
      const { atimeMs, mtimeMs } = statSync(file);
      scribble(file);
      backdate(file, atimeMs, mtimeMs);
      const heard = listen(s);
      await s.openChecked(file);
      const report = await checked(heard);
      expect(report.ok).toBe(false);
      expect(report.message).toMatch(/^case\.casefile is damaged: /);
      expect(() => s.caseFile.action('edit', () => undefined)).toThrow(
        /case\.casefile is damaged: .*Nothing will be written to it: restore a backup/,
      );
      s.close();
      // Not recorded as a clean close: the next open checks first and refuses it.
      await expect(s.openChecked(file)).rejects.toThrow(/case\.casefile is damaged: /);
    } finally {
      s.close();
    }
  });
});
