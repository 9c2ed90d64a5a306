/**
 * The store for several server processes on one PostgreSQL database, on node-postgres
 * (`pg`, pooled). Same contract and conformance suite as the memory and SQLite stores.
 *
 * - Row-level security: every statement runs with `portico.account_ids` (see
 *   postgres-schema.ts) set to the scope of `runAs` — the verified caller's accounts, or '*'
 *   for service-plane and internal work (the default outside `runAs`): per transaction for
 *   writes, as the connection's session value for single reads (see `read`).
 * - Full text: `searchWords` of a ticket's ref, subject, description and comments are kept as
 *   a tsvector (lexemes as given, no parser) with a GIN index; each query word is a prefix
 *   query `'word':*`, so matching is exactly the memory store's `matchesWords`. Triggers keep
 *   the same words in `ticket_words` (account, word, last update, ticket number) under
 *   row-level security, whose B-tree a search can use where the policy keeps the GIN index out
 *   (see `wordMatches`), and which a page by last update reads in list order (`orderedMatches`).
 * - Activity is appended under one transaction-scoped advisory lock, so `seq` (the live-event
 *   id) becomes visible in order, and each commit that appended activity NOTIFYs
 *   `portico_activity` with the newest seq: `onAppend` listeners of every instance wake.
 *
 * Node-only: exported from `@portico/server/node`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import {
  type Account,
  type Activity,
  type ActorRef,
  type Article,
  type Attachment,
  type Comment,
  type Contact,
  type OutboxEvent,
  type Page,
  type SavedView,
  type ScopeClause,
  type Ticket,
  type TicketScope,
  type WebhookDelivery,
} from '@portico/core';
import { encodeCursor } from './cursor.ts';
import { planContactChange, planInvitation, planInvitationChange } from './contact-plans.ts';
import { completeAccount, contactCreatedEntries, parentsFirst, planProvisioning, planRolePut } from './provisioning-plans.ts';
import { ACTIVITY_OUTBOX, commentEvent, deflectionEvent, endpointDisabledEvent, outboxEventOf, type OutboxDraft } from './outbox.ts';
import { mergedFollowers, mergeRefusal } from './merge.ts';
import * as plans from './ticket-plans.ts';
import { validateSeed } from './seed-validation.ts';
import { MigrationError, pendingMigrations, runMigrations, type Migration, type MigrationDriver } from './migrations.ts';
import { counterSumsSql, isCappedCount, planCount, type CounterTerm } from './count-plan.ts';
import { POSTGRES_MIGRATIONS } from './postgres-schema.ts';
import { searchTerms } from './text-search.ts';
import { SIMILAR_COUNT_CAP, SIMILAR_PER_TERM, rankSimilar, similarTermWeight, similarTerms } from './similar-tickets.ts';
import {
  str,
  strOrNull,
  toAccount,
  toActivity,
  toArticle,
  toAttachment,
  toAttachmentRecord,
  toComment,
  toContact,
  toDeflection,
  toDelivery,
  toEndpoint,
  toOutboxEvent,
  toRole,
  toSavedView,
  toTicket,
  CONTACT_WITH_COUNT,
  SAVED_VIEW_SELECT,
  SORT_COLUMNS,
  UNSOLVED_SQL,
  toOpenTicket,
  type Row,
} from './sql-rows.ts';
import {
  attemptedDelivery,
  failureDisables,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  PRIORITY_RANK,
  compareKeys,
  contactMatches,
  contactOrder,
  newId,
  searchWords,
  slaRank,
  ticketKeyset,
  ticketRef,
  SearchTimeoutError,
  StoreUnavailableError,
  type AccountScope,
  type ActivitySearch,
  type ArticleSearch,
  type AttachmentRecord,
  type CommentDraft,
  type ContactChange,
  type ContactChangeBase,
  type ContactPatch,
  type ContactSearch,
  type ContactSlice,
  type ContactWriteResult,
  type Deflection,
  type EscalationDraft,
  type EscalationOutcome,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type InvitationDraft,
  type OutboxRead,
  type RateTake,
  type SatisfactionDraft,
  type SatisfactionOutcome,
  type SeedData,
  type SeekPage,
  type SequencedActivity,
  type SimilarSearch,
  type SlaCheck,
  type SlaMarkDraft,
  type StatusChangeDraft,
  type Store,
  type TicketDraft,
  type TicketFilter,
  type TicketSearch,
  type TicketSlaHistory,
  type TicketUpdate,
  type TicketUpdateResult,
  type WriteOptions,
  applyArticleChanges,
  deflectionActivity,
  endpointFromDraft,
  endpointWithSecret,
  type AccountSearch,
  type AgentReplyDraft,
  type ArticleUpdate,
  type ArticleUpdateResult,
  type ClaimedDelivery,
  type CustomRole,
  type MergeDraft,
  type MergeOutcome,
  type ProvisioningBatch,
  type ProvisioningResult,
  type RoleDraft,
  type SequencedDelivery,
  type ServiceTicketSearch,
  type WebhookAttemptResult,
  type WebhookClaim,
  type WebhookDeliveryRead,
  type WebhookEndpointDraft,
  type WebhookEndpointPatch,
  type WebhookEndpointRecord,
  type SchemaStatus,
  seenAtReadWith,
} from './store.ts';

/** A query runner inside one transaction. */
interface Tx {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Whether this transaction holds the append lock of activity and outbox events (see `insertRows`). */
  appendLocked?: boolean;
}

/**
 * Statements run often enough, with a fixed text, to be prepared once per connection (a named
 * statement: parsed and planned once, then executed); see `prepared`.
 */
const PREPARED = new Map<string, string>();

/**
 * Registers `sql` as a named prepared statement and returns it. Only for fixed texts whose best
 * plan does not depend on the values (lookups by key): PostgreSQL may settle on one generic plan
 * for a prepared statement, which for a list of a large account and of a small one differs.
 */
function prepared(sql: string): string {
  if (!PREPARED.has(sql)) PREPARED.set(sql, `portico_${PREPARED.size + 1}`);
  return sql;
}

/** Most texts `preparedShape` names; further shapes run unnamed (planned on each run). */
const MAX_SHAPES = 256;
let shapes = 0;

/**
 * `prepared` for a text built per request whose every shape (the placeholders fixed, the
 * values bound) has one plan that suits every value: the view counts, which read counter rows
 * by their keys, and a list page's ids in one account, an ordered walk of the account's (or
 * requester's) index to the page's end, once the scope binds the account as one parameter
 * (`Params.id`; with two, the generic plan walked every ticket: docs/performance.md,
 * "PostgreSQL list requests, round 2"). PostgreSQL still plans the first five runs per
 * connection for their values and keeps a generic plan only when it is priced no dearer.
 * Bounded, since the shapes are many (scopes, filters) and each costs every connection memory.
 */
function preparedShape(sql: string): string {
  if (!PREPARED.has(sql) && shapes < MAX_SHAPES) {
    shapes++;
    prepared(sql);
  }
  return sql;
}

/** A query runner on one connection; `seen` is told each statement's SQL. */
function runner(client: pg.PoolClient, seen?: (sql: string) => void): Tx {
  const query = (sql: string, params?: unknown[]) => {
    seen?.(sql);
    const name = PREPARED.get(sql);
    return name ? client.query({ name, text: sql, values: params ?? [] }) : client.query(sql, params);
  };
  return {
    all: async (sql, params) => (await query(sql, params)).rows as Row[],
    get: async (sql, params) => (await query(sql, params)).rows[0] as Row | undefined,
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
  };
}

/** Builds `$n` placeholders while collecting their values. */
class Params {
  readonly values: unknown[] = [];
  readonly #ids = new Map<string, string>();
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** Drops the values `add` bound after the first `length` (for a statement built, then not sent). */
  truncate(length: number): void {
    this.values.length = length;
  }
  /**
   * `add` of an id (an account or contact, text), one placeholder however often it is bound:
   * a scope names the caller's account in each of its clauses, and only the same parameter
   * lets PostgreSQL take `account_id = $n` out of the OR as an index condition when it plans
   * the statement once for every value (a prepared statement's generic plan; see `pageTickets`).
   */
  id(value: string): string {
    let placeholder = this.#ids.get(value);
    if (placeholder === undefined) this.#ids.set(value, (placeholder = this.add(value)));
    return placeholder;
  }
  /**
   * `column = ANY($n)` of a list (an empty list matches nothing); `column = $n` of one value,
   * which lets PostgreSQL walk an index on the column in the order of its next columns.
   */
  any(column: string, values: readonly unknown[]): string {
    return values.length === 1 ? `${column} = ${this.add(values[0])}` : `${column} = ANY(${this.add(values)})`;
  }
}

/** The NOTIFY channel of appended activity (payload: the newest seq). */
export const ACTIVITY_CHANNEL = 'portico_activity';
/** The NOTIFY channel of new outbox events (no payload: delivery workers read the table). */
export const OUTBOX_CHANNEL = 'portico_outbox';
/**
 * Advisory lock keys (first argument of the two-key form): the append order of activity and
 * outbox events (a reader that saw sequence n never later finds a smaller one committed), exclusive jobs.
 */
const LOCK_ACTIVITY = 7_310_001;
const LOCK_JOBS = 7_310_002;
/** Advisory lock of provisioning batches (see `provision`). */
const LOCK_PROVISION = 7_310_003;

/**
 * The ticket columns a read returns: all but the search words (`search_vector`,
 * `subject_vector`), which no caller of a ticket row reads, and whose text form PostgreSQL
 * builds for every row sent: a list page's 51 rows cost the database about a third more CPU
 * with them, and the server twice the bytes to parse (docs/performance.md, "PostgreSQL list
 * requests, round 2"). A test compares this list with the table's columns.
 */
export const TICKET_COLUMNS = [
  'id',
  'number',
  'ref',
  'account_id',
  'subject',
  'description',
  'status',
  'priority',
  'priority_rank',
  'category',
  'visibility',
  'requester_id',
  'assignee',
  'escalated',
  'comment_count',
  'created_at',
  'updated_at',
  'version',
  'sla_due_at',
  'sla_rank',
  'satisfaction_rating',
  'satisfaction_comment',
  'satisfaction_at',
  'business_impact',
  'merged_into_id',
  'merged_into_ref',
  'sla_check_at',
  'sla_status_changes',
  'first_response_at',
] as const;
const TICKET_FIELDS = TICKET_COLUMNS.map((c) => `t.${c}`).join(', ');

const TICKET_SELECT = `
  SELECT ${TICKET_FIELDS}, c.name AS requester_name, c.email AS requester_email,
    (SELECT coalesce(array_agg(f.contact_id ORDER BY f.contact_id), '{}') FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids
  FROM tickets t JOIN contacts c ON c.id = t.requester_id`;

/**
 * One ticket, and its account's SLA policy (`slaAccountReadWith`), which the SLA clock would
 * otherwise read in a statement of its own. The join pays in prepared texts (planned once per
 * connection), like this one and a list page's details (`ticketDetailsSql`), not in statements
 * planned on every request, where each joined table with row-level security costs more
 * planning than the separate prepared `getAccount` it saves (docs/performance.md, "PostgreSQL
 * round trips per request").
 */
const TICKET_BY_ID = prepared(`
  SELECT ${TICKET_FIELDS}, c.name AS requester_name, c.email AS requester_email,
    (SELECT coalesce(array_agg(f.contact_id ORDER BY f.contact_id), '{}') FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids,
    ta.tier AS account_tier, ta.sla_policy AS account_sla_policy
  FROM tickets t JOIN contacts c ON c.id = t.requester_id LEFT JOIN accounts ta ON ta.id = t.account_id
  WHERE t.id = $1`);

/**
 * The ticket rows of `pageTickets` (add a WHERE), each with its account's SLA policy
 * (`slaAccountReadWith`) and the seen marker of the contact `seenBy` (a placeholder;
 * `seenAtReadWith`, none when null). Both would otherwise be a round trip of their own after
 * the page (`getAccount` for the SLA clock, `ticketsSeenAt` for `unread`); read here, in
 * statements planned once per connection, they cost the planner nothing per request
 * (docs/performance.md, "PostgreSQL list requests, round 3"), under the same
 * row-level-security scope as those calls. `account` (a placeholder), when every row is of
 * that one account: its policy is read once per statement (an InitPlan) instead of joined to
 * each row (about 15 % of the statement's database CPU at 1M).
 */
const ticketDetailsSql = (seenBy: string, account?: string) => `
  SELECT ${TICKET_FIELDS}, c.name AS requester_name, c.email AS requester_email,
    (SELECT coalesce(array_agg(f.contact_id ORDER BY f.contact_id), '{}') FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids,
    ${
      account
        ? `(SELECT a.tier FROM accounts a WHERE a.id = ${account}) AS account_tier, (SELECT a.sla_policy FROM accounts a WHERE a.id = ${account}) AS account_sla_policy`
        : 'ta.tier AS account_tier, ta.sla_policy AS account_sla_policy'
    },
    (SELECT s.seen_at FROM ticket_seen s WHERE s.contact_id = ${seenBy} AND s.ticket_id = t.id) AS seen_at
  FROM tickets t JOIN contacts c ON c.id = t.requester_id${account ? '' : ' LEFT JOIN accounts ta ON ta.id = t.account_id'}`;

/** Tickets by id (`$1`), in no order, with the seen markers of the contact `$2` (see `ticketDetailsSql`, `pageTickets`). */
const TICKETS_BY_IDS = prepared(`${ticketDetailsSql('$2')} WHERE t.id = ANY($1)`);

/** Most tickets a page of a text search tests in list order before it asks the word index (see pageTickets). */
const SEARCH_WALK = 500;
/**
 * What a ticket fetched by its number (the matches read from ticket_words) costs against one
 * tested in a walk of its accounts' tickets, about: matches beyond 1/LOOKUP_COST of the
 * accounts' tickets are cheaper to find by testing them all (see `wordMatches`).
 */
const LOOKUP_COST = 3;
/**
 * Most ticket_words rows of a word for a search page to read its matches: a page from the
 * matches fetches and sorts them all, while a walk of the list in order stops at the page's
 * end, which for a word in thousands of tickets usually comes first.
 */
const PAGE_WORD_ROWS = 2_000;
/**
 * Most ticket_words rows of each word a search page by last update counts to choose the word
 * whose rows it reads (the rarest): enough to tell a word of a few tickets from a common one,
 * few enough that counting two common words costs little next to the page.
 */
const ORDER_CHOICE_ROWS = 500;
/**
 * Most words a search word may begin in one account for a search page to merge their ranges of
 * ticket_words in list order; a word beginning more (a one-letter word) walks the list instead.
 */
const WORD_TERMS_CAP = 50;
/** The end of the range of words beginning with a word: U+10FFFF is never part of one (searchWords splits on it). */
const WORD_END = '\u{10FFFF}';

/** A tsvector literal of already-folded words (letters, digits, private-use only: nothing to escape but quotes). */
export function tsvectorOf(words: Iterable<string>): string {
  return [...new Set(words)].map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' ');
}

