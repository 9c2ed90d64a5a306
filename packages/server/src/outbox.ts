/**
 * What goes into the service outbox, defined once for every store: each activity entry a store
 * writes becomes an outbox event in the same transaction (`outboxEventOf`), and the few events
 * without an activity entry (a deflection, a disabled webhook endpoint) are built here too.
 * Webhook endpoints receive exactly these events (see docs/webhooks.md for the catalogue).
 */
import type { Activity, ActivityType, Article, Comment, OutboxEvent, OutboxEventType, Ticket, WebhookEndpoint } from '@portico/core';
import { newId, type Deflection } from './store.ts';

/** An outbox event before the store gives it a sequence number. */
export type OutboxDraft = Omit<OutboxEvent, 'sequence'>;

/**
 * The outbox event of each activity type; null when the activity row makes none: contact
 * changes get richer events from their plan (contact-plans.ts, with the contact's role and
 * status), and saved views are a customer's own list filters, nothing a vendor acts on.
 * A `Record`, so a new activity type does not compile until it is given its event here.
 */
export const ACTIVITY_OUTBOX: Readonly<Record<ActivityType, OutboxEventType | null>> = {
  'ticket.created': 'ticket.created',
  'ticket.status_changed': 'ticket.status_changed',
  // `addComment` writes the comment's event itself (`commentEvent`): internal notes may come
  // without an activity entry, since customers' timelines never show them.
  'ticket.commented': null,
  'ticket.visibility_changed': 'ticket.visibility_changed',
  'ticket.escalated': 'ticket.escalated',
  'ticket.satisfaction_rated': 'ticket.satisfaction_rated',
  'ticket.requester_changed': 'ticket.requester_changed',
  'ticket.followed': 'ticket.followed',
  'ticket.unfollowed': 'ticket.unfollowed',
  'ticket.priority_changed': 'ticket.priority_changed',
  'sla.at_risk': 'sla.at_risk',
  'sla.breached': 'sla.breached',
  'contact.invited': null,
  'contact.role_changed': null,
  'contact.deactivated': null,
  'contact.invitation_resent': null,
  'contact.invitation_revoked': null,
  'contact.reactivated': null,
  'view.shared': null,
  'view.deleted': null,
  // `recordDeflection` writes its event itself (with the article), whether or not an activity row goes with it.
  'article.deflected': null,
  'ticket.category_changed': 'ticket.category_changed',
  // Written on both tickets; the event goes out once, from the source's entry (outboxEventOf).
  'ticket.merged': 'ticket.merged',
  // Provisioning writes its own, richer contact events (provisioning-plans.ts).
  'contact.created': null,
  'contact.updated': null,
};

/**
 * The outbox event of an activity entry (undefined when its type makes none). Data: the
 * entry's own facts (`from`/`to`, `reason`, …), the `actor`, and the `ticket` as it is after
 * the write (`ticket`, read by the store inside the write's transaction).
 */
export function outboxEventOf(activity: Activity, ticket: Ticket | undefined): OutboxDraft | undefined {
  const type = ACTIVITY_OUTBOX[activity.type];
  if (!type) return undefined;
  // A merge writes one entry on each ticket; the vendor gets one event, from the source's.
  if (type === 'ticket.merged' && (activity.data as { source?: { id?: string } }).source?.id !== activity.ticketId) return undefined;
  return {
    id: newId('evt'),
    type,
    accountId: activity.accountId,
    ticketId: activity.ticketId,
    occurredAt: activity.createdAt,
    data: { ...structuredClone(activity.data), actor: { ...activity.actor }, ...(ticket ? { ticket: structuredClone(ticket) } : {}) },
  };
}

/**
 * The event of a new comment, written by `addComment` itself: `ticket.commented` for a public
 * reply, `ticket.internal_note_added` for an agent's internal note (never shown to customers,
 * so only the vendor hears of it). Built from the comment as stored, whatever activity entry
 * goes with it.
 */
export function commentEvent(comment: Comment & { internal?: boolean | undefined }, ticket: Ticket): OutboxDraft {
  const internal = comment.internal === true;
  return {
    id: newId('evt'),
    type: internal ? 'ticket.internal_note_added' : 'ticket.commented',
    accountId: ticket.accountId,
    ticketId: ticket.id,
    occurredAt: comment.createdAt,
    data: {
      commentId: comment.id,
      actor: { ...comment.author },
      ticket: structuredClone(ticket),
      comment: { id: comment.id, author: { ...comment.author }, body: comment.body, internal, createdAt: comment.createdAt },
    },
  };
}

/** The `article.deflected` event: a suggested article answered a contact's question. */
export function deflectionEvent(deflection: Deflection, article: Pick<Article, 'id' | 'title'> | undefined): OutboxDraft {
  return {
    id: newId('evt'),
    type: 'article.deflected',
    accountId: deflection.accountId,
    ticketId: null,
    occurredAt: deflection.createdAt,
    data: {
      deflectionId: deflection.id,
      article: { id: deflection.articleId, title: article?.title ?? null },
      contactId: deflection.contactId,
      query: deflection.query,
    },
  };
}

/** The `webhook_endpoint.disabled` event: an endpoint failed for too long and was switched off. */
export function endpointDisabledEvent(endpoint: Pick<WebhookEndpoint, 'id' | 'url' | 'description' | 'failingSince'>, now: string): OutboxDraft {
  return {
    id: newId('evt'),
    type: 'webhook_endpoint.disabled',
    accountId: null,
    ticketId: null,
    occurredAt: now,
    data: { endpoint: { id: endpoint.id, url: endpoint.url, description: endpoint.description }, reason: 'failing', failingSince: endpoint.failingSince },
  };
}
