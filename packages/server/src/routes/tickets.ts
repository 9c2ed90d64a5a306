/** Tickets: the account-wide list with views and filters, one ticket, and creating one. */
import {
  DEFAULT_PAGE_SIZE,
  SEARCH_COUNT_CAP,
  TICKET_VIEWS,
  TicketCreateSchema,
  TicketQuerySchema,
  UNSOLVED_STATUSES,
  can,
  canFileOnBehalf,
  fieldErrorsOf,
  reachableAccountIds,
  ticketScope,
  type Actor,
  type Ticket,
  type TicketPage,
  type TicketQuery,
  type TicketStatus,
  type TicketView,
  type TicketViewCounts,
} from '@portico/core';
import { resolveRoleRules } from '../auth.ts';
import { decodeCursor } from '../cursor.ts';
import { isCappedCount } from '../count-plan.ts';
import { ProblemError, validationFailed } from '../problem.ts';
import { KEYSET_TYPES, isUnread, seenAtReadWith, type Store, type TicketFilter } from '../store.ts';
import { queryFieldErrors, ticketEtag, type PorticoApp, type RouteKit } from './kit.ts';

/** The store filter of a list query in one view (filters AND the view's own condition). */
export function viewFilter(actor: Actor, q: TicketQuery, view: TicketView, accountIds: readonly string[]): TicketFilter {
  const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);
  const filter: TicketFilter = {
    accountIds,
    statuses: nonEmpty(q.status),
    priorities: nonEmpty(q.priority),
    categories: nonEmpty(q.category),
    requesterIds: q.requester ? [q.requester] : undefined,
    text: q.q?.trim() || undefined,
  };
  switch (view) {
    case 'mine':
      filter.requesterIds = !q.requester || q.requester === actor.contactId ? [actor.contactId] : [];
      break;
    case 'following':
      filter.followerId = actor.contactId;
      break;
    case 'unsolved': {
      const unsolved: readonly TicketStatus[] = UNSOLVED_STATUSES;
      filter.statuses = filter.statuses ? filter.statuses.filter((s) => unsolved.includes(s)) : [...unsolved];
      break;
    }
    case 'account':
      break;
  }
  return filter;
}

/**
 * Sets the caller's `unread` marker on tickets (see store.ts `isUnread`) and returns them. In
 * place, not on copies: a store hands out fresh objects on every read (`fillSla` fills `sla` on
 * them the same way), and copying a page of 50 tickets is a share of each list request's work.
 */
export async function withUnread<T extends Ticket>(store: Store, contactId: string, tickets: T[]): Promise<T[]> {
  // Markers the store read with the page (`TicketSearch.seenBy`) save a round trip.
  const readWith = (t: T) => {
    const marker = seenAtReadWith.get(t);
    return marker?.contactId === contactId ? marker : undefined;
  };
  const missing = tickets.filter((t) => !readWith(t)).map((t) => t.id);
  const seen = missing.length ? await store.ticketsSeenAt(contactId, missing) : undefined;
  for (const ticket of tickets) {
    const marker = readWith(ticket);
    ticket.unread = isUnread(ticket, contactId, marker ? (marker.seenAt ?? undefined) : seen?.get(ticket.id));
  }
  return tickets;
}