/** A tsquery of words, each a prefix (`'w':*`), joined by `&` (all) or `|` (any). */
function tsqueryOf(words: readonly string[], join: '&' | '|', prefixAll = true, prefixLast = true): string {
  return words
    .map((w, i) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefixAll || (prefixLast && i === words.length - 1) ? ':*' : ''}`)
    .join(` ${join} `);
}

/** A search word: matching the words it begins (`prefix`) or itself alone. */
interface Word {
  word: string;
  prefix: boolean;
}

/**
 * The numbers of the tickets of `accounts` holding `word`, from ticket_words: its B-tree is read
 * through leakproof comparisons only, so row-level security lets the plan use it (see
 * postgres-schema.ts, migration 9).
 */
function wordTicketsSql({ word, prefix }: Word, accounts: readonly string[], p: Params): string {
  const match = prefix ? `word >= ${p.add(word)} AND word < ${p.add(word + WORD_END)}` : `word = ${p.add(word)}`;
  return `SELECT ticket_number FROM ticket_words WHERE ${p.any('account_id', accounts)} AND ${match}`;
}

/** Search words that are all prefixes (a ticket list's words). */
const prefixes = (words: readonly string[]): Word[] => words.map((word) => ({ word, prefix: true }));

/** The distinct accounts a scope's clauses name. */
const scopeAccounts = (scope: TicketScope): string[] => [...new Set(scope.map((clause) => clause.accountId))];

/** The policy scope (core `ticketScope`) as an OR of clauses with bound parameters. */
function scopeSql(scope: TicketScope, p: Params): string {
  if (scope.length === 0) return 'false';
  const parts = scope.map((clause) => {
    switch (clause.kind) {
      case 'all':
        return `t.account_id = ${p.id(clause.accountId)}`;
      case 'involved': {
        const contact = p.id(clause.contactId);
        return `(t.account_id = ${p.id(clause.accountId)} AND (t.requester_id = ${contact} OR EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.contact_id = ${contact})))`;
      }
      case 'shared':
        return `(t.account_id = ${p.id(clause.accountId)} AND t.visibility = 'account'${clause.categories !== null ? ` AND ${p.any('t.category', clause.categories)}` : ''})`;
    }
  });
  return `(${parts.join(' OR ')})`;
}

/**
 * A ticket search's scope and filter with what the planner cannot prove taken out, same rows:
 * scope clauses of accounts the filter leaves out are dropped, and with them the filter's
 * account list (every remaining clause names one of its accounts); a clause of the tickets a
 * contact is involved in becomes the whole account when the filter asks only for that
 * contact's own tickets (the Mine view). Otherwise PostgreSQL counts the account condition
 * twice, prices the follower sub-plan into every row, and fetches and sorts all of a
 * requester's tickets instead of walking `tickets_requester` in order to the page's end.
 */
function narrowSearch(scope: TicketScope, filter: TicketFilter): [TicketScope, TicketFilter] {
  const accounts = filter.accountIds;
  if (!accounts) return [scope, filter];
  const requesters = filter.requesterIds;
  const narrowed = scope
    .filter((clause) => accounts.includes(clause.accountId))
    .map((clause): ScopeClause =>
      clause.kind === 'involved' && requesters?.length && requesters.every((r) => r === clause.contactId)
        ? { kind: 'all', accountId: clause.accountId }
        : clause,
    );
  return [narrowed, { ...filter, accountIds: undefined }];
}

function filterSql(f: TicketFilter, p: Params): string {
  const parts: string[] = [];
  if (f.accountIds) parts.push(p.any('t.account_id', f.accountIds));
  if (f.statuses) parts.push(p.any('t.status', f.statuses));
  if (f.priorities) parts.push(p.any('t.priority', f.priorities));
  if (f.categories) parts.push(p.any('t.category', f.categories));
  if (f.requesterIds) parts.push(p.any('t.requester_id', f.requesterIds));
  if (f.followerId !== undefined) parts.push(`EXISTS (SELECT 1 FROM ticket_followers f2 WHERE f2.ticket_id = t.id AND f2.contact_id = ${p.add(f.followerId)})`);
  if (f.assignees) {
    const named = p.any(
      't.assignee',
      f.assignees.filter((a): a is string => a !== null),
    );
    parts.push(f.assignees.includes(null) ? `(t.assignee IS NULL OR ${named})` : named);
  }
  if (f.updatedSince !== undefined) parts.push(`t.updated_at >= ${p.add(f.updatedSince)}`);
  const words = f.text ? [...new Set(searchWords(f.text))] : [];
  if (words.length) parts.push(`t.search_vector @@ ${p.add(tsqueryOf(words, '&'))}::tsquery`);
  return parts.length ? parts.join(' AND ') : 'true';
}

/** A ticket's row for insertion (columns of `tickets`). */
function ticketRow(t: Omit<Ticket, 'ref' | 'requester' | 'followerIds'> & { number: number; requesterId: string }, commentWords: readonly string[] = []): Row {
  const ref = ticketRef(t.number);
  return {
    id: t.id,
    number: t.number,
    ref,
    account_id: t.accountId,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    priority_rank: PRIORITY_RANK[t.priority],
    category: t.category,
    visibility: t.visibility,
    requester_id: t.requesterId,
    assignee: t.assignee,
    escalated: t.escalated,
    comment_count: t.commentCount,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
    sla_due_at: t.slaDueAt ?? null,
    sla_rank: slaRank(t.slaDueAt),
    satisfaction_rating: t.satisfaction?.rating ?? null,
    satisfaction_comment: t.satisfaction?.comment ?? null,
    satisfaction_at: t.satisfaction?.ratedAt ?? null,
    business_impact: t.businessImpact ?? null,
    merged_into_id: t.mergedInto?.id ?? null,
    merged_into_ref: t.mergedInto?.ref ?? null,
    search_vector: tsvectorOf([...searchWords(`${ref} ${t.subject} ${t.description}`), ...commentWords]),
    subject_vector: tsvectorOf(searchWords(`${ref} ${t.subject}`)),
  };
}

const commentRow = (c: Comment): Row => ({
  id: c.id,
  ticket_id: c.ticketId,
  author_kind: c.author.kind,
  author_id: c.author.id,
  author_name: c.author.name,
  body: c.body,
  created_at: c.createdAt,
});

const activityRow = (a: Activity): Row => ({
  id: a.id,
  account_id: a.accountId,
  type: a.type,
  actor_kind: a.actor.kind,
  actor_id: a.actor.id,
  actor_name: a.actor.name,
  ticket_id: a.ticketId,
  contact_id: a.contactId,
  data: a.data,
  created_at: a.createdAt,
});

const contactRow = (c: Contact): Row => ({
  id: c.id,
  account_id: c.accountId,
  email: c.email,
  name: c.name,
  role: c.role,
  status: c.status,
  created_at: c.createdAt,
  last_seen_at: c.lastSeenAt,
  version: c.version ?? 1,
  locale: c.locale ?? null,
});

const accountRow = (a: Account): Row => ({
  id: a.id,
  name: a.name,
  domains: a.domains,
  tier: a.tier,
  parent_id: a.parentId,
  default_visibility: a.defaultVisibility,
  status: a.status,
  sla_policy: a.slaPolicy,
  updated_at: a.updatedAt,
  version: a.version ?? 1,
});

const articleRow = (a: Article): Row => ({
  id: a.id,
  title: a.title,
  summary: a.summary,
  body: a.body,
  category: a.category,
  locale: a.locale,
  // A json array of tiers, NULL for every account.
  audience_tiers: a.audience === 'all' ? null : a.audience.tiers,
  status: a.status,
  published_at: a.publishedAt,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  version: a.version,
  search_vector: tsvectorOf(searchWords(`${a.title} ${a.summary} ${a.body}`)),
  title_vector: tsvectorOf(searchWords(a.title)),
});

const attachmentRow = (r: AttachmentRecord): Row => ({
  id: r.id,
  account_id: r.accountId,
  uploader_id: r.uploaderId,
  ticket_id: r.ticketId,
  name: r.name,
  content_type: r.contentType,
  size: r.size,
  created_at: r.createdAt,
});

/** The filters of an article search as SQL over `articles` (see `articleMatches`). */
function articleFilterSql(s: ArticleSearch, p: Params): string {
  const parts: string[] = [];
  if (s.status !== undefined) parts.push(`status = ${p.add(s.status)}`);
  // audience_tiers is a json array of tiers; NULL means every account.
  if (s.tier !== undefined) parts.push(`(audience_tiers IS NULL OR (audience_tiers::jsonb) ? ${p.add(s.tier)})`);
  if (s.language !== undefined) {
    const language = p.add(s.language);
    // Languages are letters only (a BCP 47 primary subtag), so LIKE needs no escaping.
    parts.push(`(lower(locale) = ${language} OR lower(locale) LIKE ${language} || '-%')`);
  }
  if (s.locale !== undefined) parts.push(`lower(locale) = lower(${p.add(s.locale)})`);
  return parts.length ? parts.join(' AND ') : 'true';
}

const savedViewRow = (v: SavedView): Row => ({
  id: v.id,
  account_id: v.accountId,
  owner_id: v.ownerId,
  name: v.name,
  shared: v.shared,
  query: v.query,
  created_at: v.createdAt,
});

/** A pending delivery of an outbox event (a row with sequence, id, type, ticket_id) to an endpoint, due now. */
const deliveryRow = (endpointId: string, event: Row, now: string): Row => ({
  id: newId('dlv'),
  endpoint_id: endpointId,
  event_sequence: Number(event.sequence),
  event_id: str(event.id),
  event_type: str(event.type),
  ticket_id: strOrNull(event.ticket_id),
  status: 'pending',
  attempts: 0,
  next_attempt_at: now,
  created_at: now,
});

/** Options of `PostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). See docs/deploy.md for sizing. */
  poolSize?: number | undefined;
  /** Milliseconds to wait for a connection before failing a request (default 5000). */
  connectionTimeoutMs?: number | undefined;
  /**
   * Milliseconds a text search (a ticket page or count with words) may run before PostgreSQL
   * cancels it and the store throws `SearchTimeoutError` (default 2000).
   */
  searchTimeoutMs?: number | undefined;
}

/** PostgreSQL's SQLSTATE of a statement cancelled by `statement_timeout`. */
const QUERY_CANCELED = '57014';

/** Error codes of a connection that failed or was refused (node and PostgreSQL). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Whether an error means "the database is down or unreachable" rather than a bad query. */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e instanceof StoreUnavailableError) return true;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(e.message ?? '');
}

