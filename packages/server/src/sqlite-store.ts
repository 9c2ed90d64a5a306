/**
 * The embedded default store: one SQLite file through `node:sqlite` (no native addon).
 * WAL journal, foreign keys on, numbered migrations, one transaction per write.
 * Node-only: exported from `@portico/server/node`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import {
  UNSOLVED_STATUSES,
  type Account,
  type Activity,
  type ActorRef,
  type Comment,
  type Contact,
  type OutboxEvent,
  type Page,
  type Ticket,
  type TicketScope,
  type SavedView,
  type Article,
  type Attachment,
  type WebhookDelivery,
} from '@portico/core';
import { encodeCursor } from './cursor.ts';
import { countEachCapped, counterSumSql, planCount, type CounterTerm } from './count-plan.ts';
import { completeAccount, contactCreatedEntries, parentsFirst, planProvisioning, planRolePut } from './provisioning-plans.ts';
import { planContactChange, planInvitation, planInvitationChange } from './contact-plans.ts';
import { ACTIVITY_OUTBOX, commentEvent, deflectionEvent, endpointDisabledEvent, outboxEventOf, type OutboxDraft } from './outbox.ts';
import { accountToken, ftsQuery, searchTerms } from './text-search.ts';
import { SIMILAR_COUNT_CAP, SIMILAR_PER_TERM, rankSimilar, similarTermWeight, similarTerms, termHits } from './similar-tickets.ts';
import { validateSeed } from './seed-validation.ts';
import {
  audienceTiers,
  json,
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
} from './sql-rows.ts';
import { MigrationError, pendingMigrations, type Migration } from './migrations.ts';
import {
  AppendListeners,
  FIRST_TICKET_NUMBER,
  attemptedDelivery,
  failureDisables,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  NO_SLA_RANK,
  PRIORITY_RANK,
  contactOrder,
  newId,
  searchWords,
  slaRank,
  ticketKeyset,
  ticketRef,
  applyArticleChanges,
  deflectionActivity,
  type ArticleSearch,
  type ArticleUpdate,
  type ArticleUpdateResult,
  type AttachmentRecord,
  type CommentDraft,
  type ContactChange,
  type ContactChangeBase,
  type ActivitySearch,
  type SequencedActivity,
  type SlaMarkDraft,
  type StatusChangeDraft,
  type TicketSlaHistory,
  type ContactPatch,
  type ContactSearch,
  type ContactSlice,
  type ContactWriteResult,
  type InvitationDraft,
  type OutboxRead,
  type EscalationDraft,
  type EscalationOutcome,
  type SatisfactionDraft,
  type SatisfactionOutcome,
  type TicketUpdate,
  type TicketUpdateResult,
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
  endpointFromDraft,
  endpointWithSecret,
  type ClaimedDelivery,
  type SequencedDelivery,
  type WebhookAttemptResult,
  type WebhookClaim,
  type WebhookDeliveryRead,
  type WebhookEndpointDraft,
  type WebhookEndpointPatch,
  type WebhookEndpointRecord,
  type AccountSearch,
  type CustomRole,
  type ProvisioningBatch,
  type ProvisioningResult,
  type RoleDraft,
  type AgentReplyDraft,
  type MergeDraft,
  type MergeOutcome,
  type ServiceTicketSearch,
  type SlaCheck,
  type SchemaStatus,
} from './store.ts';
import { mergedFollowers, mergeRefusal } from './merge.ts';
import * as plans from './ticket-plans.ts';

/** The status changes of one ticket (`ticketId`: an SQL expression) as the JSON array `TicketSlaHistory` holds, oldest first. */
const SLA_STATUS_CHANGES_OF = (ticketId: string) => `
  SELECT json_group_array(json_object('at', created_at, 'to', json_extract(data, '$.to')) ORDER BY created_at, id) FROM activity
  WHERE ticket_id = ${ticketId} AND type = 'ticket.status_changed' AND json_type(data, '$.to') = 'text'`;

/** The words of ticket `t` (an alias) and its comments, as `portico_search_words` keeps them in ticket_words. */
const TICKET_WORDS_OF = (t: string) =>
  `portico_search_words(${t}.ref || ' ' || ${t}.subject || ' ' || ${t}.description || ' ' || coalesce((SELECT group_concat(c.body, ' ') FROM comments c WHERE c.ticket_id = ${t}.id), ''))`;

/**
 * A text's distinct search words (`searchWords`), each preceded by a space: the form of
 * ticket_words, where `instr(words, ' ' || word)` tells whether a word begins one of them.
 */
export function searchWordsText(text: string): string {
  return [...new Set(searchWords(text))].map((w) => ` ${w}`).join('');
}

/**
 * Registers the JS functions the schema's triggers and the store's queries call. Every
 * connection that writes tickets or comments needs them (the store registers them itself).
 */
export function registerSqliteFunctions(db: DatabaseSync): void {
  // JS lower-casing (full Unicode), so text search matches the memory store exactly.
  db.function('portico_lower', { deterministic: true }, (s) => (typeof s === 'string' ? s.toLowerCase() : s));
  db.function('portico_search_words', { deterministic: true }, (s) => searchWordsText(typeof s === 'string' ? s : ''));
}

/**
 * The word index's rowid of ticket `t` (an alias, or `old` / `new` in a trigger): its
 * updated_at in whole seconds, then its number in the low 31 bits. Rowid order is list order
 * (updated_at, newest first when read descending) up to ties inside one second. ISO
 * timestamps order as their seconds do, so a page can start at the seconds of its cursor.
 */
const WORD_INDEX_KEY = (t: string) => `((coalesce(unixepoch(${t}.updated_at), 0) << 31) | ${t}.number)`;

/**
 * Adds the terms of a ticket_words row (`new`, inside its trigger) to ticket_word_terms: its
 * account's token, 'x', then each word, lower-cased as the ascii tokenizer stores them. The
 * words are letters, digits and private-use characters, so they need no JSON escaping.
 */
const TERMS_OF_NEW_WORDS = `
  INSERT OR IGNORE INTO ticket_word_terms (term)
    SELECT lower('a' || hex(t.account_id) || 'x') || j.value FROM tickets t, json_each('["' || replace(substr(new.words, 2), ' ', '","') || '"]') j
    WHERE t.number = new.number AND j.value <> '';`;

/** The ticket number inside a word index rowid (see WORD_INDEX_KEY). */
const WORD_INDEX_NUMBER = (rowid: string) => `(${rowid} & 2147483647)`;

/** When an agent first replied on one ticket (`ticketId`: an SQL expression), or NULL. */
const FIRST_RESPONSE_OF = (ticketId: string) => `SELECT min(created_at) FROM comments WHERE ticket_id = ${ticketId} AND author_kind = 'agent'`;

/**
 * Triggers that recompute a ticket column (`set`, given an SQL expression of the ticket id)
 * whenever a row of `table` matching `condition` is inserted, deleted or changed in `columns`.
 */
function triggersKeepingTicketColumn(name: string, table: string, condition: string, columns: string, set: (ticketId: string) => string): string {
  const update = (row: 'new' | 'old') => `UPDATE tickets SET ${set(`${row}.ticket_id`)} WHERE id = ${row}.ticket_id;`;
  return `
    CREATE TRIGGER ${name}_insert AFTER INSERT ON ${table} WHEN new.${condition} BEGIN ${update('new')} END;
    CREATE TRIGGER ${name}_delete AFTER DELETE ON ${table} WHEN old.${condition} BEGIN ${update('old')} END;
    CREATE TRIGGER ${name}_update AFTER UPDATE OF ${columns} ON ${table} WHEN old.${condition} OR new.${condition}
    BEGIN ${update('old')} ${update('new')} END;`;
}

/**
 * A table of ticket counters (the `keys` columns of tickets and a count `n`), filled with
 * `SELECT keys, count(*) FROM tickets GROUP BY keys` and kept equal to it by triggers through
 * every insert, delete and update of a ticket.
 */
function countersKeptByTriggers(table: string, keys: readonly string[]): string {
  const columns = keys.join(', ');
  const create = `
    CREATE TABLE ${table} (${keys.map((k) => `${k} TEXT NOT NULL`).join(', ')}, n INTEGER NOT NULL, PRIMARY KEY (${columns})) WITHOUT ROWID;
    INSERT INTO ${table} (${columns}, n) SELECT ${columns}, count(*) FROM tickets GROUP BY ${columns};`;
  const add = `INSERT INTO ${table} (${columns}, n) VALUES (${keys.map((k) => `new.${k}`).join(', ')}, 1) ON CONFLICT DO UPDATE SET n = n + 1;`;
  const remove = `UPDATE ${table} SET n = n - 1 WHERE (${columns}) = (${keys.map((k) => `old.${k}`).join(', ')});`;
  return `${create}
    CREATE TRIGGER ${table}_insert AFTER INSERT ON tickets BEGIN ${add} END;
    CREATE TRIGGER ${table}_delete AFTER DELETE ON tickets BEGIN ${remove} END;
    CREATE TRIGGER ${table}_update AFTER UPDATE OF ${columns} ON tickets
      WHEN ${keys.map((k) => `old.${k} <> new.${k}`).join(' OR ')}
    BEGIN ${remove} ${add} END;`;
}

/** The key columns of follower_counts (see migration 17). */
const FOLLOWER_COUNT_KEYS = ['follower_id', 'account_id', 'requested', 'visibility', 'category', 'status', 'priority'] as const;

/** The follower_counts key of `follower` following the ticket whose columns `t` names (a table alias, `old` or `new`). */
const followerCountKey = (follower: string, t: string) =>
  `${follower}, ${t}.account_id, ${follower} = ${t}.requester_id, ${t}.visibility, ${t}.category, ${t}.status, ${t}.priority`;

