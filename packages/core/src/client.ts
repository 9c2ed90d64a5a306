import type { Comment, Page, Ticket } from './domain.ts';
import type { CommentCreate, PageQuery, TicketCreate, TicketQueryInput } from './inputs.ts';
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
}

/** Options of calls that create something. */
export interface CreateOptions extends RequestOptions {
  /** Same key + same body returns the first response instead of creating twice. Generated when absent. */
  idempotencyKey?: string;
}

/** Query of `listTickets`; list filters may be arrays. */
export type TicketListQuery = Omit<TicketQueryInput, 'status' | 'priority' | 'category' | 'limit'> & {
  status?: readonly string[] | undefined;
  priority?: readonly string[] | undefined;
  category?: readonly string[] | undefined;
  limit?: number | undefined;
};

/**
 * What elements talk to: the backend adapter. `HttpClient` implements it over
 * the REST contract; a vendor may implement it over anything else.
 * Every method rejects with `PorticoError` (or the signal's abort reason).
 */
export interface PorticoClient {
  getSession(options?: RequestOptions): Promise<Session>;
  listTickets(query?: TicketListQuery, options?: RequestOptions): Promise<Page<Ticket>>;
  getTicket(id: string, options?: RequestOptions): Promise<Ticket>;
  createTicket(input: TicketCreate, options?: CreateOptions): Promise<Ticket>;
  listComments(ticketId: string, query?: Partial<PageQuery>, options?: RequestOptions): Promise<Page<Comment>>;
  addComment(ticketId: string, input: CommentCreate, options?: CreateOptions): Promise<Comment>;
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
