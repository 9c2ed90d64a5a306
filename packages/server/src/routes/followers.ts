/** Following a ticket: `PUT|DELETE /v1/tickets/{id}/followers/me` (both idempotent). */
import { can, canView } from '@portico/core';
import { ProblemError, notFound } from '../problem.ts';
import { ticketEtag, type PorticoApp, type RouteKit } from './kit.ts';

export function registerFollowerRoutes(app: PorticoApp, kit: RouteKit): void {
  app.put('/v1/tickets/:id/followers/me', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    if (!can(caller.actor, 'ticket.follow', { ...ticket, requesterId: ticket.requester.id })) {
      throw new ProblemError(403, 'forbidden', 'Your role cannot follow tickets.');
    }
    const updated = await kit.store.setFollowing(ticket.id, caller.contact.id, true, kit.now().toISOString());
    if (!updated) throw notFound('No such ticket, or you may not see it.');
    return c.json(updated, 200, { ETag: ticketEtag(updated) });
  });

  // Anyone may stop following what they see; the answer is 204 when that takes the ticket
  // out of their sight (e.g. a requester-role contact unfollowing a colleague's ticket).
  app.delete('/v1/tickets/:id/followers/me', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    const updated = await kit.store.setFollowing(ticket.id, caller.contact.id, false, kit.now().toISOString());
    if (!updated) throw notFound('No such ticket, or you may not see it.');
    if (!canView(caller.actor, { ...updated, requesterId: updated.requester.id })) return c.body(null, 204);
    return c.json(updated, 200, { ETag: ticketEtag(updated) });
  });
}
