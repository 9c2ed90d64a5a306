/** Schema building blocks shared by the input modules (not part of the public API). */
import './zod-config.ts';
import * as z from 'zod/mini';
import { isPlainText, plainTextMessage } from './text-rules.ts';

/**
 * The check every user text field carries (see text-rules.ts): one-line text refuses all
 * control characters, multi-line text keeps tab and line breaks. Add it to any new text field.
 */
export const plainText = (what: string, multiline = false) => z.refine<string>((v) => isPlainText(v, multiline), plainTextMessage(what, multiline));

/** A trimmed user text of `min`–`max` characters, with messages naming the field. */
export const trimmed = (min: number, max: number, what: string, options: { multiline?: boolean } = {}) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(min, min <= 1 ? `${what} is required` : `${what} needs at least ${min} characters`),
      z.maxLength(max, `${what} must be at most ${max} characters`),
      plainText(what, options.multiline),
    );

/** A trimmed, optional-length user text of at most `max` characters (empty allowed). */
export const text = (max: number, what: string, options: { multiline?: boolean; message?: string } = {}) =>
  z.string().check(z.trim(), z.maxLength(max, options.message ?? `${what} must be at most ${max} characters`), plainText(what, options.multiline));

/** A search query parameter: at most `max` characters, one line, not trimmed (the routes trim). */
export const searchParam = (max: number, what = 'q') => z.string().check(z.maxLength(max, `${what} must be at most ${max} characters`), plainText(what));

/** Longest accepted cursor: ours are far shorter; anything longer is not one of ours. */
export const CURSOR_MAX = 1024;

/** An opaque `cursor` query parameter (the route decodes it). */
export const cursorParam = z.string().check(z.maxLength(CURSOR_MAX, 'This cursor is invalid.'));

/** A query value as a number: `fallback` when absent, its value when decimal digits, NaN (refused) otherwise. */
function digitsOr(v: unknown, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN;
}

/**
 * A whole-number query parameter in decimal digits only (`0x10`, `1e1`, `+5`, ` 5` are refused,
 * though `Number()` would take them), `fallback` when absent or empty.
 */
export const wholeNumberParam = (name: string, fallback: number, min: number, max: number) =>
  z.pipe(
    z.transform((v: unknown) => digitsOr(v, fallback)),
    z.int(`${name} must be a whole number`).check(z.minimum(min, `${name} must be at least ${min}`), z.maximum(max, `${name} must be at most ${max}`)),
  );

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** A comma-separated query value as an array of enum members (`?status=open,pending`). */
export const csv = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v)),
    z.array(z.enum(values, `Unknown ${what}`)),
  );

/** The `limit` query value of a paged list: decimal digits only, 1–`MAX_PAGE_SIZE`. */
export const limit = wholeNumberParam('limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);

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
