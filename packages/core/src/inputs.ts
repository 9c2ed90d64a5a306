/**
 * Request schemas: what clients send. The server validates with these, the
 * forms validate with these, and the OpenAPI document is generated from them.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import {
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

const trimmed = (min: number, max: number, what: string) =>
  z.string().check(
    z.trim(),
    z.minLength(min, min <= 1 ? `${what} is required` : `${what} needs at least ${min} characters`),
    z.maxLength(max, `${what} must be at most ${max} characters`),
  );

const ids = (max: number, tooMany: string) =>
  z.array(z.string().check(z.minLength(1))).check(z.maxLength(max, tooMany));

export const TicketCreateSchema = z
  .object({
    subject: trimmed(3, SUBJECT_MAX, 'Subject'),
    description: trimmed(1, BODY_MAX, 'Description'),
    category: z.enum(TICKET_CATEGORIES, 'Choose a category'),
    priority: z._default(z.enum(TICKET_PRIORITIES, 'Choose a priority'), 'normal'),
    visibility: z.optional(z.enum(TICKET_VISIBILITIES, 'Choose private or account')),
    /** Colleagues (contact ids of the account) who follow the ticket from the start. */
    ccIds: z.optional(ids(MAX_CC, `CC at most ${MAX_CC} colleagues`)),
    /** File a ticket for a colleague (admins only): that contact becomes the requester. */
    requesterId: z.optional(z.string().check(z.minLength(1))),
    /** What an urgent issue stops you from doing; required when `priority` is `urgent`. */
    businessImpact: z.optional(
      z.string().check(z.trim(), z.maxLength(BUSINESS_IMPACT_MAX, `Business impact must be at most ${BUSINESS_IMPACT_MAX} characters`)),
    ),
    /** Uploaded attachments (`POST /v1/attachments`) to link to the ticket. */
    attachmentIds: z.optional(ids(MAX_ATTACHMENTS, `Attach at most ${MAX_ATTACHMENTS} files`)),
  })
  .check(
    z.refine((t) => t.priority !== 'urgent' || Boolean(t.businessImpact), {
      message: 'Describe the business impact of an urgent issue in one line',
      path: ['businessImpact'],
      // Run even when other fields are invalid, so the form shows every error at once.
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
  );
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
});
export type TicketQueryInput = z.input<typeof TicketQuerySchema>;
export type TicketQuery = z.output<typeof TicketQuerySchema>;

/** Query string of `GET /v1/tickets/similar`: the text typed so far. */
export const SimilarQuerySchema = z.object({
  q: z.string().check(z.trim(), z.minLength(1, 'q is required'), z.maxLength(SUBJECT_MAX, `q must be at most ${SUBJECT_MAX} characters`)),
  limit: z.optional(
    z.pipe(
      z.transform((v: unknown) => (v === undefined || v === '' ? MAX_SIMILAR : Number(v))),
      z.int('limit must be a whole number').check(z.minimum(1, 'limit must be at least 1'), z.maximum(MAX_SIMILAR, `limit must be at most ${MAX_SIMILAR}`)),
    ),
  ),
});
export type SimilarQuery = z.output<typeof SimilarQuerySchema>;

/** Query string of `GET /v1/articles`: text search (best first) or, without `q`, all articles paged. */
export const ArticleQuerySchema = z.object({
  q: z.optional(z.string().check(z.trim(), z.maxLength(SUBJECT_MAX, `q must be at most ${SUBJECT_MAX} characters`))),
  cursor: z.optional(z.string()),
  limit: z.optional(limit),
});
export type ArticleQuery = z.output<typeof ArticleQuerySchema>;

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
