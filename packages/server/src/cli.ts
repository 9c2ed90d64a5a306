/** The `portico-server` command: serve (default), `import`, `migrate`, `copy`. */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_JWT_SECRET } from './seed/demo.ts';
import { ConfigError, DEFAULT_DB, USAGE, isPostgresUrl, parseServerConfig, type ParsedConfig } from './config.ts';
import { copySqliteToPostgres } from './copy.ts';
import { MigrationError } from './migrations.ts';
import { isUnavailable } from './postgres-store.ts';
import { openStore, startServer } from './node.ts';
import { SqliteStore } from './sqlite-store.ts';
import { PostgresStore } from './postgres-store.ts';
import { ImportError, importSyncItems, parseSyncItems } from './sync-import.ts';
import { clusterRateLimiter, serveClusterRateLimits } from './cluster-rate-limit.ts';
import { FileBlobStore, attachmentsDirFor } from './file-blob-store.ts';

export const IMPORT_USAGE = `Usage: portico-server import <file.json|file.ndjson> [--db <file|url>]

Provisions accounts and contacts from a file into the database (SQLite file or PostgreSQL), the way
POST /v1/service/sync does, in transactions of up to 1,000 items (docs/provisioning.md).
  file.json     { "accounts": [...], "contacts": [...] }
  file.ndjson   one account or contact per line (a line with an "email" is a contact)
  --db <file|url>  SQLite file or postgres:// URL [PORTICO_DATABASE_URL, PORTICO_DB] (default ${DEFAULT_DB})
Every item is validated before anything is written; importing the same file again changes nothing.`;

/** Exit codes: 2 bad usage, 3 database unreachable, 4 schema/migration problem, 1 anything else. */
export const EXIT = { usage: 2, unavailable: 3, schema: 4, failed: 1 } as const;

/** How long requests in flight may take to finish after SIGTERM, ms (Kubernetes waits 30 s before SIGKILL). */
const SHUTDOWN_GRACE_MS = 10_000;

/** A database URL without its password, for messages. */
const redact = (db: string) => (isPostgresUrl(db) ? db.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : db);

/** The server's configuration, or undefined after reporting why it is not valid (and setting the exit code). */
function configOrExit(argv: readonly string[], env: Record<string, string | undefined>): ParsedConfig | undefined {
  try {
    return parseServerConfig(argv, env);
  } catch (error) {
    process.exitCode = fail('', error);
    return undefined;
  }
}

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
  if (command === 'import') return runImport(rest, env);
  const config = configOrExit(argv, env);
  if (!config) return;
  if (config.help) {
    console.log(USAGE);
    return;
  }
  if (config.workers > 1 && cluster.isPrimary) return runWorkers(config);
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
  // A worker on a SQLite file shares it with the others (see runWorkers).
  const sqliteWorker = cluster.isWorker && !isPostgresUrl(config.db);
  let server;
  try {
    server = await startServer({
      port: config.port,
      hostname: config.hostname,
      db: config.db,
      migrate: config.migrate,
      poolSize: config.poolSize,
      searchTimeoutMs: config.searchTimeoutMs,
      seed: config.seed,
      basePath: config.basePath,
      corsOrigins: config.corsOrigins,
      serviceApiKeys: config.serviceApiKeys,
      rateLimit: config.rateLimit,
      rateLimiter: sqliteWorker && config.rateLimit ? clusterRateLimiter() : undefined,
      shared: sqliteWorker,
      webhooks: { allowPrivate: config.webhookAllowPrivate },
      auth,
    });
  } catch (error) {
    process.exitCode = fail(config.db, error);
    // A worker's channel to its primary would keep it running.
    cluster.worker?.disconnect();
    return;
  }
  if (cluster.isWorker) {
    // The primary prints one line once every worker listens.
    process.send?.({ type: LISTENING, url: server.url });
  } else {
    console.log(`Portico API listening on ${server.url} (database ${redact(config.db)}${server.seeded ? ', demo data loaded' : ''})`);
    if (config.webhookAllowPrivate)
      console.warn('portico-server: webhooks may call private and loopback addresses (--webhook-allow-private). Never do this in production.');
  }
  let stopping = false;
  // Draining first (readiness 503, live streams closed so clients resume elsewhere), then the
  // requests in flight get up to SHUTDOWN_GRACE_MS to finish before the rest is cut. Once: a
  // terminal's Ctrl-C reaches a worker both directly and through its primary.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!cluster.isWorker) console.log(`portico-server: ${signal}, draining (up to ${SHUTDOWN_GRACE_MS / 1000} s for requests in flight)`);
    void server.close({ graceMs: SHUTDOWN_GRACE_MS }).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The message a worker sends its primary once it listens. */
