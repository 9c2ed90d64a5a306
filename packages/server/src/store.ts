/**
 * The storage contract. Every store (memory, SQLite, PostgreSQL) implements
 * `Store` and passes the same conformance suite (test/store-conformance.ts).
 * Methods are async so network-backed stores fit; stores know nothing about HTTP,
 * tokens or roles beyond the `TicketScope` data the policy hands them.
 */
import { localeLanguage } from '@portico/core';
import type {
  Account,
  AccountTier,
  ArticleStatus,
  AccountSeed,
  AccountStatus,
  AccountSyncItem,
  ContactSyncItem,
  RoleDefinition,
  RoleRules,
  SyncItemResult,
  SyncOutcome,
  Activity,
  ActivityType,
  ActorRef,
  Article,
  Attachment,
  Comment,
  Contact,
  ContactSort,
  ContactStatus,
  OutboxEvent,
  OutboxEventType,
  Page,
  Role,
  RoleName,
  SortDirection,
  Escalation,
  Satisfaction,
  SatisfactionRating,
  SavedView,
  Ticket,
  TicketCategory,
  TicketPriority,
  TicketScope,
  TicketSort,
  TicketStatus,
  TicketVisibility,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
} from '@portico/core';

/** Filters of a ticket search; every present filter must hold (AND), values inside one are OR-ed. */
export interface TicketFilter {
  /** Only tickets of these accounts. */
  accountIds?: readonly string[] | undefined;
  statuses?: readonly TicketStatus[] | undefined;
  priorities?: readonly TicketPriority[] | undefined;
  categories?: readonly TicketCategory[] | undefined;
  requesterIds?: readonly string[] | undefined;
  /** Only tickets this contact follows. */
  followerId?: string | undefined;
  /** Only tickets assigned to one of these agent names; `null` in the list matches unassigned ones (agent API). */
  assignees?: readonly (string | null)[] | undefined;
  /** Only tickets with `updatedAt` at or after this ISO time (agent API). */
  updatedSince?: string | undefined;
  /**
   * Full-text search: every word of `text` (as `searchWords` splits it) must begin a word of
   * the ticket's ref, subject, description or one of its comments. Case and Latin diacritics
   * are ignored. Text without words matches everything. Each store searches its own way
   * (SQLite: the FTS5 `ticket_text` index; PostgreSQL: a tsvector), with these semantics.
   */
  text?: string | undefined;
}

/** The sort key values of the last ticket of the previous page (see `ticketKeyset`). */
export type TicketKeyset = readonly (string | number)[];

/** One ticket query: what the caller may see (`scope`, from core `ticketScope`) AND the filters. */
export interface TicketSearch {
  scope: TicketScope;
  filter: TicketFilter;
  sort: TicketSort;
  /** Continue after this keyset (decoded from the cursor by the caller). */
  after?: TicketKeyset | undefined;
  limit: number;
  /**
   * The contact whose seen markers a store may read in the same statement as the page
   * (`seenAtReadWith`), for the list's `unread`; stores that do not are asked `ticketsSeenAt`.
   */
  seenBy?: string | undefined;
}

/** A page of an oldest-first list, continuing after `[createdAt, id]`. */
export interface SeekPage {
  after?: readonly [string, string] | undefined;
  limit: number;
}

/** A new ticket; the store assigns `id`, `ref`, counters and version. */
export interface TicketDraft {
  accountId: string;
  requesterId: string;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  visibility: TicketVisibility;
  /** Written to the `ticket.created` activity; for attachments, the contact who uploaded them. */
  actor: ActorRef;
  /** ISO timestamp of the write. */
  now: string;
  /** Contacts who follow the ticket from the start (CC'd colleagues). */
  followerIds?: readonly string[] | undefined;
  /** Uploaded, not yet linked attachments of `actor` to link to the ticket. */
  attachmentIds?: readonly string[] | undefined;
  /** The business impact line of an urgent ticket. */
  businessImpact?: string | null | undefined;
}

/** An attachment as stored: the public metadata plus who uploaded it, in which account. */
export interface AttachmentRecord extends Attachment {
  accountId: string;
  uploaderId: string;
}

/** Possible duplicates: tickets in scope AND of these accounts and statuses, best text match first. */
export interface SimilarSearch {
  scope: TicketScope;
  accountIds: readonly string[];
  statuses: readonly TicketStatus[];
  /** What the user typed (see `similarTerms` in similar-tickets.ts). */
  text: string;
  limit: number;
}

/**
 * An article search: best matches of `text`, or (without text) all, newest first, keyset-paged.
 * Every present filter must hold (see `articleMatches`); text ranks over every article, as
 * FTS5 takes its statistics from the whole table, and filters after.
 */
export interface ArticleSearch {
  text?: string | undefined;
  /** Continue after `[updatedAt, id]` (only without `text`). */
  after?: readonly [string, string] | undefined;
  limit: number;
  /** Only articles in this state (customers: `published`). */
  status?: ArticleStatus | undefined;
  /** Only articles whose audience includes accounts of this tier. */
  tier?: AccountTier | undefined;
  /** Only articles of this language (lower-case primary subtag: `de` matches `de` and `de-CH`). */
  language?: string | undefined;
  /** Only articles of exactly this locale (case-insensitive). */
  locale?: string | undefined;
}

/** Whether an article passes a search's filters (the reference for SQL stores). */
export function articleMatches(a: Article, s: Omit<ArticleSearch, 'text' | 'after' | 'limit'>): boolean {
  if (s.status !== undefined && a.status !== s.status) return false;
  if (s.tier !== undefined && a.audience !== 'all' && !a.audience.tiers.includes(s.tier)) return false;
  if (s.language !== undefined && localeLanguage(a.locale) !== s.language) return false;
  if (s.locale !== undefined && a.locale.toLowerCase() !== s.locale.toLowerCase()) return false;
  return true;
}

/** A suggested article that answered a contact's question, so no ticket was filed. */
export interface Deflection {
  id: string;
  articleId: string;
  accountId: string;
  contactId: string;
  /** What the contact had typed when the article was suggested. */
  query: string | null;
  createdAt: string;
}

/** A new comment; the store assigns `id`, bumps the ticket and writes `ticket.commented`. */
export interface CommentDraft {
  ticketId: string;
  author: ActorRef;
  body: string;
  now: string;
}

/** Fields of a ticket that `updateTicket` can change. */
export interface TicketChanges {
  status?: TicketStatus | undefined;
  visibility?: TicketVisibility | undefined;
  priority?: TicketPriority | undefined;
  /** Agent API: writes `ticket.category_changed` `{ from, to }`. */
  category?: TicketCategory | undefined;
  /** Agent API: the assigned agent's display name (null unassigns); no activity of its own. */
  assignee?: string | null | undefined;
  /** The next SLA deadline (`Ticket.slaDueAt`); null when no clock runs. Written by the SLA feature. */
  slaDueAt?: string | null | undefined;
}

