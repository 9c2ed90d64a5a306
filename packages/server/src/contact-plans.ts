/**
 * The rules of contact writes, as pure functions every store shares: a store reads the facts
 * inside its transaction, asks for a plan, and applies the plan's rows. So the guards
 * (last active admin, version, transfer target), the activity entries and the outbox events
 * are the same in every store by construction.
 */
import { UNSOLVED_STATUSES, type Account, type Activity, type ActorRef, type Contact, type Ticket, type TicketStatus } from '@portico/core';
import type { OutboxDraft } from './outbox.ts';
import { contactRef, newId, type ContactChange, type ContactChangeBase, type ContactWriteFailure, type InvitationDraft } from './store.ts';

export type { OutboxDraft } from './outbox.ts';

/** Rows a store writes for one contact change. */
export interface ContactPlan {
  /** The contact after the change (unchanged fields kept). */
  contact: Contact;
  /** Ids of the tickets whose requester becomes `transferTo`. */
  transferTicketIds: string[];
  /** The new requester of `transferTicketIds`. */
  transferTo: Contact | undefined;
  activity: Activity[];
  outbox: OutboxDraft[];
}

export type PlanResult<T> = { ok: true; plan: T } | { ok: false; reason: ContactWriteFailure; contact?: Contact | undefined };

/** What a store reads (inside its transaction) before planning a change. */
export interface ContactChangeFacts {
  contact: Contact | undefined;
  account: Account | undefined;
  /** The `transferTo` contact, when one was asked for. */
  target: Contact | undefined;
  /** Active admins of the contact's account, the contact included when it is one. */
  activeAdmins: number;
  /** Unsolved tickets the contact requested (read only when a transfer was asked for). */
  openTickets: readonly Pick<Ticket, 'id' | 'ref' | 'subject' | 'status'>[];
}

const unsolved: readonly TicketStatus[] = UNSOLVED_STATUSES;

/** Whether a ticket status counts as open for transfers and counts. */
export const isUnsolved = (status: TicketStatus) => unsolved.includes(status);

const accountRef = (a: Account | undefined, id: string) => ({ id, name: a?.name ?? id });

function activity(
  accountId: string,
  type: Activity['type'],
  actor: ActorRef,
  now: string,
  contactId: string | null,
  data: Record<string, unknown>,
  ticketId: string | null = null,
): Activity {
  return { id: newId('act'), accountId, type, actor: { ...actor }, ticketId, contactId, data, createdAt: now };
}

function outbox(type: OutboxDraft['type'], accountId: string, now: string, data: Record<string, unknown>): OutboxDraft {
  return { id: newId('evt'), type, accountId, ticketId: null, occurredAt: now, data };
}

/** The contact as the vendor sees it in outbox events. */
const vendorContact = (c: Contact) => ({ id: c.id, email: c.email, name: c.name, role: c.role, status: c.status });

/** Plans an invitation; `existing` is the account's contact with that email, if any. */
export function planInvitation(
  draft: InvitationDraft,
  account: Account | undefined,
  existing: Contact | undefined,
): PlanResult<{ contact: Contact; activity: Activity[]; outbox: OutboxDraft[] }> {
  if (existing) return { ok: false, reason: 'exists', contact: existing };
  if (!account) return { ok: false, reason: 'not_found' };
  const contact: Contact = {
    id: newId('con'),
    accountId: draft.accountId,
    email: draft.email,
    name: draft.name,
    role: draft.role,
    status: 'invited',
    createdAt: draft.now,
    lastSeenAt: null,
    version: 1,
  };
  return {
    ok: true,
    plan: {
      contact,
      activity: [activity(draft.accountId, 'contact.invited', draft.actor, draft.now, contact.id, { contact: contactRef(contact), role: contact.role })],
      outbox: [
        outbox('contact.invited', draft.accountId, draft.now, {
          contact: vendorContact(contact),
          account: accountRef(account, draft.accountId),
          invitedBy: { ...draft.actor },
          resent: false,
        }),
      ],
    },
  };
}

