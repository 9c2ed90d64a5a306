/**
 * The REST contract as OpenAPI 3.1, generated from the same zod schemas the server validates
 * with. `npm run openapi` writes it to docs/openapi.json; a test fails when that file is stale,
 * and another when the server registers a route this table does not describe.
 *
 * Adding a route: append an `Operation` to `OPERATIONS` (in path order), then `npm run openapi`.
 * Not exported from the package root, so the browser bundle never carries it: import
 * `@portico/core/openapi.js`.
 */
import * as z from 'zod/mini';
import {
  ATTACHMENT_TYPES,
  AccountRefSchema,
  AccountSchema,
  ArticleSchema,
  AttachmentSchema,
  ActivitySchema,
  ActorRefSchema,
  CommentSchema,
  ContactSchema,
  EscalationSchema,
  OutboxEventSchema,
  PersonRefSchema,
  SatisfactionSchema,
  SavedViewQuerySchema,
  SavedViewSchema,
  SlaClockSchema,
  TICKET_CATEGORIES,
  TICKET_VIEWS,
  TicketSchema,
  TicketSlaSchema,
} from './domain.ts';
import { ERROR_CODES } from './errors.ts';
import {
  ActivityQuerySchema,
  NotificationsSeenSchema,
  ServiceCommentSchema,
  ServiceTicketPatchSchema,
  SummaryQuerySchema,
} from './live.ts';
import {
  ArticleQuerySchema,
  SUBJECT_MAX,
  SimilarQuerySchema,
  CommentCreateSchema,
  ContactDeactivateQuerySchema,
  ContactInviteSchema,
  ContactQuerySchema,
  ContactTransferSchema,
  ContactUpdateSchema,
  EscalationCreateSchema,
  OutboxQuerySchema,
  PageQuerySchema,
  SatisfactionCreateSchema,
  SavedViewCreateSchema,
  TicketCreateSchema,
  TicketPatchSchema,
  TicketQuerySchema,
} from './inputs.ts';
import { ProblemSchema } from './problem.ts';
import { SessionSchema } from './session.ts';

type Schema = z.core.$ZodType;
type JsonSchema = Record<string, unknown>;

/** One response of an operation. */
interface ResponseSpec {
  description: string;
  /** Name of a component schema (`Ticket`), `binary` for file bytes, or none (no body). */
  body?: string;
  headers?: readonly string[];
}

/** One operation of the REST contract. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, `{param}` style, e.g. `/v1/tickets/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** `contact`: a contact's Portico token; `service`: the vendor's API key. */
  auth: 'contact' | 'service';
  /** Query string schema (an object schema); each property becomes a parameter. */
  query?: Schema;
  /** JSON body schema name (a component, input side). */
  body?: string;
  /** A raw (non-JSON) request body: the media types it may have. */
  rawBody?: readonly string[];
  /** Parameters not described by `query` (e.g. a required query value of a raw upload). */
  extraParams?: readonly JsonSchema[];
  /** Takes `Idempotency-Key` (creates). */
  idempotent?: boolean;
  /** Answers `ETag` and honours `If-None-Match`. */
  etag?: boolean;
  /** Takes `If-Match` with the resource's ETag (stale → 412). */
  ifMatch?: boolean;
  responses: Readonly<Record<number, ResponseSpec>>;
}

const page = <T extends z.core.$ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
const TicketRefSchema = z.object({ id: z.string(), ref: z.string(), subject: z.string() });

// Response shapes that core declares as TypeScript interfaces (live.ts), written out as zod here
// for the document; test/node/openapi.test.ts checks real responses against them.
const TimelineEntrySchema = z.extend(ActivitySchema, { ticket: z.nullable(TicketRefSchema) });
const count = z.number();
const ratio = z.nullable(z.number());
const SummaryFiguresSchema = z.object({
  open: z.object({ new: count, open: count, pending: count, total: count }),
  slaNow: z.object({ atRisk: count, breached: count }),
  slaCompliance: z.object({ met: count, breached: count, ratio }),
  medianFirstResponseMinutes: ratio,
  medianResolutionMinutes: ratio,
  csat: z.object({ good: count, bad: count, ratio }),
  byCategory: z.record(z.enum(TICKET_CATEGORIES), count),
  deflections: count,
});

