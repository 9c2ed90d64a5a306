/**
 * The Portico domain: enumerations and entity schemas shared by the server,
 * the client, the OpenAPI document and the forms. `zod/mini` keeps what ships
 * to the browser small.
 */
import * as z from 'zod/mini';

export const ROLES = ['admin', 'member', 'billing', 'requester', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const CONTACT_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses that still need work from someone: the "All unsolved" view. */
export const UNSOLVED_STATUSES = ['new', 'open', 'pending'] as const satisfies readonly TicketStatus[];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CATEGORIES = ['technical', 'billing', 'account', 'feature_request'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_VISIBILITIES = ['private', 'account'] as const;
export type TicketVisibility = (typeof TICKET_VISIBILITIES)[number];

export const ACCOUNT_TIERS = ['standard', 'premier'] as const;
export type AccountTier = (typeof ACCOUNT_TIERS)[number];

export const TICKET_VIEWS = ['mine', 'account', 'following', 'unsolved'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

export const TICKET_SORTS = ['updated', 'created', 'priority'] as const;
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
  // Appended by issue 6: a knowledge-base suggestion solved the question (account summary).
  'article.deflected',
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
});
export type Account = z.infer<typeof AccountSchema>;

export const ContactSchema = z.object({
  id,
  accountId: id,
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(CONTACT_STATUSES),
  createdAt: timestamp,
  lastSeenAt: z.nullable(timestamp),
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
});
export type Ticket = z.infer<typeof TicketSchema>;

export const CommentSchema = z.object({
  id,
  ticketId: id,
  author: ActorRefSchema,
  body: z.string(),
  createdAt: timestamp,
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

/** A page of a cursor-paged list. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const AccountRefSchema = z.object({ id, name: z.string(), parentId: z.nullable(z.string()) });
export type AccountRef = z.infer<typeof AccountRefSchema>;
