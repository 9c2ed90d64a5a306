/** Following: `PUT` / `DELETE /v1/tickets/{id}/followers/me` (idempotent). */
import { can } from '@portico/core';
import { ProblemError, notFound } from '../problem.ts';
import { ticketEtag, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

export function registerFollowerRoutes(app: PorticoApp, kit: RouteKit): void {
  const setFollowing = async (c: RouteContext, follow: boolean) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id')!);
    if (!can(caller.actor, 'ticket.follow', { ...ticket, requesterId: ticket.requester.id })) {
      throw new ProblemError(403, 'forbidden', 'Your role cannot follow tickets.');
    }
    const updated = await kit.store.setFollowing(ticket.id, caller.contact.id, follow, kit.now().toISOString());
    if (!updated) throw notFound('No such ticket, or you may not see it.');
    return c.json(updated, 200, { ETag: ticketEtag(updated) });
  };
  app.put('/v1/tickets/:id/followers/me', (c) => setFollowing(c, true));
  app.delete('/v1/tickets/:id/followers/me', (c) => setFollowing(c, false));
}
