import type { Comment, Escalation, Page, Satisfaction, SavedView, Ticket, TicketPage } from './domain.ts';
import type {
  CommentCreate,
  EscalationCreate,
  PageQuery,
  SatisfactionCreate,
  SavedViewCreate,
  TicketCreate,
  TicketPatch,
  TicketQueryInput,
} from './inputs.ts';
import type { Session } from './session.ts';

/** Options every call takes. */
export interface RequestOptions {
  /** Cancels the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of calls that create something. */
export interface CreateOptions extends RequestOptions {
  /** Same key + same body returns the first response instead of creating twice. Generated when absent. */
  idempotencyKey?: string;
}

/** Options of calls that update something. */
export interface UpdateOptions extends RequestOptions {
  /** The ETag the change is based on (`ticketEtag(ticket)`): a stale one fails with 412. */
  ifMatch?: string | undefined;
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

/**
 * What elements talk to: the backend adapter. `HttpClient` implements it over
 * the REST contract; a vendor may implement it over anything else.
 * Every method rejects with `PorticoError` (or the signal's abort reason).
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
}
