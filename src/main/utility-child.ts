import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import type { ProbeChild, ProbeLauncher } from '../core/tasks/child-process';

/*
 * The received-file check's child process in Electron: a utility process (utilityProcess.fork),
 * since the RunAsNode fuse stops Electron's binary from being forked as a Node. Seen from
 * exchange/probe.ts it behaves as a forked child: messages both ways, kill, 'close' after exit.
 * The entry is exchange-probe-utility.js (probe-utility-entry.ts), beside exchange-probe.js.
 */

/** The part of Electron's UtilityProcess used here, so that a test can hand in its own. */
export type UtilityLike = {
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'spawn', cb: () => void): unknown;
  on(event: 'message', cb: (message: unknown) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  on(event: 'error', cb: (type: string, location: string) => void): unknown;
};
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { stdio: 'inherit'; serviceName: string },
) => UtilityLike;

export const UTILITY_ENTRY = 'exchange-probe-utility.js';

/** `entryOf` maps the probe's Node entry (exchange-probe.js) to the utility process's. */
export function utilityLauncher(
  forkUtility: UtilityFork,
  entryOf = (file: string) => join(dirname(file), UTILITY_ENTRY),
): ProbeLauncher {
  return (file) => {
    const proc = forkUtility(entryOf(file), [], { stdio: 'inherit', serviceName: 'Casefile file check' });
    const events = new EventEmitter();
    let exitCode: number | null = null;
    let signalCode: NodeJS.Signals | null = null;
    let killed = false;
    // Messages wait for the process to be up, so none is lost to a start still in progress.
    let queue: unknown[] | null = [];
    proc.on('spawn', () => {
      for (const m of queue ?? []) proc.postMessage(m);
      queue = null;
    });
    proc.on('message', (m) => events.emit('message', m));
    proc.on('error', (type, location) => events.emit('error', new Error(`the check stopped: ${type} (${location})`)));
    proc.on('exit', (code) => {
      queue = null;
      if (killed) signalCode = 'SIGKILL';
      else exitCode = code;
      events.emit('close', exitCode, signalCode);
    });
    const child = {
      get exitCode() {
        return exitCode;
      },
      get signalCode() {
        return signalCode;
      },
      send(message: unknown) {
        if (queue) queue.push(message);
        else proc.postMessage(message);
      },
      kill() {
        killed = true;
        proc.kill();
      },
      on(event: string, cb: (...args: unknown[]) => void) {
        events.on(event, cb);
      },
    };
    return child as ProbeChild;
  };
}