/**
 * One update of a ticket. The store writes it atomically with one activity row per changed
 * field (`ticket.status_changed`, `ticket.visibility_changed`, `ticket.priority_changed`,
 * `ticket.category_changed`, data `{ from, to }`; an assignee change writes none), bumps
 * `version` and, when `touch` (default), `updatedAt`. A status
 * of `solved` or `closed` also ends an open escalation (`escalated` becomes false).
 * Changing only `slaDueAt` bumps the version but writes no activity and never touches.
 */
export interface TicketUpdate {
  ticketId: string;
  changes: TicketChanges;
  /** Apply only if the ticket still has this version (`If-Match`); otherwise `stale`. */
  expectedVersion?: number | undefined;
  actor: ActorRef;
  now: string;
  /** Move `updatedAt` to `now` (default true). */
  touch?: boolean | undefined;
}

/** What `updateTicket` did. `updated` with an unchanged version means nothing changed. */
export type TicketUpdateResult = { state: 'updated'; ticket: Ticket } | { state: 'stale'; ticket: Ticket } | { state: 'missing' };

/** A new escalation. */
export interface EscalationDraft {
  ticketId: string;
  reason: string;
  actor: ActorRef;
  now: string;
}

/** What `escalateTicket` did. */
export type EscalationOutcome = { state: 'created'; escalation: Escalation; ticket: Ticket } | { state: 'already_open'; ticket: Ticket } | { state: 'missing' };

/** A requester's rating. */
export interface SatisfactionDraft {
  ticketId: string;
  rating: SatisfactionRating;
  comment: string | null;
  actor: ActorRef;
  now: string;
}

/** What `rateTicket` did. */
export type SatisfactionOutcome =
  { state: 'created'; satisfaction: Satisfaction; ticket: Ticket } | { state: 'already_rated'; ticket: Ticket } | { state: 'missing' };

/** Changes to a contact. */
export interface ContactPatch {
  name?: string;
  role?: Role;
  status?: ContactStatus;
  lastSeenAt?: string | null;
}

// --- contacts (issue 5) ---------------------------------------------------------

/** One contact list query of one account; every present filter must hold. */
export interface ContactSearch {
  accountId: string;
  statuses?: readonly ContactStatus[] | undefined;
  roles?: readonly RoleName[] | undefined;
  /** Case-insensitive substring of the name or email. */
  text?: string | undefined;
  sort: ContactSort;
  dir: SortDirection;
  /** Skip this many contacts of the sorted list (contact lists are small; see `contactOrder`). */
  offset: number;
  limit: number;
}

/** A page of `listContacts`: contacts with `version` and `openTicketCount`. */
export interface ContactSlice {
  items: Contact[];
  /** Whether contacts follow after this slice. */
  more: boolean;
}

/** A new invited contact. The store writes it, a `contact.invited` activity and outbox event, atomically. */
export interface InvitationDraft {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  actor: ActorRef;
  now: string;
}

/** Who does a contact change, when, and against which version. */
export interface ContactChangeBase {
  contactId: string;
  actor: ActorRef;
  now: string;
  /** Refuse with `version_mismatch` unless the contact is at this version. */
  expectedVersion?: number | undefined;
}

/**
 * A guarded change of a contact, applied atomically with its activity and outbox entries:
 * a new role, a new status (deactivate / reactivate) and/or handing the contact's unsolved
 * tickets to `transferTo`. The store refuses a change that would leave the account without
 * an active admin (`last_admin`).
 */
export interface ContactChange extends ContactChangeBase {
  role?: Role | undefined;
  status?: 'active' | 'deactivated' | undefined;
  /** An active contact of the same account who becomes requester of the unsolved tickets. */
  transferTo?: string | undefined;
}

/** Why a contact write was refused; nothing was written. */
export type ContactWriteFailure = 'not_found' | 'exists' | 'version_mismatch' | 'last_admin' | 'not_invited' | 'invalid_target';

/** The outcome of a contact write. `contact` on failure is the current state, when there is one. */
export type ContactWriteResult =
  { ok: true; contact: Contact; transferred: Ticket[] } | { ok: false; reason: ContactWriteFailure; contact?: Contact | undefined };

/** Read position in the service outbox. */
export interface OutboxRead {
  /** Events with a greater sequence (0 = from the start). */
  after: number;
  limit: number;
  types?: readonly OutboxEventType[] | undefined;
}

/** Refers to a claimed idempotency key, whose stored response the write completes atomically. */
export interface IdempotencyRef {
  contactId: string;
  key: string;
}

/** Claim of an idempotency key before a write. */
export interface IdempotencyClaim extends IdempotencyRef {
  /** Hash of method, path and body: the same key with another fingerprint is a conflict. */
  fingerprint: string;
  now: string;
}

/** What `claimIdempotencyKey` found. */
export type IdempotencyState =
  { state: 'claimed' } | { state: 'pending'; fingerprint: string } | { state: 'completed'; fingerprint: string; status: number; body: unknown };

/** Options of creating writes. */
export interface WriteOptions {
  /** Store the response (201 + the created entity) under this claimed key, in the same transaction. */
  idempotency?: IdempotencyRef | undefined;
}

/** Everything a store can be loaded with (the demo seed, fixtures). */
export interface SeedData {
  /** Accounts; provisioning fields left out get their defaults (see `AccountSeed`). */
  accounts: readonly AccountSeed[];
  contacts: readonly Contact[];
  tickets: readonly Ticket[];
  comments: readonly Comment[];
  activity: readonly Activity[];
  /** Saved views (`/v1/views`); optional. */
  savedViews?: readonly SavedView[] | undefined;
  /** Knowledge-base articles (vendor-wide). */
  articles?: readonly Article[] | undefined;
}

/** Filters of an activity search; every present filter must hold. */
export interface ActivityFilter {
  /** Only these types. */
  types?: readonly ActivityType[] | undefined;
  ticketId?: string | undefined;
  /** Entries done by this contact or about them (`contactId`). */
  contactId?: string | undefined;
  /** Only entries on tickets this contact requested or follows (notifications). */
  involvingContactId?: string | undefined;
  /** Leave out entries whose actor has this id (your own doings). */
  excludeActorId?: string | undefined;
  /** `createdAt` at or after (ISO). */
  from?: string | undefined;
  /** `createdAt` before (ISO). */
  to?: string | undefined;
}

/**
 * One activity query. An entry is visible when its account is in `accountIds` and, when it
 * is about a ticket, that ticket is inside `scope` (core `ticketScope`) as it is now.
 */
export interface ActivitySearch {
  scope: TicketScope;
  accountIds: readonly string[];
  filter: ActivityFilter;
  /** Continue after this `[createdAt, id]` (newest first). */
  after?: readonly [string, string] | undefined;
  limit: number;
}

/** An activity entry with its position in the store's append order (the live-event id). */
export interface SequencedActivity {
  seq: number;
  activity: Activity;
}