/**
 * Component schemas (by name). Responses use their output side, request bodies their input side;
 * a schema used inside another becomes a `$ref`.
 */
const OUTPUT_SCHEMAS: Readonly<Record<string, Schema>> = {
  Account: AccountSchema,
  AccountRef: AccountRefSchema,
  ActorRef: ActorRefSchema,
  PersonRef: PersonRefSchema,
  Session: SessionSchema,
  SlaClock: SlaClockSchema,
  TicketSla: TicketSlaSchema,
  Satisfaction: SatisfactionSchema,
  Ticket: TicketSchema,
  TicketRef: TicketRefSchema,
  TicketPage: z.object({
    items: z.array(TicketSchema),
    nextCursor: z.nullable(z.string()),
    /** Per-view counts under the same filters, on the first page when `counts=true`. */
    counts: z.optional(z.record(z.enum(TICKET_VIEWS), z.number())),
  }),
  Comment: CommentSchema,
  CommentPage: page(CommentSchema),
  Escalation: EscalationSchema,
  EscalationResult: z.object({ escalation: EscalationSchema, ticket: TicketSchema }),
  SatisfactionResult: z.object({ satisfaction: SatisfactionSchema, ticket: TicketSchema }),
  SavedViewQuery: SavedViewQuerySchema,
  SavedView: SavedViewSchema,
  SavedViewList: z.object({ items: z.array(SavedViewSchema) }),
  Contact: ContactSchema,
  ContactPage: page(ContactSchema),
  ContactTransferResult: z.object({ contact: ContactSchema, transferred: z.array(TicketRefSchema) }),
  SimilarTickets: z.object({ items: z.array(TicketSchema) }),
  Attachment: AttachmentSchema,
  AttachmentList: z.object({ items: z.array(AttachmentSchema) }),
  Article: ArticleSchema,
  ArticlePage: page(ArticleSchema),
  Deflection: z.object({
    id: z.string(),
    articleId: z.string(),
    accountId: z.string(),
    contactId: z.string(),
    /** What the contact had typed when the article was suggested. */
    query: z.nullable(z.string()),
    createdAt: z.iso.datetime(),
  }),
  Activity: ActivitySchema,
  TimelineEntry: TimelineEntrySchema,
  TimelinePage: page(TimelineEntrySchema),
  NotificationPage: z.object({
    items: z.array(z.extend(TimelineEntrySchema, { unseen: z.boolean() })),
    /** Unseen updates in all, not only on this page. */
    unseenCount: count,
    seenAt: z.nullable(z.iso.datetime()),
    nextCursor: z.nullable(z.string()),
  }),
  LiveEvent: z.object({
    /** The SSE event id: send it back as `Last-Event-ID` to resume after it. */
    id: z.string(),
    activity: ActivitySchema,
    ticket: z.nullable(TicketSchema),
  }),
  SummaryFigures: SummaryFiguresSchema,
  AccountSummary: z.object({
    /** The account summarized; null for a roll-up of every reachable account. */
    account: z.nullable(AccountRefSchema),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    figures: SummaryFiguresSchema,
    accounts: z.array(z.object({ account: AccountRefSchema, figures: SummaryFiguresSchema })),
  }),
  SlaSweepResult: z.object({ recorded: z.array(ActivitySchema) }),
  OutboxEvent: OutboxEventSchema,
  OutboxPage: z.object({ items: z.array(OutboxEventSchema), lastSequence: z.number(), hasMore: z.boolean() }),
  Problem: ProblemSchema,
};
const INPUT_SCHEMAS: Readonly<Record<string, Schema>> = {
  TicketCreate: TicketCreateSchema,
  TicketPatch: TicketPatchSchema,
  CommentCreate: CommentCreateSchema,
  EscalationCreate: EscalationCreateSchema,
  SatisfactionCreate: SatisfactionCreateSchema,
  SavedViewCreate: SavedViewCreateSchema,
  ContactInvite: ContactInviteSchema,
  ContactUpdate: ContactUpdateSchema,
  ContactTransfer: ContactTransferSchema,
  NotificationsSeen: NotificationsSeenSchema,
  ServiceComment: ServiceCommentSchema,
  ServiceTicketPatch: ServiceTicketPatchSchema,
  DeflectionCreate: z.object({ query: z.optional(z.string().check(z.maxLength(SUBJECT_MAX))) }),
};

