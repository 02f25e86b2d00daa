import { fork } from 'node:child_process';
import type { TaskMessage } from './protocol';

/*
 * How the received-file check starts its killable child process (exchange/probe.ts). Under Node
 * (tests, the CLI, browser mode) it is child_process.fork. The packaged Electron app has its
 * RunAsNode fuse off, so Electron's own binary can no longer be forked as a Node: the main
 * process installs a launcher built on utilityProcess.fork instead (src/main/utility-child.ts).
 * Only the launch differs; the probe's time limit and kill stay in probe.ts.
 */

/** The part of a ChildProcess the probe uses; 'close' comes after the last message. */
export type ProbeChild = {
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  send(message: unknown): void;
  kill(signal?: NodeJS.Signals): void;
  on(event: 'message', cb: (message: TaskMessage) => void): void;
  on(event: 'error', cb: (error: Error) => void): void;
  on(event: 'close', cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
};

/** Starts the probe entry `file` (a bundled exchange-probe.js, or the tsx boot file from source). */
export type ProbeLauncher = (file: string) => ProbeChild;

const nodeLauncher: ProbeLauncher = (file) =>
  fork(file, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

let launcher: ProbeLauncher = nodeLauncher;

export function launchProbe(file: string): ProbeChild {
  return launcher(file);
}

/** The Electron main process installs its own launcher; tests put the default back with none. */
export function setProbeLauncher(l: ProbeLauncher | null): void {
  launcher = l ?? nodeLauncher;
}
