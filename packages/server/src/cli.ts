/** The `portico-server` command: serve (default), `migrate`, `copy`. */
import { parseArgs } from 'node:util';
import { DEMO_JWT_SECRET } from './seed/demo.ts';
import { ConfigError, USAGE, isPostgresUrl, parseServerConfig } from './config.ts';
import { copySqliteToPostgres } from './copy.ts';
import { MigrationError } from './migrations.ts';
import { isUnavailable } from './postgres-store.ts';
import { startServer } from './node.ts';
import { SqliteStore } from './sqlite-store.ts';
import { PostgresStore } from './postgres-store.ts';

/** Exit codes: 2 bad usage, 3 database unreachable, 4 schema/migration problem, 1 anything else. */
export const EXIT = { usage: 2, unavailable: 3, schema: 4, failed: 1 } as const;

/** A database URL without its password, for messages. */
const redact = (db: string) => (isPostgresUrl(db) ? db.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : db);

/** Reports a start-up failure in one line (no stack) and returns the exit code. */
function fail(db: string, error: unknown): number {
  if (error instanceof ConfigError) {
    console.error(`portico-server: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (error instanceof MigrationError) {
    console.error(`portico-server: ${error.message}`);
    return EXIT.schema;
  }
  if (isUnavailable(error) || (error as { code?: string }).code === '28P01' || (error as { code?: string }).code === '3D000') {
    console.error(`portico-server: cannot use the database ${redact(db)}: ${(error as Error).message}. Is PostgreSQL running and the URL right?`);
    return EXIT.unavailable;
  }
  console.error(`portico-server: ${(error as Error).message ?? error}`);
  return EXIT.failed;
}

/** Runs the CLI; resolves once the server listens (or the command is done). */
export async function main(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'migrate') return migrateCommand(rest, env);
  if (command === 'copy') return copyCommand(rest);
  let config;
  try {
    config = parseServerConfig(argv, env);
  } catch (error) {
    process.exitCode = fail('', error);
    return;
  }
  if (config.help) {
    console.log(USAGE);
    return;
  }
  let auth = config.auth;
  if (!auth) {
    if (config.seed !== 'demo') {
      console.error('portico-server: configure --jwt-secret, --jwt-public-key or --jwks-url (see --help).');
      process.exitCode = 2;
      return;
    }
    console.warn('portico-server: no JWT key configured; using the PUBLIC demo secret (DEMO_JWT_SECRET). Never do this in production.');
    auth = { secret: DEMO_JWT_SECRET };
  }
  let server;
  try {
    server = await startServer({
      port: config.port,
      hostname: config.hostname,
      db: config.db,
      migrate: config.migrate,
      poolSize: config.poolSize,
      seed: config.seed,
      basePath: config.basePath,
      corsOrigins: config.corsOrigins,
      serviceApiKeys: config.serviceApiKeys,
      rateLimit: config.rateLimit,
      auth,
    });
  } catch (error) {
    process.exitCode = fail(config.db, error);
    return;
  }
  console.log(`Portico API listening on ${server.url} (database ${redact(config.db)}${server.seeded ? ', demo data loaded' : ''})`);
  const stop = (signal: string) => {
    console.log(`portico-server: ${signal}, shutting down`);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** `portico-server migrate [--db …]`: applies pending migrations and reports them. */
async function migrateCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<void> {
  let config;
  try {
    config = parseServerConfig(argv, env);
  } catch (error) {
    process.exitCode = fail('', error);
    return;
  }
  try {
    let applied: number[];
    if (isPostgresUrl(config.db)) {
      const store = new PostgresStore(config.db, { poolSize: 2 });
      try {
        applied = await store.migrate();
      } finally {
        await store.close();
      }
    } else {
      const store = new SqliteStore(config.db);
      applied = store.migrated;
      await store.close();
    }
    console.log(applied.length ? `portico-server: applied migrations ${applied.join(', ')} to ${redact(config.db)}` : `portico-server: ${redact(config.db)} is up to date`);
  } catch (error) {
    process.exitCode = fail(config.db, error);
  }
}

/** `portico-server copy --from <sqlite-file> --to <postgres-url>`. */
async function copyCommand(argv: readonly string[]): Promise<void> {
  let from: string | undefined;
  let to: string | undefined;
  try {
    ({
      values: { from, to },
    } = parseArgs({ args: [...argv], strict: true, options: { from: { type: 'string' }, to: { type: 'string' } } }));
    if (!from || !to || !isPostgresUrl(to)) throw new ConfigError('copy needs --from <sqlite-file> and --to <postgres://…>.');
  } catch (error) {
    process.exitCode = fail('', error instanceof ConfigError ? error : new ConfigError((error as Error).message));
    return;
  }
  try {
    const report = await copySqliteToPostgres(from, to);
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    console.log(`portico-server: copied ${total} rows from ${from} to ${redact(to)}`);
    for (const [table, n] of Object.entries(report)) if (n) console.log(`  ${table}: ${n}`);
  } catch (error) {
    process.exitCode = fail(to, error);
  }
}
