/**
 * Sends one webhook request from Node. Uses node:http(s) rather than fetch for one reason:
 * the address check must apply to the address actually connected to (a `lookup` hook), or a
 * hostname that resolves to a public address when the endpoint is saved could later resolve
 * to a private one (DNS rebinding). Redirects are not followed: a 3xx is a failed attempt.
 * Node-only.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isPublicAddress } from './url-policy.ts';

/** One POST of a webhook. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The whole attempt (connect, send, response headers) must finish within this. */
  timeoutMs: number;
}

/** What came back: a status, or why there was none. */
export interface WebhookResponse {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Sends a webhook request; never throws. */
export type SendWebhook = (request: WebhookRequest) => Promise<WebhookResponse>;

class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup`, refusing names that resolve to a non-public address. */
function publicLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) {
      return callback(new PrivateAddressError(`${hostname} resolves to a private or loopback address`), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** A sender over node:http(s); `allowPrivate` lets it reach private addresses (local demo, tests). */
export function createNodeSender(options: { allowPrivate: boolean }): SendWebhook {
  return (request) =>
    new Promise((resolve) => {
      const started = performance.now();
      const done = (status: number | null, error: string | null) => resolve({ status, error, durationMs: performance.now() - started });
      const url = new URL(request.url);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      // Node skips `lookup` for an IP literal, so a literal is checked here.
      if (!options.allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)) return done(null, 'private_address');
      const init: RequestOptions = {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        signal: AbortSignal.timeout(request.timeoutMs),
        ...(options.allowPrivate ? {} : { lookup: publicLookup as RequestOptions['lookup'] }),
      };
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, init, (res) => {
        // Only the status counts; the body is read and dropped so the connection is freed.
        res.resume();
        res.once('end', () => done(res.statusCode ?? null, null));
        res.once('error', () => done(res.statusCode ?? null, null));
      });
      req.once('error', (error: Error) => {
        if (error.name === 'TimeoutError' || error.name === 'AbortError') return done(null, 'timeout');
        if (error instanceof PrivateAddressError) return done(null, 'private_address');
        done(null, (error as NodeJS.ErrnoException).code ?? 'connection_failed');
      });
      req.end(request.body);
    });
}
