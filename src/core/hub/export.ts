import { rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CasefileError } from '../errors';
import { openCaseFileDb } from '../db/open';
import { fillAttachments } from './attachment-fetch';
import { checkHub, connectHub, hubError } from './connect';
import { readSnapshot, type Snapshot } from './snapshot';

export type HubExport = Snapshot & {
  /** Attached files the hub holds no bytes for: their rows are in the file, their bytes are not. */
  missing: string[];
};

/**
 * A hub case as a new case file at `out` (never over an existing file): checked row by row as a
 * pull is. It is what a sync merges, so merging it in the app (File > Merge) shows the same
 * conflicts in the merge review, to settle field by field before the next sync.
 *
 * The attached files' bytes are fetched into it too (checked against their checksums), unless
 * `files` is false (a file for the merge review only): a file for someone without the hub must
 * hold them. Files the hub has no bytes for are named in `missing`.
 */
export async function exportHubCase(
  url: string,
  caseId: string,
  out: string,
  opts: { files?: boolean } = {},
): Promise<HubExport> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId))
    throw new CasefileError('validation', `CASE must be a hub case id (a UUID), not "${caseId}"`);
  const path = resolve(out);
  const hub = await connectHub(url);
  try {
    await checkHub(hub);
    const snap = await readSnapshot(hub.client, caseId, dirname(path), basename(path));
    if (opts.files === false) return { ...snap, missing: [] };
    try {
      const db = openCaseFileDb(snap.path);
      try {
        return { ...snap, missing: await fillAttachments(hub.client, db, caseId) };
      } finally {
        db.close();
      }
    } catch (e) {
      // A file whose bytes the hub could not give as they should be is not left half made.
      for (const f of [snap.path, `${snap.path}-wal`, `${snap.path}-shm`]) rmSync(f, { force: true });
      throw e;
    }
  } catch (e) {
    throw hubError(e, `Exporting case ${caseId} from ${hub.address.shown}`);
  } finally {
    await hub.client.end().catch(() => undefined);
  }
}
