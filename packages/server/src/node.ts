/**
 * @portico/server/node — the Node-only entry: the SQLite and PostgreSQL stores, migrations,
 * and a ready-to-run HTTP server (what the `portico-server` CLI starts).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createAppWithSla, type AppOptions, type PorticoApp } from './app.ts';
import type { AuthConfig } from './auth.ts';
import { demoSeed } from './seed/demo.ts';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT } from './rate-limit.ts';
import type { IncomingMessage } from 'node:http';
import { SqliteStore } from './sqlite-store.ts';
import { problemBody } from './problem.ts';
import { PostgresStore } from './postgres-store.ts';
import { isPostgresUrl } from './config.ts';
import type { Store } from './store.ts';
import type { BlobStore } from './blobs.ts';
import { FileBlobStore, attachmentsDirFor } from './file-blob-store.ts';
import { createNodeSender } from './webhooks/send.ts';
import { nodeWebhookUrlCheck } from './webhooks/url-policy.ts';
import { startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.ts';
import { findWidgetBundle, widgetBundleRoutes, type WidgetBundle } from './routes/widget-bundle.ts';
import { compression } from './compression.ts';

export {
  SqliteStore,
  SQLITE_MIGRATIONS,
  SEARCH_MATCH_CAP,
  JOB_LEASE_MS,
  registerSqliteFunctions,
  scopeToSql,
  type SqliteStoreOptions,
} from './sqlite-store.ts';
export { PostgresStore, isUnavailable, type PostgresStoreOptions } from './postgres-store.ts';
export { POSTGRES_MIGRATIONS } from './postgres-schema.ts';
export { runMigrations, pendingMigrations, MigrationError, type Migration, type MigrationDriver } from './migrations.ts';
export { parseServerConfig, isPostgresUrl, ConfigError, DEFAULT_DB, DEFAULT_PORT, type ParsedConfig } from './config.ts';
export { copySqliteToPostgres, type CopyReport } from './copy.ts';
export { FileBlobStore, attachmentsDirFor } from './file-blob-store.ts';
export { createNodeSender, type SendWebhook, type WebhookRequest, type WebhookResponse } from './webhooks/send.ts';
export { isPublicAddress, nodeWebhookUrlCheck, webhookUrlProblem, type ResolveHost, type WebhookUrlPolicy } from './webhooks/url-policy.ts';
export { DEFAULT_RETRY_SCHEDULE_MS, startWebhookWorker, webhookPayload, type WebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.ts';
export { ImportError, importSyncItems, parseSyncItems, type ImportProblem, type ImportProgress, type SyncItems } from './sync-import.ts';
export { findWidgetBundle, type WidgetBundle } from './routes/widget-bundle.ts';

/** Options of `startServer`. */
export interface ServerOptions {
  /** Port to listen on (default 8787; 0 picks a free one). */
  port?: number | undefined;
  /** Interface to bind (default: all). */
  hostname?: string | undefined;
  /** A store to use; otherwise one opened on `db` (see `openStore`). */
  store?: Store | undefined;
  /** SQLite file, or `postgres://` URL, used when no `store` is given (default `.portico/portico.db`). */
  db?: string | undefined;
  /** Apply pending migrations when opening `db` (default true); false refuses an outdated database. */
  migrate?: boolean | undefined;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number | undefined;
  /** PostgreSQL: milliseconds a text search may run before it is cancelled (default 2000; see `PostgresStoreOptions`). */
  searchTimeoutMs?: number | undefined;
  /**
   * SQLite: other processes serve the same file (`portico-server --workers N`). The store then
   * reports their writes to live streams and webhook delivery (`SqliteStoreOptions.shared`),
   * and attachments a crash left behind are not removed here (another process may be writing
   * one): whoever starts the processes does it first (see docs/deploy.md).
   */
  shared?: boolean | undefined;
  /**
   * Where attachment content goes. Default: files in `<db>-attachments/` beside the SQLite
   * file, `.portico/attachments/` with PostgreSQL (a volume every instance shares), in memory
   * when the database is `:memory:` or a `store` is given without `blobs`.
   */
  blobs?: BlobStore | undefined;
  /** Load this seed when the store is empty. */
  seed?: 'demo' | undefined;
  auth: AuthConfig;
  /** Where the API is mounted, e.g. `/api` (default: the root, so routes are `/v1/...`). */
  basePath?: string | undefined;
  corsOrigins?: AppOptions['corsOrigins'];
  serviceApiKeys?: AppOptions['serviceApiKeys'];
  /** Per-caller rate limit (default `DEFAULT_RATE_LIMIT`; `false` = off). */
  rateLimit?: AppOptions['rateLimit'];
  /** Where `rateLimit` is counted (see `AppOptions.rateLimiter`). */
  rateLimiter?: AppOptions['rateLimiter'];
  /** Failed authentications per client address (default `DEFAULT_AUTH_FAILURE_LIMIT`; `false` = off). */
  authFailureLimit?: AppOptions['authFailureLimit'];
  now?: AppOptions['now'];
  sla?: AppOptions['sla'];
  events?: AppOptions['events'];
  /** How often the SLA scheduler checks unsolved tickets, ms (default 30 000; 0 = never). */
  slaSweepMs?: number | undefined;
  /** Webhook delivery: URL rules, retry schedule, timeouts (see docs/webhooks.md). */
  webhooks?: ServerWebhookOptions | undefined;
  /**
   * The widget bundle served at `/portico/<version>/portico.min.js` (see routes/widget-bundle.ts).
   * Default: the CDN build of the installed @portico/elements, when it is built; `false`: none.
   */
  widgetBundle?: WidgetBundle | false | undefined;
  /** Adds routes to the root app next to the API (e.g. static files of a demo). */
  extend?: ((root: Hono) => void) | undefined;
}

