import { decodeHlc } from '../hlc';
import type { Who } from '../../shared/channels/exchange';

/**
 * What the change logs say about one row, and the three-way decisions merge takes from them.
 *
 * The common ancestor is found per field: the latest entry (by hybrid logical clock) that both
 * logs hold, an entry being the same when its clock value, author, operation, row and field are
 * (its values are not compared: an export leaves a deleted row's entries as tombstones without
 * values). Its value is the base. Each side's current value is compared with the base: a side
 * whose value differs changed it since. Comparing values rather than counting entries makes a
 * change that was made and reverted, or the entries a previous merge wrote, no change at all.
 * Without a common entry (rows that never met) a side changed the field if its log has any entry
 * for it; with no history at all on either side, a difference is unexplained: a conflict.
 *
 * Clock skew: the logs are compared as sets, so which side's clock was ahead never decides which
 * value wins. The clock only orders entries within the common history, and both sides hold those
 * same entries. A merge makes the local clock observe the other file's latest time before
 * writing, so later local edits always sort after what was merged.
 */
export type LogEntry = {
  seq: number;
  hlc: string;
  author: string;
  op: 'insert' | 'update' | 'delete';
  field: string | null;
  after: string | null;
};

export const entryKey = (e: LogEntry) => `${e.hlc}\u0001${e.author}\u0001${e.op}\u0001${e.field ?? ''}`;

const byClock = (a: LogEntry, b: LogEntry) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.seq - b.seq);

/** The latest entry present in both logs (each given oldest first), or null. */
export function latestCommon(mine: LogEntry[], theirs: LogEntry[]): LogEntry | null {
  const keys = new Set(theirs.map(entryKey));
  let best: LogEntry | null = null;
  for (const e of mine) if (keys.has(entryKey(e)) && (!best || byClock(best, e) < 0)) best = e;
  return best;
}

/**
 * An entry made after `base`. The base is one entry found in both logs, and each file numbers its
 * entries (seq) its own way: the other file's copy of the base, same clock value and a higher
 * number, is the base itself, not a later change (a hub's copy of a laptop's history is numbered
 * by the hub's order).
 */
const laterThan = (e: LogEntry, base: LogEntry) => byClock(e, base) > 0 && entryKey(e) !== entryKey(base);

export function sortEntries(entries: LogEntry[]): LogEntry[] {
  return entries.sort(byClock);
}

/** Entries that set `field` (an insert sets every field; a delete ends them all). */
export function touching(entries: LogEntry[], field: string): LogEntry[] {
  return entries.filter((e) => e.op !== 'update' || e.field === field);
}

const parsed = new WeakMap<LogEntry, unknown>();

/** The value an entry gave the field, or undefined when the entry does not say (a tombstone, a delete). */
export function valueAfter(e: LogEntry, field: string): { known: boolean; value: unknown } {
  if (e.op === 'delete' || e.after === null) return { known: false, value: undefined };
  let v = parsed.get(e);
  if (v === undefined) {
    try {
      v = JSON.parse(e.after) as unknown;
    } catch {
      v = null;
    }
    parsed.set(e, v);
  }
  if (e.op === 'update') return { known: true, value: v };
  return v !== null && typeof v === 'object' && field in v
    ? { known: true, value: (v as Record<string, unknown>)[field] }
    : { known: false, value: undefined };
}

export const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

export type FieldVerdict = {
  /** 'mine': only you changed it (keep); 'theirs': only they did (take theirs); 'conflict': both. */
  verdict: 'mine' | 'theirs' | 'conflict';
  base: unknown;
  mineBy: LogEntry | null;
  theirsBy: LogEntry | null;
};

/** Decides one field that differs between the two files. */
export function decideField(
  field: string,
  mineValue: unknown,
  theirsValue: unknown,
  mineLog: LogEntry[],
  theirsLog: LogEntry[],
): FieldVerdict {
  const mine = touching(mineLog, field);
  const theirs = touching(theirsLog, field);
  const base = latestCommon(mine, theirs);
  const after = (log: LogEntry[]) => (base ? log.filter((e) => laterThan(e, base)) : log);
  const mineSince = after(mine);
  const theirsSince = after(theirs);
  const baseValue = base ? valueAfter(base, field) : { known: false, value: undefined };
  let mineChanged: boolean;
  let theirsChanged: boolean;
  if (baseValue.known) {
    mineChanged = !same(mineValue, baseValue.value);
    theirsChanged = !same(theirsValue, baseValue.value);
  } else {
    mineChanged = mineSince.length > 0;
    theirsChanged = theirsSince.length > 0;
    // Nothing explains the difference: never pick a side silently.
    if (!mineChanged && !theirsChanged) mineChanged = theirsChanged = true;
  }
  const verdict = mineChanged && theirsChanged ? 'conflict' : theirsChanged ? 'theirs' : 'mine';
  return {
    verdict,
    base: baseValue.value,
    mineBy: mineSince.at(-1) ?? mine.at(-1) ?? null,
    theirsBy: theirsSince.at(-1) ?? theirs.at(-1) ?? null,
  };
}

/**
 * A row that one file has and the other does not. `absentLog` is the log of the file without it.
 * 'added': the present side made it (the other never saw it); 'deleted': the absent side deleted
 * it and the present side did not touch it since; 'restored': the present side brought it back
 * after a deletion both know of; 'conflict': one deleted it, the other changed it.
 */
export type PresenceVerdict = 'added' | 'deleted' | 'restored' | 'conflict';

export function decidePresence(
  absentLog: LogEntry[],
  presentLog: LogEntry[],
): { verdict: PresenceVerdict; absentBy: LogEntry | null; presentBy: LogEntry | null } {
  if (absentLog.length === 0) return { verdict: 'added', absentBy: null, presentBy: presentLog.at(-1) ?? null };
  const base = latestCommon(absentLog, presentLog);
  const since = (log: LogEntry[]) => (base ? log.filter((e) => laterThan(e, base)) : log);
  const absentSince = since(absentLog);
  const presentSince = since(presentLog);
  const absentBy = absentSince.at(-1) ?? absentLog.at(-1) ?? null;
  const presentBy = presentSince.at(-1) ?? presentLog.at(-1) ?? null;
  if (absentSince.length > 0 && presentSince.length === 0) return { verdict: 'deleted', absentBy, presentBy };
  if (absentSince.length === 0 && presentSince.length > 0) return { verdict: 'restored', absentBy, presentBy };
  // Both changed since (edit against delete), or neither did and the logs cannot say who removed it.
  return { verdict: 'conflict', absentBy, presentBy };
}

/** A log entry as the review shows it: author, clock value and the wall time inside it. */
export function whoOf(e: LogEntry | null, fallback?: { author?: unknown; hlc?: unknown }): Who | null {
  const author = e?.author ?? (typeof fallback?.author === 'string' ? fallback.author : null);
  const hlc = e?.hlc ?? (typeof fallback?.hlc === 'string' ? fallback.hlc : null);
  if (author === null || hlc === null) return null;
  let at = '';
  try {
    at = new Date(decodeHlc(hlc).wall).toISOString();
  } catch {
    /* a clock value this version cannot read: show no time */
  }
  return { author: author.slice(0, 200), hlc, at };
}
