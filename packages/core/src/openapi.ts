/**
 * The REST contract as OpenAPI 3.1, generated from the same zod schemas the server validates
 * with. `npm run openapi` writes it to docs/openapi.json; a test fails when that file is stale,
 * and another when the server registers a route this table does not describe.
 *
 * Adding a route: append an `Operation` to `OPERATIONS` (in path order), then `npm run openapi`
 * (the whole checklist, from schema to client, is in docs/architecture.md).
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
  SEARCH_COUNT_CAP,
  SlaClockSchema,
  TICKET_CATEGORIES,
  TICKET_VIEWS,
  TicketSchema,
  TicketSlaSchema,
} from './domain.ts';
import { ArticleCreateSchema, ArticlePatchSchema } from './articles.ts';
import { ERROR_CODES } from './errors.ts';
import { ActivityQuerySchema, NotificationsSeenSchema, SummaryQuerySchema } from './live.ts';
import { ServiceCommentSchema, ServiceMergeSchema, ServiceNoteSchema, ServiceTicketPatchSchema, ServiceTicketQuerySchema } from './agent.ts';
import {
  ArticleQuerySchema,
  ServiceArticleQuerySchema,
  DeflectionCreateSchema,
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
import {
  WebhookDeliveryQuerySchema,
  WebhookDeliverySchema,
  WebhookEndpointCreateSchema,
  WebhookEndpointSchema,
  WebhookEndpointUpdateSchema,
  WebhookEndpointWithSecretSchema,
  WebhookPayloadSchema,
  WebhookSecretRotationSchema,
} from './webhooks.ts';
import {
  AccountListQuerySchema,
  AccountPutSchema,
  ContactPutSchema,
  RoleDefinitionSchema,
  RolePutSchema,
  ServiceAccountSchema,
  ServiceContactListQuerySchema,
  ServiceContactSchema,
  SyncRequestSchema,
  SyncResultSchema,
} from './provisioning.ts';
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
  /** `contact`: a contact's Portico token; `service`: the vendor's API key; `none`: the probes of load balancers. */
  auth: 'contact' | 'service' | 'none';
  /** Query string schema (an object schema); each property becomes a parameter. */
  query?: Schema;
  /** JSON body schema name (a component, input side). */
  body?: string;
  /** The JSON body may be left out (every field has a default). */
  bodyOptional?: boolean;
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
/** What `GET /readyz` checked (in its body whether ready or not); see docs/deploy.md. */
const ReadinessChecksSchema = z.object({
  /** Whether the database answered a trivial query within a short timeout. */
  database: z.enum(['up', 'down']),
  /** The schema against the migrations this server build knows; `unknown` while the database is down. */
  schema: z.enum(['current', 'behind', 'ahead', 'unknown']),
  /** `draining` from the moment the instance starts shutting down. */
  instance: z.enum(['serving', 'draining']),
});
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
    /** The views whose count with search words stopped at the cap: a lower bound (see `TicketPage`). */
    countsCapped: z.optional(z.array(z.enum(TICKET_VIEWS))),
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
  MergeResult: z.object({ source: TicketSchema, target: TicketSchema }),
  OutboxEvent: OutboxEventSchema,
  OutboxPage: z.object({ items: z.array(OutboxEventSchema), lastSequence: z.number(), hasMore: z.boolean() }),
  WebhookEndpoint: WebhookEndpointSchema,
  WebhookEndpointWithSecret: WebhookEndpointWithSecretSchema,
  WebhookEndpointPage: page(WebhookEndpointSchema),
  WebhookDelivery: WebhookDeliverySchema,
  WebhookDeliveryPage: page(WebhookDeliverySchema),
  /** The JSON body Portico POSTs to an endpoint (see docs/webhooks.md). */
  WebhookPayload: WebhookPayloadSchema,
  ServiceAccount: ServiceAccountSchema,
  ServiceAccountPage: page(ServiceAccountSchema),
  ServiceContact: ServiceContactSchema,
  ServiceContactPage: page(ServiceContactSchema),
  SyncResult: SyncResultSchema,
  RoleDefinition: RoleDefinitionSchema,
  RoleList: z.object({ items: z.array(RoleDefinitionSchema) }),
  Problem: ProblemSchema,
  Liveness: z.object({ status: z.literal('ok') }),
  Readiness: z.object({ status: z.literal('ready'), checks: ReadinessChecksSchema }),
  NotReady: z.extend(ProblemSchema, { checks: ReadinessChecksSchema }),
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
  ServiceNote: ServiceNoteSchema,
  ServiceTicketPatch: ServiceTicketPatchSchema,
  DeflectionCreate: DeflectionCreateSchema,
  ArticleCreate: ArticleCreateSchema,
  ArticlePatch: ArticlePatchSchema,
  WebhookEndpointCreate: WebhookEndpointCreateSchema,
  WebhookEndpointUpdate: WebhookEndpointUpdateSchema,
  WebhookSecretRotation: WebhookSecretRotationSchema,
  AccountPut: AccountPutSchema,
  ContactPut: ContactPutSchema,
  SyncRequest: SyncRequestSchema,
  RolePut: RolePutSchema,
  ServiceMerge: ServiceMergeSchema,
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
  503: problem(
    "The database is unreachable right now (`unavailable`; nothing was written), or a text search ran past the server's time budget and was cancelled (`search_timeout`; add words or filters, or retry): retry after Retry-After seconds.",
    ['Retry-After'],
  ),
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
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers',
    description:
      'No database call, no token, no rate limit: a failing database never gets every instance restarted at once. For a liveness probe (restart when it stops answering). See docs/deploy.md.',
    tag: 'Operations',
    auth: 'none',
    responses: { 200: ok('The process is up.', 'Liveness') },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: this instance should get traffic',
    description:
      'Ready when the database answers a trivial query within 2 s, its schema is the version this server build expects, and the instance is not shutting down (draining answers 503 from the moment it gets SIGTERM). No token, no rate limit, never cached; the body says what was checked and nothing more. For a readiness probe or a load balancer health check. See docs/deploy.md.',
    tag: 'Operations',
    auth: 'none',
    responses: {
      200: ok('Ready.', 'Readiness'),
      503: {
        description: 'Not ready (`unavailable`); `checks` says which check failed. Ask again after Retry-After seconds.',
        body: 'NotReady',
        headers: ['Retry-After'],
      },
    },
  },
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
    description: `A view (\`mine\`, \`account\`, \`following\`, \`unsolved\`), filters (comma-separated lists), text search, sort and cursor paging. Only tickets the caller may see are ever counted or returned. With \`q\`, each view's count stops at ${SEARCH_COUNT_CAP}: \`countsCapped\` lists the views whose count is that lower bound.`,
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
    description:
      'Unsolved tickets of the caller’s own account that match the text and that the caller may see: for each word, among the 200 most recently updated tickets holding it; those sharing the rarest words first, a subject hit above a description or comment hit, then the newest.',
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
    responses: {
      200: ok('The ticket.', 'Ticket', ['ETag']),
      304: ok('Not modified since the ETag in If-None-Match.', undefined, ['ETag']),
      404: PROBLEMS[404],
    },
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
    responses: {
      200: ok('The changed ticket.', 'Ticket', ['ETag']),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: PROBLEMS[409],
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
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
    extraParams: [
      {
        name: 'name',
        in: 'query',
        required: true,
        description: 'The file name (no path), at most 255 characters.',
        schema: { type: 'string', maxLength: 255 },
      },
    ],
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
    method: 'post',
    path: '/v1/service/articles',
    operationId: 'serviceCreateArticle',
    summary: 'Write an article (a draft unless `status` is `published`)',
    description: 'Customers see an article once it is published and its audience includes their account’s tier.',
    tag: 'Knowledge base authoring',
    auth: 'service',
    body: 'ArticleCreate',
    idempotent: true,
    responses: { 201: ok('The new article.', 'Article', ['ETag', 'Location']), 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/service/articles',
    operationId: 'serviceListArticles',
    summary: 'Every article, drafts included: text search (best first) or, without `q`, newest first paged',
    tag: 'Knowledge base authoring',
    auth: 'service',
    query: ServiceArticleQuerySchema,
    responses: { 200: ok('Matching articles.', 'ArticlePage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/articles/{id}',
    operationId: 'serviceGetArticle',
    summary: 'One article, drafts included',
    tag: 'Knowledge base authoring',
    auth: 'service',
    responses: { 200: ok('The article.', 'Article', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/service/articles/{id}',
    operationId: 'serviceUpdateArticle',
    summary: 'Change an article’s text, category, locale or audience (customers see it at once)',
    tag: 'Knowledge base authoring',
    auth: 'service',
    body: 'ArticlePatch',
    ifMatch: true,
    responses: { 200: ok('The changed article.', 'Article', ['ETag']), 404: PROBLEMS[404], 412: PROBLEMS[412], ...WRITE_PROBLEMS },
  },
  {
    method: 'post',
    path: '/v1/service/articles/{id}/publish',
    operationId: 'servicePublishArticle',
    summary: 'Publish an article: its audience finds it in search and suggestions at once',
    tag: 'Knowledge base authoring',
    auth: 'service',
    ifMatch: true,
    responses: { 200: ok('The published article.', 'Article', ['ETag']), 404: PROBLEMS[404], 412: PROBLEMS[412] },
  },
  {
    method: 'post',
    path: '/v1/service/articles/{id}/unpublish',
    operationId: 'serviceUnpublishArticle',
    summary: 'Take an article back to draft: no customer sees it any more',
    tag: 'Knowledge base authoring',
    auth: 'service',
    ifMatch: true,
    responses: { 200: ok('The article, now a draft.', 'Article', ['ETag']), 404: PROBLEMS[404], 412: PROBLEMS[412] },
  },
  {
    method: 'delete',
    path: '/v1/service/articles/{id}',
    operationId: 'serviceDeleteArticle',
    summary: 'Delete an article (its deflections stay counted)',
    tag: 'Knowledge base authoring',
    auth: 'service',
    ifMatch: true,
    responses: { 204: ok('Deleted.'), 404: PROBLEMS[404], 412: PROBLEMS[412] },
  },
  {
    method: 'get',
    path: '/v1/activity',
    operationId: 'listActivity',
    summary: 'The account’s activity timeline, newest first',
    description:
      'Ticket events, comments, escalations, SLA at-risk/breach and contact changes the caller may see; filterable by type, ticket, contact, account and time.',
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
      'A `text/event-stream`: first `event: ready` (data `{ "lastEventId" }`), then one `event: activity` per change (data: a `LiveEvent`, `id`: its sequence), and `: heartbeat` comments. Each event is authorised against the contact as it is now: the server ends the stream when the token expires, the contact is deactivated, the account is refused, or the role or reach changes (and after 5 minutes in any case). Reconnect with a current token and `Last-Event-ID` (or `?lastEventId=`) to resume after the last event seen.',
    tag: 'Activity',
    auth: 'contact',
    extraParams: [
      { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event id.', schema: { type: 'string', pattern: '^\\d{1,15}$' } },
      {
        name: 'lastEventId',
        in: 'query',
        required: false,
        description: 'The same, for clients that cannot set headers (EventSource).',
        schema: { type: 'string', pattern: '^\\d{1,15}$' },
      },
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
      422: problem(
        'Invalid body (`validation_failed`), an address outside the account’s domains without `confirmExternal` (`external_email_unconfirmed`), or a reused Idempotency-Key (`idempotency_conflict`).',
      ),
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
      409: problem(
        'Would leave the account without an active admin (`last_admin`), would lock the caller out (`self_lockout`), or the contact has not accepted the invitation (`conflict`).',
      ),
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
    responses: {
      204: ok('Withdrawn.'),
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: problem('The contact has no pending invitation (`invitation_not_pending`).'),
    },
  },
  {
    method: 'get',
    path: '/v1/service/accounts',
    operationId: 'serviceListAccounts',
    summary: 'Accounts, oldest change first (filter by parent, status, updatedSince)',
    description:
      '`parent=none` lists top-level accounts. Ordered by `updatedAt` then id, so `updatedSince` plus the cursor resume a sync. See docs/provisioning.md.',
    tag: 'Provisioning',
    auth: 'service',
    query: AccountListQuerySchema,
    responses: { 200: ok('One page of accounts.', 'ServiceAccountPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/accounts/{accountId}',
    operationId: 'serviceGetAccount',
    summary: 'One account, by the vendor’s own company id',
    tag: 'Provisioning',
    auth: 'service',
    responses: { 200: ok('The account.', 'ServiceAccount', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'put',
    path: '/v1/service/accounts/{accountId}',
    operationId: 'serviceUpsertAccount',
    summary: 'Create or update an account (upsert by the token’s `account` claim)',
    description:
      'Fields you send are set; fields you leave out keep their value (defaults on create; `name` is required then). `parentId` may point at any account (any depth) but never make a cycle (422). `status: suspended` refuses every token of the account with 403 `account_suspended`; tickets are kept. Sending what is already stored changes nothing (no version bump, no outbox event).',
    tag: 'Provisioning',
    auth: 'service',
    body: 'AccountPut',
    ifMatch: true,
    responses: {
      200: ok('Updated (or unchanged).', 'ServiceAccount', ['ETag']),
      201: ok('Created.', 'ServiceAccount', ['ETag', 'Location']),
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'get',
    path: '/v1/service/accounts/{accountId}/contacts',
    operationId: 'serviceListContacts',
    summary: 'Contacts of an account, by email',
    tag: 'Provisioning',
    auth: 'service',
    query: ServiceContactListQuerySchema,
    responses: { 200: ok('One page of contacts.', 'ServiceContactPage'), 404: PROBLEMS[404], 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/accounts/{accountId}/contacts/{email}',
    operationId: 'serviceGetContact',
    summary: 'One contact of an account, by email',
    tag: 'Provisioning',
    auth: 'service',
    responses: { 200: ok('The contact.', 'ServiceContact', ['ETag']), 404: PROBLEMS[404], 422: PROBLEMS[422] },
  },
  {
    method: 'put',
    path: '/v1/service/accounts/{accountId}/contacts/{email}',
    operationId: 'serviceUpsertContact',
    summary: 'Create or update a contact: name, role (built-in or vendor-defined), locale, active',
    description:
      'A role change or `active: false` applies to the contact’s very next request (deactivated: 401). An email active in another account is refused with 409 `contact_active_elsewhere`: deactivate it there first. Each change writes activity and an outbox event; an upsert that changes nothing writes nothing.',
    tag: 'Provisioning',
    auth: 'service',
    body: 'ContactPut',
    ifMatch: true,
    responses: {
      200: ok('Updated (or unchanged).', 'ServiceContact', ['ETag']),
      201: ok('Created.', 'ServiceContact', ['ETag', 'Location']),
      404: PROBLEMS[404],
      409: problem('The email is active in another account (`contact_active_elsewhere`).'),
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'get',
    path: '/v1/service/outbox',
    operationId: 'readOutbox',
    summary: 'The vendor’s outbox: every domain event in order (service API key)',
    tag: 'Service',
    auth: 'service',
    query: OutboxQuerySchema,
    responses: { 200: ok('Events after `after`, oldest first.', 'OutboxPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/tickets',
    operationId: 'serviceListTickets',
    summary: 'Every account’s tickets, filtered and cursor-paged, for the vendor’s helpdesk',
    description:
      'Full text (`q`) searches refs, subjects, descriptions and public comments, never internal notes. `assignee=none` lists unassigned tickets. See docs/agent-api.md.',
    tag: 'Service',
    auth: 'service',
    query: ServiceTicketQuerySchema,
    responses: { 200: ok('One page of tickets.', 'TicketPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/tickets/{id}',
    operationId: 'serviceGetTicket',
    summary: 'One ticket, by id or reference (`T-1002`)',
    tag: 'Service',
    auth: 'service',
    responses: { 200: ok('The ticket.', 'Ticket', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/service/tickets/{id}',
    operationId: 'serviceUpdateTicket',
    summary: 'An agent assigns, or changes the status, priority or category (one write)',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceTicketPatch',
    ifMatch: true,
    responses: {
      200: ok('The changed ticket.', 'Ticket', ['ETag']),
      404: PROBLEMS[404],
      409: problem('The ticket was merged into another; its status stays closed (`conflict`).'),
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'get',
    path: '/v1/service/tickets/{id}/attachments',
    operationId: 'serviceListAttachments',
    summary: 'The files of a ticket',
    tag: 'Service',
    auth: 'service',
    responses: { 200: ok('The files, oldest first.', 'AttachmentList'), 404: PROBLEMS[404] },
  },
  {
    method: 'post',
    path: '/v1/service/tickets/{id}/attachments',
    operationId: 'serviceUploadAttachment',
    summary: 'Upload a file for an agent reply on this ticket (linked by the reply’s `attachmentIds`)',
    tag: 'Service',
    auth: 'service',
    rawBody: ATTACHMENT_TYPES,
    extraParams: [{ name: 'name', in: 'query', required: true, description: 'The file name.', schema: { type: 'string', maxLength: 255 } }],
    idempotent: true,
    responses: {
      201: ok('The uploaded file, not yet on the ticket (`ticketId` null).', 'Attachment'),
      404: PROBLEMS[404],
      409: PROBLEMS[409],
      413: PROBLEMS[413],
      415: problem('A file type that cannot be attached (`unsupported_media_type`).'),
      422: PROBLEMS[422],
    },
  },
  {
    method: 'get',
    path: '/v1/service/tickets/{id}/comments',
    operationId: 'serviceListComments',
    summary: 'The thread as agents see it: public comments and internal notes (`internal: true`), oldest first',
    tag: 'Service',
    auth: 'service',
    query: PageQuerySchema,
    responses: { 200: ok('One page of the thread.', 'CommentPage'), 404: PROBLEMS[404], 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/service/tickets/{id}/comments',
    operationId: 'serviceAddComment',
    summary: 'An agent replies, optionally with files and a new status; the customer sees it (live)',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceComment',
    idempotent: true,
    responses: {
      201: ok('The agent’s comment (`internal: false`).', 'Comment'),
      404: PROBLEMS[404],
      409: problem('The ticket was merged into another (`conflict`), or a request with this Idempotency-Key is still running.'),
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'post',
    path: '/v1/service/tickets/{id}/merge',
    operationId: 'serviceMergeTicket',
    summary: 'Merge this duplicate into another ticket of the same account',
    description:
      'Closes this ticket with `mergedInto` (customers see where it went); its requester and followers follow the target; `ticket.merged` activity on both. `If-Match` applies to this (the source) ticket.',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceMerge',
    ifMatch: true,
    responses: {
      200: ok('Both tickets after the merge.', 'MergeResult', ['ETag']),
      404: PROBLEMS[404],
      409: problem('This ticket was already merged (`conflict`).'),
      412: PROBLEMS[412],
      ...WRITE_PROBLEMS,
    },
  },
  {
    method: 'post',
    path: '/v1/service/tickets/{id}/notes',
    operationId: 'serviceAddNote',
    summary: 'An internal note: only agents see it (never a customer’s thread, timeline, notifications, search or live events)',
    tag: 'Service',
    auth: 'service',
    body: 'ServiceNote',
    idempotent: true,
    responses: { 201: ok('The note (`internal: true`).', 'Comment'), 404: PROBLEMS[404], 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/service/roles',
    operationId: 'serviceListRoles',
    summary: 'The role table: the five built-in roles, then the vendor’s',
    tag: 'Provisioning',
    auth: 'service',
    responses: { 200: ok('Every role.', 'RoleList') },
  },
  {
    method: 'get',
    path: '/v1/service/roles/{name}',
    operationId: 'serviceGetRole',
    summary: 'One role and its rule',
    tag: 'Provisioning',
    auth: 'service',
    responses: { 200: ok('The role.', 'RoleDefinition', ['ETag']), 404: PROBLEMS[404] },
  },
  {
    method: 'put',
    path: '/v1/service/roles/{name}',
    operationId: 'serviceDefineRole',
    summary: 'Define or redefine a vendor role (the built-in ones cannot be: 409)',
    description: 'A redefined rule applies to every contact holding the role on their next request.',
    tag: 'Provisioning',
    auth: 'service',
    body: 'RolePut',
    responses: {
      200: ok('Redefined (or unchanged).', 'RoleDefinition', ['ETag']),
      201: ok('Defined.', 'RoleDefinition', ['ETag', 'Location']),
      409: problem('A built-in role (`built_in_role`).'),
      ...WRITE_PROBLEMS,
    },
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
  {
    method: 'post',
    path: '/v1/service/webhooks',
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint; the answer shows its signing secret, this once',
    description:
      'The endpoint receives the outbox events written from now on (all, or those in `eventTypes`), signed per the Standard Webhooks specification. ' +
      'URLs must be http(s), without credentials, and resolve to public addresses only (unless the server runs with `--webhook-allow-private`). See docs/webhooks.md.',
    tag: 'Webhooks',
    auth: 'service',
    body: 'WebhookEndpointCreate',
    idempotent: true,
    responses: { 201: ok('The endpoint with its `whsec_…` secret.', 'WebhookEndpointWithSecret', ['Location']), 409: PROBLEMS[409], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/service/webhooks',
    operationId: 'listWebhookEndpoints',
    summary: 'Registered webhook endpoints, oldest first',
    tag: 'Webhooks',
    auth: 'service',
    query: PageQuerySchema,
    responses: { 200: ok('One page of endpoints (never with secrets).', 'WebhookEndpointPage'), 422: PROBLEMS[422] },
  },
  {
    method: 'get',
    path: '/v1/service/webhooks/{id}',
    operationId: 'getWebhookEndpoint',
    summary: 'One webhook endpoint',
    tag: 'Webhooks',
    auth: 'service',
    responses: { 200: ok('The endpoint (never with its secret).', 'WebhookEndpoint'), 404: PROBLEMS[404] },
  },
  {
    method: 'patch',
    path: '/v1/service/webhooks/{id}',
    operationId: 'updateWebhookEndpoint',
    summary: 'Change an endpoint’s URL, description, event filter, or enable/disable it',
    description: 'Re-enabling clears the failure clock; the endpoint then receives the events written from that moment (missed ones are in the outbox).',
    tag: 'Webhooks',
    auth: 'service',
    body: 'WebhookEndpointUpdate',
    responses: { 200: ok('The changed endpoint.', 'WebhookEndpoint'), 404: PROBLEMS[404], ...WRITE_PROBLEMS },
  },
  {
    method: 'delete',
    path: '/v1/service/webhooks/{id}',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete an endpoint and its delivery log',
    tag: 'Webhooks',
    auth: 'service',
    responses: { 204: ok('Deleted.'), 404: PROBLEMS[404] },
  },
  {
    method: 'post',
    path: '/v1/service/webhooks/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Replace the signing secret; the previous one keeps signing for a grace period (default one day)',
    description:
      'During the grace period each delivery carries two signatures (new and previous secret), so receivers switch over without losing a delivery. The body is optional.',
    tag: 'Webhooks',
    auth: 'service',
    body: 'WebhookSecretRotation',
    bodyOptional: true,
    responses: { 200: ok('The endpoint with its new secret, shown this once.', 'WebhookEndpointWithSecret'), 404: PROBLEMS[404], ...WRITE_PROBLEMS },
  },
  {
    method: 'get',
    path: '/v1/service/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log of an endpoint, newest first',
    tag: 'Webhooks',
    auth: 'service',
    query: WebhookDeliveryQuerySchema,
    responses: {
      200: ok('One page of deliveries: status, attempts, last response and timing.', 'WebhookDeliveryPage'),
      404: PROBLEMS[404],
      422: PROBLEMS[422],
    },
  },
  {
    method: 'post',
    path: '/v1/service/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    operationId: 'redeliverWebhook',
    summary: 'Send a delivery’s event again (a new delivery with the same `webhook-id`)',
    tag: 'Webhooks',
    auth: 'service',
    responses: { 202: ok('The new pending delivery.', 'WebhookDelivery'), 404: PROBLEMS[404] },
  },
  {
    method: 'post',
    path: '/v1/service/sync',
    operationId: 'serviceSync',
    summary: 'Bulk upsert of up to 1,000 accounts and contacts in one transaction',
    description:
      'Every item is validated first; one bad item refuses the whole batch (422 with `fieldErrors` per item, e.g. `contacts.3.role`; 409 when every refusal is an email active elsewhere) and nothing is applied. Idempotent: the same batch again answers every item `unchanged` and writes nothing.',
    tag: 'Provisioning',
    auth: 'service',
    body: 'SyncRequest',
    responses: {
      200: ok('One result per item: accounts first, in request order.', 'SyncResult'),
      409: problem('Emails active in other accounts (`contact_active_elsewhere`).'),
      ...WRITE_PROBLEMS,
    },
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
    // Every API route can answer 401 (token), 429 (rate limit) and 503 (database); the probes only what they list.
    const common: Record<number, ResponseSpec> = op.auth === 'none' ? {} : { 401: PROBLEMS[401], 429: PROBLEMS[429], 503: PROBLEMS[503] };
    const specs: Record<number, ResponseSpec> = { ...common, ...op.responses };
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
      security: op.auth === 'none' ? [] : [{ [op.auth === 'contact' ? 'porticoToken' : 'serviceApiKey']: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: !op.bodyOptional, content: contentOf(op.body) } } : {}),
      ...(op.rawBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(op.rawBody.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
            },
          }
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
      { name: 'Knowledge base authoring', description: 'The vendor writes, publishes and retires articles, per locale and audience (service API key).' },
      { name: 'Activity', description: 'Timeline, notifications, live events and KPIs.' },
      { name: 'Saved views', description: 'Named list filters, personal or shared with the account.' },
      { name: 'Contacts', description: 'The account’s contacts: directory for everyone, management for admins.' },
      { name: 'Service', description: 'The vendor’s side of the API, with a service API key.' },
      {
        name: 'Webhooks',
        description: 'Outbox events delivered to the vendor’s endpoints, signed per Standard Webhooks (service API key). See docs/webhooks.md.',
      },
      { name: 'Provisioning', description: 'The vendor provisions accounts, contacts and roles (service API key; docs/provisioning.md).' },
      { name: 'Operations', description: 'Liveness and readiness probes for load balancers and orchestrators (no token; docs/deploy.md).' },
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
