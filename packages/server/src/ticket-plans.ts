/**
 * The rules of ticket writes, as pure functions every store shares (as contact-plans.ts does
 * for contacts): what a new ticket holds, which attachments it may take, what an update or an
 * escalation changes, and the activity entry each write records. A store reads the facts inside
 * its transaction and writes what these answer, so the memory store (the oracle), SQLite and
 * PostgreSQL agree by construction rather than by three copies kept alike.
 */
import type { Activity, ActorRef, Comment, Escalation, SavedView, Ticket } from '@portico/core';
import {
  PRIORITY_RANK,
  newId,
  raisedPriority,
  slaRank,
  type AttachmentRecord,
  type EscalationDraft,
  type SatisfactionDraft,
  type SlaMarkDraft,
  type TicketDraft,
  type TicketUpdate,
} from './store.ts';

/** The fields of the ticket `draft` opens, before the store adds its number (ref), requester and followers. */
export function openedTicket(id: string, draft: TicketDraft): Omit<Ticket, 'ref' | 'requester' | 'followerIds'> {
  return {
    id,
    accountId: draft.accountId,
    subject: draft.subject,
    description: draft.description,
    status: 'new',
    priority: draft.priority,
    category: draft.category,
    visibility: draft.visibility,
    assignee: null,
    escalated: false,
    commentCount: 0,
    createdAt: draft.now,
    updatedAt: draft.now,
    version: 1,
    ...(draft.businessImpact ? { businessImpact: draft.businessImpact } : {}),
  };
}

/** What decides whether an attachment may be linked to a ticket. */
export type AttachmentLink = Pick<AttachmentRecord, 'ticketId' | 'uploaderId' | 'accountId'>;

/**
 * Throws unless every attachment exists (`undefined`: it does not), is linked to no ticket yet,
 * and was uploaded by `uploaderId` into `accountId`; `by` ends the error message (who uploads).
 */
export function checkAttachments(attachments: readonly (AttachmentLink | undefined)[], uploaderId: string, accountId: string, by: string): void {
  for (const a of attachments) {
    if (!a || a.ticketId !== null || a.uploaderId !== uploaderId || a.accountId !== accountId) {
      throw new Error(`An attachment is missing, already linked, or not uploaded ${by}`);
    }
  }
}

/** What an update changes (see `planTicketUpdate`). */
export interface TicketUpdatePlan {
  /** The ticket after the update. */
  next: Ticket;
  /** The `tickets` columns the update sets and their values (the version and time come from the flags below). */
  columns: [column: string, value: string | number | boolean | null][];
  /** Whether the version moves (and so the ETag): a logged change or a new assignee. */
  bumpsVersion: boolean;
  /** Whether `updatedAt` moves to the update's time. */
  touches: boolean;
  /** Whether the ticket's open escalations end: it was solved or closed while escalated. */
  resolvesEscalations: boolean;
  /** One entry each changed status, visibility, priority and category. */
  entries: Activity[];
}

/** What `update` changes on `ticket`, or undefined when it changes nothing. */
export function planTicketUpdate(ticket: Ticket, update: TicketUpdate): TicketUpdatePlan | undefined {
  const { changes } = update;
  const next: Ticket = { ...ticket };
  const columns: TicketUpdatePlan['columns'] = [];
  const entries: Activity[] = [];
  const log = (type: Activity['type'], from: string, to: string) => entries.push(ticketEntry(ticket, type, update.actor, { from, to }, update.now));
  let resolvesEscalations = false;
  if (changes.status !== undefined && changes.status !== ticket.status) {
    next.status = changes.status;
    columns.push(['status', changes.status]);
    log('ticket.status_changed', ticket.status, changes.status);
    if ((changes.status === 'solved' || changes.status === 'closed') && ticket.escalated) {
      next.escalated = false;
      columns.push(['escalated', false]);
      resolvesEscalations = true;
    }
  }
  if (changes.visibility !== undefined && changes.visibility !== ticket.visibility) {
    next.visibility = changes.visibility;
    columns.push(['visibility', changes.visibility]);
    log('ticket.visibility_changed', ticket.visibility, changes.visibility);
  }
  if (changes.priority !== undefined && changes.priority !== ticket.priority) {
    next.priority = changes.priority;
    columns.push(['priority', changes.priority], ['priority_rank', PRIORITY_RANK[changes.priority]]);
    log('ticket.priority_changed', ticket.priority, changes.priority);
  }
  if (changes.category !== undefined && changes.category !== ticket.category) {
    next.category = changes.category;
    columns.push(['category', changes.category]);
    log('ticket.category_changed', ticket.category, changes.category);
  }
  const assigned = changes.assignee !== undefined && changes.assignee !== ticket.assignee;
  if (assigned) {
    next.assignee = changes.assignee ?? null;
    columns.push(['assignee', changes.assignee ?? null]);
  }
  if (changes.slaDueAt !== undefined && (changes.slaDueAt ?? null) !== (ticket.slaDueAt ?? null)) {
    next.slaDueAt = changes.slaDueAt;
    columns.push(['sla_due_at', changes.slaDueAt ?? null], ['sla_rank', slaRank(changes.slaDueAt)]);
  }
  if (columns.length === 0) return undefined;
  // The SLA deadline is derived data (kept current by the SLA sweeper): it does not change the ETag.
  const bumpsVersion = entries.length > 0 || assigned;
  const touches = bumpsVersion && update.touch !== false;
  if (bumpsVersion) next.version = ticket.version + 1;
  if (touches) next.updatedAt = update.now;
  return { next, columns, bumpsVersion, touches, resolvesEscalations, entries };
}