const problem = (description: string, headers?: readonly string[]): ResponseSpec => ({ description, body: 'Problem', ...(headers ? { headers } : {}) });
const PROBLEMS = {
  400: problem('Malformed JSON (`bad_request`).'),
  401: problem('No, bad, expired or revoked token (`unauthorized`).', ['WWW-Authenticate']),
  403: problem('The role may never do this (`forbidden`).'),
  404: problem('No such resource, or the caller may not see it (`not_found`; never 403).'),
  409: problem('A request with the same Idempotency-Key is still running, or the resource is in a state that forbids this (`conflict`).'),
  412: problem('If-Match names an older version: someone changed it since you loaded it (`precondition_failed`). Nothing was written.'),
  413: problem('Body over the size limit (`payload_too_large`).'),
  415: problem('Body is not JSON (`unsupported_media_type`).'),
  422: problem('Invalid body or query (`validation_failed`, with `fieldErrors`), or an Idempotency-Key reused with another body (`idempotency_conflict`).'),
  429: problem('Too many requests from this contact or key (`rate_limited`); wait Retry-After seconds.', ['Retry-After']),
  503: problem('The database is unreachable right now (`unavailable`); nothing was written: retry after Retry-After seconds.', ['Retry-After']),
} as const satisfies Record<number, ResponseSpec>;

/** The problems every write with a JSON body can answer. */
const WRITE_PROBLEMS = { 400: PROBLEMS[400], 413: PROBLEMS[413], 415: PROBLEMS[415], 422: PROBLEMS[422] } as const;
const ok = (description: string, body?: string, headers?: readonly string[]): ResponseSpec => ({
  description,
  ...(body ? { body } : {}),
  ...(headers ? { headers } : {}),
});