/** Plans a resend (`resend`) or a revocation (`revoke`) of a pending invitation. */
export function planInvitationChange(
  kind: 'resend' | 'revoke',
  change: ContactChangeBase,
  contact: Contact | undefined,
  account: Account | undefined,
): PlanResult<{ contact: Contact; activity: Activity[]; outbox: OutboxDraft[] }> {
  if (!contact) return { ok: false, reason: 'not_found' };
  if (change.expectedVersion !== undefined && change.expectedVersion !== (contact.version ?? 1)) return { ok: false, reason: 'version_mismatch', contact };
  if (contact.status !== 'invited') return { ok: false, reason: 'not_invited', contact };
  const { actor, now } = change;
  const account_ = accountRef(account, contact.accountId);
  if (kind === 'resend') {
    return {
      ok: true,
      plan: {
        contact,
        activity: [activity(contact.accountId, 'contact.invitation_resent', actor, now, contact.id, { contact: contactRef(contact) })],
        outbox: [
          outbox('contact.invited', contact.accountId, now, { contact: vendorContact(contact), account: account_, invitedBy: { ...actor }, resent: true }),
        ],
      },
    };
  }
  return {
    ok: true,
    plan: {
      contact,
      // The contact row goes away, so the entry keeps the email in its data and no contact id.
      activity: [activity(contact.accountId, 'contact.invitation_revoked', actor, now, null, { contact: contactRef(contact), role: contact.role })],
      outbox: [outbox('contact.invitation_revoked', contact.accountId, now, { contact: vendorContact(contact), account: account_, revokedBy: { ...actor } })],
    },
  };
}

/** Plans a role / status change and/or a ticket transfer; see `ContactChange`. */
export function planContactChange(change: ContactChange, facts: ContactChangeFacts): PlanResult<ContactPlan> {
  const { contact, account, target } = facts;
  if (!contact) return { ok: false, reason: 'not_found' };
  if (change.expectedVersion !== undefined && change.expectedVersion !== (contact.version ?? 1)) return { ok: false, reason: 'version_mismatch', contact };

  const role = change.role ?? contact.role;
  const status = change.status ?? contact.status;
  const roleChanged = role !== contact.role;
  const statusChanged = status !== contact.status;

  const wasActiveAdmin = contact.role === 'admin' && contact.status === 'active';
  const staysActiveAdmin = role === 'admin' && status === 'active';
  if (wasActiveAdmin && !staysActiveAdmin && facts.activeAdmins <= 1) return { ok: false, reason: 'last_admin', contact };

  if (change.transferTo !== undefined) {
    if (!target || target.id === contact.id || target.accountId !== contact.accountId || target.status !== 'active') {
      return { ok: false, reason: 'invalid_target', contact };
    }
  }

  const { actor, now } = change;
  const next: Contact = { ...contact, role, status, version: (contact.version ?? 1) + (roleChanged || statusChanged ? 1 : 0) };
  const ref = contactRef(contact);
  const account_ = accountRef(account, contact.accountId);
  const entries: Activity[] = [];
  const events: OutboxDraft[] = [];

  if (roleChanged) {
    entries.push(activity(contact.accountId, 'contact.role_changed', actor, now, contact.id, { contact: ref, from: contact.role, to: role }));
    events.push(
      outbox('contact.role_changed', contact.accountId, now, {
        contact: vendorContact(next),
        account: account_,
        from: contact.role,
        to: role,
        actor: { ...actor },
      }),
    );
  }

  const transfers = change.transferTo !== undefined ? facts.openTickets.filter((t) => isUnsolved(t.status)) : [];
  const targetRef = target ? contactRef(target) : undefined;
  for (const t of transfers) {
    entries.push(
      activity(contact.accountId, 'ticket.requester_changed', actor, now, contact.id, { ref: t.ref, subject: t.subject, from: ref, to: targetRef }, t.id),
    );
  }

  if (statusChanged && status === 'deactivated') {
    entries.push(
      activity(contact.accountId, 'contact.deactivated', actor, now, contact.id, {
        contact: ref,
        from: contact.status,
        to: 'deactivated',
        transferredTickets: transfers.length,
        ...(targetRef ? { transferredTo: targetRef } : {}),
      }),
    );
    events.push(outbox('contact.deactivated', contact.accountId, now, { contact: vendorContact(next), account: account_, actor: { ...actor } }));
  } else if (statusChanged && status === 'active') {
    entries.push(activity(contact.accountId, 'contact.reactivated', actor, now, contact.id, { contact: ref, from: contact.status, to: 'active' }));
    events.push(outbox('contact.reactivated', contact.accountId, now, { contact: vendorContact(next), account: account_, actor: { ...actor } }));
  }

  return { ok: true, plan: { contact: next, transferTicketIds: transfers.map((t) => t.id), transferTo: target, activity: entries, outbox: events } };
}