/** The escalation `draft` opens on `ticket`: its priority goes up one step. */
export function newEscalation(ticket: Pick<Ticket, 'id' | 'priority'>, draft: EscalationDraft): Escalation {
  return {
    id: newId('esc'),
    ticketId: ticket.id,
    reason: draft.reason,
    actor: draft.actor,
    priorityFrom: ticket.priority,
    priorityTo: raisedPriority(ticket.priority),
    createdAt: draft.now,
    resolvedAt: null,
  };
}

// --- activity entries ---------------------------------------------------------------------

/** The ticket an entry is about. */
export type EntryTicket = Pick<Ticket, 'id' | 'accountId'>;

/** An activity entry about one ticket; `contactId` names the contact a follow change is about. */
export function ticketEntry(
  ticket: EntryTicket,
  type: Activity['type'],
  actor: ActorRef,
  data: Record<string, unknown>,
  at: string,
  contactId: string | null = null,
): Activity {
  return { id: newId('act'), accountId: ticket.accountId, type, actor, ticketId: ticket.id, contactId, data, createdAt: at };
}

/** `ticket.created`. */
export const createdEntry = (ticket: EntryTicket & Pick<Ticket, 'ref' | 'subject'>, actor: ActorRef, at: string): Activity =>
  ticketEntry(ticket, 'ticket.created', actor, { ref: ticket.ref, subject: ticket.subject }, at);

/** `ticket.commented`, for a public comment on a ticket of `accountId`. */
export const commentedEntry = (accountId: string, comment: Comment): Activity =>
  ticketEntry({ id: comment.ticketId, accountId }, 'ticket.commented', comment.author, { commentId: comment.id }, comment.createdAt);

/** `ticket.status_changed`. */
export const statusChangedEntry = (ticket: EntryTicket, from: string, to: string, actor: ActorRef, at: string): Activity =>
  ticketEntry(ticket, 'ticket.status_changed', actor, { from, to }, at);

/** `ticket.escalated`, by the escalation's actor at its time. */
export const escalatedEntry = (ticket: EntryTicket, e: Escalation): Activity =>
  ticketEntry(
    ticket,
    'ticket.escalated',
    e.actor,
    { escalationId: e.id, reason: e.reason, priorityFrom: e.priorityFrom, priorityTo: e.priorityTo },
    e.createdAt,
  );

/** `ticket.satisfaction_rated`: the rating, and whether a comment came with it (never the comment itself). */
export const ratedEntry = (ticket: EntryTicket, draft: SatisfactionDraft): Activity =>
  ticketEntry(ticket, 'ticket.satisfaction_rated', draft.actor, { rating: draft.rating, hasComment: draft.comment !== null }, draft.now);

/** `ticket.followed` or `ticket.unfollowed`, by the contact who (un)follows. */
export const followEntry = (ticket: EntryTicket, contact: { id: string; name: string }, follow: boolean, at: string): Activity =>
  ticketEntry(ticket, follow ? 'ticket.followed' : 'ticket.unfollowed', { kind: 'contact', id: contact.id, name: contact.name }, {}, at, contact.id);

/** The actor of the SLA sweeper's entries. */
const SLA_ACTOR: ActorRef = { kind: 'system', id: 'sla', name: 'SLA' };

/** `sla.at_risk` or `sla.breached`: the clock, its due time, and the ticket's ref and subject for the notification. */
export const slaMarkEntry = (ticket: EntryTicket & Pick<Ticket, 'ref' | 'subject'>, draft: SlaMarkDraft): Activity =>
  ticketEntry(ticket, draft.type, SLA_ACTOR, { clock: draft.clock, dueAt: draft.dueAt, ref: ticket.ref, subject: ticket.subject }, draft.at);

/** `view.shared` or `view.deleted`: about a saved view, so about no ticket. */
export function viewEntry(type: 'view.shared' | 'view.deleted', view: Pick<SavedView, 'id' | 'accountId' | 'name'>, actor: ActorRef, at: string): Activity {
  return {
    id: newId('act'),
    accountId: view.accountId,
    type,
    actor,
    ticketId: null,
    contactId: null,
    data: { viewId: view.id, name: view.name },
    createdAt: at,
  };
}
