/** The conversation of a ticket: paged comments, oldest first, and posting one. */
import { CommentCreateSchema, DEFAULT_PAGE_SIZE, PageQuerySchema, can, fieldErrorsOf } from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { ProblemError, validationFailed } from '../problem.ts';
import { queryFieldErrors, type PorticoApp, type RouteKit } from './kit.ts';

export function registerCommentRoutes(app: PorticoApp, kit: RouteKit): void {
  app.get('/v1/tickets/:id/comments', async (c) => {
    const ticket = await kit.visibleTicket(c.get('caller'), c.req.param('id'));
    const parsed = PageQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    let after: [string, string] | undefined;
    if (parsed.data.cursor) {
      after = decodeCursor(parsed.data.cursor, 'c', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    return c.json(await kit.store.listComments(ticket.id, { after, limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE }));
  });

  app.post('/v1/tickets/:id/comments', async (c) => {
    const caller = c.get('caller');
    const ticket = await kit.visibleTicket(caller, c.req.param('id'));
    if (!can(caller.actor, 'ticket.comment', { ...ticket, requesterId: ticket.requester.id })) {
      throw new ProblemError(403, 'forbidden', 'Your role cannot comment on this ticket.');
    }
    const body = await kit.readJson(c);
    const parsed = CommentCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const { contact } = caller;
    return kit.idempotent(c, contact.id, body, async (idempotency) => {
      const now = kit.now().toISOString();
      const { comment } = await kit.store.addComment(
        { ticketId: ticket.id, author: { kind: 'contact', id: contact.id, name: contact.name }, body: parsed.data.body, now },
        { idempotency },
      );
      // One's own reply is not news to oneself (the unread marker).
      await kit.store.markTicketSeen(ticket.id, contact.id, now);
      return c.json(comment, 201);
    });
  });
}