/** Webhook options of `startServer`. */
export interface ServerWebhookOptions extends WebhookWorkerOptions {
  /** Accept and call endpoints on private, loopback and link-local addresses (local demos and tests only). */
  allowPrivate?: boolean | undefined;
  /** How long a rotated-out secret keeps signing by default, seconds (default 86 400). */
  previousSecretTtlSeconds?: number | undefined;
}

/** A running server. */
export interface RunningServer {
  /** Base URL of the API (what `HttpClient`'s `apiBase` takes). */
  url: string;
  port: number;
  app: PorticoApp;
  store: Store;
  /** Whether the seed was loaded by this start (false when the store already had data). */
  seeded: boolean;
  /**
   * Marks the instance draining without closing anything: `GET /readyz` answers 503, live
   * streams end (their clients resume elsewhere with `Last-Event-ID`), new streams are
   * refused, and every other request is still served. `close` drains first.
   */
  drain(): void;
  /**
   * Drains, stops accepting connections, lets requests in flight finish for up to `graceMs`
   * (default 0: cut at once), then closes what is left and the store.
   */
  close(options?: { graceMs?: number | undefined }): Promise<void>;
}

/**
 * Opens the store a database setting names: PostgreSQL for a `postgres://` URL, else a SQLite
 * file. Applies pending migrations unless `migrate: false`. Rejects when PostgreSQL cannot
 * be reached (see `isUnavailable`).
 */
export async function openStore(
  db: string,
  options: { migrate?: boolean | undefined; poolSize?: number | undefined; searchTimeoutMs?: number | undefined; shared?: boolean | undefined } = {},
): Promise<Store> {
  if (isPostgresUrl(db)) return PostgresStore.open(db, { migrate: options.migrate, poolSize: options.poolSize, searchTimeoutMs: options.searchTimeoutMs });
  return new SqliteStore(db, { migrate: options.migrate, shared: options.shared });
}

