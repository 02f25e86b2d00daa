import { randomUUID } from 'node:crypto';
import { CasefileError } from '../errors';
import { connectHub, hubError, hubVersion } from './connect';
import { HUB_MIGRATIONS, HUB_SCHEMA_VERSION } from './migrations';

/** An arbitrary constant: the advisory lock two inits of one hub take, so they do not migrate at once. */
const INIT_LOCK = 0x0ca5ef11e;

export type InitResult = { from: number; to: number; hubId: string };

/**
 * Creates the hub's schema in the database of `url`, or brings an older hub up to this version:
 * each migration in its own transaction, so a failure leaves the hub at the last version reached.
 * Run by the database's owner (IT); analysts' login roles are then made members of
 * `casefile_analyst`. A hub newer than this Casefile is refused, as a newer case file is.
 */
export async function initHub(url: string): Promise<InitResult> {
  const hub = await connectHub(url);
  const { client } = hub;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [INIT_LOCK]);
    const from = await hubVersion(client);
    if (from > HUB_SCHEMA_VERSION)
      throw new CasefileError(
        'refused',
        `${hub.address.shown} is a hub of version ${from}; this Casefile knows up to ${HUB_SCHEMA_VERSION}: update Casefile`,
      );
    for (let v = from; v < HUB_SCHEMA_VERSION; v++) {
      await client.query('BEGIN');
      try {
        await client.query(HUB_MIGRATIONS[v]!);
        if (v === 0)
          await client.query("INSERT INTO casefile.hub_meta (key, value) VALUES ('hub_id', $1)", [randomUUID()]);
        await client.query(
          "INSERT INTO casefile.hub_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          [String(v + 1)],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw hubError(e, `Creating the hub's schema (version ${v + 1}) in ${hub.address.shown}`);
      }
    }
    const id = await client.query<{ value: string }>("SELECT value FROM casefile.hub_meta WHERE key = 'hub_id'");
    return { from, to: HUB_SCHEMA_VERSION, hubId: id.rows[0]!.value };
  } catch (e) {
    throw hubError(e, `Initialising ${hub.address.shown}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