/** Whether a prepared statement failed because a migration changed the columns it returns. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/** `Store` on a PostgreSQL database. Create with `PostgresStore.open(url)` (migrates) or `new` + `migrate()`. */
export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly #scope = new AsyncLocalStorage<AccountScope>();
  /** The session value of `portico.account_ids` each pooled connection has (see `read`). */
  readonly #sessionScope = new WeakMap<pg.PoolClient, string>();
  readonly #listeners = new Set<() => void>();
  readonly #outboxListeners = new Set<() => void>();
  /** Backend process ids of this store's pooled connections: their NOTIFYs were already heard locally. */
  readonly #ownPids = new Set<number>();
  #listener: pg.Client | undefined;
  #listening: Promise<void> | undefined;
  readonly #url: string;
  readonly #searchTimeoutMs: number;
  #closed = false;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.#url = url;
    this.#searchTimeoutMs = options.searchTimeoutMs ?? 2000;
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000 });
    // A connection dropped by the server must not crash the process: pg emits 'error' on the
    // client (idle or checked out) besides failing its query, which the store turns into
    // StoreUnavailableError; the pool replaces the connection.
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => {
      client.on('error', () => {});
      const pid = (client as unknown as { processID: number | null }).processID;
      if (pid !== null) this.#ownPids.add(pid);
    });
    this.pool.on('remove', (client) => this.#ownPids.delete((client as unknown as { processID: number }).processID));
  }

  /** Connects, applies pending migrations unless `migrate: false`, and returns the store. */
  static async open(url: string, options: PostgresStoreOptions & { migrate?: boolean } = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      if (options.migrate !== false) await store.migrate();
      else await store.checkSchema();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Applies migrations newer than the database's version; resolves with those applied. */
  async migrate(migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<number[]> {
    const driver: MigrationDriver = {
      // Several instances may start at once on a new database: one creates the table under the
      // lock the migrations take (CREATE TABLE IF NOT EXISTS alone is not safe against a
      // concurrent twin: it fails on the catalog's unique index), the others wait for it.
      applied: () =>
        this.tx(async (q) => {
          await q.run('CREATE TABLE IF NOT EXISTS portico_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
          return (await q.all('SELECT version FROM portico_migrations ORDER BY version')).map((r: Row) => Number(r.version));
        }, LOCK_JOBS),
      apply: (m, appliedAt) =>
        this.tx(async (q) => {
          // Re-check under the lock: another instance may have applied it meanwhile.
          if (await q.get('SELECT 1 FROM portico_migrations WHERE version = $1', [m.version])) return;
          await q.run(m.sql);
          await q.run('INSERT INTO portico_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, appliedAt]);
        }, LOCK_JOBS),
    };
    return runMigrations(driver, migrations);
  }

  /** Throws `MigrationError` when migrations are pending (for `--no-migrate`). */
  async checkSchema(migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<void> {
    const exists = await this.pool.query("SELECT to_regclass('portico_migrations') AS t");
    const applied = exists.rows[0].t ? (await this.pool.query('SELECT version FROM portico_migrations')).rows.map((r: Row) => Number(r.version)) : [];
    const pending = pendingMigrations(migrations, applied);
    if (pending.length)
      throw new MigrationError(`The database needs ${pending.length} migration(s); run \`portico-server migrate\` or start without --no-migrate.`);
  }

  /** Runs `fn` with store calls scoped to these accounts ('all' for service-plane and internal work). */
  runAs<T>(scope: AccountScope, fn: () => Promise<T>): Promise<T> {
    return this.#scope.run(scope, fn);
  }

  /** A pooled connection; a refused or failed connection becomes `StoreUnavailableError`. */
  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw isUnavailable(error) ? new StoreUnavailableError(`The database is unavailable: ${(error as Error).message}`, { cause: error }) : error;
    }
  }

  /** The `portico.account_ids` value of the current `runAs` scope ('*' outside one). */
  private scopeSetting(): string {
    const scope = this.#scope.getStore() ?? 'all';
    return scope === 'all' ? '*' : scope.join(',');
  }

  /** Runs `fn` on a connection; releases it (discarding it when broken) and maps outages. */
  private async onConnection<T>(fn: (client: pg.PoolClient) => Promise<T>, onError?: (client: pg.PoolClient) => Promise<void>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      return await fn(client);
    } catch (error) {
      if (onError) await onError(client).catch(() => (broken = true));
      if (isUnavailable(error)) {
        broken = true;
        throw new StoreUnavailableError(`The database is unavailable: ${(error as Error).message}`, { cause: error });
      }
      if (isStalePlan(error)) {
        // Another instance migrated the schema: this connection's prepared statements are of
        // the old one. Dropping the connection drops them; the retry prepares them afresh.
        broken = true;
        throw new StoreUnavailableError(`The database schema changed; retry: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `fn` in a transaction whose row-level-security scope is the current `runAs` ('*'
   * outside one), set transaction-locally. `lock`: a transaction-scoped advisory lock to take
   * first. A commit that appended activity notifies `portico_activity`.
   */
  private tx<T>(fn: (q: Tx) => Promise<T>, lock?: number): Promise<T> {
    return this.onConnection(
      async (client) => {
        let appended = false;
        let outboxWritten = false;
        const q = runner(client, (sql) => {
          if (/^\s*INSERT INTO activity\b/.test(sql)) appended = true;
          if (/^\s*INSERT INTO service_outbox\b/.test(sql)) outboxWritten = true;
        });
        // One round trip: BEGIN and the scope (a literal, escaped by the driver).
        await client.query(`BEGIN; SELECT set_config('portico.account_ids', ${client.escapeLiteral(this.scopeSetting())}, true)`);
        if (lock !== undefined) await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
        const result = await fn(q);
        // The notifications and the commit in one round trip: a write that appended holds the
        // append lock (and often a hot row) until it commits, so every round trip after the
        // lock lengthens the queue of writers behind it.
        await client.query(
          [
            appended && `SELECT pg_notify('${ACTIVITY_CHANNEL}', (SELECT max(seq)::text FROM activity))`,
            outboxWritten && `SELECT pg_notify('${OUTBOX_CHANNEL}', '')`,
            'COMMIT',
          ]
            .filter(Boolean)
            .join('; '),
        );
        // This instance's listeners hear of its own writes at once (other instances by NOTIFY),
        // outside the writer's scope: what they read (the live hub, webhook delivery) is
        // internal work for every account, not the caller's.
        this.#scope.exit(() => {
          if (appended) wake(this.#listeners);
          if (outboxWritten) wake(this.#outboxListeners);
        });
        return result;
      },
      async (client) => {
        await client.query('ROLLBACK');
      },
    );
  }

  /**
   * Runs reads without a transaction block: each statement is its own transaction. The scope
   * is then a session setting of the connection, written only when it differs from what that
   * connection last had (usually one round trip per read instead of four); writes still set
   * it per transaction, which overrides the session value inside them.
   */
  private read<T>(fn: (q: Tx) => Promise<T>): Promise<T> {
    return this.onConnection(async (client) => {
      const want = this.scopeSetting();
      if (this.#sessionScope.get(client) !== want) {
        this.#sessionScope.delete(client);
        await client.query("SELECT set_config('portico.account_ids', $1, false)", [want]);
        this.#sessionScope.set(client, want);
      }
      return fn(runner(client));
    });
  }

  /**
   * `read`, and when the filter has words, inside a read-only transaction whose statements
   * PostgreSQL cancels after the search budget: a word found in most of a large account's
   * tickets answers `SearchTimeoutError` instead of holding a connection and a core.
   *
   * JIT compilation is off there: row-level security keeps the full-text index out of these
   * plans (`@@` is not leakproof, so it may not run before the policy), so a statement that
   * tests the words of a large account's tickets is priced high enough to be compiled, which
   * cost more than the statement itself (docs/performance.md, "PostgreSQL search at 1M").
   */
  private readSearch<T>(filter: TicketFilter, fn: (q: Tx) => Promise<T>, settings = ''): Promise<T> {
    if (!filter.text) return this.read(fn);
    return this.read(async (q) => {
      // One round trip: the budget is a whole number of milliseconds and `settings` constant SQL, nothing to bind.
      await q.run(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(this.#searchTimeoutMs))}; SET LOCAL jit = off; ${settings}`);
      try {
        const result = await fn(q);
        await q.run('COMMIT');
        return result;
      } catch (error) {
        await q.run('ROLLBACK');
        if ((error as { code?: string }).code === QUERY_CANCELED) {
          throw new SearchTimeoutError(`The search ran past its budget of ${this.#searchTimeoutMs} ms`, { cause: error });
        }
        throw error;
      }
    });
  }

  /** Inserts rows (objects keyed by column) in one statement. */
  private async insertRows(q: Tx, table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    // Activity takes the append lock first, so its seq order is its commit order.
    if ((table === 'activity' || table === 'service_outbox') && !q.appendLocked) {
      await q.get('SELECT pg_advisory_xact_lock($1)', [LOCK_ACTIVITY]);
      q.appendLocked = true;
    }
    for (let i = 0; i < rows.length; i += 2000) {
      await q.run(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(null::${table}, $1)`, [
        JSON.stringify(rows.slice(i, i + 2000)),
      ]);
    }
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const r = await this.read((q) => q.get(prepared('SELECT * FROM accounts WHERE id = $1'), [id]));
    return r && toAccount(r);
  }

  async listChildAccounts(parentId: string): Promise<Account[]> {
    return (await this.read((q) => q.all('SELECT * FROM accounts WHERE parent_id = $1 ORDER BY name, id', [parentId]))).map(toAccount);
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const r = await this.read((q) => q.get('SELECT * FROM contacts WHERE id = $1', [id]));
    return r && toContact(r);
  }

  async findContactByEmail(accountId: string, email: string): Promise<Contact | undefined> {
    const r = await this.read((q) => q.get(prepared('SELECT * FROM contacts WHERE account_id = $1 AND lower(email) = lower($2)'), [accountId, email]));
    return r && toContact(r);
  }

  async createContact(contact: Contact): Promise<Contact> {
    return this.tx(async (q) => {
      await this.insertRows(q, 'contacts', [contactRow(contact)]);
      return toContact((await q.get('SELECT * FROM contacts WHERE id = $1', [contact.id]))!);
    });
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined> {
    return this.tx(async (q) => {
      const p = new Params();
      const sets: string[] = [];
      const managed: string[] = [];
      for (const [column, value] of [
        ['name', patch.name],
        ['role', patch.role],
        ['status', patch.status],
      ] as const) {
        if (value === undefined) continue;
        const ph = p.add(value);
        sets.push(`${column} = ${ph}`);
        managed.push(`${column} IS DISTINCT FROM ${ph}`);
      }
      if (patch.lastSeenAt !== undefined) sets.push(`last_seen_at = ${p.add(patch.lastSeenAt)}`);
      // The version (ETag) moves only when what an admin manages changes, not on "last seen".
      if (managed.length) sets.push(`version = version + (CASE WHEN ${managed.join(' OR ')} THEN 1 ELSE 0 END)`);
      if (sets.length) await q.run(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
      const r = await q.get('SELECT * FROM contacts WHERE id = $1', [id]);
      return r && toContact(r);
    });
  }

  async listContacts(search: ContactSearch): Promise<ContactSlice> {
    const p = new Params();
    const where = [`c.account_id = ${p.add(search.accountId)}`];
    if (search.statuses) where.push(p.any('c.status', search.statuses));
    if (search.roles) where.push(p.any('c.role', search.roles));
    const rows = await this.read((q) => q.all(`${CONTACT_WITH_COUNT} WHERE ${where.join(' AND ')}`, p.values));
    // One account's contacts are few: the shared predicate and comparator keep every store's
    // text match (JS lower-casing) and order identical.
    const all = rows
      .map(toContact)
      .filter((c) => contactMatches(c, search))
      .sort(contactOrder(search.sort, search.dir));
    return { items: all.slice(search.offset, search.offset + search.limit), more: all.length > search.offset + search.limit };
  }

  async countActiveAdmins(accountId: string): Promise<number> {
    return this.read((q) => this.activeAdmins(q, accountId));
  }

  private async activeAdmins(q: Tx, accountId: string): Promise<number> {
    return Number((await q.get(`SELECT count(*) AS n FROM contacts WHERE account_id = $1 AND role = 'admin' AND status = 'active'`, [accountId]))!.n);
  }

  async inviteContact(draft: InvitationDraft, options: WriteOptions = {}): Promise<ContactWriteResult> {
    return this.tx(async (q) => {
      // The account row lock queues contact writes of one account (two invitations of one email).
      const account = await q.get('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [draft.accountId]);
      const existing = await q.get('SELECT * FROM contacts WHERE account_id = $1 AND lower(email) = lower($2)', [draft.accountId, draft.email]);
      const result = planInvitation(draft, account && toAccount(account), existing && toContact(existing));
      if (!result.ok) return result;
      await this.insertRows(q, 'contacts', [contactRow(result.plan.contact)]);
      await this.record(q, result.plan.activity, result.plan.outbox);
      const created = (await this.contactWithCount(q, result.plan.contact.id))!;
      await this.complete(q, options, created);
      return { ok: true as const, contact: created, transferred: [] };
    });
  }

  async resendInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    return this.tx(async (q) => {
      const [contact, account] = await this.contactAndAccount(q, change.contactId);
      const result = planInvitationChange('resend', change, contact, account);
      if (!result.ok) return result;
      await this.record(q, result.plan.activity, result.plan.outbox);
      return { ok: true as const, contact: (await this.contactWithCount(q, change.contactId))!, transferred: [] };
    });
  }

  async revokeInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    return this.tx(async (q) => {
      const [contact, account] = await this.contactAndAccount(q, change.contactId);
      const result = planInvitationChange('revoke', change, contact, account);
      if (!result.ok) return result;
      const id = change.contactId;
      let contactAfter = result.plan.contact;
      // Removed unless something already refers to the invitee: then it stays, deactivated.
      await q.run('SAVEPOINT revoke_invitation');
      try {
        await q.run('DELETE FROM ticket_followers WHERE contact_id = $1', [id]);
        await q.run('UPDATE activity SET contact_id = NULL WHERE contact_id = $1', [id]);
        await q.run('DELETE FROM contacts WHERE id = $1', [id]);
        await q.run('RELEASE SAVEPOINT revoke_invitation');
      } catch {
        await q.run('ROLLBACK TO SAVEPOINT revoke_invitation');
        await q.run(`UPDATE contacts SET status = 'deactivated', version = version + 1 WHERE id = $1`, [id]);
        contactAfter = (await this.contactWithCount(q, id))!;
      }
      await this.record(q, result.plan.activity, result.plan.outbox);
      return { ok: true as const, contact: contactAfter, transferred: [] };
    });
  }

  async changeContact(change: ContactChange): Promise<ContactWriteResult> {
    return this.tx(async (q) => {
      const [contact, account] = await this.contactAndAccount(q, change.contactId);
      const targetRow = change.transferTo !== undefined ? await q.get('SELECT * FROM contacts WHERE id = $1', [change.transferTo]) : undefined;
      const openTickets =
        change.transferTo !== undefined && contact
          ? (
              await q.all(`SELECT id, ref, subject, status FROM tickets WHERE requester_id = $1 AND status IN ${UNSOLVED_SQL} ORDER BY created_at, id`, [
                contact.id,
              ])
            ).map(toOpenTicket)
          : [];
      const result = planContactChange(change, {
        contact,
        account,
        target: targetRow && toContact(targetRow),
        activeAdmins: contact ? await this.activeAdmins(q, contact.accountId) : 0,
        openTickets,
      });
      if (!result.ok) return result;
      const { plan } = result;
      await q.run('UPDATE contacts SET role = $1, status = $2, version = $3 WHERE id = $4', [
        plan.contact.role,
        plan.contact.status,
        plan.contact.version ?? 1,
        plan.contact.id,
      ]);
      for (const ticketId of plan.transferTicketIds) {
        await q.run('UPDATE tickets SET requester_id = $1, updated_at = $2, version = version + 1 WHERE id = $3', [plan.transferTo!.id, change.now, ticketId]);
      }
      await this.record(q, plan.activity, plan.outbox);
      const transferred: Ticket[] = [];
      for (const id of plan.transferTicketIds) transferred.push(await this.ticketIn(q, id));
      return { ok: true as const, contact: (await this.contactWithCount(q, plan.contact.id))!, transferred };
    });
  }

  async listOutbox(read: OutboxRead): Promise<OutboxEvent[]> {
    const p = new Params();
    let where = `sequence > ${p.add(read.after)}`;
    if (read.types) where += ` AND ${p.any('type', read.types)}`;
    return (await this.read((q) => q.all(`SELECT * FROM service_outbox WHERE ${where} ORDER BY sequence LIMIT ${p.add(read.limit)}`, p.values))).map(
      toOutboxEvent,
    );
  }

  /**
   * A contact and its account, the account row locked until commit: contact changes of one
   * account queue up, so guards such as "keep one active admin" see each other's writes.
   */
  private async contactAndAccount(q: Tx, contactId: string): Promise<[Contact | undefined, Account | undefined]> {
    const owner = await q.get('SELECT account_id FROM contacts WHERE id = $1', [contactId]);
    if (!owner) return [undefined, undefined];
    const account = await q.get('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [owner.account_id]);
    const row = await q.get('SELECT * FROM contacts WHERE id = $1', [contactId]);
    return row ? [toContact(row), account && toAccount(account)] : [undefined, undefined];
  }

  private async contactWithCount(q: Tx, id: string): Promise<Contact | undefined> {
    const r = await q.get(`${CONTACT_WITH_COUNT} WHERE c.id = $1`, [id]);
    return r && toContact(r);
  }

  /** Writes a change's activity entries and outbox events (inside the caller's transaction). */
  private async record(q: Tx, activity: readonly Activity[], outbox: readonly OutboxDraft[]): Promise<void> {
    for (const a of activity) await this.writeActivity(q, a);
    await this.insertOutbox(q, outbox);
  }

  /** Writes an activity entry and its outbox event (see outbox.ts), inside the caller's transaction. */
  private async writeActivity(q: Tx, a: Activity): Promise<void> {
    await this.insertRows(q, 'activity', [activityRow(a)]);
    if (!ACTIVITY_OUTBOX[a.type]) return;
    const ticket = a.ticketId ? await this.ticketIn(q, a.ticketId) : undefined;
    const event = outboxEventOf(a, ticket);
    if (event) await this.insertOutbox(q, [event]);
  }

  private async insertOutbox(q: Tx, events: readonly OutboxDraft[]): Promise<void> {
    await this.insertRows(
      q,
      'service_outbox',
      events.map((e) => ({ id: e.id, type: e.type, account_id: e.accountId, ticket_id: e.ticketId, data: e.data, occurred_at: e.occurredAt })),
    );
  }

  async searchTickets(search: TicketSearch): Promise<Page<Ticket>> {
    const p = new Params();
    const [scope, filter] = narrowSearch(search.scope, search.filter);
    return this.pageTickets(scopeSql(scope, p), p, { ...search, filter }, scopeAccounts(scope));
  }

  /**
   * The ticket_words rows of each of `words` in `accounts` (or of all of them together, as one
   * count, when `together`), counted up to `cap` in one statement on `q` that reads at most
   * `cap` index entries per count: 1/LOOKUP_COST of the accounts' tickets, from the view
   * counters, and at most `most`.
   */
  private async wordRows(
    q: Tx,
    words: readonly Word[],
    accounts: readonly string[],
    { most = 2 ** 31 - 1, together = false } = {},
  ): Promise<{ rows: number[]; cap: number }> {
    const p = new Params();
    const cap = `(SELECT least(coalesce(sum(n), 0) / ${LOOKUP_COST}, ${most}) FROM ticket_counts WHERE ${p.any('account_id', accounts)})`;
    const sets = together ? [words.map((w) => wordTicketsSql(w, accounts, p)).join(' UNION ALL ')] : words.map((w) => wordTicketsSql(w, accounts, p));
    const counts = sets.map((rows, i) => `(SELECT count(*) FROM (${rows} LIMIT ${cap}) x) AS n${i}`);
    const row = (await q.get(`SELECT ${cap} AS cap, ${counts.join(', ')}`, p.values))!;
    return { rows: sets.map((_, i) => Number(row[`n${i}`])), cap: Number(row.cap) };
  }

  /**
   * A WHERE fragment (parameters in `p`) true of the tickets of `accounts` holding the word of
   * `words` (prefixes) with the fewest rows in ticket_words, when those are fewer than the cap
   * of `wordRows` (and `most`); the caller tests every word (`@@`) on those tickets alone, so a
   * search costs what the matches of its rarest word cost, however large the accounts.
   * Undefined when every word is that common: testing the tickets of the scope is then cheaper.
   */
  private async wordMatches(q: Tx, words: readonly string[], accounts: readonly string[], p: Params, most?: number): Promise<string | undefined> {
    const { rows, cap } = await this.wordRows(q, prefixes(words), accounts, { most });
    const fewest = Math.min(...rows);
    if (fewest >= cap) return undefined;
    return `t.number IN (${wordTicketsSql(prefixes(words)[rows.indexOf(fewest)]!, accounts, p)})`;
  }

  /**
   * A FROM item (parameters in `p`) of the ticket_words rows `(updated_at, ticket_number)` of
   * the search word of `words` with the fewest rows, in `accounts`, in list order (newest
   * first), each ticket once, from `from` (a cursor's last update) down; undefined when the word
   * begins more than WORD_TERMS_CAP words in one account (a one-letter word), left to the walk.
   * Each (account, word) is one range of the B-tree (migration 10), so the merge of a prefix's
   * words and the accounts' ranges is read lazily: a page stops after its matches, and
   * `ORDER BY w.updated_at, t.id` sorts only the tickets of one last update (an incremental
   * sort), which gives the list's exact order. The caller tests every word (`@@`), the scope and
   * the filters on each ticket, so two words read the rarer's rows and test the other.
   */
  private async orderedMatches(q: Tx, words: readonly string[], accounts: readonly string[], p: Params, from?: string | number): Promise<string | undefined> {
    let word = words[0]!;
    if (words.length > 1) {
      const { rows } = await this.wordRows(q, prefixes(words), accounts, { most: ORDER_CHOICE_ROWS });
      // The fewest rows, counted up to a cap: of words equally common, the longest.
      const best = words.map((w, i) => ({ w, n: rows[i]! })).sort((a, b) => a.n - b.n || b.w.length - a.w.length)[0]!;
      word = best.w;
    }
    // The words `word` begins in each account, one B-tree descent each (a loose index scan).
    const t = new Params();
    const end = t.add(word + WORD_END);
    const terms = await q.all(
      `WITH RECURSIVE terms (account_id, word, n) AS (
         SELECT a, (SELECT min(w.word) FROM ticket_words w WHERE w.account_id = a AND w.word >= ${t.add(word)} AND w.word < ${end}), 1
           FROM unnest(${t.add(accounts)}::text[]) a
         UNION ALL
         SELECT s.account_id, (SELECT min(w.word) FROM ticket_words w WHERE w.account_id = s.account_id AND w.word > s.word AND w.word < ${end}), s.n + 1
           FROM terms s WHERE s.word IS NOT NULL AND s.n <= ${WORD_TERMS_CAP}
       ) SELECT account_id, word, n FROM terms WHERE word IS NOT NULL`,
      t.values,
    );
    if (terms.some((r) => Number(r.n) > WORD_TERMS_CAP)) return undefined;
    if (terms.length === 0) return '(SELECT NULL::text AS updated_at, NULL::integer AS ticket_number WHERE false)';
    const since = from === undefined ? '' : ` AND updated_at <= ${p.add(from)}`;
    // Each range sorted in its own sub-select: PostgreSQL merges those (Merge Append), while a
    // UNION ALL of filtered selects would be read whole and sorted.
    const ranges = terms.map(
      (r) =>
        `(SELECT updated_at, ticket_number FROM ticket_words WHERE account_id = ${p.add(r.account_id)} AND word = ${p.add(r.word)}${since} ORDER BY updated_at DESC, ticket_number DESC)`,
    );
    // A ticket holding two of a prefix's words is in two ranges: one row each (numbers are unique across accounts).
    return `(SELECT DISTINCT ON (updated_at, ticket_number) updated_at, ticket_number FROM (${ranges.join(' UNION ALL ')}) r
      ORDER BY updated_at DESC, ticket_number DESC)`;
  }

  /**
   * One keyset page of the tickets inside `scope` (a WHERE fragment with its `p` parameters) that
   * pass the search's filters; `accounts`, when known, holds every account the scope reaches
   * (a search with words then reads their matches from ticket_words).
   */
  private async pageTickets(scope: string, p: Params, search: ServiceTicketSearch, accounts?: readonly string[]): Promise<Page<Ticket>> {
    const { sort, after, limit } = search;
    const columns = SORT_COLUMNS[sort];
    const words = search.filter.text ? [...new Set(searchWords(search.filter.text))] : [];
    let where = `${scope} AND ${filterSql({ ...search.filter, text: undefined }, p)}`;
    if (after) where += ` AND (${columns.join(', ')}) < (${after.map((v) => p.add(v)).join(', ')})`;
    const order = columns.map((c) => `${c} DESC`).join(', ');
    const size = p.add(limit + 1);
    // Pick the page's ids first (sorting only the keys), then read the details of those few by
    // a prepared statement planned once per connection. The ids' statement of a list (no words)
    // in one account is prepared by its shape too: planning was most of its cost
    // (docs/performance.md, "PostgreSQL list requests, round 2"), so there the details take the
    // ids as a sub-select, one round trip (`account`). Elsewhere the ids are planned per request,
    // where each joined table under row-level security adds planning, so two statements, two
    // snapshots: a ticket written in between shows as written, at the place it had, like one
    // written between two page requests.
    const page = async (q: Tx, ids: string, account?: string): Promise<Row[]> => {
      if (account !== undefined) {
        const bound = p.values.length;
        const details = ticketDetailsSql(p.add(search.seenBy ?? null), p.add(account));
        const sql = preparedShape(`${details} WHERE t.id IN (${ids}) ORDER BY ${order}`);
        // Planned on each run (no room for another shape), the one statement costs more than two.
        if (PREPARED.has(sql)) return q.all(sql, p.values);
        p.truncate(bound);
      }
      const picked = (await q.all(ids, p.values)).map((r) => str(r.id));
      if (picked.length === 0) return [];
      const byId = new Map((await q.all(TICKETS_BY_IDS, [picked, search.seenBy ?? null])).map((r) => [str(r.id), r] as const));
      return picked.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
    };
    // A contact's own or followed tickets (Mine, Following) are a small part of the account, so
    // most of a word's rows in ticket_words would be read only to fail the filter: those walk
    // the contact's list, as other sorts do.
    const inOrder = sort === 'updated' && accounts !== undefined && search.filter.requesterIds === undefined && search.filter.followerId === undefined;
    const rows = await this.readSearch(
      search.filter,
      async (q) => {
        if (words.length === 0) {
          const ids = `SELECT t.id FROM tickets t WHERE ${where} ORDER BY ${order} LIMIT ${size}`;
          // One plan suits every value only within one account (its index in list order); the
          // generic plan of several accounts walks every ticket (a customer of a parent account
          // and its child, the service plane's account list): those are planned per request.
          return page(q, ids, accounts?.length === 1 ? accounts[0] : undefined);
        }
        // A common word is in many of the first tickets in list order: test the words on at most
        // SEARCH_WALK of those (walking the list's index) and stop at a full page. Otherwise the
        // words are rare there: the page comes from their matches in ticket_words, or without
        // known accounts from testing the whole scope (row-level security keeps the GIN index
        // out of these plans, see readSearch).
        const matches = `search_vector @@ ${p.add(tsqueryOf(words, '&'))}::tsquery`;
        // By last update (the list's default), a word's rows in ticket_words come in list order:
        // the page reads its matches newest first and stops after a page (see orderedMatches).
        if (!inOrder) {
          const walked = await page(
            q,
            `SELECT w.id FROM (SELECT ${columns.join(', ')}, t.search_vector FROM tickets t WHERE ${where} ORDER BY ${order} LIMIT ${SEARCH_WALK}) w
           WHERE w.${matches} ORDER BY ${order.replaceAll('t.', 'w.')} LIMIT ${size}`,
          );
          if (walked.length > limit) return walked;
        }
        const ordered = inOrder && (await this.orderedMatches(q, words, accounts!, p, after?.[0]));
        if (ordered) {
          return page(
            q,
            `SELECT t.id FROM ${ordered} w JOIN tickets t ON t.number = w.ticket_number
             WHERE ${where} AND t.${matches} ORDER BY w.updated_at DESC, t.id DESC LIMIT ${size}`,
          );
        }
        // Bitmap scans stay off: row-level security keeps the GIN index out anyway (see
        // readSearch), and a bitmap reads and sorts the whole scope, while the list's index in
        // order stops at the page's end (a word common below the newest tickets: 190 → 2 ms
        // at 1M; a word in none walks the whole scope either way, and ticket_words answers
        // the rare ones).
        const found = accounts && (await this.wordMatches(q, words, accounts, p, PAGE_WORD_ROWS));
        return page(q, `SELECT t.id FROM tickets t WHERE ${where} AND ${found ? `${found} AND ` : ''}t.${matches} ORDER BY ${order} LIMIT ${size}`);
      },
      // The planner, expecting few rows in scope, would read the whole account through a bitmap
      // and sort it; without bitmap scans it walks the list's index and stops. Likewise, expecting
      // few tickets to pass the words' test, it would read every row of the words' ranges and
      // sort them; without sorts it takes them in order, sorting one last update's ties at a
      // time (incremental sort), and stops.
      `SET LOCAL enable_bitmapscan = off${inOrder ? '; SET LOCAL enable_sort = off' : ''}`,
    );
    const items = rows.slice(0, limit).map((r) => {
      const ticket = toTicket(r);
      if (search.seenBy !== undefined) seenAtReadWith.set(ticket, { contactId: search.seenBy, seenAt: strOrNull(r.seen_at) });
      return ticket;
    });
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(sort, ticketKeyset(sort, last)) : null };
  }

  async countTickets(scope: TicketScope, filter: TicketFilter): Promise<number> {
    const terms = planCount(scope, filter);
    if (terms) return (await this.sumCounters([terms], [filter]))[0]!;
    return (await this.countTicketsEach(scope, [filter]))[0]!;
  }

  async countTicketsEach(scope: TicketScope, filters: readonly TicketFilter[], cap?: number): Promise<number[]> {
    if (cap !== undefined) {
      // One statement counting every view's matches (below) costs less database CPU than a
      // statement per view that stops at the cap (172 against 279 ms at 1M, docs/performance.md,
      // "Search counts with a cap"): the cap here only bounds the answer.
      const counts = await this.countTicketsEach(scope, filters);
      return counts.map((n, i) => (isCappedCount(filters[i]!, cap) ? Math.min(n, cap + 1) : n));
    }
    if (filters.length === 0) return [];
    const plans = filters.map((f) => planCount(scope, f));
    if (plans.every((terms) => terms !== undefined)) return this.sumCounters(plans as CounterTerm[][], filters);
    // The list's counts share the search's words: matched once per ticket, not once per view,
    // and through ticket_words (the matches, not the scope's every ticket).
    const text = filters[0]!.text;
    const sameText = filters.every((f) => f.text === text);
    const words = sameText && text ? [...new Set(searchWords(text))] : [];
    const withWords = filters.find((f) => f.text) ?? filters[0]!;
    const row = (await this.readSearch(withWords, async (q) => {
      const p = new Params();
      const each = filters.map((f, i) => `count(*) FILTER (WHERE ${filterSql(sameText ? { ...f, text: undefined } : f, p)}) AS n${i}`);
      const found = words.length ? await this.wordMatches(q, words, scopeAccounts(scope), p) : undefined;
      const where = `${scopeSql(scope, p)}${found ? ` AND ${found}` : ''}${words.length ? ` AND ${filterSql({ text }, p)}` : ''}`;
      return q.get(`SELECT ${each.join(', ')} FROM tickets t WHERE ${where}`, p.values);
    }))!;
    return filters.map((_, i) => Number(row[`n${i}`]));
  }

  /** The counts of `filters`, each the sum of its plan's counter rows (see count-plan.ts), in one statement. */
  private async sumCounters(plans: readonly CounterTerm[][], filters: readonly TicketFilter[]): Promise<number[]> {
    const p = new Params();
    const row = (await this.read((q) => q.get(preparedShape(counterSumsSql(plans, filters, (v) => p.add(v))), p.values)))!;
    return plans.map((_, i) => Number(row[`n${i}`]));
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const r = await this.read((q) => q.get(TICKET_BY_ID, [id]));
    return r && toTicket(r);
  }

  private async ticketIn(q: Tx, id: string): Promise<Ticket> {
    return toTicket((await q.get(TICKET_BY_ID, [id]))!);
  }

  /** The ticket, locked for the rest of the transaction (writes to one ticket queue up). */
  private async lockedTicket(q: Tx, id: string): Promise<Ticket | undefined> {
    if (!(await q.get('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [id]))) return undefined;
    return this.ticketIn(q, id);
  }

  /** The attachments of `ids`, in order and locked (`undefined` for one that does not exist), for `plans.checkAttachments`. */
  private async lockedAttachments(q: Tx, ids: readonly string[]): Promise<(AttachmentRecord | undefined)[]> {
    const found: (AttachmentRecord | undefined)[] = [];
    for (const id of ids) {
      const row = await q.get('SELECT * FROM attachments WHERE id = $1 FOR UPDATE', [id]);
      found.push(row && toAttachmentRecord(row));
    }
    return found;
  }

  async updateTicket(update: TicketUpdate): Promise<TicketUpdateResult> {
    return this.tx(async (q): Promise<TicketUpdateResult> => {
      const ticket = await this.lockedTicket(q, update.ticketId);
      if (!ticket) return { state: 'missing' };
      if (update.expectedVersion !== undefined && update.expectedVersion !== ticket.version) return { state: 'stale', ticket };
      const plan = plans.planTicketUpdate(ticket, update);
      if (!plan) return { state: 'updated', ticket };
      if (plan.resolvesEscalations) {
        await q.run('UPDATE escalations SET resolved_at = $1 WHERE ticket_id = $2 AND resolved_at IS NULL', [update.now, ticket.id]);
      }
      const p = new Params();
      const sets = plan.columns.map(([column, value]) => `${column} = ${p.add(value)}`);
      if (plan.bumpsVersion) sets.push('version = version + 1');
      if (plan.touches) sets.push(`updated_at = ${p.add(update.now)}`);
      await q.run(`UPDATE tickets SET ${sets.join(', ')} WHERE id = ${p.add(ticket.id)}`, p.values);
      for (const entry of plan.entries) await this.writeActivity(q, entry);
      return { state: 'updated', ticket: await this.ticketIn(q, ticket.id) };
    });
  }

  async escalateTicket(draft: EscalationDraft, options: WriteOptions = {}): Promise<EscalationOutcome> {
    return this.tx(async (q): Promise<EscalationOutcome> => {
      const ticket = await this.lockedTicket(q, draft.ticketId);
      if (!ticket) return { state: 'missing' };
      if (ticket.escalated) return { state: 'already_open', ticket };
      const escalation = plans.newEscalation(ticket, draft);
      await this.insertRows(q, 'escalations', [
        {
          id: escalation.id,
          ticket_id: ticket.id,
          reason: escalation.reason,
          actor_kind: escalation.actor.kind,
          actor_id: escalation.actor.id,
          actor_name: escalation.actor.name,
          priority_from: escalation.priorityFrom,
          priority_to: escalation.priorityTo,
          created_at: escalation.createdAt,
          resolved_at: null,
        },
      ]);
      await q.run('UPDATE tickets SET escalated = true, priority = $1, priority_rank = $2, version = version + 1, updated_at = $3 WHERE id = $4', [
        escalation.priorityTo,
        PRIORITY_RANK[escalation.priorityTo],
        draft.now,
        ticket.id,
      ]);
      await this.writeActivity(q, plans.escalatedEntry(ticket, escalation));
      const result = { escalation, ticket: await this.ticketIn(q, ticket.id) };
      await this.complete(q, options, result);
      return { state: 'created', ...result };
    });
  }

  async rateTicket(draft: SatisfactionDraft, options: WriteOptions = {}): Promise<SatisfactionOutcome> {
    return this.tx(async (q): Promise<SatisfactionOutcome> => {
      const ticket = await this.lockedTicket(q, draft.ticketId);
      if (!ticket) return { state: 'missing' };
      if (ticket.satisfaction) return { state: 'already_rated', ticket };
      await q.run('UPDATE tickets SET satisfaction_rating = $1, satisfaction_comment = $2, satisfaction_at = $3, version = version + 1 WHERE id = $4', [
        draft.rating,
        draft.comment,
        draft.now,
        ticket.id,
      ]);
      await this.writeActivity(q, plans.ratedEntry(ticket, draft));
      const result = { satisfaction: { rating: draft.rating, comment: draft.comment, ratedAt: draft.now }, ticket: await this.ticketIn(q, ticket.id) };
      await this.complete(q, options, result);
      return { state: 'created', ...result };
    });
  }

  async setFollowing(ticketId: string, contactId: string, follow: boolean, now: string): Promise<Ticket | undefined> {
    return this.tx(async (q) => {
      const ticket = await q.get('SELECT account_id FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
      if (!ticket) return undefined;
      const contact = await q.get('SELECT id, name FROM contacts WHERE id = $1', [contactId]);
      if (!contact) throw new Error(`No contact ${contactId}`);
      const following = Boolean(await q.get('SELECT 1 FROM ticket_followers WHERE ticket_id = $1 AND contact_id = $2', [ticketId, contactId]));
      if (following !== follow) {
        if (follow) await q.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES ($1, $2)', [ticketId, contactId]);
        else await q.run('DELETE FROM ticket_followers WHERE ticket_id = $1 AND contact_id = $2', [ticketId, contactId]);
        await q.run('UPDATE tickets SET version = version + 1 WHERE id = $1', [ticketId]);
        await this.writeActivity(
          q,
          plans.followEntry({ id: ticketId, accountId: str(ticket.account_id) }, { id: contactId, name: str(contact.name) }, follow, now),
        );
        if (follow) await this.upsertSeen(q, ticketId, contactId, now);
      }
      return this.ticketIn(q, ticketId);
    });
  }

  async markTicketSeen(ticketId: string, contactId: string, at: string): Promise<void> {
    await this.tx((q) => this.upsertSeen(q, ticketId, contactId, at));
  }

  async ticketsSeenAt(contactId: string, ticketIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ticketIds.length === 0) return out;
    const rows = await this.read((q) =>
      q.all(prepared('SELECT ticket_id, seen_at FROM ticket_seen WHERE contact_id = $1 AND ticket_id = ANY($2)'), [contactId, ticketIds]),
    );
    for (const r of rows) out.set(str(r.ticket_id), str(r.seen_at));
    return out;
  }

  async listSavedViews(accountId: string, contactId: string): Promise<SavedView[]> {
    const rows = await this.read((q) =>
      q.all(`${SAVED_VIEW_SELECT} WHERE v.account_id = $1 AND (v.shared OR v.owner_id = $2) ORDER BY v.name, v.id`, [accountId, contactId]),
    );
    return rows.map(toSavedView);
  }

  async getSavedView(id: string): Promise<SavedView | undefined> {
    const r = await this.read((q) => q.get(`${SAVED_VIEW_SELECT} WHERE v.id = $1`, [id]));
    return r && toSavedView(r);
  }

  async createSavedView(view: SavedView, options: WriteOptions = {}): Promise<SavedView> {
    return this.tx(async (q) => {
      const owner = await q.get('SELECT id, name, account_id FROM contacts WHERE id = $1', [view.ownerId]);
      if (!owner || owner.account_id !== view.accountId) throw new Error('The owner is not a contact of the account');
      await this.insertRows(q, 'saved_views', [savedViewRow(view)]);
      if (view.shared)
        await this.writeActivity(q, plans.viewEntry('view.shared', view, { kind: 'contact', id: view.ownerId, name: str(owner.name) }, view.createdAt));
      const created = toSavedView((await q.get(`${SAVED_VIEW_SELECT} WHERE v.id = $1`, [view.id]))!);
      await this.complete(q, options, created);
      return created;
    });
  }

  async deleteSavedView(id: string, actor: ActorRef, now: string): Promise<boolean> {
    return this.tx(async (q) => {
      const view = await q.get('DELETE FROM saved_views WHERE id = $1 RETURNING *', [id]);
      if (!view) return false;
      if (view.shared === true)
        await this.writeActivity(q, plans.viewEntry('view.deleted', { id, accountId: str(view.account_id), name: str(view.name) }, actor, now));
      return true;
    });
  }

  async createTicket(draft: TicketDraft, options: WriteOptions = {}): Promise<Ticket> {
    const id = newId('tkt');
    return this.tx(async (q) => {
      const requester = await q.get('SELECT account_id FROM contacts WHERE id = $1', [draft.requesterId]);
      if (!requester || requester.account_id !== draft.accountId) throw new Error('Requester is not a contact of the account');
      const followers = [...new Set(draft.followerIds ?? [])];
      for (const f of followers) {
        if ((await q.get('SELECT account_id FROM contacts WHERE id = $1', [f]))?.account_id !== draft.accountId)
          throw new Error(`Follower ${f} is not a contact of the account`);
      }
      plans.checkAttachments(await this.lockedAttachments(q, draft.attachmentIds ?? []), draft.actor.id, draft.accountId, 'by the actor');
      // The counter row is locked until commit: refs stay unique across connections and instances.
      const number = Number((await q.get('UPDATE ticket_numbers SET last = last + 1 WHERE id = 1 RETURNING last'))!.last);
      await this.insertRows(q, 'tickets', [ticketRow({ ...plans.openedTicket(id, draft), number, requesterId: draft.requesterId })]);
      await this.insertRows(
        q,
        'ticket_followers',
        followers.map((f) => ({ ticket_id: id, contact_id: f })),
      );
      for (const a of draft.attachmentIds ?? []) await q.run('UPDATE attachments SET ticket_id = $1 WHERE id = $2', [id, a]);
      await this.writeActivity(
        q,
        plans.createdEntry({ id, accountId: draft.accountId, ref: ticketRef(number), subject: draft.subject }, draft.actor, draft.now),
      );
      const ticket = await this.ticketIn(q, id);
      await this.complete(q, options, ticket);
      return ticket;
    });
  }

  async listComments(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const p = new Params();
    let where = `ticket_id = ${p.add(ticketId)}`;
    if (page.after) where += ` AND (created_at, id) > (${p.add(page.after[0])}, ${p.add(page.after[1])})`;
    const rows = await this.read((q) => q.all(`SELECT * FROM comments WHERE ${where} ORDER BY created_at, id LIMIT ${p.add(page.limit + 1)}`, p.values));
    const items = rows.slice(0, page.limit).map(toComment);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null };
  }

  async addComment(draft: CommentDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const comment: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now };
    return this.tx(async (q) => {
      const ticket = await q.get('SELECT account_id FROM tickets WHERE id = $1 FOR UPDATE', [draft.ticketId]);
      if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
      return { comment, ticket: await this.appendComment(q, comment, str(ticket.account_id), options) };
    });
  }

  /** Inserts a public comment, bumps and re-indexes its ticket, writes `ticket.commented` and the comment's event; answers the ticket after. */
  private async appendComment(q: Tx, comment: Comment, accountId: string, options: WriteOptions): Promise<Ticket> {
    await this.insertRows(q, 'comments', [commentRow(comment)]);
    await q.run(
      'UPDATE tickets SET updated_at = $1, version = version + 1, comment_count = comment_count + 1, search_vector = search_vector || $2::tsvector WHERE id = $3',
      [comment.createdAt, tsvectorOf(searchWords(comment.body)), comment.ticketId],
    );
    await this.writeActivity(q, plans.commentedEntry(accountId, comment));
    const ticket = await this.ticketIn(q, comment.ticketId);
    // Read back as stored, so every column of the comment reaches the event (outbox.ts).
    await this.insertOutbox(q, [commentEvent(toComment((await q.get('SELECT * FROM comments WHERE id = $1', [comment.id]))!), ticket)]);
    await this.complete(q, options, comment);
    return ticket;
  }

  /**
   * Possible duplicates: tickets mentioning any term (the last one as a prefix while typed),
   * best first by a weighted count of the terms they contain — a subject hit counts 3, any
   * hit 1 — then most recently updated. (SQLite ranks with FTS5's bm25; both put a ticket
   * with every word in its subject first.)
   */
  async findSimilarTickets(search: SimilarSearch): Promise<Ticket[]> {
    const terms = similarTerms(search.text);
    const accounts = search.accountIds;
    if (terms.terms.length === 0 || accounts.length === 0) return [];
    const words: Word[] = terms.terms.map((word, i) => ({ word, prefix: terms.prefixLast && i === terms.terms.length - 1 }));
    const queries = words.map((w) => tsqueryOf([w.word], '|', false, w.prefix));
    const rows = await this.read(async (q) => {
      // The accounts' tickets, and each term's counted up to SIMILAR_COUNT_CAP (see similar-tickets.ts).
      const p = new Params();
      const counts = words.map(
        (w, i) => `(SELECT count(*) FROM (SELECT DISTINCT ticket_number FROM (${wordTicketsSql(w, accounts, p)}) x LIMIT ${SIMILAR_COUNT_CAP}) y) AS n${i}`,
      );
      const stats = (await q.get(
        `SELECT (SELECT coalesce(sum(n), 0) FROM ticket_counts WHERE ${p.any('account_id', accounts)}) AS tickets, ${counts.join(', ')}`,
        p.values,
      ))!;
      const tickets = Number(stats.tickets);
      const held = words.map((_, i) => Number(stats[`n${i}`]));
      // Each term's window: the tickets holding it updated since the second of its
      // SIMILAR_PER_TERM-th newest. From its ticket_words rows when they are few (each fetched
      // by number, LOOKUP_COST times a test), else walking the accounts' tickets in list order
      // testing their words, which finds SIMILAR_PER_TERM of them after about that many times
      // the accounts' tickets over the term's.
      const whereOf = (i: number, p: Params) => {
        const holds =
          LOOKUP_COST * held[i]! ** 2 < SIMILAR_PER_TERM * tickets
            ? `t.number IN (${wordTicketsSql(words[i]!, accounts, p)})`
            : `t.search_vector @@ ${p.add(queries[i])}::tsquery`;
        return `${p.any('t.account_id', accounts)} AND ${holds}`;
      };
      // One statement for every term's newest, one for the ties of those with that many.
      const pw = new Params();
      const newest = await q.all(
        words
          .map(
            (_, i) =>
              `(SELECT ${i} AS term, t.id, t.updated_at FROM tickets t WHERE ${whereOf(i, pw)} ORDER BY t.updated_at DESC, t.id DESC LIMIT ${SIMILAR_PER_TERM})`,
          )
          .join(' UNION ALL '),
        pw.values,
      );
      const ids = new Set(newest.map((r) => str(r.id)));
      const pt = new Params();
      const ties = words.flatMap((_, i) => {
        const window = newest.filter((r) => Number(r.term) === i).map((r) => [str(r.updated_at), str(r.id)] as const);
        if (window.length < SIMILAR_PER_TERM) return [];
        const [updatedAt, id] = window.reduce((a, b) => (compareKeys(a, b) <= 0 ? a : b));
        // ISO timestamps at or after the first 19 characters of the last one's are in its second or later.
        const second = pt.add(updatedAt.slice(0, 19));
        return [
          `(SELECT t.id FROM tickets t WHERE ${whereOf(i, pt)} AND t.updated_at >= ${second} AND (t.updated_at, t.id) < (${pt.add(updatedAt)}, ${pt.add(id)}))`,
        ];
      });
      if (ties.length > 0) for (const r of await q.all(ties.join(' UNION ALL '), pt.values)) ids.add(str(r.id));
      // The open, visible ones, with each term's hit (4 ref or subject, 1 elsewhere, 0), ranked
      // as the other stores do; then the best read in full.
      const pc = new Params();
      const hits = queries.map((query) => {
        const e = pc.add(query);
        return `3 * (t.subject_vector @@ ${e}::tsquery)::int + (t.search_vector @@ ${e}::tsquery)::int`;
      });
      const candidates = await q.all(
        `SELECT t.id, t.updated_at, ARRAY[${hits.join(', ')}] AS hits FROM tickets t
         WHERE ${pc.any('t.id', [...ids])} AND ${scopeSql(search.scope, pc)} AND ${pc.any('t.status', search.statuses)}`,
        pc.values,
      );
      const best = rankSimilar(
        candidates.map((r) => ({ id: str(r.id), updatedAt: str(r.updated_at), hits: (r.hits as unknown[]).map(Number) })),
        held.map((n) => similarTermWeight(tickets, n)),
        search.limit,
      );
      const byId = new Map((await q.all(TICKETS_BY_IDS, [best, null])).map((r) => [str(r.id), r] as const));
      return best.map((id) => byId.get(id)!);
    });
    return rows.map(toTicket);
  }

  async createAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    return this.tx(async (q) => {
      const uploader = await q.get('SELECT account_id FROM contacts WHERE id = $1', [record.uploaderId]);
      if (uploader?.account_id !== record.accountId) throw new Error('Uploader is not a contact of the account');
      await this.insertRows(q, 'attachments', [attachmentRow(record)]);
      const attachment = toAttachment((await q.get('SELECT * FROM attachments WHERE id = $1', [record.id]))!);
      await this.complete(q, options, attachment);
      return attachment;
    });
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    const r = await this.read((q) => q.get('SELECT * FROM attachments WHERE id = $1', [id]));
    return r && toAttachmentRecord(r);
  }

  async listAttachments(ticketId: string): Promise<Attachment[]> {
    return (await this.read((q) => q.all('SELECT * FROM attachments WHERE ticket_id = $1 ORDER BY created_at, id', [ticketId]))).map(toAttachment);
  }

  /** Articles: with text, best first by the same weighted term count as similar tickets (title 3, any 1). */
  async searchArticles(search: ArticleSearch): Promise<Page<Article>> {
    const p = new Params();
    const filter = articleFilterSql(search, p);
    if (search.text !== undefined) {
      const terms = searchTerms(search.text);
      if (terms.terms.length === 0) return { items: [], nextCursor: null };
      const each = terms.terms.map((_, i) => p.add(tsqueryOf([terms.terms[i]!], '|', false, terms.prefixLast && i === terms.terms.length - 1)));
      const any = p.add(tsqueryOf(terms.terms, '|', false, terms.prefixLast));
      const score = each.map((e) => `(3 * (title_vector @@ ${e}::tsquery)::int + (search_vector @@ ${e}::tsquery)::int)`).join(' + ');
      const rows = await this.read((q) =>
        q.all(`SELECT * FROM articles WHERE search_vector @@ ${any}::tsquery AND ${filter} ORDER BY ${score} DESC, id LIMIT ${p.add(search.limit)}`, p.values),
      );
      return { items: rows.map(toArticle), nextCursor: null };
    }
    let where = filter;
    if (search.after) where += ` AND (updated_at, id) < (${p.add(search.after[0])}, ${p.add(search.after[1])})`;
    const rows = await this.read((q) =>
      q.all(`SELECT * FROM articles WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT ${p.add(search.limit + 1)}`, p.values),
    );
    const items = rows.slice(0, search.limit).map(toArticle);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('ar', [last.updatedAt, last.id]) : null };
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const r = await this.read((q) => q.get('SELECT * FROM articles WHERE id = $1', [id]));
    return r && toArticle(r);
  }

  async recordDeflection(deflection: Deflection, options: WriteOptions = {}): Promise<Deflection> {
    return this.tx(async (q) => {
      const article = await q.get('SELECT * FROM articles WHERE id = $1', [deflection.articleId]);
      const contact = await q.get('SELECT * FROM contacts WHERE id = $1 AND account_id = $2', [deflection.contactId, deflection.accountId]);
      if (!article) throw new Error(`No article ${deflection.articleId}`);
      if (!contact) throw new Error('The contact is not a contact of the account');
      await this.record(
        q,
        [deflectionActivity(deflection, toArticle(article), toContact(contact))],
        [deflectionEvent(deflection, { id: str(article.id), title: str(article.title) })],
      );
      await this.insertRows(q, 'deflections', [
        {
          id: deflection.id,
          article_id: deflection.articleId,
          account_id: deflection.accountId,
          contact_id: deflection.contactId,
          query: deflection.query,
          created_at: deflection.createdAt,
        },
      ]);
      await this.complete(q, options, deflection);
      return toDeflection((await q.get('SELECT * FROM deflections WHERE id = $1', [deflection.id]))!);
    });
  }

  async countDeflections(accountIds: readonly string[], since?: string): Promise<number> {
    const p = new Params();
    let where = p.any('account_id', accountIds);
    if (since !== undefined) where += ` AND created_at >= ${p.add(since)}`;
    return Number((await this.read((q) => q.get(`SELECT count(*) AS n FROM deflections WHERE ${where}`, p.values)))!.n);
  }

  async listActivity(accountIds: readonly string[], page: SeekPage): Promise<Page<Activity>> {
    const p = new Params();
    let where = p.any('account_id', accountIds);
    if (page.after) where += ` AND (created_at, id) < (${p.add(page.after[0])}, ${p.add(page.after[1])})`;
    const rows = await this.read((q) =>
      q.all(`SELECT * FROM activity WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${p.add(page.limit + 1)}`, p.values),
    );
    const items = rows.slice(0, page.limit).map(toActivity);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null };
  }

  async searchActivity(search: ActivitySearch): Promise<Page<Activity>> {
    const p = new Params();
    let where = this.activityWhere(search, p);
    if (search.after) where += ` AND (a.created_at, a.id) < (${p.add(search.after[0])}, ${p.add(search.after[1])})`;
    const rows = await this.read((q) =>
      q.all(
        `SELECT a.* FROM activity a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT ${p.add(search.limit + 1)}`,
        p.values,
      ),
    );
    const items = rows.slice(0, search.limit).map(toActivity);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null };
  }

  async countActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Promise<number> {
    const p = new Params();
    const where = this.activityWhere(search, p);
    return Number(
      (await this.read((q) => q.get(`SELECT count(*) AS n FROM activity a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE ${where}`, p.values)))?.n ?? 0,
    );
  }

  async listActivitySince(accountIds: readonly string[] | 'all', afterSeq: number, limit: number): Promise<SequencedActivity[]> {
    const rows = await this.read((q) =>
      accountIds === 'all'
        ? q.all('SELECT * FROM activity WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit])
        : q.all('SELECT * FROM activity WHERE seq > $1 AND account_id = ANY($2) ORDER BY seq LIMIT $3', [afterSeq, accountIds, limit]),
    );
    return rows.map((r) => ({ seq: Number(r.seq), activity: toActivity(r) }));
  }

  async activityHead(): Promise<number> {
    // The head of the whole log, whatever the caller may see (a position, not content).
    return Number((await this.runAs('all', () => this.read((q) => q.get('SELECT coalesce(max(seq), 0) AS n FROM activity'))))?.n ?? 0);
  }

  async getSlaHistory(ticketIds: readonly string[]): Promise<Map<string, TicketSlaHistory>> {
    const out = new Map<string, TicketSlaHistory>();
    if (ticketIds.length === 0) return out;
    // Kept on the ticket row by triggers (migration 6).
    const rows = await this.read((q) =>
      q.all(
        `SELECT id, sla_status_changes, first_response_at FROM tickets
         WHERE id = ANY($1) AND (json_array_length(sla_status_changes) > 0 OR first_response_at IS NOT NULL)`,
        [ticketIds],
      ),
    );
    for (const r of rows) {
      out.set(str(r.id), { statusChanges: r.sla_status_changes as TicketSlaHistory['statusChanges'], firstResponseAt: strOrNull(r.first_response_at) });
    }
    return out;
  }

  async listSlaCandidates(afterId: string | undefined, limit: number): Promise<Ticket[]> {
    const rows = await this.read((q) =>
      q.all(`${TICKET_SELECT} WHERE t.status IN ${UNSOLVED_SQL} AND t.id > $1 ORDER BY t.id LIMIT $2`, [afterId ?? '', limit]),
    );
    return rows.map(toTicket);
  }

  async listDueSlaTickets(dueBy: string, limit: number): Promise<Ticket[]> {
    // The partial index tickets_sla_check holds unsolved tickets only, in check order.
    const rows = await this.read((q) =>
      q.all(`${TICKET_SELECT} WHERE t.status IN ${UNSOLVED_SQL} AND t.sla_check_at <= $1 ORDER BY t.sla_check_at, t.id LIMIT $2`, [dueBy, limit]),
    );
    return rows.map(toTicket);
  }

  async scheduleSlaChecks(checks: readonly SlaCheck[]): Promise<void> {
    if (checks.length === 0) return;
    await this.tx(async (q) => {
      // A schedule is not a write of the ticket: it leaves version (and so the trigger) alone.
      for (const { ticketId, at } of checks) await q.run('UPDATE tickets SET sla_check_at = $1 WHERE id = $2', [at, ticketId]);
    });
  }

  async recordSlaMark(draft: SlaMarkDraft): Promise<Activity | undefined> {
    return this.tx(async (q) => {
      const ticket = await q.get('SELECT account_id, ref, subject FROM tickets WHERE id = $1', [draft.ticketId]);
      if (!ticket) return undefined;
      const activity = plans.slaMarkEntry({ id: draft.ticketId, accountId: str(ticket.account_id), ref: str(ticket.ref), subject: str(ticket.subject) }, draft);
      const inserted = await q.run('INSERT INTO sla_marks (ticket_id, clock, type, activity_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
        draft.ticketId,
        draft.clock,
        draft.type,
        activity.id,
      ]);
      if (inserted === 0) return undefined;
      await this.writeActivity(q, activity);
      return activity;
    });
  }

  async changeTicketStatus(draft: StatusChangeDraft): Promise<Ticket | undefined> {
    return this.tx(async (q) => {
      const ticket = await q.get('SELECT account_id, status, assignee FROM tickets WHERE id = $1 FOR UPDATE', [draft.ticketId]);
      if (!ticket) return undefined;
      const statusChanged = draft.status !== ticket.status;
      const assigneeChanged = draft.assignee !== undefined && draft.assignee !== strOrNull(ticket.assignee);
      if (statusChanged || assigneeChanged) {
        await q.run('UPDATE tickets SET status = $1, assignee = $2, updated_at = $3, version = version + 1 WHERE id = $4', [
          draft.status,
          draft.assignee !== undefined ? draft.assignee : strOrNull(ticket.assignee),
          draft.now,
          draft.ticketId,
        ]);
        if (statusChanged) {
          const entry = plans.statusChangedEntry(
            { id: draft.ticketId, accountId: str(ticket.account_id) },
            str(ticket.status),
            draft.status,
            draft.actor,
            draft.now,
          );
          await this.writeActivity(q, entry);
        }
      }
      return this.ticketIn(q, draft.ticketId);
    });
  }

  async getNotificationsSeenAt(contactId: string): Promise<string | null> {
    return strOrNull((await this.read((q) => q.get('SELECT seen_at FROM notification_marks WHERE contact_id = $1', [contactId])))?.seen_at);
  }

  async setNotificationsSeenAt(contactId: string, at: string): Promise<void> {
    await this.tx((q) =>
      q.run('INSERT INTO notification_marks (contact_id, seen_at) VALUES ($1, $2) ON CONFLICT (contact_id) DO UPDATE SET seen_at = excluded.seen_at', [
        contactId,
        at,
      ]),
    );
  }

  /** WHERE of an activity search over `activity a LEFT JOIN tickets t`. */
  private activityWhere(search: Omit<ActivitySearch, 'after' | 'limit'>, p: Params): string {
    const { filter: f } = search;
    const parts = [p.any('a.account_id', search.accountIds), `(a.ticket_id IS NULL OR (t.id IS NOT NULL AND ${scopeSql(search.scope, p)}))`];
    if (f.types) parts.push(p.any('a.type', f.types));
    if (f.ticketId !== undefined) parts.push(`a.ticket_id = ${p.add(f.ticketId)}`);
    if (f.contactId !== undefined) {
      const c = p.add(f.contactId);
      parts.push(`(a.contact_id = ${c} OR (a.actor_kind = 'contact' AND a.actor_id = ${c}))`);
    }
    if (f.involvingContactId !== undefined) {
      const c = p.add(f.involvingContactId);
      parts.push(`(t.requester_id = ${c} OR EXISTS (SELECT 1 FROM ticket_followers f3 WHERE f3.ticket_id = t.id AND f3.contact_id = ${c}))`);
    }
    if (f.excludeActorId !== undefined) parts.push(`a.actor_id <> ${p.add(f.excludeActorId)}`);
    if (f.from !== undefined) parts.push(`a.created_at >= ${p.add(f.from)}`);
    if (f.to !== undefined) parts.push(`a.created_at < ${p.add(f.to)}`);
    return parts.join(' AND ');
  }

  /**
   * Claims a key atomically across connections and instances: the INSERT … ON CONFLICT makes
   * one claimant win; the others wait on its row lock and then see its claim or response.
   */
  async claimIdempotencyKey(claim: IdempotencyClaim): Promise<IdempotencyState> {
    return this.tx(async (q): Promise<IdempotencyState> => {
      const nowMs = Date.parse(claim.now);
      // Expired records go, so the table stays small.
      await q.run('DELETE FROM idempotency_keys WHERE created_at < $1', [new Date(nowMs - IDEMPOTENCY_TTL_MS).toISOString()]);
      const inserted = await q.run(
        'INSERT INTO idempotency_keys (contact_id, key, fingerprint, status, body, created_at) VALUES ($1, $2, $3, NULL, NULL, $4) ON CONFLICT DO NOTHING',
        [claim.contactId, claim.key, claim.fingerprint, claim.now],
      );
      if (inserted === 1) return { state: 'claimed' };
      const r = (await q.get('SELECT * FROM idempotency_keys WHERE contact_id = $1 AND key = $2 FOR UPDATE', [claim.contactId, claim.key]))!;
      const pending = r.status === null;
      const stale = pending && nowMs - Date.parse(str(r.created_at)) > IDEMPOTENCY_PENDING_TTL_MS;
      if (!stale) {
        return pending
          ? { state: 'pending', fingerprint: str(r.fingerprint) }
          : { state: 'completed', fingerprint: str(r.fingerprint), status: Number(r.status), body: r.body };
      }
      await q.run('UPDATE idempotency_keys SET fingerprint = $3, status = NULL, body = NULL, created_at = $4 WHERE contact_id = $1 AND key = $2', [
        claim.contactId,
        claim.key,
        claim.fingerprint,
        claim.now,
      ]);
      return { state: 'claimed' };
    });
  }

  async releaseIdempotencyKey(ref: IdempotencyRef): Promise<void> {
    await this.tx((q) => q.run('DELETE FROM idempotency_keys WHERE contact_id = $1 AND key = $2 AND status IS NULL', [ref.contactId, ref.key]));
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.runAs('all', () => this.read((q) => q.get('SELECT 1 FROM accounts LIMIT 1'))));
  }

  async load(data: SeedData): Promise<void> {
    validateSeed(data);
    const loadedAt = new Date().toISOString();
    await this.runAs('all', () =>
      this.tx(async (q) => {
        // Parents before children, whatever the input order.
        await this.insertRows(
          q,
          'accounts',
          parentsFirst(data.accounts).map((a) => accountRow(completeAccount(a, loadedAt))),
        );
        await this.insertRows(q, 'contacts', data.contacts.map(contactRow));
        const commentWords = new Map<string, string[]>();
        for (const c of data.comments) {
          const words = commentWords.get(c.ticketId) ?? [];
          words.push(...searchWords(c.body));
          commentWords.set(c.ticketId, words);
        }
        await this.insertRows(
          q,
          'tickets',
          data.tickets.map((t) => ticketRow({ ...t, number: Number(/^T-(\d+)$/.exec(t.ref)?.[1]), requesterId: t.requester.id }, commentWords.get(t.id))),
        );
        await q.run('UPDATE ticket_numbers SET last = greatest(last, (SELECT coalesce(max(number), 0) FROM tickets))');
        await this.insertRows(
          q,
          'ticket_followers',
          data.tickets.flatMap((t) => t.followerIds.map((f) => ({ ticket_id: t.id, contact_id: f }))),
        );
        await this.insertRows(q, 'comments', data.comments.map(commentRow));
        await this.insertRows(q, 'activity', data.activity.map(activityRow));
        await this.insertRows(q, 'saved_views', (data.savedViews ?? []).map(savedViewRow));
        await this.insertRows(q, 'articles', (data.articles ?? []).map(articleRow));
      }),
    );
  }

  /**
   * Bulk import in one transaction with the 'all' scope (see copy.ts): `insert(table, rows)`
   * takes rows keyed by column. Afterwards the identity counters and the ticket number
   * continue after the imported rows.
   */
  async importTables(fn: (insert: (table: string, rows: readonly Row[]) => Promise<void>) => Promise<void>): Promise<void> {
    await this.runAs('all', () =>
      this.tx(async (q) => {
        await fn((table, rows) => this.insertRows(q, table, rows));
        await q.run(`SELECT setval(pg_get_serial_sequence('activity', 'seq'), coalesce((SELECT max(seq) FROM activity), 0) + 1, false)`);
        await q.run(`SELECT setval(pg_get_serial_sequence('service_outbox', 'sequence'), coalesce((SELECT max(sequence) FROM service_outbox), 0) + 1, false)`);
        await q.run(`SELECT setval(pg_get_serial_sequence('webhook_deliveries', 'seq'), coalesce((SELECT max(seq) FROM webhook_deliveries), 0) + 1, false)`);
        await q.run('UPDATE ticket_numbers SET last = greatest(last, (SELECT coalesce(max(number), 0) FROM tickets))');
      }),
    );
  }

  // --- live events and several instances -----------------------------------

  /**
   * Calls `listener` after any instance commits a write that appended activity: this store's
   * own writes right after their commit, other instances' through LISTEN on
   * `portico_activity`. Returns the unsubscribe function.
   */
  onAppend(listener: () => void): () => void {
    return this.subscribe(this.#listeners, listener);
  }

  /** Adds a listener (a wrapper per registration, so the same function twice unregisters once each) and LISTENs. */
  private subscribe(listeners: Set<() => void>, listener: () => void): () => void {
    const entry = () => listener();
    listeners.add(entry);
    this.listen().catch(() => this.relisten());
    return () => void listeners.delete(entry);
  }

  /** Resolves once this store LISTENs (a dedicated connection, reopened if it drops). */
  listen(): Promise<void> {
    // Created outside any caller's scope: the connection's notifications run in the context it was made in.
    this.#listening ??= this.#scope
      .exit(async () => {
        const client = new pg.Client({ connectionString: this.#url });
        client.on('notification', (message) => {
          if (this.#ownPids.has(message.processId)) return;
          wake(message.channel === OUTBOX_CHANNEL ? this.#outboxListeners : this.#listeners);
        });
        client.on('error', () => {
          this.#listener = undefined;
          this.#listening = undefined;
          client.end().catch(() => {});
          this.relisten();
        });
        await client.connect();
        await client.query(`LISTEN ${ACTIVITY_CHANNEL}; LISTEN ${OUTBOX_CHANNEL}`);
        this.#listener = client;
      })
      .catch((error: unknown) => {
        this.#listening = undefined;
        throw error;
      });
    return this.#listening;
  }

  /**
   * LISTENs again after the connection dropped, retrying every second while the database is
   * away; then wakes the listeners once, since events committed meanwhile sent no NOTIFY to us
   * (streams read them from the table).
   */
  private relisten(): void {
    if (this.#closed || this.#listeners.size + this.#outboxListeners.size === 0) return;
    setTimeout(() => {
      this.listen().then(
        () => {
          wake(this.#listeners);
          wake(this.#outboxListeners);
        },
        () => this.relisten(),
      );
    }, 1000).unref();
  }

  /**
   * Runs `fn` unless another instance is running the job `name` (a session advisory lock on a
   * connection held for the duration); resolves with whether it ran.
   */
  async runExclusive(name: string, fn: () => Promise<void>): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const key = [LOCK_JOBS, hashName(name)];
      const got = (await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', key)).rows[0].ok === true;
      if (!got) return false;
      try {
        await this.runAs('all', fn);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => (broken = true));
      }
      return true;
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * One request of a token bucket shared by every instance, counted in the database:
   * refills `perMs` per millisecond up to `capacity`; spends one token when there is one.
   */
  async takeRateToken(take: RateTake): Promise<{ ok: boolean; retryAfterMs: number }> {
    return this.runAs('all', () =>
      this.tx(async (q) => {
        // The row lock orders concurrent requests of one caller, whichever instance serves them.
        await q.run('INSERT INTO rate_buckets (key, tokens, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [take.key, take.capacity, take.nowMs]);
        const b = (await q.get('SELECT tokens, at FROM rate_buckets WHERE key = $1 FOR UPDATE', [take.key]))!;
        const tokens = Math.min(take.capacity, Number(b.tokens) + Math.max(0, take.nowMs - Number(b.at)) * take.perMs);
        const ok = tokens >= 1;
        await q.run('UPDATE rate_buckets SET tokens = $2, at = $3 WHERE key = $1', [take.key, ok ? tokens - 1 : tokens, Math.max(take.nowMs, Number(b.at))]);
        return { ok, retryAfterMs: ok ? 0 : (1 - tokens) / take.perMs };
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#outboxListeners.clear();
    await this.#listener?.end().catch(() => {});
    await this.pool.end();
  }

  /** Stores the created entity as the response of a claimed idempotency key (inside the write's transaction). */
  private async complete(q: Tx, options: WriteOptions, body: unknown): Promise<void> {
    if (!options.idempotency) return;
    await q.run('UPDATE idempotency_keys SET status = 201, body = $1 WHERE contact_id = $2 AND key = $3', [
      JSON.stringify(body),
      options.idempotency.contactId,
      options.idempotency.key,
    ]);
  }

  private async upsertSeen(q: Tx, ticketId: string, contactId: string, at: string): Promise<void> {
    await q.run(
      `INSERT INTO ticket_seen (contact_id, ticket_id, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (contact_id, ticket_id) DO UPDATE SET seen_at = greatest(ticket_seen.seen_at, excluded.seen_at)`,
      [contactId, ticketId, at],
    );
  }

  // --- knowledge-base authoring -------------------------------------------------
  async createArticle(article: Article, options: WriteOptions = {}): Promise<Article> {
    return this.runAs('all', () =>
      this.tx(async (q) => {
        await this.insertRows(q, 'articles', [articleRow(article)]);
        await this.complete(q, options, article);
        return toArticle((await q.get('SELECT * FROM articles WHERE id = $1', [article.id]))!);
      }),
    );
  }

  async updateArticle(update: ArticleUpdate): Promise<ArticleUpdateResult> {
    return this.tx(async (q): Promise<ArticleUpdateResult> => {
      const row = await q.get('SELECT * FROM articles WHERE id = $1 FOR UPDATE', [update.id]);
      if (!row) return { state: 'missing' };
      const article = toArticle(row);
      if (update.expectedVersion !== undefined && update.expectedVersion !== article.version) return { state: 'stale', article };
      const next = applyArticleChanges(article, update);
      if (next !== article) {
        const r = articleRow(next);
        const columns = [
          'title',
          'summary',
          'body',
          'category',
          'locale',
          'audience_tiers',
          'status',
          'published_at',
          'updated_at',
          'version',
          'search_vector',
          'title_vector',
        ];
        await q.run(`UPDATE articles SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
          next.id,
          ...columns.map((c) => (c === 'audience_tiers' && r[c] !== null ? JSON.stringify(r[c]) : r[c])),
        ]);
      }
      return { state: 'updated', article: next };
    });
  }

  async deleteArticle(id: string): Promise<boolean> {
    return this.tx(async (q) => (await q.run('DELETE FROM articles WHERE id = $1', [id])) > 0);
  }

  // --- events out: outbox notifications and webhook endpoints (hooks) ---------
  /** Calls `listener` after any instance commits outbox events (own writes at once, others' by LISTEN on `portico_outbox`). */
  onOutbox(listener: () => void): () => void {
    return this.subscribe(this.#outboxListeners, listener);
  }

  // Webhook endpoints and deliveries are the vendor's: these run in the 'all' scope whoever
  // calls (their rows are visible only there, see postgres-schema.ts).
  async createWebhookEndpoint(draft: WebhookEndpointDraft, options: WriteOptions = {}): Promise<WebhookEndpointRecord> {
    return this.vendorTx(async (q) => {
      await q.run(
        `INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, disabled_reason, secret, outbox_cursor, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(sequence), 0) FROM service_outbox), $8, $8)`,
        [
          draft.id,
          draft.url,
          draft.description,
          draft.eventTypes ? JSON.stringify(draft.eventTypes) : null,
          draft.enabled,
          draft.enabled ? null : 'manual',
          draft.secret,
          draft.now,
        ],
      );
      await this.complete(q, options, endpointWithSecret(endpointFromDraft(draft)));
      return toEndpoint((await q.get('SELECT * FROM webhook_endpoints WHERE id = $1', [draft.id]))!);
    });
  }

  async getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const r = await this.vendorRead((q) => q.get('SELECT * FROM webhook_endpoints WHERE id = $1', [id]));
    return r && toEndpoint(r);
  }

  async listWebhookEndpoints(after: readonly [string, string] | undefined, limit: number): Promise<WebhookEndpointRecord[]> {
    const rows = await this.vendorRead((q) =>
      after
        ? q.all('SELECT * FROM webhook_endpoints WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3', [...after, limit])
        : q.all('SELECT * FROM webhook_endpoints ORDER BY created_at, id LIMIT $1', [limit]),
    );
    return rows.map(toEndpoint);
  }

  async updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord | undefined> {
    return this.vendorTx(async (q) => {
      const row = await q.get('SELECT * FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [id]);
      if (!row) return undefined;
      const current = toEndpoint(row);
      const p = new Params();
      const sets = [`updated_at = ${p.add(patch.now)}`];
      const set = (column: string, value: unknown) => sets.push(`${column} = ${p.add(value)}`);
      if (patch.url !== undefined) set('url', patch.url);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.eventTypes !== undefined) set('event_types', patch.eventTypes ? JSON.stringify(patch.eventTypes) : null);
      if (patch.enabled === false && current.enabled) {
        set('enabled', false);
        set('disabled_reason', 'manual');
      }
      if (patch.enabled === true && !current.enabled) {
        set('enabled', true);
        sets.push('disabled_reason = NULL', 'failing_since = NULL', 'outbox_cursor = (SELECT coalesce(max(sequence), 0) FROM service_outbox)');
      }
      if (patch.rotate) {
        set('secret', patch.rotate.secret);
        set('previous_secret', current.secret);
        set('previous_secret_expires_at', patch.rotate.previousSecretExpiresAt);
      }
      await q.run(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
      return toEndpoint((await q.get('SELECT * FROM webhook_endpoints WHERE id = $1', [id]))!);
    });
  }

  async deleteWebhookEndpoint(id: string): Promise<boolean> {
    return this.vendorTx(async (q) => {
      await q.run('DELETE FROM webhook_deliveries WHERE endpoint_id = $1', [id]);
      return (await q.run('DELETE FROM webhook_endpoints WHERE id = $1', [id])) > 0;
    });
  }

  /**
   * The endpoint rows are locked until commit, so instances enqueueing at once take turns and
   * the second sees the first's cursor: each event becomes one delivery per endpoint. Outbox
   * sequences become visible in order (the append lock), so a cursor never skips an event
   * that commits later.
   */
  async enqueueWebhookDeliveries(now: string, limit: number): Promise<number> {
    return this.vendorTx(async (q) => {
      let made = 0;
      for (const endpoint of await q.all('SELECT id, event_types, outbox_cursor FROM webhook_endpoints WHERE enabled ORDER BY id FOR UPDATE')) {
        const types = (endpoint.event_types ?? null) as string[] | null;
        const events = await q.all('SELECT sequence, id, type, ticket_id FROM service_outbox WHERE sequence > $1 ORDER BY sequence LIMIT $2', [
          Number(endpoint.outbox_cursor),
          limit,
        ]);
        const wanted = events.filter((e) => !types || types.includes(str(e.type)));
        await this.insertRows(
          q,
          'webhook_deliveries',
          wanted.map((e) => deliveryRow(str(endpoint.id), e, now)),
        );
        made += wanted.length;
        const last = events.at(-1);
        if (last) await q.run('UPDATE webhook_endpoints SET outbox_cursor = $1 WHERE id = $2', [Number(last.sequence), str(endpoint.id)]);
      }
      return made;
    });
  }

  /**
   * Claims due deliveries for this owner until `leaseUntil`: rows another instance is claiming
   * right now are skipped (`SKIP LOCKED`), rows it claimed before carry its live lease, so each
   * delivery goes out from one instance at a time.
   */
  async claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]> {
    return this.vendorTx(async (q) => {
      // Same rule as `deliveryMayGo`: the first pending event of a ticket goes, later ones wait.
      const rows = await q.all(
        `SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND e.enabled AND d.next_attempt_at <= $1
           AND (d.lease_until IS NULL OR d.lease_until <= $1)
           AND (d.ticket_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.endpoint_id = d.endpoint_id AND p.ticket_id = d.ticket_id AND p.status = 'pending' AND p.event_sequence < d.event_sequence))
         ORDER BY d.next_attempt_at, d.event_sequence, d.seq LIMIT $2
         FOR UPDATE OF d SKIP LOCKED`,
        [claim.now, claim.limit],
      );
      if (rows.length === 0) return [];
      await q.run('UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2 WHERE seq = ANY($3)', [
        claim.owner,
        claim.leaseUntil,
        rows.map((r) => Number(r.seq)),
      ]);
      const events = new Map(
        (await q.all('SELECT * FROM service_outbox WHERE sequence = ANY($1)', [rows.map((r) => Number(r.event_sequence))])).map((r) => [
          Number(r.sequence),
          toOutboxEvent(r),
        ]),
      );
      const endpoints = new Map(
        (await q.all('SELECT * FROM webhook_endpoints WHERE id = ANY($1)', [[...new Set(rows.map((r) => str(r.endpoint_id)))]])).map((r) => [
          str(r.id),
          toEndpoint(r),
        ]),
      );
      return rows.map((r) => ({ delivery: toDelivery(r), event: events.get(Number(r.event_sequence))!, endpoint: endpoints.get(str(r.endpoint_id))! }));
    });
  }

  async completeWebhookAttempt(result: WebhookAttemptResult): Promise<{ disabled: boolean }> {
    return this.vendorTx(async (q) => {
      const row = await q.get(`SELECT endpoint_id FROM webhook_deliveries WHERE id = $1 AND status = 'pending' AND lease_owner = $2 FOR UPDATE`, [
        result.deliveryId,
        result.owner,
      ]);
      if (!row) return { disabled: false };
      const a = attemptedDelivery(result);
      await q.run(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $1, last_response_status = $2, last_error = $3, last_duration_ms = $4,
           status = $5, next_attempt_at = $6, delivered_at = $7, lease_owner = NULL, lease_until = NULL WHERE id = $8`,
        [a.lastAttemptAt, a.lastResponseStatus, a.lastError, a.lastDurationMs, a.status, a.nextAttemptAt, a.deliveredAt, result.deliveryId],
      );
      const endpointId = str(row.endpoint_id);
      if (result.ok) {
        await q.run('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1', [endpointId]);
        return { disabled: false };
      }
      const endpoint = toEndpoint(
        (await q.get('UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $1) WHERE id = $2 RETURNING *', [result.at, endpointId]))!,
      );
      if (!failureDisables(endpoint, result)) return { disabled: false };
      await q.run(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', updated_at = $1 WHERE id = $2`, [result.at, endpointId]);
      await this.insertOutbox(q, [endpointDisabledEvent(endpoint, result.at)]);
      return { disabled: true };
    });
  }

  async listWebhookDeliveries(read: WebhookDeliveryRead): Promise<SequencedDelivery[]> {
    const p = new Params();
    const where = [`endpoint_id = ${p.add(read.endpointId)}`];
    if (read.status) where.push(`status = ${p.add(read.status)}`);
    if (read.before !== undefined) where.push(`seq < ${p.add(read.before)}`);
    const rows = await this.vendorRead((q) =>
      q.all(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${p.add(read.limit)}`, p.values),
    );
    return rows.map((r) => ({ seq: Number(r.seq), delivery: toDelivery(r) }));
  }

  async redeliverWebhook(endpointId: string, deliveryId: string, now: string): Promise<WebhookDelivery | undefined> {
    return this.vendorTx(async (q) => {
      const original = await q.get('SELECT event_sequence FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2', [deliveryId, endpointId]);
      if (!original) return undefined;
      const event = (await q.get('SELECT sequence, id, type, ticket_id FROM service_outbox WHERE sequence = $1', [Number(original.event_sequence)]))!;
      const row = deliveryRow(endpointId, event, now);
      await this.insertRows(q, 'webhook_deliveries', [row]);
      return toDelivery((await q.get('SELECT * FROM webhook_deliveries WHERE id = $1', [row.id]))!);
    });
  }

  async pruneWebhookDeliveries(before: string): Promise<number> {
    return this.vendorTx((q) => q.run(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1`, [before]));
  }

  private vendorTx<T>(fn: (q: Tx) => Promise<T>): Promise<T> {
    return this.runAs('all', () => this.tx(fn));
  }

  private vendorRead<T>(fn: (q: Tx) => Promise<T>): Promise<T> {
    return this.runAs('all', () => this.read(fn));
  }

  // --- provisioning: accounts, contacts and roles from the vendor's service API ---------
  /**
   * Batches queue on one advisory lock across instances: the plan reads the facts first
   * (accounts with their ancestors, contacts of the batch's emails, role names), so two
   * batches must not plan on the same facts at once.
   */
  async provision(batch: ProvisioningBatch): Promise<ProvisioningResult> {
    return this.tx(async (q) => {
      const ids = [...new Set([...batch.accounts.flatMap((a) => [a.id, ...(a.parentId ? [a.parentId] : [])]), ...batch.contacts.map((c) => c.accountId)])];
      const accounts = new Map(
        (
          await q.all(
            `WITH RECURSIVE up AS (SELECT * FROM accounts WHERE id = ANY($1) UNION ALL SELECT a.* FROM accounts a JOIN up ON a.id = up.parent_id)
             SELECT DISTINCT ON (id) * FROM up`,
            [ids],
          )
        ).map((r) => [str(r.id), toAccount(r)]),
      );
      const emails = [...new Set(batch.contacts.map((c) => c.email.toLowerCase()))];
      const contacts = (await q.all('SELECT * FROM contacts WHERE lower(email) = ANY($1)', [emails])).map(toContact);
      const roles = new Set((await q.all('SELECT name FROM roles')).map((r) => str(r.name)));
      const { plan, ...result } = planProvisioning(batch, {
        account: (id) => accounts.get(id),
        contactsWithEmail: (email) => contacts.filter((c) => c.email === email),
        roleExists: (name) => roles.has(name),
      });
      if (!plan) return result;
      for (const { account, created } of plan.accounts) {
        if (created) await this.insertRows(q, 'accounts', [accountRow(account)]);
        else {
          const r = accountRow(account);
          const columns = ['name', 'domains', 'tier', 'parent_id', 'default_visibility', 'status', 'sla_policy', 'updated_at', 'version'];
          await q.run(`UPDATE accounts SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
            account.id,
            ...columns.map((c) => (c === 'domains' ? JSON.stringify(r[c]) : r[c])),
          ]);
        }
      }
      for (const { contact, created } of plan.contacts) {
        if (created) await this.insertRows(q, 'contacts', [contactRow(contact)]);
        else {
          await q.run('UPDATE contacts SET name = $1, role = $2, status = $3, locale = $4, version = $5 WHERE id = $6', [
            contact.name,
            contact.role,
            contact.status,
            contact.locale ?? null,
            contact.version ?? 1,
            contact.id,
          ]);
        }
      }
      await this.record(q, plan.activity, plan.outbox);
      return result;
    }, LOCK_PROVISION);
  }

  async listAccounts(search: AccountSearch): Promise<Page<Account>> {
    const p = new Params();
    const where: string[] = [];
    if (search.parentId === null) where.push('parent_id IS NULL');
    else if (search.parentId !== undefined) where.push(`parent_id = ${p.add(search.parentId)}`);
    if (search.status !== undefined) where.push(`status = ${p.add(search.status)}`);
    if (search.updatedSince !== undefined) where.push(`updated_at >= ${p.add(search.updatedSince)}`);
    if (search.after) where.push(`(updated_at, id) > (${p.add(search.after[0])}, ${p.add(search.after[1])})`);
    const rows = (
      await this.read((q) =>
        q.all(
          `SELECT * FROM accounts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at, id LIMIT ${p.add(search.limit + 1)}`,
          p.values,
        ),
      )
    ).map(toAccount);
    const items = rows.slice(0, search.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('acc', [last.updatedAt, last.id]) : null };
  }

  async listAccountContacts(accountId: string, page: { after?: string | undefined; limit: number }): Promise<Page<Contact>> {
    // Emails are stored lower-cased (tokens and inputs normalise them); "C" collation orders them like SQLite.
    const rows = (
      await this.read((q) =>
        page.after !== undefined
          ? q.all('SELECT * FROM contacts WHERE account_id = $1 AND email COLLATE "C" > $2 ORDER BY email COLLATE "C" LIMIT $3', [
              accountId,
              page.after,
              page.limit + 1,
            ])
          : q.all('SELECT * FROM contacts WHERE account_id = $1 ORDER BY email COLLATE "C" LIMIT $2', [accountId, page.limit + 1]),
      )
    ).map(toContact);
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('sc', [last.email.toLowerCase()]) : null };
  }

  async registerContact(contact: Contact): Promise<Contact | undefined> {
    return this.tx(async (q) => {
      // The account row lock queues first requests of one account (see inviteContact).
      const account = await q.get('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', [contact.accountId]);
      if (!account) throw new Error(`No account ${contact.accountId}`);
      if (await q.get('SELECT 1 FROM contacts WHERE account_id = $1 AND email = $2', [contact.accountId, contact.email])) return undefined;
      await this.insertRows(q, 'contacts', [contactRow(contact)]);
      const stored = toContact((await q.get('SELECT * FROM contacts WHERE id = $1', [contact.id]))!);
      const entries = contactCreatedEntries(stored, toAccount(account), { kind: 'contact', id: stored.id, name: stored.name }, stored.createdAt);
      await this.record(q, entries.activity, entries.outbox);
      return stored;
    });
  }

  async getRole(name: string): Promise<CustomRole | undefined> {
    const r = await this.read((q) => q.get('SELECT * FROM roles WHERE name = $1', [name]));
    return r && toRole(r);
  }

  async listRoles(): Promise<CustomRole[]> {
    return (await this.read((q) => q.all('SELECT * FROM roles ORDER BY name'))).map(toRole);
  }

  async putRole(draft: RoleDraft): Promise<{ state: 'created' | 'updated' | 'unchanged'; role: CustomRole }> {
    return this.tx(async (q) => {
      // Locks the role (when it exists) so two instances redefining it bump its version in turn.
      const before = await q.get('SELECT * FROM roles WHERE name = $1 FOR UPDATE', [draft.name]);
      const result = planRolePut(draft, before && toRole(before));
      if (result.state === 'unchanged') return result;
      const { role } = result;
      await q.run(
        `INSERT INTO roles (name, description, rules, updated_at, version) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET description = excluded.description, rules = excluded.rules, updated_at = excluded.updated_at, version = excluded.version`,
        [role.name, role.description, JSON.stringify(role.rules), role.updatedAt, role.version],
      );
      return result;
    });
  }

  // --- agent API ---------------------------------------------------------------
  async searchServiceTickets(search: ServiceTicketSearch): Promise<Page<Ticket>> {
    return this.pageTickets('true', new Params(), search, search.filter.accountIds);
  }

  async getTicketByRef(ref: string): Promise<Ticket | undefined> {
    const r = await this.read((q) => q.get(`${TICKET_SELECT} WHERE lower(t.ref) = lower($1)`, [ref]));
    return r && toTicket(r);
  }

  async addInternalNote(draft: CommentDraft, options: WriteOptions = {}): Promise<Comment> {
    const note: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now, internal: true };
    return this.tx(async (q) => {
      if (!(await q.get('SELECT 1 FROM tickets WHERE id = $1', [draft.ticketId]))) throw new Error(`No ticket ${draft.ticketId}`);
      await this.insertRows(q, 'internal_notes', [commentRow(note)]);
      // The vendor hears of notes (`ticket.internal_note_added`); customers never do.
      await this.insertOutbox(q, [commentEvent(note, await this.ticketIn(q, note.ticketId))]);
      await this.complete(q, options, note);
      return note;
    });
  }

  async listAgentThread(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const p = new Params();
    const ticket = p.add(ticketId);
    const where = page.after ? `(created_at, id) > (${p.add(page.after[0])}, ${p.add(page.after[1])})` : 'true';
    const rows = await this.read((q) =>
      q.all(
        `SELECT * FROM (
           SELECT *, false AS internal FROM comments WHERE ticket_id = ${ticket}
           UNION ALL SELECT *, true AS internal FROM internal_notes WHERE ticket_id = ${ticket}
         ) thread WHERE ${where} ORDER BY created_at, id LIMIT ${p.add(page.limit + 1)}`,
        p.values,
      ),
    );
    const items = rows.slice(0, page.limit).map((r) => ({ ...toComment(r), internal: r.internal === true }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null };
  }

  async createServiceAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    return this.tx(async (q) => {
      await this.insertRows(q, 'attachments', [attachmentRow(record)]);
      const attachment = toAttachment((await q.get('SELECT * FROM attachments WHERE id = $1', [record.id]))!);
      await this.complete(q, options, attachment);
      return attachment;
    });
  }

  async addAgentReply(draft: AgentReplyDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const comment: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now };
    return this.tx(async (q) => {
      const ticket = await q.get('SELECT account_id FROM tickets WHERE id = $1 FOR UPDATE', [draft.ticketId]);
      if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
      const attachments = await this.lockedAttachments(q, draft.attachmentIds);
      plans.checkAttachments(attachments, draft.uploaderId, str(ticket.account_id), 'through the service API for this account');
      for (const a of draft.attachmentIds) await q.run('UPDATE attachments SET ticket_id = $1 WHERE id = $2', [draft.ticketId, a]);
      return { comment, ticket: await this.appendComment(q, comment, str(ticket.account_id), options) };
    });
  }

  async mergeTickets(draft: MergeDraft): Promise<MergeOutcome> {
    return this.tx(async (q): Promise<MergeOutcome> => {
      // Both rows locked, in id order so two opposite merges cannot deadlock.
      await q.all('SELECT 1 FROM tickets WHERE id = ANY($1) ORDER BY id FOR UPDATE', [[draft.sourceId, draft.targetId]]);
      const sourceRow = await q.get(`${TICKET_SELECT} WHERE t.id = $1`, [draft.sourceId]);
      const targetRow = await q.get(`${TICKET_SELECT} WHERE t.id = $1`, [draft.targetId]);
      if (!sourceRow || !targetRow) return { state: 'missing' };
      const source = toTicket(sourceRow);
      const target = toTicket(targetRow);
      const refusal = mergeRefusal(source, target, draft);
      if (refusal) return refusal.state === 'invalid' ? refusal : { state: refusal.state, source };
      await q.run(
        `UPDATE tickets SET status = 'closed', escalated = false, merged_into_id = $1, merged_into_ref = $2, version = version + 1, updated_at = $3 WHERE id = $4`,
        [target.id, target.ref, draft.now, source.id],
      );
      await q.run('UPDATE escalations SET resolved_at = $1 WHERE ticket_id = $2 AND resolved_at IS NULL', [draft.now, source.id]);
      await q.run('DELETE FROM ticket_followers WHERE ticket_id = $1', [target.id]);
      await this.insertRows(
        q,
        'ticket_followers',
        mergedFollowers(source, target).map((f) => ({ ticket_id: target.id, contact_id: f })),
      );
      await q.run('UPDATE tickets SET version = version + 1, updated_at = $1 WHERE id = $2', [draft.now, target.id]);
      if (source.status !== 'closed') await this.writeActivity(q, plans.statusChangedEntry(source, source.status, 'closed', draft.actor, draft.now));
      const data = { source: { id: source.id, ref: source.ref }, target: { id: target.id, ref: target.ref } };
      await this.writeActivity(q, plans.ticketEntry(source, 'ticket.merged', draft.actor, data, draft.now));
      await this.writeActivity(q, plans.ticketEntry(target, 'ticket.merged', draft.actor, data, draft.now));
      return { state: 'merged', source: await this.ticketIn(q, source.id), target: await this.ticketIn(q, target.id) };
    });
  }

  // --- readiness probe ---
  async schemaStatus(): Promise<SchemaStatus> {
    // On the pool, outside any transaction: the migrations table has no row-level security.
    const { rows } = await this.pool.query('SELECT coalesce(max(version), 0) AS v FROM portico_migrations');
    return { applied: Number(rows[0].v), expected: POSTGRES_MIGRATIONS.length };
  }

  // --- caller resolution in one read ---
  async findAccountContact(accountId: string, email: string): Promise<{ account: Account | undefined; contact: Contact | undefined }> {
    // Rows as JSON keep their column names and types (json columns nested, integers numbers),
    // so the same mappers read them; both under the caller's row-level-security scope.
    const r = await this.read((q) =>
      q.get(
        prepared(
          'SELECT row_to_json(a) AS account, (SELECT row_to_json(c) FROM contacts c WHERE c.account_id = a.id AND lower(c.email) = lower($2)) AS contact FROM accounts a WHERE a.id = $1',
        ),
        [accountId, email],
      ),
    );
    return { account: r ? toAccount(r.account as Row) : undefined, contact: r?.contact ? toContact(r.contact as Row) : undefined };
  }
}

/** Calls each listener; one that throws affects neither the write nor the others. */
function wake(listeners: ReadonlySet<() => void>): void {
  for (const listener of [...listeners]) {
    try {
      listener();
    } catch (error) {
      console.error('[portico] a store listener failed', error);
    }
  }
}

/** A stable 32-bit number of a job name (the second key of its advisory lock). */
function hashName(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
  return h;
}
