/** The `portico-server` command: runs the server, or `portico-server import <file>`. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_JWT_SECRET } from './seed/demo.ts';
import { ConfigError, DEFAULT_DB, USAGE, parseServerConfig } from './config.ts';
import { startServer } from './node.ts';
import { SqliteStore } from './sqlite-store.ts';
import { ImportError, importSyncItems, parseSyncItems } from './sync-import.ts';

export const IMPORT_USAGE = `Usage: portico-server import <file.json|file.ndjson> [--db <file>]

Provisions accounts and contacts from a file into the SQLite database, the way
POST /v1/service/sync does, in transactions of up to 1,000 items (docs/provisioning.md).
  file.json     { "accounts": [...], "contacts": [...] }
  file.ndjson   one account or contact per line (a line with an "email" is a contact)
  --db <file>   SQLite file [PORTICO_DB] (default ${DEFAULT_DB})
Every item is validated before anything is written; importing the same file again changes nothing.`;

/** Runs the CLI; resolves once the server listens (or the import is done). */
export async function main(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env): Promise<void> {
  if (argv[0] === 'import') return runImport(argv.slice(1), env);
  let config;
  try {
    config = parseServerConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`portico-server: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw error;
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
  const server = await startServer({
    port: config.port,
    hostname: config.hostname,
    db: config.db,
    seed: config.seed,
    basePath: config.basePath,
    corsOrigins: config.corsOrigins,
    serviceApiKeys: config.serviceApiKeys,
    rateLimit: config.rateLimit,
    webhooks: { allowPrivate: config.webhookAllowPrivate },
    auth,
  });
  console.log(`Portico API listening on ${server.url} (database ${config.db}${server.seeded ? ', demo data loaded' : ''})`);
  if (config.webhookAllowPrivate)
    console.warn('portico-server: webhooks may call private and loopback addresses (--webhook-allow-private). Never do this in production.');
  const stop = (signal: string) => {
    console.log(`portico-server: ${signal}, shutting down`);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
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
  const db = values.db ?? env.PORTICO_DB ?? DEFAULT_DB;
  const started = performance.now();
  const store = new SqliteStore(db);
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
      `Imported ${items.accounts.length} accounts and ${items.contacts.length} contacts into ${db} in ${seconds} s: ` +
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
