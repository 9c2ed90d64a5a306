/**
 * The storage contract. Every store (memory, SQLite, later PostgreSQL) implements
 * `Store` and passes the same conformance suite (test/store-conformance.ts).
 * Methods are async so network-backed stores fit; stores know nothing about HTTP,
 * tokens or roles beyond the `TicketScope` data the policy hands them.
 */
import type {
  Account,
  Activity,
  ActivityType,
  ActorRef,
  Comment,
  Contact,
  ContactStatus,
  Page,
  Role,
  Ticket,
  TicketCategory,
  TicketPriority,
  TicketScope,
  TicketSort,
  TicketStatus,
  TicketVisibility,
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
  /** Case-insensitive substring of the ref, subject or description. */
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
  /** Written to the `ticket.created` activity. */
  actor: ActorRef;
  /** ISO timestamp of the write. */
  now: string;
}

/** A new comment; the store assigns `id`, bumps the ticket and writes `ticket.commented`. */
export interface CommentDraft {
  ticketId: string;
  author: ActorRef;
  body: string;
  now: string;
}

/** Changes to a contact. */
export interface ContactPatch {
  name?: string;
  role?: Role;
  status?: ContactStatus;
  lastSeenAt?: string | null;
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
  | { state: 'claimed' }
  | { state: 'pending'; fingerprint: string }
  | { state: 'completed'; fingerprint: string; status: number; body: unknown };

/** Options of creating writes. */
export interface WriteOptions {
  /** Store the response (201 + the created entity) under this claimed key, in the same transaction. */
  idempotency?: IdempotencyRef | undefined;
}

/** Everything a store can be loaded with (the demo seed, fixtures). */
export interface SeedData {
  accounts: readonly Account[];
  contacts: readonly Contact[];
  tickets: readonly Ticket[];
  comments: readonly Comment[];
  activity: readonly Activity[];
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

/** How long a completed idempotency record is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this without a completed response may be taken over (the first attempt died). */
export const IDEMPOTENCY_PENDING_TTL_MS = 60 * 1000;

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
  updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined>;

  /** The one ticket query: scope AND filters, sorted, keyset-paged. */
  searchTickets(search: TicketSearch): Promise<Page<Ticket>>;
  /** A ticket by id, regardless of who asks: callers check the policy. */
  getTicket(id: string): Promise<Ticket | undefined>;
  /** Creates a ticket and its `ticket.created` activity in one transaction. */
  createTicket(draft: TicketDraft, options?: WriteOptions): Promise<Ticket>;

  /** Comments of a ticket, oldest first. */
  listComments(ticketId: string, page: SeekPage): Promise<Page<Comment>>;
  /** Adds a comment, bumps the ticket (updatedAt, version, commentCount) and writes `ticket.commented`, atomically. */
  addComment(draft: CommentDraft, options?: WriteOptions): Promise<{ comment: Comment; ticket: Ticket }>;

  /** Activity of some accounts, newest first. */
  listActivity(accountIds: readonly string[], page: SeekPage): Promise<Page<Activity>>;

  // --- timeline, live events, notifications, SLA (issue 6) ---------------
  /** Visible activity (see `ActivitySearch`), newest first, keyset-paged. */
  searchActivity(search: ActivitySearch): Promise<Page<Activity>>;
  /** How many entries `searchActivity` would return without paging. */
  countActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Promise<number>;
  /** Entries of some accounts appended after `afterSeq`, in append order (live events). */
  listActivitySince(accountIds: readonly string[], afterSeq: number, limit: number): Promise<SequencedActivity[]>;
  /** The sequence number of the newest entry (0 when there is none). */
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
}

// ---------------------------------------------------------------------------
// Helpers every store shares, so their orderings and cursors agree exactly.

/** Rank used by the `priority` sort (higher first). */
export const PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The keyset of a ticket under a sort (all keys descending). */
export function ticketKeyset(sort: TicketSort, ticket: Pick<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'priority'>): TicketKeyset {
  switch (sort) {
    case 'updated':
      return [ticket.updatedAt, ticket.id];
    case 'created':
      return [ticket.createdAt, ticket.id];
    case 'priority':
      return [PRIORITY_RANK[ticket.priority], ticket.updatedAt, ticket.id];
  }
}

/** Key types of a sort's keyset, for cursor validation: `s` string, `n` number. */
export const KEYSET_TYPES: Readonly<Record<TicketSort, string>> = { updated: 'ss', created: 'ss', priority: 'nss' };

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

/** A new random id with a type prefix, e.g. `tkt_3f2a…`. */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`;
}

/** The human ref of the n-th ticket. */
export const ticketRef = (n: number) => `T-${n}`;
/** Number of the first ticket of an empty store. */
export const FIRST_TICKET_NUMBER = 1001;
