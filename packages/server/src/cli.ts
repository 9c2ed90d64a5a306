/** The `portico-server` command. */
import { DEMO_JWT_SECRET } from './seed/demo.ts';
import { ConfigError, USAGE, parseServerConfig } from './config.ts';
import { startServer } from './node.ts';

/** Runs the CLI; resolves once the server listens. */
export async function main(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env): Promise<void> {
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
  if (config.webhookAllowPrivate) console.warn('portico-server: webhooks may call private and loopback addresses (--webhook-allow-private). Never do this in production.');
  const stop = (signal: string) => {
    console.log(`portico-server: ${signal}, shutting down`);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
