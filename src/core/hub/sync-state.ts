import { resolve } from 'node:path';
import type { CaseFile } from '../write/case-file';
import { HUB_SCHEMA_VERSION } from './migrations';

/**
 * Where this case file stands with a hub, kept in its meta table (key `hub_sync`, JSON): the hub
 * and case it syncs with, the case's head when it last pulled (a push is accepted only while the
 * head is still that), and the last local change-log position pushed.
 *
 * The file's own path is kept too: a copy of the file (sent to a colleague, restored from a
 * backup) has other change-log positions, so a copy somewhere else starts over (pulls, then
 * compares every row with the hub's before pushing) rather than trust positions not its own.
 */
export type SyncState = {
  caseId: string;
  head: number | null;
  pushedSeq: number | null;
  /**
   * The hub's last change-log position of the case this file has every entry up to (with the
   * rows they name): the next pull reads only what came after (changes.ts). Null: read it whole.
   */
  pos?: number | null;
  /** Local change-log positions (first, last) that merging pulls wrote since the last push (push.ts, pushLog). */
  pulled: [number, number][];
};

const KEY = 'hub_sync';
/**
 * Hub version 2 carries aliases and attached files. A file that last pushed to an older hub pushed
 * none of them: its next push compares every row with the hub's again (as a first push does), so
 * what the older hub dropped goes up now.
 */
const CARRIES_ALL = 2;

export function readSyncState(cf: CaseFile, hubId: string): SyncState | null {
  const r = cf.db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string | null } | undefined;
  if (!r?.value) return null;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(r.value) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (v.hub !== hubId || typeof v.caseId !== 'string') return null;
  const num = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? x : null);
  if (v.file !== resolve(cf.path)) return { caseId: v.caseId, head: null, pushedSeq: null, pulled: [] };
  const pulled = Array.isArray(v.pulled)
    ? v.pulled.filter(
        (r): r is [number, number] => Array.isArray(r) && r.length === 2 && num(r[0]) !== null && num(r[1]) !== null,
      )
    : [];
  const pushedSeq = typeof v.hubVersion === 'number' && v.hubVersion >= CARRIES_ALL ? num(v.pushedSeq) : null;
  return { caseId: v.caseId, head: num(v.head), pushedSeq, pos: num(v.pos), pulled };
}

export function writeSyncState(cf: CaseFile, hubId: string, s: SyncState): void {
  cf.setMeta(
    KEY,
    JSON.stringify({
      hub: hubId,
      hubVersion: HUB_SCHEMA_VERSION,
      file: resolve(cf.path),
      caseId: s.caseId,
      head: s.head,
      pushedSeq: s.pushedSeq,
      pos: s.pos ?? null,
      pulled: s.pulled,
    }),
  );
}
