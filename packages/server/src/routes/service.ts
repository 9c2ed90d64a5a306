/**
 * The vendor's side of the API (`/v1/service/...`, authenticated by a service API key in
 * `service-auth.ts`): the vendor's helpdesk posts agent replies and status changes, which
 * customers then see in their lists, timelines and notifications, live.
 */
import {
  DEFAULT_PAGE_SIZE,
  ServiceCommentSchema,
  ServiceTicketPatchSchema,
  TicketQuerySchema,
  fieldErrorsOf,
  type ActorRef,
} from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { notFound, validationFailed } from '../problem.ts';
import { KEYSET_TYPES } from '../store.ts';
import { queryFieldErrors, ticketEtag, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';
import type { LiveKit } from './live-kit.ts';

/** Agents have no Portico record: their id is the vendor's, or derived from the name. */
const agentRef = (agent: { id?: string | undefined; name: string }): ActorRef => ({
  kind: 'agent',
  id: agent.id ?? `agt_${agent.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
  name: agent.name,
});

export function registerServiceRoutes(app: PorticoApp, kit: RouteKit, live: LiveKit): void {
  const ticketOr404 = async (id: string) => {
    const ticket = await kit.store.getTicket(id);
    if (!ticket) throw notFound('No such ticket.');
    return ticket;
  };
  const idempotencyScope = (c: RouteContext) => `service:${c.get('service').keyIndex}`;

  app.get('/v1/service/tickets', async (c) => {
    const parsed = TicketQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;
    if (!q.account || q.account === 'all') throw validationFailed({ account: ['Name the account whose tickets to list.'] }, 'The query is invalid.');
    if (!(await kit.store.getAccount(q.account))) throw validationFailed({ account: ['No such account.'] }, 'The query is invalid.');
    let after;
    if (q.cursor) {
      after = decodeCursor(q.cursor, q.sort, KEYSET_TYPES[q.sort]);
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid or belongs to another sort order.'] }, 'The query is invalid.');
    }
    const page = await kit.store.searchTickets({
      scope: [{ kind: 'all', accountId: q.account }],
      filter: { accountIds: [q.account], statuses: q.status?.length ? q.status : undefined, text: q.q?.trim() || undefined },
      sort: q.sort,
      after,
      limit: q.limit ?? DEFAULT_PAGE_SIZE,
    });
    return c.json(page);
  });

  app.get('/v1/service/tickets/:id', async (c) => {
    const ticket = await ticketOr404(c.req.param('id'));
    return c.json(ticket, 200, { ETag: ticketEtag(ticket) });
  });

  app.post('/v1/service/tickets/:id/comments', async (c) => {
    const ticket = await ticketOr404(c.req.param('id'));
    const body = await kit.readJson(c);
    const parsed = ServiceCommentSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    const author = agentRef(input.agent);
    return kit.idempotent(c, idempotencyScope(c), body, async (idempotency) => {
      const now = kit.now().toISOString();
      const { comment } = await kit.store.addComment({ ticketId: ticket.id, author, body: input.body, now }, { idempotency });
      if (input.status && input.status !== ticket.status) {
        await kit.store.changeTicketStatus({ ticketId: ticket.id, status: input.status, actor: author, now });
      }
      return c.json(comment, 201);
    });
  });

  app.patch('/v1/service/tickets/:id', async (c) => {
    const ticket = await ticketOr404(c.req.param('id'));
    const body = await kit.readJson(c);
    const parsed = ServiceTicketPatchSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    if (input.status === undefined && input.assignee === undefined) {
      throw validationFailed({ status: ['Send a status, an assignee, or both.'] });
    }
    const updated = await kit.store.changeTicketStatus({
      ticketId: ticket.id,
      status: input.status ?? ticket.status,
      assignee: input.assignee,
      actor: agentRef(input.agent),
      now: kit.now().toISOString(),
    });
    if (!updated) throw notFound('No such ticket.');
    return c.json(updated, 200, { ETag: ticketEtag(updated) });
  });

  /** Runs the SLA check now (the server also runs it on a timer); answers what it recorded. */
  app.post('/v1/service/sla/sweep', async (c) => {
    const recorded = await live.sweeper.sweep();
    return c.json({ recorded });
  });
}
