import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { CasefileError } from '../errors';

/**
 * A hub's address, `postgres://ROLE@HOST:PORT/DATABASE?sslmode=...`, turned into the driver's
 * settings. TLS is on and checked by default for every host that is not this machine
 * (`verify-full`: the server's certificate must chain to a trusted authority and name the host),
 * so a password and a case never cross a network in clear or to an impostor. A hub on this
 * machine (loopback, a Unix socket) needs no TLS unless the address asks for it.
 *
 * The password is best not written in the address (shell history): PGPASSWORD or ~/.pgpass are
 * read by the driver when the address has none.
 */
export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
export type HubAddress = {
  config: ClientConfig;
  sslmode: SslMode;
  local: boolean;
  /** The address without its password, for messages. */ shown: string;
};

const MODES: readonly SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];
const KNOWN_PARAMS = new Set(['sslmode', 'sslrootcert', 'application_name', 'connect_timeout']);

export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h.startsWith('/');
}

const bad = (msg: string) => new CasefileError('validation', msg);

export function parseHubUrl(url: string): HubAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('The hub address is not a URL; it looks like postgres://ROLE@HOST:5432/DATABASE');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw bad(`The hub address must start with postgres:// (not ${u.protocol}//)`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database || database.includes('/'))
    throw bad('The hub address names no database: postgres://ROLE@HOST:5432/DATABASE');
  // A socket folder may be given as ?host=/run/postgresql (libpq's way), with an empty host.
  const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname);
  if (!host) throw bad('The hub address names no host: postgres://ROLE@HOST:5432/DATABASE');
  for (const k of u.searchParams.keys())
    if (!KNOWN_PARAMS.has(k) && k !== 'host') throw bad(`The hub address has an option Casefile does not know: ${k}`);
  const local = isLocalHost(host);
  const asked = u.searchParams.get('sslmode');
  if (asked !== null && !(MODES as readonly string[]).includes(asked))
    throw bad(`sslmode must be one of ${MODES.join(', ')} (not ${asked})`);
  const sslmode = (asked ?? (local ? 'disable' : 'verify-full')) as SslMode;
  if (sslmode === 'disable' && !local) {
    throw bad(
      `sslmode=disable would send your password and the case in clear to ${host}; a hub on another machine is reached with TLS (remove sslmode, or ask IT for the hub's certificate authority: sslrootcert=PATH)`,
    );
  }
  const port = u.port ? Number(u.port) : 5432;
  const config: ClientConfig = {
    host,
    port,
    database,
    application_name: u.searchParams.get('application_name') ?? 'casefile',
    connectionTimeoutMillis: Number(u.searchParams.get('connect_timeout') ?? 15) * 1000,
  };
  if (u.username) config.user = decodeURIComponent(u.username);
  if (u.password) config.password = decodeURIComponent(u.password);
  if (sslmode !== 'disable') {
    const rootcert = u.searchParams.get('sslrootcert');
    let ca: string | undefined;
    if (rootcert) {
      try {
        ca = readFileSync(rootcert, 'utf8');
      } catch (e) {
        throw bad(
          `sslrootcert ${rootcert} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
    config.ssl = {
      // require: encrypted, certificate not checked (libpq's meaning); verify-ca: checked against the
      // authority, any name; verify-full: the authority and the host name.
      rejectUnauthorized: sslmode !== 'require',
      ...(ca ? { ca } : {}),
      ...(sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  const shown = `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host || host}/${database}`;
  return { config, sslmode, local, shown };
}
