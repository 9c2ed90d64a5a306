/**
 * What every route module shares: the request context types and a `RouteKit` of helpers
 * (JSON body reading, idempotent creates, visibility checks). Route modules live beside
 * this file, one per feature, each exporting `register<Feature>Routes(app, kit)`.
 */
import { canView, fieldErrorsOf, type Account, type Actor, type Contact, type Ticket } from '@portico/core';
import type { Context, Hono } from 'hono';
import type { ServiceCaller } from '../service-auth.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
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
   * Reads a JSON body: 415 unless `application/json` (or `+json`), 413 as soon as it grows past
   * `maxBytes` (default `maxBodyBytes`; counted while streaming), 400 when malformed, 422 when
   * nested deeper than `MAX_JSON_DEPTH`.
   */
  readJson(c: RouteContext, maxBytes?: number): Promise<unknown>;
  /**
   * The query string, strictly: a repeated parameter is a 422 unless it is a list (`status`,
   * `type`, …), whose repeated values are joined with commas so that every one is checked.
   */
  query(c: RouteContext, lists?: readonly string[]): Record<string, string>;
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

/**
 * Deepest accepted JSON body: no request schema nests more than a few levels, and every walk
 * over a body (validation, the idempotency fingerprint) may then recurse safely.
 */
export const MAX_JSON_DEPTH = 64;

/** Query parameters that take a list (comma-separated or repeated). */
const LIST_PARAMS: readonly string[] = ['status', 'priority', 'category', 'type', 'role'];

/** `application/json` or a `+json` type, with any parameters (`; charset=utf-8`); not `json-seq`. */
export function isJsonType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/**
 * The top-level key under which `value` nests deeper than `MAX_JSON_DEPTH` ('' for the root),
 * or undefined when it does not. Iterative: a deep body cannot overflow the stack here.
 */
export function tooDeep(value: unknown): string | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [v, depth, top] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return top;
    for (const [key, child] of Object.entries(v)) stack.push([child, depth + 1, depth === 0 ? key : top]);
  }
  return undefined;
}

/** The whole body, or undefined as soon as it grows past `max` bytes (the rest is not read). */
export async function readCapped(request: Request, max: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** ETag of a ticket: changes with every write (defined in core so clients agree). */
export { ticketEtag } from '@portico/core';

export function createRouteKit(store: Store, now: () => Date, maxBodyBytes: number): RouteKit {
  const tooLarge = (limit: number) => new ProblemError(413, 'payload_too_large', `The body must be at most ${limit} bytes.`);

  return {
    store,
    now,
    maxBodyBytes,

    async readJson(c, limit = maxBodyBytes) {
      if (!isJsonType(c.req.header('Content-Type'))) {
        throw new ProblemError(415, 'unsupported_media_type', 'Send the body as application/json.');
      }
      const declared = Number(c.req.header('Content-Length') ?? 0);
      if (declared > limit) throw tooLarge(limit);
      // Counted while it streams, so a chunked body without Content-Length stops at the limit.
      const bytes = await readCapped(c.req.raw, limit);
      if (!bytes) throw tooLarge(limit);
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new ProblemError(400, 'bad_request', 'The body is not valid JSON.');
      }
      const deep = tooDeep(body);
      if (deep !== undefined) {
        throw validationFailed({ [deep || '_']: [`Nest values at most ${MAX_JSON_DEPTH} levels deep.`] });
      }
      return body;
    },

    query(c, lists = LIST_PARAMS) {
      const out: Record<string, string> = {};
      const errors: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(c.req.queries())) {
        if (values.length > 1 && !lists.includes(name)) errors[name] = [`Give ${name} only once.`];
        // A repeated list parameter means the same as its values comma-separated: each is checked.
        out[name] = values.join(',');
      }
      if (Object.keys(errors).length > 0) throw validationFailed(errors, 'The query is invalid.');
      return out;
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

/**
 * A path of this API as the client reaches it (for `Location`): under the base path the app is
 * mounted at (`--base-path /api`), which the route's own pattern does not include.
 */
export function apiPath(c: RouteContext, path: string): string {
  const at = c.req.path.indexOf('/v1/');
  return `${at > 0 ? c.req.path.slice(0, at) : ''}${path}`;
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
