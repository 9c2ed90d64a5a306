/** Schema building blocks shared by the input modules (not part of the public API). */
import './zod-config.ts';
import * as z from 'zod/mini';

/** A trimmed string of `min`–`max` characters, with messages naming the field. */
export const trimmed = (min: number, max: number, what: string) =>
  z.string().check(
    z.trim(),
    z.minLength(min, min <= 1 ? `${what} is required` : `${what} needs at least ${min} characters`),
    z.maxLength(max, `${what} must be at most ${max} characters`),
  );

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** A comma-separated query value as an array of enum members (`?status=open,pending`). */
export const csv = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v)),
    z.array(z.enum(values, `Unknown ${what}`)),
  );

/** The `limit` query value of a paged list. */
export const limit = z.pipe(
  z.transform((v: unknown) => (v === undefined || v === '' ? DEFAULT_PAGE_SIZE : Number(v))),
  z.int('limit must be a whole number').check(
    z.minimum(1, 'limit must be at least 1'),
    z.maximum(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`),
  ),
);

/** A date (`2026-03-02`, UTC midnight) or a date-time, as an ISO timestamp. */
export const instant = (what: string) =>
  z.pipe(
    z.string(),
    z.transform((v: string, ctx) => {
      const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v);
      if (Number.isNaN(t)) {
        ctx.issues.push({ code: 'custom', input: v, message: `${what} must be a date (YYYY-MM-DD) or an ISO date-time` });
        return z.NEVER;
      }
      return new Date(t).toISOString();
    }),
  );
