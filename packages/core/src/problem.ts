import './zod-config.ts';
import * as z from 'zod/mini';

/**
 * RFC 9457 problem details, with Portico's `code` and `fieldErrors`. Kept apart from
 * `errors.ts` so `PorticoError` (and so `HttpClient`) load without zod.
 */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.optional(z.string()),
  fieldErrors: z.optional(z.record(z.string(), z.array(z.string()))),
});
export type Problem = z.infer<typeof ProblemSchema>;