/** Starts the API over HTTP on Node. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = options.db ?? '.portico/portico.db';
  const store = options.store ?? (await openStore(db, options));
  const defaultBlobs = () =>
    isPostgresUrl(db)
      ? new FileBlobStore('.portico/attachments')
      : db !== ':memory:' && !db.startsWith('file:')
        ? new FileBlobStore(attachmentsDirFor(db))
        : undefined;
  const blobs = options.blobs ?? (options.store ? undefined : defaultBlobs());
  // Before listening, nothing else writes attachments: what a crash left unreferenced can go.
  // Not so with PostgreSQL, or SQLite workers, where other processes write to it now.
  if (blobs instanceof FileBlobStore && !isPostgresUrl(db) && !options.shared)
    await blobs.removeOrphans(async (key) => (await store.getAttachment(key)) !== undefined);
  let seeded = false;
  if (options.seed === 'demo' && (await store.isEmpty())) {
    try {
      await store.load(demoSeed(options.now?.() ?? new Date(), { sla: options.sla }));
      seeded = true;
    } catch (error) {
      // Several instances starting on one empty database: one of them seeds it.
      if (await store.isEmpty()) throw error;
    }
  }
  const webhookOptions = options.webhooks ?? {};
  const allowPrivate = webhookOptions.allowPrivate ?? false;
  // Started once the app exists; the app's onQueued wakes it (so it is declared first).
  // eslint-disable-next-line prefer-const -- read by the closure above its assignment
  let worker: WebhookWorker | undefined;
  const draining = new AbortController();
  const { app, sweeper } = createAppWithSla({
    store,
    auth: options.auth,
    now: options.now,
    corsOrigins: options.corsOrigins,
    serviceApiKeys: options.serviceApiKeys,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    rateLimiter: options.rateLimiter,
    authFailureLimit: options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
    clientAddress: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress,
    blobs,
    sla: options.sla,
    events: options.events,
    webhooks: {
      allowPrivate,
      checkUrl: nodeWebhookUrlCheck(allowPrivate),
      onQueued: () => worker?.wake(),
      previousSecretTtlSeconds: webhookOptions.previousSecretTtlSeconds,
    },
    drain: draining.signal,
  });
  // Delivery runs beside the API, never inside a request: a slow receiver delays only itself.
  worker = startWebhookWorker({ store, send: createNodeSender({ allowPrivate }), now: options.now }, webhookOptions);
  const basePath = normalizeBasePath(options.basePath);
  const root = new Hono();
  root.use(async (c, next) => {
    await next();
    // While draining, each answer closes its connection, so a keep-alive client's next request
    // opens a new one (through the load balancer, to another instance) and closing ends sooner.
    if (draining.signal.aborted) c.res.headers.set('Connection', 'close');
  });
  // Every text response of 1 KiB or more (API JSON, and what `extend` serves) goes out brotli-
  // or gzip-compressed when the client accepts it; event streams and records with a strong
  // ETag are left alone (compression.ts). Only here, not in the app: the app also runs in a
  // browser (the mocks), where the service worker must hand back plain bodies.
  root.use(compression());
  root.route(basePath || '/', app);
  const bundle = options.widgetBundle ?? findWidgetBundle();
  if (bundle) widgetBundleRoutes(root, bundle);
  options.extend?.(root);
  // Unmatched paths outside the API still answer with the API's problem+json 404.
  root.notFound((c) => app.fetch(c.req.raw));

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: root.fetch,
        port: options.port ?? 8787,
        ...(options.hostname ? { hostname: options.hostname } : {}),
        // Node's 16 KiB default answers a long query (a forged cursor) with a bare 431 before the
        // app sees it; with room for it the app answers a 422 problem saying which parameter.
        serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
      },
      () => resolve(s),
    );
    s.once('error', reject);
    // What is still too large, or not HTTP at all, gets a problem+json body rather than an empty one.
    s.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const problem = tooLarge
        ? problemBody(431, 'bad_request', `The request line and headers must be at most ${MAX_HEADER_BYTES} bytes.`)
        : problemBody(400, 'bad_request', 'The request is not valid HTTP.');
      const body = JSON.stringify(problem);
      const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
  // The SLA scheduler: records sla.at_risk / sla.breached as tickets cross them, even when
  // nobody is looking (event streams and timeline reads also run it, throttled). It starts
  // once the server listens and yields between pages, so a large backlog delays no request
  // by more than a page.
  const sweepMs = options.slaSweepMs ?? 30_000;
  const sweepTimer = sweepMs > 0 ? setInterval(() => void sweeper.maybeSweep(0), sweepMs) : undefined;
  sweepTimer?.unref();
  if (sweepMs > 0) void sweeper.maybeSweep(0);
  const address = server.address() as AddressInfo;
  const host = !options.hostname || options.hostname === '0.0.0.0' || options.hostname === '::' ? 'localhost' : options.hostname;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${basePath}`,
    port: address.port,
    app,
    store,
    seeded,
    drain: () => draining.abort(),
    close: async ({ graceMs = 0 } = {}) => {
      draining.abort();
      if (sweepTimer) clearInterval(sweepTimer);
      const http = server as unknown as { closeAllConnections(): void; closeIdleConnections(): void };
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A live stream that just ended leaves its connection idle but open (keep-alive): close
      // such connections as they go idle, until the requests in flight are done or time is up.
      const sweepIdle = setInterval(() => http.closeIdleConnections(), 50);
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([closed, deadline]);
      clearInterval(sweepIdle);
      http.closeAllConnections();
      await closed;
      await worker?.stop();
      await store.close();
    },
  };
}

/** Largest request line plus headers, bytes. */
const MAX_HEADER_BYTES = 64 * 1024;

function normalizeBasePath(path: string | undefined): string {
  const trimmed = (path ?? '').trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