/** The contract, in path order. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'getSession',
    summary: 'The session: contact, account, reachable accounts, permissions',
    tag: 'Session',
    auth: 'contact',
    responses: { 200: ok('Who the token belongs to and what they may do.', 'Session') },
  },
  {
    method: 'get',
    path: '/v1/tickets',
    operationId: 'listTickets',
    summary: 'List tickets the caller may see',
    description:
      'A view (`mine`, `account`, `following`, `unsolved`), filters (comma-separated lists), text search, sort and cursor paging. Only tickets the caller may see are ever counted or returned.',
    tag: 'Tickets',
    auth: 'contact',
    query: TicketQuerySchema,
    responses: { 200: ok('One page of tickets (with per-view counts when asked).', 'TicketPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/tickets',
    operationId: 'createTicket',
    summary: 'Create a ticket',
    description: 'Visibility defaults to the account’s `defaultVisibility`. Retrying with the same Idempotency-Key and body returns the first response.',
    tag: 'Tickets',
    auth: 'contact',
    body: 'TicketCreate',
    idempotent: true,
    responses: { 201: ok('The new ticket.', 'Ticket', ['ETag', 'Location']), 403: PROBLEMS[403], 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/tickets/similar',
    operationId: 'findSimilarTickets',
    summary: 'Possible duplicates of a ticket being typed',
    description: 'Unsolved tickets of the caller’s own account that match the text and that the caller may see, best match first.',
    tag: 'Tickets',
    auth: 'contact',
    query: SimilarQuerySchema,
    responses: { 200: ok('Up to `limit` tickets.', 'SimilarTickets'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}',
    operationId: 'getTicket',
    summary: 'One ticket',
    tag: 'Tickets',
    auth: 'contact',
    etag: true,
    responses: { 200: ok('The ticket.', 'Ticket', ['ETag']), 304: ok('Not modified since the ETag in If-None-Match.', undefined, ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/tickets/{id}',
    operationId: 'updateTicket',
    summary: 'Close, reopen, or change the visibility of a ticket',
    description: '`status: "solved"` closes the ticket (the customer says it is done), `"open"` reopens a solved one.',
    tag: 'Tickets',
    auth: 'contact',
    body: 'TicketPatch',
    ifMatch: true,
    responses: { 200: ok('The changed ticket.', 'Ticket', ['ETag']), 403: PROBLEMS[403], 404: PROBLEMS[404], 409: PROBLEMS[409], 412: PROBLEMS[412], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}/comments',
    operationId: 'listComments',
    summary: 'The conversation of a ticket, oldest first',
    tag: 'Tickets',
    auth: 'contact',
    query: PageQuerySchema,
    responses: { 200: ok('One page of comments.', 'CommentPage'), 404: PROBLEMS[404], 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/tickets/{id}/comments',
    operationId: 'addComment',
    summary: 'Reply on a ticket',
    tag: 'Tickets',
    auth: 'contact',
    body: 'CommentCreate',
    idempotent: true,
    responses: { 201: ok('The new comment.', 'Comment'), 403: PROBLEMS[403], 404: PROBLEMS[404], 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'post',
    path: '/v1/tickets/{id}/escalations',
    operationId: 'escalateTicket',
    summary: 'Escalate a ticket (raises its priority one step)',
    tag: 'Tickets',
    auth: 'contact',
    body: 'EscalationCreate',
    idempotent: true,
    responses: {
      201: ok('The escalation and the changed ticket.', 'EscalationResult', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('The ticket is already escalated, or its state does not allow it (`conflict`).'),
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'post',
    path: '/v1/tickets/{id}/satisfaction',
    operationId: 'rateTicket',
    summary: 'Rate a solved ticket (CSAT); requester only, once',
    tag: 'Tickets',
    auth: 'contact',
    body: 'SatisfactionCreate',
    idempotent: true,
    responses: {
      201: ok('The rating and the changed ticket.', 'SatisfactionResult', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('Already rated, or the ticket is not solved (`conflict`).'),
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'put',
    path: '/v1/tickets/{id}/seen/me',
    operationId: 'markTicketSeen',
    summary: 'Mark a ticket as seen by the caller (for unread markers)',
    tag: 'Tickets',
    auth: 'contact',
    responses: { 204: ok('Marked.'), 404: PROBLEMS[404] },
  },
  {
    method: 'put',
    path: '/v1/tickets/{id}/followers/me',
    operationId: 'followTicket',
    summary: 'Follow a ticket (idempotent)',
    tag: 'Tickets',
    auth: 'contact',
    responses: { 200: ok('The ticket, with the caller among its followers.', 'Ticket', ['ETag']), 403: PROBLEMS[403], 404: PROBLEMS[404] },
  },
  {
    method: 'delete',
    path: '/v1/tickets/{id}/followers/me',
    operationId: 'unfollowTicket',
    summary: 'Stop following a ticket (idempotent)',
    tag: 'Tickets',
    auth: 'contact',
    responses: {
      200: ok('The ticket, without the caller among its followers.', 'Ticket', ['ETag']),
      204: ok('Unfollowed, and the caller may no longer see the ticket (it was visible only through following).'),
      404: PROBLEMS[404],
    },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}/attachments',
    operationId: 'listAttachments',
    summary: 'The files of a ticket',
    tag: 'Attachments',
    auth: 'contact',
    responses: { 200: ok('Every attachment of the ticket.', 'AttachmentList'), 404: PROBLEMS[404] },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}/attachments/{attachmentId}',
    operationId: 'downloadAttachment',
    summary: 'Download a file of a ticket (always as an attachment, never rendered)',
    tag: 'Attachments',
    auth: 'contact',
    responses: { 200: ok('The file’s bytes, with its own Content-Type and a Content-Disposition.', 'binary'), 404: PROBLEMS[404] },
  },
  {
    method: 'post',
    path: '/v1/attachments',
    operationId: 'uploadAttachment',
    summary: 'Upload a file, to link to a ticket when creating it (`attachmentIds`)',
    description: 'The raw bytes are the body, the file’s type its Content-Type and its name the `name` query value.',
    tag: 'Attachments',
    auth: 'contact',
    rawBody: ATTACHMENT_TYPES,
    extraParams: [{ name: 'name', in: 'query', required: true, description: 'The file name (no path), at most 255 characters.', schema: { type: 'string', maxLength: 255 } }],
    idempotent: true,
    responses: {
      201: ok('The stored attachment, not yet linked to a ticket.', 'Attachment'),
      403: PROBLEMS[403],
      409: PROBLEMS[409],
      413: problem('The file is larger than the limit (10 MB by default) (`payload_too_large`).'),
      415: problem('The file type is not allowed (`unsupported_media_type`).'),
      422: problem('No usable name, or an empty file (`validation_failed`).'),
    },
  },
  {
    method: 'get',
    path: '/v1/articles',
    operationId: 'searchArticles',
    summary: 'Knowledge-base articles: text search (best first) or, without `q`, all of them paged',
    tag: 'Knowledge base',
    auth: 'contact',
    query: ArticleQuerySchema,
    responses: { 200: ok('Matching articles.', 'ArticlePage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/articles/{id}',
    operationId: 'getArticle',
    summary: 'One article',
    tag: 'Knowledge base',
    auth: 'contact',
    responses: { 200: ok('The article.', 'Article'), 404: PROBLEMS[404] },
  },
  {
    method: 'post',
    path: '/v1/articles/{id}/deflections',
    operationId: 'recordDeflection',
    summary: 'Record that a suggested article answered the question (no ticket filed)',
    tag: 'Knowledge base',
    auth: 'contact',
    body: 'DeflectionCreate',
    idempotent: true,
    responses: { 201: ok('The recorded deflection.', 'Deflection'), 404: PROBLEMS[404], 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/activity',
    operationId: 'listActivity',
    summary: 'The account’s activity timeline, newest first',
    description: 'Ticket events, comments, escalations, SLA at-risk/breach and contact changes the caller may see; filterable by type, ticket, contact, account and time.',
    tag: 'Activity',
    auth: 'contact',
    query: ActivityQuerySchema,
    responses: { 200: ok('One page of timeline entries.', 'TimelinePage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/notifications',
    operationId: 'listNotifications',
    summary: 'Updates to tickets the caller requested or follows, newest first',
    tag: 'Activity',
    auth: 'contact',
    query: PageQuerySchema,
    responses: { 200: ok('One page of updates, with the unseen count.', 'NotificationPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/notifications/seen',
    operationId: 'markNotificationsSeen',
    summary: 'Mark updates as seen (up to `until`, default now)',
    tag: 'Activity',
    auth: 'contact',
    body: 'NotificationsSeen',
    responses: { 204: ok('Marked.'), ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/events',
    operationId: 'streamEvents',
    summary: 'Live changes the caller may see (Server-Sent Events)',
    description:
      'A `text/event-stream`: first `event: ready` (data `{ "lastEventId" }`), then one `event: activity` per change (data: a `LiveEvent`, `id`: its sequence), and `: heartbeat` comments. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume after the last event seen.',
    tag: 'Activity',
    auth: 'contact',
    extraParams: [
      { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event id.', schema: { type: 'string', pattern: '^\\d{1,15}$' } },
      { name: 'lastEventId', in: 'query', required: false, description: 'The same, for clients that cannot set headers (EventSource).', schema: { type: 'string', pattern: '^\\d{1,15}$' } },
    ],
    responses: { 200: ok('The event stream; each `activity` event’s data is a LiveEvent.', 'sse'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/summary',
    operationId: 'getSummary',
    summary: 'Account KPIs: open by status, SLA now and compliance, response and resolution times, CSAT',
    tag: 'Activity',
    auth: 'contact',
    query: SummaryQuerySchema,
    responses: { 200: ok('The figures (a roll-up with per-account figures for `account=all`).', 'AccountSummary'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/views',
    operationId: 'listSavedViews',
    summary: 'Saved views: the caller’s own and those shared with the account',
    tag: 'Saved views',
    auth: 'contact',
    responses: { 200: ok('Every saved view the caller may use.', 'SavedViewList') },
  },
  {
    method: 'post',
    path: '/v1/views',
    operationId: 'createSavedView',
    summary: 'Save a view (shared views: admins only)',
    tag: 'Saved views',
    auth: 'contact',
    body: 'SavedViewCreate',
    idempotent: true,
    responses: {
      201: ok('The saved view.', 'SavedView', ['Location']),
      403: PROBLEMS[403],
      409: problem('Too many saved views of that kind, or the same Idempotency-Key is still running (`conflict`).'),
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'delete',
    path: '/v1/views/{id}',
    operationId: 'deleteSavedView',
    summary: 'Delete a saved view (shared views: admins only)',
    tag: 'Saved views',
    auth: 'contact',
    responses: { 204: ok('Deleted.'), 403: PROBLEMS[403], 404: PROBLEMS[404] },
  },
  {
    method: 'get',
    path: '/v1/contacts',
    operationId: 'listContacts',
    summary: 'Contacts of the account (admins: everyone; others: a directory of active colleagues)',
    description: 'For non-admins the directory lists active contacts only and leaves `lastSeenAt` null.',
    tag: 'Contacts',
    auth: 'contact',
    query: ContactQuerySchema,
    responses: { 200: ok('One page of contacts.', 'ContactPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/contacts',
    operationId: 'inviteContact',
    summary: 'Invite a colleague (admins)',
    tag: 'Contacts',
    auth: 'contact',
    body: 'ContactInvite',
    idempotent: true,
    responses: {
      201: ok('The invited contact.', 'Contact', ['ETag', 'Location']),
      403: PROBLEMS[403],
      409: problem('Already a contact of the account (`contact_exists`), or the same Idempotency-Key is still running (`conflict`).'),
      ...WRITE_PROBLEMS,
      422: problem('Invalid body (`validation_failed`), an address outside the account’s domains without `confirmExternal` (`external_email_unconfirmed`), or a reused Idempotency-Key (`idempotency_conflict`).'),
    },
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}',
    operationId: 'getContact',
    summary: 'One contact (admins: any of theirs; others: active colleagues)',
    tag: 'Contacts',
    auth: 'contact',
    responses: { 200: ok('The contact (with an ETag for admins).', 'Contact', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/contacts/{id}',
    operationId: 'updateContact',
    summary: 'Change a contact’s role, or reactivate them (admins)',
    tag: 'Contacts',
    auth: 'contact',
    body: 'ContactUpdate',
    ifMatch: true,
    responses: {
      200: ok('The changed contact.', 'Contact', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('Would leave the account without an active admin (`last_admin`), would lock the caller out (`self_lockout`), or the contact has not accepted the invitation (`conflict`).'),
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'delete',
    path: '/v1/contacts/{id}',
    operationId: 'deactivateContact',
    summary: 'Deactivate a contact (admins); their tickets and comments stay',
    description: 'Access ends at once. `transferTo` hands their unsolved tickets to an active colleague in the same transaction.',
    tag: 'Contacts',
    auth: 'contact',
    query: ContactDeactivateQuerySchema,
    ifMatch: true,
    responses: {
      200: ok('The deactivated contact and the tickets transferred.', 'ContactTransferResult', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('Would leave the account without an active admin (`last_admin`) or deactivate the caller (`self_lockout`).'),
      412: PROBLEMS[412],
      422: PROBLEMS[422],
    },
  },
  {
    method: 'post',
    path: '/v1/contacts/{id}/transfer',
    operationId: 'transferContactTickets',
    summary: 'Hand a contact’s unsolved tickets to a colleague (admins)',
    tag: 'Contacts',
    auth: 'contact',
    body: 'ContactTransfer',
    responses: { 200: ok('The contact and the tickets transferred.', 'ContactTransferResult'), 403: PROBLEMS[403], 404: PROBLEMS[404], ...WRITE_PROBLEMS },
  },
  {
    method: 'post',
    path: '/v1/contacts/{id}/invitation',
    operationId: 'resendInvitation',
    summary: 'Send a pending invitation again (admins)',
    tag: 'Contacts',
    auth: 'contact',
    responses: {
      200: ok('The invited contact.', 'Contact', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('The contact has no pending invitation (`invitation_not_pending`).'),
    },
  },
  {
    method: 'delete',
    path: '/v1/contacts/{id}/invitation',
    operationId: 'revokeInvitation',
    summary: 'Withdraw a pending invitation (admins)',
    tag: 'Contacts',
    auth: 'contact',
    responses: { 204: ok('Withdrawn.'), 403: PROBLEMS[403], 404: PROBLEMS[404], 409: problem('The contact has no pending invitation (`invitation_not_pending`).') },
  },
  {
    method: 'get',
    path: '/v1/service/outbox',
    operationId: 'readOutbox',
    summary: 'The vendor’s outbox: contact and account events in order (service API key)',
    tag: 'Service',
    auth: 'service',
    query: OutboxQuerySchema,
    responses: { 200: ok('Events after `after`, oldest first.', 'OutboxPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/tickets',
    operationId: 'serviceListTickets',
    summary: 'Tickets of one account (`account` is required), for the vendor’s helpdesk (service API key)',
    tag: 'Service',
    auth: 'service',
    query: TicketQuerySchema,
    responses: { 200: ok('One page of tickets.', 'TicketPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/tickets/{id}',
    operationId: 'serviceGetTicket',
    summary: 'One ticket, for the vendor’s helpdesk',
    tag: 'Service',
    auth: 'service',
    responses: { 200: ok('The ticket.', 'Ticket', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/service/tickets/{id}',
    operationId: 'serviceUpdateTicket',
    summary: 'An agent changes the status or assignee',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceTicketPatch',
    responses: { 200: ok('The changed ticket.', 'Ticket', ['ETag']), 404: PROBLEMS[404], ...WRITE_PROBLEMS },
  },
  {
    method: 'post',
    path: '/v1/service/tickets/{id}/comments',
    operationId: 'serviceAddComment',
    summary: 'An agent replies (optionally setting the status)',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceComment',
    idempotent: true,
    responses: { 201: ok('The agent’s comment.', 'Comment'), 404: PROBLEMS[404], 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'post',
    path: '/v1/service/sla/sweep',
    operationId: 'serviceSweepSla',
    summary: 'Record SLA at-risk and breach crossings now (for a cron job)',
    tag: 'Service',
    auth: 'service',
    responses: { 200: ok('The activity entries recorded.', 'SlaSweepResult') },
  },
];

const HEADERS: Readonly<Record<string, JsonSchema>> = {
  ETag: { description: 'Version of the resource; send it back as If-Match to update.', schema: { type: 'string' } },
  Location: { description: 'URL of the created resource.', schema: { type: 'string' } },
  'WWW-Authenticate': { description: '`Bearer`, per RFC 6750.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'Idempotency-Replayed': { description: '`true` when this is the stored response of an earlier request with the same key.', schema: { type: 'string' } },
};

/**
 * Drops what OpenAPI 3.1 does not want on a component (`$schema`, `$id`), and the long regex
 * zod adds beside `format: date-time` (the format says it; the document stays readable).
 */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return strip(rest) as JsonSchema;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => !(key === 'pattern' && (value as JsonSchema).format === 'date-time'));
  return Object.fromEntries(entries.map(([key, v]) => [key, strip(v)]));
}

