/**
 * A throwaway PostgreSQL cluster for tests and scripts: `initdb` in a temp directory, a free
 * port, the unix socket inside that directory, one database and an unprivileged application
 * role (no superuser, no BYPASSRLS, so row-level security applies to it). Uses Debian's
 * `postgresql` package (`/usr/lib/postgresql/<version>/bin`, or `PORTICO_PG_BIN`);
 * `.ci/run` installs it when missing. PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` user through `runuser`.
 *
 * There is no "skip when missing": a machine without PostgreSQL fails these tests with a
 * message saying how to install it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running cluster. */
export interface PgCluster {
  /** Connection URL of the application role on the test database (through the unix socket). */
  url: string;
  /** Connection URL of the superuser (for test setup: creating databases, inspecting). */
  adminUrl: string;
  /** URL of another database of the cluster, as the application role. */
  urlOf(database: string): string;
  /** Creates a new empty database owned by the application role; returns its name. */
  createDatabase(name?: string): string;
  /** Runs SQL as the superuser through psql; returns its output. */
  psql(sql: string, database?: string): string;
  port: number;
  /** Stops the server and removes its directory. */
  stop(): void;
}

/** The application role every test connects as. */
export const APP_ROLE = 'portico_app';
const APP_PASSWORD = 'portico-test';

/** The directory of PostgreSQL's programs (`PORTICO_PG_BIN`, else the newest Debian one), if any. */
export function pgBinDir(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.PORTICO_PG_BIN && existsSync(join(env.PORTICO_PG_BIN, 'initdb'))) return env.PORTICO_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : undefined;
}

/** The directory of PostgreSQL's programs, or an Error explaining how to get them. */
export function findPgBin(): string {
  const bin = pgBinDir();
  if (!bin) {
    throw new Error(
      "PostgreSQL is not installed: these tests need a real server. Install Debian's package " +
        '(`apt-get install postgresql`, which `.ci/run` and `npm run test:node` do as root) or set PORTICO_PG_BIN to the directory holding initdb and pg_ctl.',
    );
  }
  return bin;
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let counter = 0;

/** Starts a fresh cluster. Call `stop()` when done (e.g. in `after`). */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'portico-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  /** Runs a PostgreSQL program as the cluster's owner. */
  const run = (program: string, args: string[], input?: string): string => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    return execFileSync(cmd as string, argv as string[], {
      cwd: dir,
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    }).toString();
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // Small and fast: no fsync (throwaway data), the socket in our own directory.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  try {
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', options]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? error}`, { cause: error });
  }
  const psql = (sql: string, database = 'postgres') =>
    run('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
  psql(`CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`);
  const urlOf = (database: string) => `postgres://${APP_ROLE}:${APP_PASSWORD}@127.0.0.1:${port}/${database}`;
  const createDatabase = (name = `portico_${process.pid}_${++counter}`) => {
    psql(`CREATE DATABASE ${name} OWNER ${APP_ROLE}`);
    return name;
  };
  const main = createDatabase('portico');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test process that dies early must not leave a server behind.
  process.once('exit', stop);
  return {
    url: urlOf(main),
    adminUrl: `postgres://postgres@127.0.0.1:${port}/${main}`,
    urlOf,
    createDatabase,
    psql,
    port,
    stop,
  };
}
