import type { Comment, Page, Ticket } from './domain.ts';
import type { CommentCreate, PageQuery, TicketCreate, TicketQueryInput } from './inputs.ts';
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
}