/** What the SLA clock reads of a ticket besides the ticket itself. */
export interface TicketSlaHistory {
  /** Every status change, oldest first. */
  statusChanges: { at: string; to: TicketStatus }[];
  /** When an agent first replied, if ever. */
  firstResponseAt: string | null;
}

/**
 * Something a store read in the same row as a ticket, kept on the ticket object it returned, so
 * it never outlives (or outdates) the snapshot it was read with; under a non-enumerable symbol,
 * which JSON, spreads, `structuredClone` and deep equality all skip. Not in a WeakMap: adding a
 * weak entry costs about a microsecond (a list page adds 50 on every request), and weak entries
 * make every garbage collection do more.
 */
function readWithTicket<T>(name: string) {
  const key = Symbol(name);
  return {
    get: (ticket: Ticket): T | undefined => (ticket as { [key]?: T })[key],
    has: (ticket: Ticket): boolean => key in ticket,
    set(ticket: Ticket, value: T): void {
      Object.defineProperty(ticket, key, { value, writable: true, configurable: true });
    },
  };
}

/** SLA facts read with a ticket: `fillSla` takes them from here instead of asking `getSlaHistory` again. */
export const slaHistoryReadWith = readWithTicket<TicketSlaHistory>('portico.slaHistoryReadWith');

/** What `fillSla` needs of a ticket's account to pick its SLA policy. */
export type SlaAccount = Pick<Account, 'id' | 'tier' | 'slaPolicy'>;

/**
 * The account of a ticket as read in the same statement as the ticket (null: the account was
 * not visible in the caller's scope), for stores whose ticket rows carry it; `fillSla` takes it
 * from here instead of asking `getAccount` again.
 */
export const slaAccountReadWith = readWithTicket<SlaAccount | null>('portico.slaAccountReadWith');

/**
 * The seen marker of a ticket for a contact (`TicketSearch.seenBy`), as read in the same
 * statement as the ticket (null: none); `withUnread` takes it from here instead of asking
 * `ticketsSeenAt` again.
 */
export const seenAtReadWith = readWithTicket<{ contactId: string; seenAt: string | null }>('portico.seenAtReadWith');

/** The two clocks of a ticket's SLA. */
export type SlaClockName = 'firstResponse' | 'resolution';

/** An SLA threshold crossing to record once. */
export interface SlaMarkDraft {
  ticketId: string;
  clock: SlaClockName;
  type: 'sla.at_risk' | 'sla.breached';
  /** When the threshold was crossed (the activity's `createdAt`). */
  at: string;
  /** Due time of the clock, written to the activity. */
  dueAt: string | null;
}

/** A status change made by an agent (service API) or a contact. */
export interface StatusChangeDraft {
  ticketId: string;
  status: TicketStatus;
  /** Also set the assignee (agent display name; null clears it). */
  assignee?: string | null | undefined;
  actor: ActorRef;
  now: string;
}

// --- agent API ---------------------------------------------------------------

/** An agent-side ticket query: every account (no policy scope), the filters, sorted, keyset-paged. */
export type ServiceTicketSearch = Omit<TicketSearch, 'scope'>;

/**
 * A public agent reply that also links files the service API uploaded (`uploaderId` of each
 * must be `uploaderId` here, in the ticket's account, not yet linked), atomically with the comment.
 */
export interface AgentReplyDraft extends CommentDraft {
  attachmentIds: readonly string[];
  /** Who uploaded the files (see `serviceUploader`). */
  uploaderId: string;
}

/** Merge a duplicate (`sourceId`) into the ticket that stays (`targetId`). */
export interface MergeDraft {
  sourceId: string;
  targetId: string;
  actor: ActorRef;
  now: string;
  /** Apply only if the source still has this version (`If-Match`). */
  expectedVersion?: number | undefined;
}

/** What `mergeTickets` did; on any refusal nothing was written. */
export type MergeOutcome =
  | { state: 'merged'; source: Ticket; target: Ticket }
  | { state: 'missing' }
  | { state: 'stale'; source: Ticket }
  /** The tickets belong to different accounts, are the same ticket, or the target was itself merged. */
  | { state: 'invalid'; reason: 'cross_account' | 'same_ticket' | 'target_merged' }
  /** The source was already merged (into `source.mergedInto`). */
  | { state: 'already_merged'; source: Ticket };

/** The uploader id the service API's own uploads carry (one per configured key). */
export const serviceUploader = (keyIndex: number) => `svc_${keyIndex}`;

/** How long a completed idempotency record is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this without a completed response may be taken over (the first attempt died). */
export const IDEMPOTENCY_PENDING_TTL_MS = 60 * 1000;

// --- events out: outbox notifications and webhook endpoints (hooks) ---------------

/** A webhook endpoint as stored: what the API shows plus its signing secrets. */
export interface WebhookEndpointRecord extends WebhookEndpoint {
  /** The current `whsec_…` secret. */
  secret: string;
  /** The secret before the last rotation; it also signs until `previousSecretExpiresAt`. */
  previousSecret: string | null;
}

/** A new endpoint; it receives the events written after it was created. */
export interface WebhookEndpointDraft {
  id: string;
  url: string;
  description: string;
  eventTypes: readonly OutboxEventType[] | null;
  enabled: boolean;
  secret: string;
  now: string;
}

/** Changes to an endpoint; absent fields stay. */
export interface WebhookEndpointPatch {
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: readonly OutboxEventType[] | null | undefined;
  /**
   * Disabling records `disabledReason: 'manual'`. Enabling clears the reason and the failure
   * clock, and the endpoint receives the events written from then on (not those it missed).
   */
  enabled?: boolean | undefined;
  /** A rotation: the new secret; the old one becomes `previousSecret` until `previousSecretExpiresAt`. */
  rotate?: { secret: string; previousSecretExpiresAt: string | null } | undefined;
  now: string;
}

/** A page of deliveries of one endpoint, newest first, continuing below `before` (a delivery's `seq`). */
export interface WebhookDeliveryRead {
  endpointId: string;
  status?: WebhookDeliveryStatus | undefined;
  before?: number | undefined;
  limit: number;
}

/** A delivery with its position in the delivery log (`seq`, for cursors). */
export interface SequencedDelivery {
  seq: number;
  delivery: WebhookDelivery;
}

/** A worker's claim of due deliveries. */
export interface WebhookClaim {
  /** Who claims (one id per worker): only its own claims can be completed. */
  owner: string;
  now: string;
  /** The claim lapses at this time, so another worker retries a delivery whose worker died. */
  leaseUntil: string;
  limit: number;
}

/** A claimed delivery with everything needed to send it. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  event: OutboxEvent;
  endpoint: WebhookEndpointRecord;
}

/** The outcome of one delivery attempt. */
export interface WebhookAttemptResult {
  deliveryId: string;
  owner: string;
  /** When the attempt started. */
  at: string;
  durationMs: number;
  /** Whether the receiver answered 2xx. */
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  /** When to try again after a failure; null = that was the last attempt (status `failed`). */
  nextAttemptAt: string | null;
  /**
   * After a failure: disable the endpoint (and write `webhook_endpoint.disabled`) when it has
   * been failing since this time or earlier.
   */
  disableIfFailingSince: string;
}

