/**
 * Request schemas: what clients send. The server validates with these, the
 * forms validate with these, and the OpenAPI document is generated from them.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import {
  ARTICLE_STATUSES,
  CONTACT_SORTS,
  CONTACT_STATUSES,
  OUTBOX_EVENT_TYPES,
  ROLES,
  SORT_DIRECTIONS,
  SATISFACTION_RATINGS,
  SavedViewQuerySchema,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
  TICKET_VIEWS,
  TICKET_VISIBILITIES,
} from './domain.ts';
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN } from './email.ts';
import { csv, cursorParam, limit, plainText, searchParam, text, trimmed, wholeNumberParam } from './zod-helpers.ts';
import { BODY_MAX, MAX_SIMILAR, SUBJECT_MAX } from './ticket-create.ts';

// The new ticket's schema and limits live in zod-light modules the form can load alone.
export * from './ticket-create.ts';
export * from './field-errors.ts';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './zod-helpers.ts';

export const CommentCreateSchema = z.object({
  body: trimmed(1, BODY_MAX, 'Reply', { multiline: true }),
});
export type CommentCreate = z.infer<typeof CommentCreateSchema>;

/** `limit` of a paged list: decimal digits, 1–`MAX_PAGE_SIZE` (zod-helpers.ts). */
export const limitParam = limit;

