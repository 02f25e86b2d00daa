import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for the hub tests: initdb into a temp folder, started on a free
 * loopback port, stopped and removed after. The tests talk to this real server; nothing is mocked.
 *
 * Authentication as a team's IT would set it: the superuser `postgres` is trusted on loopback (it
 * plays IT: creates the hub and the analysts' roles), every other role logs in with a password.
 * Run as root (CI), the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
export type Cluster = {
  port: number;
  /** A URL for `role` (the superuser when absent) on database `db`. */
  url: (db: string, role?: { name: string; password: string }) => string;
  /** A superuser client on `db` (closed by the caller). */
  admin: (db?: string) => Promise<pg.Client>;
  /** A fresh database, for one test. */
  createDatabase: () => Promise<string>;
  /** A login role with a password, member of `casefile_analyst` once a hub exists. */
  createRole: (name: string, password: string) => Promise<void>;
  stop: () => void;
};

/** The folder of PostgreSQL's programs (PG_BIN, or Debian's newest), or null when not installed. */
export function postgresBin(): string | null {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0]!, 'bin') : null;
}

/** Why the hub tests skip here, or null when they can run. */
export function skipReason(): string | null {
  return postgresBin()
    ? null
    : 'PostgreSQL is not installed (Debian: apt-get install -y postgresql; or set PG_BIN); .ci/run installs it';
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

let dbCount = 0;

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error(skipReason()!);
  const dir = mkdtempSync(join(tmpdir(), 'casefile-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // The superuser is trusted from loopback; everyone else gives a password.
  writeFileSync(
    join(data, 'pg_hba.conf'),
    ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join(
      '\n',
    ),
  );
  if (asRoot) execFileSync('chown', ['postgres:postgres', join(data, 'pg_hba.conf')]);
  const port = await freePort();
  run(join(bin, 'pg_ctl'), [
    'start',
    '-w',
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test run that ends without afterAll (a crash) still stops its server.
  process.once('exit', stop);
  const url = (db: string, role?: { name: string; password: string }) =>
    role
      ? `postgres://${encodeURIComponent(role.name)}:${encodeURIComponent(role.password)}@127.0.0.1:${port}/${db}`
      : `postgres://postgres@127.0.0.1:${port}/${db}`;
  const admin = async (db = 'postgres') => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: db });
    // The server stopping under a client a failed test left open is not a second failure.
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return {
    port,
    url,
    admin,
    stop,
    async createDatabase() {
      const name = `hub_${process.pid}_${++dbCount}`;
      const c = await admin();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return name;
    },
    async createRole(name, password) {
      const c = await admin();
      try {
        const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
        if (exists.rowCount === 0)
          await c.query(`CREATE ROLE ${pg.escapeIdentifier(name)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
      } finally {
        await c.end();
      }
    },
  };
}
