/**
 * The agent API: the vendor's helpdesk side of tickets (`/v1/service/tickets...`, service API
 * key, see `service-auth.ts` and docs/agent-api.md). Agents see every account's tickets, reply
 * as a named agent (with files), keep internal notes, assign, change status, priority and
 * category, and merge duplicates. Every `{id}` also accepts the ticket's reference (`T-1002`).
 *
 * Internal notes never reach a customer: they live apart from comments in the store, write
 * no activity (so no timeline, notification or live event), are not searchable and do not
 * count; only `GET /v1/service/tickets/{id}/comments` returns them, marked `internal: true`.
 */
import {
  DEFAULT_PAGE_SIZE,
  MAX_ATTACHMENT_BYTES,
  PageQuerySchema,
  ServiceCommentSchema,
  ServiceMergeSchema,
  ServiceNoteSchema,
  ServiceTicketPatchSchema,
  ServiceTicketQuerySchema,
  UNASSIGNED,
  fieldErrorsOf,
  type ActorRef,
  type Agent,
  type Ticket,
} from '@portico/core';
import type { BlobStore } from '../blobs.ts';
import { decodeCursor } from '../cursor.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import { KEYSET_TYPES, serviceUploader, type TicketChanges, type TicketFilter } from '../store.ts';
import { readUpload, saveUpload } from './attachments.ts';
import { queryFieldErrors, ticketEtag, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';
import type { LiveKit } from './live-kit.ts';
import { ifMatchVersion, stale } from './ticket-actions.ts';

/** What the agent routes need besides the kit. */
export interface AgentRouteOptions {
  live: LiveKit;
  /** Where uploaded files go (the same store as the customers' attachments). */
  blobs: BlobStore;
  /** Largest file in bytes (default `MAX_ATTACHMENT_BYTES`). */
  maxAttachmentBytes?: number | undefined;
}

/** Agents have no Portico record: their id is the vendor's, or derived from the name. */
export const agentRef = (agent: Agent): ActorRef => ({
  kind: 'agent',
  id: agent.id ?? `agt_${agent.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
  name: agent.name,
});

const TICKET_REF = /^T-\d+$/i;
const invalidQuery = (fieldErrors: Record<string, string[]>) => validationFailed(fieldErrors, 'The query is invalid.');
const mergedConflict = (ticket: Ticket) =>
  new ProblemError(409, 'conflict', `${ticket.ref} was merged into ${ticket.mergedInto!.ref}; work on that ticket instead.`);

export function registerAgentRoutes(app: PorticoApp, kit: RouteKit, options: AgentRouteOptions): void {
  const { store } = kit;
  const maxBytes = options.maxAttachmentBytes ?? MAX_ATTACHMENT_BYTES;
  const idempotencyScope = (c: RouteContext) => `service:${c.get('service').keyIndex}`;

  /** A ticket by id or reference, or undefined. */
  const findTicket = (idOrRef: string) => (TICKET_REF.test(idOrRef) ? store.getTicketByRef(idOrRef) : store.getTicket(idOrRef));
  const ticketOr404 = async (c: RouteContext) => {
    const idOrRef = c.req.param('id')!;
    const ticket = await findTicket(idOrRef);
    if (!ticket) throw notFound(`No ticket ${idOrRef}.`);
    return ticket;
  };
  type Issues = { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  const parseBody = async <T>(c: RouteContext, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Issues } }) => {
    const body = await kit.readJson(c);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    return { body, input: parsed.data };
  };

  app.get('/v1/service/tickets', async (c) => {
    const parsed = ServiceTicketQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw invalidQuery(queryFieldErrors(parsed.error.issues));
    const q = parsed.data;
    if (q.account) {
      const unknown = [];
      for (const id of q.account) if (!(await store.getAccount(id))) unknown.push(id);
      if (unknown.length) throw invalidQuery({ account: [`No such account: ${unknown.join(', ')}.`] });
    }
    let after;
    if (q.cursor) {
      after = decodeCursor(q.cursor, q.sort, KEYSET_TYPES[q.sort]);
      if (!after) throw invalidQuery({ cursor: ['This cursor is invalid or belongs to another sort order.'] });
    }
    const filter: TicketFilter = {
      accountIds: q.account,
      statuses: q.status,
      priorities: q.priority,
      categories: q.category,
      assignees: q.assignee?.map((name) => (name === UNASSIGNED ? null : name)),
      updatedSince: q.updatedSince,
      text: q.q?.trim() || undefined,
    };
    return c.json(await store.searchServiceTickets({ filter, sort: q.sort, after, limit: q.limit ?? DEFAULT_PAGE_SIZE }));
  });

  app.get('/v1/service/tickets/:id', async (c) => {
    const ticket = await ticketOr404(c);
    return c.json(ticket, 200, { ETag: ticketEtag(ticket) });
  });

  app.patch('/v1/service/tickets/:id', async (c) => {
    const ticket = await ticketOr404(c);
    const { input } = await parseBody(c, ServiceTicketPatchSchema);
    const changes: TicketChanges = { status: input.status, priority: input.priority, category: input.category, assignee: input.assignee };
    if (ticket.mergedInto && input.status !== undefined && input.status !== ticket.status) throw mergedConflict(ticket);
    const result = await store.updateTicket({
      ticketId: ticket.id,
      changes,
      expectedVersion: ifMatchVersion(c.req.header('If-Match')),
      actor: agentRef(input.agent),
      now: kit.now().toISOString(),
    });
    if (result.state === 'missing') throw notFound(`No ticket ${ticket.ref}.`);
    if (result.state === 'stale') throw stale(result.ticket);
    return c.json(result.ticket, 200, { ETag: ticketEtag(result.ticket) });
  });

  /** The whole thread as agents see it: public comments and internal notes, oldest first. */
  app.get('/v1/service/tickets/:id/comments', async (c) => {
    const ticket = await ticketOr404(c);
    const parsed = PageQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw invalidQuery(queryFieldErrors(parsed.error.issues));
    let after: [string, string] | undefined;
    if (parsed.data.cursor) {
      after = decodeCursor(parsed.data.cursor, 'c', 'ss') as [string, string] | undefined;
      if (!after) throw invalidQuery({ cursor: ['This cursor is invalid.'] });
    }
    return c.json(await store.listAgentThread(ticket.id, { after, limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE }));
  });

  app.post('/v1/service/tickets/:id/comments', async (c) => {
    const ticket = await ticketOr404(c);
    const { body, input } = await parseBody(c, ServiceCommentSchema);
    if (ticket.mergedInto) throw mergedConflict(ticket);
    const uploaderId = serviceUploader(c.get('service').keyIndex);
    const attachmentIds = [...new Set(input.attachmentIds ?? [])];
    const unusable: string[] = [];
    for (const id of attachmentIds) {
      const a = await store.getAttachment(id);
      if (!a || a.ticketId !== null || a.uploaderId !== uploaderId || a.accountId !== ticket.accountId) unusable.push(id);
    }
    if (unusable.length) {
      throw validationFailed({
        attachmentIds: [
          `Not an unused upload of this ticket's account by this key: ${unusable.join(', ')}. Upload with POST /v1/service/tickets/${ticket.ref}/attachments.`,
        ],
      });
    }
    const author = agentRef(input.agent);
    return kit.idempotent(c, idempotencyScope(c), body, async (idempotency) => {
      const now = kit.now().toISOString();
      const { comment } = await store.addAgentReply({ ticketId: ticket.id, author, body: input.body, now, attachmentIds, uploaderId }, { idempotency });
      if (input.status && input.status !== ticket.status) {
        await store.changeTicketStatus({ ticketId: ticket.id, status: input.status, actor: author, now });
      }
      return c.json({ ...comment, internal: false }, 201);
    });
  });

  app.post('/v1/service/tickets/:id/notes', async (c) => {
    const ticket = await ticketOr404(c);
    const { body, input } = await parseBody(c, ServiceNoteSchema);
    return kit.idempotent(c, idempotencyScope(c), body, async (idempotency) => {
      const note = await store.addInternalNote(
        { ticketId: ticket.id, author: agentRef(input.agent), body: input.body, now: kit.now().toISOString() },
        { idempotency },
      );
      return c.json(note, 201);
    });
  });

  /** Uploads a file to attach to a reply of this ticket (`attachmentIds`); unseen by the customer until then. */
  app.post('/v1/service/tickets/:id/attachments', async (c) => {
    const ticket = await ticketOr404(c);
    const upload = await readUpload(c, maxBytes);
    const uploaderId = serviceUploader(c.get('service').keyIndex);
    return kit.idempotent(c, idempotencyScope(c), { ...upload.fingerprint, ticket: ticket.id }, (idempotency) =>
      saveUpload(c, options.blobs, upload, (record) =>
        store.createServiceAttachment({ ...record, createdAt: kit.now().toISOString(), accountId: ticket.accountId, uploaderId }, { idempotency }),
      ),
    );
  });

  app.get('/v1/service/tickets/:id/attachments', async (c) => {
    const ticket = await ticketOr404(c);
    return c.json({ items: await store.listAttachments(ticket.id) });
  });

  app.post('/v1/service/tickets/:id/merge', async (c) => {
    const source = await ticketOr404(c);
    const { input } = await parseBody(c, ServiceMergeSchema);
    const target = await findTicket(input.into);
    if (!target) throw validationFailed({ into: [`No ticket ${input.into}.`] });
    const outcome = await store.mergeTickets({
      sourceId: source.id,
      targetId: target.id,
      actor: agentRef(input.agent),
      now: kit.now().toISOString(),
      expectedVersion: ifMatchVersion(c.req.header('If-Match')),
    });
    switch (outcome.state) {
      case 'merged':
        return c.json({ source: outcome.source, target: outcome.target }, 200, { ETag: ticketEtag(outcome.source) });
      case 'missing':
        throw notFound(`No ticket ${source.ref}.`);
      case 'stale':
        throw stale(outcome.source);
      case 'already_merged':
        throw mergedConflict(outcome.source);
      case 'invalid':
        throw validationFailed({
          into: [
            outcome.reason === 'cross_account'
              ? `${target.ref} belongs to another account; only tickets of the same account can be merged.`
              : outcome.reason === 'same_ticket'
                ? 'A ticket cannot be merged into itself.'
                : `${target.ref} was itself merged into ${target.mergedInto?.ref}; merge into that ticket.`,
          ],
        });
    }
  });

  /** Runs the SLA check now (the server also runs it on a timer); answers what it recorded. */
  app.post('/v1/service/sla/sweep', async (c) => {
    const recorded = await options.live.sweeper.sweep();
    return c.json({ recorded });
  });
}
