import type {
  Comment,
  Contact,
  ContactSort,
  ContactStatus,
  Escalation,
  Page,
  Role,
  Satisfaction,
  SavedView,
  SortDirection,
  Ticket,
  TicketPage,
  Article,
  Attachment,
} from './domain.ts';
import type {
  CommentCreate,
  ContactInvite,
  ContactUpdate,
  EscalationCreate,
  PageQuery,
  SatisfactionCreate,
  SavedViewCreate,
  TicketCreate,
  TicketPatch,
  TicketQueryInput,
} from './inputs.ts';
import type { Session } from './session.ts';
import type { AccountSummary, ActivityListQuery, LiveEvent, NotificationPage, TimelineEntry } from './live.ts';

/** Options of `subscribeEvents`. */
export interface EventSubscription {
  /** Called for every live event, in order. */
  onEvent: (event: LiveEvent) => void;
  /** Connection state changes: `open` after (re)connecting, `retrying` while waiting to reconnect, `closed` for good. */
  onStatus?: ((status: 'open' | 'retrying' | 'closed', error?: unknown) => void) | undefined;
  /** Resume after this event id (default: from now). */
  lastEventId?: string | undefined;
  /** Stops the subscription. */
  signal?: AbortSignal | undefined;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Cancels the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Lets the request outlive the page (`fetch` keepalive), e.g. a last report on `pagehide`. */
  keepalive?: boolean;
}

/** Options of calls that create something. */
export interface CreateOptions extends RequestOptions {
  /** Same key + same body returns the first response instead of creating twice. Generated when absent. */
  idempotencyKey?: string;
}

/** Options of calls that update something. */
export interface UpdateOptions extends RequestOptions {
  /** Tickets: the ETag the change is based on (`ticketEtag(ticket)`): a stale one fails with 412. */
  ifMatch?: string | undefined;
  /** Contacts: the `version` you loaded; when the server's is newer the call rejects with 412 `precondition_failed`. */
  version?: number | undefined;
}

/** Query of `listTickets`; list filters may be arrays. */
export type TicketListQuery = Omit<TicketQueryInput, 'status' | 'priority' | 'category' | 'limit' | 'counts'> & {
  status?: readonly string[] | undefined;
  priority?: readonly string[] | undefined;
  category?: readonly string[] | undefined;
  limit?: number | undefined;
  /** Also count the tickets of each view under the same filters (first pages only: it costs a query per view). */
  counts?: boolean | undefined;
};

/** Options of `deactivateContact`. */
export interface DeactivateOptions extends UpdateOptions {
  /** Hand the contact's unsolved tickets to this active colleague, in the same transaction. */
  transferTo?: string | undefined;
}

/** Query of `listContacts`. Non-admins get active colleagues only and may sort by name, email or role. */
export interface ContactListQuery {
  /** Case-insensitive substring of the name or email. */
  q?: string | undefined;
  role?: readonly Role[] | undefined;
  status?: readonly ContactStatus[] | undefined;
  /** A child account's id (parent account admins); default the caller's own account. */
  account?: string | undefined;
  sort?: ContactSort | undefined;
  dir?: SortDirection | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A ticket moved to another requester. */
export interface TransferredTicket {
  id: string;
  ref: string;
  subject: string;
}

/** Result of `deactivateContact` and `transferTickets`. */
export interface ContactChangeResult {
  /** The contact as it is now. */
  contact: Contact;
  /** Tickets handed to the new requester (empty when none were transferred). */
  transferred: TransferredTicket[];
}

/** What `escalateTicket` resolves with. */
export interface EscalationResult {
  escalation: Escalation;
  /** The ticket after the escalation (priority raised, `escalated: true`). */
  ticket: Ticket;
}

/** What `rateTicket` resolves with. */
export interface SatisfactionResult {
  satisfaction: Satisfaction;
  ticket: Ticket;
}
/** Query of `searchArticles`. */
export interface ArticleListQuery {
  /** Text to search for (best matches first); without it, every article. */
  q?: string | undefined;
  /** The reader's language (BCP 47); default: the contact's locale, else the browser's languages. */
  locale?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A file to upload: a `File`, or any `Blob` with a name. */
export type UploadFile = Blob & { readonly name: string };

/**
 * What elements talk to: the backend adapter. `HttpClient` implements it over
 * the REST contract; a vendor may implement it over anything else.
 * Every method rejects with `PorticoError` (or the signal's abort reason).
 * How a call travels to the store and back, and what a new route adds here: docs/architecture.md.
 */
export interface PorticoClient {
  getSession(options?: RequestOptions): Promise<Session>;
  listTickets(query?: TicketListQuery, options?: RequestOptions): Promise<TicketPage>;
  getTicket(id: string, options?: RequestOptions): Promise<Ticket>;
  createTicket(input: TicketCreate, options?: CreateOptions): Promise<Ticket>;
  /** Closes (`status: 'solved'`), reopens (`'open'`) or changes visibility; pass `ifMatch` to refuse a stale change. */
  updateTicket(id: string, patch: TicketPatch, options?: UpdateOptions): Promise<Ticket>;
  listComments(ticketId: string, query?: Partial<PageQuery>, options?: RequestOptions): Promise<Page<Comment>>;
  addComment(ticketId: string, input: CommentCreate, options?: CreateOptions): Promise<Comment>;

