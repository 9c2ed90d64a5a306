/**
 * Per-caller rate limiting: a token bucket per contact (and per service API key) that
 * refills continuously. Over the limit a request gets 429 problem+json with `Retry-After`
 * in seconds and changes nothing. In-process state: with several server instances each
 * counts on its own (put a shared limiter in front if you need a global one).
 */
import { ProblemError } from './problem.ts';

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

/** A limiter: `take(key)` spends one token or throws the 429 `ProblemError`. */
export interface RateLimiter {
  take(key: string): void;
}

export function createRateLimiter(options: RateLimitOptions, now: () => Date): RateLimiter {
  if (!(options.perMinute > 0)) throw new RangeError('rateLimit.perMinute must be a positive number.');
  const capacity = Math.max(1, Math.floor(options.burst ?? options.perMinute / 4));
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  let lastSweep = 0;

  /** Drops buckets that have refilled completely: they hold no information. */
  function sweep(t: number): void {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= capacity) buckets.delete(key);
  }

  return {
    take(key) {
      const t = now().getTime();
      sweep(t);
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + Math.max(0, t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
      throw new ProblemError(429, 'rate_limited', `Too many requests. Try again in ${retryAfter} s.`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    },
  };
}
