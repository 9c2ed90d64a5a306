/**
 * What a contact does to one ticket besides replying: close / reopen and change visibility
 * (`PATCH`, with `If-Match`), escalate, rate (CSAT), and mark it seen. Every change writes
 * an activity row (the stores do it in the same transaction).
 */
import {
  EscalationCreateSchema,
  SatisfactionCreateSchema,
  TicketPatchSchema,
  can,
  fieldErrorsOf,
  type Action,
  type ActorRef,
  type Ticket,
  type TicketAccessFacts,
  type TicketStatus,
} from '@portico/core';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import type { TicketChanges } from '../store.ts';
import { ticketEtag, type Caller, type PorticoApp, type RouteKit } from './kit.ts';

const facts = (ticket: Ticket): TicketAccessFacts => ({ ...ticket, requesterId: ticket.requester.id });

export const contactActor = (caller: Caller): ActorRef => ({ kind: 'contact', id: caller.contact.id, name: caller.contact.name });

/** A status in which each state-dependent action is possible: tells role refusals from state ones. */
const ALLOWING_STATUS: Partial<Record<Action, TicketStatus>> = {
  'ticket.close': 'open',
  'ticket.reopen': 'solved',
  'ticket.escalate': 'open',
  'ticket.rate': 'solved',
};

/**
 * Refuses an action: 403 when the caller's role (or relation to the ticket) never allows it,
 * 409 when it is only the ticket's current state that does not (`stateDetail`).
 */
export function requireAction(caller: Caller, action: Action, ticket: Ticket, roleDetail: string, stateDetail: string): void {
  if (can(caller.actor, action, facts(ticket))) return;
  const inAllowingState = { ...facts(ticket), status: ALLOWING_STATUS[action] ?? ticket.status };
  if (!can(caller.actor, action, inAllowingState)) throw new ProblemError(403, 'forbidden', roleDetail);
  throw new ProblemError(409, 'conflict', stateDetail);
}

/** The version an `If-Match` header names: undefined when absent or `*`, NaN when it names none. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"v(\d+)"\s*$/.exec(header);
  return match ? Number(match[1]) : Number.NaN;
}

/** 412 for a ticket changed since the `If-Match` version, with its current ETag. */
export const stale = (ticket: Ticket) =>
  new ProblemError(412, 'precondition_failed', 'The ticket changed since you loaded it. Reload it and try again.', {
    headers: { ETag: ticketEtag(ticket) },
  });

export function registerTicketActionRoutes(app: PorticoApp, kit: RouteKit): void {
  app.patch('/v1/tickets/:id', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    const body = await kit.readJson(c);
    const parsed = TicketPatchSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const patch = parsed.data;
    const expectedVersion = ifMatchVersion(c.req.header('If-Match'));
    if (expectedVersion !== undefined && expectedVersion !== ticket.version) throw stale(ticket);

    const changes: TicketChanges = {};
    if (patch.status !== undefined && patch.status !== ticket.status) {
      if (patch.status === 'solved') {
        requireAction(caller, 'ticket.close', ticket, 'Your role cannot close this ticket.', 'This ticket is already closed.');
      } else {
        requireAction(
          caller,
          'ticket.reopen',
          ticket,
          'Your role cannot reopen this ticket.',
          ticket.status === 'closed' ? 'A closed ticket cannot be reopened; please open a new ticket.' : 'Only a solved ticket can be reopened.',
        );
      }
      changes.status = patch.status;
    }
    if (patch.visibility !== undefined && patch.visibility !== ticket.visibility) {
      requireAction(
        caller,
        'ticket.change_visibility',
        ticket,
        'Only the requester or an account admin can change who sees this ticket.',
        'The visibility of this ticket cannot be changed now.',
      );
      changes.visibility = patch.visibility;
    }
    const now = kit.now().toISOString();
    const result = await kit.store.updateTicket({ ticketId: ticket.id, changes, expectedVersion: ticket.version, actor: contactActor(caller), now });
    if (result.state === 'missing') throw notFound('No such ticket, or you may not see it.');
    if (result.state === 'stale') throw stale(result.ticket);
    await kit.store.markTicketSeen(ticket.id, caller.contact.id, now);
    const updated = result.ticket;
    return c.json(updated, 200, { ETag: ticketEtag(updated) });
  });

  app.post('/v1/tickets/:id/escalations', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    if (!can(caller.actor, 'ticket.escalate', { ...facts(ticket), status: 'open' })) {
      throw new ProblemError(403, 'forbidden', 'Your role cannot escalate this ticket.');
    }
    const body = await kit.readJson(c);
    const parsed = EscalationCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    return kit.idempotent(c, caller.contact.id, body, async (idempotency) => {
      // State checks run inside the idempotent write, so a replay still gets the first answer.
      const current = await kit.visibleTicket(caller, ticket.id);
      requireAction(caller, 'ticket.escalate', current, 'Your role cannot escalate this ticket.', 'Only an unsolved ticket can be escalated; reopen it first.');
      const now = kit.now().toISOString();
      const outcome = await kit.store.escalateTicket({ ticketId: ticket.id, reason: parsed.data.reason, actor: contactActor(caller), now }, { idempotency });
      if (outcome.state === 'missing') throw notFound('No such ticket, or you may not see it.');
      if (outcome.state === 'already_open') throw new ProblemError(409, 'conflict', 'This ticket is already escalated; the support team has been alerted.');
      await kit.store.markTicketSeen(ticket.id, caller.contact.id, now);
      return c.json({ escalation: outcome.escalation, ticket: outcome.ticket }, 201, { ETag: ticketEtag(outcome.ticket) });
    });
  });

  app.post('/v1/tickets/:id/satisfaction', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    if (!can(caller.actor, 'ticket.rate', { ...facts(ticket), status: 'solved' })) {
      throw new ProblemError(403, 'forbidden', 'Only the requester of a ticket can rate it.');
    }
    const body = await kit.readJson(c);
    const parsed = SatisfactionCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    return kit.idempotent(c, caller.contact.id, body, async (idempotency) => {
      const current = await kit.visibleTicket(caller, ticket.id);
      requireAction(caller, 'ticket.rate', current, 'Only the requester of a ticket can rate it.', 'You can rate a ticket once it is solved.');
      const outcome = await kit.store.rateTicket(
        { ticketId: ticket.id, rating: parsed.data.rating, comment: parsed.data.comment || null, actor: contactActor(caller), now: kit.now().toISOString() },
        { idempotency },
      );
      if (outcome.state === 'missing') throw notFound('No such ticket, or you may not see it.');
      if (outcome.state === 'already_rated') throw new ProblemError(409, 'conflict', 'This ticket has already been rated.');
      return c.json({ satisfaction: outcome.satisfaction, ticket: outcome.ticket }, 201, { ETag: ticketEtag(outcome.ticket) });
    });
  });

  app.put('/v1/tickets/:id/seen/me', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    const now = kit.now().toISOString();
    await kit.store.markTicketSeen(ticket.id, caller.contact.id, now > ticket.updatedAt ? now : ticket.updatedAt);
    return c.body(null, 204);
  });
}