/** JSON Schema of a zod schema. */
function jsonSchema(schema: Schema, io: 'input' | 'output'): JsonSchema {
  return clean(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema);
}

/** Component schemas of one side, with `$ref`s between them. */
function components(schemas: Readonly<Record<string, Schema>>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(out.schemas).map(([id, schema]) => [id, clean(schema)]));
}

function contentOf(body: string): JsonSchema {
  if (body === 'sse') {
    const note = 'Server-Sent Events; the data of each `activity` event is a LiveEvent (#/components/schemas/LiveEvent) as JSON.';
    return { 'text/event-stream': { schema: { type: 'string', description: note } } };
  }
  if (body === 'binary') return { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } };
  return { [body === 'Problem' ? 'application/problem+json' : 'application/json']: { schema: { $ref: `#/components/schemas/${body}` } } };
}

function parametersOf(op: Operation): JsonSchema[] {
  const params: JsonSchema[] = [];
  for (const name of op.path.matchAll(/\{(\w+)\}/g)) params.push({ name: name[1], in: 'path', required: true, schema: { type: 'string' } });
  if (op.query) {
    const query = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const param: JsonSchema = { name, in: 'query', required: query.required?.includes(name) ?? false, schema };
      // Multi-valued filters are one comma-separated value: ?status=open,pending
      if (schema.type === 'array') Object.assign(param, { style: 'form', explode: false });
      params.push(param);
    }
  }
  params.push(...(op.extraParams ?? []));
  if (op.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes a retried create safe: the same key and body return the first response for 24 hours; the same key with another body answers 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (op.etag) params.push({ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } });
  if (op.ifMatch) {
    params.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The ETag you loaded; when the resource changed since, nothing is written and the answer is 412.',
      schema: { type: 'string' },
    });
  }
  return params;
}