/** Numbered schema migrations; append, never edit one that has shipped. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
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
    name: 'contact manager: contact versions (ETag), service outbox',
    // Contact manager (issue 5). `version` backs the contact ETag; it bumps on name, role or
    // status changes only. `service_outbox` is the log the vendor reads through
    // GET /v1/service/outbox (e.g. contact.invited), in `sequence` order.
    sql: `
      ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX contacts_account_status ON contacts(account_id, status, role);
      CREATE TABLE service_outbox (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        data TEXT NOT NULL,
        occurred_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'ticket list and detail (issue 3): SLA-due sort, satisfaction, escalations, seen markers, saved views',
    // sla_rank = -(sla_due_at in epoch ms), or NO_SLA_RANK when there is no deadline: the
    // sla_due sort is then "rank descending" like every other sort (see store.ts slaRank).
    sql: `
      ALTER TABLE tickets ADD COLUMN sla_due_at TEXT;
      ALTER TABLE tickets ADD COLUMN sla_rank INTEGER NOT NULL DEFAULT ${NO_SLA_RANK};
      ALTER TABLE tickets ADD COLUMN satisfaction_rating TEXT;
      ALTER TABLE tickets ADD COLUMN satisfaction_comment TEXT;
      ALTER TABLE tickets ADD COLUMN satisfaction_at TEXT;
      CREATE INDEX tickets_account_sla ON tickets(account_id, sla_rank DESC, updated_at DESC, id DESC);
      CREATE INDEX tickets_account_priority ON tickets(account_id, priority_rank DESC, updated_at DESC, id DESC);

      CREATE TABLE escalations (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        priority_from TEXT NOT NULL,
        priority_to TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT
      );
      CREATE UNIQUE INDEX escalations_one_open ON escalations(ticket_id) WHERE resolved_at IS NULL;

      CREATE TABLE ticket_seen (
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (contact_id, ticket_id)
      ) WITHOUT ROWID;

      CREATE TABLE saved_views (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        owner_id TEXT NOT NULL REFERENCES contacts(id),
        name TEXT NOT NULL,
        shared INTEGER NOT NULL,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX saved_views_account ON saved_views(account_id, shared, owner_id);
    `,
  },
  {
    version: 5,
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
  {
    version: 6,
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
  {
    version: 7,
    name: 'knowledge-base authoring: article locale, audience, status, versions; deflections outlive articles',
    // Articles that existed before authoring were all shown to customers: they become published,
    // in English, for every account. audience_tiers is a JSON array of tiers, NULL = all accounts.
    // The deflections table is rebuilt without its foreign key to articles, so deleting an
    // article keeps its deflections (and the summary's count) intact.
    sql: `
      ALTER TABLE articles ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
      ALTER TABLE articles ADD COLUMN audience_tiers TEXT;
      ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
      ALTER TABLE articles ADD COLUMN published_at TEXT;
      ALTER TABLE articles ADD COLUMN created_at TEXT;
      ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      UPDATE articles SET published_at = updated_at, created_at = updated_at;
      CREATE INDEX articles_status_updated ON articles(status, updated_at DESC, id DESC);

      CREATE TABLE deflections_kept (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        query TEXT,
        created_at TEXT NOT NULL
      );
      INSERT INTO deflections_kept (id, article_id, account_id, contact_id, query, created_at)
        SELECT id, article_id, account_id, contact_id, query, created_at FROM deflections;
      DROP TABLE deflections;
      ALTER TABLE deflections_kept RENAME TO deflections;
      CREATE INDEX deflections_account_created ON deflections(account_id, created_at);
    `,
  },
  {
    version: 8,
    name: 'events out: every domain event in the outbox (nullable account, ticket id), webhook endpoints and deliveries',
    // The outbox is rebuilt because SQLite cannot drop NOT NULL: events about the vendor's own
    // setup (webhook_endpoint.disabled) belong to no account. Sequences are copied, so readers'
    // positions stay valid. A delivery is claimed with a lease (lease_owner, lease_until), so
    // several server processes can share the work; outbox_cursor is the last outbox sequence
    // an endpoint's deliveries were made for.
    sql: `
      CREATE TABLE service_outbox_new (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        account_id TEXT REFERENCES accounts(id),
        ticket_id TEXT,
        data TEXT NOT NULL,
        occurred_at TEXT NOT NULL
      );
      INSERT INTO service_outbox_new (sequence, id, type, account_id, ticket_id, data, occurred_at)
        SELECT sequence, id, type, account_id, NULL, data, occurred_at FROM service_outbox;
      DROP TABLE service_outbox;
      ALTER TABLE service_outbox_new RENAME TO service_outbox;
      CREATE INDEX service_outbox_type ON service_outbox(type, sequence);

      CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        description TEXT NOT NULL,
        event_types TEXT,
        enabled INTEGER NOT NULL,
        disabled_reason TEXT,
        failing_since TEXT,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at TEXT,
        outbox_cursor INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_sequence INTEGER NOT NULL REFERENCES service_outbox(sequence),
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        ticket_id TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_attempt_at TEXT,
        last_response_status INTEGER,
        last_error TEXT,
        last_duration_ms INTEGER,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        lease_owner TEXT,
        lease_until TEXT
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
      CREATE INDEX webhook_deliveries_ticket ON webhook_deliveries(endpoint_id, ticket_id, status, event_sequence);
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries(endpoint_id, seq);
    `,
  },
  {
    version: 9,
    name: 'provisioning: account status, SLA policy, versions; contact locale; vendor-defined roles',
    // accounts_updated serves GET /v1/service/accounts (oldest change first, resumable);
    // contacts_email finds an email in any account (an email is active in one account at a time).
    sql: `
      ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
      ALTER TABLE accounts ADD COLUMN sla_policy TEXT;
      ALTER TABLE accounts ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
      ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      UPDATE accounts SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
      CREATE INDEX accounts_updated ON accounts(updated_at, id);
      ALTER TABLE contacts ADD COLUMN locale TEXT;
      CREATE INDEX contacts_email ON contacts(email);
      CREATE TABLE roles (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL,
        rules TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'agent API: internal notes, merged tickets, uploads by the service API, cross-account listing',
    // Internal notes get their own table, outside the comments' FTS triggers and counters, so
    // no customer read can reach them. Attachments are rebuilt without the uploader's foreign
    // key: files uploaded through the service API have no contact as uploader.
    sql: `
      CREATE TABLE internal_notes (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_kind TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX internal_notes_ticket ON internal_notes(ticket_id, created_at, id);

      ALTER TABLE tickets ADD COLUMN merged_into_id TEXT;
      ALTER TABLE tickets ADD COLUMN merged_into_ref TEXT;
      CREATE INDEX tickets_updated ON tickets(updated_at DESC, id DESC);
      CREATE UNIQUE INDEX tickets_ref_nocase ON tickets(ref COLLATE NOCASE);

      CREATE TABLE attachments_v8 (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        uploader_id TEXT NOT NULL,
        ticket_id TEXT REFERENCES tickets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO attachments_v8 (id, account_id, uploader_id, ticket_id, name, content_type, size, created_at)
        SELECT id, account_id, uploader_id, ticket_id, name, content_type, size, created_at FROM attachments;
      DROP TABLE attachments;
      ALTER TABLE attachments_v8 RENAME TO attachments;
      CREATE INDEX attachments_ticket ON attachments(ticket_id, created_at, id);
    `,
  },
  {
    version: 11,
    name: 'view counts without scans: ticket counters per account, visibility, category, status and priority',
    // ticket_counts holds, per account, how many tickets share each (visibility, category,
    // status, priority): at most 2 × 4 × 5 × 4 rows per account, kept exact by triggers in the
    // writing transaction. A view count sums a few of these rows instead of scanning the
    // account's tickets; what only a contact's own tickets decide (private tickets they
    // requested or follow) is counted through the follower index and tickets_requester_counts,
    // which answers counts of a requester's tickets from the index alone.
    sql: `
      CREATE TABLE ticket_counts (
        account_id TEXT NOT NULL,
        visibility TEXT NOT NULL,
        category TEXT NOT NULL,
        status TEXT NOT NULL,
        priority TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (account_id, visibility, category, status, priority)
      ) WITHOUT ROWID;
      INSERT INTO ticket_counts (account_id, visibility, category, status, priority, n)
        SELECT account_id, visibility, category, status, priority, count(*) FROM tickets GROUP BY 1, 2, 3, 4, 5;
      CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_counts (account_id, visibility, category, status, priority, n)
          VALUES (new.account_id, new.visibility, new.category, new.status, new.priority, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets BEGIN
        UPDATE ticket_counts SET n = n - 1
          WHERE (account_id, visibility, category, status, priority) = (old.account_id, old.visibility, old.category, old.status, old.priority);
      END;
      CREATE TRIGGER tickets_count_update AFTER UPDATE OF account_id, visibility, category, status, priority ON tickets
        WHEN old.account_id <> new.account_id OR old.visibility <> new.visibility OR old.category <> new.category
          OR old.status <> new.status OR old.priority <> new.priority
      BEGIN
        UPDATE ticket_counts SET n = n - 1
          WHERE (account_id, visibility, category, status, priority) = (old.account_id, old.visibility, old.category, old.status, old.priority);
        INSERT INTO ticket_counts (account_id, visibility, category, status, priority, n)
          VALUES (new.account_id, new.visibility, new.category, new.status, new.priority, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE INDEX tickets_requester_counts ON tickets(requester_id, account_id, visibility, category, status, priority, id);
    `,
  },
  {
    version: 12,
    name: 'SLA scheduling: the next SLA check of each unsolved ticket, indexed',
    // sla_check_at is when the SLA sweeper must look at a ticket next ('' = now). Any write
    // that bumps the ticket's version, or changes its account's version (tier, SLA policy),
    // makes it due again, so the sweeper reads only the tickets whose clocks may have moved.
    sql: `
      ALTER TABLE tickets ADD COLUMN sla_check_at TEXT NOT NULL DEFAULT '';
      CREATE INDEX tickets_sla_check ON tickets(sla_check_at, id) WHERE status IN ('new', 'open', 'pending');
      CREATE TRIGGER tickets_sla_check_reset AFTER UPDATE OF version ON tickets WHEN new.sla_check_at <> '' BEGIN
        UPDATE tickets SET sla_check_at = '' WHERE id = new.id;
      END;
      CREATE TRIGGER accounts_sla_check_reset AFTER UPDATE OF version ON accounts BEGIN
        UPDATE tickets SET sla_check_at = '' WHERE account_id = new.id AND sla_check_at <> '';
      END;
    `,
  },
  {
    version: 13,
    name: "search scoped before matching: the full-text index carries each row's account",
    // The account column holds one token per row, 'a' || hex(account_id) (see accountToken), so
    // a MATCH names the caller's accounts and FTS5 intersects their rows with the words' rows
    // before anything is read from the tickets: work follows the caller's accounts, not the
    // whole database. Words are matched in {subject body} only. Rank with
    // bm25(ticket_text, 0, 0, 0, 3.0, 1.0). The index is rebuilt from the tables.
    sql: `
      DROP TRIGGER tickets_text_insert;
      DROP TRIGGER tickets_text_update;
      DROP TRIGGER tickets_text_delete;
      DROP TRIGGER comments_text_insert;
      DROP TABLE ticket_text;
      CREATE VIRTUAL TABLE ticket_text USING fts5(
        ticket_id UNINDEXED, source UNINDEXED, account, subject, body,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO ticket_text (ticket_id, source, account, subject, body)
        SELECT id, 'ticket', 'a' || hex(account_id), ref || ' ' || subject, description FROM tickets;
      INSERT INTO ticket_text (ticket_id, source, account, subject, body)
        SELECT c.ticket_id, c.id, 'a' || hex(t.account_id), '', c.body FROM comments c JOIN tickets t ON t.id = c.ticket_id ORDER BY c.rowid;
      CREATE TRIGGER tickets_text_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_text (ticket_id, source, account, subject, body) VALUES (new.id, 'ticket', 'a' || hex(new.account_id), new.ref || ' ' || new.subject, new.description);
      END;
      CREATE TRIGGER tickets_text_update AFTER UPDATE OF subject, description ON tickets BEGIN
        DELETE FROM ticket_text WHERE ticket_id = old.id AND source = 'ticket';
        INSERT INTO ticket_text (ticket_id, source, account, subject, body) VALUES (new.id, 'ticket', 'a' || hex(new.account_id), new.ref || ' ' || new.subject, new.description);
      END;
      CREATE TRIGGER tickets_text_delete AFTER DELETE ON tickets BEGIN
        DELETE FROM ticket_text WHERE ticket_id = old.id;
      END;
      CREATE TRIGGER comments_text_insert AFTER INSERT ON comments BEGIN
        INSERT INTO ticket_text (ticket_id, source, account, subject, body)
          VALUES (new.ticket_id, new.id, (SELECT 'a' || hex(account_id) FROM tickets WHERE id = new.ticket_id), '', new.body);
      END;
    `,
  },
  {
    version: 14,
    name: 'SLA facts kept on the ticket row: status changes and first agent reply',
    // What the SLA clock reads besides the ticket (see getSlaHistory): every read of a list page
    // needs it, so it is kept on the row by triggers instead of being gathered from the activity
    // and comments tables per read. Each trigger recomputes the value from those tables (one
    // ticket's entries, through their indexes), so the copy equals what a query would answer.
    sql: `
      ALTER TABLE tickets ADD COLUMN sla_status_changes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE tickets ADD COLUMN first_response_at TEXT;
      UPDATE tickets SET sla_status_changes = (${SLA_STATUS_CHANGES_OF('tickets.id')})
        WHERE id IN (SELECT ticket_id FROM activity WHERE type = 'ticket.status_changed');
      UPDATE tickets SET first_response_at = (${FIRST_RESPONSE_OF('tickets.id')})
        WHERE id IN (SELECT ticket_id FROM comments WHERE author_kind = 'agent');
      ${triggersKeepingTicketColumn('activity_sla', 'activity', "type = 'ticket.status_changed'", 'type, ticket_id, data, created_at', (id) => `sla_status_changes = (${SLA_STATUS_CHANGES_OF(id)})`)}
      ${triggersKeepingTicketColumn('comments_sla', 'comments', "author_kind = 'agent'", 'author_kind, ticket_id, created_at', (id) => `first_response_at = (${FIRST_RESPONSE_OF(id)})`)}
    `,
  },
  {
    version: 15,
    name: "a requester's tickets in list order",
    // The Mine view (and a requester filter) walks the requester's own tickets newest first and
    // stops at the page's end, instead of walking the whole account to find them.
    sql: `
      CREATE INDEX tickets_requester_updated ON tickets(requester_id, updated_at DESC, id DESC);
      DROP INDEX tickets_requester;
    `,
  },
  {
    version: 16,
    name: 'per-requester ticket counters, kept by triggers',
    // As ticket_counts per account, one row per requester and combination of the columns a view
    // count filters on, kept in the writing transaction: the Mine count and a member's own
    // private tickets sum a few rows instead of reading every ticket the contact requested.
    sql: `
      ${countersKeptByTriggers('requester_counts', ['requester_id', 'account_id', 'visibility', 'category', 'status', 'priority'])}
    `,
  },
  {
    version: 17,
    name: 'per-follower ticket counters, kept by triggers',
    // As requester_counts, one row per follower, account, whether the follower also requested
    // the ticket, and the columns a view count filters on: the Following count and a member's
    // followed tickets of others sum a few rows instead of reading every followed ticket. Kept
    // by following and unfollowing, and by any change of a followed ticket's counted columns
    // (deleting a ticket first removes its followers, so their counters go down with it).
    sql: `
      CREATE TABLE follower_counts (
        ${FOLLOWER_COUNT_KEYS.map((k) => `${k} ${k === 'requested' ? 'INTEGER' : 'TEXT'} NOT NULL`).join(', ')},
        n INTEGER NOT NULL,
        PRIMARY KEY (${FOLLOWER_COUNT_KEYS.join(', ')})
      ) WITHOUT ROWID;
      INSERT INTO follower_counts (${FOLLOWER_COUNT_KEYS.join(', ')}, n)
        SELECT ${followerCountKey('f.contact_id', 't')}, count(*) FROM ticket_followers f JOIN tickets t ON t.id = f.ticket_id GROUP BY 1, 2, 3, 4, 5, 6, 7;
      CREATE TRIGGER follower_counts_follow AFTER INSERT ON ticket_followers BEGIN
        INSERT INTO follower_counts (${FOLLOWER_COUNT_KEYS.join(', ')}, n)
          SELECT ${followerCountKey('new.contact_id', 't')}, 1 FROM tickets t WHERE t.id = new.ticket_id
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER follower_counts_unfollow AFTER DELETE ON ticket_followers BEGIN
        UPDATE follower_counts SET n = n - 1
          WHERE (${FOLLOWER_COUNT_KEYS.join(', ')}) = (SELECT ${followerCountKey('old.contact_id', 't')} FROM tickets t WHERE t.id = old.ticket_id);
      END;
      CREATE TRIGGER follower_counts_ticket_update AFTER UPDATE OF account_id, requester_id, visibility, category, status, priority ON tickets
        WHEN old.account_id <> new.account_id OR old.requester_id <> new.requester_id OR old.visibility <> new.visibility
          OR old.category <> new.category OR old.status <> new.status OR old.priority <> new.priority
      BEGIN
        UPDATE follower_counts SET n = n - 1
          WHERE (${FOLLOWER_COUNT_KEYS.join(', ')}) IN (SELECT ${followerCountKey('f.contact_id', 'old')} FROM ticket_followers f WHERE f.ticket_id = old.id);
        INSERT INTO follower_counts (${FOLLOWER_COUNT_KEYS.join(', ')}, n)
          SELECT ${followerCountKey('f.contact_id', 'new')}, 1 FROM ticket_followers f WHERE f.ticket_id = new.id
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER follower_counts_ticket_delete BEFORE DELETE ON tickets BEGIN
        DELETE FROM ticket_followers WHERE ticket_id = old.id;
      END;
    `,
  },
  {
    version: 18,
    name: "a word index partitioned by account: each ticket's words, prefixed with its account",
    // FTS5 answers a prefix query ("error"*) by merging the rows of every term with that prefix
    // across the whole index before any AND applies, so ticket_text's account column did not
    // keep a search's work inside the caller's accounts. Here every token is the account's
    // token, 'x', then the word ('a' || hex(account_id) || 'x' || word; hex never holds 'x'),
    // so a prefix names the account first and FTS5 merges only that account's terms. One
    // document per ticket (rowid = ticket number): its distinct words (searchWords of its ref,
    // subject, description and comments, from the JS function portico_search_words, kept as
    // text in ticket_words for the walk in pageTickets). detail=none: only which tickets hold a
    // term. The ascii tokenizer splits on ASCII separators only, which the words never contain.
    sql: `
      CREATE TABLE ticket_words (number INTEGER PRIMARY KEY, words TEXT NOT NULL);
      CREATE VIRTUAL TABLE ticket_word_index USING fts5(words, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
      CREATE TRIGGER ticket_words_insert AFTER INSERT ON ticket_words BEGIN
        INSERT INTO ticket_word_index (rowid, words)
          SELECT new.number, replace(new.words, ' ', ' a' || hex(t.account_id) || 'x') FROM tickets t WHERE t.number = new.number;
      END;
      CREATE TRIGGER ticket_words_update AFTER UPDATE ON ticket_words BEGIN
        DELETE FROM ticket_word_index WHERE rowid = old.number;
        INSERT INTO ticket_word_index (rowid, words)
          SELECT new.number, replace(new.words, ' ', ' a' || hex(t.account_id) || 'x') FROM tickets t WHERE t.number = new.number;
      END;
      CREATE TRIGGER ticket_words_delete AFTER DELETE ON ticket_words BEGIN
        DELETE FROM ticket_word_index WHERE rowid = old.number;
      END;
      INSERT INTO ticket_words (number, words) SELECT number, ${TICKET_WORDS_OF('t')} FROM tickets t;
      CREATE TRIGGER tickets_words_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_words (number, words) VALUES (new.number, portico_search_words(new.ref || ' ' || new.subject || ' ' || new.description));
      END;
      CREATE TRIGGER tickets_words_update AFTER UPDATE OF ref, subject, description, account_id ON tickets BEGIN
        UPDATE ticket_words SET words = (SELECT ${TICKET_WORDS_OF('t')} FROM tickets t WHERE t.id = new.id) WHERE number = new.number;
      END;
      CREATE TRIGGER tickets_words_delete AFTER DELETE ON tickets BEGIN
        DELETE FROM ticket_words WHERE number = old.number;
      END;
      CREATE TRIGGER comments_words_insert AFTER INSERT ON comments BEGIN
        UPDATE ticket_words SET words = portico_search_words(words || ' ' || new.body)
          WHERE number = (SELECT number FROM tickets WHERE id = new.ticket_id);
      END;
    `,
  },
  {
    version: 19,
    name: 'job leases shared by the processes of one file',
    // `runExclusive` (the SLA sweep): a process holds a job by its row until `until_ms`, renewing
    // it while the job runs, so one process at a time runs it and the lease of a process that
    // died runs out instead of blocking the job for good.
    sql: `
      CREATE TABLE job_leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        until_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 20,
    name: 'the word index in list order: each ticket at a rowid that follows its updated_at',
    // A search page sorted by updated_at reads the word index's matches newest first and stops
    // after a page, instead of gathering and sorting every match in the caller's accounts. The
    // rowid is the ticket's updated_at in whole seconds, then its number in the low 31 bits
    // (WORD_INDEX_KEY): distinct per ticket, ordered as the list up to ties inside one second,
    // which pageTickets sorts exactly. A ticket moves when its updated_at does. Rows are
    // inserted in rowid order so FTS5 appends instead of flushing a segment per ticket.
    // ticket_word_terms lists every term the index has held (never pruned), so a search turns
    // a prefix into its few exact terms: FTS5 reads exact terms lazily, newest first, where a
    // prefix query first merges every matching term's whole list. tickets_number_scope answers
    // the scope and the counted columns of a match found by its number without reading the
    // ticket's row (counts with words test thousands of them).
    sql: `
      DROP TRIGGER ticket_words_insert;
      DROP TRIGGER ticket_words_update;
      DROP TRIGGER ticket_words_delete;
      DROP TRIGGER tickets_words_delete;
      DROP TABLE ticket_word_index;
      CREATE VIRTUAL TABLE ticket_word_index USING fts5(words, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
      INSERT INTO ticket_word_index (rowid, words)
        SELECT k.key, replace(w.words, ' ', ' a' || hex(k.account_id) || 'x')
        FROM (SELECT ${WORD_INDEX_KEY('t')} AS key, t.number, t.account_id FROM tickets t ORDER BY 1) k CROSS JOIN ticket_words w ON w.number = k.number
        ORDER BY k.key;
      CREATE INDEX tickets_number_scope ON tickets(number, account_id, visibility, requester_id, status, category, id);
      CREATE TABLE ticket_word_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE VIRTUAL TABLE temp.ticket_word_vocabulary USING fts5vocab(main, ticket_word_index, row);
      INSERT INTO ticket_word_terms (term) SELECT term FROM temp.ticket_word_vocabulary;
      DROP TABLE temp.ticket_word_vocabulary;
      CREATE TRIGGER ticket_words_insert AFTER INSERT ON ticket_words BEGIN
        INSERT INTO ticket_word_index (rowid, words)
          SELECT ${WORD_INDEX_KEY('t')}, replace(new.words, ' ', ' a' || hex(t.account_id) || 'x') FROM tickets t WHERE t.number = new.number;
        ${TERMS_OF_NEW_WORDS}
      END;
      CREATE TRIGGER ticket_words_update AFTER UPDATE ON ticket_words BEGIN
        DELETE FROM ticket_word_index WHERE rowid = (SELECT ${WORD_INDEX_KEY('t')} FROM tickets t WHERE t.number = old.number);
        INSERT INTO ticket_word_index (rowid, words)
          SELECT ${WORD_INDEX_KEY('t')}, replace(new.words, ' ', ' a' || hex(t.account_id) || 'x') FROM tickets t WHERE t.number = new.number;
        ${TERMS_OF_NEW_WORDS}
      END;
      CREATE TRIGGER tickets_words_delete AFTER DELETE ON tickets BEGIN
        DELETE FROM ticket_word_index WHERE rowid = ${WORD_INDEX_KEY('old')};
        DELETE FROM ticket_words WHERE number = old.number;
      END;
      -- Whichever of this and ticket_words_update runs first, the row ends at the new key with
      -- the current words: hence both keys are cleared here.
      CREATE TRIGGER tickets_words_moved AFTER UPDATE OF updated_at ON tickets WHEN ${WORD_INDEX_KEY('old')} <> ${WORD_INDEX_KEY('new')} BEGIN
        DELETE FROM ticket_word_index WHERE rowid = ${WORD_INDEX_KEY('old')};
        DELETE FROM ticket_word_index WHERE rowid = ${WORD_INDEX_KEY('new')};
        INSERT INTO ticket_word_index (rowid, words)
          SELECT ${WORD_INDEX_KEY('new')}, replace(w.words, ' ', ' a' || hex(new.account_id) || 'x') FROM ticket_words w WHERE w.number = new.number;
      END;
    `,
  },
  {
    version: 21,
    name: 'the unsolved tickets of each account in list order',
    // The Unsolved view walks only its own tickets instead of every ticket of the account in
    // list order (a third of them unsolved: three rows read per row shown). A partial index is
    // used only by a query that names its condition as written here: filterToSql writes the
    // unsolved statuses as this literal list (see docs/performance.md, "Cost per list request,
    // round 3").
    sql: `
      CREATE INDEX tickets_account_unsolved ON tickets(account_id, updated_at DESC, id DESC) WHERE status IN ('new', 'open', 'pending');
    `,
  },
];

type Row = Record<string, SQLInputValue>;

/** The ticket columns `toTicket` reads, with the SLA facts kept on the row. */
const TICKET_COLUMNS = [
  ...['id', 'ref', 'account_id', 'subject', 'description', 'status', 'priority', 'category', 'visibility', 'requester_id', 'assignee'],
  ...['escalated', 'comment_count', 'created_at', 'updated_at', 'version', 'sla_due_at', 'business_impact', 'merged_into_id', 'merged_into_ref'],
  ...['satisfaction_rating', 'satisfaction_comment', 'satisfaction_at', 'sla_status_changes', 'first_response_at'],
];

