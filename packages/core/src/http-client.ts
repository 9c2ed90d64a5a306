import type { Comment, Contact, Page, SavedView, Ticket, TicketPage, Article, Attachment } from './domain.ts';
import { PorticoError } from './errors.ts';
import type {
  ContactChangeResult,
  ContactListQuery,
  CreateOptions,
  DeactivateOptions,
  EscalationResult,
  PorticoClient,
  RequestOptions,
  SatisfactionResult,
  TicketListQuery,
  UpdateOptions,
  ArticleListQuery,
  UploadFile,
  EventSubscription,
} from './client.ts';
import type {
  CommentCreate,
  ContactInvite,
  ContactUpdate,
  EscalationCreate,
  PageQuery,
  SatisfactionCreate,
  SavedViewCreate,
  TicketCreate,
  TicketPatch,
} from './inputs.ts';
import type { AccountSummary, ActivityListQuery, LiveEvent, NotificationPage, TimelineEntry } from './live.ts';
import type { Session } from './session.ts';
import ky, { HTTPError, TimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import { createParser } from 'eventsource-parser';

/** Supplies a bearer token; `forceRefresh` asks for a new one (after a 401). */
export type TokenProvider = (options: { forceRefresh: boolean }) => string | Promise<string>;

export interface HttpClientOptions {
  /** Base URL of the API, e.g. `https://example.com/api` (routes are appended as `/v1/...`). */
  apiBase: string;
  /** Called for a token before the first request, before expiry and once after a 401. */
  getToken?: TokenProvider | undefined;
  /** A fixed token, when there is no `getToken`. */
  token?: string | undefined;
  /** Called when the server still answers 401 after a token refresh. */
  onUnauthorized?: ((error: PorticoError) => void) | undefined;
  /** Request timeout in milliseconds, per attempt, until the response headers arrive (default 15 s). */
  timeout?: number | undefined;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch | undefined;
}

/** Refresh this long before the token's `exp`, so a request never carries an expired one. */
const EXPIRY_MARGIN_MS = 30_000;

interface Call extends RequestOptions {
  json?: unknown;
  /** A raw body (uploads); send its `Content-Type` in `headers`. */
  body?: Blob;
  /** Query parameters: arrays comma-joined; undefined, null, false, '' and [] left out. */
  query?: object;
  headers?: Record<string, string>;
  /** Resolve with the body as a Blob instead of parsed JSON. */
  blob?: boolean;
  /** Overrides the client's timeout (uploads take longer). */
  timeout?: number;
}

/** Uploads of up to 10 MB get more time than the default request timeout. */
const UPLOAD_TIMEOUT_MS = 120_000;

const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');

/**
 * The type to upload a file as. Known extensions win over what the browser reports, which
 * varies by system (`.log` is `text/x-log` on Linux, `.csv` is `application/vnd.ms-excel` and
 * `.zip` `application/x-zip-compressed` on Windows); otherwise the browser's type. The server
 * decides what it accepts.
 */
export function uploadTypeOf(file: UploadFile): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return EXTENSION_TYPES[ext] ?? (file.type || 'application/octet-stream');
}

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  har: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The claims of a JWT, unverified (only to read `exp` or `locale`), or `{}` when it is not a readable JWT. */
export function tokenClaims(token: string | undefined): Record<string, unknown> {
  // No token (a host that gives `getToken`) is usual, not an error: it is answered without a
  // throw, since a thrown error (its stack trace) costs more than decoding a token.
  const payload = token?.split('.')[1];
  try {
    return (payload && JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))) || {};
  } catch {
    return {};
  }
}

