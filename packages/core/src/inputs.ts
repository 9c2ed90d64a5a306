/**
 * Request schemas: what clients send. The server validates with these, the
 * forms validate with these, and the OpenAPI document is generated from them.
 */
import * as z from 'zod/mini';
import {
  SATISFACTION_RATINGS,
  SavedViewQuerySchema,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
  TICKET_VIEWS,
  TICKET_VISIBILITIES,
} from './domain.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

const trimmed = (min: number, max: number, what: string) =>
  z.string().check(
    z.trim(),
    z.minLength(min, min <= 1 ? `${what} is required` : `${what} needs at least ${min} characters`),
    z.maxLength(max, `${what} must be at most ${max} characters`),
  );

export const TicketCreateSchema = z.object({
  subject: trimmed(3, SUBJECT_MAX, 'Subject'),
  description: trimmed(1, BODY_MAX, 'Description'),
  category: z.enum(TICKET_CATEGORIES, 'Choose a category'),
  priority: z._default(z.enum(TICKET_PRIORITIES, 'Choose a priority'), 'normal'),
  visibility: z.optional(z.enum(TICKET_VISIBILITIES, 'Choose private or account')),
});
export type TicketCreate = z.input<typeof TicketCreateSchema>;

export const CommentCreateSchema = z.object({
  body: trimmed(1, BODY_MAX, 'Reply'),
});
export type CommentCreate = z.infer<typeof CommentCreateSchema>;

const csv = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v)),
    z.array(z.enum(values, `Unknown ${what}`)),
  );

const limit = z.pipe(
  z.transform((v: unknown) => (v === undefined || v === '' ? DEFAULT_PAGE_SIZE : Number(v))),
  z.int('limit must be a whole number').check(
    z.minimum(1, 'limit must be at least 1'),
    z.maximum(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`),
  ),
);

/** Query string of `GET /v1/tickets`. Multi-valued filters are comma-separated. */
export const TicketQuerySchema = z.object({
  view: z._default(z.enum(TICKET_VIEWS, `view must be one of ${TICKET_VIEWS.join(', ')}`), 'account'),
  status: z.optional(csv(TICKET_STATUSES, 'status')),
  priority: z.optional(csv(TICKET_PRIORITIES, 'priority')),
  category: z.optional(csv(TICKET_CATEGORIES, 'category')),
  requester: z.optional(z.string()),
  /** A reachable account id (own or child), or `all` for every reachable account. */
  account: z.optional(z.string()),
  q: z.optional(z.string().check(z.maxLength(200))),
  sort: z._default(z.enum(TICKET_SORTS, `sort must be one of ${TICKET_SORTS.join(', ')}`), 'updated'),
  cursor: z.optional(z.string()),
  limit: z.optional(limit),
  /** `true`: the page also carries the number of tickets of each view under the same filters. */
  counts: z.optional(z.pipe(z.transform((v: unknown) => v === true || v === 'true' || v === '1'), z.boolean())),
});
export type TicketQueryInput = z.input<typeof TicketQuerySchema>;
export type TicketQuery = z.output<typeof TicketQuerySchema>;

export const REASON_MAX = 2_000;
export const SATISFACTION_COMMENT_MAX = 2_000;
export const VIEW_NAME_MAX = 80;

/**
 * Body of `PATCH /v1/tickets/{id}`: what a contact may change. `status: 'solved'` closes
 * the ticket (the customer says it is done), `'open'` reopens a solved one.
 */
export const TicketPatchSchema = z
  .strictObject({
    status: z.optional(z.enum(['solved', 'open'], 'status must be "solved" (close) or "open" (reopen)')),
    visibility: z.optional(z.enum(TICKET_VISIBILITIES, 'Choose private or account')),
  }, 'Only status and visibility can be changed')
  .check(
    z.refine((p) => p.status !== undefined || p.visibility !== undefined, { message: 'Send status or visibility', path: ['_'] }),
  );
export type TicketPatch = z.infer<typeof TicketPatchSchema>;

/** Body of `POST /v1/tickets/{id}/escalations`. */
export const EscalationCreateSchema = z.object({
  reason: trimmed(3, REASON_MAX, 'Reason'),
});
export type EscalationCreate = z.infer<typeof EscalationCreateSchema>;

/** Body of `POST /v1/tickets/{id}/satisfaction`. */
export const SatisfactionCreateSchema = z.object({
  rating: z.enum(SATISFACTION_RATINGS, 'Choose good or bad'),
  comment: z.optional(
    z.string().check(z.trim(), z.maxLength(SATISFACTION_COMMENT_MAX, `Comment must be at most ${SATISFACTION_COMMENT_MAX} characters`)),
  ),
});
export type SatisfactionCreate = z.infer<typeof SatisfactionCreateSchema>;

/** Body of `POST /v1/views`. */
export const SavedViewCreateSchema = z.object({
  name: trimmed(1, VIEW_NAME_MAX, 'Name'),
  shared: z._default(z.boolean('shared must be true or false'), false),
  query: SavedViewQuerySchema,
});
export type SavedViewCreate = z.input<typeof SavedViewCreateSchema>;

/** Query string of any plain cursor-paged list. */
export const PageQuerySchema = z.object({
  cursor: z.optional(z.string()),
  limit: z.optional(limit),
});
export type PageQuery = z.output<typeof PageQuerySchema>;

/** Turns zod issues into `{ field: [messages] }` for problem+json and forms. */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
