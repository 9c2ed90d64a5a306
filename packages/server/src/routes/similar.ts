/**
 * Possible duplicates while a ticket is typed: open tickets of the caller's own account that
 * match the text and that the caller may see. Registered before the tickets module, so
 * `/v1/tickets/similar` is not taken for a ticket id.
 */
import { SimilarQuerySchema, UNSOLVED_STATUSES, ticketScope } from '@portico/core';
import { validationFailed } from '../problem.ts';
import { queryFieldErrors, type PorticoApp, type RouteKit } from './kit.ts';

export function registerSimilarRoutes(app: PorticoApp, kit: RouteKit): void {
  app.get('/v1/tickets/similar', async (c) => {
    const { actor } = c.get('caller');
    const parsed = SimilarQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { q, limit } = parsed.data;
    const items = await kit.store.findSimilarTickets({
      // The policy's scope decides visibility, exactly as for the ticket list.
      scope: ticketScope(actor),
      // Only the caller's own account: duplicates in child accounts are not the same outage.
      accountIds: [actor.accountId],
      statuses: UNSOLVED_STATUSES,
      text: q,
      limit: limit ?? 5,
    });
    return c.json({ items }, 200, { 'Cache-Control': 'private, no-store' });
  });
}
