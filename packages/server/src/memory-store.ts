import { UNSOLVED_STATUSES, inScope, type Account, type Activity, type Comment, type Contact, type Page, type Ticket } from '@portico/core';
import { encodeCursor } from './cursor.ts';
import {
  FIRST_TICKET_NUMBER,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  compareKeys,
  newId,
  ticketKeyset,
  ticketRef,
  type ActivitySearch,
  type CommentDraft,
  type SequencedActivity,
  type SlaMarkDraft,
  type StatusChangeDraft,
  type TicketSlaHistory,
  type ContactPatch,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type SeedData,
  type SeekPage,
  type Store,
  type TicketDraft,
  type TicketFilter,
  type TicketSearch,
  type WriteOptions,
} from './store.ts';

interface IdempotencyRecord {
  fingerprint: string;
  createdAt: string;
  status: number | null;
  body: unknown;
}

const clone = <T>(value: T): T => structuredClone(value);
const idemKey = (ref: IdempotencyRef) => `${ref.contactId}\u0000${ref.key}`;
const lower = (s: string) => s.toLowerCase();

/** Whether a ticket passes every filter. */
function matches(ticket: Ticket, f: TicketFilter): boolean {
  if (f.accountIds && !f.accountIds.includes(ticket.accountId)) return false;
  if (f.statuses && !f.statuses.includes(ticket.status)) return false;
  if (f.priorities && !f.priorities.includes(ticket.priority)) return false;
  if (f.categories && !f.categories.includes(ticket.category)) return false;
  if (f.requesterIds && !f.requesterIds.includes(ticket.requester.id)) return false;
  if (f.followerId !== undefined && !ticket.followerIds.includes(f.followerId)) return false;
  if (f.text) {
    const needle = lower(f.text);
    if (![ticket.ref, ticket.subject, ticket.description].some((s) => lower(s).includes(needle))) return false;
  }
  return true;
}

/**
 * Everything in plain maps: the browser mocks, unit tests, and the oracle the SQL
 * stores are checked against. Returns copies, so callers cannot change its state.
 */
export class MemoryStore implements Store {
  readonly #accounts = new Map<string, Account>();
  readonly #contacts = new Map<string, Contact>();
  readonly #tickets = new Map<string, Ticket>();
  readonly #comments = new Map<string, Comment[]>();
  readonly #activity: Activity[] = [];
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #slaMarks = new Set<string>();
  readonly #seenAt = new Map<string, string>();
  #nextNumber = FIRST_TICKET_NUMBER;

  async getAccount(id: string): Promise<Account | undefined> {
    const account = this.#accounts.get(id);
    return account && clone(account);
  }

