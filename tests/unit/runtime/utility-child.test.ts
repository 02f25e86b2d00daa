import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { runKillable, Stopped, TimedOut } from '../../../src/core/exchange/probe';
import { setProbeLauncher } from '../../../src/core/tasks/child-process';
import { utilityLauncher, type UtilityFork, type UtilityLike } from '../../../src/main/utility-child';

/**
 * A stand-in for Electron's utilityProcess: an event emitter that starts asynchronously, takes
 * messages with postMessage, and exits when killed. `answer` plays the probe inside it.
 */
class FakeUtility extends EventEmitter {
  received: unknown[] = [];
  killed = false;
  spawned = false;
  constructor(
    private readonly answer: (req: unknown, post: (m: unknown) => void, exit: (code: number) => void) => void,
  ) {
    super();
    setTimeout(() => {
      this.spawned = true;
      this.emit('spawn');
    }, 20);
  }
  postMessage(m: unknown): void {
    if (!this.spawned) throw new Error('posted before the process was up');
    this.received.push(m);
    this.answer(
      m,
      (r) => setImmediate(() => this.emit('message', r)),
      (code) => setTimeout(() => this.emit('exit', code), 5),
    );
  }
  kill(): boolean {
    this.killed = true;
    setTimeout(() => this.emit('exit', 15), 5);
    return true;
  }
}

function launcherFor(answer: ConstructorParameters<typeof FakeUtility>[0]) {
  const started: { path: string; options: unknown; proc: FakeUtility }[] = [];
  const fork: UtilityFork = (path, _args, options) => {
    const proc = new FakeUtility(answer);
    started.push({ path, options, proc });
    return proc as unknown as UtilityLike;
  };
  setProbeLauncher(utilityLauncher(fork));
  return started;
}

afterEach(() => setProbeLauncher(null));

describe('the received-file check in a utility process (Electron, RunAsNode fuse off)', () => {
  it('starts exchange-probe-utility.js beside the probe, hands it the request once it is up, and returns its answer', async () => {
    const started = launcherFor((req, post, exit) => {
      post({ type: 'progress', done: 1, total: 2 });
      post({ type: 'done', result: { echoed: req } });
      exit(0);
    });
    const progress: unknown[] = [];
    const r = await runKillable({ kind: 'exchange-spin' }, 5000, { onProgress: (p) => progress.push(p) });
    expect(r).toEqual({ echoed: { kind: 'exchange-spin' } });
    expect(progress).toEqual([{ type: 'progress', done: 1, total: 2 }]);
    expect(started).toHaveLength(1);
    expect(started[0]!.path).toMatch(/[/\\]exchange-probe-utility\.js$/);
    expect(started[0]!.options).toMatchObject({ serviceName: 'Casefile file check' });
    expect(started[0]!.proc.received).toEqual([{ kind: 'exchange-spin' }]);
  });

  it('kills it at the time limit and settles only once it is gone', async () => {
    const started = launcherFor(() => undefined);
    await expect(runKillable({ kind: 'exchange-spin' }, 200)).rejects.toBeInstanceOf(TimedOut);
    expect(started[0]!.proc.killed).toBe(true);
  });

  it('kills it on cancel, and reports an error it sends as the check failing', async () => {
    const started = launcherFor(() => undefined);
    const ctl = new AbortController();
    const p = runKillable({ kind: 'exchange-spin' }, 60_000, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toThrow(/Cancelled/);
    expect(started[0]!.proc.killed).toBe(true);

    launcherFor((_req, post, exit) => {
      post({ type: 'error', code: 'validation', message: 'x.casefile is not a case file' });
      exit(1);
    });
    await expect(runKillable({ kind: 'exchange-spin' }, 5000)).rejects.toThrow(/x\.casefile is not a case file/);
  });

  it('reports a process that ends without an answer', async () => {
    launcherFor((_req, _post, exit) => exit(3));
    // A Stopped error naming the exit; the received-file check turns it into a refusal that names the file.
    const stopped = runKillable({ kind: 'exchange-spin' }, 5000);
    await expect(stopped).rejects.toBeInstanceOf(Stopped);
    await expect(stopped).rejects.toThrow(/^exit 3$/);
  });
});
