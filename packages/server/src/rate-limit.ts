/**
 * Per-caller rate limiting: a token bucket per contact (and per service API key) that
 * refills continuously. Over the limit a request gets 429 problem+json with `Retry-After`
 * in seconds and changes nothing. `createRateLimiter` keeps the buckets in process;
 * `createStoreRateLimiter` keeps them in a store shared by several server instances
 * (PostgreSQL), so together they enforce one limit per caller.
 */
import { ProblemError } from './problem.ts';
import type { Store } from './store.ts';

/** How many requests one caller may make. */
export interface RateLimitOptions {
  /** Sustained requests per minute (refill rate). */
  perMinute: number;
  /** Requests allowed in a burst (bucket size; default `perMinute / 4`, at least 1). */
  burst?: number | undefined;
}

/** The default of the Node server and the CLI: 600 requests a minute, bursts of 150. */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = { perMinute: 600, burst: 150 };

/** The Node server's limit of failed authentications per client address: 30 a minute, bursts of 20. */
export const DEFAULT_AUTH_FAILURE_LIMIT: Readonly<RateLimitOptions> = { perMinute: 30, burst: 20 };

interface Bucket {
  tokens: number;
  at: number;
}

/** A limiter: `take(key)` spends one token or throws (or rejects with) the 429 `ProblemError`. */
export interface RateLimiter {
  take(key: string): void | Promise<void>;
}

/** Bucket size and refill rate of the options. */
function bucketOf(options: RateLimitOptions): { capacity: number; perMs: number } {
  if (!(options.perMinute > 0)) throw new RangeError('rateLimit.perMinute must be a positive number.');
  return { capacity: Math.max(1, Math.floor(options.burst ?? options.perMinute / 4)), perMs: options.perMinute / 60_000 };
}

/** The 429 of a caller who must wait `waitMs`. */
function rateLimited(waitMs: number): ProblemError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new ProblemError(429, 'rate_limited', `Too many requests. Try again in ${retryAfter} s.`, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

export function createRateLimiter(options: RateLimitOptions, now: () => Date): RateLimiter {
  const buckets = createRateBuckets(options);
  return {
    take(key) {
      const waitMs = buckets.take(key, now().getTime());
      if (waitMs > 0) throw rateLimited(waitMs);
    },
  };
}

/**
 * The token buckets of `createRateLimiter`, without the 429: `take` spends one token of `key`'s
 * bucket at time `t` (ms) and answers 0, or how many ms until there is one.
 */
export function createRateBuckets(options: RateLimitOptions): { take(key: string, t: number): number } {
  const { capacity, perMs } = bucketOf(options);
  const buckets = new Map<string, Bucket>();
  let lastSweep = 0;

  /** Drops buckets that have refilled completely: they hold no information. */
  function sweep(t: number): void {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= capacity) buckets.delete(key);
  }

  return {
    take(key, t) {
      sweep(t);
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + Math.max(0, t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return (1 - b.tokens) / perMs;
    },
  };
}

/**
 * A limiter whose buckets are kept elsewhere: `ask(key)` spends a token there and answers 0,
 * or the ms to wait (the cluster primary's buckets, see cluster-rate-limit.ts).
 */
export function createRemoteRateLimiter(ask: (key: string) => Promise<number>): RateLimiter {
  return {
    async take(key) {
      const waitMs = await ask(key);
      if (waitMs > 0) throw rateLimited(waitMs);
    },
  };
}

/** The same token buckets, counted by the store (`Store.takeRateToken`) for every instance at once. */
export function createStoreRateLimiter(options: RateLimitOptions, store: Pick<Store, 'takeRateToken'>, now: () => Date): RateLimiter {
  const { capacity, perMs } = bucketOf(options);
  if (!store.takeRateToken) throw new TypeError('This store does not count rate limits (no takeRateToken).');
  const take = store.takeRateToken.bind(store);
  return {
    async take(key) {
      const result = await take({ key, capacity, perMs, nowMs: now().getTime() });
      if (!result.ok) throw rateLimited(result.retryAfterMs);
    },
  };
}
