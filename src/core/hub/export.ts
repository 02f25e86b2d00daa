import { basename, dirname, resolve } from 'node:path';
import { CasefileError } from '../errors';
import { checkHub, connectHub, hubError } from './connect';
import { readSnapshot, type Snapshot } from './snapshot';

/**
 * A hub case as a new case file at `out` (never over an existing file): checked row by row as a
 * pull is. It is what a sync merges, so merging it in the app (File > Merge) shows the same
 * conflicts in the merge review, to settle field by field before the next sync.
 */
export async function exportHubCase(url: string, caseId: string, out: string): Promise<Snapshot> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId))
    throw new CasefileError('validation', `CASE must be a hub case id (a UUID), not "${caseId}"`);
  const path = resolve(out);
  const hub = await connectHub(url);
  try {
    await checkHub(hub);
    return await readSnapshot(hub.client, caseId, dirname(path), basename(path));
  } catch (e) {
    throw hubError(e, `Exporting case ${caseId} from ${hub.address.shown}`);
  } finally {
    await hub.client.end().catch(() => undefined);
  }
}
