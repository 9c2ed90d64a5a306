import {
  inScope,
  type Account,
  type Activity,
  type Comment,
  type Contact,
  type OutboxEvent,
  type Page,
  type Ticket,
  type ActorRef,
  type Escalation,
  type SavedView,
  type TicketScope,
  type Article,
  type Attachment,
  type WebhookDelivery,
  UNSOLVED_STATUSES,
} from '@portico/core';
import { isCappedCount } from './count-plan.ts';
import { encodeCursor } from './cursor.ts';
import { completeAccount, contactCreatedEntries, planProvisioning, planRolePut } from './provisioning-plans.ts';
import { isUnsolved, planContactChange, planInvitation, planInvitationChange } from './contact-plans.ts';
import { commentEvent, deflectionEvent, endpointDisabledEvent, outboxEventOf, type OutboxDraft } from './outbox.ts';
import { bm25Rank, searchTerms } from './text-search.ts';
import { SIMILAR_PER_TERM, holdsTerm, rankSimilar, similarTermWeight, similarTerms, termHits, updateSecond } from './similar-tickets.ts';
import { validateSeed } from './seed-validation.ts';
import {
  AppendListeners,
  FIRST_TICKET_NUMBER,
  attemptedDelivery,
  failureDisables,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  compareKeys,
  contactMatches,
  contactOrder,
  matchesWords,
  newId,
  searchWords,
  ticketKeyset,
  ticketRef,
  applyArticleChanges,
  articleMatches,
  deflectionActivity,
  type ArticleSearch,
  type ArticleUpdate,
  type ArticleUpdateResult,
  type AttachmentRecord,
  type CommentDraft,
  type ContactChange,
  type ContactChangeBase,
  type ActivitySearch,
  type SequencedActivity,
  type SlaMarkDraft,
  type StatusChangeDraft,
  type TicketSlaHistory,
  type ContactPatch,
  type ContactSearch,
  type ContactSlice,
  type ContactWriteResult,
  type InvitationDraft,
  type OutboxRead,
  type EscalationDraft,
  type EscalationOutcome,
  type SatisfactionDraft,
  type SatisfactionOutcome,
  type TicketUpdate,
  type TicketUpdateResult,
  type Deflection,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type SeedData,
  type SlaCheck,
  type SeekPage,
  type SimilarSearch,
  type Store,
  type TicketDraft,
  type TicketFilter,
  type TicketSearch,
  type WriteOptions,
  deliveryMayGo,
  endpointFromDraft,
  endpointWithSecret,
  type ClaimedDelivery,
  type SequencedDelivery,
  type WebhookAttemptResult,
  type WebhookClaim,
  type WebhookDeliveryRead,
  type WebhookEndpointDraft,
  type WebhookEndpointPatch,
  type WebhookEndpointRecord,
  type AccountSearch,
  type CustomRole,
  type ProvisioningBatch,
  type ProvisioningResult,
  type RoleDraft,
  type AgentReplyDraft,
  type MergeDraft,
  type MergeOutcome,
  type ServiceTicketSearch,
} from './store.ts';
import { mergedFollowers, mergeRefusal } from './merge.ts';
import * as plans from './ticket-plans.ts';

interface IdempotencyRecord {
  fingerprint: string;
  createdAt: string;
  status: number | null;
  body: unknown;
}

const clone = <T>(value: T): T => structuredClone(value);
/** A stored copy of a contact: `version` 1 unless given, no list-only fields. */
const withVersion = (c: Contact): Contact => {
  const { openTicketCount: _count, ...rest } = clone(c);
  return { ...rest, version: c.version ?? 1 };
};
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

/** Whether a ticket passes every filter except the text one. */
function matchesFields(ticket: Ticket, f: TicketFilter): boolean {
  if (f.accountIds && !f.accountIds.includes(ticket.accountId)) return false;
  if (f.statuses && !f.statuses.includes(ticket.status)) return false;
  if (f.priorities && !f.priorities.includes(ticket.priority)) return false;
  if (f.categories && !f.categories.includes(ticket.category)) return false;
  if (f.requesterIds && !f.requesterIds.includes(ticket.requester.id)) return false;
  if (f.followerId !== undefined && !ticket.followerIds.includes(f.followerId)) return false;
  if (f.assignees && !f.assignees.includes(ticket.assignee)) return false;
  if (f.updatedSince !== undefined && ticket.updatedAt < f.updatedSince) return false;
  return true;
}

/** An endpoint with the outbox position up to which its deliveries were made. */
type StoredEndpoint = WebhookEndpointRecord & { cursor: number };
/** A delivery with its log position, its event's outbox sequence and its claim. */
interface StoredDelivery {
  seq: number;
  sequence: number;
  delivery: WebhookDelivery;
  leaseOwner: string | null;
  leaseUntil: string | null;
}
const orderFacts = (d: StoredDelivery) => ({
  endpointId: d.delivery.endpointId,
  ticketId: d.delivery.ticketId,
  sequence: d.sequence,
  status: d.delivery.status,
});
const endpointRecord = ({ cursor: _cursor, ...record }: StoredEndpoint): WebhookEndpointRecord => clone(record);

const seenKey = (ticketId: string, contactId: string) => `${contactId}\u0000${ticketId}`;

/**
 * Everything in plain maps: the browser mocks, unit tests, and the oracle the SQL
 * stores are checked against. Returns copies, so callers cannot change its state.
 */
