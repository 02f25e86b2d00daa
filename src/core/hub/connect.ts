import pg from 'pg';
import { CasefileError } from '../errors';
import { HUB_SCHEMA_VERSION } from './migrations';
import { parseHubUrl, type HubAddress } from './url';

export type Hub = { client: pg.Client; address: HubAddress; role: string };

/** PostgreSQL's error, as a line for the analyst (its code kept: 42501 is "not allowed"). */
export function hubError(e: unknown, where: string): CasefileError {
  if (e instanceof CasefileError) return e;
  const err = e as { code?: string; message?: string; detail?: string };
  const text = `${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ''}`;
  if (err.code === '28P01' || err.code === '28000')
    return new CasefileError('refused', `${where}: the hub refused the login: ${text}`);
  if (err.code === '42501')
    return new CasefileError('refused', `${where}: your role may not do this on the hub: ${text}`);
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT')
    return new CasefileError('not_found', `${where}: the hub cannot be reached (${text})`);
  return new CasefileError('refused', `${where}: ${text}`);
}

/** Connects to a hub; the role is the one PostgreSQL authenticated, never a name the laptop gives. */
export async function connectHub(url: string): Promise<Hub> {
  const address = parseHubUrl(url);
  const client = new pg.Client(address.config);
  // A dropped connection is reported by the query that needed it; this keeps the process alive.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ role: string }>('SELECT current_user::text AS role');
    return { client, address, role: r.rows[0]!.role };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw hubError(e, `Connecting to ${address.shown}`);
  }
}

/** The hub's schema version (0: not a hub yet). */
export async function hubVersion(client: pg.Client): Promise<number> {
  const has = await client.query("SELECT to_regclass('casefile.hub_meta') IS NOT NULL AS ok");
  if (!has.rows[0].ok) return 0;
  const r = await client.query<{ value: string }>("SELECT value FROM casefile.hub_meta WHERE key = 'schema_version'");
  return r.rows[0] ? Number(r.rows[0].value) : 0;
}

/** Refuses a database that is not a hub of this version; returns the hub's own id. */
export async function checkHub(hub: Hub): Promise<string> {
  const v = await hubVersion(hub.client);
  if (v === 0)
    throw new CasefileError(
      'refused',
      `${hub.address.shown} is not a Casefile hub yet: IT creates it with casefile hub init URL`,
    );
  if (v > HUB_SCHEMA_VERSION)
    throw new CasefileError(
      'refused',
      `${hub.address.shown} is a hub of version ${v}; this Casefile knows up to ${HUB_SCHEMA_VERSION}: update Casefile`,
    );
  if (v < HUB_SCHEMA_VERSION)
    throw new CasefileError(
      'refused',
      `${hub.address.shown} is a hub of version ${v}; this Casefile needs ${HUB_SCHEMA_VERSION}: IT upgrades it with casefile hub init URL`,
    );
  const r = await hub.client.query<{ value: string }>("SELECT value FROM casefile.hub_meta WHERE key = 'hub_id'");
  return r.rows[0]!.value;
}