// Named columns rather than t.*: a list page turns every selected column of 50 rows into JS values.
const TICKET_SELECT = `
  SELECT ${TICKET_COLUMNS.map((c) => `t.${c}`).join(', ')}, c.name AS requester_name, c.email AS requester_email,
    (SELECT json_group_array(f.contact_id) FROM ticket_followers f WHERE f.ticket_id = t.id) AS follower_ids
  FROM tickets t JOIN contacts c ON c.id = t.requester_id`;

/**
 * A row of TICKET_SELECT read by position: node:sqlite hands it as an array of values
 * (`setReturnArrays`), and each column is a getter on this one prototype. A row as node:sqlite
 * builds it is an object in dictionary mode (a hash table of its 28 columns, about 1.4 KB):
 * on a list page of 50 rows that was the largest allocation of the request and every column
 * read a hash lookup (see docs/performance.md, "Cost per list request, round 3").
 */
class TicketRow {
  readonly values: readonly SQLOutputValue[];
  constructor(values: readonly SQLOutputValue[]) {
    this.values = values;
  }
}
for (const [i, column] of [...TICKET_COLUMNS, 'requester_name', 'requester_email', 'follower_ids'].entries()) {
  Object.defineProperty(TicketRow.prototype, column, {
    get(this: TicketRow) {
      return this.values[i];
    },
  });
}

/** SQL and parameters of a WHERE fragment. */
interface Sql {
  sql: string;
  params: SQLInputValue[];
}

const placeholders = (n: number) => (n === 0 ? '' : `?${', ?'.repeat(n - 1)}`);

/** `column IN (...)`, or a false condition for an empty list. */
function inList(column: string, values: readonly string[]): Sql {
  return values.length === 0 ? { sql: '0', params: [] } : { sql: `${column} IN (${placeholders(values.length)})`, params: [...values] };
}

/** Whether a count of `f` can read only the tickets of the requesters or the follower it names. */
const boundedByContacts = (f: TicketFilter) =>
  f.text === undefined && f.assignees === undefined && f.updatedSince === undefined && (f.requesterIds !== undefined || f.followerId !== undefined);

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
        parts.push('(t.account_id = ? AND (t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.contact_id = ?)))');
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

/** Whether two lists hold the same values (each list without repeats). */
const sameMembers = (a: readonly string[], b: readonly string[]) => a.length === b.length && b.every((v) => a.includes(v));

function filterToSql(f: TicketFilter): Sql {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (s: Sql) => {
    parts.push(s.sql);
    params.push(...s.params);
  };
  if (f.accountIds) add(inList('t.account_id', f.accountIds));
  // The unsolved statuses, whatever their order, as the literal condition of the partial index
  // tickets_account_unsolved (migration 21); SQLite cannot match bound parameters to it.
  if (f.statuses) add(sameMembers(f.statuses, UNSOLVED_STATUSES) ? { sql: `t.status IN ${UNSOLVED_SQL}`, params: [] } : inList('t.status', f.statuses));
  if (f.priorities) add(inList('t.priority', f.priorities));
  if (f.categories) add(inList('t.category', f.categories));
  if (f.requesterIds) add(inList('t.requester_id', f.requesterIds));
  if (f.followerId !== undefined) {
    add({ sql: 'EXISTS (SELECT 1 FROM ticket_followers f2 WHERE f2.ticket_id = t.id AND f2.contact_id = ?)', params: [f.followerId] });
  }
  if (f.assignees) {
    const names = f.assignees.filter((a): a is string => a !== null);
    const named = inList('t.assignee', names);
    add(f.assignees.includes(null) ? { sql: `(t.assignee IS NULL OR ${named.sql})`, params: named.params } : named);
  }
  if (f.updatedSince !== undefined) add({ sql: 't.updated_at >= ?', params: [f.updatedSince] });
  const text = textFilterSql(f);
  if (text) add(text);
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/**
 * The full-text condition of a filter (undefined when its text has no words): every word must
 * begin a word of the ticket's ref, subject, description or one of its comments.
 */
function textFilterSql(f: TicketFilter): Sql | undefined {
  const words = f.text ? [...new Set(searchWords(f.text))] : [];
  if (words.length === 0) return undefined;
  if (f.accountIds) {
    // The account-partitioned index (migration 18): one MATCH of every word inside the
    // filter's accounts, so FTS5 reads only their terms. Exact, no cap.
    if (f.accountIds.length === 0) return { sql: '0', params: [] };
    return {
      sql: `t.number IN (SELECT ${WORD_INDEX_NUMBER('rowid')} FROM ticket_word_index WHERE ticket_word_index MATCH ?)`,
      params: [wordIndexMatch(f.accountIds, words)],
    };
  }
  // Every account (agent API without an account filter): ticket_text, one IN per word since
  // words may sit in different rows (a ticket's own row, its comments' rows), at most
  // SEARCH_MATCH_CAP rows per word, newest first.
  const ins = words.map((word) => ({
    sql: `t.id IN (SELECT ticket_id FROM ticket_text WHERE ticket_text MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_MATCH_CAP})`,
    params: [scopedMatch(undefined, `"${word}"*`)] as SQLInputValue[],
  }));
  return { sql: ins.map((i) => i.sql).join(' AND '), params: ins.flatMap((i) => i.params) };
}

/** The ticket_word_index query of `words`, each a prefix, in tickets of `accountIds`. */
function wordIndexMatch(accountIds: readonly string[], words: readonly string[]): string {
  const prefixes = accountIds.map((id) => `${accountToken(id)}x`);
  return words.map((w) => `(${prefixes.map((p) => `"${p}${w.replace(/"/g, '""')}"*`).join(' OR ')})`).join(' AND ');
}

/**
 * Most rows of the full-text index one search word reads (newest first) when a search names no
 * accounts (the agent API across every account). A word found in more rows matches only the
 * newest of them: see docs/performance.md.
 */
export const SEARCH_MATCH_CAP = 5_000;

/**
 * Most exact terms one search word becomes in the word index query (see wordIndexTerms); a word
 * beginning more terms in the caller's accounts stays a prefix query.
 */
const WORD_TERMS_CAP = 50;

/** Most tickets a page of a text search walks in list order before it starts from the word index instead (see pageTickets). */
const SEARCH_WALK = 500;
/**
 * A capped count with words of a filter naming requesters or a follower tests those contacts'
 * own tickets when they hold at most this many times the cap; more (a contact who requested a
 * large share of the account) and their matches come sooner from the word index's walk.
 */
const CONTACT_COUNT_WALK = 2;

/** An FTS5 query of `words` in subject and body, restricted to rows of `accountIds` (every account when undefined). */
function scopedMatch(accountIds: readonly string[] | undefined, words: string): string {
  const text = `{subject body} : (${words})`;
  if (accountIds === undefined) return text;
  // No account: a token no row carries (hex digits are never lower-case 'x').
  const accounts = accountIds.length ? accountIds.map((id) => `"${accountToken(id)}"`).join(' OR ') : '"ax"';
  return `account : (${accounts}) AND ${text}`;
}