/** What an attempt changes on its delivery, the same in every store. */
export type AttemptedDelivery = Pick<
  WebhookDelivery,
  'lastAttemptAt' | 'lastResponseStatus' | 'lastError' | 'lastDurationMs' | 'status' | 'nextAttemptAt' | 'deliveredAt'
>;

/** A delivery's fields after `result` (its attempt count goes up by one besides). */
export function attemptedDelivery(result: WebhookAttemptResult): AttemptedDelivery {
  return {
    lastAttemptAt: result.at,
    lastResponseStatus: result.responseStatus,
    lastError: result.error,
    // Whole milliseconds, as the SQL stores' integer column keeps them.
    lastDurationMs: Math.round(result.durationMs),
    status: result.ok ? 'succeeded' : result.nextAttemptAt === null ? 'failed' : 'pending',
    nextAttemptAt: result.ok ? null : result.nextAttemptAt,
    deliveredAt: result.ok ? result.at : null,
  };
}

/** Whether a failed attempt disables `endpoint`: still enabled, and failing since `disableIfFailingSince` or earlier. */
export function failureDisables(endpoint: Pick<WebhookEndpointRecord, 'enabled' | 'failingSince'>, result: WebhookAttemptResult): boolean {
  return endpoint.enabled && endpoint.failingSince !== null && endpoint.failingSince <= result.disableIfFailingSince;
}

/** The outbox sequence and endpoint of a webhook delivery, both stores' shared ordering rule. */
export interface DeliveryOrderFacts {
  endpointId: string;
  ticketId: string | null;
  sequence: number;
  status: WebhookDeliveryStatus;
}

/**
 * Whether a pending delivery may go now: a ticket's event waits while an earlier event of the
 * same ticket to the same endpoint is still pending (per-ticket order).
 */
export function deliveryMayGo(d: DeliveryOrderFacts, others: Iterable<DeliveryOrderFacts>): boolean {
  if (d.ticketId === null) return true;
  for (const o of others) {
    if (o.endpointId === d.endpointId && o.ticketId === d.ticketId && o.status === 'pending' && o.sequence < d.sequence) return false;
  }
  return true;
}

/** A new `whsec_…` signing secret: 32 random bytes, base64 (the Standard Webhooks format). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `whsec_${btoa(binary)}`;
}

/** The stored form of a new endpoint. */
export function endpointFromDraft(draft: WebhookEndpointDraft): WebhookEndpointRecord {
  return {
    id: draft.id,
    url: draft.url,
    description: draft.description,
    eventTypes: draft.eventTypes ? [...draft.eventTypes] : null,
    enabled: draft.enabled,
    disabledReason: draft.enabled ? null : 'manual',
    failingSince: null,
    previousSecretExpiresAt: null,
    createdAt: draft.now,
    updatedAt: draft.now,
    secret: draft.secret,
    previousSecret: null,
  };
}

/** What a create answers (and an idempotent retry replays): the endpoint with its secret. */
export const endpointWithSecret = (record: WebhookEndpointRecord) => ({ ...publicEndpoint(record), secret: record.secret });

/** The endpoint as the API shows it (without secrets). */
export function publicEndpoint(record: WebhookEndpointRecord): WebhookEndpoint {
  const { secret: _secret, previousSecret: _previous, ...rest } = record;
  return rest;
}

export interface Store {
  /** The account, or undefined. */
  getAccount(id: string): Promise<Account | undefined>;
  /** Direct children of an account, by name. */
  listChildAccounts(parentId: string): Promise<Account[]>;

  getContact(id: string): Promise<Contact | undefined>;
  /** The contact of an account with this email (case-insensitive). */
  findContactByEmail(accountId: string, email: string): Promise<Contact | undefined>;
  /** Inserts a contact with the given id; throws on a duplicate email in the account. */
  createContact(contact: Contact): Promise<Contact>;
  /** Changes a contact; `version` bumps only when the name, role or status actually changes. */
  updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined>;

  /** Contacts of one account, filtered and sorted (`contactOrder`), with open-ticket counts. */
  listContacts(search: ContactSearch): Promise<ContactSlice>;
  /** Active admins of an account. */
  countActiveAdmins(accountId: string): Promise<number>;
  /** Creates an invited contact (`exists` when the email is taken in the account), its activity and outbox event. */
  inviteContact(draft: InvitationDraft, options?: WriteOptions): Promise<ContactWriteResult>;
  /** Records a resend of a pending invitation: activity + outbox `contact.invited` (`resent: true`). */
  resendInvitation(change: ContactChangeBase): Promise<ContactWriteResult>;
  /** Removes an invited contact (activity keeps the email; outbox `contact.invitation_revoked`). */
  revokeInvitation(change: ContactChangeBase): Promise<ContactWriteResult>;
  /** Applies a guarded role/status change and/or ticket transfer; see `ContactChange`. */
  changeContact(change: ContactChange): Promise<ContactWriteResult>;
  /** Outbox events in sequence order. */
  listOutbox(read: OutboxRead): Promise<OutboxEvent[]>;

  /** The one ticket query: scope AND filters, sorted, keyset-paged. */
  searchTickets(search: TicketSearch): Promise<Page<Ticket>>;
  /** How many tickets `searchTickets` would walk for this scope and filter. */
  countTickets(scope: TicketScope, filter: TicketFilter): Promise<number>;
  /**
   * `countTickets` of each filter in one go (the per-view counts of a list): a store may share
   * work between them. With `cap`, a filter with search words (`text`) counts at most `cap + 1`
   * matches, so a count above `cap` means "more than `cap`" and the store may stop counting
   * there; counts without words stay exact.
   */
  countTicketsEach(scope: TicketScope, filters: readonly TicketFilter[], cap?: number): Promise<number[]>;
  /** A ticket by id, regardless of who asks: callers check the policy. */
  getTicket(id: string): Promise<Ticket | undefined>;
  /** Creates a ticket and its `ticket.created` activity in one transaction. */
  createTicket(draft: TicketDraft, options?: WriteOptions): Promise<Ticket>;

