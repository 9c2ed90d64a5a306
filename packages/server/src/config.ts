/**
 * The server's configuration from command-line flags and environment variables
 * (flags win). Node-only (reads key files).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AuthConfig } from './auth.ts';

export const DEFAULT_DB = '.portico/portico.db';
export const DEFAULT_PORT = 8787;
/** PostgreSQL connections per server process (see docs/deploy.md). */
export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_SEARCH_TIMEOUT_MS = 2000;

/** A configuration mistake, reported to the user without a stack. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ParsedConfig {
  help: boolean;
  /** A SQLite file, or a `postgres://` / `postgresql://` URL. */
  db: string;
  /** Apply pending schema migrations at start (false with `--no-migrate`). */
  migrate: boolean;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
  /** Milliseconds a PostgreSQL text search may run before it is cancelled (503 `search_timeout`). */
  searchTimeoutMs: number;
  port: number;
  hostname: string | undefined;
  seed: 'demo' | undefined;
  basePath: string;
  corsOrigins: '*' | string[];
  /** Undefined when nothing was configured (the CLI then falls back to the demo secret for `--seed demo`). */
  auth: AuthConfig | undefined;
  /** API keys of the vendor's service API (`/v1/service/...`); empty = switched off. */
  serviceApiKeys: string[];
  /** Requests per minute per caller; `false` when switched off with 0. */
  rateLimit: { perMinute: number; burst?: number } | false;
  /** Let webhook endpoints use private, loopback and link-local addresses (local demos only). */
  webhookAllowPrivate: boolean;
  /** Server processes sharing the port (node:cluster); more than 1 only with PostgreSQL. */
  workers: number;
}

export const USAGE = `Usage: portico-server [options]
       portico-server import <file.json|file.ndjson> [--db <file>]   (see import --help)

Options (environment variable in brackets):
  --db <file|url>         SQLite file, or a postgres:// URL for PostgreSQL
                          [PORTICO_DATABASE_URL, PORTICO_DB] (default ${DEFAULT_DB})
  --db-pool <n>           PostgreSQL connections per process [PORTICO_DB_POOL] (default ${DEFAULT_POOL_SIZE})
  --search-timeout <ms>   PostgreSQL: cancel a text search after this long, answering 503
                          search_timeout [PORTICO_SEARCH_TIMEOUT_MS] (default ${DEFAULT_SEARCH_TIMEOUT_MS})
  --no-migrate            do not apply schema migrations at start; refuse an outdated database
  --port <n>              port [PORT, PORTICO_PORT] (default ${DEFAULT_PORT}; 0 = any free port)
  --host <name>           interface to bind [PORTICO_HOST] (default: all)
  --seed demo             load the demo data into an empty database [PORTICO_SEED]
  --base-path <path>      mount the API under this path, e.g. /api [PORTICO_BASE_PATH]
  --cors-origin <list>    comma-separated allowed origins, or * [PORTICO_CORS_ORIGINS] (default *)
  --jwt-secret <secret>   HS256 shared secret, at least 32 bytes [PORTICO_JWT_SECRET]
  --jwt-public-key <pem>  RS256/ES256 public key: PEM text or a file path [PORTICO_JWT_PUBLIC_KEY]
  --jwks-url <url>        RS256/ES256 keys from a JWKS URL [PORTICO_JWKS_URL]
  --service-api-key <k>   comma-separated API keys of the service API, at least 32 bytes each
                          [PORTICO_SERVICE_API_KEYS] (default: service API off)
  --rate-limit <n>        requests per minute per contact or API key, bursts of n/4;
                          0 = off [PORTICO_RATE_LIMIT] (default 600, bursts of 150)
  --webhook-allow-private let webhook URLs point to private, loopback and link-local
                          addresses: local demos and tests only, never in production
                          [PORTICO_WEBHOOK_ALLOW_PRIVATE=true]
  --workers <n>           server processes sharing the port (node:cluster; SQLite: one WAL file)
                          [PORTICO_WORKERS] (default 1; see docs/deploy.md)
  -h, --help              show this help

Configure exactly one of --jwt-secret, --jwt-public-key, --jwks-url. With --seed demo and
none of them, the public demo secret is used: never do that in production.

Commands:
  portico-server migrate [--db <file|url>]                 apply pending schema migrations, then exit
  portico-server copy --from <sqlite-file> --to <url>      copy a SQLite database into an empty
                                                           PostgreSQL one (see docs/deploy.md)`;

/** Whether a database setting names PostgreSQL rather than a SQLite file. */
export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//i.test(db);

