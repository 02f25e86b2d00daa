import { afterEach, beforeEach, describe, expect, test } from 'vitest';
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
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileReceiver, safeFileName, sweepStale, UPLOAD_LIMIT } from '../../../src/core/files/upload-receiver';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { Session } from '../../../src/core/session';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'casefile-receiver-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('the browser upload receiver', () => {
  test('chunks in order make the file, in a private folder that goes when closed', () => {
    const r = new FileReceiver(root);
    const { id } = r.begin('events.csv', 11);
    r.chunk(id, 0, b64('a,b\n'));
    r.chunk(id, 1, b64('1,2\n3,4'));
    const done = r.finish(id);
    expect(readFileSync(done.path, 'utf8')).toBe('a,b\n1,2\n3,4');
    expect(done.name).toBe('events.csv');
    const folder = r.folder();
    if (process.platform !== 'win32') {
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(statSync(done.path).mode & 0o777).toBe(0o600);
    }
    r.close();
    expect(existsSync(folder)).toBe(false);
  });

  test('a file over the limit is refused before a byte is written, and the message says the limit', () => {
    const r = new FileReceiver(root, 1024);
    expect(() => r.begin('big.csv', 2048)).toThrow(
      /big\.csv is 0 MB: files chosen in the browser may be at most 0 MB. Type its path/,
    );
    expect(readdirSync(root)).toEqual([]);
  });

  test('a chunk out of order is refused and the partial file removed', () => {
    const r = new FileReceiver(root);
    const { id } = r.begin('x.csv', 8);
    r.chunk(id, 0, b64('abcd'));
    expect(() => r.chunk(id, 2, b64('efgh'))).toThrow(/part 3 arrived where part 2 was expected/);
    expect(readdirSync(r.folder())).toEqual([]);
    expect(() => r.chunk(id, 1, b64('efgh'))).toThrow(/not being received/);
  });

  test('more bytes than announced are refused', () => {
    const r = new FileReceiver(root);
    const { id } = r.begin('x.csv', 4);
    expect(() => r.chunk(id, 0, b64('abcdef'))).toThrow(/more bytes arrived than/);
    expect(readdirSync(r.folder())).toEqual([]);
  });

  test('finishing short of the announced size is refused', () => {
    const r = new FileReceiver(root);
    const { id } = r.begin('x.csv', 10);
    r.chunk(id, 0, b64('abc'));
    expect(() => r.finish(id)).toThrow(/3 of 10 bytes arrived/);
    expect(readdirSync(r.folder())).toEqual([]);
  });

  test('hostile names stay one plain file name inside the private folder', () => {
    const r = new FileReceiver(root);
    for (const name of [
      '../../etc/passwd',
      '..\\..\\win.ini',
      '/abs/path.csv',
      '\u0000\u001b]0;title\u0007evil.csv',
      '..',
      '.hidden',
      'a\u202egnp.csv',
      'con:|<>?.csv',
    ]) {
      const { id } = r.begin(name, 1);
      r.chunk(id, 0, b64('x'));
      const { path } = r.finish(id);
      const rel = relative(r.folder(), path);
      expect(rel.startsWith('..')).toBe(false);
      expect(rel.split(/[\\/]/)).toHaveLength(2);
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(path).not.toMatch(/[\u0000-\u001f\u202e]/);
    }
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..')).toBe('received-file');
    expect(safeFileName('\u001b[31mred.csv')).toBe('[31mred.csv');
  });

  test('download reads only files in the private folder', () => {
    const r = new FileReceiver(root);
    const target = r.target('../out.csv');
    writeFileSync(target, 'hello');
    expect(r.read(target, 0)).toEqual({ data: b64('hello'), size: 5, done: true });
    expect(r.read(target, 3)).toEqual({ data: b64('lo'), size: 5, done: true });
    const outside = join(root, 'secret.txt');
    writeFileSync(outside, 'secret');
    expect(() => r.read(outside, 0)).toThrow(/not a file Casefile received/);
    expect(() => r.read(join(r.folder(), '..', 'secret.txt'), 0)).toThrow(/not a file Casefile received/);
    expect(() => r.discard(r.folder())).toThrow(/not a file Casefile received/);
    r.discard(target);
    expect(existsSync(dirname(target))).toBe(false);
    expect(existsSync(outside)).toBe(true);
  });

  test('a folder left by a process that is gone is removed at the next start; a live one is kept', () => {
    const dead = join(root, 'casefile-files-999999999-abc');
    const live = join(root, `casefile-files-${process.ppid}-abc`);
    mkdirSync(dead);
    writeFileSync(join(dead, 'left.csv'), 'x');
    mkdirSync(live);
    new FileReceiver(root);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(sweepStale(root)).toBe(0);
  });

  test('kept files move to the folder asked, under a name not taken', () => {
    const r = new FileReceiver(root);
    const keep = join(root, 'Documents');
    mkdirSync(keep);
    writeFileSync(join(keep, 'case.casefile'), 'old');
    const { id } = r.begin('case.casefile', 3);
    r.chunk(id, 0, b64('new'));
    const done = r.finish(id, keep);
    expect(done.path).toBe(join(keep, 'case (2).casefile'));
    expect(readFileSync(join(keep, 'case.casefile'), 'utf8')).toBe('old');
    expect(readdirSync(r.folder())).toEqual([]);
  });
});

