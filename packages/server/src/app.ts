/**
 * The Portico REST API (v1) as a Hono app: a web-standard fetch handler that runs in
 * Node (with any store) and in the browser (with the memory store, behind MSW).
 */
import {
  CommentCreateSchema,
  DEFAULT_PAGE_SIZE,
  PageQuerySchema,
  TicketCreateSchema,
  TicketQuerySchema,
  UNSOLVED_STATUSES,
  can,
  canView,
  fieldErrorsOf,
  permissionsOf,
  reachableAccountIds,
  ticketScope,
  type Account,
  type Actor,
  type Contact,
  type Session,
  type Ticket,
  type TicketStatus,
} from '@portico/core';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { AuthError, createTokenVerifier, type AuthConfig } from './auth.ts';
import { decodeCursor } from './cursor.ts';
import { isServicePath, serviceAuth, type ServiceCaller } from './service-auth.ts';
import { ProblemError, notFound, problemBody, problemResponse, validationFailed } from './problem.ts';
import { KEYSET_TYPES, newId, type IdempotencyRef, type Store, type TicketFilter } from './store.ts';

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
}

/** What the auth middleware resolves for each request. */
interface Caller {
  actor: Actor;
  contact: Contact;
  account: Account;
  children: Account[];
}

type Env = { Variables: { caller: Caller; service: ServiceCaller } };
/** The Hono app `createApp` returns. */
export type PorticoApp = Hono<Env>;

/** `lastSeenAt` is written at most this often per contact. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** ETag of a ticket: changes with every write. */
export const ticketEtag = (ticket: Pick<Ticket, 'version'>) => `"v${ticket.version}"`;

