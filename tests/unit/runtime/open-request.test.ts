import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFilesIn, OpenRequests } from '../../../src/main/open-request';

describe('a case file opened from outside the window (double-click, second start, macOS open-file)', () => {
  it('finds the .casefile paths on a command line, against the folder it was run in', () => {
    const cwd = resolve('/home/analyst/cases');
    expect(
      caseFilesIn(['.', 'report.casefile', '--allow-file-access', '/abs/Other.CASEFILE', 'notes.txt'], cwd),
    ).toEqual([join(cwd, 'report.casefile'), resolve('/abs/Other.CASEFILE')]);
    expect(caseFilesIn(['--flag=x.casefile'], cwd)).toEqual([]);
  });

  it('holds requests until the app is ready, then opens them one at a time, in order', async () => {
    const r = new OpenRequests();
    const log: string[] = [];
    r.add('/a.casefile');
    r.add('/b.casefile');
    expect(log).toEqual([]);
    r.ready(async (p) => {
      log.push(`start ${p}`);
      await new Promise((ok) => setTimeout(ok, 20));
      log.push(`end ${p}`);
    });
    r.add('/c.casefile');
    await r.settled();
    expect(log).toEqual([
      'start /a.casefile',
      'end /a.casefile',
      'start /b.casefile',
      'end /b.casefile',
      'start /c.casefile',
      'end /c.casefile',
    ]);
  });

  it('goes on after a file that could not be opened', async () => {
    const r = new OpenRequests();
    const opened: string[] = [];
    r.ready(async (p) => {
      if (p.includes('bad')) throw new Error('refused');
      opened.push(p);
    });
    r.add('/bad.casefile');
    r.add('/good.casefile');
    await r.settled();
    expect(opened).toEqual(['/good.casefile']);
  });
});
