/**
 * @portico/mocks — MSW handlers that run the Portico server's own app on a fresh memory
 * store, so Storybook and browser tests talk to the real API logic, not a hand-written fake.
 * Browser-safe: no Node imports.
 */
import { HttpResponse, delay, http, type HttpHandler } from 'msw';
import { PROBLEM_CONTENT_TYPE, type ErrorCode, type Role } from '@portico/core';
import {
  DEMO_JWT_SECRET,
  DEMO_SERVICE_API_KEY,
  MemoryStore,
  createApp,
  demoSeed,
  mintToken,
  problemBody,
  type PorticoApp,
  type SeedData,
} from '@portico/server';

export { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_EMAILS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY } from '@portico/server';

/** Options of `createMockApi`. */
export interface MockApiOptions {
  /**
   * Where the API is mounted: a path on the page's origin (in Node: on `http://localhost`),
   * or an absolute URL. Default `/api`.
   */
  apiBase?: string;
  /** Clock of the app and anchor of the seed's timestamps (default: the real clock). */
  now?: Date | (() => Date);
  /**
   * Data to start with: `demo` (default), `empty` (the demo accounts and contacts, no
   * tickets: for empty states), or your own `SeedData`.
   */
  seed?: 'demo' | 'empty' | SeedData;
  /** Milliseconds every response waits (default 0), to see loading states. */
  latency?: number;
}

/** Options of `tokenFor`. */
export interface MockTokenOptions {
  /** Account claim (default: the contact's, or the account owning the email's domain). */
  account?: string;
  name?: string;
  role?: Role;
  /** Lifetime in seconds (default 900). */
  ttlSeconds?: number;
  /** `locale` claim (BCP 47), which the provider follows when it has no `lang`. */
  locale?: string;
  /** `session_exp` claim (epoch seconds): when the vendor's session ends; the provider warns before it. */
  sessionExpiresAt?: number;
}

/** A mocked Portico API. */
export interface MockApi {
  /** MSW handlers: pass to `setupWorker(...)` / `setupServer(...)`. */
  handlers: HttpHandler[];
  /** The memory store behind the app: inspect or change data in tests. */
  store: MemoryStore;
  /** The server app the handlers forward to. */
  app: PorticoApp;
  /** The data the store started with. */
  seed: SeedData;
  /** Resolves once the seed is loaded (handlers wait for it themselves). */
  ready: Promise<void>;
  /** A valid demo token for a contact's email, signed with `DEMO_JWT_SECRET`. */
  tokenFor(email: string, options?: MockTokenOptions): Promise<string>;
}

/** Path part of an API base (`/api`, or the path of an absolute URL), without a trailing slash. */
function basePathOf(apiBase: string): string {
  const path = new URL(apiBase, 'http://portico.invalid').pathname.replace(/\/+$/, '');
  return path;
}

/**
 * MSW's pattern for everything below an API base. A relative base means the page's origin;
 * where there is no page (Node), it means `http://localhost`.
 */
function patternOf(apiBase: string): string {
  const base = apiBase.replace(/\/+$/, '');
  const absolute = /^[a-z][a-z\d+.-]*:/i.test(base);
  return absolute || typeof location !== 'undefined' ? `${base}/*` : `http://localhost${base.startsWith('/') ? '' : '/'}${base}/*`;
}

/** Creates the mocked API: the real app on a fresh `MemoryStore`. */
export function createMockApi(options: MockApiOptions = {}): MockApi {
  const apiBase = options.apiBase ?? '/api';
  const clock = typeof options.now === 'function' ? options.now : options.now ? () => options.now as Date : () => new Date();
  const seed = typeof options.seed === 'object' ? options.seed : seedFor(options.seed ?? 'demo', clock());
  const store = new MemoryStore();
  const ready = store.load(seed);
  // The service API answers to the demo key, so stories and tests can play the vendor's agent.
  const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: clock, serviceApiKeys: [DEMO_SERVICE_API_KEY] });
  const base = basePathOf(apiBase);

  /** Hands a request to the app with the API base stripped (the app serves `/v1/...`). */
  const forward = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (base && (url.pathname === base || url.pathname.startsWith(`${base}/`))) url.pathname = url.pathname.slice(base.length) || '/';
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return app.fetch(new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal }));
  };

  const handlers: HttpHandler[] = [
    http.all(patternOf(apiBase), async ({ request }) => {
      await ready;
      if (options.latency) await delay(options.latency);
      return forward(request);
    }),
  ];

  const tokenFor = async (email: string, tokenOptions: MockTokenOptions = {}) => {
    const wanted = email.trim().toLowerCase();
    const contact = seed.contacts.find((c) => c.email.toLowerCase() === wanted);
    const domain = wanted.slice(wanted.lastIndexOf('@') + 1);
    const account = tokenOptions.account ?? contact?.accountId ?? seed.accounts.find((a) => a.domains.includes(domain))?.id;
    if (!account) throw new Error(`@portico/mocks: no demo contact or account for ${email}`);
    return mintToken(
      {
        email: wanted,
        account,
        name: tokenOptions.name ?? contact?.name ?? email,
        role: tokenOptions.role,
        locale: tokenOptions.locale,
        sessionExpiresAt: tokenOptions.sessionExpiresAt,
      },
      { secret: DEMO_JWT_SECRET, now: clock(), ttlSeconds: tokenOptions.ttlSeconds },
    );
  };

  return { handlers, store, app, seed, ready, tokenFor };
}

function seedFor(kind: 'demo' | 'empty', now: Date): SeedData {
  const demo = demoSeed(now);
  return kind === 'demo' ? demo : { ...demo, tickets: [], comments: [], activity: [] };
}

// ---------------------------------------------------------------------------
// State handlers: put them before `createMockApi().handlers` (or `worker.use(...)` them)
// to show loading, error and offline states.

/** Every API request fails as a network error (offline, CORS, DNS). */
export function networkErrorHandlers(apiBase = '/api'): HttpHandler[] {
  return [http.all(patternOf(apiBase), () => HttpResponse.error())];
}

/** Every API request answers a problem+json error (default: 500 `internal`). */
export function problemHandlers(apiBase = '/api', status = 500, code: ErrorCode = 'internal', detail?: string): HttpHandler[] {
  return [
    http.all(patternOf(apiBase), () => HttpResponse.json(problemBody(status, code, detail), { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } })),
  ];
}

/** Every API request hangs forever: the loading state. */
export function loadingHandlers(apiBase = '/api'): HttpHandler[] {
  return [http.all(patternOf(apiBase), () => delay('infinite'))];
}

/** Delays every API request by `ms`, then lets the next handler answer. */
export function latencyHandlers(ms: number, apiBase = '/api'): HttpHandler[] {
  return [
    http.all(patternOf(apiBase), async () => {
      await delay(ms);
      return undefined;
    }),
  ];
}
