/**
 * Rows of the SQL stores (SQLite, PostgreSQL) as domain objects: one mapping for both, since
 * their tables have the same columns. SQLite hands JSON as text and booleans as 0/1,
 * PostgreSQL parsed JSON and booleans; the helpers accept either. Also the SQL text both
 * stores read those rows with, where their dialects agree.
 */
import type {
  Account,
  AccountTier,
  Activity,
  ActorRef,
  Article,
  Attachment,
  Comment,
  Contact,
  OutboxEvent,
  OutboxEventType,
  SavedView,
  SavedViewQuery,
  Ticket,
  WebhookDelivery,
  WebhookDeliveryStatus,
} from '@portico/core';
import { UNSOLVED_STATUSES } from '@portico/core';
import {
  slaAccountReadWith,
  slaHistoryReadWith,
  type AttachmentRecord,
  type CustomRole,
  type Deflection,
  type TicketSlaHistory,
  type WebhookEndpointRecord,
} from './store.ts';

/** A result row, keyed by column. */
export type Row = Record<string, unknown>;

/** A JSON column: text (SQLite) or already parsed (PostgreSQL). */
export const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
/** A boolean column: 0/1 (SQLite) or boolean (PostgreSQL). */
const flag = (v: unknown): boolean => v === true || Number(v) === 1;

export const str = (v: unknown) => v as string;
export const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));
export function toAccount(r: Row): Account {
  return {
    id: str(r.id),
    name: str(r.name),
    domains: json(r.domains) as string[],
    tier: str(r.tier) as Account['tier'],
    parentId: strOrNull(r.parent_id),
    defaultVisibility: str(r.default_visibility) as Account['defaultVisibility'],
    status: str(r.status) as Account['status'],
    slaPolicy: strOrNull(r.sla_policy) as Account['slaPolicy'],
    updatedAt: str(r.updated_at),
    version: Number(r.version),
  };
}

export function toContact(r: Row): Contact {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    email: str(r.email),
    name: str(r.name),
    role: str(r.role) as Contact['role'],
    status: str(r.status) as Contact['status'],
    createdAt: str(r.created_at),
    lastSeenAt: strOrNull(r.last_seen_at),
    ...(r.locale !== null && r.locale !== undefined ? { locale: str(r.locale) } : {}),
    version: Number(r.version ?? 1),
    ...(r.open_ticket_count !== undefined ? { openTicketCount: Number(r.open_ticket_count) } : {}),
  };
}

export function toOutboxEvent(r: Row): OutboxEvent {
  return {
    id: str(r.id),
    sequence: Number(r.sequence),
    type: str(r.type) as OutboxEvent['type'],
    accountId: strOrNull(r.account_id),
    ticketId: strOrNull(r.ticket_id),
    occurredAt: str(r.occurred_at),
    data: json(r.data) as Record<string, unknown>,
  };
}

export function toEndpoint(r: Row): WebhookEndpointRecord {
  return {
    id: str(r.id),
    url: str(r.url),
    description: str(r.description),
    eventTypes: r.event_types === null ? null : (json(r.event_types) as OutboxEventType[]),
    enabled: flag(r.enabled),
    disabledReason: strOrNull(r.disabled_reason) as WebhookEndpointRecord['disabledReason'],
    failingSince: strOrNull(r.failing_since),
    previousSecretExpiresAt: strOrNull(r.previous_secret_expires_at),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    secret: str(r.secret),
    previousSecret: strOrNull(r.previous_secret),
  };
}

export const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toDelivery(r: Row): WebhookDelivery {
  return {
    id: str(r.id),
    endpointId: str(r.endpoint_id),
    eventId: str(r.event_id),
    eventType: str(r.event_type) as OutboxEventType,
    ticketId: strOrNull(r.ticket_id),
    status: str(r.status) as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: strOrNull(r.next_attempt_at),
    lastAttemptAt: strOrNull(r.last_attempt_at),
    lastResponseStatus: numOrNull(r.last_response_status),
    lastError: strOrNull(r.last_error),
    lastDurationMs: numOrNull(r.last_duration_ms),
    createdAt: str(r.created_at),
    deliveredAt: strOrNull(r.delivered_at),
  };
}

export function toTicket(r: Row): Ticket {
  const ticket: Ticket = {
    id: str(r.id),
    ref: str(r.ref),
    accountId: str(r.account_id),
    subject: str(r.subject),
    description: str(r.description),
    status: str(r.status) as Ticket['status'],
    priority: str(r.priority) as Ticket['priority'],
    category: str(r.category) as Ticket['category'],
    visibility: str(r.visibility) as Ticket['visibility'],
    requester: { id: str(r.requester_id), name: str(r.requester_name), email: str(r.requester_email) },
    followerIds: ((json(r.follower_ids) ?? []) as string[]).sort(),
    assignee: strOrNull(r.assignee),
    escalated: flag(r.escalated),
    commentCount: Number(r.comment_count),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    version: Number(r.version),
  };
  // Optional fields are absent rather than null (the memory store does the same). Set one by one
  // (not spread into the literal above, which builds the object the slow way: every list page
  // maps its rows here).
  if (r.business_impact) ticket.businessImpact = str(r.business_impact);
  if (r.sla_due_at !== null && r.sla_due_at !== undefined) ticket.slaDueAt = str(r.sla_due_at);
  if (r.merged_into_id !== null && r.merged_into_id !== undefined) ticket.mergedInto = { id: str(r.merged_into_id), ref: str(r.merged_into_ref) };
  if (r.satisfaction_rating !== null && r.satisfaction_rating !== undefined) {
    ticket.satisfaction = {
      rating: str(r.satisfaction_rating) as 'good' | 'bad',
      comment: strOrNull(r.satisfaction_comment),
      ratedAt: str(r.satisfaction_at),
    };
  }
  // The SLA facts, when the store keeps them on the row (see `slaHistoryReadWith`).
  if (r.sla_status_changes !== undefined) {
    slaHistoryReadWith.set(ticket, {
      statusChanges: json(r.sla_status_changes) as TicketSlaHistory['statusChanges'],
      firstResponseAt: strOrNull(r.first_response_at),
    });
  }
  // The account's SLA policy, when the store joins it (see `slaAccountReadWith`).
  if (r.account_tier !== undefined) {
    slaAccountReadWith.set(
      ticket,
      r.account_tier === null
        ? null
        : { id: ticket.accountId, tier: str(r.account_tier) as Account['tier'], slaPolicy: strOrNull(r.account_sla_policy) as Account['slaPolicy'] },
    );
  }
  return ticket;
}

