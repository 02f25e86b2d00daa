import { CasefileError } from '../errors';
import { checkHub, connectHub, hubError } from './connect';

/**
 * Gives a role access to a hub case (`edit`, or `review`: annotate only), or takes it away
 * (`none`). The hub decides who may: the role that created the case, or the hub's owner
 * (casefile.grant_case). The role must exist: IT creates login roles, members of casefile_analyst.
 */
export async function grantCase(
  url: string,
  caseId: string,
  role: string,
  access: 'edit' | 'review' | 'none',
): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId))
    throw new CasefileError('validation', `CASE must be a hub case id (a UUID), not "${caseId}"`);
  const hub = await connectHub(url);
  try {
    await checkHub(hub);
    await hub.client.query('SELECT casefile.grant_case($1, $2, $3)', [caseId, role, access]);
  } catch (e) {
    throw hubError(e, `Granting case ${caseId} to ${role}`);
  } finally {
    await hub.client.end().catch(() => undefined);
  }
}
