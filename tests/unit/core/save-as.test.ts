import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { session } from '../../helpers';

describe('save as', () => {
  it('writes a compact copy in a worker, opens it, and leaves no deleted text in its bytes', async () => {
    const { s, dir } = session();
    const cf = s.caseFile;
    const row = cf.create('incidents', { description: 'MARKER-deleted-before-save-7f3a' });
    cf.delete('incidents', [row.id as string]);
    // The change log keeps deleted rows for undo and audit; clear it here to test the bytes alone.
    cf.db.prepare("DELETE FROM change_log WHERE before LIKE '%MARKER%' OR after LIKE '%MARKER%'").run();
    const target = join(dir, 'copy.casefile');
    const progress: unknown[] = [];
    s.subscribe((e, p) => e === 'task.progress' && progress.push(p));
    const info = await s.saveAs(target);
    expect(info.path).toBe(target);
    expect(info.counts.incidents).toBe(10);
    expect(progress.length).toBeGreaterThan(0);
    expect(readFileSync(target).includes('MARKER-deleted-before-save')).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing under the final name when cancelled', async () => {
    const { s, dir } = session();
    const target = join(dir, 'never.casefile');
    const ac = new AbortController();
    const p = s.saveAs(target, ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow(/Cancelled/);
    expect(existsSync(target)).toBe(false);
  });
});
