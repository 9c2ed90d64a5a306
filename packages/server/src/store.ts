/**
 * The storage contract. Every store (memory, SQLite, later PostgreSQL) implements
 * `Store` and passes the same conformance suite (test/store-conformance.ts).
 * Methods are async so network-backed stores fit; stores know nothing about HTTP,
 * tokens or roles beyond the `TicketScope` data the policy hands them.
 */
import type {
  Account,
  Activity,
  ActorRef,
  Article,
  Attachment,
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
  /** What the user typed (see `searchTerms` in text-search.ts). */
  text: string;
  limit: number;
}

/** An article search: best matches of `text`, or (without text) all, newest first, keyset-paged. */
export interface ArticleSearch {
  text?: string | undefined;
  /** Continue after `[updatedAt, id]` (only without `text`). */
  after?: readonly [string, string] | undefined;
  limit: number;
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
  /** Knowledge-base articles (vendor-wide). */
  articles?: readonly Article[] | undefined;
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

  /** Possible duplicates of typed text: at most `limit` tickets, best match first (FTS5 bm25 or equivalent). */
  findSimilarTickets(search: SimilarSearch): Promise<Ticket[]>;
  /**
   * Makes a contact follow a ticket or stop following it (idempotent). A change bumps the
   * ticket's version (its ETag) but not `updatedAt`. Undefined when there is no such ticket.
   */
  setFollowing(ticketId: string, contactId: string, follow: boolean, now: string): Promise<Ticket | undefined>;

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
