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