/** The OpenAPI 3.1 document of the REST contract. */
export function openApiDocument(version = '1.0.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, JsonSchema> = {};
    // Every route can answer 401 (token) and 429 (rate limit).
    const specs: Record<number, ResponseSpec> = { ...op.responses, 401: PROBLEMS[401], 429: PROBLEMS[429], 503: PROBLEMS[503] };
    for (const [status, spec] of Object.entries(specs).sort(([a], [b]) => Number(a) - Number(b))) {
      responses[status] = {
        description: spec.description,
        ...(spec.headers ? { headers: Object.fromEntries(spec.headers.map((h) => [h, HEADERS[h]])) } : {}),
        ...(spec.body ? { content: contentOf(spec.body) } : {}),
      };
    }
    const parameters = parametersOf(op);
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: [{ [op.auth === 'contact' ? 'porticoToken' : 'serviceApiKey']: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: contentOf(op.body) } } : {}),
      ...(op.rawBody
        ? { requestBody: { required: true, content: Object.fromEntries(op.rawBody.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])) } }
        : {}),
      responses,
    };
  }
  const schemas: Record<string, JsonSchema> = { ...components(OUTPUT_SCHEMAS, 'output'), ...components(INPUT_SCHEMAS, 'input') };
  (schemas.Problem as { properties: Record<string, JsonSchema> }).properties.code = {
    type: 'string',
    description: 'Stable machine-readable code.',
    enum: [...ERROR_CODES.filter((c) => c !== 'network_error' && c !== 'timeout')],
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portico REST API',
      version,
      description:
        'The contract between Portico’s elements (or any client) and a Portico backend. Generated from the zod schemas of @portico/core by `npm run openapi`; do not edit by hand. Errors are RFC 9457 problem+json; lists are cursor-paged.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/api', description: 'Where the vendor mounts the API (the reference server serves /v1 at its root).' }],
    tags: [
      { name: 'Session', description: 'Who is signed in.' },
      { name: 'Tickets', description: 'The account’s tickets, their conversations, following, escalation and rating.' },
      { name: 'Attachments', description: 'Files on tickets: upload, list, download.' },
      { name: 'Knowledge base', description: 'Articles suggested while a ticket is typed, and deflections.' },
      { name: 'Activity', description: 'Timeline, notifications, live events and KPIs.' },
      { name: 'Saved views', description: 'Named list filters, personal or shared with the account.' },
      { name: 'Contacts', description: 'The account’s contacts: directory for everyone, management for admins.' },
      { name: 'Service', description: 'The vendor’s side of the API, with a service API key.' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        porticoToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A short-lived Portico token minted by the vendor’s backend (docs/auth.md).',
        },
        serviceApiKey: { type: 'http', scheme: 'bearer', description: 'The vendor’s service API key (`/v1/service/...` only).' },
      },
    },
  };
}
