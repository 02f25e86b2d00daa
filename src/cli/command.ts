import { CasefileError } from '../core/errors';
import { terminalField } from '../shared/text/terminal-text';

/** A subcommand: its arguments, and where to print (stdout, one line per call). */
export type Command = (args: string[], out: (s: string) => void) => Promise<void> | void;

/** Splits arguments into positionals, boolean flags (--json) and valued options (--format csv). */
export function flags(
  args: string[],
  valued: string[] = [],
): { positional: string[]; flags: Set<string>; values: Map<string, string> } {
  const positional: string[] = [];
  const f = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (valued.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CasefileError('validation', `--${name} needs a value`);
      values.set(name, v);
    } else f.add(name);
  }
  return { positional, flags: f, values };
}

export function needArgs(p: string[], n: number, what: string, usage: string): void {
  if (p.length < n) throw new CasefileError('validation', `missing ${what}\n${usage}`);
}

export function unknownFlags(f: Set<string>, allowed: string[]): void {
  for (const x of f) if (!allowed.includes(x)) throw new CasefileError('validation', `unknown option --${x}`);
}

/**
 * On a terminal, a long command's progress line on stderr, rewritten in place and cleared by
 * `done` (call it before printing the result, and on failure before the error's one line).
 * Piped or redirected, nothing is written and `onProgress` is undefined.
 */
export function terminalProgress(): { onProgress?: (p: { message?: string }) => void; done: () => void } {
  if (process.stderr.isTTY !== true) return { done: () => undefined };
  let shown = false;
  return {
    onProgress: (p) => {
      if (!p.message) return;
      process.stderr.write(`\r\x1b[K${terminalField(p.message)}`);
      shown = true;
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
