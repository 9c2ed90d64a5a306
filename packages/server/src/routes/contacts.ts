/**
 * Contacts (issue 5): the account's contact list for admins and a read-only directory of
 * active colleagues for everyone else; invitations (invite, resend, revoke); role changes
 * guarded by `If-Match`; deactivation with an optional ticket transfer; and the service
 * outbox through which the vendor learns about invitations (`GET /v1/service/outbox`).
 */
import {
  ContactDeactivateQuerySchema,
  ContactInviteSchema,
  ContactQuerySchema,
  ContactTransferSchema,
  ContactUpdateSchema,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  OutboxQuerySchema,
  can,
  canManageContacts,
  fieldErrorsOf,
  isExternalEmail,
  type Account,
  type ActorRef,
  type Contact,
  type ContactSort,
  type OutboxEventType,
  type Ticket,
} from '@portico/core';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import type { ContactWriteResult } from '../store.ts';
import { queryFieldErrors, type Caller, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

/** ETag of a contact: changes when its name, role or status does (not when it is merely seen). */
export const contactEtag = (contact: Pick<Contact, 'version'>) => `"c${contact.version ?? 1}"`;

/** Sorts a directory reader may use: nothing that reveals management data. */
const DIRECTORY_SORTS: readonly ContactSort[] = ['name', 'email', 'role'];

const ROLE_NAMES: Record<Contact['role'], string> = { admin: 'Admin', member: 'Member', billing: 'Billing', requester: 'Requester', viewer: 'Viewer' };

/** What a non-admin may know about a colleague: who they are and their role, nothing more. */
function directoryEntry(c: Contact): Contact {
  return { id: c.id, accountId: c.accountId, email: c.email, name: c.name, role: c.role, status: c.status, createdAt: c.createdAt, lastSeenAt: null };
}

const actorRef = (caller: Caller): ActorRef => ({ kind: 'contact', id: caller.contact.id, name: caller.contact.name });
const ticketRefs = (tickets: readonly Ticket[]) => tickets.map((t) => ({ id: t.id, ref: t.ref, subject: t.subject }));

/** The accounts whose contacts the caller manages, or 403 when the role manages none. */
function requireManager(caller: Caller): void {
  if (!can(caller.actor, 'contact.manage')) {
    throw new ProblemError(403, 'forbidden', 'Only account admins can manage contacts. You can still see your colleagues in the directory.');
  }
}

/** The caller's account or one of its children, by id (undefined when not reachable). */
function reachableAccount(caller: Caller, id: string): Account | undefined {
  return id === caller.account.id ? caller.account : caller.children.find((a) => a.id === id);
}

/**
 * `If-Match` as a contact version: undefined when absent or `*`; -1 (matches nothing) when
 * it is not one of our ETags — an empty header included, as on tickets — so a garbled
 * precondition fails safe with 412.
 */
function expectedVersion(c: RouteContext): number | undefined {
  const header = c.req.header('If-Match')?.trim();
  if (header === undefined || header === '*') return undefined;
  const match = /^(?:W\/)?"c(\d+)"$/.exec(header);
  return match ? Number(match[1]) : -1;
}

export function registerContactRoutes(app: PorticoApp, kit: RouteKit): void {
  /** A contact the caller (an admin) manages; 403 for other roles, 404 when not theirs to see. */
  async function managedContact(caller: Caller, id: string): Promise<Contact> {
    requireManager(caller);
    const contact = await kit.store.getContact(id);
    if (!contact || !canManageContacts(caller.actor, contact.accountId)) throw notFound('No such contact in your account.');
    return contact;
  }

  /** Turns a refused contact write into the problem a user can act on. */
  function refusal(result: Extract<ContactWriteResult, { ok: false }>, subject: Contact | undefined, intent: 'demote' | 'deactivate' | 'other'): ProblemError {
    const current = result.contact ?? subject;
    const name = current?.name ?? 'This contact';
    switch (result.reason) {
      case 'not_found':
        return notFound('No such contact in your account.');
      case 'version_mismatch': {
        const now = current ? ` It is now ${ROLE_NAMES[current.role] ?? current.role}, ${current.status}.` : '';
        return new ProblemError(
          412,
          'precondition_failed',
          `${name} was changed by someone else since you loaded it.${now} Nothing was saved: review and try again.`,
          {
            headers: current ? { ETag: contactEtag(current) } : {},
          },
        );
      }
      case 'last_admin':
        return new ProblemError(
          409,
          'last_admin',
          intent === 'deactivate'
            ? `${name} is the account's only active admin. Make someone else an admin before deactivating them.`
            : `${name} is the account's only active admin. Make someone else an admin first, so the account keeps one.`,
        );
      case 'not_invited':
        return new ProblemError(409, 'invitation_not_pending', `${name} has no pending invitation (status: ${current?.status ?? 'unknown'}).`);
      case 'invalid_target':
        return validationFailed(
          { transferTo: ['Choose an active colleague in the same account (not the contact being changed).'] },
          'The tickets cannot go to that contact.',
        );
      case 'exists':
        return new ProblemError(409, 'contact_exists', `${current?.email ?? 'This email'} is already a contact of the account.`);
    }
  }

  app.get('/v1/contacts', async (c) => {
    const caller = c.get('caller');
    const parsed = ContactQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;
    const accountId = q.account || caller.account.id;
    const manager = canManageContacts(caller.actor, accountId);
    if (!manager && accountId !== caller.account.id) {
      throw validationFailed({ account: ['Choose your account or, as an admin of a parent account, one of its child accounts.'] }, 'The query is invalid.');
    }
    if (!manager && !DIRECTORY_SORTS.includes(q.sort)) {
      throw validationFailed({ sort: [`Sort the directory by ${DIRECTORY_SORTS.join(', ')}.`] }, 'The query is invalid.');
    }
    let offset = 0;
    if (q.cursor) {
      const keys = decodeCursor(q.cursor, 'contacts', 'ssn');
      if (!keys || keys[0] !== q.sort || keys[1] !== q.dir)
        throw validationFailed({ cursor: ['This cursor is invalid or belongs to another sort order.'] }, 'The query is invalid.');
      offset = keys[2] as number;
    }
    // The directory lists active colleagues only, whatever status was asked for.
    const statuses = manager ? (q.status?.length ? q.status : undefined) : (q.status?.length ? q.status : ['active' as const]).filter((s) => s === 'active');
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const slice = await kit.store.listContacts({
      accountId,
      statuses,
      roles: q.role?.length ? q.role : undefined,
      text: q.q?.trim() || undefined,
      sort: q.sort,
      dir: q.dir,
      offset,
      limit,
    });
    return c.json({
      items: manager ? slice.items : slice.items.map(directoryEntry),
      nextCursor: slice.more ? encodeCursor('contacts', [q.sort, q.dir, offset + limit]) : null,
    });
  });

  app.get('/v1/contacts/:id', async (c) => {
    const caller = c.get('caller');
    const contact = await kit.store.getContact(c.req.param('id'));
    if (contact && canManageContacts(caller.actor, contact.accountId)) {
      const [full] = (
        await kit.store.listContacts({ accountId: contact.accountId, text: contact.email, sort: 'name', dir: 'asc', offset: 0, limit: MAX_PAGE_SIZE })
      ).items.filter((x) => x.id === contact.id);
      const body = full ?? contact;
      return c.json(body, 200, { ETag: contactEtag(body) });
    }
    if (contact && contact.accountId === caller.account.id && contact.status === 'active') return c.json(directoryEntry(contact));
    throw notFound('No such contact in your account.');
  });

  app.post('/v1/contacts', async (c) => {
    const caller = c.get('caller');
    requireManager(caller);
    const body = await kit.readJson(c);
    const parsed = ContactInviteSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    const account = reachableAccount(caller, input.accountId ?? caller.account.id);
    if (!account || !canManageContacts(caller.actor, account.id)) {
      throw validationFailed({ accountId: ['Invite into your account or, as an admin of a parent account, one of its child accounts.'] });
    }
    if (isExternalEmail(input.email, account.domains) && input.confirmExternal !== true) {
      const domain = input.email.slice(input.email.lastIndexOf('@') + 1);
      const own = account.domains.length ? ` (${account.domains.join(', ')})` : '';
      throw new ProblemError(
        422,
        'external_email_unconfirmed',
        `${domain} is not one of ${account.name}'s email domains. Confirm that you want to invite someone outside the company.`,
        {
          fieldErrors: { email: [`${domain} is outside ${account.name}'s domains${own}. Confirm to invite anyway.`] },
        },
      );
    }
    return kit.idempotent(c, caller.contact.id, body, async (idempotency) => {
      const result = await kit.store.inviteContact(
        {
          accountId: account.id,
          email: input.email,
          name: input.name || input.email.slice(0, input.email.lastIndexOf('@')),
          role: input.role,
          actor: actorRef(caller),
          now: kit.now().toISOString(),
        },
        { idempotency },
      );
      if (!result.ok) {
        const existing = result.contact;
        if (result.reason === 'exists' && existing) {
          const hint =
            existing.status === 'invited'
              ? 'They are already invited: resend the invitation instead.'
              : existing.status === 'deactivated'
                ? 'They were deactivated: reactivate them instead.'
                : `They are already a contact (${ROLE_NAMES[existing.role] ?? existing.role}).`;
          throw new ProblemError(409, 'contact_exists', `${existing.email} is already in ${account.name}. ${hint}`);
        }
        throw refusal(result, undefined, 'other');
      }
      const contact = result.contact;
      return c.json(contact, 201, { ETag: contactEtag(contact), Location: `${c.req.path.replace(/\/$/, '')}/${encodeURIComponent(contact.id)}` });
    });
  });

  app.patch('/v1/contacts/:id', async (c) => {
    const caller = c.get('caller');
    const contact = await managedContact(caller, c.req.param('id'));
    const parsed = ContactUpdateSchema.safeParse(await kit.readJson(c));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const { role, status } = parsed.data;
    if (contact.id === caller.contact.id && role !== undefined && role !== 'admin') {
      throw new ProblemError(
        409,
        'self_lockout',
        'You cannot remove your own admin role: you would lose access to contact management. Ask another admin to do it.',
      );
    }
    if (status === 'active' && contact.status === 'invited') {
      throw new ProblemError(409, 'conflict', `${contact.name} has not accepted the invitation yet; they become active when they first sign in.`);
    }
    const result = await kit.store.changeContact({
      contactId: contact.id,
      expectedVersion: expectedVersion(c),
      role,
      status,
      actor: actorRef(caller),
      now: kit.now().toISOString(),
    });
    if (!result.ok) throw refusal(result, contact, 'demote');
    return c.json(result.contact, 200, { ETag: contactEtag(result.contact) });
  });

  app.delete('/v1/contacts/:id', async (c) => {
    const caller = c.get('caller');
    const contact = await managedContact(caller, c.req.param('id'));
    const parsed = ContactDeactivateQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    if (contact.id === caller.contact.id) {
      throw new ProblemError(409, 'self_lockout', 'You cannot deactivate yourself: you would lose access at once. Ask another admin to do it.');
    }
    const result = await kit.store.changeContact({
      contactId: contact.id,
      expectedVersion: expectedVersion(c),
      status: 'deactivated',
      transferTo: parsed.data.transferTo,
      actor: actorRef(caller),
      now: kit.now().toISOString(),
    });
    if (!result.ok) throw refusal(result, contact, 'deactivate');
    return c.json({ contact: result.contact, transferred: ticketRefs(result.transferred) }, 200, { ETag: contactEtag(result.contact) });
  });

  app.post('/v1/contacts/:id/transfer', async (c) => {
    const caller = c.get('caller');
    const contact = await managedContact(caller, c.req.param('id'));
    const parsed = ContactTransferSchema.safeParse(await kit.readJson(c));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const result = await kit.store.changeContact({ contactId: contact.id, transferTo: parsed.data.to, actor: actorRef(caller), now: kit.now().toISOString() });
    if (!result.ok) {
      if (result.reason === 'invalid_target') {
        throw validationFailed(
          { to: ['Choose an active colleague in the same account (not the contact whose tickets move).'] },
          'The tickets cannot go to that contact.',
        );
      }
      throw refusal(result, contact, 'other');
    }
    return c.json({ contact: result.contact, transferred: ticketRefs(result.transferred) });
  });

  app.post('/v1/contacts/:id/invitation', async (c) => {
    const caller = c.get('caller');
    const contact = await managedContact(caller, c.req.param('id'));
    const result = await kit.store.resendInvitation({ contactId: contact.id, actor: actorRef(caller), now: kit.now().toISOString() });
    if (!result.ok) throw refusal(result, contact, 'other');
    return c.json(result.contact, 200, { ETag: contactEtag(result.contact) });
  });

  app.delete('/v1/contacts/:id/invitation', async (c) => {
    const caller = c.get('caller');
    const contact = await managedContact(caller, c.req.param('id'));
    const result = await kit.store.revokeInvitation({
      contactId: contact.id,
      expectedVersion: expectedVersion(c),
      actor: actorRef(caller),
      now: kit.now().toISOString(),
    });
    if (!result.ok) throw refusal(result, contact, 'other');
    return c.body(null, 204);
  });

  // --- the vendor's side ---------------------------------------------------
  app.get('/v1/service/outbox', async (c) => {
    const parsed = OutboxQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { after, type } = parsed.data;
    const limit = parsed.data.limit ?? DEFAULT_PAGE_SIZE;
    const types: OutboxEventType[] | undefined = type?.length ? type : undefined;
    const events = await kit.store.listOutbox({ after, limit: limit + 1, types });
    const items = events.slice(0, limit);
    return c.json({ items, lastSequence: items.at(-1)?.sequence ?? after, hasMore: events.length > limit });
  });
}