  /** Changes fields of a ticket with its activity, atomically (see `TicketUpdate`). */
  updateTicket(update: TicketUpdate): Promise<TicketUpdateResult>;
  /**
   * Escalates a ticket unless one is open (`escalated`): raises the priority one step (urgent
   * stays), sets `escalated`, bumps version and `updatedAt`, writes `ticket.escalated`
   * (data `{ escalationId, reason, priorityFrom, priorityTo }`), atomically; the idempotency
   * response is `{ escalation, ticket }`.
   */
  escalateTicket(draft: EscalationDraft, options?: WriteOptions): Promise<EscalationOutcome>;
  /**
   * Records the one satisfaction rating of a ticket unless it has one: sets
   * `ticket.satisfaction`, bumps the version (not `updatedAt`), writes
   * `ticket.satisfaction_rated` (data `{ rating, hasComment }`); idempotency response
   * `{ satisfaction, ticket }`.
   */
  rateTicket(draft: SatisfactionDraft, options?: WriteOptions): Promise<SatisfactionOutcome>;
  /**
   * Makes a contact follow a ticket or stop. When that changes anything: bumps the version
   * (not `updatedAt`), writes `ticket.followed` / `ticket.unfollowed` with the contact as
   * actor, and on follow marks the ticket seen by the contact. Undefined for an unknown ticket.
   */
  setFollowing(ticketId: string, contactId: string, follow: boolean, now: string): Promise<Ticket | undefined>;
  /** Records that a contact saw the ticket at `at` (drives `Ticket.unread`); never moves backwards. */
  markTicketSeen(ticketId: string, contactId: string, at: string): Promise<void>;
  /** When a contact last saw each of these tickets (tickets never seen are absent). */
  ticketsSeenAt(contactId: string, ticketIds: readonly string[]): Promise<Map<string, string>>;

  /** Saved views a contact may use: its own personal ones and its account's shared ones, by name. */
  listSavedViews(accountId: string, contactId: string): Promise<SavedView[]>;
  getSavedView(id: string): Promise<SavedView | undefined>;
  /** Stores a view (id assigned by the caller); a shared one also writes `view.shared`. */
  createSavedView(view: SavedView, options?: WriteOptions): Promise<SavedView>;
  /** Deletes a view; a shared one also writes `view.deleted`. False when there was none. */
  deleteSavedView(id: string, actor: ActorRef, now: string): Promise<boolean>;

  /** Public comments of a ticket, oldest first (internal notes only ever come from `listAgentThread`). */
  listComments(ticketId: string, page: SeekPage): Promise<Page<Comment>>;
  /** Adds a comment, bumps the ticket (updatedAt, version, commentCount) and writes `ticket.commented`, atomically. */
  addComment(draft: CommentDraft, options?: WriteOptions): Promise<{ comment: Comment; ticket: Ticket }>;

  /** Possible duplicates of typed text: at most `limit` tickets, picked and ranked as similar-tickets.ts says. */
  findSimilarTickets(search: SimilarSearch): Promise<Ticket[]>;

  /** Stores an uploaded attachment's metadata (its bytes go to a `BlobStore`). */
  createAttachment(record: AttachmentRecord, options?: WriteOptions): Promise<Attachment>;
  /** An attachment by id, regardless of who asks: callers check the policy. */
  getAttachment(id: string): Promise<AttachmentRecord | undefined>;
  /** The attachments of a ticket, oldest first. */
  listAttachments(ticketId: string): Promise<Attachment[]>;

  /** Knowledge-base search. */
  searchArticles(search: ArticleSearch): Promise<Page<Article>>;
  getArticle(id: string): Promise<Article | undefined>;
  /** Records a deflection (completing the idempotency key, if any). */
  recordDeflection(deflection: Deflection, options?: WriteOptions): Promise<Deflection>;
  /** How many deflections some accounts had, optionally since a time (for the account summary). */
  countDeflections(accountIds: readonly string[], since?: string): Promise<number>;

  /** Activity of some accounts, newest first. */
  listActivity(accountIds: readonly string[], page: SeekPage): Promise<Page<Activity>>;

  // --- timeline, live events, notifications, SLA (issue 6) ---------------
  /** Visible activity (see `ActivitySearch`), newest first, keyset-paged. */
  searchActivity(search: ActivitySearch): Promise<Page<Activity>>;
  /** How many entries `searchActivity` would return without paging. */
  countActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Promise<number>;
  /**
   * Entries of some accounts (`all`: of every account) appended after `afterSeq`, in append
   * order (live events: the live hub reads every account's, a resume one caller's).
   */
  listActivitySince(accountIds: readonly string[] | 'all', afterSeq: number, limit: number): Promise<SequencedActivity[]>;
  /**
   * The sequence number of the newest entry (0 when there is none). No entry with a smaller
   * number may appear after it was answered: the live hub treats everything up to the head as
   * read (a store whose sequence can commit out of order, like a PostgreSQL sequence, answers
   * the highest number below which every transaction has committed).
   */
  activityHead(): Promise<number>;
  /** Status changes and first agent reply of these tickets (absent ids: no history). */
  getSlaHistory(ticketIds: readonly string[]): Promise<Map<string, TicketSlaHistory>>;
  /** Unsolved tickets (new, open, pending) of every account, by id, after `afterId`. */
  listSlaCandidates(afterId: string | undefined, limit: number): Promise<Ticket[]>;
  /** Writes the SLA activity of a crossing unless this ticket, clock and type already have one (atomic). */
  recordSlaMark(draft: SlaMarkDraft): Promise<Activity | undefined>;
  /** Sets a ticket's status (and assignee), bumps it and writes `ticket.status_changed` `{from, to}`; undefined if no ticket. */
  changeTicketStatus(draft: StatusChangeDraft): Promise<Ticket | undefined>;
  /** When the contact last marked notifications as seen. */
  getNotificationsSeenAt(contactId: string): Promise<string | null>;
  setNotificationsSeenAt(contactId: string, at: string): Promise<void>;

  /** Atomically claims `key` for a contact, or reports the earlier request made with it. */
  claimIdempotencyKey(claim: IdempotencyClaim): Promise<IdempotencyState>;
  /** Drops a claim whose write did not happen, so the client may retry. */
  releaseIdempotencyKey(ref: IdempotencyRef): Promise<void>;

  /** Whether the store holds no accounts yet (decides whether to seed). */
  isEmpty(): Promise<boolean>;
  /** Loads data (into an empty store). */
  load(data: SeedData): Promise<void>;
  /** Releases resources. */
  close(): Promise<void>;