  /** Contacts of an account: the full list for admins, a directory of active colleagues for everyone else. */
  listContacts(query?: ContactListQuery, options?: RequestOptions): Promise<Page<Contact>>;
  /** One contact (a directory entry for non-admins). */
  getContact(id: string, options?: RequestOptions): Promise<Contact>;
  /** Invites a colleague (admins); the vendor is told through the service outbox. */
  inviteContact(input: ContactInvite, options?: CreateOptions): Promise<Contact>;
  /** Changes a role or reactivates (admins); pass `version` to be refused (412) instead of overwriting a newer change. */
  updateContact(id: string, patch: ContactUpdate, options?: UpdateOptions): Promise<Contact>;
  /** Deactivates a contact (admins): access ends at once; their tickets stay or go to `transferTo`. */
  deactivateContact(id: string, options?: DeactivateOptions): Promise<ContactChangeResult>;
  /** Sends a pending invitation again (admins). */
  resendInvitation(id: string, options?: RequestOptions): Promise<Contact>;
  /** Withdraws a pending invitation (admins); the invited contact is removed. */
  revokeInvitation(id: string, options?: RequestOptions): Promise<void>;
  /** Hands a contact's unsolved tickets to another active contact of the account (admins). */
  transferTickets(fromId: string, toId: string, options?: RequestOptions): Promise<ContactChangeResult>;
  /** Follows a ticket (idempotent). */
  followTicket(id: string, options?: RequestOptions): Promise<Ticket>;
  /** Stops following (idempotent). Null when the caller can no longer see the ticket afterwards. */
  unfollowTicket(id: string, options?: RequestOptions): Promise<Ticket | null>;
  /** Records that the caller has seen the ticket as it is now (clears its unread marker). */
  markTicketSeen(id: string, options?: RequestOptions): Promise<void>;
  /** Escalates with a reason: raises the priority one step; at most one open escalation per ticket (else 409). */
  escalateTicket(id: string, input: EscalationCreate, options?: CreateOptions): Promise<EscalationResult>;
  /** Rates a solved ticket (its requester, once; else 409). */
  rateTicket(id: string, input: SatisfactionCreate, options?: CreateOptions): Promise<SatisfactionResult>;
  /** The caller's personal saved views and the account's shared ones. */
  listViews(options?: RequestOptions): Promise<{ items: SavedView[] }>;
  createView(input: SavedViewCreate, options?: CreateOptions): Promise<SavedView>;
  deleteView(id: string, options?: RequestOptions): Promise<void>;
  /** Open tickets of the caller's account that look like `q` and that the caller may see (best first, at most 5). */
  findSimilarTickets(q: string, options?: RequestOptions): Promise<Ticket[]>;
  /** Uploads a file for a ticket that is about to be created; link it with `attachmentIds`. */
  uploadAttachment(file: UploadFile, options?: CreateOptions): Promise<Attachment>;
  /** The files of a ticket the caller may see. */
  listAttachments(ticketId: string, options?: RequestOptions): Promise<Attachment[]>;
  /** The content of one file of a ticket the caller may see. */
  downloadAttachment(ticketId: string, attachmentId: string, options?: RequestOptions): Promise<Blob>;
  /** Knowledge-base articles: best matches of `q`, or all of them. */
  searchArticles(query?: ArticleListQuery, options?: RequestOptions): Promise<Page<Article>>;
  /** Records that an article answered the user's question, so no ticket was filed. */
  recordDeflection(articleId: string, input?: { query?: string | undefined }, options?: RequestOptions): Promise<void>;
  /** The account activity timeline, newest first. */
  listActivity(query?: ActivityListQuery, options?: RequestOptions): Promise<Page<TimelineEntry>>;
  /** Updates to tickets the contact requested or follows, with the unseen count. */
  listNotifications(query?: Partial<PageQuery>, options?: RequestOptions): Promise<NotificationPage & { nextCursor: string | null }>;
  /** Marks notifications up to `until` (default now) as seen. */
  markNotificationsSeen(until?: string, options?: RequestOptions): Promise<void>;
  /** Account KPIs (`account`: an id, or `all` for a roll-up). */
  getSummary(query?: { account?: string | undefined; days?: number | undefined }, options?: RequestOptions): Promise<AccountSummary>;
  /**
   * Live events the contact may see. Reconnects with backoff (resuming after the last
   * event), refreshes the token on 401. Returns a function that stops it.
   */
  subscribeEvents(subscription: EventSubscription): () => void;
}