/** Query string of `GET /v1/tickets`. Multi-valued filters are comma-separated. */
export const TicketQuerySchema = z.object({
  view: z._default(z.enum(TICKET_VIEWS, `view must be one of ${TICKET_VIEWS.join(', ')}`), 'account'),
  status: z.optional(csv(TICKET_STATUSES, 'status')),
  priority: z.optional(csv(TICKET_PRIORITIES, 'priority')),
  category: z.optional(csv(TICKET_CATEGORIES, 'category')),
  requester: z.optional(z.string()),
  /** A reachable account id (own or child), or `all` for every reachable account. */
  account: z.optional(z.string()),
  q: z.optional(searchParam(200)),
  sort: z._default(z.enum(TICKET_SORTS, `sort must be one of ${TICKET_SORTS.join(', ')}`), 'updated'),
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
  /** `true`: the page also carries the number of tickets of each view under the same filters. */
  counts: z.optional(
    z.pipe(
      z.transform((v: unknown) => v === true || v === 'true' || v === '1'),
      z.boolean(),
    ),
  ),
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
  .strictObject(
    {
      status: z.optional(z.enum(['solved', 'open'], 'status must be "solved" (close) or "open" (reopen)')),
      visibility: z.optional(z.enum(TICKET_VISIBILITIES, 'Choose private or account')),
    },
    'Only status and visibility can be changed',
  )
  .check(z.refine((p) => p.status !== undefined || p.visibility !== undefined, { message: 'Send status or visibility', path: ['_'] }));
export type TicketPatch = z.infer<typeof TicketPatchSchema>;

/** Body of `POST /v1/tickets/{id}/escalations`. */
export const EscalationCreateSchema = z.object({
  reason: trimmed(3, REASON_MAX, 'Reason', { multiline: true }),
});
export type EscalationCreate = z.infer<typeof EscalationCreateSchema>;

/** Body of `POST /v1/tickets/{id}/satisfaction`. */
export const SatisfactionCreateSchema = z.object({
  rating: z.enum(SATISFACTION_RATINGS, 'Choose good or bad'),
  comment: z.optional(text(SATISFACTION_COMMENT_MAX, 'Comment', { multiline: true })),
});
export type SatisfactionCreate = z.infer<typeof SatisfactionCreateSchema>;

/** Body of `POST /v1/views`. */
export const SavedViewCreateSchema = z.object({
  name: trimmed(1, VIEW_NAME_MAX, 'Name'),
  shared: z._default(z.boolean('shared must be true or false'), false),
  query: SavedViewQuerySchema,
});
export type SavedViewCreate = z.input<typeof SavedViewCreateSchema>;
/** Query string of `GET /v1/tickets/similar`: the text typed so far. */
export const SimilarQuerySchema = z.object({
  q: z.string().check(z.trim(), z.minLength(1, 'q is required'), z.maxLength(SUBJECT_MAX, `q must be at most ${SUBJECT_MAX} characters`), plainText('q')),
  limit: z.optional(wholeNumberParam('limit', MAX_SIMILAR, 1, MAX_SIMILAR)),
});
export type SimilarQuery = z.output<typeof SimilarQuerySchema>;

/** Query string of `GET /v1/articles`: text search (best first) or, without `q`, all articles paged. */
export const ArticleQuerySchema = z.object({
  q: z.optional(text(SUBJECT_MAX, 'q')),
  /**
   * The reader's language (BCP 47, e.g. `de`); default: the contact's locale, else the
   * request's `Accept-Language`. Articles in that language come first; without any, the
   * `en` articles answer.
   */
  locale: z.optional(z.string().check(z.trim(), z.maxLength(35, 'locale must be at most 35 characters'))),
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
});
export type ArticleQuery = z.output<typeof ArticleQuerySchema>;

/** Query string of `GET /v1/service/articles`: every article, filtered by status and locale. */
export const ServiceArticleQuerySchema = z.object({
  q: z.optional(text(SUBJECT_MAX, 'q')),
  status: z.optional(z.enum(ARTICLE_STATUSES, `status must be one of ${ARTICLE_STATUSES.join(', ')}`)),
  /** Only articles in this exact locale (e.g. `de`, `pt-BR`). */
  locale: z.optional(z.string().check(z.trim(), z.maxLength(35, 'locale must be at most 35 characters'))),
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
});
export type ServiceArticleQuery = z.output<typeof ServiceArticleQuerySchema>;

/** Query string of any plain cursor-paged list. */
export const PageQuerySchema = z.object({
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
});
export type PageQuery = z.output<typeof PageQuerySchema>;

// --- contacts ------------------------------------------------------------------

export const CONTACT_NAME_MAX = 120;
const ROLE_MESSAGE = `Choose a role: ${ROLES.join(', ')}`;

/** `POST /v1/contacts`: invite a colleague. */
export const ContactInviteSchema = z.object({
  email: z
    .string('Enter an email address')
    .check(
      z.trim(),
      z.toLowerCase(),
      z.minLength(1, 'Enter an email address'),
      z.maxLength(EMAIL_MAX_LENGTH, `An email address has at most ${EMAIL_MAX_LENGTH} characters`),
      z.regex(EMAIL_PATTERN, 'Enter a valid email address, like name@company.com'),
    ),
  /** Display name until the person signs in (default: the part before the `@`). */
  name: z.optional(text(CONTACT_NAME_MAX, 'Name', { message: `A name has at most ${CONTACT_NAME_MAX} characters` })),
  /** Least privilege by default. */
  role: z._default(z.enum(ROLES, ROLE_MESSAGE), 'requester'),
  /** The account to invite into: the caller's (default) or, for a parent account's admin, a child. */
  accountId: z.optional(z.string()),
  /** Must be `true` to invite an address outside the account's email domains. */
  confirmExternal: z.optional(z.boolean('confirmExternal must be true or false')),
});
export type ContactInvite = z.input<typeof ContactInviteSchema>;

/** `PATCH /v1/contacts/{id}`: change the role, or reactivate (`status: 'active'`). */
export const ContactUpdateSchema = z
  .object({
    role: z.optional(z.enum(ROLES, ROLE_MESSAGE)),
    status: z.optional(z.enum(['active'], 'Only "active" (reactivate) can be set here; deactivate with DELETE')),
  })
  .check(z.refine((v) => v.role !== undefined || v.status !== undefined, { message: 'Send a role or a status', path: ['role'] }));
export type ContactUpdate = z.infer<typeof ContactUpdateSchema>;

/** `POST /v1/contacts/{id}/transfer`: hand the contact's unsolved tickets to a colleague. */
export const ContactTransferSchema = z.object({
  to: z.string('Choose who gets the tickets').check(z.minLength(1, 'Choose who gets the tickets')),
});
export type ContactTransfer = z.infer<typeof ContactTransferSchema>;

/** Query string of `GET /v1/contacts`. */
export const ContactQuerySchema = z.object({
  /** Case-insensitive substring of the name or email. */
  q: z.optional(searchParam(200)),
  role: z.optional(csv(ROLES, 'role')),
  status: z.optional(csv(CONTACT_STATUSES, 'status')),
  /** The caller's account (default) or, for a parent account's admin, a child account. */
  account: z.optional(z.string()),
  sort: z._default(z.enum(CONTACT_SORTS, `sort must be one of ${CONTACT_SORTS.join(', ')}`), 'name'),
  dir: z._default(z.enum(SORT_DIRECTIONS, 'dir must be asc or desc'), 'asc'),
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
});
export type ContactQueryInput = z.input<typeof ContactQuerySchema>;
export type ContactQuery = z.output<typeof ContactQuerySchema>;

/** Query string of `DELETE /v1/contacts/{id}`. */
export const ContactDeactivateQuerySchema = z.object({
  /** Hand the contact's unsolved tickets to this active colleague in the same transaction. */
  transferTo: z.optional(z.string().check(z.minLength(1, 'Choose who gets the tickets'))),
});

/** Query string of `GET /v1/service/outbox` (the vendor's side). */
export const OutboxQuerySchema = z.object({
  /** Events after this sequence number (default 0: from the start). */
  after: z._default(wholeNumberParam('after', 0, 0, Number.MAX_SAFE_INTEGER), 0),
  limit: z.optional(limitParam),
  /** Only these event types, comma-separated. */
  type: z.optional(csv(OUTBOX_EVENT_TYPES, 'event type')),
});

/** Body of `POST /v1/articles/{id}/deflections`: what was typed when the article helped. */
export const DeflectionCreateSchema = z.object({
  query: z.optional(text(SUBJECT_MAX, 'query', { message: `The query must be text of at most ${SUBJECT_MAX} characters.` })),
});
export type DeflectionCreate = z.infer<typeof DeflectionCreateSchema>;