  // --- knowledge-base authoring (`/v1/service/articles`) ----------------------
  /** Stores a new article (id, version and times set by the caller); throws when the id exists. */
  createArticle(article: Article, options?: WriteOptions): Promise<Article>;
  /** Changes an article (see `ArticleUpdate`); keeps its full-text index in step. */
  updateArticle(update: ArticleUpdate): Promise<ArticleUpdateResult>;
  /** Deletes an article and its index entry; its deflections stay counted. False when there was none. */
  deleteArticle(id: string): Promise<boolean>;
  // --- events out: outbox notifications and webhook endpoints (hooks) ---------
  /** Calls `listener` after a write that added outbox events commits; returns the unsubscribe. */
  onOutbox(listener: () => void): () => void;
  /**
   * Stores a new endpoint; it receives the events written after this. The idempotency
   * response is the endpoint with its secret (`endpointFromDraft` + `secret`).
   */
  createWebhookEndpoint(draft: WebhookEndpointDraft, options?: WriteOptions): Promise<WebhookEndpointRecord>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
  /** Endpoints oldest first, keyset-paged after `[createdAt, id]`. */
  listWebhookEndpoints(after: readonly [string, string] | undefined, limit: number): Promise<WebhookEndpointRecord[]>;
  /** Changes an endpoint (see `WebhookEndpointPatch`); undefined when there is none. */
  updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord | undefined>;
  /** Deletes an endpoint and its deliveries; false when there was none. */
  deleteWebhookEndpoint(id: string): Promise<boolean>;
  /**
   * Turns outbox events each enabled endpoint has not seen yet into pending deliveries (those
   * its event filter takes), at most `limit` events per endpoint; answers how many it made.
   */
  enqueueWebhookDeliveries(now: string, limit: number): Promise<number>;
  /**
   * Claims up to `limit` due deliveries of enabled endpoints (pending, `nextAttemptAt` ≤ now,
   * not claimed by a live lease, and first of their ticket: `deliveryMayGo`), soonest first.
   */
  claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]>;
  /**
   * Records an attempt of a delivery this owner claimed and releases the claim; updates the
   * endpoint's failure clock and disables it when told (see `WebhookAttemptResult`).
   * Answers whether the endpoint was disabled now.
   */
  completeWebhookAttempt(result: WebhookAttemptResult): Promise<{ disabled: boolean }>;
  /** One endpoint's deliveries, newest first. */
  listWebhookDeliveries(read: WebhookDeliveryRead): Promise<SequencedDelivery[]>;
  /** Queues the event of an endpoint's delivery again, as a new pending delivery due now. */
  redeliverWebhook(endpointId: string, deliveryId: string, now: string): Promise<WebhookDelivery | undefined>;
  /** Deletes finished (succeeded or failed) deliveries created before `before`; answers how many. */
  pruneWebhookDeliveries(before: string): Promise<number>;
  // --- provisioning: accounts, contacts and roles from the vendor's service API ---------
  /**
   * Applies a batch of account and contact upserts in one transaction, all or nothing: the
   * store reads the facts and follows `planProvisioning` (provisioning-plans.ts), writing
   * only what changed, with its activity and outbox entries.
   */
  provision(batch: ProvisioningBatch): Promise<ProvisioningResult>;
  /** Accounts oldest change first (`[updatedAt, id]` ascending), filtered, keyset-paged. */
  listAccounts(search: AccountSearch): Promise<Page<Account>>;
  /** The contacts of one account by email (ascending), keyset-paged after an email. */
  listAccountContacts(accountId: string, page: { after?: string | undefined; limit: number }): Promise<Page<Contact>>;
  /**
   * Creates a contact on first sight of its token, with a `contact.created` activity entry and
   * outbox event (the contact as actor), atomically. Undefined when the account already has
   * a contact with that email (a concurrent first request made it).
   */
  registerContact(contact: Contact): Promise<Contact | undefined>;
  /** A vendor-defined role by name (built-in roles are not stored). */
  getRole(name: string): Promise<CustomRole | undefined>;
  /** Every vendor-defined role, by name. */
  listRoles(): Promise<CustomRole[]>;
  /** Defines or redefines a vendor role; `unchanged` (no version bump) when nothing differs. */
  putRole(draft: RoleDraft): Promise<{ state: SyncOutcome; role: CustomRole }>;
  // --- live events: append notification --------------------------------
  /**
   * Registers `listener`, called after each write that appended activity has committed
   * (once per write, not per entry; never inside the transaction, never for a rolled-back
   * write), so the live hub reads new entries without polling each stream. Answers the
   * function that unregisters it. Only writes through this store object are reported (the
   * hub's fallback timer picks up what other processes append), except where the store
   * watches the others: a PostgreSQL store implements it with `LISTEN/NOTIFY`, a SQLite store
   * opened `shared` (`--workers`) with a check of `PRAGMA data_version`. A listener that
   * throws does not affect the write or the other listeners.
   */
  onAppend(listener: () => void): () => void;
  // --- agent API ---------------------------------------------------------------
  /** Tickets of every account (the vendor's own view), filtered and keyset-paged like `searchTickets`. */
  searchServiceTickets(search: ServiceTicketSearch): Promise<Page<Ticket>>;
  /** A ticket by its reference (`T-1002`, case-insensitive), regardless of who asks. */
  getTicketByRef(ref: string): Promise<Ticket | undefined>;
  /**
   * Adds an internal note (a comment only agents see): no activity, no ticket bump, not in
   * `listComments`, the full-text index, similar tickets or the SLA's first response.
   */
  addInternalNote(draft: CommentDraft, options?: WriteOptions): Promise<Comment>;
  /** Public comments (`internal: false`) and internal notes (`internal: true`) of a ticket, oldest first. */
  listAgentThread(ticketId: string, page: SeekPage): Promise<Page<Comment>>;
  /** Stores the metadata of a file uploaded through the service API (`uploaderId` from `serviceUploader`). */
  createServiceAttachment(record: AttachmentRecord, options?: WriteOptions): Promise<Attachment>;
  /** `addComment`, plus linking the draft's uploaded files to the ticket, atomically; throws if one cannot be linked. */
  addAgentReply(draft: AgentReplyDraft, options?: WriteOptions): Promise<{ comment: Comment; ticket: Ticket }>;
  /**
   * Merges a duplicate into another ticket of the same account, atomically: the source is
   * closed with `mergedInto` (ending an escalation), its requester and followers follow the
   * target, `ticket.status_changed` on the source and `ticket.merged` on both
   * (data `{ source: {id, ref}, target: {id, ref} }`); both bump version and `updatedAt`.
   */
  mergeTickets(draft: MergeDraft): Promise<MergeOutcome>;

  // --- SLA scheduling: the sweeper reads only the tickets whose next SLA check is due ---
  /**
   * Unsolved tickets whose SLA check is due at `dueBy` (ISO time), soonest first: those never
   * scheduled, those scheduled at or before `dueBy`, and those written to (any version bump,
   * or a change of their account's version) since they were scheduled.
   */
  listDueSlaTickets(dueBy: string, limit: number): Promise<Ticket[]>;
  /** Schedules each ticket's next SLA check (ISO time), until that time or the next write to the ticket or its account. */
  scheduleSlaChecks(checks: readonly SlaCheck[]): Promise<void>;
  // --- several server instances on one database (PostgreSQL; SQLite: runExclusive) ---------
  // Optional: stores of one process (memory) leave them out; the app then keeps the scope,
  // locks and rate limits in-process. SQLite processes on one file share job leases here and
  // their rate limits through the cluster primary (see cluster-rate-limit.ts).
  /**
   * Runs `fn` with every store call inside it restricted to these accounts ('all': no
   * restriction), as defence in depth under the app's own checks (PostgreSQL: row-level
   * security keyed on the transaction's `portico.account_ids`).
   */
  runAs?<T>(scope: AccountScope, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` unless another instance is running the job `name`; resolves with whether it ran. */
  runExclusive?(name: string, fn: () => Promise<void>): Promise<boolean>;
  /** Spends one token of a caller's bucket shared by every instance (see rate-limit.ts). */
  takeRateToken?(take: RateTake): Promise<{ ok: boolean; retryAfterMs: number }>;

  // --- readiness probe (`GET /readyz`) ------------------------------------------
  /**
   * Runs one trivial query and reports the schema version the database has and the one this
   * build expects; rejects when the database does not answer. Optional: a store without a
   * database (memory) is always ready.
   */
  schemaStatus?(): Promise<SchemaStatus>;

  // --- caller resolution in one read --------------------------------------------
  /**
   * The account and, in it, the contact with this email (case-insensitive), read together:
   * what `getAccount` and `findContactByEmail` answer, in one round trip for a store behind a
   * network (PostgreSQL), since every request resolves its caller this way. Optional: the app
   * makes the two calls without it.
   */
  findAccountContact?(accountId: string, email: string): Promise<{ account: Account | undefined; contact: Contact | undefined }>;
}

/** What `Store.schemaStatus` reports: migrations recorded in the database vs known to this build. */
export interface SchemaStatus {
  applied: number;
  expected: number;
}

/** When a ticket's SLA needs looking at next (`Store.scheduleSlaChecks`). */
export interface SlaCheck {
  ticketId: string;
  /** ISO time, later than now. */
  at: string;
}

/**
 * Thrown by a store whose database cannot be reached (down, restarting, out of connections):
 * the API answers 503 problem+json with `Retry-After` instead of a 500.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * Thrown by a store when a text search runs past its time budget and was cancelled: the API
 * answers 503 problem+json `search_timeout` with `Retry-After` (see docs/performance.md).
 */
export class SearchTimeoutError extends Error {
  override readonly name = 'SearchTimeoutError';
}

/** The accounts a caller's store calls may touch: ids, or 'all' (service plane, internal jobs). */
export type AccountScope = readonly string[] | 'all';

/** One request against a shared token bucket. */
export interface RateTake {
  key: string;
  /** Bucket size. */
  capacity: number;
  /** Tokens refilled per millisecond. */
  perMs: number;
  nowMs: number;
}

// --- provisioning types -------------------------------------------------------------

/** An account upsert of a provisioning batch; `expectedVersion` is the If-Match of a single PUT. */
export type AccountUpsert = AccountSyncItem & { expectedVersion?: number | undefined };
/** A contact upsert of a provisioning batch; `expectedVersion` is the If-Match of a single PUT. */
export type ContactUpsert = ContactSyncItem & { expectedVersion?: number | undefined };

/** Accounts (applied first) and contacts to upsert together. Items are already schema-valid. */
export interface ProvisioningBatch {
  accounts: readonly AccountUpsert[];
  contacts: readonly ContactUpsert[];
  /** Written to activity and outbox entries. */
  actor: ActorRef;
  now: string;
}

/** Why one item of a batch was refused: `field` names the item's field. */
export interface ProvisioningFailure {
  kind: 'account' | 'contact';
  /** Position of the item in its list (`accounts` or `contacts`). */
  index: number;
  field: string;
  /** `conflict`: the email is active in another account; `stale`: the If-Match version is old. */
  reason: 'invalid' | 'not_found' | 'conflict' | 'stale';
  message: string;
}

/** What `provision` did: every item's outcome and state after, or why nothing was written. */
export type ProvisioningResult =
  { ok: true; results: SyncItemResult[]; accounts: Account[]; contacts: Contact[] } | { ok: false; failures: ProvisioningFailure[] };

/** One account list query of the service API. */
export interface AccountSearch {
  /** Children of this account; null for top-level accounts; undefined for all. */
  parentId?: string | null | undefined;
  status?: AccountStatus | undefined;
  /** `updatedAt` at or after (ISO). */
  updatedSince?: string | undefined;
  /** Continue after this `[updatedAt, id]`. */
  after?: readonly [string, string] | undefined;
  limit: number;
}

/** A vendor-defined role as stored. */
export type CustomRole = Omit<RoleDefinition, 'builtIn'>;

/** A role definition to store. */
export interface RoleDraft {
  name: string;
  description: string;
  rules: RoleRules;
  now: string;
}

/** Fields of an article `updateArticle` can change. */
export type ArticleChanges = Partial<Pick<Article, 'title' | 'summary' | 'body' | 'category' | 'locale' | 'audience' | 'status'>>;

/**
 * One change of an article. When something actually changes, the store bumps `version`
 * and moves `updatedAt` to `now`; publishing a draft sets `publishedAt` to `now`,
 * unpublishing clears it. Nothing changed: `updated` with the same version.
 */
export interface ArticleUpdate {
  id: string;
  changes: ArticleChanges;
  /** Apply only if the article still has this version (`If-Match`); otherwise `stale`. */
  expectedVersion?: number | undefined;
  now: string;
}

/** What `updateArticle` did. */
export type ArticleUpdateResult = { state: 'updated'; article: Article } | { state: 'stale'; article: Article } | { state: 'missing' };

/** The article an update leads to (every store applies changes through it, so they agree). */
export function applyArticleChanges(article: Article, update: ArticleUpdate): Article {
  const next: Article = { ...article };
  const c = update.changes;
  if (c.title !== undefined) next.title = c.title;
  if (c.summary !== undefined) next.summary = c.summary;
  if (c.body !== undefined) next.body = c.body;
  if (c.category !== undefined) next.category = c.category;
  if (c.locale !== undefined) next.locale = c.locale;
  if (c.audience !== undefined) next.audience = c.audience;
  if (c.status !== undefined && c.status !== article.status) {
    next.status = c.status;
    next.publishedAt = c.status === 'published' ? update.now : null;
  }
  if (JSON.stringify(next) === JSON.stringify(article)) return article;
  return { ...next, updatedAt: update.now, version: article.version + 1 };
}

// ---------------------------------------------------------------------------
// Helpers every store shares, so their orderings and cursors agree exactly.

/** Rank used by the `priority` sort (higher first). */
export const PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The next priority up (urgent stays urgent): what an escalation does. */
export function raisedPriority(priority: TicketPriority): TicketPriority {
  return priority === 'low' ? 'normal' : priority === 'normal' ? 'high' : 'urgent';
}

/** Rank of "no SLA deadline" in the `sla_due` sort: below every real deadline, so such tickets come last. */
export const NO_SLA_RANK = Number.MIN_SAFE_INTEGER;

/**
 * Rank used by the `sla_due` sort (higher first): minus the deadline in epoch ms, so the
 * soonest deadline ranks highest under the shared "all keys descending" ordering.
 */
export function slaRank(slaDueAt: string | null | undefined): number {
  if (!slaDueAt) return NO_SLA_RANK;
  const ms = Date.parse(slaDueAt);
  return Number.isNaN(ms) ? NO_SLA_RANK : -ms;
}

/** The keyset of a ticket under a sort (all keys descending). */
export function ticketKeyset(
  sort: TicketSort,
  ticket: Pick<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'priority'> & { slaDueAt?: string | null | undefined },
): TicketKeyset {
  switch (sort) {
    case 'updated':
      return [ticket.updatedAt, ticket.id];
    case 'created':
      return [ticket.createdAt, ticket.id];
    case 'priority':
      return [PRIORITY_RANK[ticket.priority], ticket.updatedAt, ticket.id];
    case 'sla_due':
      return [slaRank(ticket.slaDueAt), ticket.updatedAt, ticket.id];
  }
}

/** Key types of a sort's keyset, for cursor validation: `s` string, `n` number. */
export const KEYSET_TYPES: Readonly<Record<TicketSort, string>> = { updated: 'ss', created: 'ss', priority: 'nss', sla_due: 'nss' };

const LATIN_FOLD: Readonly<Record<string, string>> = { ς: 'σ', µ: 'μ', ſ: 's', ϐ: 'β', ϑ: 'θ', ϕ: 'φ', ϖ: 'π', ϰ: 'κ', ϱ: 'ρ', ϵ: 'ε' };

/**
 * The words of a text for full-text search, the way SQLite's FTS5 `unicode61
 * remove_diacritics 2` tokenizer sees them: runs of letters, digits and private-use
 * characters, lower-cased, with diacritics removed from Latin letters. The memory store
 * matches with it and it is the reference every store is tested against.
 */
export function searchWords(text: string): string[] {
  // ASCII letters have no diacritics to remove: only other Latin letters are decomposed (the
  // SQLite store runs this on every ticket text it indexes).
  const folded = /[^\p{ASCII}]/u.test(text) ? text.replace(/\p{Script=Latin}/gu, (c) => c.normalize('NFD').replace(/[\u0300-\u036f]+/g, '')) : text;
  return folded
    .toLowerCase()
    .replace(/[ςµſϐϑϕϖϰϱϵ]/gu, (c) => LATIN_FOLD[c] ?? c)
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter(Boolean);
}

/** Whether every query word begins some word of the text words (the `TicketFilter.text` rule). */
export function matchesWords(queryWords: readonly string[], textWords: Iterable<string>): boolean {
  if (queryWords.length === 0) return true;
  const words = [...textWords];
  return queryWords.every((q) => words.some((w) => w.startsWith(q)));
}

/** Whether a contact has unseen changes on a ticket it requested or follows. */
export function isUnread(
  ticket: Pick<Ticket, 'requester' | 'followerIds' | 'createdAt' | 'updatedAt'>,
  contactId: string,
  seenAt: string | undefined,
): boolean {
  const involved = ticket.requester.id === contactId || ticket.followerIds.includes(contactId);
  return involved && ticket.updatedAt > (seenAt ?? ticket.createdAt);
}

/** Compares two keysets of equal shape (ascending). */
export function compareKeys(a: TicketKeyset | readonly (string | number)[], b: TicketKeyset | readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Rank of each role for the `role` sort: most privileged first. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { admin: 0, member: 1, billing: 2, requester: 3, viewer: 4 };
/** A role's rank for the `role` sort: vendor-defined roles after the built-in ones, by name. */
const roleSortKey = (role: RoleName): string => `${Object.hasOwn(ROLE_RANK, role) ? ROLE_RANK[role as Role] : 9}${role}`;
/** Rank of each status for the `status` sort. */
export const CONTACT_STATUS_RANK: Readonly<Record<ContactStatus, number>> = { active: 0, invited: 1, deactivated: 2 };

/**
 * The order of contact lists, shared by every store: the sort key in `dir` (never-seen
 * contacts last for `last_seen`, whatever the direction), then name and id ascending.
 */
export function contactOrder(sort: ContactSort, dir: SortDirection): (a: Contact, b: Contact) => number {
  const sign = dir === 'asc' ? 1 : -1;
  const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
  const lower = (s: string) => s.toLowerCase();
  const primary = (a: Contact, b: Contact): number => {
    switch (sort) {
      case 'name':
        return sign * cmp(lower(a.name), lower(b.name));
      case 'email':
        return sign * cmp(lower(a.email), lower(b.email));
      case 'role':
        return sign * cmp(roleSortKey(a.role), roleSortKey(b.role));
      case 'status':
        return sign * cmp(CONTACT_STATUS_RANK[a.status], CONTACT_STATUS_RANK[b.status]);
      case 'created':
        return sign * cmp(a.createdAt, b.createdAt);
      case 'open_tickets':
        return sign * cmp(a.openTicketCount ?? 0, b.openTicketCount ?? 0);
      case 'last_seen':
        if (a.lastSeenAt === null || b.lastSeenAt === null) return cmp(a.lastSeenAt === null ? 1 : 0, b.lastSeenAt === null ? 1 : 0);
        return sign * cmp(a.lastSeenAt, b.lastSeenAt);
    }
  };
  return (a, b) => primary(a, b) || cmp(lower(a.name), lower(b.name)) || cmp(a.id, b.id);
}

/** Whether a contact passes a search's filters (the reference for SQL stores). */
export function contactMatches(c: Contact, s: Omit<ContactSearch, 'sort' | 'dir' | 'offset' | 'limit'>): boolean {
  if (c.accountId !== s.accountId) return false;
  if (s.statuses && !s.statuses.includes(c.status)) return false;
  if (s.roles && !s.roles.includes(c.role)) return false;
  if (s.text) {
    const needle = s.text.toLowerCase();
    if (!c.name.toLowerCase().includes(needle) && !c.email.toLowerCase().includes(needle)) return false;
  }
  return true;
}

/** The contact as a small reference in activity and outbox data. */
export const contactRef = (c: Pick<Contact, 'id' | 'name' | 'email'>) => ({ id: c.id, name: c.name, email: c.email });

/** A new random id with a type prefix, e.g. `tkt_3f2a…`. */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`;
}

/** The human ref of the n-th ticket. */
export const ticketRef = (n: number) => `T-${n}`;
/** Number of the first ticket of an empty store. */
export const FIRST_TICKET_NUMBER = 1001;

/**
 * The `article.deflected` activity of a deflection, written with it in one transaction: the
 * account's timeline shows it and the summary counts it. What the contact typed stays out
 * (colleagues read the timeline); the deflection record keeps it.
 */
export function deflectionActivity(d: Deflection, article: Pick<Article, 'id' | 'title'>, contact: Pick<Contact, 'id' | 'name'>): Activity {
  return {
    id: newId('act'),
    accountId: d.accountId,
    type: 'article.deflected',
    actor: { kind: 'contact', id: contact.id, name: contact.name },
    ticketId: null,
    contactId: null,
    data: { articleId: article.id, title: article.title },
    createdAt: d.createdAt,
  };
}

/**
 * The listeners of `Store.onAppend`, for stores to share: `notify()` calls each one, and
 * one that throws never reaches the write that committed or the other listeners.
 */
export class AppendListeners {
  readonly #listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    // A wrapper per registration, so the same function registered twice unregisters once each.
    const entry = () => listener();
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        console.error('[portico] an onAppend listener failed', error);
      }
    }
  }
}