/** Creates the API. Mount it where you like (`/v1/...` routes inside). */
export function createApp(options: AppOptions): PorticoApp {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const verify = createTokenVerifier(options.auth);
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const logError = options.onError ?? ((error: unknown) => console.error('[portico] unhandled error', error));
  const app = new Hono<Env>();

  const origins = options.corsOrigins ?? '*';
  app.use(
    '*',
    cors({
      origin:
        typeof origins === 'function'
          ? (origin) => (origins(origin) ? origin : null)
          : origins === '*'
            ? '*'
            : [...origins],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match'],
      exposeHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotency-Replayed'],
      maxAge: 600,
    }),
  );

  app.onError((error) => {
    if (error instanceof ProblemError) return problemResponse(error.toProblem(), error.headers);
    logError(error);
    return problemResponse(problemBody(500, 'internal', 'Something went wrong on our side. Please try again.'));
  });
  app.notFound((c) => problemResponse(problemBody(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));

  // --- auth ---------------------------------------------------------------
  // The vendor's service API takes an API key; every other route a contact's token.
  app.use('/v1/service/*', serviceAuth(options.serviceApiKeys ?? []));
  app.use('/v1/*', async (c, next) => {
    if (isServicePath(c.req.path)) return next();
    c.set('caller', await authenticate(c.req.header('Authorization')));
    await next();
  });

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
    const account = await store.getAccount(claims.account);
    if (!account) throw unauthorized('The token\'s account is not known to Portico.');
    let contact = await store.findContactByEmail(account.id, claims.email);
    if (!contact) {
      const domain = claims.email.slice(claims.email.lastIndexOf('@') + 1);
      if (!account.domains.some((d) => d.toLowerCase() === domain)) {
        throw unauthorized(`The email domain ${domain} is not one of the account's domains, and the contact was not invited.`);
      }
      const stamp = at.toISOString();
      try {
        contact = await store.createContact({
          id: newId('con'),
          accountId: account.id,
          email: claims.email,
          name: claims.name,
          role: claims.role ?? 'requester',
          status: 'active',
          createdAt: stamp,
          lastSeenAt: stamp,
        });
      } catch (error) {
        // A concurrent first request may have created it.
        contact = await store.findContactByEmail(account.id, claims.email);
        if (!contact) throw error;
      }
    } else {
      if (contact.status === 'deactivated') throw unauthorized('This contact has been deactivated.');
      const lastSeen = contact.lastSeenAt ? Date.parse(contact.lastSeenAt) : 0;
      if (contact.status === 'invited' || at.getTime() - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
        contact = (await store.updateContact(contact.id, { status: 'active', lastSeenAt: at.toISOString() })) ?? contact;
      }
    }
    const children = contact.role === 'admin' ? await store.listChildAccounts(account.id) : [];
    const actor: Actor = { contactId: contact.id, accountId: account.id, role: contact.role, childAccountIds: children.map((a) => a.id) };
    return { actor, contact, account, children };
  }

  // --- session ------------------------------------------------------------
  app.get('/v1/me', (c) => {
    const { actor, contact, account, children } = c.get('caller');
    const reachable = new Set(reachableAccountIds(actor));
    const session: Session = {
      contact,
      account,
      accounts: [account, ...children]
        .filter((a) => reachable.has(a.id))
        .map((a) => ({ id: a.id, name: a.name, parentId: a.parentId })),
      permissions: permissionsOf(actor),
    };
    return c.json(session);
  });

  // --- tickets ------------------------------------------------------------
  app.get('/v1/tickets', async (c) => {
    const { actor } = c.get('caller');
    const parsed = TicketQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;
    const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);

    const reachable = reachableAccountIds(actor);
    let accountIds: string[];
    if (q.account === undefined || q.account === '' || q.account === 'all') accountIds = reachable;
    else if (reachable.includes(q.account)) accountIds = [q.account];
    else throw validationFailed({ account: ['Choose your account, one of its child accounts, or all.'] }, 'The query is invalid.');

    const filter: TicketFilter = {
      accountIds,
      statuses: nonEmpty(q.status),
      priorities: nonEmpty(q.priority),
      categories: nonEmpty(q.category),
      requesterIds: q.requester ? [q.requester] : undefined,
      text: q.q?.trim() || undefined,
    };
    switch (q.view) {
      case 'mine':
        filter.requesterIds = !q.requester || q.requester === actor.contactId ? [actor.contactId] : [];
        break;
      case 'following':
        filter.followerId = actor.contactId;
        break;
      case 'unsolved': {
        const unsolved: readonly TicketStatus[] = UNSOLVED_STATUSES;
        filter.statuses = filter.statuses ? filter.statuses.filter((s) => unsolved.includes(s)) : [...unsolved];
        break;
      }
      case 'account':
        break;
    }
    let after;
    if (q.cursor) {
      after = decodeCursor(q.cursor, q.sort, KEYSET_TYPES[q.sort]);
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid or belongs to another sort order.'] }, 'The query is invalid.');
    }
    const page = await store.searchTickets({ scope: ticketScope(actor), filter, sort: q.sort, after, limit: q.limit ?? DEFAULT_PAGE_SIZE });
    return c.json(page);
  });

  app.post('/v1/tickets', async (c) => {
    const { actor, contact, account } = c.get('caller');
    if (!can(actor, 'ticket.create')) throw new ProblemError(403, 'forbidden', 'Your role cannot create tickets.');
    const body = await readJson(c);
    const parsed = TicketCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    return idempotent(c, contact.id, body, async (idempotency) => {
      const ticket = await store.createTicket(
        {
          accountId: account.id,
          requesterId: contact.id,
          subject: input.subject,
          description: input.description,
          category: input.category,
          priority: input.priority,
          visibility: input.visibility ?? account.defaultVisibility,
          actor: { kind: 'contact', id: contact.id, name: contact.name },
          now: now().toISOString(),
        },
        { idempotency },
      );
      return c.json(ticket, 201, { ETag: ticketEtag(ticket), Location: `${c.req.path.replace(/\/$/, '')}/${encodeURIComponent(ticket.id)}` });
    });
  });

  /** The ticket if the caller may see it; 404 otherwise (never 403: no existence oracle). */
  async function visibleTicket(caller: Caller, id: string): Promise<Ticket> {
    const ticket = await store.getTicket(id);
    if (!ticket || !canView(caller.actor, { ...ticket, requesterId: ticket.requester.id })) throw notFound('No such ticket, or you may not see it.');
    return ticket;
  }

  app.get('/v1/tickets/:id', async (c) => {
    const ticket = await visibleTicket(c.get('caller'), c.req.param('id'));
    const etag = ticketEtag(ticket);
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, { ETag: etag });
    return c.json(ticket, 200, { ETag: etag });
  });

  app.get('/v1/tickets/:id/comments', async (c) => {
    const ticket = await visibleTicket(c.get('caller'), c.req.param('id'));
    const parsed = PageQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    let after: [string, string] | undefined;
    if (parsed.data.cursor) {
      after = decodeCursor(parsed.data.cursor, 'c', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    return c.json(await store.listComments(ticket.id, { after, limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE }));
  });

  app.post('/v1/tickets/:id/comments', async (c) => {
    const caller = c.get('caller');
    const ticket = await visibleTicket(caller, c.req.param('id'));
    if (!can(caller.actor, 'ticket.comment', { ...ticket, requesterId: ticket.requester.id })) {
      throw new ProblemError(403, 'forbidden', 'Your role cannot comment on this ticket.');
    }
    const body = await readJson(c);
    const parsed = CommentCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const { contact } = caller;
    return idempotent(c, contact.id, body, async (idempotency) => {
      const { comment } = await store.addComment(
        { ticketId: ticket.id, author: { kind: 'contact', id: contact.id, name: contact.name }, body: parsed.data.body, now: now().toISOString() },
        { idempotency },
      );
      return c.json(comment, 201);
    });
  });

  // --- helpers ------------------------------------------------------------

  /** Reads a JSON body: 415 unless JSON, 413 when too large, 400 when malformed. */
  async function readJson(c: Context<Env>): Promise<unknown> {
    const type = c.req.header('Content-Type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      throw new ProblemError(415, 'unsupported_media_type', 'Send the body as application/json.');
    }
    const declared = Number(c.req.header('Content-Length') ?? 0);
    if (declared > maxBodyBytes) throw tooLarge();
    const text = await c.req.text();
    if (new TextEncoder().encode(text).byteLength > maxBodyBytes) throw tooLarge();
    try {
      return JSON.parse(text);
    } catch {
      throw new ProblemError(400, 'bad_request', 'The body is not valid JSON.');
    }
  }

  const tooLarge = () => new ProblemError(413, 'payload_too_large', `The body must be at most ${maxBodyBytes} bytes.`);

  /**
   * Runs a creating write under the request's `Idempotency-Key` (if any): same key + same
   * body replays the stored response; same key + another body is a 422; a key whose first
   * request is still running is a 409.
   */
  async function idempotent(c: Context<Env>, contactId: string, body: unknown, write: (ref: IdempotencyRef | undefined) => Promise<Response>): Promise<Response> {
    const key = c.req.header('Idempotency-Key');
    if (key === undefined) return write(undefined);
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw new ProblemError(400, 'bad_request', 'Idempotency-Key must be 1–255 visible ASCII characters.');
    const fingerprint = await sha256(`${c.req.method} ${c.req.path}\n${canonicalJson(body)}`);
    const ref = { contactId, key };
    const found = await store.claimIdempotencyKey({ ...ref, fingerprint, now: now().toISOString() });
    if (found.state !== 'claimed') {
      if (found.fingerprint !== fingerprint) {
        throw new ProblemError(422, 'idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
      }
      if (found.state === 'pending') {
        throw new ProblemError(409, 'conflict', 'A request with this Idempotency-Key is still being processed.', { headers: { 'Retry-After': '1' } });
      }
      return c.json(found.body as object, found.status as 201, { 'Idempotency-Replayed': 'true' });
    }
    try {
      return await write(ref);
    } catch (error) {
      await store.releaseIdempotencyKey(ref);
      throw error;
    }
  }

  return app;
}

/** Field errors of a query string, keyed by parameter (`status`, not `status.1`). */
function queryFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  return fieldErrorsOf(issues.map((issue) => ({ ...issue, path: issue.path.slice(0, 1) })));
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, 'unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
}

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