/** The filters of an article search as SQL over `articles a` (see `articleMatches`). */
function articleFilterToSql(s: ArticleSearch): Sql {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (s.status !== undefined) {
    parts.push('a.status = ?');
    params.push(s.status);
  }
  if (s.tier !== undefined) {
    parts.push('(a.audience_tiers IS NULL OR EXISTS (SELECT 1 FROM json_each(a.audience_tiers) j WHERE j.value = ?))');
    params.push(s.tier);
  }
  if (s.language !== undefined) {
    // Languages are letters only (a BCP 47 primary subtag), so LIKE needs no escaping.
    parts.push("(lower(a.locale) = ? OR lower(a.locale) LIKE ? || '-%')");
    params.push(s.language, s.language);
  }
  if (s.locale !== undefined) {
    parts.push('lower(a.locale) = lower(?)');
    params.push(s.locale);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  busyTimeout?: number;
  /**
   * Apply pending migrations on open (default true). With false, a database that needs
   * migrations is refused (`MigrationError`): run `portico-server migrate` first.
   */
  migrate?: boolean;
  /** The migrations to apply (default `SQLITE_MIGRATIONS`; tests build older schemas with a prefix). */
  migrations?: readonly Migration[];
  /**
   * Other processes serve the same file (`portico-server --workers N`): `onAppend` and
   * `onOutbox` then also report their commits, found by a check of `PRAGMA data_version`
   * every `watchMs` (a counter SQLite bumps when another connection commits; reading it
   * touches no table). Default false: only writes through this object are reported.
   */
  shared?: boolean;
  /** How often a shared store looks for other processes' commits, ms (default 100). */
  watchMs?: number;
}

/** How long a job lease (`runExclusive`) lasts without renewal, ms: a dead holder's job waits at most this long. */
export const JOB_LEASE_MS = 15_000;

/** `Store` on one SQLite file (or `':memory:'`). */
export class SqliteStore implements Store {
  /** The underlying connection, for diagnostics and later migrations. */
  readonly db: DatabaseSync;
  /** Versions of the migrations this open applied (empty when the schema was current). */
  readonly migrated: number[] = [];
  /** Prepared statements by SQL text: preparing is a large part of a small query's cost. */
  readonly #statements = new Map<string, StatementSync>();
  readonly #outboxListeners = new Set<() => void>();
  /** Whether the running transaction wrote outbox events (listeners are told after its commit). */
  #outboxWritten = false;
  readonly #appendListeners = new AppendListeners();
  /** Whether the running transaction appended activity (listeners hear of it after COMMIT). */
  #appended = false;
  /** How many migrations this build knows (the schema version it expects). */
  readonly #migrationCount: number;
  /** The timer looking for other processes' commits (shared stores only). */
  #watcher: ReturnType<typeof setInterval> | undefined;
  /** Names this store's job leases apart from other processes' (and from its own other calls). */
  readonly #leaseOwner = `${process.pid}:${randomUUID()}`;
  #leases = 0;

  constructor(path = ':memory:', options: SqliteStoreOptions = {}) {
    if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: options.busyTimeout ?? 5000 });
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    registerSqliteFunctions(this.db);
    const migrations = options.migrations ?? SQLITE_MIGRATIONS;
    this.#migrationCount = migrations.length;
    if (options.migrate === false) {
      const pending = this.pendingMigrations(migrations);
      if (pending.length) {
        this.db.close();
        throw new MigrationError(`The database needs ${pending.length} migration(s); run \`portico-server migrate\` or start without --no-migrate.`);
      }
    } else {
      this.migrated = this.migrate(migrations);
    }
    if (options.shared) this.#watchOtherProcesses(options.watchMs ?? 100);
  }

  /**
   * Wakes the append and outbox listeners when another process has committed activity or
   * outbox events: a `PRAGMA data_version` per tick, and two reads of a table's largest key
   * only when it moved. This connection's own commits leave the counter alone (their
   * listeners heard of them at COMMIT).
   */
  #watchOtherProcesses(watchMs: number): void {
    const version = () => Number((this.get('PRAGMA data_version') as Row).data_version);
    const heads = () => [
      Number(this.get('SELECT coalesce(max(rowid), 0) AS n FROM activity')!.n),
      Number(this.get('SELECT coalesce(max(sequence), 0) AS n FROM service_outbox')!.n),
    ];
    let seen = version();
    let [activity, outbox] = heads();
    const tick = () => {
      const now = version();
      if (now === seen) return;
      const [a, o] = heads();
      seen = now;
      if (a! > activity!) this.#appendListeners.notify();
      if (o! > outbox!) for (const listener of this.#outboxListeners) queueMicrotask(listener);
      [activity, outbox] = [a, o];
    };
    this.#watcher = setInterval(() => {
      if (!this.db.isOpen) return;
      // A failed look is tried again at the next tick (`seen` moves only once the heads are read).
      try {
        tick();
      } catch (error) {
        console.error('[portico] looking for other processes’ writes failed', error);
      }
    }, watchMs);
    this.#watcher.unref();
  }

  /** Migrations newer than the database's schema (see migrations.ts). */
  private pendingMigrations(migrations: readonly Migration[]): Migration[] {
    this.db.exec('CREATE TABLE IF NOT EXISTS portico_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = (this.db.prepare('SELECT version FROM portico_migrations').all() as Row[]).map((r) => Number(r.version));
    return pendingMigrations(migrations, applied);
  }

  /**
   * Applies pending migrations, each in its own transaction with its record (a failing one
   * rolls back and leaves the schema as it was); returns the versions applied.
   */
  migrate(migrations: readonly Migration[] = SQLITE_MIGRATIONS): number[] {
    const applied: number[] = [];
    for (const m of this.pendingMigrations(migrations)) {
      try {
        this.tx(() => {
          this.db.exec(m.sql);
          this.db.prepare('INSERT INTO portico_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        });
      } catch (error) {
        throw new MigrationError(`Migration ${m.version} (${m.name}) failed and was rolled back: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.version);
    }
    return applied;
  }

  /** Runs `fn` in a write transaction. */
  private tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    this.#outboxWritten = false;
    this.#appended = false;
    try {
      const result = fn();
      this.db.exec('COMMIT');
      if (this.#outboxWritten) for (const listener of this.#outboxListeners) queueMicrotask(listener);
      if (this.#appended) this.#appendListeners.notify();
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#outboxWritten = false;
      this.#appended = false;
    }
  }

  /** The prepared statement of `sql`, its rows as objects or, with `arrays`, as arrays of values. */
  private statement(sql: string, arrays = false): StatementSync {
    const key = arrays ? `arrays:${sql}` : sql;
    let statement = this.#statements.get(key);
    if (!statement) {
      // Ticket searches vary with their filters; keep the cache bounded.
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(key, (statement = this.db.prepare(sql)));
      if (arrays) statement.setReturnArrays(true);
    }
    return statement;
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  /** The rows of a statement that selects TICKET_SELECT's columns, read by position (see `TicketRow`). */
  private ticketRows(sql: string, ...params: SQLInputValue[]): Row[] {
    return (this.statement(sql, true).all(...params) as unknown as SQLOutputValue[][]).map((values) => new TicketRow(values) as unknown as Row);
  }

  /** The first row of a statement that selects TICKET_SELECT's columns (see `ticketRows`). */
  private ticketRow(sql: string, ...params: SQLInputValue[]): Row | undefined {
    const values = this.statement(sql, true).get(...params) as SQLOutputValue[] | undefined;
    return values && (new TicketRow(values) as unknown as Row);
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
    if (patch.name !== undefined) {
      sets.push('name = ?');
      params.push(patch.name);
    }
    if (patch.role !== undefined) {
      sets.push('role = ?');
      params.push(patch.role);
    }
    if (patch.status !== undefined) {
      sets.push('status = ?');
      params.push(patch.status);
    }
    if (patch.lastSeenAt !== undefined) {
      sets.push('last_seen_at = ?');
      params.push(patch.lastSeenAt);
    }
    // The version (ETag) moves only when what an admin manages changes, not on "last seen".
    const managed = [
      patch.name !== undefined ? ['name', patch.name] : undefined,
      patch.role !== undefined ? ['role', patch.role] : undefined,
      patch.status !== undefined ? ['status', patch.status] : undefined,
    ].filter((x): x is [string, string] => x !== undefined);
    if (managed.length) {
      sets.push(`version = version + (CASE WHEN ${managed.map(([col]) => `${col} IS NOT ?`).join(' OR ')} THEN 1 ELSE 0 END)`);
      params.push(...managed.map(([, value]) => value));
    }
    if (sets.length) this.run(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ?`, ...params, id);
    return this.getContact(id);
  }

  async listContacts(search: ContactSearch): Promise<ContactSlice> {
    const where = ['c.account_id = ?'];
    const params: SQLInputValue[] = [search.accountId];
    if (search.statuses) {
      const s = inList('c.status', search.statuses);
      where.push(s.sql);
      params.push(...s.params);
    }
    if (search.roles) {
      const r = inList('c.role', search.roles);
      where.push(r.sql);
      params.push(...r.params);
    }
    if (search.text) {
      const needle = search.text.toLowerCase();
      where.push('(instr(portico_lower(c.name), ?) > 0 OR instr(portico_lower(c.email), ?) > 0)');
      params.push(needle, needle);
    }
    // One account's contacts are few (hundreds): sorting them with the shared comparator keeps
    // every store's order identical, collation quirks included.
    const all = this.all(`${CONTACT_WITH_COUNT} WHERE ${where.join(' AND ')}`, ...params)
      .map(toContact)
      .sort(contactOrder(search.sort, search.dir));
    return { items: all.slice(search.offset, search.offset + search.limit), more: all.length > search.offset + search.limit };
  }

  async countActiveAdmins(accountId: string): Promise<number> {
    return this.countActiveAdminsSync(accountId);
  }

  async inviteContact(draft: InvitationDraft, options: WriteOptions = {}): Promise<ContactWriteResult> {
    return this.tx(() => {
      const existing = this.get('SELECT * FROM contacts WHERE account_id = ? AND email = ?', draft.accountId, draft.email);
      const account = this.get('SELECT * FROM accounts WHERE id = ?', draft.accountId);
      const result = planInvitation(draft, account && toAccount(account), existing && toContact(existing));
      if (!result.ok) return result;
      this.insertContact(result.plan.contact);
      this.record(result.plan.activity, result.plan.outbox);
      const created = this.contactWithCount(result.plan.contact.id)!;
      this.complete(options, () => created);
      return { ok: true as const, contact: created, transferred: [] };
    });
  }

  async resendInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    return this.tx(() => {
      const [contact, account] = this.contactAndAccount(change.contactId);
      const result = planInvitationChange('resend', change, contact, account);
      if (!result.ok) return result;
      this.record(result.plan.activity, result.plan.outbox);
      return { ok: true as const, contact: this.contactWithCount(change.contactId)!, transferred: [] };
    });
  }

  async revokeInvitation(change: ContactChangeBase): Promise<ContactWriteResult> {
    return this.tx(() => {
      const [contact, account] = this.contactAndAccount(change.contactId);
      const result = planInvitationChange('revoke', change, contact, account);
      if (!result.ok) return result;
      const id = change.contactId;
      let contactAfter = result.plan.contact;
      // Removed unless something already refers to the invitee (e.g. an admin filed a ticket
      // on their behalf): then it stays, deactivated, so that history keeps its person.
      this.db.exec('SAVEPOINT revoke_invitation');
      try {
        this.run('DELETE FROM ticket_followers WHERE contact_id = ?', id);
        this.run('UPDATE activity SET contact_id = NULL WHERE contact_id = ?', id);
        this.run('DELETE FROM contacts WHERE id = ?', id);
        this.db.exec('RELEASE revoke_invitation');
      } catch {
        this.db.exec('ROLLBACK TO revoke_invitation');
        this.db.exec('RELEASE revoke_invitation');
        this.run(`UPDATE contacts SET status = 'deactivated', version = version + 1 WHERE id = ?`, id);
        contactAfter = this.contactWithCount(id)!;
      }
      this.record(result.plan.activity, result.plan.outbox);
      return { ok: true as const, contact: contactAfter, transferred: [] };
    });
  }

  async changeContact(change: ContactChange): Promise<ContactWriteResult> {
    return this.tx(() => {
      const [contact, account] = this.contactAndAccount(change.contactId);
      const targetRow = change.transferTo !== undefined ? this.get('SELECT * FROM contacts WHERE id = ?', change.transferTo) : undefined;
      const openTickets =
        change.transferTo !== undefined && contact
          ? this.all(
              `SELECT id, ref, subject, status FROM tickets WHERE requester_id = ? AND status IN ${UNSOLVED_SQL} ORDER BY created_at, id`,
              contact.id,
            ).map(toOpenTicket)
          : [];
      const result = planContactChange(change, {
        contact,
        account,
        target: targetRow && toContact(targetRow),
        activeAdmins: contact ? this.countActiveAdminsSync(contact.accountId) : 0,
        openTickets,
      });
      if (!result.ok) return result;
      const { plan } = result;
      this.run(
        'UPDATE contacts SET role = ?, status = ?, version = ? WHERE id = ?',
        plan.contact.role,
        plan.contact.status,
        plan.contact.version ?? 1,
        plan.contact.id,
      );
      for (const ticketId of plan.transferTicketIds) {
        this.run('UPDATE tickets SET requester_id = ?, updated_at = ?, version = version + 1 WHERE id = ?', plan.transferTo!.id, change.now, ticketId);
      }
      this.record(plan.activity, plan.outbox);
      return {
        ok: true as const,
        contact: this.contactWithCount(plan.contact.id)!,
        transferred: plan.transferTicketIds.map((id) => this.getTicketSync(id)),
      };
    });
  }

  async listOutbox(read: OutboxRead): Promise<OutboxEvent[]> {
    const params: SQLInputValue[] = [read.after];
    let where = 'sequence > ?';
    if (read.types) {
      const t = inList('type', read.types);
      where += ` AND ${t.sql}`;
      params.push(...t.params);
    }
    return this.all(`SELECT * FROM service_outbox WHERE ${where} ORDER BY sequence LIMIT ?`, ...params, read.limit).map(toOutboxEvent);
  }

  private countActiveAdminsSync(accountId: string): number {
    return Number((this.get(`SELECT count(*) AS n FROM contacts WHERE account_id = ? AND role = 'admin' AND status = 'active'`, accountId) as Row).n);
  }

  private contactAndAccount(contactId: string): [Contact | undefined, Account | undefined] {
    const row = this.get('SELECT * FROM contacts WHERE id = ?', contactId);
    if (!row) return [undefined, undefined];
    const account = this.get('SELECT * FROM accounts WHERE id = ?', str(row.account_id));
    return [toContact(row), account && toAccount(account)];
  }

  private contactWithCount(id: string): Contact | undefined {
    const r = this.get(`${CONTACT_WITH_COUNT} WHERE c.id = ?`, id);
    return r && toContact(r);
  }

  /** Writes a change's activity entries and outbox events (inside the caller's transaction). */
  private record(activity: readonly Activity[], outbox: readonly OutboxDraft[]): void {
    for (const a of activity) this.appendActivity(a);
    for (const e of outbox) this.insertOutbox(e);
  }

  /** Writes an activity entry and its outbox event (see outbox.ts), inside the caller's transaction. */
  private appendActivity(a: Activity): void {
    this.insertActivity(a);
    if (!ACTIVITY_OUTBOX[a.type]) return;
    const ticketRow = a.ticketId ? this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, a.ticketId) : undefined;
    const event = outboxEventOf(a, ticketRow && toTicket(ticketRow));
    if (event) this.insertOutbox(event);
  }

  /** The attachments of `ids`, in order (`undefined` for one that does not exist), for `plans.checkAttachments`. */
  private attachmentsOf(ids: readonly string[]): (AttachmentRecord | undefined)[] {
    return ids.map((id) => {
      const row = this.get('SELECT * FROM attachments WHERE id = ?', id);
      return row && toAttachmentRecord(row);
    });
  }

  private insertOutbox(e: OutboxDraft): void {
    this.run(
      'INSERT INTO service_outbox (id, type, account_id, ticket_id, data, occurred_at) VALUES (?, ?, ?, ?, ?, ?)',
      e.id,
      e.type,
      e.accountId,
      e.ticketId,
      JSON.stringify(e.data),
      e.occurredAt,
    );
    this.#outboxWritten = true;
  }

  async searchTickets(search: TicketSearch): Promise<Page<Ticket>> {
    return this.pageTickets(scopeToSql(search.scope), search);
  }

  /** One keyset page of the tickets inside `scope` (a WHERE fragment) that pass the search's filters. */
  private pageTickets(scope: Sql, search: ServiceTicketSearch): Page<Ticket> {
    const { sort, after, limit } = search;
    const { text, ...fields } = search.filter;
    const columns = SORT_COLUMNS[sort];
    const filter = filterToSql(fields);
    let where = `${scope.sql} AND ${filter.sql}`;
    const params = [...scope.params, ...filter.params];
    if (after) {
      where += ` AND (${columns.join(', ')}) < (${placeholders(columns.length)})`;
      params.push(...after);
    }
    // Pick the page's rows first (walking an index in order, sorting only the keys), then join
    // the details of those few: the follower list and requester are never computed for rows that
    // are not shown. By rowid, which the index entries carry, so no second lookup through the id.
    const order = columns.map((c) => `${c} DESC`).join(', ');
    const page = (rowids: Sql) => {
      const rows = this.ticketRows(`${TICKET_SELECT} WHERE t.rowid IN (${rowids.sql}) ORDER BY ${order}`, ...rowids.params);
      const items = rows.slice(0, limit).map(toTicket);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(sort, ticketKeyset(sort, last)) : null, complete: rows.length > limit };
    };
    // The tickets a contact follows are few next to their account's: start from those (CROSS
    // JOIN keeps that order) and sort them, rather than walk the account until a page is found.
    const followed = search.filter.followerId;
    const from = followed === undefined ? 'tickets t' : 'ticket_followers own CROSS JOIN tickets t ON t.id = own.ticket_id';
    const driver = followed === undefined ? { where, params } : { where: `own.contact_id = ? AND ${where}`, params: [followed, ...params] };
    const words = text && fields.accountIds?.length ? [...new Set(searchWords(text))] : [];
    if (words.length === 0) {
      const textSql = textFilterSql(search.filter) ?? { sql: '1', params: [] };
      const { items, nextCursor } = page({
        sql: `SELECT t.rowid FROM ${from} WHERE ${driver.where} AND ${textSql.sql} ORDER BY ${order} LIMIT ?`,
        params: [...driver.params, ...textSql.params, limit + 1],
      });
      return { items, nextCursor };
    }
    // Words in the caller's accounts, exact. A common word is in many of the first tickets in
    // list order: walk at most SEARCH_WALK of them in that order, testing each one's words
    // (ticket_words), and stop at a full page. When that finds no full page, the words are rare
    // there: start from the word index's matches inside the accounts (see docs/performance.md,
    // "Search pages in list order").
    const walked = page({
      sql: `SELECT w.rid FROM (SELECT t.rowid AS rid, t.number AS num FROM ${from} WHERE ${driver.where} ORDER BY ${order} LIMIT ${SEARCH_WALK}) w
        CROSS JOIN ticket_words x ON x.number = w.num WHERE ${words.map(() => 'instr(x.words, ?) > 0').join(' AND ')} LIMIT ?`,
      params: [...driver.params, ...words.map((w) => ` ${w}`), limit + 1],
    });
    if (walked.complete) return { items: walked.items, nextCursor: walked.nextCursor };
    const match = this.wordIndexTerms(fields.accountIds!, words) ?? wordIndexMatch(fields.accountIds!, words);
    if (sort === 'updated' && followed === undefined) {
      // The index's rowids follow updated_at (WORD_INDEX_KEY): read the matches newest first,
      // from the cursor's second on, and stop after a page and the ties of its last second.
      const rowids = this.newestMatches(match, where, params, after?.[0] as string | undefined, limit + 1);
      const { items, nextCursor } = page({
        sql: `SELECT t.rowid FROM tickets t WHERE t.rowid IN (SELECT value FROM json_each(?)) ORDER BY ${order} LIMIT ?`,
        params: [JSON.stringify(rowids), limit + 1],
      });
      return { items, nextCursor };
    }
    // Other sorts: every match, its tickets read in number order (the index yields them in
    // updated_at order, which would scatter the reads), then sorted.
    const { items, nextCursor } = page({
      sql: `WITH m(n) AS MATERIALIZED (SELECT ${WORD_INDEX_NUMBER('rowid')} FROM ticket_word_index WHERE ticket_word_index MATCH ? ORDER BY 1)
        SELECT t.rowid FROM m CROSS JOIN tickets t ON t.number = m.n WHERE ${where} ORDER BY ${order} LIMIT ?`,
      params: [match, ...params, limit + 1],
    });
    return { items, nextCursor };
  }

  /**
   * The word index query of `words` (each a prefix) in tickets of `accountIds` with every word
   * spelled out as the exact terms it begins in those accounts (ticket_word_terms), or
   * undefined when one word begins more than WORD_TERMS_CAP of them (a one-letter word, say).
   */
  private wordIndexTerms(accountIds: readonly string[], words: readonly string[]): string | undefined {
    const lookup = this.statement(`SELECT term FROM ticket_word_terms WHERE term >= ? AND term < ? LIMIT ${WORD_TERMS_CAP + 1}`);
    const alternatives: string[] = [];
    for (const word of words) {
      const terms: string[] = [];
      for (const id of accountIds) {
        const prefix = `${accountToken(id)}x${word}`.toLowerCase();
        // U+10FFFF ends every word that begins with the prefix: no word holds it (see searchWords).
        for (const row of lookup.all(prefix, `${prefix}\u{10FFFF}`)) terms.push(`"${String(row.term).replace(/"/g, '""')}"`);
        if (terms.length > WORD_TERMS_CAP) return undefined;
      }
      // No term: a token no row carries (hex digits are never 'x').
      alternatives.push(terms.length ? `(${terms.join(' OR ')})` : '"ax"');
    }
    return alternatives.join(' AND ');
  }

  /**
   * The rowids of at least `count` tickets matching `match` (a word index query) and `where`
   * (fewer when no more match), such that the first `count` of them in (updated_at, id) order
   * are the first `count` of all matches: the matches in index order (updated_at to the
   * second, newest first) up to the `count`-th, and every later one in that same second, since
   * ties inside a second sit in number order. `before` (a cursor's updated_at) skips the index
   * to that second.
   */
  private newestMatches(match: string, where: string, params: SQLInputValue[], before: string | undefined, count: number): number[] {
    const bound = before === undefined ? '' : 'AND m.rowid < ((coalesce(unixepoch(?), 0) + 1) << 31)';
    // The index is the outer loop (CROSS JOIN), read in rowid order: no sort.
    const rows = this.statement(
      `SELECT t.rowid AS rid, m.rowid >> 31 AS second FROM ticket_word_index m CROSS JOIN tickets t ON t.number = ${WORD_INDEX_NUMBER('m.rowid')}
        WHERE m.ticket_word_index MATCH ? ${bound} AND ${where} ORDER BY m.rowid DESC`,
    ).iterate(...(before === undefined ? [match] : [match, before]), ...params);
    const rowids: number[] = [];
    let last: unknown;
    for (const row of rows as Iterable<Row>) {
      if (rowids.length >= count && row.second !== last) break;
      rowids.push(Number(row.rid));
      if (rowids.length === count) last = row.second;
    }
    return rowids;
  }

  async countTickets(scope: TicketScope, filter: TicketFilter): Promise<number> {
    return (await this.countTicketsEach(scope, [filter]))[0]!;
  }

  async countTicketsEach(scope: TicketScope, filters: readonly TicketFilter[], cap?: number): Promise<number[]> {
    const capped = await countEachCapped(
      filters,
      cap,
      (exact) => this.countTicketsEach(scope, exact),
      (fs, most) => this.countUpTo(scope, fs, most),
    );
    if (capped) return capped;
    if (filters.length === 0) return [];
    const plans = filters.map((f) => planCount(scope, f));
    // Counters where a plan exists; the rest bounded by the contacts they name (never a scan).
    if (filters.every((f, i) => plans[i] !== undefined || boundedByContacts(f))) {
      const sums = this.sumCounters(
        plans.map((terms) => terms ?? []),
        filters,
      );
      return filters.map((f, i) => (plans[i] !== undefined ? sums[i]! : this.countBoundedOrScan(scope, f)));
    }
    if (filters.length === 1) return [this.countBoundedOrScan(scope, filters[0]!)];
    // What every filter shares (typically the accounts and the full-text match) is tested once
    // in the WHERE; only the differences become per-count FILTER clauses.
    const keys = ['accountIds', 'statuses', 'priorities', 'categories', 'requesterIds', 'followerId', 'text'] as const;
    const common: Record<string, unknown> = {};
    const rest = filters.map((f) => ({ ...f }) as Record<string, unknown>);
    for (const key of keys) {
      const first = JSON.stringify(filters[0]![key]);
      if (filters.every((f) => JSON.stringify(f[key]) === first)) {
        common[key] = filters[0]![key];
        for (const r of rest) delete r[key];
      }
    }
    const s = scopeToSql(scope);
    const c = filterToSql(common as TicketFilter);
    const each = rest.map((r) => filterToSql(r as TicketFilter));
    const row = this.get(
      `SELECT ${each.map((e, i) => `count(*) FILTER (WHERE ${e.sql}) AS n${i}`).join(', ')} FROM tickets t WHERE ${s.sql} AND ${c.sql}`,
      ...each.flatMap((e) => e.params),
      ...s.params,
      ...c.params,
    )!;
    return each.map((_, i) => Number(row[`n${i}`]));
  }

  /**
   * How many tickets of `scope` pass each of `filters` (each with search words), counting at
   * most `most` per filter: a count stops there instead of testing every match of a common word.
   * A filter naming requesters or a follower with few tickets (their counters say) tests the
   * words on those tickets. The rest with the same words and known accounts share one walk of
   * the word index's matches there (exact terms, thousands in a millisecond), each tested
   * against every filter, which stops once every filter has `most`.
   */
  private countUpTo(scope: TicketScope, filters: readonly TicketFilter[], most: number): number[] {
    const counts = filters.map(() => 0);
    const s = scopeToSql(scope);
    const walks = new Map<string, { match: string; views: number[] }>();
    for (const [i, f] of filters.entries()) {
      const { text, ...fields } = f;
      if (!fields.accountIds?.length) {
        const all = filterToSql(f);
        counts[i] = Number(
          (this.get(`SELECT count(*) AS n FROM (SELECT 1 FROM tickets t WHERE ${s.sql} AND ${all.sql} LIMIT ?)`, ...s.params, ...all.params, most) as Row).n,
        );
        continue;
      }
      const words = [...new Set(searchWords(text!))];
      const key = JSON.stringify([words, fields.accountIds]);
      const walk = walks.get(key) ?? { match: this.wordIndexTerms(fields.accountIds, words) ?? wordIndexMatch(fields.accountIds, words), views: [] };
      walks.set(key, walk);
      const terms = boundedByContacts(fields) ? planCount(scope, fields) : undefined;
      if (boundedByContacts(fields) && (!terms || this.sumCounters([terms], [fields])[0]! <= most * CONTACT_COUNT_WALK)) {
        counts[i] = this.countContactsUpTo(s, fields, words, most);
      } else walk.views.push(i);
    }
    for (const { match, views } of walks.values()) {
      if (views.length === 0) continue;
      const each = views.map((i) => filterToSql({ ...filters[i], text: undefined }));
      // The matches' numbers first, then their tickets in number order (CROSS JOIN), where
      // tickets_number_scope answers the scope and the views' columns without reading the rows:
      // in index order (by last update) each lookup would land on another page of that index.
      const rows = this.statement(
        `WITH m(n) AS MATERIALIZED (SELECT ${WORD_INDEX_NUMBER('rowid')} FROM ticket_word_index WHERE ticket_word_index MATCH ? ORDER BY 1)
          SELECT ${each.map((e, j) => `(${e.sql}) AS v${j}`).join(', ')} FROM m CROSS JOIN tickets t ON t.number = m.n WHERE ${s.sql}`,
      ).iterate(match, ...each.flatMap((e) => e.params), ...s.params) as Iterable<Row>;
      for (const row of rows) {
        views.forEach((i, j) => (counts[i]! += row[`v${j}`] && counts[i]! < most ? 1 : 0));
        if (views.every((i) => counts[i]! >= most)) break;
      }
    }
    return counts;
  }

  /** `countUpTo` of a filter naming requesters or a follower: their tickets, each tested for `words` (ticket_words, as a search page's walk does). */
  private countContactsUpTo(s: Sql, fields: TicketFilter, words: readonly string[], most: number): number {
    const rest = filterToSql(fields);
    const hasWords = words.map(() => 'instr(x.words, ?) > 0').join(' AND ');
    // CROSS JOIN keeps the contacts' tickets as the outer loop (see countBoundedOrScan).
    const [from, driver] =
      fields.followerId !== undefined
        ? ['ticket_followers own CROSS JOIN tickets t ON t.id = own.ticket_id', 'own.contact_id = ? AND ']
        : ['tickets t INDEXED BY tickets_requester_counts', ''];
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} CROSS JOIN ticket_words x ON x.number = t.number
      WHERE ${driver}${s.sql} AND ${rest.sql} AND ${hasWords} LIMIT ?)`;
    const params = [...(driver ? [fields.followerId!] : []), ...s.params, ...rest.params, ...words.map((w) => ` ${w}`), most];
    return Number((this.get(sql, ...params) as Row).n);
  }

  /** The counts of `filters`, each the sum of its plan's counter rows, in one statement. */
  private sumCounters(plans: readonly CounterTerm[][], filters: readonly TicketFilter[]): number[] {
    const params: SQLInputValue[] = [];
    const param = (v: string | number) => (params.push(v), '?');
    const sums = plans.map((terms, i) => `${counterSumSql(terms, filters[i]!, param)} AS n${i}`);
    const row = this.get(`SELECT ${sums.join(', ')}`, ...params)!;
    return plans.map((_, i) => Number(row[`n${i}`]));
  }

  /**
   * A count no counter answers: bounded by the named contacts' own tickets when the filter
   * names a requester or follower (the scope and filter are tested on those only), else a scan.
   */
  private countBoundedOrScan(scope: TicketScope, f: TicketFilter): number {
    const s = scopeToSql(scope);
    const rest = filterToSql(f);
    // Never an account scan: the requesters' index entries (every column the scope and
    // filters read is in tickets_requester_counts), or the followed tickets (CROSS JOIN keeps that order).
    const bounded = boundedByContacts(f);
    const followed = bounded && f.followerId !== undefined;
    const sql = followed
      ? `SELECT count(*) AS n FROM ticket_followers own CROSS JOIN tickets t ON t.id = own.ticket_id WHERE own.contact_id = ? AND ${s.sql} AND ${rest.sql}`
      : bounded
        ? `SELECT count(*) AS n FROM tickets t INDEXED BY tickets_requester_counts WHERE ${s.sql} AND ${rest.sql}`
        : `SELECT count(*) AS n FROM tickets t WHERE ${s.sql} AND ${rest.sql}`;
    const driver = followed ? [f.followerId!] : [];
    return Number((this.get(sql, ...driver, ...s.params, ...rest.params) as Row).n);
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const r = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, id);
    return r && toTicket(r);
  }

  async updateTicket(update: TicketUpdate): Promise<TicketUpdateResult> {
    return this.tx((): TicketUpdateResult => {
      const current = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, update.ticketId);
      if (!current) return { state: 'missing' };
      const ticket = toTicket(current);
      if (update.expectedVersion !== undefined && update.expectedVersion !== ticket.version) return { state: 'stale', ticket };
      const plan = plans.planTicketUpdate(ticket, update);
      if (!plan) return { state: 'updated', ticket };
      if (plan.resolvesEscalations) this.run('UPDATE escalations SET resolved_at = ? WHERE ticket_id = ? AND resolved_at IS NULL', update.now, ticket.id);
      const sets = plan.columns.map(([column]) => `${column} = ?`);
      // node:sqlite binds no booleans: they are 0/1 here.
      const params = plan.columns.map(([, value]) => (typeof value === 'boolean' ? Number(value) : value));
      if (plan.bumpsVersion) sets.push('version = version + 1');
      if (plan.touches) {
        sets.push('updated_at = ?');
        params.push(update.now);
      }
      this.run(`UPDATE tickets SET ${sets.join(', ')} WHERE id = ?`, ...params, ticket.id);
      for (const entry of plan.entries) this.appendActivity(entry);
      return { state: 'updated', ticket: this.getTicketSync(ticket.id) };
    });
  }

  async escalateTicket(draft: EscalationDraft, options: WriteOptions = {}): Promise<EscalationOutcome> {
    return this.tx((): EscalationOutcome => {
      const current = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, draft.ticketId);
      if (!current) return { state: 'missing' };
      const ticket = toTicket(current);
      if (ticket.escalated) return { state: 'already_open', ticket };
      const escalation = plans.newEscalation(ticket, draft);
      this.run(
        `INSERT INTO escalations (id, ticket_id, reason, actor_kind, actor_id, actor_name, priority_from, priority_to, created_at, resolved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        escalation.id,
        ticket.id,
        escalation.reason,
        escalation.actor.kind,
        escalation.actor.id,
        escalation.actor.name,
        escalation.priorityFrom,
        escalation.priorityTo,
        escalation.createdAt,
      );
      this.run(
        'UPDATE tickets SET escalated = 1, priority = ?, priority_rank = ?, version = version + 1, updated_at = ? WHERE id = ?',
        escalation.priorityTo,
        PRIORITY_RANK[escalation.priorityTo],
        draft.now,
        ticket.id,
      );
      this.appendActivity(plans.escalatedEntry(ticket, escalation));
      const result = { escalation, ticket: this.getTicketSync(ticket.id) };
      this.complete(options, () => result);
      return { state: 'created', ...result };
    });
  }

  async rateTicket(draft: SatisfactionDraft, options: WriteOptions = {}): Promise<SatisfactionOutcome> {
    return this.tx((): SatisfactionOutcome => {
      const current = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, draft.ticketId);
      if (!current) return { state: 'missing' };
      const ticket = toTicket(current);
      if (ticket.satisfaction) return { state: 'already_rated', ticket };
      this.run(
        'UPDATE tickets SET satisfaction_rating = ?, satisfaction_comment = ?, satisfaction_at = ?, version = version + 1 WHERE id = ?',
        draft.rating,
        draft.comment,
        draft.now,
        ticket.id,
      );
      this.appendActivity(plans.ratedEntry(ticket, draft));
      const result = { satisfaction: { rating: draft.rating, comment: draft.comment, ratedAt: draft.now }, ticket: this.getTicketSync(ticket.id) };
      this.complete(options, () => result);
      return { state: 'created', ...result };
    });
  }

  async setFollowing(ticketId: string, contactId: string, follow: boolean, now: string): Promise<Ticket | undefined> {
    return this.tx(() => {
      const ticket = this.get('SELECT account_id FROM tickets WHERE id = ?', ticketId);
      if (!ticket) return undefined;
      const contact = this.get('SELECT id, name FROM contacts WHERE id = ?', contactId);
      if (!contact) throw new Error(`No contact ${contactId}`);
      const following = Boolean(this.get('SELECT 1 FROM ticket_followers WHERE ticket_id = ? AND contact_id = ?', ticketId, contactId));
      if (following !== follow) {
        if (follow) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', ticketId, contactId);
        else this.run('DELETE FROM ticket_followers WHERE ticket_id = ? AND contact_id = ?', ticketId, contactId);
        this.run('UPDATE tickets SET version = version + 1 WHERE id = ?', ticketId);
        this.appendActivity(plans.followEntry({ id: ticketId, accountId: str(ticket.account_id) }, { id: contactId, name: str(contact.name) }, follow, now));
        if (follow) this.upsertSeen(ticketId, contactId, now);
      }
      return this.getTicketSync(ticketId);
    });
  }

  async markTicketSeen(ticketId: string, contactId: string, at: string): Promise<void> {
    this.upsertSeen(ticketId, contactId, at);
  }

  async ticketsSeenAt(contactId: string, ticketIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ticketIds.length === 0) return out;
    const ids = inList('ticket_id', ticketIds);
    for (const r of this.all(`SELECT ticket_id, seen_at FROM ticket_seen WHERE contact_id = ? AND ${ids.sql}`, contactId, ...ids.params)) {
      out.set(str(r.ticket_id), str(r.seen_at));
    }
    return out;
  }

  async listSavedViews(accountId: string, contactId: string): Promise<SavedView[]> {
    return this.all(`${SAVED_VIEW_SELECT} WHERE v.account_id = ? AND (v.shared = 1 OR v.owner_id = ?) ORDER BY v.name, v.id`, accountId, contactId).map(
      toSavedView,
    );
  }

  async getSavedView(id: string): Promise<SavedView | undefined> {
    const r = this.get(`${SAVED_VIEW_SELECT} WHERE v.id = ?`, id);
    return r && toSavedView(r);
  }

  async createSavedView(view: SavedView, options: WriteOptions = {}): Promise<SavedView> {
    return this.tx(() => {
      const owner = this.get('SELECT id, name, account_id FROM contacts WHERE id = ?', view.ownerId);
      if (!owner || owner.account_id !== view.accountId) throw new Error('The owner is not a contact of the account');
      this.insertSavedView(view);
      if (view.shared) this.appendActivity(plans.viewEntry('view.shared', view, { kind: 'contact', id: view.ownerId, name: str(owner.name) }, view.createdAt));
      const created = toSavedView(this.get(`${SAVED_VIEW_SELECT} WHERE v.id = ?`, view.id)!);
      this.complete(options, () => created);
      return created;
    });
  }

  async deleteSavedView(id: string, actor: ActorRef, now: string): Promise<boolean> {
    return this.tx(() => {
      const view = this.get('SELECT * FROM saved_views WHERE id = ?', id);
      if (!view) return false;
      this.run('DELETE FROM saved_views WHERE id = ?', id);
      if (Number(view.shared) === 1)
        this.appendActivity(plans.viewEntry('view.deleted', { id, accountId: str(view.account_id), name: str(view.name) }, actor, now));
      return true;
    });
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
      plans.checkAttachments(this.attachmentsOf(draft.attachmentIds ?? []), draft.actor.id, draft.accountId, 'by the actor');
      const max = Number((this.get('SELECT coalesce(max(number), 0) AS n FROM tickets') as Row).n);
      const number = Math.max(max + 1, FIRST_TICKET_NUMBER);
      this.insertTicket({ ...plans.openedTicket(id, draft), number, requesterId: draft.requesterId });
      for (const f of new Set(draft.followerIds ?? [])) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', id, f);
      for (const a of draft.attachmentIds ?? []) this.run('UPDATE attachments SET ticket_id = ? WHERE id = ?', id, a);
      this.appendActivity(plans.createdEntry({ id, accountId: draft.accountId, ref: ticketRef(number), subject: draft.subject }, draft.actor, draft.now));
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
      this.appendComment(comment, str(ticket.account_id), options);
    });
    return { comment, ticket: this.getTicketSync(draft.ticketId) };
  }

  /** Inserts a public comment, bumps its ticket and writes `ticket.commented` (inside the caller's transaction). */
  private appendComment(comment: Comment, accountId: string, options: WriteOptions): void {
    this.insertComment(comment);
    this.run('UPDATE tickets SET updated_at = ?, version = version + 1, comment_count = comment_count + 1 WHERE id = ?', comment.createdAt, comment.ticketId);
    this.appendActivity(plans.commentedEntry(accountId, comment));
    // Read back as stored, so every column of the comment reaches the event (outbox.ts).
    this.insertOutbox(commentEvent(toComment(this.get('SELECT * FROM comments WHERE id = ?', comment.id)!), this.getTicketSync(comment.ticketId)));
    this.complete(options, () => comment);
  }

  async findSimilarTickets(search: SimilarSearch): Promise<Ticket[]> {
    const terms = similarTerms(search.text);
    if (terms.terms.length === 0 || search.accountIds.length === 0) return [];
    const accounts = inList('account_id', search.accountIds);
    const tickets = Number(this.get(`SELECT coalesce(sum(n), 0) AS n FROM ticket_counts WHERE ${accounts.sql}`, ...accounts.params)!.n);
    // Each term from the word index in the accounts (see similar-tickets.ts): the tickets holding
    // it counted up to SIMILAR_COUNT_CAP, and those from the second of its SIMILAR_PER_TERM-th
    // newest on (the index's rowids follow updated_at, WORD_INDEX_KEY). Exact terms are read
    // lazily, so both stop early however common the term is.
    const numbers = new Set<number>();
    const weights = terms.terms.map((term, i) => {
      const match =
        terms.prefixLast && i === terms.terms.length - 1
          ? (this.wordIndexTerms(search.accountIds, [term]) ?? wordIndexMatch(search.accountIds, [term]))
          : `(${search.accountIds.map((id) => `"${accountToken(id)}x${term.replace(/"/g, '""')}"`).join(' OR ')})`;
      const holding = this.get(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ticket_word_index WHERE ticket_word_index MATCH ? LIMIT ${SIMILAR_COUNT_CAP})`,
        match,
      )!;
      const window = this.all(
        `SELECT ${WORD_INDEX_NUMBER('rowid')} AS number FROM ticket_word_index WHERE ticket_word_index MATCH ? AND rowid >= coalesce((
           SELECT (rowid >> 31) << 31 FROM ticket_word_index WHERE ticket_word_index MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${SIMILAR_PER_TERM - 1}), 0)`,
        match,
        match,
      );
      for (const row of window) numbers.add(Number(row.number));
      return similarTermWeight(tickets, Number(holding.n));
    });
    // The candidates that are open and visible, with what ranks them; the full rows of the best.
    const scope = scopeToSql(search.scope);
    const statuses = inList('t.status', search.statuses);
    const inAccounts = inList('t.account_id', search.accountIds);
    const candidates = this.all(
      `SELECT t.id, t.ref, t.subject, t.updated_at, w.words FROM json_each(?) j CROSS JOIN tickets t ON t.number = j.value
         CROSS JOIN ticket_words w ON w.number = t.number
       WHERE ${scope.sql} AND ${inAccounts.sql} AND ${statuses.sql}`,
      JSON.stringify([...numbers]),
      ...scope.params,
      ...inAccounts.params,
      ...statuses.params,
    ).map((r) => ({
      id: str(r.id),
      updatedAt: str(r.updated_at),
      hits: termHits(str(r.ref), str(r.subject), new Set(str(r.words).split(' ').filter(Boolean)), terms),
    }));
    const ids = rankSimilar(candidates, weights, search.limit);
    const rows = new Map(this.ticketRows(`${TICKET_SELECT} WHERE t.id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids)).map((r) => [str(r.id), r]));
    return ids.map((id) => toTicket(rows.get(id)!));
  }

  async createAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    this.tx(() => {
      const uploader = this.get('SELECT account_id FROM contacts WHERE id = ?', record.uploaderId);
      if (uploader?.account_id !== record.accountId) throw new Error('Uploader is not a contact of the account');
      this.insertAttachment(record);
      this.complete(options, () => toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!));
    });
    return toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!);
  }

  private insertAttachment(record: AttachmentRecord): void {
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
  }

  async getAttachment(id: string): Promise<AttachmentRecord | undefined> {
    const r = this.get('SELECT * FROM attachments WHERE id = ?', id);
    return r && toAttachmentRecord(r);
  }

  async listAttachments(ticketId: string): Promise<Attachment[]> {
    return this.all('SELECT * FROM attachments WHERE ticket_id = ? ORDER BY created_at, id', ticketId).map(toAttachment);
  }

  async searchArticles(search: ArticleSearch): Promise<Page<Article>> {
    const filter = articleFilterToSql(search);
    if (search.text !== undefined) {
      const terms = searchTerms(search.text);
      if (terms.terms.length === 0) return { items: [], nextCursor: null };
      const rows = this.all(
        `WITH hits AS MATERIALIZED (
           SELECT article_id, bm25(article_text, 0, 3.0, 1.0) AS rank FROM article_text WHERE article_text MATCH ?
         )
         SELECT a.* FROM hits JOIN articles a ON a.id = hits.article_id WHERE ${filter.sql} ORDER BY hits.rank, a.id LIMIT ?`,
        ftsQuery(terms),
        ...filter.params,
        search.limit,
      );
      return { items: rows.map(toArticle), nextCursor: null };
    }
    const params: SQLInputValue[] = [...filter.params];
    let where = filter.sql;
    if (search.after) {
      where += ' AND (a.updated_at, a.id) < (?, ?)';
      params.push(...search.after);
    }
    const rows = this.all(`SELECT a.* FROM articles a WHERE ${where} ORDER BY a.updated_at DESC, a.id DESC LIMIT ?`, ...params, search.limit + 1);
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
      const article = this.get('SELECT * FROM articles WHERE id = ?', deflection.articleId);
      const contact = this.get('SELECT * FROM contacts WHERE id = ? AND account_id = ?', deflection.contactId, deflection.accountId);
      if (!article) throw new Error(`No article ${deflection.articleId}`);
      if (!contact) throw new Error('The contact is not a contact of the account');
      this.run(
        'INSERT INTO deflections (id, article_id, account_id, contact_id, query, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        deflection.id,
        deflection.articleId,
        deflection.accountId,
        deflection.contactId,
        deflection.query,
        deflection.createdAt,
      );
      this.record([deflectionActivity(deflection, toArticle(article), toContact(contact))], []);
      this.insertOutbox(deflectionEvent(deflection, { id: str(article.id), title: str(article.title) }));
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

  async listActivitySince(accountIds: readonly string[] | 'all', afterSeq: number, limit: number): Promise<SequencedActivity[]> {
    const accounts = accountIds === 'all' ? { sql: '1', params: [] } : inList('account_id', accountIds);
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
    // Kept on the ticket row by triggers (migration 14): one primary-key read per ticket.
    const ids = inList('id', ticketIds);
    for (const r of this.all(
      `SELECT id, sla_status_changes, first_response_at FROM tickets
       WHERE ${ids.sql} AND (sla_status_changes <> '[]' OR first_response_at IS NOT NULL)`,
      ...ids.params,
    )) {
      out.set(str(r.id), { statusChanges: json(r.sla_status_changes) as TicketSlaHistory['statusChanges'], firstResponseAt: strOrNull(r.first_response_at) });
    }
    return out;
  }

  async listSlaCandidates(afterId: string | undefined, limit: number): Promise<Ticket[]> {
    const statuses = inList('t.status', UNSOLVED_STATUSES);
    return this.ticketRows(`${TICKET_SELECT} WHERE ${statuses.sql} AND t.id > ? ORDER BY t.id LIMIT ?`, ...statuses.params, afterId ?? '', limit).map(toTicket);
  }

  async recordSlaMark(draft: SlaMarkDraft): Promise<Activity | undefined> {
    return this.tx(() => {
      const ticket = this.get('SELECT account_id, ref, subject FROM tickets WHERE id = ?', draft.ticketId);
      if (!ticket) return undefined;
      const activity = plans.slaMarkEntry({ id: draft.ticketId, accountId: str(ticket.account_id), ref: str(ticket.ref), subject: str(ticket.subject) }, draft);
      const inserted = this.statement('INSERT OR IGNORE INTO sla_marks (ticket_id, clock, type, activity_id) VALUES (?, ?, ?, ?)').run(
        draft.ticketId,
        draft.clock,
        draft.type,
        activity.id,
      );
      if (Number(inserted.changes) === 0) return undefined;
      this.appendActivity(activity);
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
        this.appendActivity(
          plans.statusChangedEntry({ id: draft.ticketId, accountId: str(ticket.account_id) }, str(ticket.status), draft.status, draft.actor, draft.now),
        );
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
    validateSeed(data);
    this.tx(() => {
      // Parents before children, whatever the input order.
      const loadedAt = new Date().toISOString();
      for (const a of parentsFirst(data.accounts)) this.writeAccount(completeAccount(a, loadedAt), true);
      for (const c of data.contacts) this.insertContact(c);
      for (const t of data.tickets) {
        const number = Number(/^T-(\d+)$/.exec(t.ref)?.[1]);
        this.insertTicket({ ...t, number, requesterId: t.requester.id });
        for (const f of t.followerIds) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', t.id, f);
      }
      for (const c of data.comments) this.insertComment(c);
      for (const a of data.activity) this.insertActivity(a);
      for (const v of data.savedViews ?? []) this.insertSavedView(v);
      for (const a of data.articles ?? []) this.insertArticle(a);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#watcher);
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  private getTicketSync(id: string): Ticket {
    return toTicket(this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, id)!);
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

  private upsertSeen(ticketId: string, contactId: string, at: string): void {
    this.run(
      `INSERT INTO ticket_seen (contact_id, ticket_id, seen_at) VALUES (?, ?, ?)
       ON CONFLICT (contact_id, ticket_id) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)`,
      contactId,
      ticketId,
      at,
    );
  }

  private insertSavedView(v: SavedView): void {
    this.run(
      'INSERT INTO saved_views (id, account_id, owner_id, name, shared, query, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      v.id,
      v.accountId,
      v.ownerId,
      v.name,
      v.shared ? 1 : 0,
      JSON.stringify(v.query),
      v.createdAt,
    );
  }

  private insertContact(c: Contact): void {
    this.run(
      'INSERT INTO contacts (id, account_id, email, name, role, status, created_at, last_seen_at, version, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      c.id,
      c.accountId,
      c.email,
      c.name,
      c.role,
      c.status,
      c.createdAt,
      c.lastSeenAt,
      c.version ?? 1,
      c.locale ?? null,
    );
  }

  /** Inserts (`create`) or overwrites an account row. */
  private writeAccount(a: Account, create: boolean): void {
    const values = [a.name, JSON.stringify(a.domains), a.tier, a.parentId, a.defaultVisibility, a.status, a.slaPolicy, a.updatedAt, a.version ?? 1];
    if (create) {
      this.run(
        `INSERT INTO accounts (name, domains, tier, parent_id, default_visibility, status, sla_policy, updated_at, version, id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...values,
        a.id,
      );
    } else {
      this.run(
        `UPDATE accounts SET name = ?, domains = ?, tier = ?, parent_id = ?, default_visibility = ?, status = ?, sla_policy = ?, updated_at = ?, version = ?
         WHERE id = ?`,
        ...values,
        a.id,
      );
    }
  }

  private insertTicket(t: Omit<Ticket, 'ref' | 'requester' | 'followerIds'> & { number: number; requesterId: string }): void {
    this.run(
      `INSERT INTO tickets (id, number, ref, account_id, subject, description, status, priority, priority_rank, category, visibility,
        requester_id, assignee, escalated, comment_count, created_at, updated_at, version,
        sla_due_at, sla_rank, satisfaction_rating, satisfaction_comment, satisfaction_at, business_impact, merged_into_id, merged_into_ref)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      t.slaDueAt ?? null,
      slaRank(t.slaDueAt),
      t.satisfaction?.rating ?? null,
      t.satisfaction?.comment ?? null,
      t.satisfaction?.ratedAt ?? null,
      t.businessImpact ?? null,
      t.mergedInto?.id ?? null,
      t.mergedInto?.ref ?? null,
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
    this.#appended = true;
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

  // --- knowledge-base authoring -------------------------------------------------
  async createArticle(article: Article, options: WriteOptions = {}): Promise<Article> {
    this.tx(() => {
      this.insertArticle(article);
      this.complete(options, () => article);
    });
    return (await this.getArticle(article.id))!;
  }

  async updateArticle(update: ArticleUpdate): Promise<ArticleUpdateResult> {
    return this.tx(() => {
      const row = this.get('SELECT * FROM articles WHERE id = ?', update.id);
      if (!row) return { state: 'missing' as const };
      const article = toArticle(row);
      if (update.expectedVersion !== undefined && update.expectedVersion !== article.version) return { state: 'stale' as const, article };
      const next = applyArticleChanges(article, update);
      if (next !== article) {
        // The articles_text_update trigger re-indexes the text in the same transaction.
        this.run(
          `UPDATE articles SET title = ?, summary = ?, body = ?, category = ?, locale = ?, audience_tiers = ?, status = ?,
             published_at = ?, updated_at = ?, version = ? WHERE id = ?`,
          next.title,
          next.summary,
          next.body,
          next.category,
          next.locale,
          audienceTiers(next),
          next.status,
          next.publishedAt,
          next.updatedAt,
          next.version,
          next.id,
        );
      }
      return { state: 'updated' as const, article: next };
    });
  }

  async deleteArticle(id: string): Promise<boolean> {
    return this.tx(() => Number(this.statement('DELETE FROM articles WHERE id = ?').run(id).changes) > 0);
  }

  private insertArticle(a: Article): void {
    this.run(
      `INSERT INTO articles (id, title, summary, body, category, locale, audience_tiers, status, published_at, created_at, updated_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.title,
      a.summary,
      a.body,
      a.category,
      a.locale,
      audienceTiers(a),
      a.status,
      a.publishedAt,
      a.createdAt,
      a.updatedAt,
      a.version,
    );
  }

  // --- events out: outbox notifications and webhook endpoints (hooks) ---------
  onOutbox(listener: () => void): () => void {
    this.#outboxListeners.add(listener);
    return () => this.#outboxListeners.delete(listener);
  }

  async createWebhookEndpoint(draft: WebhookEndpointDraft, options: WriteOptions = {}): Promise<WebhookEndpointRecord> {
    this.tx(() => {
      this.run(
        `INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, disabled_reason, secret, outbox_cursor, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(sequence), 0) FROM service_outbox), ?, ?)`,
        draft.id,
        draft.url,
        draft.description,
        draft.eventTypes ? JSON.stringify(draft.eventTypes) : null,
        draft.enabled ? 1 : 0,
        draft.enabled ? null : 'manual',
        draft.secret,
        draft.now,
        draft.now,
      );
      this.complete(options, () => endpointWithSecret(endpointFromDraft(draft)));
    });
    return (await this.getWebhookEndpoint(draft.id))!;
  }

  async getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const r = this.get('SELECT * FROM webhook_endpoints WHERE id = ?', id);
    return r && toEndpoint(r);
  }

  async listWebhookEndpoints(after: readonly [string, string] | undefined, limit: number): Promise<WebhookEndpointRecord[]> {
    const rows = after
      ? this.all('SELECT * FROM webhook_endpoints WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?', ...after, limit)
      : this.all('SELECT * FROM webhook_endpoints ORDER BY created_at, id LIMIT ?', limit);
    return rows.map(toEndpoint);
  }

  async updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord | undefined> {
    const found = this.tx(() => {
      const row = this.get('SELECT * FROM webhook_endpoints WHERE id = ?', id);
      if (!row) return false;
      const current = toEndpoint(row);
      const sets = ['updated_at = ?'];
      const params: SQLInputValue[] = [patch.now];
      const set = (column: string, value: SQLInputValue) => sets.push(`${column} = ?`) && params.push(value);
      if (patch.url !== undefined) set('url', patch.url);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.eventTypes !== undefined) set('event_types', patch.eventTypes ? JSON.stringify(patch.eventTypes) : null);
      if (patch.enabled === false && current.enabled) {
        set('enabled', 0);
        set('disabled_reason', 'manual');
      }
      if (patch.enabled === true && !current.enabled) {
        set('enabled', 1);
        sets.push('disabled_reason = NULL', 'failing_since = NULL', 'outbox_cursor = (SELECT coalesce(max(sequence), 0) FROM service_outbox)');
      }
      if (patch.rotate) {
        set('secret', patch.rotate.secret);
        set('previous_secret', current.secret);
        set('previous_secret_expires_at', patch.rotate.previousSecretExpiresAt);
      }
      this.run(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ?`, ...params, id);
      return true;
    });
    return found ? this.getWebhookEndpoint(id) : undefined;
  }

  async deleteWebhookEndpoint(id: string): Promise<boolean> {
    return this.tx(() => {
      if (!this.get('SELECT 1 FROM webhook_endpoints WHERE id = ?', id)) return false;
      this.run('DELETE FROM webhook_deliveries WHERE endpoint_id = ?', id);
      this.run('DELETE FROM webhook_endpoints WHERE id = ?', id);
      return true;
    });
  }

  async enqueueWebhookDeliveries(now: string, limit: number): Promise<number> {
    return this.tx(() => {
      let made = 0;
      for (const endpoint of this.all('SELECT id, event_types, outbox_cursor FROM webhook_endpoints WHERE enabled = 1')) {
        const types = endpoint.event_types === null ? null : (JSON.parse(str(endpoint.event_types)) as string[]);
        const events = this.all(
          'SELECT sequence, id, type, ticket_id FROM service_outbox WHERE sequence > ? ORDER BY sequence LIMIT ?',
          Number(endpoint.outbox_cursor),
          limit,
        );
        for (const e of events) {
          if (types && !types.includes(str(e.type))) continue;
          this.insertDelivery(str(endpoint.id), e, now);
          made++;
        }
        const last = events.at(-1);
        if (last) this.run('UPDATE webhook_endpoints SET outbox_cursor = ? WHERE id = ?', Number(last.sequence), str(endpoint.id));
      }
      return made;
    });
  }

  /** Adds a pending delivery of an outbox event (a row with sequence, id, type, ticket_id), due now. */
  private insertDelivery(endpointId: string, event: Row, now: string): string {
    const id = newId('dlv');
    this.run(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_sequence, event_id, event_type, ticket_id, status, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      id,
      endpointId,
      Number(event.sequence),
      str(event.id),
      str(event.type),
      strOrNull(event.ticket_id),
      now,
      now,
    );
    return id;
  }

  async claimWebhookDeliveries(claim: WebhookClaim): Promise<ClaimedDelivery[]> {
    return this.tx(() => {
      // Same rule as `deliveryMayGo`: the first pending event of a ticket goes, later ones wait.
      const rows = this.all(
        `SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND e.enabled = 1 AND d.next_attempt_at <= ?
           AND (d.lease_until IS NULL OR d.lease_until <= ?)
           AND (d.ticket_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.endpoint_id = d.endpoint_id AND p.ticket_id = d.ticket_id AND p.status = 'pending' AND p.event_sequence < d.event_sequence))
         ORDER BY d.next_attempt_at, d.event_sequence, d.seq LIMIT ?`,
        claim.now,
        claim.now,
        claim.limit,
      );
      return rows.map((r) => {
        this.run('UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE seq = ?', claim.owner, claim.leaseUntil, Number(r.seq));
        return {
          delivery: toDelivery(r),
          event: toOutboxEvent(this.get('SELECT * FROM service_outbox WHERE sequence = ?', Number(r.event_sequence))!),
          endpoint: toEndpoint(this.get('SELECT * FROM webhook_endpoints WHERE id = ?', str(r.endpoint_id))!),
        };
      });
    });
  }

  async completeWebhookAttempt(result: WebhookAttemptResult): Promise<{ disabled: boolean }> {
    return this.tx(() => {
      const row = this.get(
        `SELECT endpoint_id FROM webhook_deliveries WHERE id = ? AND status = 'pending' AND lease_owner = ?`,
        result.deliveryId,
        result.owner,
      );
      if (!row) return { disabled: false };
      const a = attemptedDelivery(result);
      this.run(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_response_status = ?, last_error = ?, last_duration_ms = ?,
           status = ?, next_attempt_at = ?, delivered_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
        ...[a.lastAttemptAt, a.lastResponseStatus, a.lastError, a.lastDurationMs, a.status, a.nextAttemptAt, a.deliveredAt, result.deliveryId],
      );
      const endpointId = str(row.endpoint_id);
      if (result.ok) {
        this.run('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?', endpointId);
        return { disabled: false };
      }
      this.run('UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?', result.at, endpointId);
      const endpoint = toEndpoint(this.get('SELECT * FROM webhook_endpoints WHERE id = ?', endpointId)!);
      if (!failureDisables(endpoint, result)) return { disabled: false };
      this.run(`UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'failing', updated_at = ? WHERE id = ?`, result.at, endpointId);
      this.insertOutbox(endpointDisabledEvent(endpoint, result.at));
      return { disabled: true };
    });
  }

  async listWebhookDeliveries(read: WebhookDeliveryRead): Promise<SequencedDelivery[]> {
    const where = ['endpoint_id = ?'];
    const params: SQLInputValue[] = [read.endpointId];
    if (read.status) {
      where.push('status = ?');
      params.push(read.status);
    }
    if (read.before !== undefined) {
      where.push('seq < ?');
      params.push(read.before);
    }
    return this.all(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`, ...params, read.limit).map((r) => ({
      seq: Number(r.seq),
      delivery: toDelivery(r),
    }));
  }

  async redeliverWebhook(endpointId: string, deliveryId: string, now: string): Promise<WebhookDelivery | undefined> {
    const id = this.tx(() => {
      const original = this.get('SELECT event_sequence FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?', deliveryId, endpointId);
      if (!original) return undefined;
      const event = this.get('SELECT sequence, id, type, ticket_id FROM service_outbox WHERE sequence = ?', Number(original.event_sequence))!;
      return this.insertDelivery(endpointId, event, now);
    });
    const row = id && this.get('SELECT * FROM webhook_deliveries WHERE id = ?', id);
    return row ? toDelivery(row) : undefined;
  }

  async pruneWebhookDeliveries(before: string): Promise<number> {
    return this.tx(() => Number(this.statement(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?`).run(before).changes));
  }

  // --- provisioning: accounts, contacts and roles from the vendor's service API ---------

  async provision(batch: ProvisioningBatch): Promise<ProvisioningResult> {
    return this.tx(() => {
      const { plan, ...result } = planProvisioning(batch, {
        account: (id) => {
          const r = this.get('SELECT * FROM accounts WHERE id = ?', id);
          return r && toAccount(r);
        },
        contactsWithEmail: (email) => this.all('SELECT * FROM contacts WHERE email = ?', email).map(toContact),
        roleExists: (name) => this.get('SELECT 1 FROM roles WHERE name = ?', name) !== undefined,
      });
      if (!plan) return result;
      for (const { account, created } of plan.accounts) this.writeAccount(account, created);
      for (const { contact, created } of plan.contacts) {
        if (created) this.insertContact(contact);
        else
          this.run(
            'UPDATE contacts SET name = ?, role = ?, status = ?, locale = ?, version = ? WHERE id = ?',
            contact.name,
            contact.role,
            contact.status,
            contact.locale ?? null,
            contact.version ?? 1,
            contact.id,
          );
      }
      this.record(plan.activity, plan.outbox);
      return result;
    });
  }

  async listAccounts(search: AccountSearch): Promise<Page<Account>> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    const add = (sql: string, ...values: SQLInputValue[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (search.parentId === null) add('parent_id IS NULL');
    else if (search.parentId !== undefined) add('parent_id = ?', search.parentId);
    if (search.status !== undefined) add('status = ?', search.status);
    if (search.updatedSince !== undefined) add('updated_at >= ?', search.updatedSince);
    if (search.after) add('(updated_at, id) > (?, ?)', ...search.after);
    const rows = this.all(
      `SELECT * FROM accounts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at, id LIMIT ?`,
      ...params,
      search.limit + 1,
    ).map(toAccount);
    const items = rows.slice(0, search.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > search.limit && last ? encodeCursor('acc', [last.updatedAt, last.id]) : null };
  }

  async listAccountContacts(accountId: string, page: { after?: string | undefined; limit: number }): Promise<Page<Contact>> {
    // Emails are stored lower-cased (tokens and inputs normalise them), so NOCASE order is their order.
    const rows = this.all(
      `SELECT * FROM contacts WHERE account_id = ? ${page.after !== undefined ? 'AND email > ?' : ''} ORDER BY email LIMIT ?`,
      accountId,
      ...(page.after !== undefined ? [page.after] : []),
      page.limit + 1,
    ).map(toContact);
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('sc', [last.email.toLowerCase()]) : null };
  }

  async registerContact(contact: Contact): Promise<Contact | undefined> {
    return this.tx(() => {
      const account = this.get('SELECT * FROM accounts WHERE id = ?', contact.accountId);
      if (!account) throw new Error(`No account ${contact.accountId}`);
      if (this.get('SELECT 1 FROM contacts WHERE account_id = ? AND email = ?', contact.accountId, contact.email)) return undefined;
      this.insertContact(contact);
      const stored = toContact(this.get('SELECT * FROM contacts WHERE id = ?', contact.id)!);
      const entries = contactCreatedEntries(stored, toAccount(account), { kind: 'contact', id: stored.id, name: stored.name }, stored.createdAt);
      this.record(entries.activity, entries.outbox);
      return stored;
    });
  }

  async getRole(name: string): Promise<CustomRole | undefined> {
    const r = this.get('SELECT * FROM roles WHERE name = ?', name);
    return r && toRole(r);
  }

  async listRoles(): Promise<CustomRole[]> {
    return this.all('SELECT * FROM roles ORDER BY name').map(toRole);
  }

  async putRole(draft: RoleDraft): Promise<{ state: 'created' | 'updated' | 'unchanged'; role: CustomRole }> {
    return this.tx(() => {
      const before = this.get('SELECT * FROM roles WHERE name = ?', draft.name);
      const result = planRolePut(draft, before && toRole(before));
      if (result.state === 'unchanged') return result;
      const { role } = result;
      this.run(
        `INSERT INTO roles (name, description, rules, updated_at, version) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET description = excluded.description, rules = excluded.rules, updated_at = excluded.updated_at, version = excluded.version`,
        role.name,
        role.description,
        JSON.stringify(role.rules),
        role.updatedAt,
        role.version,
      );
      return result;
    });
  }

  // --- live events: append notification ---------------------------------
  onAppend(listener: () => void): () => void {
    return this.#appendListeners.add(listener);
  }

  // --- agent API ---------------------------------------------------------------

  async searchServiceTickets(search: ServiceTicketSearch): Promise<Page<Ticket>> {
    return this.pageTickets({ sql: '1', params: [] }, search);
  }

  async getTicketByRef(ref: string): Promise<Ticket | undefined> {
    const r = this.ticketRow(`${TICKET_SELECT} WHERE t.ref = ? COLLATE NOCASE`, ref);
    return r && toTicket(r);
  }

  async addInternalNote(draft: CommentDraft, options: WriteOptions = {}): Promise<Comment> {
    const note: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now, internal: true };
    this.tx(() => {
      if (!this.get('SELECT 1 FROM tickets WHERE id = ?', draft.ticketId)) throw new Error(`No ticket ${draft.ticketId}`);
      this.run(
        'INSERT INTO internal_notes (id, ticket_id, author_kind, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        note.id,
        note.ticketId,
        note.author.kind,
        note.author.id,
        note.author.name,
        note.body,
        note.createdAt,
      );
      // The vendor hears of notes (`ticket.internal_note_added`); customers never do.
      this.insertOutbox(commentEvent(note, this.getTicketSync(note.ticketId)));
      this.complete(options, () => note);
    });
    return note;
  }

  async listAgentThread(ticketId: string, page: SeekPage): Promise<Page<Comment>> {
    const params: SQLInputValue[] = [ticketId, ticketId];
    let where = '1';
    if (page.after) {
      where = '(created_at, id) > (?, ?)';
      params.push(...page.after);
    }
    const rows = this.all(
      `SELECT * FROM (
         SELECT *, 0 AS internal FROM comments WHERE ticket_id = ?
         UNION ALL SELECT *, 1 AS internal FROM internal_notes WHERE ticket_id = ?
       ) WHERE ${where} ORDER BY created_at, id LIMIT ?`,
      ...params,
      page.limit + 1,
    );
    const items = rows.slice(0, page.limit).map((r) => ({ ...toComment(r), internal: Number(r.internal) === 1 }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('c', [last.createdAt, last.id]) : null };
  }

  async createServiceAttachment(record: AttachmentRecord, options: WriteOptions = {}): Promise<Attachment> {
    this.tx(() => {
      this.insertAttachment(record);
      this.complete(options, () => toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!));
    });
    return toAttachment(this.get('SELECT * FROM attachments WHERE id = ?', record.id)!);
  }

  async addAgentReply(draft: AgentReplyDraft, options: WriteOptions = {}): Promise<{ comment: Comment; ticket: Ticket }> {
    const comment: Comment = { id: newId('cmt'), ticketId: draft.ticketId, author: draft.author, body: draft.body, createdAt: draft.now };
    this.tx(() => {
      const ticket = this.get('SELECT account_id FROM tickets WHERE id = ?', draft.ticketId);
      if (!ticket) throw new Error(`No ticket ${draft.ticketId}`);
      plans.checkAttachments(this.attachmentsOf(draft.attachmentIds), draft.uploaderId, str(ticket.account_id), 'through the service API for this account');
      for (const a of draft.attachmentIds) this.run('UPDATE attachments SET ticket_id = ? WHERE id = ?', draft.ticketId, a);
      this.appendComment(comment, str(ticket.account_id), options);
    });
    return { comment, ticket: this.getTicketSync(draft.ticketId) };
  }

  async mergeTickets(draft: MergeDraft): Promise<MergeOutcome> {
    return this.tx((): MergeOutcome => {
      const sourceRow = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, draft.sourceId);
      const targetRow = this.ticketRow(`${TICKET_SELECT} WHERE t.id = ?`, draft.targetId);
      if (!sourceRow || !targetRow) return { state: 'missing' };
      const source = toTicket(sourceRow);
      const target = toTicket(targetRow);
      const refusal = mergeRefusal(source, target, draft);
      if (refusal) return refusal.state === 'invalid' ? refusal : { state: refusal.state, source };
      this.run(
        `UPDATE tickets SET status = 'closed', escalated = 0, merged_into_id = ?, merged_into_ref = ?, version = version + 1, updated_at = ? WHERE id = ?`,
        target.id,
        target.ref,
        draft.now,
        source.id,
      );
      this.run('UPDATE escalations SET resolved_at = ? WHERE ticket_id = ? AND resolved_at IS NULL', draft.now, source.id);
      this.run('DELETE FROM ticket_followers WHERE ticket_id = ?', target.id);
      for (const f of mergedFollowers(source, target)) this.run('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)', target.id, f);
      this.run('UPDATE tickets SET version = version + 1, updated_at = ? WHERE id = ?', draft.now, target.id);
      if (source.status !== 'closed') this.appendActivity(plans.statusChangedEntry(source, source.status, 'closed', draft.actor, draft.now));
      const data = { source: { id: source.id, ref: source.ref }, target: { id: target.id, ref: target.ref } };
      this.appendActivity(plans.ticketEntry(source, 'ticket.merged', draft.actor, data, draft.now));
      this.appendActivity(plans.ticketEntry(target, 'ticket.merged', draft.actor, data, draft.now));
      return { state: 'merged', source: this.getTicketSync(source.id), target: this.getTicketSync(target.id) };
    });
  }

  // --- SLA scheduling ---
  async listDueSlaTickets(dueBy: string, limit: number): Promise<Ticket[]> {
    // The partial index tickets_sla_check holds unsolved tickets only, in check order.
    return this.ticketRows(
      `${TICKET_SELECT} WHERE t.status IN ${UNSOLVED_SQL} AND t.sla_check_at <= ? ORDER BY t.sla_check_at, t.id LIMIT ?`,
      dueBy,
      limit,
    ).map(toTicket);
  }

  async scheduleSlaChecks(checks: readonly SlaCheck[]): Promise<void> {
    this.tx(() => {
      for (const { ticketId, at } of checks) this.run('UPDATE tickets SET sla_check_at = ? WHERE id = ?', at, ticketId);
    });
  }

  // --- several processes on one file (`--workers`) ---
  /**
   * Runs `fn` unless another process (or another call of this one) holds the job `name`: a
   * lease row taken when free or expired, renewed while `fn` runs, deleted after it.
   * Resolves with whether it ran.
   */
  async runExclusive(name: string, fn: () => Promise<void>): Promise<boolean> {
    const owner = `${this.#leaseOwner}:${++this.#leases}`;
    const taken = this.tx(() => {
      const nowMs = Date.now();
      this.run(
        `INSERT INTO job_leases (name, owner, until_ms) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until_ms = excluded.until_ms WHERE job_leases.until_ms <= ?`,
        name,
        owner,
        nowMs + JOB_LEASE_MS,
        nowMs,
      );
      return this.get('SELECT owner FROM job_leases WHERE name = ?', name)?.owner === owner;
    });
    if (!taken) return false;
    const renew = setInterval(() => {
      // A renewal that fails (the file stayed locked) is tried again at the next one, well before the lease runs out.
      try {
        if (this.db.isOpen) this.run('UPDATE job_leases SET until_ms = ? WHERE name = ? AND owner = ?', Date.now() + JOB_LEASE_MS, name, owner);
      } catch (error) {
        console.error(`[portico] renewing the lease of ${name} failed`, error);
      }
    }, JOB_LEASE_MS / 3);
    renew.unref();
    try {
      await fn();
    } finally {
      clearInterval(renew);
      if (this.db.isOpen) this.run('DELETE FROM job_leases WHERE name = ? AND owner = ?', name, owner);
    }
    return true;
  }

  // --- readiness probe ---
  async schemaStatus(): Promise<SchemaStatus> {
    const row = this.db.prepare('SELECT coalesce(max(version), 0) AS v FROM portico_migrations').get() as Row;
    return { applied: Number(row.v), expected: this.#migrationCount };
  }
}
