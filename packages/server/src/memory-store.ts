import { inScope, type Account, type Activity, type Article, type Attachment, type Comment, type Contact, type Page, type Ticket } from '@portico/core';
import { encodeCursor } from './cursor.ts';
import { bm25Rank, searchTerms, type TextRow } from './text-search.ts';
import {
  FIRST_TICKET_NUMBER,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  compareKeys,
  newId,
  ticketKeyset,
  ticketRef,
  type ArticleSearch,
  type AttachmentRecord,
  type CommentDraft,
  type ContactPatch,
  type Deflection,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type SeedData,
  type SeekPage,
  type SimilarSearch,
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
const publicAttachment = (a: AttachmentRecord): Attachment => ({
  id: a.id,
  name: a.name,
  contentType: a.contentType,
  size: a.size,
  ticketId: a.ticketId,
  createdAt: a.createdAt,
});
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
  readonly #attachments = new Map<string, AttachmentRecord>();
  readonly #articles = new Map<string, Article>();
  readonly #deflections: Deflection[] = [];
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
    const followerIds = [...new Set(draft.followerIds ?? [])].sort();
    for (const id of followerIds) {
      if (this.#contacts.get(id)?.accountId !== draft.accountId) throw new Error(`Follower ${id} is not a contact of the account`);
    }
    const attachments = (draft.attachmentIds ?? []).map((id) => this.#attachments.get(id));
    for (const a of attachments) {
      if (!a || a.ticketId !== null || a.uploaderId !== draft.actor.id || a.accountId !== draft.accountId) {
        throw new Error('An attachment is missing, already linked, or not uploaded by the actor');
      }
    }
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
      followerIds,
      assignee: null,
      escalated: false,
      commentCount: 0,
      createdAt: draft.now,
      updatedAt: draft.now,
      version: 1,
      ...(draft.businessImpact ? { businessImpact: draft.businessImpact } : {}),
    };
    this.#tickets.set(ticket.id, ticket);
    for (const a of attachments) a!.ticketId = ticket.id;
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

  async findSimilarTickets(search: SimilarSearch): Promise<Ticket[]> {
    const query = searchTerms(search.text);
    if (query.terms.length === 0) return [];
    // Rank over every row, as FTS5 takes its statistics from the whole table; filter afterwards.
    const rows: TextRow[] = [];
    for (const t of this.#tickets.values()) {
      rows.push({ docId: t.id, columns: [`${t.ref} ${t.subject}`, t.description] });
      for (const c of this.#comments.get(t.id) ?? []) rows.push({ docId: t.id, columns: ['', c.body] });
    }
    const ranks = bm25Rank(rows, query, [3, 1]);
    return [...ranks]
      .map(([id, rank]) => ({ t: this.#tickets.get(id)!, rank }))
      .filter(
        ({ t }) =>
          search.accountIds.includes(t.accountId) &&
          search.statuses.includes(t.status) &&
          inScope(search.scope, { ...t, requesterId: t.requester.id }),
      )
      .sort((a, b) => a.rank - b.rank || compareKeys([b.t.updatedAt, b.t.id], [a.t.updatedAt, a.t.id]))
      .slice(0, search.limit)
      .map(({ t }) => this.#materialize(t));
  }

  async setFollowing(ticketId: string, contactId: string, follow: boolean, _now: string): Promise<Ticket | undefined> {
    const ticket = this.#tickets.get(ticketId);
    if (!ticket) return undefined;
    const has = ticket.followerIds.includes(contactId);
    if (has !== follow) {
      const followerIds = follow ? [...ticket.followerIds, contactId].sort() : ticket.followerIds.filter((id) => id !== contactId);
      this.#tickets.set(ticketId, { ...ticket, followerIds, version: ticket.version + 1 });
    }
    return this.#materialize(this.#tickets.get(ticketId)!);
  }

  async createAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    if (this.#attachments.has(record.id)) throw new Error(`Attachment ${record.id} exists`);
    if (this.#contacts.get(record.uploaderId)?.accountId !== record.accountId) throw new Error('Uploader is not a contact of the account');
    this.#attachments.set(record.id, clone(record));
    const attachment = publicAttachment(record);
    this.#complete(options, attachment);
    return attachment;
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    const record = this.#attachments.get(id);
    return record && clone(record);
  }

  async listAttachments(ticketId: string): Promise<Attachment[]> {
    return [...this.#attachments.values()]
      .filter((a) => a.ticketId === ticketId)
      .sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]))
      .map(publicAttachment);
  }

  async searchArticles(search: ArticleSearch): Promise<Page<Article>> {
    const all = [...this.#articles.values()];
    if (search.text !== undefined) {
      const ranks = bm25Rank(
        all.map((a) => ({ docId: a.id, columns: [a.title, `${a.summary}\n\n${a.body}`] })),
        searchTerms(search.text),
        [3, 1],
      );
      const items = [...ranks]
        .sort(([idA, a], [idB, b]) => a - b || compareKeys([idA], [idB]))
        .slice(0, search.limit)
        .map(([id]) => clone(this.#articles.get(id)!));
      return { items, nextCursor: null };
    }
    const sorted = all
      .filter((a) => !search.after || compareKeys([a.updatedAt, a.id], search.after) < 0)
      .sort((a, b) => compareKeys([b.updatedAt, b.id], [a.updatedAt, a.id]));
    const items = sorted.slice(0, search.limit);
    const last = items.at(-1);
    return {
      items: items.map(clone),
      nextCursor: sorted.length > search.limit && last ? encodeCursor('ar', [last.updatedAt, last.id]) : null,
    };
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const article = this.#articles.get(id);
    return article && clone(article);
  }

  async recordDeflection(deflection: Deflection, options: WriteOptions = {}): Promise<Deflection> {
    if (!this.#articles.has(deflection.articleId)) throw new Error(`No article ${deflection.articleId}`);
    this.#deflections.push(clone(deflection));
    this.#complete(options, deflection);
    return clone(deflection);
  }

  async countDeflections(accountIds: readonly string[], since?: string): Promise<number> {
    return this.#deflections.filter((d) => accountIds.includes(d.accountId) && (since === undefined || d.createdAt >= since)).length;
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
    for (const a of data.articles ?? []) this.#articles.set(a.id, clone(a));
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
