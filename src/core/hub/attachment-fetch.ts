import { createHash } from 'node:crypto';
import type pg from 'pg';
import { MAX_ATTACHMENT_BYTES } from '../../shared/channels/sources';
import { CasefileError, refuse } from '../errors';
import type { Db } from '../db/open';
import { keepFetchedBytes } from '../sources/attachment-rows';
import type { CaseFile } from '../write/case-file';
import { checkHub, connectHub, type Hub } from './connect';
import { readSyncState } from './sync-state';
import { parseHubUrl } from './url';

type Wanted = { id: string; name: string; size: number; sha256: string };

const sizeShown = (n: number) =>
  n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The message of a file that is held on the team hub and could not be fetched now. */
export function heldOnHub(name: string, why: string): CasefileError {
  return new CasefileError(
    'not_found',
    `“${name}” is held on the team hub, not in this case file yet, and could not be fetched: ${why}. Open it again when this computer can reach the hub; from then on it is kept in the case file.`,
  );
}

/**
 * Reads one file's bytes from a hub case and checks them before anything is written: a size the
 * hub gives beyond the row's (or an attached file's limit) is refused before the bytes are read,
 * and bytes whose SHA-256 is not the row's are refused, saying which file and which case.
 */
async function readBlob(client: pg.Client, caseId: string, w: Wanted): Promise<Buffer | null> {
  const s = await client.query<{ size: string; n: string }>(
    'SELECT size::text AS size, octet_length(data)::text AS n FROM casefile.blobs WHERE case_id = $1 AND sha256 = $2',
    [caseId, w.sha256],
  );
  if (!s.rows[0]) return null;
  const n = Number(s.rows[0].n);
  if (n !== w.size || n > MAX_ATTACHMENT_BYTES)
    throw new CasefileError(
      'refused',
      `The hub holds ${sizeShown(n)} for “${w.name}” (case ${caseId}, checksum ${w.sha256.slice(0, 12)}…), not the ${sizeShown(w.size)} the file has; nothing was changed in your case file. Tell the hub's administrator.`,
    );
  const d = await client.query<{ data: Buffer }>('SELECT data FROM casefile.blobs WHERE case_id = $1 AND sha256 = $2', [
    caseId,
    w.sha256,
  ]);
  const data = d.rows[0]?.data;
  if (
    !(data instanceof Buffer) ||
    data.length !== w.size ||
    createHash('sha256').update(data).digest('hex') !== w.sha256
  )
    throw new CasefileError(
      'refused',
      `The hub sent bytes for “${w.name}” (case ${caseId}) that do not match its checksum ${w.sha256.slice(0, 12)}…; nothing was changed in your case file. Tell the hub's administrator.`,
    );
  return data;
}

function wantedOf(db: Db, id: string): (Wanted & { held: boolean }) | null {
  const r = db.prepare('SELECT id, name, size, sha256, data IS NULL AS held FROM attachments WHERE id = ?').get(id) as
    (Wanted & { held: number }) | undefined;
  return r ? { ...r, held: r.held === 1 } : null;
}

/**
 * Connects to the hub at `url` for the hub case this case file syncs with, runs `fn`, and closes.
 * Why it cannot (no address, unreachable, another hub) is thrown as `fail(why)`.
 */
async function withCaseHub<T>(
  cf: CaseFile,
  url: string | null,
  fail: (why: string) => CasefileError,
  fn: (client: pg.Client, caseId: string, shown: string) => Promise<T>,
): Promise<T> {
  if (!url) throw fail('no team hub address is set on this computer (File > Sync with the team hub… sets it)');
  let shown: string;
  try {
    shown = parseHubUrl(url).shown;
  } catch {
    throw fail('the team hub address set on this computer is not a PostgreSQL address');
  }
  let hub: Hub;
  try {
    hub = await connectHub(url);
  } catch (e) {
    // connectHub's message names the address already; unreachable ('not_found') adds only its cause.
    const m = (e as Error).message;
    if (e instanceof CasefileError && e.code === 'not_found')
      throw fail(`the hub ${shown} cannot be reached (${/\(([^()]*)\)$/.exec(m)?.[1] ?? m})`);
    throw fail(m);
  }
  try {
    const state = readSyncState(cf, await checkHub(hub));
    if (!state) throw fail(`this case file does not sync with the hub ${shown}`);
    return await fn(hub.client, state.caseId, shown);
  } catch (e) {
    if (e instanceof CasefileError) throw e;
    throw fail(`the hub ${shown} failed (${(e as Error).message})`);
  } finally {
    await hub.client.end().catch(() => undefined);
  }
}

/**
 * Fetches an attached file's bytes from the team hub at `url` when the case file has only its row
 * (a pull brings rows, not bytes), checks them, and keeps them in the case file. Does nothing when
 * the bytes are here. Unreachable hub, no hub address, a hub this file does not sync with, or a
 * hub without the bytes: a CasefileError saying the file is held on the hub and how to get it.
 */
export async function fetchAttachment(cf: CaseFile, url: string | null, id: string): Promise<void> {
  const w = wantedOf(cf.db, id);
  if (!w || !w.held) return;
  await withCaseHub(
    cf,
    url,
    (why) => heldOnHub(w.name, why),
    async (client, caseId, shown) => {
      const data = await readBlob(client, caseId, w);
      if (!data)
        throw heldOnHub(
          w.name,
          `the hub ${shown} has no copy of its bytes (the laptop that attached it has not synced them yet)`,
        );
      keep(cf, w, data);
    },
  );
}

function keep(cf: CaseFile, w: Wanted, data: Buffer): void {
  if (!cf.db.open) throw refuse(`the case file was closed while “${w.name}” was being fetched`);
  cf.checkWritable();
  keepFetchedBytes(cf.db, w.id, w.sha256, data);
}

/**
 * Before a case file is exported: fetches what it can of the attached files held on the team hub
 * (one connection for all), so that the exported file holds their bytes. A file the hub cannot
 * give (unreachable, no bytes, bytes refused as not the file's) stays a row without bytes, and the
 * export says how many (copy-for-export.ts counts them). Returns how many are left.
 */
export async function fetchHeldAttachments(cf: CaseFile, url: string | null): Promise<number> {
  const rows = cf.db
    .prepare('SELECT id, name, size, sha256 FROM attachments WHERE data IS NULL ORDER BY id')
    .all() as Wanted[];
  if (rows.length === 0) return 0;
  try {
    return await withCaseHub(
      cf,
      url,
      (why) => refuse(why),
      async (client, caseId) => {
        let left = 0;
        for (const w of rows) {
          const data = await readBlob(client, caseId, w).catch(() => null);
          if (data) keep(cf, w, data);
          else left += 1;
        }
        return left;
      },
    );
  } catch {
    return rows.length;
  }
}

/**
 * Fills in the bytes of every attached file of a case file made from a hub case (casefile hub
 * export), checked one by one; returns the names of the files the hub has no bytes for (they stay
 * rows without bytes: the caller says so).
 */
export async function fillAttachments(client: pg.Client, db: Db, caseId: string): Promise<string[]> {
  const rows = db
    .prepare('SELECT id, name, size, sha256 FROM attachments WHERE data IS NULL ORDER BY id')
    .all() as Wanted[];
  const missing: string[] = [];
  for (const w of rows) {
    const data = await readBlob(client, caseId, w);
    if (data) keepFetchedBytes(db, w.id, w.sha256, data);
    else missing.push(w.name);
  }
  return missing;
}