describe('the stated limit', () => {
  test('the README and the user guide state the limit the receiver holds', () => {
    const mb = `${UPLOAD_LIMIT / (1024 * 1024)} MB`;
    const root = join(import.meta.dirname, '../../..');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`at most ${mb}`);
    expect(readFileSync(join(root, 'docs/user-guide.md'), 'utf8')).toContain(`at most **${mb}**`);
  });
});

describe('upload channels over the real dispatch', () => {
  test('malformed messages get error replies, never a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casefile-upload-dispatch-'));
    const s = new Session(join(dir, 'config'), 'browser');
    try {
      const h = makeHandlers(s, 'test');
      const bad: [string, unknown][] = [
        ['files.upload.begin', { name: 'x', size: -1 }],
        ['files.upload.begin', { name: 'x', size: 1.5 }],
        ['files.upload.begin', { name: 'x', size: Number.MAX_SAFE_INTEGER }],
        ['files.upload.begin', null],
        ['files.upload.chunk', { id: 'nope', index: 0, data: 'AAAA' }],
        ['files.upload.chunk', { id: 'x', index: 0, data: 'not base64!' }],
        ['files.upload.chunk', { id: 'x', index: -1, data: '' }],
        ['files.upload.chunk', { id: { toString: 1 }, index: 0, data: '' }],
        ['files.upload.finish', { id: 'nope' }],
        ['files.download.read', { path: '/etc/passwd', offset: 0 }],
        ['files.download.read', { path: '../../x', offset: 0 }],
        ['files.discard', { path: '/' }],
        ['files.pick', { kind: 'open', purpose: 'data' }],
      ];
      for (const [channel, input] of bad) {
        const r = await dispatch(h, channel, input);
        expect(r.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
        if (!r.ok) expect(r.error.code).not.toBe('internal');
      }
      const begun = await dispatch(h, 'files.upload.begin', { name: 'a.csv', size: 2 });
      expect(begun.ok).toBe(true);
      const id = (begun as { value: { id: string } }).value.id;
      expect((await dispatch(h, 'files.upload.chunk', { id, index: 0, data: b64('ab') })).ok).toBe(true);
      const fin = await dispatch(h, 'files.upload.finish', { id });
      expect(fin.ok && readFileSync((fin.value as { path: string }).path, 'utf8')).toBe('ab');
    } finally {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cleanup when the process ends', () => {
  test('a process that received a file leaves no private folder behind when it ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casefile-upload-exit-'));
    try {
      const root = join(import.meta.dirname, '../../..');
      // A real process: the app's handlers, one file received and one being received, then a normal end.
      const script = `
        import { Session } from ${JSON.stringify(join(root, 'src/core/session.ts'))};
        import { filesHandlers } from ${JSON.stringify(join(root, 'src/core/handlers/files.ts'))};
        import { FileReceiver } from ${JSON.stringify(join(root, 'src/core/files/upload-receiver.ts'))};
        const s = new Session(${JSON.stringify(join(dir, 'config'))}, 'browser');
        const r = new FileReceiver(${JSON.stringify(dir)});
        const h = filesHandlers(s, r);
        const a = h['files.upload.begin']({ name: 'a.csv', size: 2 });
        h['files.upload.chunk']({ id: a.id, index: 0, data: Buffer.from('ab').toString('base64') });
        h['files.upload.finish']({ id: a.id, keep: false });
        h['files.upload.begin']({ name: 'b.csv', size: 10 });
        console.log(r.folder());
        s.close();
      `;
      const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(out.status, out.stderr).toBe(0);
      const folder = out.stdout.trim().split('\n').pop()!;
      expect(folder.startsWith(join(dir, 'casefile-files-'))).toBe(true);
      expect(existsSync(folder)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