export function registerTicketRoutes(app: PorticoApp, kit: RouteKit): void {
  app.get('/v1/tickets', async (c) => {
    const { actor } = c.get('caller');
    const parsed = TicketQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;

    const reachable = reachableAccountIds(actor);
    let accountIds: string[];
    if (q.account === undefined || q.account === '' || q.account === 'all') accountIds = reachable;
    else if (reachable.includes(q.account)) accountIds = [q.account];
    else throw validationFailed({ account: ['Choose your account, one of its child accounts, or all.'] }, 'The query is invalid.');

    let after;
    if (q.cursor) {
      after = decodeCursor(q.cursor, q.sort, KEYSET_TYPES[q.sort]);
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid or belongs to another sort order.'] }, 'The query is invalid.');
    }
    const scope = ticketScope(actor);
    const filter = viewFilter(actor, q, q.view, accountIds);
    // Each view's filter, only when the counts are asked for (most list requests do not).
    const viewFilters = q.counts ? TICKET_VIEWS.map((view) => viewFilter(actor, q, view, accountIds)) : undefined;
    const [page, counts] = await Promise.all([
      kit.store.searchTickets({ scope, filter, sort: q.sort, after, limit: q.limit ?? DEFAULT_PAGE_SIZE, seenBy: actor.contactId }),
      viewFilters ? kit.store.countTicketsEach(scope, viewFilters, SEARCH_COUNT_CAP) : undefined,
    ]);
    const body: TicketPage = { items: await withUnread(kit.store, actor.contactId, page.items), nextCursor: page.nextCursor };
    if (counts && viewFilters) {
      // A capped count above the cap (the store counts one more to tell) is reported as the cap, its view named.
      const capped = TICKET_VIEWS.filter((_, i) => isCappedCount(viewFilters[i]!, SEARCH_COUNT_CAP) && counts[i]! > SEARCH_COUNT_CAP);
      body.counts = Object.fromEntries(TICKET_VIEWS.map((view, i) => [view, capped.includes(view) ? SEARCH_COUNT_CAP : counts[i]!])) as TicketViewCounts;
      if (capped.length) body.countsCapped = capped;
    }
    return c.json(body);
  });

  app.post('/v1/tickets', async (c) => {
    const { actor, contact, account } = c.get('caller');
    if (!can(actor, 'ticket.create')) throw new ProblemError(403, 'forbidden', 'Your role cannot create tickets.');
    const body = await kit.readJson(c);
    const parsed = TicketCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    return kit.idempotent(c, contact.id, body, async (idempotency) => {
      // Checked inside the idempotent write: a replay must not fail because an attachment is now linked.
      const errors: Record<string, string[]> = {};
      const onBehalf = input.requesterId !== undefined && input.requesterId !== contact.id;
      let requesterId = contact.id;
      if (onBehalf) {
        const requester = await kit.store.getContact(input.requesterId!);
        if (!canFileOnBehalf(actor)) errors.requesterId = ['Only account admins can file a ticket for a colleague.'];
        else if (!requester || requester.accountId !== account.id || requester.status !== 'active') {
          errors.requesterId = ['Choose an active colleague of your account.'];
        } else if (
          !can({ ...actor, contactId: requester.id, role: requester.role, rules: await resolveRoleRules(kit.store, requester.role) }, 'ticket.create')
        ) {
          errors.requesterId = [`${requester.name} cannot file tickets (role ${requester.role}).`];
        } else requesterId = requester.id;
      }
      const ccIds = [...new Set(input.ccIds ?? [])].filter((id) => id !== requesterId);
      for (const id of ccIds) {
        const cc = await kit.store.getContact(id);
        if (!cc || cc.accountId !== account.id || cc.status !== 'active') {
          (errors.ccIds ??= []).push('CC only active colleagues of your account.');
          break;
        }
        if (!can({ ...actor, contactId: cc.id, role: cc.role, rules: await resolveRoleRules(kit.store, cc.role) }, 'ticket.follow')) {
          (errors.ccIds ??= []).push(`${cc.name} cannot follow tickets (role ${cc.role}).`);
          break;
        }
      }
      const attachmentIds = [...new Set(input.attachmentIds ?? [])];
      for (const id of attachmentIds) {
        const a = await kit.store.getAttachment(id);
        if (!a || a.uploaderId !== contact.id || a.accountId !== account.id || a.ticketId !== null) {
          (errors.attachmentIds ??= []).push('An attachment is missing or already used: upload the file again.');
          break;
        }
      }
      if (Object.keys(errors).length > 0) throw validationFailed(errors);
      // Whoever files for a colleague follows the ticket, so it shows in their Following view.
      const followerIds = onBehalf ? [...new Set([...ccIds, contact.id])] : ccIds;
      const ticket = await kit.store.createTicket(
        {
          accountId: account.id,
          requesterId,
          subject: input.subject,
          description: input.description,
          category: input.category,
          priority: input.priority,
          visibility: input.visibility ?? account.defaultVisibility,
          actor: { kind: 'contact', id: contact.id, name: contact.name },
          now: kit.now().toISOString(),
          followerIds,
          attachmentIds,
          businessImpact: input.priority === 'urgent' ? (input.businessImpact ?? null) : null,
        },
        { idempotency },
      );
      return c.json(ticket, 201, { ETag: ticketEtag(ticket), Location: `${c.req.path.replace(/\/$/, '')}/${encodeURIComponent(ticket.id)}` });
    });
  });

  app.get('/v1/tickets/:id', async (c) => {
    const ticket = await kit.visibleTicket(c.get('caller'), c.req.param('id'));
    const etag = ticketEtag(ticket);
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, { ETag: etag });
    return c.json(ticket, 200, { ETag: etag });
  });
}
