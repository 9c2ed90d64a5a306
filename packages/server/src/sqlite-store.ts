/**
 * The embedded default store: one SQLite file through `node:sqlite` (no native addon).
 * WAL journal, foreign keys on, numbered migrations, one transaction per write.
 * Node-only: exported from `@portico/server/node`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Account, Activity, ActorRef, Article, Attachment, Comment, Contact, Page, Ticket, TicketScope } from '@portico/core';
import { encodeCursor } from './cursor.ts';
import { ftsQuery, searchTerms } from './text-search.ts';
import {
  FIRST_TICKET_NUMBER,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  PRIORITY_RANK,
  newId,
  ticketKeyset,
  ticketRef,
  type ArticleSearch,
  type AttachmentRecord,
  type CommentDraft,
  type ContactPatch,
  type Deflection,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type SeedData,
  type SeekPage,
  type SimilarSearch,
  type Store,
  type TicketDraft,
  type TicketFilter,
  type TicketSearch,
  type WriteOptions,
} from './store.ts';

/** Numbered schema migrations; append, never edit one that has shipped. */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'accounts, contacts, tickets, comments, activity, idempotency',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        domains TEXT NOT NULL DEFAULT '[]',
        tier TEXT NOT NULL,
        parent_id TEXT REFERENCES accounts(id),
        default_visibility TEXT NOT NULL
      );
      CREATE INDEX accounts_parent ON accounts(parent_id);

      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        email TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT
      );
      CREATE UNIQUE INDEX contacts_account_email ON contacts(account_id, email);

      CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        ref TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        subject TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        priority TEXT NOT NULL,
        priority_rank INTEGER NOT NULL,
        category TEXT NOT NULL,
        visibility TEXT NOT NULL,
        requester_id TEXT NOT NULL REFERENCES contacts(id),
        assignee TEXT,
        escalated INTEGER NOT NULL DEFAULT 0,
        comment_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX tickets_account_updated ON tickets(account_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_account_created ON tickets(account_id, created_at DESC, id DESC);
      CREATE INDEX tickets_requester ON tickets(requester_id);

      CREATE TABLE ticket_followers (
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        PRIMARY KEY (ticket_id, contact_id)
      );
      CREATE INDEX ticket_followers_contact ON ticket_followers(contact_id);

      CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_kind TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX comments_ticket ON comments(ticket_id, created_at, id);

      CREATE TABLE activity (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        type TEXT NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        ticket_id TEXT REFERENCES tickets(id) ON DELETE CASCADE,
        contact_id TEXT REFERENCES contacts(id),
        data TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
      CREATE INDEX activity_account_created ON activity(account_id, created_at DESC, id DESC);

      CREATE TABLE idempotency_keys (
        contact_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (contact_id, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
    `,
  },
  {
    version: 2,
    name: 'ticket full-text index (FTS5) over subject, description and comments',
    // One row per ticket (source 'ticket': ref, subject, description) and one per comment
    // (source = the comment id), kept in sync by triggers. Rank with
    // bm25(ticket_text, 0, 0, 3.0, 1.0) so subject hits weigh more than body hits.
    sql: `
      CREATE VIRTUAL TABLE ticket_text USING fts5(
        ticket_id UNINDEXED, source UNINDEXED, subject, body,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO ticket_text (ticket_id, source, subject, body)
        SELECT id, 'ticket', ref || ' ' || subject, description FROM tickets;
      INSERT INTO ticket_text (ticket_id, source, subject, body)
        SELECT ticket_id, id, '', body FROM comments;
      CREATE TRIGGER tickets_text_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_text (ticket_id, source, subject, body) VALUES (new.id, 'ticket', new.ref || ' ' || new.subject, new.description);
      END;
      CREATE TRIGGER tickets_text_update AFTER UPDATE OF subject, description ON tickets BEGIN
        DELETE FROM ticket_text WHERE ticket_id = old.id AND source = 'ticket';
        INSERT INTO ticket_text (ticket_id, source, subject, body) VALUES (new.id, 'ticket', new.ref || ' ' || new.subject, new.description);
      END;
      CREATE TRIGGER tickets_text_delete AFTER DELETE ON tickets BEGIN
        DELETE FROM ticket_text WHERE ticket_id = old.id;
      END;
      CREATE TRIGGER comments_text_insert AFTER INSERT ON comments BEGIN
        INSERT INTO ticket_text (ticket_id, source, subject, body) VALUES (new.ticket_id, new.id, '', new.body);
      END;
    `,
  },
  {
    version: 3,
    // Issue 4 (portico-ticket-form).
    name: 'ticket form: business impact, attachments, knowledge-base articles (FTS5) and deflections',
    sql: `
      ALTER TABLE tickets ADD COLUMN business_impact TEXT;

      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        uploader_id TEXT NOT NULL REFERENCES contacts(id),
        ticket_id TEXT REFERENCES tickets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX attachments_ticket ON attachments(ticket_id, created_at, id);

      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        category TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX articles_updated ON articles(updated_at DESC, id DESC);
      -- Rank with bm25(article_text, 0, 3.0, 1.0): title hits weigh more than summary/body hits.
      CREATE VIRTUAL TABLE article_text USING fts5(
        article_id UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER articles_text_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_text (article_id, title, body) VALUES (new.id, new.title, new.summary || char(10) || char(10) || new.body);
      END;
      CREATE TRIGGER articles_text_update AFTER UPDATE ON articles BEGIN
        DELETE FROM article_text WHERE article_id = old.id;
        INSERT INTO article_text (article_id, title, body) VALUES (new.id, new.title, new.summary || char(10) || char(10) || new.body);
      END;
      CREATE TRIGGER articles_text_delete AFTER DELETE ON articles BEGIN
        DELETE FROM article_text WHERE article_id = old.id;
      END;

      CREATE TABLE deflections (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        account_id TEXT NOT NULL REFERENCES accounts(id),
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        query TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX deflections_account_created ON deflections(account_id, created_at);
    `,
  },
];

type Row = Record<string, SQLInputValue>;

const TICKET_SELECT = `
  SELECT t.*, c.name AS requester_name, c.email AS requester_email,
    (SELECT json_group_array(f.contact_id) FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids
  FROM tickets t JOIN contacts c ON c.id = t.requester_id`;

/** SQL and parameters of a WHERE fragment. */
interface Sql {
  sql: string;
  params: SQLInputValue[];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** `column IN (...)`, or a false condition for an empty list. */
function inList(column: string, values: readonly string[]): Sql {
  return values.length === 0 ? { sql: '0', params: [] } : { sql: `${column} IN (${placeholders(values.length)})`, params: [...values] };
}

/** The policy scope (core `ticketScope`) as an OR of bound-parameter clauses. */
export function scopeToSql(scope: TicketScope): Sql {
  if (scope.length === 0) return { sql: '0', params: [] };
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  for (const clause of scope) {
    switch (clause.kind) {
      case 'all':
        parts.push('t.account_id = ?');
        params.push(clause.accountId);
        break;
      case 'involved':
        parts.push(
          '(t.account_id = ? AND (t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.contact_id = ?)))',
        );
        params.push(clause.accountId, clause.contactId, clause.contactId);
        break;
      case 'shared': {
        let sql = `(t.account_id = ? AND t.visibility = 'account'`;
        params.push(clause.accountId);
        if (clause.categories !== null) {
          const cats = inList('t.category', clause.categories);
          sql += ` AND ${cats.sql}`;
          params.push(...cats.params);
        }
        parts.push(`${sql})`);
        break;
      }
    }
  }
  return { sql: `(${parts.join(' OR ')})`, params };
}

function filterToSql(f: TicketFilter): Sql {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (s: Sql) => {
    parts.push(s.sql);
    params.push(...s.params);
  };
  if (f.accountIds) add(inList('t.account_id', f.accountIds));
  if (f.statuses) add(inList('t.status', f.statuses));
  if (f.priorities) add(inList('t.priority', f.priorities));
  if (f.categories) add(inList('t.category', f.categories));
  if (f.requesterIds) add(inList('t.requester_id', f.requesterIds));
  if (f.followerId !== undefined) {
    add({ sql: 'EXISTS (SELECT 1 FROM ticket_followers f2 WHERE f2.ticket_id = t.id AND f2.contact_id = ?)', params: [f.followerId] });
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    add({
      sql: '(instr(portico_lower(t.ref), ?) > 0 OR instr(portico_lower(t.subject), ?) > 0 OR instr(portico_lower(t.description), ?) > 0)',
      params: [needle, needle, needle],
    });
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

const SORT_COLUMNS = {
  updated: ['t.updated_at', 't.id'],
  created: ['t.created_at', 't.id'],
  priority: ['t.priority_rank', 't.updated_at', 't.id'],
} as const;

const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toAccount(r: Row): Account {
  return {
    id: str(r.id),
    name: str(r.name),
    domains: JSON.parse(str(r.domains)) as string[],
    tier: str(r.tier) as Account['tier'],
    parentId: strOrNull(r.parent_id),
    defaultVisibility: str(r.default_visibility) as Account['defaultVisibility'],
  };
}

function toContact(r: Row): Contact {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    email: str(r.email),
    name: str(r.name),
    role: str(r.role) as Contact['role'],
    status: str(r.status) as Contact['status'],
    createdAt: str(r.created_at),
    lastSeenAt: strOrNull(r.last_seen_at),
  };
}

function toTicket(r: Row): Ticket {
  return {
    id: str(r.id),
    ref: str(r.ref),
    accountId: str(r.account_id),
    subject: str(r.subject),
    description: str(r.description),
    status: str(r.status) as Ticket['status'],
    priority: str(r.priority) as Ticket['priority'],
    category: str(r.category) as Ticket['category'],
    visibility: str(r.visibility) as Ticket['visibility'],
    requester: { id: str(r.requester_id), name: str(r.requester_name), email: str(r.requester_email) },
    followerIds: (JSON.parse(str(r.follower_ids ?? '[]')) as string[]).sort(),
    assignee: strOrNull(r.assignee),
    escalated: Number(r.escalated) === 1,
    commentCount: Number(r.comment_count),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    version: Number(r.version),
    ...(r.business_impact ? { businessImpact: str(r.business_impact) } : {}),
  };
}

function toAttachmentRecord(r: Row): AttachmentRecord {
  return {
    id: str(r.id),
    name: str(r.name),
    contentType: str(r.content_type),
    size: Number(r.size),
    ticketId: strOrNull(r.ticket_id),
    createdAt: str(r.created_at),
    accountId: str(r.account_id),
    uploaderId: str(r.uploader_id),
  };
}

function toAttachment(r: Row): Attachment {
  const { accountId: _a, uploaderId: _u, ...attachment } = toAttachmentRecord(r);
  return attachment;
}

function toArticle(r: Row): Article {
  return {
    id: str(r.id),
    title: str(r.title),
    summary: str(r.summary),
    body: str(r.body),
    category: str(r.category) as Article['category'],
    updatedAt: str(r.updated_at),
  };
}

function toDeflection(r: Row): Deflection {
  return {
    id: str(r.id),
    articleId: str(r.article_id),
    accountId: str(r.account_id),
    contactId: str(r.contact_id),
    query: strOrNull(r.query),
    createdAt: str(r.created_at),
  };
}

const actorOf = (r: Row, prefix: string): ActorRef => ({
  kind: str(r[`${prefix}_kind`]) as ActorRef['kind'],
  id: str(r[`${prefix}_id`]),
  name: str(r[`${prefix}_name`]),
});

function toComment(r: Row): Comment {
  return { id: str(r.id), ticketId: str(r.ticket_id), author: actorOf(r, 'author'), body: str(r.body), createdAt: str(r.created_at) };
}

function toActivity(r: Row): Activity {
  return {
    id: str(r.id),
    accountId: str(r.account_id),
    type: str(r.type) as Activity['type'],
    actor: actorOf(r, 'actor'),
    ticketId: strOrNull(r.ticket_id),
    contactId: strOrNull(r.contact_id),
    data: JSON.parse(str(r.data)) as Record<string, unknown>,
    createdAt: str(r.created_at),
  };
}

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  busyTimeout?: number;
}

/** `Store` on one SQLite file (or `':memory:'`). */
export class SqliteStore implements Store {
  /** The underlying connection, for diagnostics and later migrations. */
  readonly db: DatabaseSync;
  /** Prepared statements by SQL text: preparing is a large part of a small query's cost. */
  readonly #statements = new Map<string, StatementSync>();

  constructor(path = ':memory:', options: SqliteStoreOptions = {}) {
    if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: options.busyTimeout ?? 5000 });
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    // JS lower-casing (full Unicode), so text search matches the memory store exactly.
    this.db.function('portico_lower', { deterministic: true }, (s) => (typeof s === 'string' ? s.toLowerCase() : s));
    this.migrate();
  }

  /** Applies migrations newer than the database's version, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS portico_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const current = Number((this.db.prepare('SELECT coalesce(max(version), 0) AS v FROM portico_migrations').get() as Row).v);
    for (const m of SQLITE_MIGRATIONS) {
      if (m.version <= current) continue;
      this.tx(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO portico_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      });
    }
  }

  /** Runs `fn` in a write transaction. */
  private tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      // Ticket searches vary with their filters; keep the cache bounded.
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, (statement = this.db.prepare(sql)));
    }
    return statement;
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  private run(sql: string, ...params: SQLInputValue[]): void {
    this.statement(sql).run(...params);
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const r = this.get('SELECT * FROM accounts WHERE id = ?', id);
    return r && toAccount(r);
  }

  async listChildAccounts(parentId: string): Promise<Account[]> {
    return this.all('SELECT * FROM accounts WHERE parent_id = ? ORDER BY name, id', parentId).map(toAccount);
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const r = this.get('SELECT * FROM contacts WHERE id = ?', id);
    return r && toContact(r);
  }

  async findContactByEmail(accountId: string, email: string): Promise<Contact | undefined> {
    const r = this.get('SELECT * FROM contacts WHERE account_id = ? AND email = ?', accountId, email);
    return r && toContact(r);
  }

  async createContact(contact: Contact): Promise<Contact> {
    this.insertContact(contact);
    return (await this.getContact(contact.id))!;
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact | undefined> {
    const sets: string[] = [];
    const params: SQLInputValue[] = [];
    if (patch.name !== undefined) sets.push('name = ?') && params.push(patch.name);
    if (patch.role !== undefined) sets.push('role = ?') && params.push(patch.role);
    if (patch.status !== undefined) sets.push('status = ?') && params.push(patch.status);
    if (patch.lastSeenAt !== undefined) sets.push('last_seen_at = ?') && params.push(patch.lastSeenAt);
    if (sets.length) this.run(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ?`, ...params, id);
    return this.getContact(id);
  }

  async searchTickets(search: TicketSearch): Promise<Page<Ticket>> {
    const { sort, after, limit } = search;
    const scope = scopeToSql(search.scope);
    const filter = filterToSql(search.filter);
    const columns = SORT_COLUMNS[sort];
    let where = `${scope.sql} AND ${filter.sql}`;
    const params = [...scope.params, ...filter.params];
    if (after) {
      where += ` AND (${columns.join(', ')}) < (${placeholders(columns.length)})`;
      params.push(...after);
    }
    const rows = this.all(
      `${TICKET_SELECT} WHERE ${where} ORDER BY ${columns.map((c) => `${c} DESC`).join(', ')} LIMIT ?`,
      ...params,
      limit + 1,
    );
    const items = rows.slice(0, limit).map(toTicket);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(sort, ticketKeyset(sort, last)) : null };
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const r = this.get(`${TICKET_SELECT} WHERE t.id = ?`, id);
    return r && toTicket(r);
  }

  async createTicket(draft: TicketDraft, options: WriteOptions = {}): Promise<Ticket> {
    const id = newId('tkt');
    this.tx(() => {
      const requester = this.get('SELECT account_id FROM contacts WHERE id = ?', draft.requesterId);
      if (!requester || requester.account_id !== draft.accountId) throw new Error('Requester is not a contact of the account');
      for (const f of new Set(draft.followerIds ?? [])) {
        if (this.get('SELECT account_id FROM contacts WHERE id = ?', f)?.account_id !== draft.accountId) {
          throw new Error(`Follower ${f} is not a contact of the account`);
        }
      }
      for (const a of draft.attachmentIds ?? []) {
        const row = this.get('SELECT * FROM attachments WHERE id = ?', a);
        if (!row || row.ticket_id !== null || row.uploader_id !== draft.actor.id || row.account_id !== draft.accountId) {
          throw new Error('An attachment is missing, already linked, or not uploaded by the actor');
        }
      }
      const max = Number((this.get('SELECT coalesce(max(number), 0) AS n FROM tickets') as Row).n);
      const number = Math.max(max + 1, FIRST_TICKET_NUMBER);
      this.insertTicket({
        id,
        number,
        accountId: draft.accountId,
        subject: draft.subject,
        description: draft.description,
        status: 'new',
        priority: draft.priority,
        category: draft.category,
        visibility: draft.visibility,
        requesterId: draft.requesterId,
        assignee: null,
        escalated: false,
        commentCount: 0,
        createdAt: draft.now,
        updatedAt: draft.now,
        version: 1,
        businessImpact: draft.businessImpact ?? null,
      });
      for (const f of new Set(draft.followerIds ?? [])) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', id, f);
      for (const a of draft.attachmentIds ?? []) this.run('UPDATE attachments SET ticket_id = ? WHERE id = ?', id, a);
      this.insertActivity({
        id: newId('act'),
        accountId: draft.accountId,
        type: 'ticket.created',
        actor: draft.actor,
        ticketId: id,
        contactId: null,
        data: { ref: ticketRef(number), subject: draft.subject },
        createdAt: draft.now,
      });
      this.complete(options, () => this.getTicketSync(id));
    });
    return this.getTicketSync(id);
  }

  async listComments(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const params: SQLInputValue[] = [ticketId];
    let where = 'ticket_id = ?';
    if (page.after) {
      where += ' AND (created_at, id) > (?, ?)';
      params.push(...page.after);
    }
    const rows = this.all(`SELECT * FROM comments WHERE ${where} ORDER BY created_at, id LIMIT ?`, ...params, page.limit + 1);
    const items = rows.slice(0, page.limit).map(toComment);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null };
  }

  async addComment(draft: CommentDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const comment: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now };
    this.tx(() => {
      const ticket = this.get('SELECT account_id FROM tickets WHERE id = ?', draft.ticketId);
      if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
      this.insertComment(comment);
      this.run(
        'UPDATE tickets SET updated_at = ?, version = version + 1, comment_count = comment_count + 1 WHERE id = ?',
        draft.now,
        draft.ticketId,
      );
      this.insertActivity({
        id: newId('act'),
        accountId: str(ticket.account_id),
        type: 'ticket.commented',
        actor: draft.author,
        ticketId: draft.ticketId,
        contactId: null,
        data: { commentId: comment.id },
        createdAt: draft.now,
      });
      this.complete(options, () => comment);
    });
    return { comment, ticket: this.getTicketSync(draft.ticketId) };
  }

  async findSimilarTickets(search: SimilarSearch): Promise<Ticket[]> {
    const terms = searchTerms(search.text);
    if (terms.terms.length === 0) return [];
    const scope = scopeToSql(search.scope);
    const accounts = inList('t.account_id', search.accountIds);
    const statuses = inList('t.status', search.statuses);
    // MATERIALIZED keeps bm25() in the FTS scan: it cannot be evaluated after the join.
    const rows = this.all(
      `WITH hits AS MATERIALIZED (
         SELECT ticket_id, bm25(ticket_text, 0, 0, 3.0, 1.0) AS rank FROM ticket_text WHERE ticket_text MATCH ?
       ), best AS (SELECT ticket_id, min(rank) AS rank FROM hits GROUP BY ticket_id)
       SELECT t.*, c.name AS requester_name, c.email AS requester_email,
         (SELECT json_group_array(f.contact_id) FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids
       FROM best JOIN tickets t ON t.id = best.ticket_id JOIN contacts c ON c.id = t.requester_id
       WHERE ${scope.sql} AND ${accounts.sql} AND ${statuses.sql}
       ORDER BY best.rank, t.updated_at DESC, t.id DESC LIMIT ?`,
      ftsQuery(terms),
      ...scope.params,
      ...accounts.params,
      ...statuses.params,
      search.limit,
    );
    return rows.map(toTicket);
  }

  async setFollowing(ticketId: string, contactId: string, follow: boolean, _now: string): Promise<Ticket | undefined> {
    return this.tx(() => {
      if (!this.get('SELECT 1 FROM tickets WHERE id = ?', ticketId)) return undefined;
      const has = Boolean(this.get('SELECT 1 FROM ticket_followers WHERE ticket_id = ? AND contact_id = ?', ticketId, contactId));
      if (has !== follow) {
        if (follow) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', ticketId, contactId);
        else this.run('DELETE FROM ticket_followers WHERE ticket_id = ? AND contact_id = ?', ticketId, contactId);
        this.run('UPDATE tickets SET version = version + 1 WHERE id = ?', ticketId);
      }
      return this.getTicketSync(ticketId);
    });
  }

  async createAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    this.tx(() => {
      const uploader = this.get('SELECT account_id FROM contacts WHERE id = ?', record.uploaderId);
      if (uploader?.account_id !== record.accountId) throw new Error('Uploader is not a contact of the account');
      this.run(
        `INSERT INTO attachments (id, account_id, uploader_id, ticket_id, name, content_type, size, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        record.id,
        record.accountId,
        record.uploaderId,
        record.ticketId,
        record.name,
        record.contentType,
        record.size,
        record.createdAt,
      );
      this.complete(options, () => toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!));
    });
    return toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!);
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    const r = this.get('SELECT * FROM attachments WHERE id = ?', id);
    return r && toAttachmentRecord(r);
  }

  async listAttachments(ticketId: string): Promise<Attachment[]> {
    return this.all('SELECT * FROM attachments WHERE ticket_id = ? ORDER BY created_at, id', ticketId).map(toAttachment);
  }

  async searchArticles(search: ArticleSearch): Promise<Page<Article>> {
    if (search.text !== undefined) {
      const terms = searchTerms(search.text);
      if (terms.terms.length === 0) return { items: [], nextCursor: null };
      const rows = this.all(
        `WITH hits AS MATERIALIZED (
           SELECT article_id, bm25(article_text, 0, 3.0, 1.0) AS rank FROM article_text WHERE article_text MATCH ?
         )
         SELECT a.* FROM hits JOIN articles a ON a.id = hits.article_id ORDER BY hits.rank, a.id LIMIT ?`,
        ftsQuery(terms),
        search.limit,
      );
      return { items: rows.map(toArticle), nextCursor: null };
    }
    const params: SQLInputValue[] = [];
    let where = '1';
    if (search.after) {
      where = '(updated_at, id) < (?, ?)';
      params.push(...search.after);
    }
    const rows = this.all(`SELECT * FROM articles WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT ?`, ...params, search.limit + 1);
    const items = rows.slice(0, search.limit).map(toArticle);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('ar', [last.updatedAt, last.id]) : null };
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const r = this.get('SELECT * FROM articles WHERE id = ?', id);
    return r && toArticle(r);
  }

  async recordDeflection(deflection: Deflection, options: WriteOptions = {}): Promise<Deflection> {
    this.tx(() => {
      this.run(
        'INSERT INTO deflections (id, article_id, account_id, contact_id, query, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        deflection.id,
        deflection.articleId,
        deflection.accountId,
        deflection.contactId,
        deflection.query,
        deflection.createdAt,
      );
      this.complete(options, () => deflection);
    });
    return toDeflection(this.get('SELECT * FROM deflections WHERE id = ?', deflection.id)!);
  }

  async countDeflections(accountIds: readonly string[], since?: string): Promise<number> {
    const accounts = inList('account_id', accountIds);
    const params: SQLInputValue[] = [...accounts.params];
    let where = accounts.sql;
    if (since !== undefined) {
      where += ' AND created_at >= ?';
      params.push(since);
    }
    return Number((this.get(`SELECT count(*) AS n FROM deflections WHERE ${where}`, ...params) as Row).n);
  }

  async listActivity(accountIds: readonly string[], page: SeekPage): Promise<Page<Activity>> {
    const accounts = inList('account_id', accountIds);
    const params: SQLInputValue[] = [...accounts.params];
    let where = accounts.sql;
    if (page.after) {
      where += ' AND (created_at, id) < (?, ?)';
      params.push(...page.after);
    }
    const rows = this.all(`SELECT * FROM activity WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`, ...params, page.limit + 1);
    const items = rows.slice(0, page.limit).map(toActivity);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null };
  }

  async claimIdempotencyKey(claim: IdempotencyClaim): Promise<IdempotencyState> {
    return this.tx(() => {
      const nowMs = Date.parse(claim.now);
      // Expired records go, so the table stays small.
      this.run('DELETE FROM idempotency_keys WHERE created_at < ?', new Date(nowMs - IDEMPOTENCY_TTL_MS).toISOString());
      const r = this.get('SELECT * FROM idempotency_keys WHERE contact_id = ? AND key = ?', claim.contactId, claim.key);
      if (r) {
        const pending = r.status === null;
        const stale = pending && nowMs - Date.parse(str(r.created_at)) > IDEMPOTENCY_PENDING_TTL_MS;
        if (!stale) {
          return pending
            ? { state: 'pending' as const, fingerprint: str(r.fingerprint) }
            : { state: 'completed' as const, fingerprint: str(r.fingerprint), status: Number(r.status), body: JSON.parse(str(r.body)) as unknown };
        }
      }
      this.run(
        'INSERT OR REPLACE INTO idempotency_keys (contact_id, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, NULL, NULL, ?)',
        claim.contactId,
        claim.key,
        claim.fingerprint,
        claim.now,
      );
      return { state: 'claimed' as const };
    });
  }

  async releaseIdempotencyKey(ref: IdempotencyRef): Promise<void> {
    this.run('DELETE FROM idempotency_keys WHERE contact_id = ? AND key = ? AND status IS NULL', ref.contactId, ref.key);
  }

  /** Whether the database holds no accounts yet (a fresh file). */
  async isEmpty(): Promise<boolean> {
    return !this.get('SELECT 1 FROM accounts LIMIT 1');
  }

  async load(data: SeedData): Promise<void> {
    this.tx(() => {
      // Parents before children, whatever the input order.
      const accounts = [...data.accounts].sort((a, b) => Number(a.parentId !== null) - Number(b.parentId !== null));
      for (const a of accounts) {
        this.run(
          'INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES (?, ?, ?, ?, ?, ?)',
          a.id,
          a.name,
          JSON.stringify(a.domains),
          a.tier,
          a.parentId,
          a.defaultVisibility,
        );
      }
      for (const c of data.contacts) this.insertContact(c);
      for (const t of data.tickets) {
        const number = Number(/^T-(\d+)$/.exec(t.ref)?.[1]);
        this.insertTicket({ ...t, number, requesterId: t.requester.id });
        for (const f of t.followerIds) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', t.id, f);
      }
      for (const c of data.comments) this.insertComment(c);
      for (const a of data.activity) this.insertActivity(a);
      for (const a of data.articles ?? []) {
        this.run(
          'INSERT INTO articles (id, title, summary, body, category, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
          a.id,
          a.title,
          a.summary,
          a.body,
          a.category,
          a.updatedAt,
        );
      }
    });
  }

  async close(): Promise<void> {
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  private getTicketSync(id: string): Ticket {
    return toTicket(this.get(`${TICKET_SELECT} WHERE t.id = ?`, id)!);
  }

  /** Stores the created entity as the response of a claimed idempotency key (inside the write's transaction). */
  private complete(options: WriteOptions, body: () => unknown): void {
    if (!options.idempotency) return;
    this.run(
      'UPDATE idempotency_keys SET status = 201, body = ? WHERE contact_id = ? AND key = ?',
      JSON.stringify(body()),
      options.idempotency.contactId,
      options.idempotency.key,
    );
  }

  private insertContact(c: Contact): void {
    this.run(
      'INSERT INTO contacts (id, account_id, email, name, role, status, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      c.id,
      c.accountId,
      c.email,
      c.name,
      c.role,
      c.status,
      c.createdAt,
      c.lastSeenAt,
    );
  }

  private insertTicket(
    t: Omit<Ticket, 'ref' | 'requester' | 'followerIds'> & { number: number; requesterId: string },
  ): void {
    this.run(
      `INSERT INTO tickets (id, number, ref, account_id, subject, description, status, priority, priority_rank, category, visibility,
        requester_id, assignee, escalated, comment_count, created_at, updated_at, version, business_impact)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      t.id,
      t.number,
      ticketRef(t.number),
      t.accountId,
      t.subject,
      t.description,
      t.status,
      t.priority,
      PRIORITY_RANK[t.priority],
      t.category,
      t.visibility,
      t.requesterId,
      t.assignee,
      t.escalated ? 1 : 0,
      t.commentCount,
      t.createdAt,
      t.updatedAt,
      t.version,
      t.businessImpact ?? null,
    );
  }

  private insertComment(c: Comment): void {
    this.run(
      'INSERT INTO comments (id, ticket_id, author_kind, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      c.id,
      c.ticketId,
      c.author.kind,
      c.author.id,
      c.author.name,
      c.body,
      c.createdAt,
    );
  }

  private insertActivity(a: Activity): void {
    this.run(
      `INSERT INTO activity (id, account_id, type, actor_kind, actor_id, actor_name, ticket_id, contact_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.accountId,
      a.type,
      a.actor.kind,
      a.actor.id,
      a.actor.name,
      a.ticketId,
      a.contactId,
      JSON.stringify(a.data),
      a.createdAt,
    );
  }
}