  async listChildAccounts(parentId: string): Promise<Account[]> {
    return [...this.#accounts.values()]
      .filter((a) => a.parentId === parentId)
      .sort((a, b) => compareKeys([a.name, a.id], [b.name, b.id]))
      .map(clone);
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const contact = this.#contacts.get(id);
    return contact && clone(contact);
  }

  async findContactByEmail(accountId: string, email: string): Promise<Contact | undefined> {
    const wanted = lower(email);
    for (const c of this.#contacts.values()) if (c.accountId === accountId && lower(c.email) === wanted) return clone(c);
    return undefined;
  }

  async createContact(contact: Contact): Promise<Contact> {
    if (this.#contacts.has(contact.id)) throw new Error(`Contact ${contact.id} exists`);
    if (await this.findContactByEmail(contact.accountId, contact.email)) throw new Error(`Contact ${contact.email} exists`);
    if (!this.#accounts.has(contact.accountId)) throw new Error(`No account ${contact.accountId}`);
    this.#contacts.set(contact.id, clone(contact));
    return clone(contact);
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined> {
    const contact = this.#contacts.get(id);
    if (!contact) return undefined;
    const next: Contact = { ...contact };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.role !== undefined) next.role = patch.role;
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.lastSeenAt !== undefined) next.lastSeenAt = patch.lastSeenAt;
    this.#contacts.set(id, next);
    return clone(next);
  }

  async searchTickets(search: TicketSearch): Promise<Page<Ticket>> {
    const { scope, filter, sort, after, limit } = search;
    const rows = [...this.#tickets.values()]
      .filter((t) => inScope(scope, { ...t, requesterId: t.requester.id }) && matches(t, filter))
      .map((t) => ({ t, key: ticketKeyset(sort, t) }))
      .filter(({ key }) => !after || compareKeys(key, after) < 0)
      .sort((a, b) => compareKeys(b.key, a.key));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ t }) => this.#materialize(t)),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, last.key) : null,
    };
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const ticket = this.#tickets.get(id);
    return ticket && this.#materialize(ticket);
  }

  async createTicket(draft: TicketDraft, options: WriteOptions = {}): Promise<Ticket> {
    const requester = this.#contacts.get(draft.requesterId);
    if (!requester || requester.accountId !== draft.accountId) throw new Error('Requester is not a contact of the account');
    const number = this.#nextNumber++;
    const ticket: Ticket = {
      id: newId('tkt'),
      ref: ticketRef(number),
      accountId: draft.accountId,
      subject: draft.subject,
      description: draft.description,
      status: 'new',
      priority: draft.priority,
      category: draft.category,
      visibility: draft.visibility,
      requester: { id: requester.id, name: requester.name, email: requester.email },
      followerIds: [],
      assignee: null,
      escalated: false,
      commentCount: 0,
      createdAt: draft.now,
      updatedAt: draft.now,
      version: 1,
    };
    this.#tickets.set(ticket.id, ticket);
    this.#comments.set(ticket.id, []);
    this.#activity.push({
      id: newId('act'),
      accountId: ticket.accountId,
      type: 'ticket.created',
      actor: clone(draft.actor),
      ticketId: ticket.id,
      contactId: null,
      data: { ref: ticket.ref, subject: ticket.subject },
      createdAt: draft.now,
    });
    this.#complete(options, this.#materialize(ticket));
    return this.#materialize(ticket);
  }

  async listComments(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const all = (this.#comments.get(ticketId) ?? [])
      .filter((c) => !page.after || compareKeys([c.createdAt, c.id], page.after) > 0)
      .sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]));
    const items = all.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(clone),
      nextCursor: all.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null,
    };
  }

  async addComment(draft: CommentDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const ticket = this.#tickets.get(draft.ticketId);
    if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
    const comment: Comment = { id: newId('cmt'), ticketId: ticket.id, author: clone(draft.author), body: draft.body, createdAt: draft.now };
    const next: Ticket = { ...ticket, updatedAt: draft.now, version: ticket.version + 1, commentCount: ticket.commentCount + 1 };
    this.#tickets.set(ticket.id, next);
    this.#comments.get(ticket.id)!.push(comment);
    this.#activity.push({
      id: newId('act'),
      accountId: ticket.accountId,
      type: 'ticket.commented',
      actor: clone(draft.author),
      ticketId: ticket.id,
      contactId: null,
      data: { commentId: comment.id },
      createdAt: draft.now,
    });
    this.#complete(options, comment);
    return { comment: clone(comment), ticket: this.#materialize(next) };
  }

  async listActivity(accountIds: readonly string[], page: SeekPage): Promise<Page<Activity>> {
    const all = this.#activity
      .filter((a) => accountIds.includes(a.accountId))
      .filter((a) => !page.after || compareKeys([a.createdAt, a.id], page.after) < 0)
      .sort((a, b) => compareKeys([b.createdAt, b.id], [a.createdAt, a.id]));
    const items = all.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(clone),
      nextCursor: all.length > page.limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null,
    };
  }

  async searchActivity(search: ActivitySearch): Promise<Page<Activity>> {
    const { after, limit } = search;
    const all = this.#visibleActivity(search)
      .filter((a) => !after || compareKeys([a.createdAt, a.id], after) < 0)
      .sort((a, b) => compareKeys([b.createdAt, b.id], [a.createdAt, a.id]));
    const items = all.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(clone),
      nextCursor: all.length > limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null,
    };
  }

  async countActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Promise<number> {
    return this.#visibleActivity(search).length;
  }

  async listActivitySince(accountIds: readonly string[], afterSeq: number, limit: number): Promise<SequencedActivity[]> {
    const out: SequencedActivity[] = [];
    // The array index is the append order: seq = index + 1.
    for (let i = Math.max(0, afterSeq); i < this.#activity.length && out.length < limit; i++) {
      const activity = this.#activity[i]!;
      if (accountIds.includes(activity.accountId)) out.push({ seq: i + 1, activity: clone(activity) });
    }
    return out;
  }

  async activityHead(): Promise<number> {
    return this.#activity.length;
  }

  async getSlaHistory(ticketIds: readonly string[]): Promise<Map<string, TicketSlaHistory>> {
    const wanted = new Set(ticketIds);
    const out = new Map<string, TicketSlaHistory>();
    const entry = (id: string) => {
      let h = out.get(id);
      if (!h) out.set(id, (h = { statusChanges: [], firstResponseAt: null }));
      return h;
    };
    for (const a of this.#activity) {
      if (a.type !== 'ticket.status_changed' || !a.ticketId || !wanted.has(a.ticketId)) continue;
      const to = a.data.to;
      if (typeof to === 'string') entry(a.ticketId).statusChanges.push({ at: a.createdAt, to: to as Ticket['status'] });
    }
    for (const id of wanted) {
      for (const c of this.#comments.get(id) ?? []) {
        if (c.author.kind !== 'agent') continue;
        const h = entry(id);
        if (h.firstResponseAt === null || c.createdAt < h.firstResponseAt) h.firstResponseAt = c.createdAt;
      }
    }
    for (const h of out.values()) h.statusChanges.sort((a, b) => compareKeys([a.at], [b.at]));
    return out;
  }

  async listSlaCandidates(afterId: string | undefined, limit: number): Promise<Ticket[]> {
    const unsolved: readonly string[] = UNSOLVED_STATUSES;
    return [...this.#tickets.values()]
      .filter((t) => unsolved.includes(t.status) && (afterId === undefined || t.id > afterId))
      .sort((a, b) => compareKeys([a.id], [b.id]))
      .slice(0, limit)
      .map((t) => this.#materialize(t));
  }

  async recordSlaMark(draft: SlaMarkDraft): Promise<Activity | undefined> {
    const ticket = this.#tickets.get(draft.ticketId);
    const key = `${draft.ticketId}\u0000${draft.clock}\u0000${draft.type}`;
    if (!ticket || this.#slaMarks.has(key)) return undefined;
    this.#slaMarks.add(key);
    const activity: Activity = {
      id: newId('act'),
      accountId: ticket.accountId,
      type: draft.type,
      actor: { kind: 'system', id: 'sla', name: 'SLA' },
      ticketId: ticket.id,
      contactId: null,
      data: { clock: draft.clock, dueAt: draft.dueAt, ref: ticket.ref, subject: ticket.subject },
      createdAt: draft.at,
    };
    this.#activity.push(activity);
    return clone(activity);
  }

  async changeTicketStatus(draft: StatusChangeDraft): Promise<Ticket | undefined> {
    const ticket = this.#tickets.get(draft.ticketId);
    if (!ticket) return undefined;
    const statusChanged = draft.status !== ticket.status;
    const assigneeChanged = draft.assignee !== undefined && draft.assignee !== ticket.assignee;
    if (!statusChanged && !assigneeChanged) return this.#materialize(ticket);
    const next: Ticket = {
      ...ticket,
      status: draft.status,
      assignee: draft.assignee !== undefined ? draft.assignee : ticket.assignee,
      updatedAt: draft.now,
      version: ticket.version + 1,
    };
    this.#tickets.set(ticket.id, next);
    if (statusChanged) {
      this.#activity.push({
        id: newId('act'),
        accountId: ticket.accountId,
        type: 'ticket.status_changed',
        actor: clone(draft.actor),
        ticketId: ticket.id,
        contactId: null,
        data: { from: ticket.status, to: draft.status },
        createdAt: draft.now,
      });
    }
    return this.#materialize(next);
  }

  async getNotificationsSeenAt(contactId: string): Promise<string | null> {
    return this.#seenAt.get(contactId) ?? null;
  }

  async setNotificationsSeenAt(contactId: string, at: string): Promise<void> {
    this.#seenAt.set(contactId, at);
  }

  /** Entries the search may see, unsorted (the reference of the SQL stores' query). */
  #visibleActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Activity[] {
    const { scope, accountIds, filter: f } = search;
    return this.#activity.filter((a) => {
      if (!accountIds.includes(a.accountId)) return false;
      const ticket = a.ticketId ? this.#tickets.get(a.ticketId) : undefined;
      if (a.ticketId && (!ticket || !inScope(scope, { ...ticket, requesterId: ticket.requester.id }))) return false;
      if (f.types && !f.types.includes(a.type)) return false;
      if (f.ticketId !== undefined && a.ticketId !== f.ticketId) return false;
      if (f.contactId !== undefined && a.contactId !== f.contactId && !(a.actor.kind === 'contact' && a.actor.id === f.contactId)) return false;
      if (f.involvingContactId !== undefined) {
        if (!ticket || (ticket.requester.id !== f.involvingContactId && !ticket.followerIds.includes(f.involvingContactId))) return false;
      }
      if (f.excludeActorId !== undefined && a.actor.id === f.excludeActorId) return false;
      if (f.from !== undefined && a.createdAt < f.from) return false;
      if (f.to !== undefined && a.createdAt >= f.to) return false;
      return true;
    });
  }

  async claimIdempotencyKey(claim: IdempotencyClaim): Promise<IdempotencyState> {
    const key = idemKey(claim);
    const now = Date.parse(claim.now);
    const existing = this.#idempotency.get(key);
    if (existing) {
      const age = now - Date.parse(existing.createdAt);
      const expired = existing.status === null ? age > IDEMPOTENCY_PENDING_TTL_MS : age > IDEMPOTENCY_TTL_MS;
      if (!expired) {
        return existing.status === null
          ? { state: 'pending', fingerprint: existing.fingerprint }
          : { state: 'completed', fingerprint: existing.fingerprint, status: existing.status, body: clone(existing.body) };
      }
    }
    this.#idempotency.set(key, { fingerprint: claim.fingerprint, createdAt: claim.now, status: null, body: null });
    return { state: 'claimed' };
  }

  async releaseIdempotencyKey(ref: IdempotencyRef): Promise<void> {
    const record = this.#idempotency.get(idemKey(ref));
    if (record && record.status === null) this.#idempotency.delete(idemKey(ref));
  }

  async load(data: SeedData): Promise<void> {
    for (const a of data.accounts) this.#accounts.set(a.id, clone(a));
    for (const c of data.contacts) this.#contacts.set(c.id, clone(c));
    for (const t of data.tickets) {
      this.#tickets.set(t.id, { ...clone(t), followerIds: [...t.followerIds].sort() });
      if (!this.#comments.has(t.id)) this.#comments.set(t.id, []);
      const n = Number(/^T-(\d+)$/.exec(t.ref)?.[1]);
      if (n >= this.#nextNumber) this.#nextNumber = n + 1;
    }
    for (const c of data.comments) (this.#comments.get(c.ticketId) ?? []).push(clone(c));
    for (const a of data.activity) this.#activity.push(clone(a));
  }

  async isEmpty(): Promise<boolean> {
    return this.#accounts.size === 0;
  }

  async close(): Promise<void> {}

  /** A copy of a ticket with the requester as the contact is now (like the SQL stores' join). */
  #materialize(ticket: Ticket): Ticket {
    const copy = clone(ticket);
    const requester = this.#contacts.get(ticket.requester.id);
    if (requester) copy.requester = { id: requester.id, name: requester.name, email: requester.email };
    return copy;
  }

  /** Stores the created entity as the response of a claimed idempotency key. */
  #complete(options: WriteOptions, body: unknown): void {
    if (!options.idempotency) return;
    const record = this.#idempotency.get(idemKey(options.idempotency));
    if (record) {
      record.status = 201;
      record.body = clone(body);
    }
  }
}