/** The `exp` of a JWT in ms, or undefined when it is not a readable JWT. */
export function tokenExpiry(token: string): number | undefined {
  const { exp } = tokenClaims(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** `If-Match` for a known contact version (the server's ETag format, `"c<version>"`). */
const ifMatch = (options: UpdateOptions): Record<string, string> | undefined =>
  options.version === undefined ? undefined : { 'If-Match': `"c${options.version}"` };

/** Attempts after the first for idempotent requests (GET, PUT, DELETE) that may succeed later. */
const RETRIES = 2;
/** Answers worth another attempt: timeouts, rate limits, gateways and an unavailable server. */
const RETRY_STATUSES = [408, 429, 502, 503, 504];
/** Longest wait a `Retry-After` may ask for before the client gives up retrying. */
const MAX_RETRY_AFTER_MS = 10_000;

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), in ms. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isNaN(seconds) ? Date.parse(header) - Date.now() : seconds * 1000;
}

/**
 * `PorticoClient` over the REST contract, on `ky` (over `fetch`): bearer token (refreshed
 * before expiry and once after a 401), a timeout per attempt, and retries of idempotent
 * requests on network errors and 408/429/502/503/504 (honouring `Retry-After`). Creates are
 * never retried here: they carry an `Idempotency-Key`, so the caller may safely send them again.
 */
export class HttpClient implements PorticoClient {
  readonly apiBase: string;
  readonly #options: HttpClientOptions;
  readonly #http: KyInstance;
  #token: string | undefined;
  #pendingToken: Promise<string> | undefined;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.#token = options.token;
    this.#http = ky.create({
      prefixUrl: `${this.apiBase}/v1`,
      timeout: options.timeout ?? 15_000,
      // Read at call time and called unbound: test doubles (MSW) may replace the global fetch.
      fetch: (input, init) => (this.#options.fetch ?? fetch)(input, init),
      retry: {
        limit: RETRIES,
        methods: ['get', 'put', 'delete'],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: RETRY_STATUSES,
        // 0.3 s, 0.6 s … unless the server's Retry-After says otherwise.
        delay: (attempt) => 300 * 2 ** (attempt - 1),
        // A server asking for a long pause gets its answer reported rather than waited for.
        shouldRetry: ({ error }) => (error instanceof HTTPError && (retryAfterMs(error.response) ?? 0) > MAX_RETRY_AFTER_MS ? false : undefined),
      },
      hooks: {
        beforeRequest: [
          async (request) => {
            const token = await this.token(false);
            if (token) request.headers.set('Authorization', `Bearer ${token}`);
          },
        ],
      },
    });
  }

  getSession(options?: RequestOptions): Promise<Session> {
    return this.request('get', 'me', options);
  }

  listTickets(query: TicketListQuery = {}, options?: RequestOptions): Promise<TicketPage> {
    return this.request('get', 'tickets', { ...options, query });
  }

  getTicket(id: string, options?: RequestOptions): Promise<Ticket> {
    return this.request('get', path('tickets', id), options);
  }

  createTicket(input: TicketCreate, options?: CreateOptions): Promise<Ticket> {
    return this.create('tickets', input, options);
  }

  updateTicket(id: string, patch: TicketPatch, options: UpdateOptions = {}): Promise<Ticket> {
    return this.request('patch', path('tickets', id), { ...options, json: patch, headers: options.ifMatch ? { 'If-Match': options.ifMatch } : {} });
  }

  followTicket(id: string, options?: RequestOptions): Promise<Ticket> {
    return this.request('put', path('tickets', id, 'followers', 'me'), options);
  }

  async unfollowTicket(id: string, options?: RequestOptions): Promise<Ticket | null> {
    return (await this.request<Ticket | undefined>('delete', path('tickets', id, 'followers', 'me'), options)) ?? null;
  }

  markTicketSeen(id: string, options?: RequestOptions): Promise<void> {
    return this.request('put', path('tickets', id, 'seen', 'me'), options);
  }

  escalateTicket(id: string, input: EscalationCreate, options?: CreateOptions): Promise<EscalationResult> {
    return this.create(path('tickets', id, 'escalations'), input, options);
  }

  rateTicket(id: string, input: SatisfactionCreate, options?: CreateOptions): Promise<SatisfactionResult> {
    return this.create(path('tickets', id, 'satisfaction'), input, options);
  }

  listViews(options?: RequestOptions): Promise<{ items: SavedView[] }> {
    return this.request('get', 'views', options);
  }

  createView(input: SavedViewCreate, options?: CreateOptions): Promise<SavedView> {
    return this.create('views', input, options);
  }

  deleteView(id: string, options?: RequestOptions): Promise<void> {
    return this.request('delete', path('views', id), options);
  }

  async findSimilarTickets(q: string, options?: RequestOptions): Promise<Ticket[]> {
    return (await this.request<{ items: Ticket[] }>('get', 'tickets/similar', { ...options, query: { q } })).items;
  }

  uploadAttachment(file: UploadFile, options?: CreateOptions): Promise<Attachment> {
    return this.create('attachments', undefined, options, {
      body: file,
      query: { name: file.name },
      timeout: UPLOAD_TIMEOUT_MS,
      headers: { 'Content-Type': uploadTypeOf(file) },
    });
  }

  async listAttachments(ticketId: string, options?: RequestOptions): Promise<Attachment[]> {
    return (await this.request<{ items: Attachment[] }>('get', path('tickets', ticketId, 'attachments'), options)).items;
  }

  downloadAttachment(ticketId: string, attachmentId: string, options?: RequestOptions): Promise<Blob> {
    return this.request('get', path('tickets', ticketId, 'attachments', attachmentId), { ...options, blob: true });
  }

  searchArticles({ q, locale, cursor, limit }: ArticleListQuery = {}, options?: RequestOptions): Promise<Page<Article>> {
    return this.request('get', 'articles', { ...options, query: { q, locale, cursor, limit } });
  }

  async recordDeflection(articleId: string, input: { query?: string | undefined } = {}, options?: RequestOptions): Promise<void> {
    await this.create(path('articles', articleId, 'deflections'), input, options);
  }

  listComments(ticketId: string, { cursor, limit }: Partial<PageQuery> = {}, options?: RequestOptions): Promise<Page<Comment>> {
    return this.request('get', path('tickets', ticketId, 'comments'), { ...options, query: { cursor, limit } });
  }

  addComment(ticketId: string, input: CommentCreate, options?: CreateOptions): Promise<Comment> {
    return this.create(path('tickets', ticketId, 'comments'), input, options);
  }

  listContacts(query: ContactListQuery = {}, options?: RequestOptions): Promise<Page<Contact>> {
    return this.request('get', 'contacts', { ...options, query });
  }

  getContact(id: string, options?: RequestOptions): Promise<Contact> {
    return this.request('get', path('contacts', id), options);
  }

  inviteContact(input: ContactInvite, options?: CreateOptions): Promise<Contact> {
    return this.create('contacts', input, options);
  }

  updateContact(id: string, patch: ContactUpdate, options: UpdateOptions = {}): Promise<Contact> {
    return this.request('patch', path('contacts', id), { ...options, json: patch, headers: ifMatch(options) });
  }

  deactivateContact(id: string, options: DeactivateOptions = {}): Promise<ContactChangeResult> {
    return this.request('delete', path('contacts', id), { ...options, query: { transferTo: options.transferTo }, headers: ifMatch(options) });
  }

  resendInvitation(id: string, options?: RequestOptions): Promise<Contact> {
    return this.request('post', path('contacts', id, 'invitation'), options);
  }

  revokeInvitation(id: string, options?: RequestOptions): Promise<void> {
    return this.request('delete', path('contacts', id, 'invitation'), options);
  }

  transferTickets(fromId: string, toId: string, options?: RequestOptions): Promise<ContactChangeResult> {
    return this.request('post', path('contacts', fromId, 'transfer'), { ...options, json: { to: toId } });
  }

  listActivity(query: ActivityListQuery = {}, options?: RequestOptions): Promise<Page<TimelineEntry>> {
    return this.request('get', 'activity', { ...options, query });
  }

  listNotifications({ cursor, limit }: Partial<PageQuery> = {}, options?: RequestOptions): Promise<NotificationPage & { nextCursor: string | null }> {
    return this.request('get', 'notifications', { ...options, query: { cursor, limit } });
  }

  markNotificationsSeen(until?: string, options?: RequestOptions): Promise<void> {
    return this.request('post', 'notifications/seen', { ...options, json: until ? { until } : {} });
  }

  getSummary(query: { account?: string | undefined; days?: number | undefined } = {}, options?: RequestOptions): Promise<AccountSummary> {
    return this.request('get', 'summary', { ...options, query });
  }

  subscribeEvents(subscription: EventSubscription): () => void {
    const controller = new AbortController();
    const outer = subscription.signal;
    // A listener on an already aborted signal never runs, hence the check.
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', () => controller.abort(), { once: true });
    void this.#runEvents(subscription, controller.signal);
    return () => controller.abort();
  }

  /**
   * Keeps one SSE connection open (through the same transport, so the token, its refresh
   * after a 401 and the timeout apply), reconnecting with `Last-Event-ID` and backoff.
   */
  async #runEvents(sub: EventSubscription, signal: AbortSignal): Promise<void> {
    let lastEventId = sub.lastEventId;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        // No retries of its own (this loop reconnects), except the refresh after a 401.
        const response = await this.#send('events', { method: 'get', headers, signal, cache: 'no-store', retry: 0 });
        failures = 0;
        sub.onStatus?.('open');
        await readEventStream(response.body!, signal, (type, id, data) => {
          if (id) lastEventId = id;
          if (type !== 'activity') return;
          try {
            sub.onEvent(JSON.parse(data) as LiveEvent);
          } catch {
            // A malformed event or a failing listener must not end the stream.
          }
        });
      } catch (caught) {
        if (signal.aborted) break;
        const error = await this.toPorticoError(caught);
        // Refused even after a refresh: the session is over.
        if (error.status === 401) {
          sub.onStatus?.('closed', error);
          return;
        }
        failures++;
        sub.onStatus?.('retrying', error);
      }
      if (signal.aborted) break;
      // The server closes streams on purpose now and then (its time limit, or the contact's
      // access changed): reconnect at once, with a token from `getToken` when the cached one
      // is near expiry, and `Last-Event-ID`, so no event is lost. After failures back off
      // (0.5 s, 1 s, 2 s … up to 30 s, with jitter).
      if (failures > 0) await sleep(Math.min(30_000, 500 * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5), signal);
    }
    sub.onStatus?.('closed');
  }

  /** POST with an `Idempotency-Key` (the caller's, or a fresh one), so a retry never creates twice. */
  protected create<T>(path: string, json: unknown, options: CreateOptions = {}, call: Call = {}): Promise<T> {
    return this.request('post', path, {
      ...options,
      ...call,
      json,
      headers: { ...call.headers, 'Idempotency-Key': options.idempotencyKey ?? crypto.randomUUID() },
    });
  }

  /** Sends one request (token, retries, timeout, one refresh after a 401) and reads its answer. */
  protected async request<T>(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, call: Call = {}): Promise<T> {
    const searchParams = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) {
      // Arrays stringify comma-joined, and an empty one to '' (left out like '').
      const text = value == null || value === false ? '' : String(value);
      if (text) searchParams.set(key, text);
    }
    let response: Response;
    try {
      response = await this.#send(path, {
        method,
        searchParams,
        headers: call.headers,
        json: call.json,
        body: call.body,
        signal: call.signal,
        keepalive: !!call.keepalive,
        ...(call.timeout ? { timeout: call.timeout } : {}),
      });
    } catch (error) {
      // The caller's abort rejects with the caller's reason, as fetch does.
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      throw await this.toPorticoError(error);
    }
    if (response.status === 204) return undefined as T;
    return (call.blob ? await response.blob() : await response.json()) as T;
  }

  /**
   * Sends through ky, and once more with a fresh token after a 401 when `getToken` can mint one
   * (the token may have been revoked early). Done here rather than in an `afterResponse` hook:
   * with such a hook ky clones every response (a tee of its body) to hand the hook a copy, a
   * cost on every request, page load included, for the rare 401.
   */
  async #send(path: string, options: KyOptions): Promise<Response> {
    try {
      return await this.#http(path, options);
    } catch (error) {
      if (!(error instanceof HTTPError) || error.response.status !== 401 || !this.#options.getToken || options.signal?.aborted) throw error;
      await this.token(true);
      return this.#http(path, options);
    }
  }

  /**
   * The one error type for whatever a request failed with: a server's problem (a 401 here,
   * after any refresh, also goes to `onUnauthorized`), a timeout, or a network failure.
   */
  private async toPorticoError(error: unknown): Promise<PorticoError> {
    if (error instanceof HTTPError) {
      const { response } = error;
      const problem = PorticoError.fromProblem(response.status, await response.json().catch(() => null));
      if (response.status === 401) this.#options.onUnauthorized?.(problem);
      return problem;
    }
    const timedOut = error instanceof TimeoutError;
    return new PorticoError({
      status: 0,
      code: timedOut ? 'timeout' : 'network_error',
      message: timedOut ? 'The server took too long to answer.' : 'Could not reach the server. Check your connection.',
      retryable: true,
      cause: error,
    });
  }

  protected async token(forceRefresh: boolean): Promise<string | undefined> {
    const { getToken } = this.#options;
    if (!getToken) return this.#token;
    const expiry = this.#token ? tokenExpiry(this.#token) : undefined;
    const fresh = this.#token && !forceRefresh && (expiry === undefined || expiry - Date.now() > EXPIRY_MARGIN_MS);
    if (fresh) return this.#token;
    this.#pendingToken ??= Promise.resolve(getToken({ forceRefresh })).finally(() => {
      this.#pendingToken = undefined;
    });
    this.#token = await this.#pendingToken;
    return this.#token;
  }
}

/** Waits `ms`, or until `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Reads a `text/event-stream` body with `eventsource-parser` until it ends or `signal` aborts. */
async function readEventStream(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onEvent: (type: string, id: string | undefined, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: (event) => onEvent(event.event ?? 'message', event.id, event.data) });
  const abort = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
