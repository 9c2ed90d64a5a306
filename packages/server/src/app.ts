/**
 * The Portico REST API (v1) as a Hono app: a web-standard fetch handler that runs in
 * Node (with any store) and in the browser (with the memory store, behind MSW).
 */
import type { Actor } from '@portico/core';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { AuthError, accountSuspended, createTokenVerifier, resolveRoleRules, type AuthConfig } from './auth.ts';
import { isServicePath, serviceAuth } from './service-auth.ts';
import { ProblemError, problemBody, problemResponse } from './problem.ts';
import { SearchTimeoutError, StoreUnavailableError, newId, type AccountScope, type Store } from './store.ts';
import { createRateLimiter, createStoreRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { createRouteKit, unauthorized, type Caller, type Env, type PorticoApp } from './routes/kit.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { registerTicketRoutes } from './routes/tickets.ts';
import { registerCommentRoutes } from './routes/comments.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { registerTicketActionRoutes } from './routes/ticket-actions.ts';
import { registerFollowerRoutes } from './routes/followers.ts';
import { registerViewRoutes } from './routes/views.ts';
import { registerSimilarRoutes } from './routes/similar.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { registerArticleRoutes } from './routes/articles.ts';
import { registerServiceArticleRoutes } from './routes/service-articles.ts';
import { MemoryBlobStore, type BlobStore } from './blobs.ts';
import { registerActivityRoutes } from './routes/activity.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerSummaryRoutes } from './routes/summary.ts';
import { registerWebhookRoutes, type CheckWebhookUrl } from './routes/webhooks.ts';
import { registerServiceAccountRoutes } from './routes/service-accounts.ts';
import { registerAgentRoutes } from './routes/agent.ts';
import type { LiveEventOptions, LiveKit } from './routes/live-kit.ts';
import { LiveHub } from './routes/live-hub.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { createSlaSweeper, validateSlaConfig, withSla, type SlaConfig, type SlaSweeper } from './sla.ts';

export { ticketEtag, type PorticoApp } from './routes/kit.ts';

/** Options of `createApp`. */
export interface AppOptions {
  store: Store;
  /** How bearer tokens are verified (exactly one of secret, publicKey, jwksUrl). */
  auth: AuthConfig;
  /** Clock, for tests and the demo (default: the system clock). */
  now?: (() => Date) | undefined;
  /**
   * Origins allowed to call the API from a browser: `'*'` (default; safe because auth is a
   * bearer header, never a cookie), a list, or a predicate.
   */
  corsOrigins?: '*' | readonly string[] | ((origin: string) => boolean) | undefined;
  /** Largest accepted request body in bytes (default 256 KiB). */
  maxBodyBytes?: number | undefined;
  /** Receives unexpected errors (default: `console.error`). */
  onError?: ((error: unknown) => void) | undefined;
  /** API keys accepted on the vendor's service API (`/v1/service/...`); none = switched off. */
  serviceApiKeys?: readonly string[] | undefined;
  /**
   * Requests per caller (contact, or service API key) before 429 + `Retry-After`; default
   * off here (the Node server and CLI turn on `DEFAULT_RATE_LIMIT`).
   */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * Counts `rateLimit` somewhere every process serving the database shares (SQLite workers: the
   * cluster primary's buckets, see cluster-rate-limit.ts). Default: the store's shared buckets
   * (`Store.takeRateToken`) where it has them, else buckets in this process.
   */
  rateLimiter?: RateLimiter | undefined;
  /**
   * Failed authentications per client address before 429 + `Retry-After` (a valid token is never
   * refused by it); default off here (the Node server turns on `DEFAULT_AUTH_FAILURE_LIMIT`).
   */
  authFailureLimit?: RateLimitOptions | false | undefined;
  /** The client's address of a request (the Node server reads the socket's); default: unknown, one bucket for all. */
  clientAddress?: ((c: Context<Env>) => string | undefined) | undefined;
  /** Where attachment content is kept (default: in memory; `startServer` uses files beside the SQLite file). */
  blobs?: BlobStore | undefined;
  /** Largest attachment in bytes (default 10 MiB). */
  maxAttachmentBytes?: number | undefined;
  /** SLA policies by tier and business hours by account (default: `DEFAULT_SLA_POLICIES`). */
  sla?: SlaConfig | undefined;
  /** Timing of the live event stream (`GET /v1/events`). */
  events?: LiveEventOptions | undefined;
  /** Webhook endpoint rules (`/v1/service/webhooks`); see docs/webhooks.md. */
  webhooks?: AppWebhookOptions | undefined;
  /**
   * Aborted when the host starts shutting down (`startServer` does on `close`): `GET /readyz`
   * answers 503 at once, open live streams end so their clients resume elsewhere with
   * `Last-Event-ID`, and new streams are refused with 503.
   */
  drain?: AbortSignal | undefined;
}

/** What the webhook routes need from the host. */
export interface AppWebhookOptions {
  /**
   * Accept endpoint URLs on private, loopback and link-local addresses (default false; the
   * CLI's `--webhook-allow-private`, for local demos and tests only).
   */
  allowPrivate?: boolean | undefined;
  /**
   * Checks an endpoint URL's addresses: why it is refused, or undefined. Node hosts pass
   * `nodeWebhookUrlCheck` from `@portico/server/node` (`startServer` does); without one,
   * only `allowPrivate` servers accept endpoints.
   */
  checkUrl?: CheckWebhookUrl | undefined;
  /** Called when a manual redelivery was queued (`startServer` wakes its delivery worker). */
  onQueued?: (() => void) | undefined;
  /** How long a rotated-out secret keeps signing by default, seconds (default 86 400). */
  previousSecretTtlSeconds?: number | undefined;
}

/** Seconds a client waits before retrying while the database is unavailable. */
const UNAVAILABLE_RETRY_S = 5;

/** `lastSeenAt` is written at most this often per contact. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Creates the API. Mount it where you like (`/v1/...` routes inside). */
export function createApp(options: AppOptions): PorticoApp {
  return createAppWithSla(options).app;
}

/** `createApp`, plus the SLA sweeper a host runs on a timer (see `startServer`). */
export function createAppWithSla(options: AppOptions): { app: PorticoApp; sweeper: SlaSweeper } {
  const raw = options.store;
  const now = options.now ?? (() => new Date());
  const slaConfig = options.sla ?? {};
  validateSlaConfig(slaConfig);
  // Every ticket read through the routes carries its SLA, whatever route reads it.
  const store = withSla(raw, slaConfig, now);
  const verify = createTokenVerifier(options.auth);
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const logError = options.onError ?? ((error: unknown) => console.error('[portico] unhandled error', error));
  const app = new Hono<Env>();

  const origins = options.corsOrigins ?? '*';
  // The origin an answer names: the caller's when allowed, else none (`undefined`: any origin,
  // `*`). One function for the preflight (Hono's cors) and every other answer (below).
  const allowOrigin =
    origins === '*'
      ? undefined
      : typeof origins === 'function'
        ? (origin: string) => (origins(origin) ? origin : null)
        : (origin: string) => (origins.includes(origin) ? origin : null);
  const exposeHeaders = ['ETag', 'Location', 'Retry-After', 'Idempotency-Replayed', 'Content-Disposition'];
  const preflight = cors({
    origin: allowOrigin ?? '*',
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match', 'Last-Event-ID'],
    exposeHeaders,
    maxAge: 600,
  });
  const exposed = exposeHeaders.join(',');
  // Preflights are answered by Hono's cors. Other answers get the same headers here, set on the
  // route's response once it exists, in place: Hono's cors would set them before the route
  // answers (Hono then rebuilds the route's response around its body stream) and append
  // `Vary: Origin` through `c.header`, which rebuilds a finished response the same way. Either
  // costs an in-memory JSON body the Node adapter's fast path, where it goes out whole in one
  // call (see docs/performance.md, "CORS with listed origins").
  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const headers = c.res.headers;
    const allowed = allowOrigin ? allowOrigin(c.req.header('Origin') ?? '') : '*';
    if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
    headers.set('Access-Control-Expose-Headers', exposed);
    // The answer names the caller's origin or none: caches must keep one per origin.
    if (allowOrigin) headers.append('Vary', 'Origin');
  });

  // API responses are per caller and may carry personal data: never cached, never sniffed.
  app.use('*', async (c, next) => {
    await next();
    if (!/\bno-store\b/.test(c.res.headers.get('Cache-Control') ?? '')) c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });

  app.onError((error) => {
    if (error instanceof ProblemError) return problemResponse(error.toProblem(), error.headers);
    if (error instanceof StoreUnavailableError) {
      // Nothing was written (the transaction never committed): the client may retry as is.
      return problemResponse(problemBody(503, 'unavailable', 'The database is unavailable right now. Please retry shortly.'), {
        'Retry-After': String(UNAVAILABLE_RETRY_S),
      });
    }
    if (error instanceof SearchTimeoutError) {
      // Cancelled by the store's search budget: the same words may finish when the server is
      // less busy; fewer matches (more words, a narrower account or status) finish sooner.
      return problemResponse(problemBody(503, 'search_timeout', 'This search took too long. Add words or filters to narrow it, or retry shortly.'), {
        'Retry-After': String(UNAVAILABLE_RETRY_S),
      });
    }
    logError(error);
    return problemResponse(problemBody(500, 'internal', 'Something went wrong on our side. Please try again.'));
  });
  app.notFound((c) => problemResponse(problemBody(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));

  // --- auth ---------------------------------------------------------------
  // The vendor's service API takes an API key; every other route a contact's token.
  // Every store call of a request runs in the caller's account scope (the store's own guard,
  // e.g. PostgreSQL row-level security, under the policy checks); the service plane in all.
  const scoped = <T>(scope: AccountScope, next: () => Promise<T>): Promise<T> => (raw.runAs ? raw.runAs(scope, next) : next());
  const failures = options.authFailureLimit ? createRateLimiter(options.authFailureLimit, now) : undefined;
  /** Spends from the client address's budget of failed authentications (429 once it is gone). */
  const countFailure = (c: Context<Env>, error: unknown) => {
    // Only failures count: a valid token or key from behind the same NAT still works.
    if (failures && error instanceof ProblemError && error.status === 401) failures.take(`auth:${options.clientAddress?.(c) ?? 'unknown'}`);
  };
  const checkServiceKey = serviceAuth<Env>(options.serviceApiKeys ?? []);
  app.use('/v1/service/*', async (c, next) => {
    let authenticated = false;
    try {
      await checkServiceKey(c, async () => {
        authenticated = true;
        await scoped('all', next);
      });
    } catch (error) {
      if (!authenticated) countFailure(c, error);
      throw error;
    }
  });
  app.use('/v1/*', async (c, next) => {
    if (isServicePath(c.req.path)) return next();
    let caller: Caller;
    try {
      caller = await authenticate(c.req.header('Authorization'));
    } catch (error) {
      countFailure(c, error);
      throw error;
    }
    c.set('caller', caller);
    await scoped([caller.account.id, ...caller.children.map((a) => a.id)], next);
  });
  if (options.rateLimit) {
    // A store shared by several instances counts there, so they enforce one limit together.
    const limiter =
      options.rateLimiter ?? (raw.takeRateToken ? createStoreRateLimiter(options.rateLimit, raw, now) : createRateLimiter(options.rateLimit, now));
    app.use('/v1/*', async (c, next) => {
      await limiter.take(isServicePath(c.req.path) ? `service:${c.get('service').keyIndex}` : `contact:${c.get('caller').contact.id}`);
      await next();
    });
  }

  async function authenticate(header: string | undefined): Promise<Caller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw unauthorized('Send a Portico token as "Authorization: Bearer <token>".');
    const at = now();
    let claims;
    try {
      claims = await verify(match[1]!, at);
    } catch (error) {
      if (error instanceof AuthError) throw unauthorized(error.message);
      throw error;
    }
    // Read in the signed token's own account scope, the scope most of the request then runs in:
    // a store that keeps the scope per connection (PostgreSQL) need not switch it back and forth.
    const [account, found] = await scoped([claims.account], async () => {
      if (store.findAccountContact) {
        const { account: a, contact } = await store.findAccountContact(claims.account, claims.email);
        return [a, a && a.status !== 'suspended' ? contact : undefined] as const;
      }
      const a = await store.getAccount(claims.account);
      return [a, a && a.status !== 'suspended' ? await store.findContactByEmail(a.id, claims.email) : undefined] as const;
    });
    if (!account) throw unauthorized("The token's account is not known to Portico.");
    if (account.status === 'suspended') throw accountSuspended();
    let contact = found;
    if (!contact) {
      const domain = claims.email.slice(claims.email.lastIndexOf('@') + 1);
      if (!account.domains.some((d) => d.toLowerCase() === domain)) {
        throw unauthorized(`The email domain ${domain} is not one of the account's domains, and the contact was not invited.`);
      }
      const stamp = at.toISOString();
      // Written with its contact.created activity and outbox entry, like every other access change;
      // undefined when a concurrent first request created it first.
      contact =
        (await store.registerContact({
          id: newId('con'),
          accountId: account.id,
          email: claims.email,
          name: claims.name,
          role: claims.role ?? 'requester',
          status: 'active',
          createdAt: stamp,
          lastSeenAt: stamp,
        })) ?? (await store.findContactByEmail(account.id, claims.email));
      if (!contact) throw unauthorized('This contact could not be created.');
    } else {
      if (contact.status === 'deactivated') throw unauthorized('This contact has been deactivated.');
      const lastSeen = contact.lastSeenAt ? Date.parse(contact.lastSeenAt) : 0;
      if (contact.status === 'invited' || at.getTime() - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
        contact = (await store.updateContact(contact.id, { status: 'active', lastSeenAt: at.toISOString() })) ?? contact;
      }
    }
    // The contact's role as stored now (never the token's), resolved to its rule.
    const rules = await resolveRoleRules(store, contact.role);
    // A suspended child account is out of reach like its own contacts are.
    const children = rules.childAccounts ? (await store.listChildAccounts(account.id)).filter((a) => a.status !== 'suspended') : [];
    const actor: Actor = { contactId: contact.id, accountId: account.id, role: contact.role, rules, childAccountIds: children.map((a) => a.id) };
    return { actor, contact, account, children };
  }

  // --- routes: one module per feature (see routes/kit.ts) ---------------
  const kit = createRouteKit(store, now, maxBodyBytes);
  registerHealthRoutes(app, { store: raw, drain: options.drain });
  registerSessionRoutes(app);
  registerSimilarRoutes(app, kit); // before tickets: `/v1/tickets/similar` is not a ticket id
  registerTicketRoutes(app, kit);
  registerCommentRoutes(app, kit);
  registerContactRoutes(app, kit);
  registerTicketActionRoutes(app, kit);
  registerFollowerRoutes(app, kit);
  registerViewRoutes(app, kit);
  const blobs = options.blobs ?? new MemoryBlobStore();
  registerAttachmentRoutes(app, kit, { blobs, maxBytes: options.maxAttachmentBytes });
  registerArticleRoutes(app, kit);
  const sweeper = createSlaSweeper(raw, slaConfig, now, logError);
  const events = { pollMs: 1_000, heartbeatMs: 15_000, maxConnectionMs: 5 * 60_000, recheckMs: 1_000, ...stripUndefined(options.events ?? {}) };
  const live: LiveKit = {
    raw,
    sla: slaConfig,
    sweeper,
    events,
    hub: new LiveHub({
      store,
      pollMs: events.pollMs,
      // Fine enough that a due heartbeat, expiry or end is late by a fraction of its interval.
      tickMs: Math.min(250, Math.max(10, Math.min(events.heartbeatMs, events.maxConnectionMs, events.recheckMs) / 4)),
      recheckMs: events.recheckMs,
      // Streams re-run the REST middleware's resolution, so whatever it refuses ends them too.
      resolveCaller: authenticate,
      now,
      onTick: () => sweeper.maybeSweep(),
      onError: logError,
    }),
    drain: options.drain,
    onError: logError,
  };
  registerActivityRoutes(app, kit, live);
  registerEventRoutes(app, kit, live);
  registerSummaryRoutes(app, kit, live);
  registerServiceArticleRoutes(app, kit);
  const webhooks = options.webhooks ?? {};
  registerWebhookRoutes(app, kit, {
    allowPrivate: webhooks.allowPrivate ?? false,
    checkUrl: webhooks.checkUrl,
    onQueued: webhooks.onQueued,
    previousSecretTtlSeconds: webhooks.previousSecretTtlSeconds,
  });
  registerServiceAccountRoutes(app, kit);
  registerAgentRoutes(app, kit, { live, blobs, maxAttachmentBytes: options.maxAttachmentBytes });

  return { app, sweeper };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