export class MemoryStore implements Store {
  readonly #accounts = new Map<string, Account>();
  readonly #contacts = new Map<string, Contact>();
  readonly #tickets = new Map<string, Ticket>();
  readonly #comments = new Map<string, Comment[]>();
  /** Internal notes by ticket: kept apart from `#comments`, so no customer read can reach them. */
  readonly #notes = new Map<string, Comment[]>();
  readonly #activity: Activity[] = [];
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #outbox: OutboxEvent[] = [];
  readonly #escalations: Escalation[] = [];
  readonly #seen = new Map<string, string>();
  readonly #views = new Map<string, SavedView>();
  /** Search words of each ticket (ref, subject, description, comments), built on first search. */
  readonly #words = new Map<string, Set<string>>();
  readonly #attachments = new Map<string, AttachmentRecord>();
  readonly #articles = new Map<string, Article>();
  readonly #deflections: Deflection[] = [];
  readonly #slaMarks = new Set<string>();
  /** Next SLA check per ticket, valid while the ticket's and its account's versions are these. */
  readonly #slaChecks = new Map<string, { at: string; version: number; accountVersion: number | undefined }>();
  readonly #seenAt = new Map<string, string>();
  readonly #roles = new Map<string, CustomRole>();
  #nextNumber = FIRST_TICKET_NUMBER;
  readonly #outboxListeners = new Set<() => void>();
  #notifyQueued = false;
  readonly #endpoints = new Map<string, StoredEndpoint>();
  readonly #deliveries: StoredDelivery[] = [];
  readonly #appendListeners = new AppendListeners();
  #appendPending = false;

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
    const found = this.#byEmail(accountId, email);
    return found && clone(found);
  }

  async createContact(contact: Contact): Promise<Contact> {
    if (this.#contacts.has(contact.id)) throw new Error(`Contact ${contact.id} exists`);
    if (await this.findContactByEmail(contact.accountId, contact.email)) throw new Error(`Contact ${contact.email} exists`);
    if (!this.#accounts.has(contact.accountId)) throw new Error(`No account ${contact.accountId}`);
    const stored = withVersion(contact);
    this.#contacts.set(contact.id, stored);
    return clone(stored);
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined> {
    const contact = this.#contacts.get(id);
    if (!contact) return undefined;
    const next: Contact = { ...contact };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.role !== undefined) next.role = patch.role;
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.lastSeenAt !== undefined) next.lastSeenAt = patch.lastSeenAt;
    if (next.name !== contact.name || next.role !== contact.role || next.status !== contact.status) next.version = (contact.version ?? 1) + 1;
    this.#contacts.set(id, next);
    return clone(next);
  }

  async listContacts(search: ContactSearch): Promise<ContactSlice> {
    const all = [...this.#contacts.values()]
      .filter((c) => contactMatches(c, search))
      .map((c) => ({ ...clone(c), openTicketCount: this.#openTicketCount(c.id) }))
      .sort(contactOrder(search.sort, search.dir));
    return { items: all.slice(search.offset, search.offset + search.limit), more: all.length > search.offset + search.limit };
  }

  async countActiveAdmins(accountId: string): Promise<number> {
    return this.#activeAdmins(accountId);
  }

  async inviteContact(draft: InvitationDraft, options: WriteOptions = {}): Promise<ContactWriteResult> {
    // No await between reading and writing: concurrent calls cannot interleave (like a transaction).
    const existing = this.#byEmail(draft.accountId, draft.email);
    const result = planInvitation(draft, this.#accounts.get(draft.accountId), existing && clone(existing));
    if (!result.ok) return result;
    const { contact, activity, outbox } = result.plan;
    this.#contacts.set(contact.id, clone(contact));
    this.#record(activity, outbox);
    const created = { ...clone(contact), openTicketCount: 0 };
    this.#complete(options, created);
    return { ok: true, contact: created, transferred: [] };
  }

  async resendInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    const contact = this.#contacts.get(change.contactId);
    const result = planInvitationChange('resend', change, contact && clone(contact), contact && this.#accounts.get(contact.accountId));
    if (!result.ok) return result;
    this.#record(result.plan.activity, result.plan.outbox);
    return { ok: true, contact: { ...clone(result.plan.contact), openTicketCount: this.#openTicketCount(change.contactId) }, transferred: [] };
  }

  async revokeInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    const contact = this.#contacts.get(change.contactId);
    const result = planInvitationChange('revoke', change, contact && clone(contact), contact && this.#accounts.get(contact.accountId));
    if (!result.ok) return result;
    const id = change.contactId;
    if ([...this.#tickets.values()].some((t) => t.requester.id === id)) {
      // Someone filed a ticket on the invitee's behalf: keep the person, without access.
      const kept: Contact = { ...contact!, status: 'deactivated', version: (contact!.version ?? 1) + 1 };
      this.#contacts.set(id, kept);
      this.#record(result.plan.activity, result.plan.outbox);
      return { ok: true, contact: { ...clone(kept), openTicketCount: this.#openTicketCount(id) }, transferred: [] };
    }
    this.#contacts.delete(id);
    for (const [ticketId, t] of this.#tickets) {
      if (t.followerIds.includes(id)) this.#tickets.set(ticketId, { ...t, followerIds: t.followerIds.filter((f) => f !== id) });
    }
    for (const a of this.#activity) if (a.contactId === id) a.contactId = null;
    this.#record(result.plan.activity, result.plan.outbox);
    return { ok: true, contact: clone(result.plan.contact), transferred: [] };
  }

  async changeContact(change: ContactChange): Promise<ContactWriteResult> {
    const contact = this.#contacts.get(change.contactId);
    const target = change.transferTo !== undefined ? this.#contacts.get(change.transferTo) : undefined;
    const result = planContactChange(change, {
      contact: contact && clone(contact),
      account: contact && this.#accounts.get(contact.accountId),
      target: target && clone(target),
      activeAdmins: contact ? this.#activeAdmins(contact.accountId) : 0,
      openTickets: change.transferTo !== undefined && contact ? this.#openTicketsOf(contact.id) : [],
    });
    if (!result.ok) return result;
    const { plan } = result;
    this.#contacts.set(plan.contact.id, clone(plan.contact));
    for (const ticketId of plan.transferTicketIds) {
      const t = this.#tickets.get(ticketId)!;
      const to = plan.transferTo!;
      this.#tickets.set(ticketId, { ...t, requester: { id: to.id, name: to.name, email: to.email }, updatedAt: change.now, version: t.version + 1 });
    }
    this.#record(plan.activity, plan.outbox);
    return {
      ok: true,
      contact: { ...clone(plan.contact), openTicketCount: this.#openTicketCount(plan.contact.id) },
      transferred: plan.transferTicketIds.map((id) => this.#materialize(this.#tickets.get(id)!)),
    };
  }

  async listOutbox(read: OutboxRead): Promise<OutboxEvent[]> {
    return this.#outbox
      .filter((e) => e.sequence > read.after && (!read.types || read.types.includes(e.type)))
      .slice(0, read.limit)
      .map(clone);
  }

  #byEmail(accountId: string, email: string): Contact | undefined {
    const wanted = lower(email);
    for (const c of this.#contacts.values()) if (c.accountId === accountId && lower(c.email) === wanted) return c;
    return undefined;
  }

  #activeAdmins(accountId: string): number {
    let n = 0;
    for (const c of this.#contacts.values()) if (c.accountId === accountId && c.role === 'admin' && c.status === 'active') n++;
    return n;
  }

  #openTicketsOf(contactId: string): Ticket[] {
    return [...this.#tickets.values()]
      .filter((t) => t.requester.id === contactId && isUnsolved(t.status))
      .sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]));
  }

  #openTicketCount(contactId: string): number {
    let n = 0;
    for (const t of this.#tickets.values()) if (t.requester.id === contactId && isUnsolved(t.status)) n++;
    return n;
  }

  #record(activity: readonly Activity[], outbox: readonly OutboxDraft[]): void {
    for (const a of activity) this.#append(clone(a));
    for (const e of outbox) this.#pushOutbox(e);
  }

  /** Appends an activity entry and, in the same step, its outbox event (see outbox.ts). */
  #append(activity: Activity): void {
    this.#activity.push(activity);
    const ticket = activity.ticketId ? this.#tickets.get(activity.ticketId) : undefined;
    const event = outboxEventOf(activity, ticket && this.#materialize(ticket));
    if (event) this.#pushOutbox(event);
    // Live listeners run after the current write finished, like after a SQL commit.
    if (this.#appendPending) return;
    this.#appendPending = true;
    queueMicrotask(() => {
      this.#appendPending = false;
      this.#appendListeners.notify();
    });
  }

  #pushOutbox(draft: OutboxDraft): void {
    const { id, ...rest } = clone(draft);
    this.#outbox.push({ id, sequence: this.#outbox.length + 1, ...rest });
    // Listeners run after the current write finished, like after a SQL commit.
    if (!this.#notifyQueued) {
      this.#notifyQueued = true;
      queueMicrotask(() => {
        this.#notifyQueued = false;
        for (const listener of this.#outboxListeners) listener();
      });
    }
  }

  async searchTickets(search: TicketSearch): Promise<Page<Ticket>> {
    return this.#page(this.#select(search.scope, search.filter), search);
  }

  /** Sorts and pages the tickets a search selected, by its keyset. */
  #page(selected: Ticket[], search: ServiceTicketSearch): Page<Ticket> {
    const { sort, after, limit } = search;
    const rows = selected
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

  async countTickets(scope: TicketScope, filter: TicketFilter): Promise<number> {
    return this.#select(scope, filter).length;
  }

  async countTicketsEach(scope: TicketScope, filters: readonly TicketFilter[], cap?: number): Promise<number[]> {
    return filters.map((filter) => {
      if (!isCappedCount(filter, cap)) return this.#select(scope, filter).length;
      let n = 0;
      for (const t of this.#tickets.values()) if (this.#selects(scope, filter, t) && ++n > cap) break;
      return n;
    });
  }

  #select(scope: TicketScope, filter: TicketFilter): Ticket[] {
    return [...this.#tickets.values()].filter((t) => this.#selects(scope, filter, t));
  }

  #selects(scope: TicketScope, filter: TicketFilter, t: Ticket): boolean {
    return inScope(scope, { ...t, requesterId: t.requester.id }) && matchesFields(t, filter) && this.#matchesText(t, filter);
  }

  #matchesText(ticket: Ticket, filter: TicketFilter): boolean {
    const query = filter.text ? searchWords(filter.text) : [];
    return query.length === 0 || matchesWords(query, this.#wordsOf(ticket));
  }

  #wordsOf(ticket: Ticket): Set<string> {
    let words = this.#words.get(ticket.id);
    if (!words) {
      words = new Set(searchWords(`${ticket.ref} ${ticket.subject} ${ticket.description}`));
      for (const c of this.#comments.get(ticket.id) ?? []) for (const w of searchWords(c.body)) words.add(w);
      this.#words.set(ticket.id, words);
    }
    return words;
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
    plans.checkAttachments(attachments, draft.actor.id, draft.accountId, 'by the actor');
    const number = this.#nextNumber++;
    const ticket: Ticket = {
      ...plans.openedTicket(newId('tkt'), draft),
      ref: ticketRef(number),
      requester: { id: requester.id, name: requester.name, email: requester.email },
      followerIds,
    };
    this.#tickets.set(ticket.id, ticket);
    for (const a of attachments) a!.ticketId = ticket.id;
    this.#comments.set(ticket.id, []);
    this.#log(plans.createdEntry(ticket, draft.actor, draft.now));
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
    return this.#appendComment(ticket, draft, options);
  }

  #appendComment(ticket: Ticket, draft: CommentDraft, options: WriteOptions): { comment: Comment; ticket: Ticket } {
    const comment: Comment = { id: newId('cmt'), ticketId: ticket.id, author: clone(draft.author), body: draft.body, createdAt: draft.now };
    const next: Ticket = { ...ticket, updatedAt: draft.now, version: ticket.version + 1, commentCount: ticket.commentCount + 1 };
    this.#tickets.set(ticket.id, next);
    this.#comments.get(ticket.id)!.push(comment);
    this.#words.delete(ticket.id);
    this.#log(plans.commentedEntry(ticket.accountId, comment));
    this.#pushOutbox(commentEvent(clone(comment), this.#materialize(next)));
    this.#complete(options, comment);
    return { comment: clone(comment), ticket: this.#materialize(next) };
  }

  async updateTicket(update: TicketUpdate): Promise<TicketUpdateResult> {
    const ticket = this.#tickets.get(update.ticketId);
    if (!ticket) return { state: 'missing' };
    if (update.expectedVersion !== undefined && update.expectedVersion !== ticket.version) {
      return { state: 'stale', ticket: this.#materialize(ticket) };
    }
    const plan = plans.planTicketUpdate(ticket, update);
    if (!plan) return { state: 'updated', ticket: this.#materialize(ticket) };
    if (plan.resolvesEscalations) {
      for (const e of this.#escalations) if (e.ticketId === ticket.id && e.resolvedAt === null) e.resolvedAt = update.now;
    }
    this.#tickets.set(ticket.id, plan.next);
    for (const entry of plan.entries) this.#log(entry);
    return { state: 'updated', ticket: this.#materialize(plan.next) };
  }

  async escalateTicket(draft: EscalationDraft, options: WriteOptions = {}): Promise<EscalationOutcome> {
    const ticket = this.#tickets.get(draft.ticketId);
    if (!ticket) return { state: 'missing' };
    if (ticket.escalated) return { state: 'already_open', ticket: this.#materialize(ticket) };
    const escalation = clone(plans.newEscalation(ticket, draft));
    const next: Ticket = { ...ticket, priority: escalation.priorityTo, escalated: true, version: ticket.version + 1, updatedAt: draft.now };
    this.#tickets.set(ticket.id, next);
    this.#escalations.push(escalation);
    this.#log(plans.escalatedEntry(ticket, escalation));
    const result = { escalation: clone(escalation), ticket: this.#materialize(next) };
    this.#complete(options, result);
    return { state: 'created', ...result };
  }

  async rateTicket(draft: SatisfactionDraft, options: WriteOptions = {}): Promise<SatisfactionOutcome> {
    const ticket = this.#tickets.get(draft.ticketId);
    if (!ticket) return { state: 'missing' };
    if (ticket.satisfaction) return { state: 'already_rated', ticket: this.#materialize(ticket) };
    const satisfaction = { rating: draft.rating, comment: draft.comment, ratedAt: draft.now };
    const next: Ticket = { ...ticket, satisfaction, version: ticket.version + 1 };
    this.#tickets.set(ticket.id, next);
    this.#log(plans.ratedEntry(ticket, draft));
    const result = { satisfaction: clone(satisfaction), ticket: this.#materialize(next) };
    this.#complete(options, result);
    return { state: 'created', ...result };
  }

  async setFollowing(ticketId: string, contactId: string, follow: boolean, now: string): Promise<Ticket | undefined> {
    const ticket = this.#tickets.get(ticketId);
    if (!ticket) return undefined;
    const contact = this.#contacts.get(contactId);
    if (!contact) throw new Error(`No contact ${contactId}`);
    if (ticket.followerIds.includes(contactId) === follow) return this.#materialize(ticket);
    const followerIds = follow ? [...ticket.followerIds, contactId].sort() : ticket.followerIds.filter((id) => id !== contactId);
    const next: Ticket = { ...ticket, followerIds, version: ticket.version + 1 };
    this.#tickets.set(ticket.id, next);
    this.#log(plans.followEntry(ticket, contact, follow, now));
    if (follow) await this.markTicketSeen(ticketId, contactId, now);
    return this.#materialize(next);
  }

  async markTicketSeen(ticketId: string, contactId: string, at: string): Promise<void> {
    const key = seenKey(ticketId, contactId);
    const current = this.#seen.get(key);
    if (!current || current < at) this.#seen.set(key, at);
  }

  async ticketsSeenAt(contactId: string, ticketIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ticketIds) {
      const at = this.#seen.get(seenKey(id, contactId));
      if (at) out.set(id, at);
    }
    return out;
  }

  async listSavedViews(accountId: string, contactId: string): Promise<SavedView[]> {
    return [...this.#views.values()]
      .filter((v) => v.accountId === accountId && (v.shared || v.ownerId === contactId))
      .sort((a, b) => compareKeys([a.name, a.id], [b.name, b.id]))
      .map((v) => this.#viewWithOwner(v));
  }

  async getSavedView(id: string): Promise<SavedView | undefined> {
    const view = this.#views.get(id);
    return view && this.#viewWithOwner(view);
  }

  async createSavedView(view: SavedView, options: WriteOptions = {}): Promise<SavedView> {
    if (this.#views.has(view.id)) throw new Error(`View ${view.id} exists`);
    const owner = this.#contacts.get(view.ownerId);
    if (!owner || owner.accountId !== view.accountId) throw new Error('The owner is not a contact of the account');
    this.#views.set(view.id, clone(view));
    const created = this.#viewWithOwner(view);
    if (view.shared) this.#log(plans.viewEntry('view.shared', view, { kind: 'contact', id: owner.id, name: owner.name }, view.createdAt));
    this.#complete(options, created);
    return created;
  }

  async deleteSavedView(id: string, actor: ActorRef, now: string): Promise<boolean> {
    const view = this.#views.get(id);
    if (!view) return false;
    this.#views.delete(id);
    if (view.shared) this.#log(plans.viewEntry('view.deleted', view, actor, now));
    return true;
  }

  #viewWithOwner(view: SavedView): SavedView {
    const copy = clone(view);
    const owner = this.#contacts.get(view.ownerId);
    if (owner) copy.ownerName = owner.name;
    return copy;
  }

  /** Appends a copy of `entry`: the log holds no object the caller (or a draft) still holds. */
  #log(entry: Activity): void {
    this.#append(clone(entry));
  }

  async findSimilarTickets(search: SimilarSearch): Promise<Ticket[]> {
    const terms = similarTerms(search.text);
    if (terms.terms.length === 0) return [];
    // Newest first, as every term's window is read (see similar-tickets.ts).
    const inAccounts = [...this.#tickets.values()]
      .filter((t) => search.accountIds.includes(t.accountId))
      .sort((a, b) => compareKeys([b.updatedAt, b.id], [a.updatedAt, a.id]));
    const candidates = new Set<Ticket>();
    const weights = terms.terms.map((_, i) => {
      const holding = inAccounts.filter((t) => holdsTerm(this.#wordsOf(t), terms, i));
      const last = holding[SIMILAR_PER_TERM - 1];
      const from = last ? updateSecond(last.updatedAt) : -Infinity;
      for (const t of holding) if (updateSecond(t.updatedAt) >= from) candidates.add(t);
      return similarTermWeight(inAccounts.length, holding.length);
    });
    const offered = [...candidates].filter((t) => search.statuses.includes(t.status) && inScope(search.scope, { ...t, requesterId: t.requester.id }));
    const ids = rankSimilar(
      offered.map((t) => ({ id: t.id, updatedAt: t.updatedAt, hits: termHits(t.ref, t.subject, this.#wordsOf(t), terms) })),
      weights,
      search.limit,
    );
    return ids.map((id) => this.#materialize(this.#tickets.get(id)!));
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
      // Rank over every article, as FTS5 takes its statistics from the whole table; filter afterwards.
      const ranks = bm25Rank(
        all.map((a) => ({ docId: a.id, columns: [a.title, `${a.summary}\n\n${a.body}`] })),
        searchTerms(search.text),
        [3, 1],
      );
      const items = [...ranks]
        .filter(([id]) => articleMatches(this.#articles.get(id)!, search))
        .sort(([idA, a], [idB, b]) => a - b || compareKeys([idA], [idB]))
        .slice(0, search.limit)
        .map(([id]) => clone(this.#articles.get(id)!));
      return { items, nextCursor: null };
    }
    const sorted = all
      .filter((a) => articleMatches(a, search) && (!search.after || compareKeys([a.updatedAt, a.id], search.after) < 0))
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
    const article = this.#articles.get(deflection.articleId);
    const contact = this.#contacts.get(deflection.contactId);
    if (!article) throw new Error(`No article ${deflection.articleId}`);
    if (!contact || contact.accountId !== deflection.accountId) throw new Error('The contact is not a contact of the account');
    this.#deflections.push(clone(deflection));
    this.#record([deflectionActivity(deflection, article, contact)], []);
    this.#pushOutbox(deflectionEvent(deflection, this.#articles.get(deflection.articleId)));
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

  async listActivitySince(accountIds: readonly string[] | 'all', afterSeq: number, limit: number): Promise<SequencedActivity[]> {
    const out: SequencedActivity[] = [];
    // The array index is the append order: seq = index + 1.
    for (let i = Math.max(0, afterSeq); i < this.#activity.length && out.length < limit; i++) {
      const activity = this.#activity[i]!;
      if (accountIds === 'all' || accountIds.includes(activity.accountId)) out.push({ seq: i + 1, activity: clone(activity) });
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
    const activity = plans.slaMarkEntry(ticket, draft);
    this.#append(activity);
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
    if (statusChanged) this.#log(plans.statusChangedEntry(ticket, ticket.status, draft.status, draft.actor, draft.now));
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
    validateSeed(data);
    const loadedAt = new Date().toISOString();
    for (const a of data.accounts) this.#accounts.set(a.id, completeAccount(clone(a), loadedAt));
    for (const c of data.contacts) this.#contacts.set(c.id, withVersion(c));
    for (const t of data.tickets) {
      this.#tickets.set(t.id, { ...clone(t), followerIds: [...t.followerIds].sort() });
      if (!this.#comments.has(t.id)) this.#comments.set(t.id, []);
      const n = Number(/^T-(\d+)$/.exec(t.ref)?.[1]);
      if (n >= this.#nextNumber) this.#nextNumber = n + 1;
    }
    for (const c of data.comments) (this.#comments.get(c.ticketId) ?? []).push(clone(c));
    // Seed history: no outbox events and no live notice (nothing is listening yet).
    for (const a of data.activity) this.#activity.push(clone(a));
    for (const v of data.savedViews ?? []) this.#views.set(v.id, clone(v));
    this.#words.clear();
    for (const a of data.articles ?? []) this.#articles.set(a.id, clone(a));
  }

  async isEmpty(): Promise<boolean> {
    return this.#accounts.size === 0;
  }

  async close(): Promise<void> {}

  /** A copy of a ticket with the requester as the contact is now (like the SQL stores' join). */
  #materialize(ticket: Ticket): Ticket {
    const copy = clone(ticket);
    // Optional fields are absent rather than null, as the SQL stores return them.
    if (copy.slaDueAt == null) delete copy.slaDueAt;
    if (copy.satisfaction == null) delete copy.satisfaction;
    if (copy.mergedInto == null) delete copy.mergedInto;
    delete copy.unread;
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

  // --- knowledge-base authoring -------------------------------------------------
  async createArticle(article: Article, options: WriteOptions = {}): Promise<Article> {
    if (this.#articles.has(article.id)) throw new Error(`Article ${article.id} exists`);
    this.#articles.set(article.id, clone(article));
    this.#complete(options, article);
    return clone(article);
  }

  async updateArticle(update: ArticleUpdate): Promise<ArticleUpdateResult> {
    const article = this.#articles.get(update.id);
    if (!article) return { state: 'missing' };
    if (update.expectedVersion !== undefined && update.expectedVersion !== article.version) return { state: 'stale', article: clone(article) };
    const next = applyArticleChanges(article, update);
    this.#articles.set(article.id, clone(next));
    return { state: 'updated', article: clone(next) };
  }

  async deleteArticle(id: string): Promise<boolean> {
    return this.#articles.delete(id);
  }

  // --- events out: outbox notifications and webhook endpoints (hooks) ---------
  onOutbox(listener: () => void): () => void {
    this.#outboxListeners.add(listener);
    return () => this.#outboxListeners.delete(listener);
  }

  async createWebhookEndpoint(draft: WebhookEndpointDraft, options: WriteOptions = {}): Promise<WebhookEndpointRecord> {
    if (this.#endpoints.has(draft.id)) throw new Error(`Webhook endpoint ${draft.id} exists`);
    const stored: StoredEndpoint = { ...endpointFromDraft(draft), cursor: this.#outbox.length };
    this.#endpoints.set(stored.id, stored);
    this.#complete(options, endpointWithSecret(endpointRecord(stored)));
    return endpointRecord(stored);
  }

  async getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const stored = this.#endpoints.get(id);
    return stored && endpointRecord(stored);
  }

  async listWebhookEndpoints(after: readonly [string, string] | undefined, limit: number): Promise<WebhookEndpointRecord[]> {
    return [...this.#endpoints.values()]
      .filter((e) => !after || compareKeys([e.createdAt, e.id], after) > 0)
      .sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]))
      .slice(0, limit)
      .map(endpointRecord);
  }

  async updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord | undefined> {
    const current = this.#endpoints.get(id);
    if (!current) return undefined;
    const next: StoredEndpoint = { ...current, updatedAt: patch.now };
    if (patch.url !== undefined) next.url = patch.url;
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.eventTypes !== undefined) next.eventTypes = patch.eventTypes ? [...patch.eventTypes] : null;
    if (patch.enabled === false && current.enabled) Object.assign(next, { enabled: false, disabledReason: 'manual' });
    if (patch.enabled === true && !current.enabled)
      Object.assign(next, { enabled: true, disabledReason: null, failingSince: null, cursor: this.#outbox.length });
    if (patch.rotate) {
      Object.assign(next, { secret: patch.rotate.secret, previousSecret: current.secret, previousSecretExpiresAt: patch.rotate.previousSecretExpiresAt });
    }
    this.#endpoints.set(id, next);
    return endpointRecord(next);
  }

  async deleteWebhookEndpoint(id: string): Promise<boolean> {
    if (!this.#endpoints.delete(id)) return false;
    for (let i = this.#deliveries.length - 1; i >= 0; i--) if (this.#deliveries[i]!.delivery.endpointId === id) this.#deliveries.splice(i, 1);
    return true;
  }

  async enqueueWebhookDeliveries(now: string, limit: number): Promise<number> {
    let made = 0;
    for (const endpoint of this.#endpoints.values()) {
      if (!endpoint.enabled) continue;
      const events = this.#outbox.slice(endpoint.cursor, endpoint.cursor + limit);
      for (const event of events) {
        if (endpoint.eventTypes && !endpoint.eventTypes.includes(event.type)) continue;
        this.#addDelivery(endpoint.id, event.sequence, now);
        made++;
      }
      endpoint.cursor += events.length;
    }
    return made;
  }

  #addDelivery(endpointId: string, sequence: number, now: string): StoredDelivery {
    const event = this.#outbox[sequence - 1]!;
    const stored: StoredDelivery = {
      seq: (this.#deliveries.at(-1)?.seq ?? 0) + 1,
      sequence,
      leaseOwner: null,
      leaseUntil: null,
      delivery: {
        id: newId('dlv'),
        endpointId,
        eventId: event.id,
        eventType: event.type,
        ticketId: event.ticketId,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastAttemptAt: null,
        lastResponseStatus: null,
        lastError: null,
        lastDurationMs: null,
        createdAt: now,
        deliveredAt: null,
      },
    };
    this.#deliveries.push(stored);
    return stored;
  }

  async claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]> {
    const facts = this.#deliveries.map(orderFacts);
    const due = this.#deliveries
      .filter(
        (d) =>
          d.delivery.status === 'pending' &&
          this.#endpoints.get(d.delivery.endpointId)?.enabled === true &&
          d.delivery.nextAttemptAt! <= claim.now &&
          (d.leaseUntil === null || d.leaseUntil <= claim.now) &&
          deliveryMayGo(orderFacts(d), facts),
      )
      .sort((a, b) => compareKeys([a.delivery.nextAttemptAt!, a.sequence, a.seq], [b.delivery.nextAttemptAt!, b.sequence, b.seq]))
      .slice(0, claim.limit);
    return due.map((d) => {
      d.leaseOwner = claim.owner;
      d.leaseUntil = claim.leaseUntil;
      return {
        delivery: clone(d.delivery),
        event: clone(this.#outbox[d.sequence - 1]!),
        endpoint: endpointRecord(this.#endpoints.get(d.delivery.endpointId)!),
      };
    });
  }

  async completeWebhookAttempt(result: WebhookAttemptResult): Promise<{ disabled: boolean }> {
    const stored = this.#deliveries.find((d) => d.delivery.id === result.deliveryId);
    if (!stored || stored.delivery.status !== 'pending' || stored.leaseOwner !== result.owner) return { disabled: false };
    const d = stored.delivery;
    Object.assign(d, { attempts: d.attempts + 1, ...attemptedDelivery(result) });
    stored.leaseOwner = stored.leaseUntil = null;
    const endpoint = this.#endpoints.get(d.endpointId);
    if (!endpoint) return { disabled: false };
    if (result.ok) {
      endpoint.failingSince = null;
      return { disabled: false };
    }
    endpoint.failingSince ??= result.at;
    if (!failureDisables(endpoint, result)) return { disabled: false };
    Object.assign(endpoint, { enabled: false, disabledReason: 'failing', updatedAt: result.at });
    this.#pushOutbox(endpointDisabledEvent(endpoint, result.at));
    return { disabled: true };
  }

  async listWebhookDeliveries(read: WebhookDeliveryRead): Promise<SequencedDelivery[]> {
    return this.#deliveries
      .filter(
        (d) =>
          d.delivery.endpointId === read.endpointId &&
          (!read.status || d.delivery.status === read.status) &&
          (read.before === undefined || d.seq < read.before),
      )
      .sort((a, b) => b.seq - a.seq)
      .slice(0, read.limit)
      .map((d) => ({ seq: d.seq, delivery: clone(d.delivery) }));
  }

  async redeliverWebhook(endpointId: string, deliveryId: string, now: string): Promise<WebhookDelivery | undefined> {
    const original = this.#deliveries.find((d) => d.delivery.id === deliveryId && d.delivery.endpointId === endpointId);
    return original && clone(this.#addDelivery(endpointId, original.sequence, now).delivery);
  }

  async pruneWebhookDeliveries(before: string): Promise<number> {
    const kept = this.#deliveries.filter((d) => d.delivery.status === 'pending' || d.delivery.createdAt >= before);
    const removed = this.#deliveries.length - kept.length;
    this.#deliveries.splice(0, this.#deliveries.length, ...kept);
    return removed;
  }

  // --- provisioning: accounts, contacts and roles from the vendor's service API ---------

  async provision(batch: ProvisioningBatch): Promise<ProvisioningResult> {
    // No await between planning and writing: concurrent batches cannot interleave.
    const { plan, ...result } = planProvisioning(batch, {
      account: (id) => this.#accounts.get(id),
      contactsWithEmail: (email) => [...this.#contacts.values()].filter((c) => lower(c.email) === email),
      roleExists: (name) => this.#roles.has(name),
    });
    if (!plan) return clone(result);
    for (const { account } of plan.accounts) this.#accounts.set(account.id, clone(account));
    for (const { contact } of plan.contacts) this.#contacts.set(contact.id, clone(contact));
    this.#record(plan.activity, plan.outbox);
    return clone(result);
  }

  async listAccounts(search: AccountSearch): Promise<Page<Account>> {
    const all = [...this.#accounts.values()]
      .filter(
        (a) =>
          (search.parentId === undefined || a.parentId === search.parentId) &&
          (search.status === undefined || a.status === search.status) &&
          (search.updatedSince === undefined || a.updatedAt >= search.updatedSince) &&
          (!search.after || compareKeys([a.updatedAt, a.id], search.after) > 0),
      )
      .sort((a, b) => compareKeys([a.updatedAt, a.id], [b.updatedAt, b.id]));
    const items = all.slice(0, search.limit);
    const last = items.at(-1);
    return { items: items.map(clone), nextCursor: all.length > search.limit && last ? encodeCursor('acc', [last.updatedAt, last.id]) : null };
  }

  async listAccountContacts(accountId: string, page: { after?: string | undefined; limit: number }): Promise<Page<Contact>> {
    const all = [...this.#contacts.values()]
      .filter((c) => c.accountId === accountId && (page.after === undefined || lower(c.email) > page.after))
      .sort((a, b) => compareKeys([lower(a.email)], [lower(b.email)]));
    const items = all.slice(0, page.limit);
    const last = items.at(-1);
    return { items: items.map(clone), nextCursor: all.length > page.limit && last ? encodeCursor('sc', [lower(last.email)]) : null };
  }

  async registerContact(contact: Contact): Promise<Contact | undefined> {
    const account = this.#accounts.get(contact.accountId);
    if (!account) throw new Error(`No account ${contact.accountId}`);
    if (this.#byEmail(contact.accountId, contact.email)) return undefined;
    const stored = withVersion(contact);
    this.#contacts.set(stored.id, stored);
    const entries = contactCreatedEntries(stored, account, { kind: 'contact', id: stored.id, name: stored.name }, stored.createdAt);
    this.#record(entries.activity, entries.outbox);
    return clone(stored);
  }

  async getRole(name: string): Promise<CustomRole | undefined> {
    const role = this.#roles.get(name);
    return role && clone(role);
  }

  async listRoles(): Promise<CustomRole[]> {
    return [...this.#roles.values()].sort((a, b) => compareKeys([a.name], [b.name])).map(clone);
  }

  async putRole(draft: RoleDraft): Promise<{ state: 'created' | 'updated' | 'unchanged'; role: CustomRole }> {
    const before = this.#roles.get(draft.name);
    const result = planRolePut(draft, before);
    if (result.state !== 'unchanged') this.#roles.set(draft.name, clone(result.role));
    return clone(result);
  }

  // --- live events: append notification ---------------------------------
  onAppend(listener: () => void): () => void {
    return this.#appendListeners.add(listener);
  }

  // --- agent API ---------------------------------------------------------------

  async searchServiceTickets(search: ServiceTicketSearch): Promise<Page<Ticket>> {
    const { filter } = search;
    return this.#page(
      [...this.#tickets.values()].filter((t) => matchesFields(t, filter) && this.#matchesText(t, filter)),
      search,
    );
  }

  async getTicketByRef(ref: string): Promise<Ticket | undefined> {
    const wanted = ref.toUpperCase();
    for (const t of this.#tickets.values()) if (t.ref.toUpperCase() === wanted) return this.#materialize(t);
    return undefined;
  }

  async addInternalNote(draft: CommentDraft, options: WriteOptions = {}): Promise<Comment> {
    if (!this.#tickets.has(draft.ticketId)) throw new Error(`No ticket ${draft.ticketId}`);
    const note: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: clone(draft.author), body: draft.body, createdAt: draft.now, internal: true };
    const notes = this.#notes.get(draft.ticketId) ?? [];
    notes.push(note);
    this.#notes.set(draft.ticketId, notes);
    // The vendor hears of notes (`ticket.internal_note_added`); customers never do.
    this.#pushOutbox(commentEvent(clone(note), this.#materialize(this.#tickets.get(draft.ticketId)!)));
    this.#complete(options, note);
    return clone(note);
  }

  async listAgentThread(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const all = [...(this.#comments.get(ticketId) ?? []).map((c) => ({ ...c, internal: false })), ...(this.#notes.get(ticketId) ?? [])]
      .filter((c) => !page.after || compareKeys([c.createdAt, c.id], page.after) > 0)
      .sort((a, b) => compareKeys([a.createdAt, a.id], [b.createdAt, b.id]));
    const items = all.slice(0, page.limit);
    const last = items.at(-1);
    return { items: items.map(clone), nextCursor: all.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null };
  }

  async createServiceAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    if (this.#attachments.has(record.id)) throw new Error(`Attachment ${record.id} exists`);
    if (!this.#accounts.has(record.accountId)) throw new Error(`No account ${record.accountId}`);
    this.#attachments.set(record.id, clone(record));
    const attachment = publicAttachment(record);
    this.#complete(options, attachment);
    return attachment;
  }

  async addAgentReply(draft: AgentReplyDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const ticket = this.#tickets.get(draft.ticketId);
    if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
    const files = draft.attachmentIds.map((id) => this.#attachments.get(id));
    plans.checkAttachments(files, draft.uploaderId, ticket.accountId, 'through the service API for this account');
    for (const a of files) a!.ticketId = ticket.id;
    return this.#appendComment(ticket, draft, options);
  }

  async mergeTickets(draft: MergeDraft): Promise<MergeOutcome> {
    const source = this.#tickets.get(draft.sourceId);
    const target = this.#tickets.get(draft.targetId);
    if (!source || !target) return { state: 'missing' };
    const refusal = mergeRefusal(source, target, draft);
    if (refusal) return refusal.state === 'invalid' ? refusal : { state: refusal.state, source: this.#materialize(source) };
    const sourceRef = { id: source.id, ref: source.ref };
    const targetRef = { id: target.id, ref: target.ref };
    const followers = mergedFollowers(source, target);
    const closed: Ticket = { ...source, status: 'closed', escalated: false, mergedInto: targetRef, version: source.version + 1, updatedAt: draft.now };
    const kept: Ticket = { ...target, followerIds: followers, version: target.version + 1, updatedAt: draft.now };
    this.#tickets.set(source.id, closed);
    this.#tickets.set(target.id, kept);
    for (const e of this.#escalations) if (e.ticketId === source.id && e.resolvedAt === null) e.resolvedAt = draft.now;
    if (source.status !== 'closed') this.#log(plans.statusChangedEntry(source, source.status, 'closed', draft.actor, draft.now));
    const data = { source: sourceRef, target: targetRef };
    this.#log(plans.ticketEntry(source, 'ticket.merged', draft.actor, data, draft.now));
    this.#log(plans.ticketEntry(target, 'ticket.merged', draft.actor, data, draft.now));
    return { state: 'merged', source: this.#materialize(closed), target: this.#materialize(kept) };
  }

  // --- SLA scheduling ---
  async listDueSlaTickets(dueBy: string, limit: number): Promise<Ticket[]> {
    const unsolved: readonly string[] = UNSOLVED_STATUSES;
    const checkAt = (t: Ticket) => {
      const check = this.#slaChecks.get(t.id);
      const current = check && check.version === t.version && check.accountVersion === this.#accounts.get(t.accountId)?.version;
      return current ? check.at : '';
    };
    return [...this.#tickets.values()]
      .filter((t) => unsolved.includes(t.status) && checkAt(t) <= dueBy)
      .map((t) => ({ t, at: checkAt(t) }))
      .sort((a, b) => compareKeys([a.at, a.t.id], [b.at, b.t.id]))
      .slice(0, limit)
      .map(({ t }) => this.#materialize(t));
  }

  async scheduleSlaChecks(checks: readonly SlaCheck[]): Promise<void> {
    for (const { ticketId, at } of checks) {
      const ticket = this.#tickets.get(ticketId);
      if (ticket) this.#slaChecks.set(ticketId, { at, version: ticket.version, accountVersion: this.#accounts.get(ticket.accountId)?.version });
    }
  }
}
