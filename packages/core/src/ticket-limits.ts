/**
 * The limits of a new ticket, without zod: `ticket-create.ts` builds the schema from them, and
 * `<portico-ticket-form>` checks its fields against them in the browser without loading zod.
 * Re-exported by `ticket-create.ts` (and so by `@portico/core`).
 */

/** Shortest subject, after trimming. */
export const SUBJECT_MIN = 3;
export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;
/** Longest business-impact line of an urgent ticket. */
export const BUSINESS_IMPACT_MAX = 300;
/** Most files one ticket may carry. */
export const MAX_ATTACHMENTS = 5;
/** Largest file, in bytes (10 MiB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Most colleagues one ticket may CC. */
export const MAX_CC = 20;
/** Most possible duplicates `GET /v1/tickets/similar` returns. */
export const MAX_SIMILAR = 5;
