import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CasefileError } from '../../../src/core/errors';
import { applyPrepared, prepareMerge, type PreparedMerge } from '../../../src/core/exchange/merge';
import type { Session } from '../../../src/core/session';
import { session } from '../../helpers';
import { exportCaseFile } from '../../../src/core/exchange/export';
import { fixture } from './received-files';
import { rng } from '../../rng';

/**
 * A bounded fuzz of the received-file check: pages of a real case file (an export of the demo)
 * overwritten at random, with a fixed seed, for about a minute. Every such file must be refused
 * with a message that names it, or merged, and after each one the analyst's open file must still
 * pass integrity_check. Nothing may crash or hang: a check that stops is a refusal too.
 */
const SEED = 0x2203;
const BUDGET_MS = 60_000;
const MAX_FILES = 200;

let clean: string;
let dir: string;
let me: Session;
beforeAll(async () => {
  // The colleague's file is an export of the analyst's own: the same rows, so what a merge
  // changes is what the corruption changed.
  const { s, file } = session({ demo: true });
  me = s;
  dir = mkdtempSync(join(tmpdir(), 'casefile-fuzz-'));
  clean = join(dir, 'clean.casefile');
  await exportCaseFile(file, clean, { checked: true });
}, 120_000);
afterAll(() => {
  me.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the clean file with one to four pages scribbled on: a few runs of random bytes each. */
function corrupted(rnd: () => number, i: number): { file: string; what: string } {
  const file = fixture(clean, `fuzz-${i}.casefile`);
  const pages = statSync(file).size / 4096;
  const fd = openSync(file, 'r+');
  const what: string[] = [];
  try {
    for (let p = 0, n = 1 + Math.floor(rnd() * 4); p < n; p++) {
      const page = Math.floor(rnd() * pages);
      for (let r = 0, runs = 1 + Math.floor(rnd() * 4); r < runs; r++) {
        const at = page * 4096 + Math.floor(rnd() * 4096);
        const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256)));
        writeSync(fd, bytes, 0, bytes.length, at);
        what.push(`${bytes.length} bytes at ${at} (page ${page + 1})`);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { file, what: what.join(', ') };
}

describe('received-file check under random page corruption', () => {
  it(
    "refuses with a message or merges, and the analyst's file always passes integrity_check",
    { timeout: BUDGET_MS + 120_000 },
    async () => {
      const rnd = rng(SEED);
      const t0 = Date.now();
      const seen = { refused: 0, merged: 0 };
      for (let i = 0; i < MAX_FILES && Date.now() - t0 < BUDGET_MS; i++) {
        const { file, what } = corrupted(rnd, i);
        let p: PreparedMerge | null = null;
        try {
          p = await prepareMerge(me.caseFile.path, file, { timeoutMs: 30_000 });
        } catch (e) {
          // A refusal: a message for people that names the file, never an internal error.
          expect(e, `file ${i}: ${what}: ${String(e)}`).toBeInstanceOf(CasefileError);
          expect((e as Error).message, `file ${i}: ${what}`).toMatch(
            new RegExp(`^(Checking )?fuzz-${i}\\.casefile[ :]`),
          );
          expect((e as Error).message).not.toMatch(/\*\*\* in database/);
          seen.refused++;
        }
        if (p) {
          try {
            await applyPrepared(me.caseFile, p, { resolutions: {}, acceptNonConflicting: true, prefer: 'theirs' });
            seen.merged++;
          } catch (e) {
            expect(e, `file ${i}: ${what}: ${String(e)}`).toBeInstanceOf(CasefileError);
            seen.refused++;
          } finally {
            p.received.dispose();
          }
        }
        const integrity = (me.caseFile.db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map(
          (r) => r.integrity_check,
        );
        expect(integrity, `after file ${i}: ${what}`).toEqual(['ok']);
      }
      expect(seen.refused + seen.merged).toBeGreaterThanOrEqual(5);
    },
  );
});
