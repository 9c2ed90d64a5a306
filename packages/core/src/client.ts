import type { Article, Attachment, Comment, Contact, ContactStatus, Page, Ticket } from './domain.ts';
import type { CommentCreate, PageQuery, TicketCreate, TicketQueryInput } from './inputs.ts';
import type { Session } from './session.ts';

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

/** Query of `listTickets`; list filters may be arrays. */
export type TicketListQuery = Omit<TicketQueryInput, 'status' | 'priority' | 'category' | 'limit'> & {
  status?: readonly string[] | undefined;
  priority?: readonly string[] | undefined;
  category?: readonly string[] | undefined;
  limit?: number | undefined;
};

/** Query of `listContacts` (`GET /v1/contacts`, the colleague directory). */
export interface ContactListQuery {
  /** Name or email contains this. */
  q?: string | undefined;
  status?: ContactStatus | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Query of `searchArticles`. */
export interface ArticleListQuery {
  /** Text to search for (best matches first); without it, every article. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A file to upload: a `File`, or any `Blob` with a name. */
export type UploadFile = Blob & { readonly name: string };

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
  /** Open tickets of the caller's account that look like `q` and that the caller may see (best first, at most 5). */
  findSimilarTickets(q: string, options?: RequestOptions): Promise<Ticket[]>;
  /** Follows a ticket (idempotent); resolves with the updated ticket. */
  followTicket(id: string, options?: RequestOptions): Promise<Ticket>;
  /** Stops following a ticket (idempotent); resolves with the updated ticket. */
  unfollowTicket(id: string, options?: RequestOptions): Promise<Ticket>;
  listComments(ticketId: string, query?: Partial<PageQuery>, options?: RequestOptions): Promise<Page<Comment>>;
  addComment(ticketId: string, input: CommentCreate, options?: CreateOptions): Promise<Comment>;
  /** Contacts of the caller's account (the colleague directory). */
  listContacts(query?: ContactListQuery, options?: RequestOptions): Promise<Page<Contact>>;
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
}
