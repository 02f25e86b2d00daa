import { contract, isChannel, type Channel, type Envelope, type Output, type ParsedInput } from '../../shared/contract';
import { CasefileError } from '../errors';
import { writeCrashReport } from '../log/app-log';
import type { Session } from '../session';
import { inWindow } from '../window-origin';
import { coreHandlers } from './core';
import { gridHandlers } from './grid';
import { importHandlers } from './import';
import { dashboardHandlers } from './dashboard';
import { sourcesHandlers } from './sources';
import { exchangeHandlers } from './exchange';
import { settingsBackupHandlers } from './settings-backups';
import { filesHandlers } from './files';
import { tasksHandlers } from './tasks';
import { aliasesHandlers } from './aliases';
import { linksHandlers } from './links';
import { hubHandlers } from './hub';

export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Output<C> | Promise<Output<C>> };

/** Every channel of the contract, implemented over a Session. A missing one is a type error. */
export function makeHandlers(s: Session, version: string): Handlers {
  return {
    ...coreHandlers(s, version),
    ...gridHandlers(s),
    ...importHandlers(s),
    ...dashboardHandlers(s),
    ...sourcesHandlers(s),
    ...exchangeHandlers(s),
    ...settingsBackupHandlers(s),
    ...filesHandlers(s),
    ...tasksHandlers(s),
    ...aliasesHandlers(s),
    ...linksHandlers(s),
    ...hubHandlers(s),
  };
}

/**
 * The one entry point both transports call: parse the input with the contract's schema, run,
 * and wrap the result in an envelope. No stack trace crosses the boundary. `window`: the
 * calling window as its transport names it; the call, and every write it makes, runs as that
 * window's (window-origin.ts), so that its undo steps are its own.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  window?: string,
): Promise<Envelope<unknown>> {
  // typeof first: String() of a parsed object whose "toString" is not a function throws.
  if (!isChannel(channel))
    return {
      ok: false,
      error: {
        code: 'validation',
        message: `unknown channel ${typeof channel === 'string' ? JSON.stringify(channel.slice(0, 64)) : typeof channel}`,
      },
    };
  const bad = forbiddenKey(rawInput);
  if (bad) return { ok: false, error: { code: 'validation', message: `the key "${bad}" is not allowed in input` } };
  const spec = contract[channel];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return { ok: false, error: { code: 'validation', message: `${issue?.message ?? 'invalid input'}${where}` } };
  }
  try {
    const fn = handlers[channel] as (i: unknown) => unknown;
    const value = await inWindow(window, () => fn(parsed.data));
    return { ok: true, value };
  } catch (e) {
    if (e instanceof CasefileError)
      return { ok: false, error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
    const msg = e instanceof Error ? e.message : String(e);
    // SQLite constraint messages are specific enough to show; anything else is logged in full here.
    if (/constraint/i.test(msg)) return { ok: false, error: { code: 'validation', message: msg } };
    writeCrashReport(`handler ${channel}`, e);
    return { ok: false, error: { code: 'internal', message: `${channel} failed: ${msg}` } };
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Input arrives as parsed JSON, where "__proto__" is an own key: refuse it before anything merges it. */
function forbiddenKey(v: unknown, depth = 0): string | null {
  if (depth > 32 || v === null || typeof v !== 'object') return null;
  for (const k of Object.keys(v)) {
    if (FORBIDDEN.has(k)) return k;
    const inner = forbiddenKey((v as Record<string, unknown>)[k], depth + 1);
    if (inner) return inner;
  }
  return null;
}
