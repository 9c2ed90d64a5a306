/**
 * Authentication of the vendor's side of the API (`/v1/service/...`): the vendor's helpdesk
 * or backend sends one of the configured API keys as `Authorization: Bearer <key>`.
 * Contact tokens are never accepted here, and API keys never act as a contact.
 */
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from './problem.ts';

/** Who called a service route: which configured key (by position, never the key itself). */
export interface ServiceCaller {
  keyIndex: number;
}

/** Path test for the service API, wherever the app is mounted (`/v1/service`, `/api/v1/service`). */
export const isServicePath = (path: string) => /\/v1\/service(\/|$)/.test(path);

const encoder = new TextEncoder();

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/** Compares digests in constant time, so response timing leaks nothing about a key. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Middleware for `/v1/service/*`: 401 problem+json unless the bearer is a configured key.
 * With no keys configured the service API is switched off (every call 401).
 */
export function serviceAuth<E extends { Variables: { service: ServiceCaller } } = { Variables: { service: ServiceCaller } }>(
  keys: readonly string[],
): MiddlewareHandler<E> {
  const digests = Promise.all(keys.map(digest));
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    const unauthorized = new ProblemError(
      401,
      'unauthorized',
      keys.length === 0
        ? 'The service API is not enabled on this server (no service API key configured).'
        : 'Send a service API key as "Authorization: Bearer <key>".',
      { headers: { 'WWW-Authenticate': 'Bearer realm="portico-service"' } },
    );
    if (!match) throw unauthorized;
    const presented = await digest(match[1]!);
    const keyIndex = (await digests).findIndex((d) => sameBytes(d, presented));
    if (keyIndex < 0) throw unauthorized;
    c.set('service', { keyIndex });
    await next();
  };
}
