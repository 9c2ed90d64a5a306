/**
 * What every route module shares: the request context types and a `RouteKit` of helpers
 * (JSON body reading, idempotent creates, visibility checks). Route modules live beside
 * this file, one per feature, each exporting `register<Feature>Routes(app, kit)`.
 */
import { canView, fieldErrorsOf, type Account, type Actor, type Contact, type Ticket } from '@portico/core';
import type { Context, Hono } from 'hono';
import type { ServiceCaller } from '../service-auth.ts';
import { ProblemError, notFound } from '../problem.ts';
import type { IdempotencyRef, Store } from '../store.ts';

/** What the auth middleware resolves for each contact request. */
export interface Caller {
  actor: Actor;
  contact: Contact;
  account: Account;
  children: Account[];
}

export type Env = { Variables: { caller: Caller; service: ServiceCaller } };
/** The Hono app `createApp` returns. */
export type PorticoApp = Hono<Env>;
export type RouteContext = Context<Env>;

/** Shared helpers handed to every route module. */
export interface RouteKit {
  store: Store;
  /** The app's clock. */
  now: () => Date;
  /** Largest accepted JSON body in bytes. */
  maxBodyBytes: number;
  /**
   * Reads a JSON body: 415 unless JSON, 413 when larger than `maxBytes` (default
   * `maxBodyBytes`), 400 when malformed.
   */
  readJson(c: RouteContext, maxBytes?: number): Promise<unknown>;
  /**
   * Runs a creating write under the request's `Idempotency-Key` (if any): same key + same
   * body replays the stored response; same key + another body is a 422; a key whose first
   * request is still running is a 409.
   */
  idempotent(c: RouteContext, contactId: string, body: unknown, write: (ref: IdempotencyRef | undefined) => Promise<Response>): Promise<Response>;
  /** The ticket if the caller may see it; 404 otherwise (never 403: no existence oracle). */
  visibleTicket(caller: Caller, id: string): Promise<Ticket>;
}

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** ETag of a ticket: changes with every write (defined in core so clients agree). */
export { ticketEtag } from '@portico/core';

export function createRouteKit(store: Store, now: () => Date, maxBodyBytes: number): RouteKit {
  const tooLarge = (limit: number) => new ProblemError(413, 'payload_too_large', `The body must be at most ${limit} bytes.`);

  return {
    store,
    now,
    maxBodyBytes,

    async readJson(c, limit = maxBodyBytes) {
      const type = c.req.header('Content-Type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
        throw new ProblemError(415, 'unsupported_media_type', 'Send the body as application/json.');
      }
      const declared = Number(c.req.header('Content-Length') ?? 0);
      if (declared > limit) throw tooLarge(limit);
      const text = await c.req.text();
      if (new TextEncoder().encode(text).byteLength > limit) throw tooLarge(limit);
      try {
        return JSON.parse(text);
      } catch {
        throw new ProblemError(400, 'bad_request', 'The body is not valid JSON.');
      }
    },

    async idempotent(c, contactId, body, write) {
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
    },

    async visibleTicket(caller, id) {
      const ticket = await store.getTicket(id);
      if (!ticket || !canView(caller.actor, { ...ticket, requesterId: ticket.requester.id })) throw notFound('No such ticket, or you may not see it.');
      return ticket;
    },
  };
}

/** Field errors of a query string, keyed by parameter (`status`, not `status.1`). */
export function queryFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  return fieldErrorsOf(issues.map((issue) => ({ ...issue, path: issue.path.slice(0, 1) })));
}

export function unauthorized(detail: string): ProblemError {
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