const LISTENING = 'portico:listening';

/**
 * `--workers N`: this process forks N server processes that share the port (node:cluster
 * hands each new connection to one of them in turn) and replaces a worker that dies. Each
 * worker is a whole instance on the same database, as N instances behind a load balancer are:
 * on PostgreSQL live events, idempotency keys, rate limits and the SLA sweep already work
 * across instances. On one SQLite file this primary first migrates it and removes the
 * attachments a crash left behind (nothing else writes yet), then keeps the rate limits for
 * the workers; the store's watch and job leases share the rest (see docs/deploy.md).
 */
async function runWorkers(config: ParsedConfig): Promise<void> {
  if (!isPostgresUrl(config.db)) {
    try {
      await prepareSqliteFile(config);
    } catch (error) {
      process.exitCode = fail(config.db, error);
      return;
    }
    if (config.rateLimit) serveClusterRateLimits(config.rateLimit);
  }
  let url: string | undefined;
  let stopping = false;
  const listening = new Set<number>();
  const workers = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  const fork = () =>
    cluster.fork().on('message', function (this: ReturnType<typeof cluster.fork>, message: { type?: string; url?: string }) {
      if (message.type !== LISTENING) return;
      listening.add(this.id);
      if (url === undefined && listening.size === config.workers) {
        url = message.url;
        console.log(`Portico API listening on ${url} (database ${redact(config.db)}, ${config.workers} workers)`);
      }
    });
  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (!stopping && url === undefined) {
      // A worker that failed to start has said why (a database that is down, a migration):
      // the others would fail alike, so stop with its exit code.
      stopping = true;
      process.exitCode = code || EXIT.failed;
      for (const w of workers()) w.process.kill('SIGTERM');
    } else if (!stopping) {
      console.error(`portico-server: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
      fork();
    }
    if (stopping && workers().length === 0) process.exit();
  });
  for (let i = 0; i < config.workers; i++) fork();
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`portico-server: ${signal}, shutting down ${config.workers} workers`);
    for (const w of workers()) w.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Before SQLite workers start: migrations once (or the refusal of `--no-migrate`), and the orphaned attachments gone. */
async function prepareSqliteFile(config: ParsedConfig): Promise<void> {
  const store = new SqliteStore(config.db, { migrate: config.migrate });
  try {
    await new FileBlobStore(attachmentsDirFor(config.db)).removeOrphans(async (key) => (await store.getAttachment(key)) !== undefined);
  } finally {
    await store.close();
  }
}

/** `portico-server import`: exit code 0 when everything was applied, 1 when refused, 2 on usage errors. */
async function runImport(argv: readonly string[], env: Record<string, string | undefined>): Promise<void> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`portico-server import: ${(error as Error).message}\n\n${IMPORT_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) return void console.log(IMPORT_USAGE);
  const file = positionals[0];
  if (!file || positionals.length > 1 || !/\.(nd)?json$/i.test(file)) {
    console.error(`portico-server import: name one .json or .ndjson file.\n\n${IMPORT_USAGE}`);
    process.exitCode = 2;
    return;
  }
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`portico-server import: cannot read ${file}: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const db = values.db ?? env.PORTICO_DATABASE_URL ?? env.PORTICO_DB ?? DEFAULT_DB;
  const started = performance.now();
  let store;
  try {
    store = await openStore(db);
  } catch (error) {
    process.exitCode = fail(db, error);
    return;
  }
  const tty = process.stdout.isTTY === true;
  try {
    const items = parseSyncItems(text, /\.ndjson$/i.test(file) ? 'ndjson' : 'json');
    const { counts } = await importSyncItems(store, items, {
      onProgress: (done, total) => {
        const line = `portico-server import: ${done}/${total} items (${total ? Math.floor((done / total) * 100) : 100}%)`;
        // One line rewritten in a terminal; one line per batch in a log.
        if (tty) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
        else console.log(line);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Imported ${items.accounts.length} accounts and ${items.contacts.length} contacts into ${redact(db)} in ${seconds} s: ` +
        `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.`,
    );
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    if (tty) process.stdout.write('\n');
    console.error(`portico-server import: ${error.message}`);
    for (const p of error.problems.slice(0, 50)) console.error(`  ${p.item}: ${p.messages.join('; ')}`);
    if (error.problems.length > 50) console.error(`  … and ${error.problems.length - 50} more`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

/** `portico-server migrate [--db …]`: applies pending migrations and reports them. */
async function migrateCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<void> {
  const config = configOrExit(argv, env);
  if (!config) return;
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
    console.log(
      applied.length
        ? `portico-server: applied migrations ${applied.join(', ')} to ${redact(config.db)}`
        : `portico-server: ${redact(config.db)} is up to date`,
    );
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