/** Parses flags and environment. Throws `ConfigError` on bad input. */
export function parseServerConfig(argv: readonly string[], env: Record<string, string | undefined>): ParsedConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        db: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        'base-path': { type: 'string' },
        'cors-origin': { type: 'string' },
        'jwt-secret': { type: 'string' },
        'jwt-public-key': { type: 'string' },
        'jwks-url': { type: 'string' },
        'service-api-key': { type: 'string' },
        'rate-limit': { type: 'string' },
        'webhook-allow-private': { type: 'boolean' },
        'db-pool': { type: 'string' },
        'search-timeout': { type: 'string' },
        'no-migrate': { type: 'boolean' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const pick = (flag: string | undefined, ...names: string[]) => {
    if (flag !== undefined && flag !== '') return flag;
    for (const name of names) if (env[name]) return env[name];
    return undefined;
  };

  const portText = pick(values.port, 'PORTICO_PORT', 'PORT') ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`Invalid port: ${portText}`);

  const seedText = pick(values.seed, 'PORTICO_SEED');
  if (seedText !== undefined && seedText !== 'demo') throw new ConfigError(`Unknown seed "${seedText}" (only "demo" exists).`);

  const secret = pick(values['jwt-secret'], 'PORTICO_JWT_SECRET');
  const publicKeyText = pick(values['jwt-public-key'], 'PORTICO_JWT_PUBLIC_KEY');
  const jwksUrl = pick(values['jwks-url'], 'PORTICO_JWKS_URL');
  const configured = [secret, publicKeyText, jwksUrl].filter((v) => v !== undefined);
  if (configured.length > 1) throw new ConfigError('Configure only one of --jwt-secret, --jwt-public-key and --jwks-url.');
  let auth: AuthConfig | undefined;
  if (secret !== undefined) {
    if (new TextEncoder().encode(secret).byteLength < 32) throw new ConfigError('The JWT secret must be at least 32 bytes.');
    auth = { secret };
  } else if (publicKeyText !== undefined) {
    auth = { publicKey: readPem(publicKeyText) };
  } else if (jwksUrl !== undefined) {
    try {
      new URL(jwksUrl);
    } catch {
      throw new ConfigError(`Invalid JWKS URL: ${jwksUrl}`);
    }
    auth = { jwksUrl };
  }

  const cors = pick(values['cors-origin'], 'PORTICO_CORS_ORIGINS') ?? '*';
  const serviceApiKeys = (pick(values['service-api-key'], 'PORTICO_SERVICE_API_KEYS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (serviceApiKeys.some((k) => new TextEncoder().encode(k).byteLength < 32)) {
    throw new ConfigError('Each service API key must be at least 32 bytes.');
  }
  const rateText = pick(values['rate-limit'], 'PORTICO_RATE_LIMIT');
  let rateLimit: ParsedConfig['rateLimit'] = { perMinute: 600, burst: 150 };
  if (rateText !== undefined) {
    const perMinute = Number(rateText);
    if (!Number.isInteger(perMinute) || perMinute < 0) throw new ConfigError(`Invalid rate limit: ${rateText} (requests per minute, 0 = off).`);
    rateLimit = perMinute === 0 ? false : { perMinute };
  }
  const allowPrivateText = env.PORTICO_WEBHOOK_ALLOW_PRIVATE?.trim().toLowerCase();
  if (allowPrivateText && !['true', 'false', '1', '0'].includes(allowPrivateText)) {
    throw new ConfigError(`Invalid PORTICO_WEBHOOK_ALLOW_PRIVATE: ${allowPrivateText} (true or false).`);
  }
  const poolText = pick(values['db-pool'], 'PORTICO_DB_POOL') ?? String(DEFAULT_POOL_SIZE);
  const poolSize = Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new ConfigError(`Invalid pool size: ${poolText} (connections, at least 1).`);
  const db = pick(values.db, 'PORTICO_DATABASE_URL', 'PORTICO_DB') ?? DEFAULT_DB;
  const workersText = pick(values.workers, 'PORTICO_WORKERS') ?? '1';
  const workers = Number(workersText);
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`Invalid number of workers: ${workersText} (processes, at least 1).`);
  // Workers on one SQLite file share it through its path (and its WAL's shared memory): an
  // in-memory database, or a `file:` URI that may name one, cannot be shared.
  if (workers > 1 && (db === ':memory:' || db.startsWith('file:'))) {
    throw new ConfigError('--workers needs a database file path or PostgreSQL: processes cannot share :memory: or a file: URI.');
  }
  const searchTimeoutText = pick(values['search-timeout'], 'PORTICO_SEARCH_TIMEOUT_MS') ?? String(DEFAULT_SEARCH_TIMEOUT_MS);
  const searchTimeoutMs = Number(searchTimeoutText);
  if (!Number.isInteger(searchTimeoutMs) || searchTimeoutMs < 1) {
    throw new ConfigError(`Invalid search timeout: ${searchTimeoutText} (milliseconds, at least 1).`);
  }
  return {
    help: values.help ?? false,
    rateLimit,
    workers,
    webhookAllowPrivate: values['webhook-allow-private'] ?? (allowPrivateText === 'true' || allowPrivateText === '1'),
    db,
    migrate: !values['no-migrate'],
    poolSize,
    searchTimeoutMs,
    port,
    hostname: pick(values.host, 'PORTICO_HOST'),
    seed: seedText,
    basePath: pick(values['base-path'], 'PORTICO_BASE_PATH') ?? '',
    corsOrigins:
      cors.trim() === '*'
        ? '*'
        : cors
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    auth,
    serviceApiKeys,
  };
}

/** PEM text as given, or the contents of the file it names. */
function readPem(value: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new ConfigError(`Cannot read the public key file ${value}.`);
  }
}
