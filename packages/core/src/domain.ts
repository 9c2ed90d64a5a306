/**
 * The Portico domain: enumerations and entity schemas shared by the server,
 * the client, the OpenAPI document and the forms. `zod/mini` keeps what ships
 * to the browser small.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_VISIBILITIES } from './ticket-enums.ts';
import { searchParam } from './zod-helpers.ts';

// Kept in a zod-free module, so the new-ticket form loads them without every schema here.
export * from './ticket-enums.ts';

/** The built-in roles: the defaults of the role table (see `ROLE_RULES` in policy.ts). */
export const ROLES = ['admin', 'member', 'billing', 'requester', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/**
 * A contact's role: a built-in `Role` or the name of a role the vendor defined through
 * `PUT /v1/service/roles/{name}` (lower-case letters, digits, `-` and `_`).
 */
export type RoleName = Role | (string & {});
/** What a vendor-defined role's name may look like. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;
/** Whether a role name is one of the five built-in roles. */
export const isBuiltInRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

export const CONTACT_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses that still need work from someone: the "All unsolved" view. */
export const UNSOLVED_STATUSES = ['new', 'open', 'pending'] as const satisfies readonly TicketStatus[];

export const ACCOUNT_TIERS = ['standard', 'premier'] as const;
export type AccountTier = (typeof ACCOUNT_TIERS)[number];

/** A suspended account keeps its data, but none of its contacts' tokens is accepted. */
export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Sort keys of `GET /v1/contacts`; non-admins may sort by `name`, `email` and `role` only. */
export const CONTACT_SORTS = ['name', 'email', 'role', 'status', 'last_seen', 'open_tickets', 'created'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/**
 * Events the server puts in the service outbox (`GET /v1/service/outbox`) and delivers to
 * webhook endpoints: e.g. on `contact.invited` the vendor sends the invitation email, on
 * `ticket.commented` by an agent it emails the requester. Every activity entry a store
 * writes becomes one of these in the same transaction (see the server's outbox.ts); the
 * catalogue with each event's data is docs/webhooks.md.
 */
export const OUTBOX_EVENT_TYPES = [
  'contact.invited',
  'contact.invitation_revoked',
  'contact.role_changed',
  'contact.deactivated',
  'contact.reactivated',
  'ticket.created',
  'ticket.status_changed',
  'ticket.priority_changed',
  'ticket.visibility_changed',
  'ticket.requester_changed',
  'ticket.category_changed',
  /** A duplicate was merged into another ticket (one event for the pair: `data.source`, `data.target`). */
  'ticket.merged',
  'ticket.escalated',
  'ticket.satisfaction_rated',
  'ticket.followed',
  'ticket.unfollowed',
  /** A public reply by a contact or an agent (`data.comment.author.kind` says which). */
  'ticket.commented',
  /** An agent's internal note: never shown to a customer, so only the vendor hears of it. */
  'ticket.internal_note_added',
  'sla.at_risk',
  'sla.breached',
  'article.deflected',
  'webhook_endpoint.disabled',
  // Provisioning from the vendor's service API (and contacts created on first sight of a token).
  'contact.created',
  'contact.updated',
  'account.created',
  'account.updated',
  'account.suspended',
  'account.reactivated',
] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

export const TICKET_VIEWS = ['mine', 'account', 'following', 'unsolved'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

/** `sla_due`: the soonest SLA deadline first; tickets without one last (see `Ticket.slaDueAt`). */
export const TICKET_SORTS = ['updated', 'created', 'priority', 'sla_due'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export const ACTIVITY_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.commented',
  'ticket.visibility_changed',
  'ticket.escalated',
  'ticket.satisfaction_rated',
  'sla.at_risk',
  'sla.breached',
  'contact.invited',
  'contact.role_changed',
  'contact.deactivated',
  // What an admin does in the contact manager besides inviting, changing roles and deactivating.
  'contact.invitation_resent',
  'contact.invitation_revoked',
  'contact.reactivated',
  'ticket.requester_changed',
  'ticket.followed',
  'ticket.unfollowed',
  'ticket.priority_changed',
  'view.shared',
  'view.deleted',
  // A knowledge-base suggestion solved the question: counted as a deflection by the account summary.
  'article.deflected',
  // Provisioning: a contact created on first sight of a token or by the vendor's service API;
  // a name or locale change made by the vendor.
  'contact.created',
  'contact.updated',
  // Agent API: a duplicate was merged into another ticket (written on both tickets).
  'ticket.merged',
  // Agent API: an agent moved the ticket to another category.
  'ticket.category_changed',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

const id = z.string().check(z.minLength(1));
const timestamp = z.iso.datetime();

export const AccountSchema = z.object({
  id,
  name: z.string(),
  domains: z.array(z.string()),
  tier: z.enum(ACCOUNT_TIERS),
  parentId: z.nullable(z.string()),
  /** Visibility a new ticket gets unless the requester picks another. */
  defaultVisibility: z.enum(TICKET_VISIBILITIES),
  /** `suspended`: every token of the account's contacts is refused (403 `account_suspended`); tickets are kept. */
  status: z.enum(ACCOUNT_STATUSES),
  /**
   * Whose SLA targets the account's tickets get: null follows `tier`; a tier name uses that
   * tier's policy whatever the account's tier (e.g. premier targets during a trial).
   */
  slaPolicy: z.nullable(z.enum(ACCOUNT_TIERS)),
  /** When the vendor last changed the account (provisioning). */
  updatedAt: timestamp,
  /** Opaque version for `ETag` / `If-Match` on the service API (`"a<version>"`). */
  version: z.optional(z.number()),
});
export type Account = z.infer<typeof AccountSchema>;
/**
 * An account as seed data and fixtures give it: the provisioning fields may be left out
 * (`status` active, `slaPolicy` null, `updatedAt` the load time, `version` 1).
 */
export type AccountSeed = Omit<Account, 'status' | 'slaPolicy' | 'updatedAt'> & Partial<Pick<Account, 'status' | 'slaPolicy' | 'updatedAt'>>;
/** The schema of `AccountSeed`: what `Store.load` checks an account against before it fills the defaults. */
export const AccountSeedSchema = z.partial(AccountSchema, { status: true, slaPolicy: true, updatedAt: true });

export const ContactSchema = z.object({
  id,
  accountId: id,
  email: z.string(),
  name: z.string(),
  /** A built-in role or a vendor-defined one (`RoleName`). */
  role: z.string(),
  status: z.enum(CONTACT_STATUSES),
  /** BCP 47 language the vendor set for the contact (service API); absent or null when unknown. */
  locale: z.optional(z.nullable(z.string())),
  createdAt: timestamp,
  /** Null when never seen, and in the directory non-admins get (not disclosed to them). */
  lastSeenAt: z.nullable(timestamp),
  /**
   * Opaque version for `ETag` / `If-Match` (`"c<version>"`): bumps when the name, role or
   * status changes, not when the contact is merely seen. Absent in non-admins' directory.
   */
  version: z.optional(z.number()),
  /** Unsolved tickets (`new`, `open`, `pending`) this contact requested; in admins' contact lists. */
  openTicketCount: z.optional(z.number()),
});
export type Contact = z.infer<typeof ContactSchema>;

/** Who did something: a customer contact, a vendor agent, or the system (SLA timers). */
export const ActorRefSchema = z.object({
  kind: z.enum(['contact', 'agent', 'system']),
  id: z.string(),
  name: z.string(),
});
export type ActorRef = z.infer<typeof ActorRefSchema>;

export const PersonRefSchema = z.object({ id, name: z.string(), email: z.string() });
export type PersonRef = z.infer<typeof PersonRefSchema>;

export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** One SLA target of a ticket: when it is due and where it stands. */
export const SlaClockSchema = z.object({
  dueAt: z.nullable(timestamp),
  state: z.enum(SLA_STATES),
  /** True while the clock is paused (the ticket waits on the customer). */
  paused: z.boolean(),
});
export type SlaClock = z.infer<typeof SlaClockSchema>;

/** Customer-visible SLA of a ticket (first response and resolution). */
export const TicketSlaSchema = z.object({
  firstResponse: SlaClockSchema,
  resolution: SlaClockSchema,
});
export type TicketSla = z.infer<typeof TicketSlaSchema>;

export const SATISFACTION_RATINGS = ['good', 'bad'] as const;
export type SatisfactionRating = (typeof SATISFACTION_RATINGS)[number];

/** A requester's satisfaction rating of a solved ticket (CSAT); one per ticket. */
export const SatisfactionSchema = z.object({
  rating: z.enum(SATISFACTION_RATINGS),
  comment: z.nullable(z.string()),
  ratedAt: timestamp,
});
export type Satisfaction = z.infer<typeof SatisfactionSchema>;

export const TicketSchema = z.object({
  id,
  /** Human reference shown to users, e.g. `T-1042`. */
  ref: z.string(),
  accountId: id,
  subject: z.string(),
  description: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  category: z.enum(TICKET_CATEGORIES),
  visibility: z.enum(TICKET_VISIBILITIES),
  requester: PersonRefSchema,
  followerIds: z.array(z.string()),
  /** Display name of the vendor's agent working on it, if any. */
  assignee: z.nullable(z.string()),
  escalated: z.boolean(),
  commentCount: z.number(),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** Opaque version for `ETag` / `If-Match`. */
  version: z.number(),
  /** SLA clocks, when the account's policy sets targets for this ticket. */
  sla: z.optional(z.nullable(TicketSlaSchema)),
  /**
   * The next SLA deadline (the earliest `dueAt` of a running clock), stored on the ticket
   * so lists can sort by it (`sort=sla_due`). Absent when no SLA clock runs.
   */
  slaDueAt: z.optional(z.nullable(timestamp)),
  /** The requester's rating, once given (`POST /v1/tickets/{id}/satisfaction`). Absent before. */
  satisfaction: z.optional(z.nullable(SatisfactionSchema)),
  /**
   * Per caller, in `GET /v1/tickets` lists only: the caller requested or follows this ticket
   * and it changed since they last saw it (`PUT /v1/tickets/{id}/seen/me`). Absent elsewhere.
   */
  unread: z.optional(z.boolean()),
  /** One line on what an urgent issue stops the customer from doing (asked for urgent tickets). */
  businessImpact: z.optional(z.nullable(z.string())),
  /**
   * Set when an agent merged this ticket into another one as a duplicate: the ticket is
   * closed and the conversation continues on `mergedInto`. Absent otherwise.
   */
  mergedInto: z.optional(z.nullable(z.object({ id, ref: z.string() }))),
});
export type Ticket = z.infer<typeof TicketSchema>;

/** An escalation of a ticket by a contact. At most one is open per ticket (`resolvedAt` null). */
export const EscalationSchema = z.object({
  id,
  ticketId: id,
  reason: z.string(),
  actor: ActorRefSchema,
  /** Priority before and after the one-step raise (equal when it was already urgent). */
  priorityFrom: z.enum(TICKET_PRIORITIES),
  priorityTo: z.enum(TICKET_PRIORITIES),
  createdAt: timestamp,
  /** When the escalation ended (the ticket was solved or closed); null while open. */
  resolvedAt: z.nullable(timestamp),
});
export type Escalation = z.infer<typeof EscalationSchema>;

export const CommentSchema = z.object({
  id,
  ticketId: id,
  author: ActorRefSchema,
  body: z.string(),
  createdAt: timestamp,
  /**
   * Service API only: true on an agent's internal note, false on a public comment. Internal
   * notes never reach a customer, so customer routes never carry this field.
   */
  internal: z.optional(z.boolean()),
});
export type Comment = z.infer<typeof CommentSchema>;

export const ActivitySchema = z.object({
  id,
  accountId: id,
  type: z.enum(ACTIVITY_TYPES),
  actor: ActorRefSchema,
  ticketId: z.nullable(z.string()),
  contactId: z.nullable(z.string()),
  /** Type-specific facts, e.g. `{ from: 'open', to: 'solved' }`. */
  data: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
});
export type Activity = z.infer<typeof ActivitySchema>;

/** One event of the service outbox, in the order the server wrote them (`sequence` ascending). */
export const OutboxEventSchema = z.object({
  id,
  /** Position in the outbox: read on with `?after=<sequence>`. */
  sequence: z.number(),
  type: z.enum(OUTBOX_EVENT_TYPES),
  /** The account it happened in; null for events about the vendor's own setup (`webhook_endpoint.*`). */
  accountId: z.nullable(z.string()),
  /** The ticket it is about, if any: webhook deliveries keep each ticket's events in order. */
  ticketId: z.nullable(z.string()),
  occurredAt: timestamp,
  /** `{ ticket, actor, ... }` or `{ contact, account, actor, ... }`: see docs/webhooks.md per type. */
  data: z.record(z.string(), z.unknown()),
});
export type OutboxEvent = z.infer<typeof OutboxEventSchema>;

/** A page of a cursor-paged list. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Most tickets the reference server counts per view when the list has search words (`q`):
 * a view with more reports this number and is named in `TicketPage.countsCapped`.
 */
export const SEARCH_COUNT_CAP = 1_000;

/** Ticket counts of each view under the same filters (`GET /v1/tickets?counts=true`). */
export type TicketViewCounts = Record<TicketView, number>;

/** A page of tickets; the first page carries per-view counts when asked for. */
export interface TicketPage extends Page<Ticket> {
  counts?: TicketViewCounts | undefined;
  /**
   * The views whose count stopped at the server's cap (`SEARCH_COUNT_CAP` on the reference
   * server): their `counts` entry is a lower bound, shown as "1,000+". Only counts with search words (`q`) are capped
   * (a store may stop counting there); present only when not empty.
   */
  countsCapped?: TicketView[] | undefined;
}

/** The filters a saved view stores: the list query without paging. */
export const SavedViewQuerySchema = z.object({
  view: z.enum(TICKET_VIEWS),
  status: z.optional(z.array(z.enum(TICKET_STATUSES))),
  priority: z.optional(z.array(z.enum(TICKET_PRIORITIES))),
  category: z.optional(z.array(z.enum(TICKET_CATEGORIES))),
  requester: z.optional(z.string().check(z.maxLength(100))),
  account: z.optional(z.string().check(z.maxLength(100))),
  q: z.optional(searchParam(200)),
  sort: z.optional(z.enum(TICKET_SORTS)),
});
export type SavedViewQuery = z.infer<typeof SavedViewQuerySchema>;

/** A named set of list filters, personal (`shared: false`) or shared with the whole account. */
export const SavedViewSchema = z.object({
  id,
  accountId: id,
  ownerId: id,
  ownerName: z.string(),
  name: z.string(),
  shared: z.boolean(),
  query: SavedViewQuerySchema,
  createdAt: timestamp,
});
export type SavedView = z.infer<typeof SavedViewSchema>;

/** A file attached to a ticket (uploaded first, then linked when the ticket is created). */
export const AttachmentSchema = z.object({
  id,
  /** File name as uploaded (without any path). */
  name: z.string(),
  contentType: z.string(),
  /** Size in bytes. */
  size: z.number(),
  /** The ticket it belongs to; null while only uploaded. */
  ticketId: z.nullable(z.string()),
  createdAt: timestamp,
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** Publication state of a knowledge-base article: only `published` ones reach customers. */
export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/**
 * Who may read an article: `'all'` accounts, or only accounts of some tiers
 * (`{ tiers: ['premier'] }`). Customers never see an article outside its audience.
 */
export const ArticleAudienceSchema = z.union(
  [z.literal('all'), z.object({ tiers: z.array(z.enum(ACCOUNT_TIERS)).check(z.minLength(1)) })],
  `audience must be "all" or { "tiers": [...] } naming one or more of ${ACCOUNT_TIERS.join(', ')}`,
);
export type ArticleAudience = z.infer<typeof ArticleAudienceSchema>;

/**
 * A knowledge-base article: the vendor's help content, suggested while a ticket is typed.
 * Written through `/v1/service/articles`; customers read published ones in their audience
 * (`GET /v1/articles`), in their language first (see docs/going-to-production.md).
 */
export const ArticleSchema = z.object({
  id,
  title: z.string(),
  /** One or two sentences shown with a suggestion. */
  summary: z.string(),
  /** The article text; paragraphs separated by blank lines (plain text). */
  body: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  /** BCP 47 language tag of the text, e.g. `en`, `de`, `pt-BR`. */
  locale: z.string(),
  audience: ArticleAudienceSchema,
  status: z.enum(ARTICLE_STATUSES),
  /** When it was last published; null while a draft. */
  publishedAt: z.nullable(timestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** Opaque version for `ETag` / `If-Match` (`"a<version>"`): bumps on every change. */
  version: z.number(),
});
export type Article = z.infer<typeof ArticleSchema>;

/** The rule of a role (see `RoleRules` in policy.ts): every field required, nothing implied. */
export const RoleRulesSchema = z.strictObject(
  {
    /** Sees every ticket of its own account. */
    seesAll: z.boolean('seesAll is true or false'),
    /** Sees the tickets it requested or follows. */
    seesOwn: z.boolean('seesOwn is true or false'),
    /** Sees `account`-visible tickets: true, false, or only these categories. */
    seesShared: z.union(
      [
        z.boolean(),
        z
          .array(z.enum(TICKET_CATEGORIES, `Unknown category: choose one of ${TICKET_CATEGORIES.join(', ')}`))
          .check(z.minLength(1, 'List at least one category, or use false')),
      ],
      'seesShared is true, false or a list of categories',
    ),
    create: z.boolean('create is true or false'),
    /** Comments; also follows, closes, reopens and escalates what it sees. */
    comment: z.boolean('comment is true or false'),
    /** Manages the account's contacts (like an admin), changes any ticket's visibility. */
    manageContacts: z.boolean('manageContacts is true or false'),
    /** Reads and comments on child accounts' tickets. */
    childAccounts: z.boolean('childAccounts is true or false'),
  },
  'The rules are an object: seesAll, seesOwn, seesShared, create, comment, manageContacts and childAccounts',
);

export const AccountRefSchema = z.object({ id, name: z.string(), parentId: z.nullable(z.string()) });
export type AccountRef = z.infer<typeof AccountRefSchema>;
