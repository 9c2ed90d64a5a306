/**
 * The embedded default store: one SQLite file through `node:sqlite` (no native addon).
 * WAL journal, foreign keys on, numbered migrations, one transaction per write.
 * Node-only: exported from `@portico/server/node`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { UNSOLVED_STATUSES, type Account, type Activity, type ActorRef, type Comment, type Contact, type Page, type Ticket, type TicketScope } from '@portico/core';
import { encodeCursor } from './cursor.ts';
import {
  FIRST_TICKET_NUMBER,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  PRIORITY_RANK,
  newId,
  ticketKeyset,
  ticketRef,
  type ActivitySearch,
  type CommentDraft,
  type SequencedActivity,
  type SlaMarkDraft,
  type StatusChangeDraft,
  type TicketSlaHistory,
  type ContactPatch,
  type IdempotencyClaim,
  type IdempotencyRef,
  type IdempotencyState,
  type SeedData,
  type SeekPage,
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
    name: 'issue 6 (timeline, SLA, notifications): activity by ticket, SLA marks, notification read markers',
    // The activity table's rowid is its append order: live events use it as their id
    // (rows are never deleted, so rowids only grow). sla_marks makes each SLA crossing
    // recordable exactly once, whatever the number of schedulers.
    sql: `
      CREATE INDEX activity_ticket ON activity(ticket_id, type);
      CREATE INDEX comments_ticket_agent ON comments(ticket_id, author_kind, created_at);
      CREATE TABLE sla_marks (
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        clock TEXT NOT NULL,
        type TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        PRIMARY KEY (ticket_id, clock, type)
      );
      CREATE TABLE notification_marks (
        contact_id TEXT PRIMARY KEY REFERENCES contacts(id),
        seen_at TEXT NOT NULL
      );
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
      });
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

  async searchActivity(search: ActivitySearch): Promise<Page<Activity>> {
    const where = this.activityWhere(search);
    const params = [...where.params];
    let sql = where.sql;
    if (search.after) {
      sql += ' AND (a.created_at, a.id) < (?, ?)';
      params.push(...search.after);
    }
    const rows = this.all(
      `SELECT a.* FROM activity a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE ${sql} ORDER BY a.created_at DESC, a.id DESC LIMIT ?`,
      ...params,
      search.limit + 1,
    );
    const items = rows.slice(0, search.limit).map(toActivity);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('a', [last.createdAt, last.id]) : null };
  }

  async countActivity(search: Omit<ActivitySearch, 'after' | 'limit'>): Promise<number> {
    const where = this.activityWhere(search);
    const r = this.get(`SELECT count(*) AS n FROM activity a LEFT JOIN tickets t ON t.id = a.ticket_id WHERE ${where.sql}`, ...where.params);
    return Number(r?.n ?? 0);
  }

  async listActivitySince(accountIds: readonly string[], afterSeq: number, limit: number): Promise<SequencedActivity[]> {
    const accounts = inList('account_id', accountIds);
    const rows = this.all(
      `SELECT rowid AS seq, * FROM activity WHERE rowid > ? AND ${accounts.sql} ORDER BY rowid LIMIT ?`,
      afterSeq,
      ...accounts.params,
      limit,
    );
    return rows.map((r) => ({ seq: Number(r.seq), activity: toActivity(r) }));
  }

  async activityHead(): Promise<number> {
    return Number(this.get('SELECT coalesce(max(rowid), 0) AS n FROM activity')?.n ?? 0);
  }

  async getSlaHistory(ticketIds: readonly string[]): Promise<Map<string, TicketSlaHistory>> {
    const out = new Map<string, TicketSlaHistory>();
    if (ticketIds.length === 0) return out;
    const entry = (id: string) => {
      let h = out.get(id);
      if (!h) out.set(id, (h = { statusChanges: [], firstResponseAt: null }));
      return h;
    };
    const ids = inList('ticket_id', ticketIds);
    for (const r of this.all(
      `SELECT ticket_id, created_at, json_extract(data, '$.to') AS status FROM activity
       WHERE type = 'ticket.status_changed' AND ${ids.sql} ORDER BY created_at, id`,
      ...ids.params,
    )) {
      if (typeof r.status === 'string') entry(str(r.ticket_id)).statusChanges.push({ at: str(r.created_at), to: r.status as Ticket['status'] });
    }
    for (const r of this.all(
      `SELECT ticket_id, min(created_at) AS first FROM comments WHERE author_kind = 'agent' AND ${ids.sql} GROUP BY ticket_id`,
      ...ids.params,
    )) {
      entry(str(r.ticket_id)).firstResponseAt = str(r.first);
    }
    return out;
  }

  async listSlaCandidates(afterId: string | undefined, limit: number): Promise<Ticket[]> {
    const statuses = inList('t.status', UNSOLVED_STATUSES);
    return this.all(`${TICKET_SELECT} WHERE ${statuses.sql} AND t.id > ? ORDER BY t.id LIMIT ?`, ...statuses.params, afterId ?? '', limit).map(toTicket);
  }

  async recordSlaMark(draft: SlaMarkDraft): Promise<Activity | undefined> {
    return this.tx(() => {
      const ticket = this.get('SELECT account_id, ref, subject FROM tickets WHERE id = ?', draft.ticketId);
      if (!ticket) return undefined;
      const activity: Activity = {
        id: newId('act'),
        accountId: str(ticket.account_id),
        type: draft.type,
        actor: { kind: 'system', id: 'sla', name: 'SLA' },
        ticketId: draft.ticketId,
        contactId: null,
        data: { clock: draft.clock, dueAt: draft.dueAt, ref: str(ticket.ref), subject: str(ticket.subject) },
        createdAt: draft.at,
      };
      const inserted = this.statement('INSERT OR IGNORE INTO sla_marks (ticket_id, clock, type, activity_id) VALUES (?, ?, ?, ?)').run(
        draft.ticketId,
        draft.clock,
        draft.type,
        activity.id,
      );
      if (Number(inserted.changes) === 0) return undefined;
      this.insertActivity(activity);
      return activity;
    });
  }

  async changeTicketStatus(draft: StatusChangeDraft): Promise<Ticket | undefined> {
    const found = this.tx(() => {
      const ticket = this.get('SELECT account_id, status, assignee FROM tickets WHERE id = ?', draft.ticketId);
      if (!ticket) return false;
      const statusChanged = draft.status !== ticket.status;
      const assigneeChanged = draft.assignee !== undefined && draft.assignee !== strOrNull(ticket.assignee);
      if (!statusChanged && !assigneeChanged) return true;
      this.run(
        'UPDATE tickets SET status = ?, assignee = ?, updated_at = ?, version = version + 1 WHERE id = ?',
        draft.status,
        draft.assignee !== undefined ? draft.assignee : strOrNull(ticket.assignee),
        draft.now,
        draft.ticketId,
      );
      if (statusChanged) {
        this.insertActivity({
          id: newId('act'),
          accountId: str(ticket.account_id),
          type: 'ticket.status_changed',
          actor: draft.actor,
          ticketId: draft.ticketId,
          contactId: null,
          data: { from: str(ticket.status), to: draft.status },
          createdAt: draft.now,
        });
      }
      return true;
    });
    return found ? this.getTicketSync(draft.ticketId) : undefined;
  }

  async getNotificationsSeenAt(contactId: string): Promise<string | null> {
    return strOrNull(this.get('SELECT seen_at FROM notification_marks WHERE contact_id = ?', contactId)?.seen_at);
  }

  async setNotificationsSeenAt(contactId: string, at: string): Promise<void> {
    this.run(
      'INSERT INTO notification_marks (contact_id, seen_at) VALUES (?, ?) ON CONFLICT (contact_id) DO UPDATE SET seen_at = excluded.seen_at',
      contactId,
      at,
    );
  }

  /** WHERE of an activity search over `activity a LEFT JOIN tickets t`. */
  private activityWhere(search: Omit<ActivitySearch, 'after' | 'limit'>): Sql {
    const { filter: f } = search;
    const parts: string[] = [];
    const params: SQLInputValue[] = [];
    const add = (s: Sql) => {
      parts.push(s.sql);
      params.push(...s.params);
    };
    add(inList('a.account_id', search.accountIds));
    const scope = scopeToSql(search.scope);
    add({ sql: `(a.ticket_id IS NULL OR (t.id IS NOT NULL AND ${scope.sql}))`, params: scope.params });
    if (f.types) add(inList('a.type', f.types));
    if (f.ticketId !== undefined) add({ sql: 'a.ticket_id = ?', params: [f.ticketId] });
    if (f.contactId !== undefined) {
      add({ sql: "(a.contact_id = ? OR (a.actor_kind = 'contact' AND a.actor_id = ?))", params: [f.contactId, f.contactId] });
    }
    if (f.involvingContactId !== undefined) {
      add({
        sql: '(t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_followers f3 WHERE f3.ticket_id = t.id AND f3.contact_id = ?))',
        params: [f.involvingContactId, f.involvingContactId],
      });
    }
    if (f.excludeActorId !== undefined) add({ sql: 'a.actor_id <> ?', params: [f.excludeActorId] });
    if (f.from !== undefined) add({ sql: 'a.created_at >= ?', params: [f.from] });
    if (f.to !== undefined) add({ sql: 'a.created_at < ?', params: [f.to] });
    return { sql: parts.join(' AND '), params };
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
        requester_id, assignee, escalated, comment_count, created_at, updated_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