export function toAttachmentRecord(r: Row): AttachmentRecord {
  return {
    id: str(r.id),
    name: str(r.name),
    contentType: str(r.content_type),
    size: Number(r.size),
    ticketId: strOrNull(r.ticket_id),
    createdAt: str(r.created_at),
    accountId: str(r.account_id),
    uploaderId: str(r.uploader_id),
  };
}

export function toAttachment(r: Row): Attachment {
  const { accountId: _a, uploaderId: _u, ...attachment } = toAttachmentRecord(r);
  return attachment;
}

export function toArticle(r: Row): Article {
  const tiers = r.audience_tiers === null || r.audience_tiers === undefined ? null : (json(r.audience_tiers) as AccountTier[]);
  return {
    id: str(r.id),
    title: str(r.title),
    summary: str(r.summary),
    body: str(r.body),
    category: str(r.category) as Article['category'],
    locale: str(r.locale),
    audience: tiers ? { tiers } : 'all',
    status: str(r.status) as Article['status'],
    publishedAt: strOrNull(r.published_at),
    createdAt: str(r.created_at ?? r.updated_at),
    updatedAt: str(r.updated_at),
    version: Number(r.version),
  };
}

export function toDeflection(r: Row): Deflection {
  return {
    id: str(r.id),
    articleId: str(r.article_id),
    accountId: str(r.account_id),
    contactId: str(r.contact_id),
    query: strOrNull(r.query),
    createdAt: str(r.created_at),
  };
}

export function toSavedView(r: Row): SavedView {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    ownerId: str(r.owner_id),
    ownerName: str(r.owner_name),
    name: str(r.name),
    shared: flag(r.shared),
    query: json(r.query) as SavedViewQuery,
    createdAt: str(r.created_at),
  };
}

/** The `audience_tiers` column of an article: its tiers as JSON, or NULL for every account. */
export const audienceTiers = (a: Article): string | null => (a.audience === 'all' ? null : JSON.stringify(a.audience.tiers));

export const actorOf = (r: Row, prefix: string): ActorRef => ({
  kind: str(r[`${prefix}_kind`]) as ActorRef['kind'],
  id: str(r[`${prefix}_id`]),
  name: str(r[`${prefix}_name`]),
});

export function toComment(r: Row): Comment {
  return { id: str(r.id), ticketId: str(r.ticket_id), author: actorOf(r, 'author'), body: str(r.body), createdAt: str(r.created_at) };
}

export function toActivity(r: Row): Activity {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    type: str(r.type) as Activity['type'],
    actor: actorOf(r, 'actor'),
    ticketId: strOrNull(r.ticket_id),
    contactId: strOrNull(r.contact_id),
    data: json(r.data) as Record<string, unknown>,
    createdAt: str(r.created_at),
  };
}

export function toRole(r: Row): CustomRole {
  return {
    name: str(r.name),
    description: str(r.description),
    rules: json(r.rules) as CustomRole['rules'],
    updatedAt: str(r.updated_at),
    version: Number(r.version),
  };
}

/** A ticket's requester transfer facts (see `planContactChange`): a row of `id, ref, subject, status`. */
export function toOpenTicket(r: Row): Pick<Ticket, 'id' | 'ref' | 'subject' | 'status'> {
  return { id: str(r.id), ref: str(r.ref), subject: str(r.subject), status: str(r.status) as Ticket['status'] };
}

// --- SQL both stores read with ------------------------------------------------------------

/** The unsolved statuses as an SQL list, `('new', 'open', ...)`. */
export const UNSOLVED_SQL = `(${UNSOLVED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** A contact row with its unsolved requested tickets counted (`toContact` reads `open_ticket_count`). */
export const CONTACT_WITH_COUNT = `SELECT c.*, (SELECT count(*) FROM tickets t WHERE t.requester_id = c.id AND t.status IN ${UNSOLVED_SQL}) AS open_ticket_count FROM contacts c`;

/** A saved view row with its owner's name (`toSavedView` reads `owner_name`). */
export const SAVED_VIEW_SELECT = 'SELECT v.*, c.name AS owner_name FROM saved_views v JOIN contacts c ON c.id = v.owner_id';

/** The keyset columns of a ticket page (over `tickets t`) for each sort, most significant first; all descending. */
export const SORT_COLUMNS = {
  updated: ['t.updated_at', 't.id'],
  created: ['t.created_at', 't.id'],
  priority: ['t.priority_rank', 't.updated_at', 't.id'],
  sla_due: ['t.sla_rank', 't.updated_at', 't.id'],
} as const;
