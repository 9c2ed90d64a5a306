/**
 * The PostgreSQL schema as numbered migrations (see migrations.ts for the runner). Append,
 * never edit one that has shipped. Node-only in practice (only the PostgreSQL store reads it).
 *
 * Ids and ISO timestamps are `text COLLATE "C"`: they compare byte by byte, exactly like
 * JavaScript's `<` and SQLite, whatever the database's default collation, so orderings and
 * keyset cursors agree across stores.
 */
import { NO_SLA_RANK } from './store.ts';
import type { Migration } from './migrations.ts';

const K = 'text COLLATE "C"';

/**
 * A trigger that sets a ticket's `column` to `fn(ticket id)` whenever a row of `table` matching
 * `condition` is inserted, deleted or changed (both the old and the new row's ticket).
 */
function triggerKeepingTicketColumn(name: string, table: string, condition: string, column: string, fn: string): string {
  return `
    CREATE FUNCTION portico_${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.${condition} THEN
        UPDATE tickets SET ${column} = ${fn}(OLD.ticket_id) WHERE id = OLD.ticket_id;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.${condition} THEN
        UPDATE tickets SET ${column} = ${fn}(NEW.ticket_id) WHERE id = NEW.ticket_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER ${name} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION portico_${name}();`;
}

/** Tables whose rows belong to one account (`account_id`; an account's own `id`), guarded by row-level security. */
export const ACCOUNT_TABLES = ['accounts', 'contacts', 'tickets', 'activity', 'service_outbox', 'attachments', 'saved_views', 'deflections'] as const;
/** Tables whose rows belong to a ticket: visible when their ticket is (the tickets policy applies inside). */
export const TICKET_CHILD_TABLES = ['comments', 'ticket_followers', 'escalations', 'ticket_seen', 'sla_marks'] as const;
/** The vendor's own setup (webhook endpoints and deliveries): visible only to service-plane and internal work ('*'). */
export const VENDOR_TABLES = ['webhook_endpoints', 'webhook_deliveries'] as const;

/** Row-level security on `table` with one policy. */
const guarded = (table: string, policy: string, using: string) => `
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      CREATE POLICY ${policy} ON ${table} USING (${using});`;

/** The view-count tables (migration 7) and their keys; `n` tickets share each key. */
const COUNTER_TABLES = [
  { table: 'ticket_counts', keys: ['account_id', 'visibility', 'category', 'status', 'priority'] },
  { table: 'requester_counts', keys: ['requester_id', 'account_id', 'visibility', 'category', 'status', 'priority'] },
  { table: 'follower_counts', keys: ['follower_id', 'account_id', 'requested', 'visibility', 'category', 'status', 'priority'] },
] as const;

/** The ticket columns some counter is keyed on. */
const COUNTED_COLUMNS = ['account_id', 'requester_id', 'visibility', 'category', 'status', 'priority'];

/**
 * Adds the deltas `select` yields (the table's keys, then a delta) to the counters of `table`,
 * one upsert per key in key order; `from`: a transition table the select reads as `f`.
 */
function addCounts(table: (typeof COUNTER_TABLES)[number]['table'], select: string, from?: string): string {
  const keys = COUNTER_TABLES.find((c) => c.table === table)!.keys.join(', ');
  const source = from === undefined ? select : `${select} FROM ${from} f JOIN tickets t ON t.id = f.ticket_id`;
  return `
        INSERT INTO ${table} AS c (${keys}, n)
          SELECT ${keys}, sum(d)::integer FROM (${source}) AS deltas (${keys}, d)
          GROUP BY ${keys} HAVING sum(d) <> 0 ORDER BY ${keys}
          ON CONFLICT (${keys}) DO UPDATE SET n = c.n + excluded.n;`;
}

/** The delta of a row of a statement-level insert or delete trigger's transition table. */
const INSERTED = "CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END";

/** Statement-level triggers `fn` of the inserts and deletes of `table`, the rows in the transition table `changed`. */
const insertAndDeleteTriggers = (name: string, table: string, fn: string) =>
  (['INSERT', 'DELETE'] as const)
    .map(
      (op) => `
      CREATE TRIGGER ${name}_${op.toLowerCase()} AFTER ${op} ON ${table} REFERENCING ${op === 'INSERT' ? 'NEW' : 'OLD'} TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    )
    .join('');

/** The follower_counts key and `delta` of the follows `f` of the ticket row `t`. */
const followed = (f: string, t: string, delta: string) =>
  `${f}.contact_id, ${t}.account_id, (${f}.contact_id = ${t}.requester_id)::integer, ${t}.visibility, ${t}.category, ${t}.status, ${t}.priority, ${delta}`;

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, contacts, tickets (tsvector search), comments, activity, outbox, views, attachments, articles, idempotency, SLA marks',
    sql: `
      CREATE TABLE accounts (
        id ${K} PRIMARY KEY,
        name text NOT NULL,
        domains json NOT NULL DEFAULT '[]',
        tier text NOT NULL,
        parent_id ${K} REFERENCES accounts(id),
        default_visibility text NOT NULL
      );
      CREATE INDEX accounts_parent ON accounts(parent_id, name);

      CREATE TABLE contacts (
        id ${K} PRIMARY KEY,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        status text NOT NULL,
        created_at ${K} NOT NULL,
        last_seen_at ${K},
        version integer NOT NULL DEFAULT 1
      );
      CREATE UNIQUE INDEX contacts_account_email ON contacts(account_id, lower(email));

      -- The next ticket number: one row, locked by each create, so refs never collide across instances.
      CREATE TABLE ticket_numbers (id integer PRIMARY KEY CHECK (id = 1), last integer NOT NULL);
      INSERT INTO ticket_numbers VALUES (1, 1000);

      CREATE TABLE tickets (
        id ${K} PRIMARY KEY,
        number integer NOT NULL UNIQUE,
        ref ${K} NOT NULL UNIQUE,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        subject text NOT NULL,
        description text NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        priority_rank integer NOT NULL,
        category text NOT NULL,
        visibility text NOT NULL,
        requester_id ${K} NOT NULL REFERENCES contacts(id),
        assignee text,
        escalated boolean NOT NULL DEFAULT false,
        comment_count integer NOT NULL DEFAULT 0,
        created_at ${K} NOT NULL,
        updated_at ${K} NOT NULL,
        version integer NOT NULL DEFAULT 1,
        sla_due_at ${K},
        sla_rank bigint NOT NULL DEFAULT ${NO_SLA_RANK},
        satisfaction_rating text,
        satisfaction_comment text,
        satisfaction_at ${K},
        business_impact text,
        -- Words (core searchWords: folded, lower-cased) of the ref, subject, description and every
        -- comment, as lexemes without parsing; a query word w matches as the prefix query 'w':*.
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        -- The words of the ref and subject alone, to rank similar tickets (subject hits weigh more).
        subject_vector tsvector NOT NULL DEFAULT ''::tsvector
      );
      CREATE INDEX tickets_account_updated ON tickets(account_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_account_created ON tickets(account_id, created_at DESC, id DESC);
      CREATE INDEX tickets_account_priority ON tickets(account_id, priority_rank DESC, updated_at DESC, id DESC);
      CREATE INDEX tickets_account_sla ON tickets(account_id, sla_rank DESC, updated_at DESC, id DESC);
      CREATE INDEX tickets_requester ON tickets(requester_id, updated_at DESC, id DESC);
      CREATE INDEX tickets_unsolved ON tickets(id) WHERE status IN ('new', 'open', 'pending');
      CREATE INDEX tickets_search ON tickets USING gin (search_vector);

      CREATE TABLE ticket_followers (
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        contact_id ${K} NOT NULL REFERENCES contacts(id),
        PRIMARY KEY (ticket_id, contact_id)
      );
      CREATE INDEX ticket_followers_contact ON ticket_followers(contact_id, ticket_id);

      CREATE TABLE comments (
        id ${K} PRIMARY KEY,
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_kind text NOT NULL,
        author_id ${K} NOT NULL,
        author_name text NOT NULL,
        body text NOT NULL,
        created_at ${K} NOT NULL
      );
      CREATE INDEX comments_ticket ON comments(ticket_id, created_at, id);
      CREATE INDEX comments_ticket_agent ON comments(ticket_id, author_kind, created_at);

      -- seq is the append order: the live-event id (writers append under one lock, see the store).
      CREATE TABLE activity (
        seq bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE,
        id ${K} PRIMARY KEY,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        type text NOT NULL,
        actor_kind text NOT NULL,
        actor_id ${K} NOT NULL,
        actor_name text NOT NULL,
        ticket_id ${K} REFERENCES tickets(id) ON DELETE CASCADE,
        contact_id ${K} REFERENCES contacts(id),
        data json NOT NULL DEFAULT '{}',
        created_at ${K} NOT NULL
      );
      CREATE INDEX activity_account_created ON activity(account_id, created_at DESC, id DESC);
      CREATE INDEX activity_account_seq ON activity(account_id, seq);
      CREATE INDEX activity_ticket ON activity(ticket_id, type);

      CREATE TABLE idempotency_keys (
        contact_id ${K} NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status integer,
        body json,
        created_at ${K} NOT NULL,
        PRIMARY KEY (contact_id, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

      CREATE TABLE service_outbox (
        sequence bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id ${K} NOT NULL UNIQUE,
        type text NOT NULL,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        data json NOT NULL,
        occurred_at ${K} NOT NULL
      );

      CREATE TABLE escalations (
        id ${K} PRIMARY KEY,
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        reason text NOT NULL,
        actor_kind text NOT NULL,
        actor_id ${K} NOT NULL,
        actor_name text NOT NULL,
        priority_from text NOT NULL,
        priority_to text NOT NULL,
        created_at ${K} NOT NULL,
        resolved_at ${K}
      );
      CREATE UNIQUE INDEX escalations_one_open ON escalations(ticket_id) WHERE resolved_at IS NULL;

      CREATE TABLE ticket_seen (
        contact_id ${K} NOT NULL REFERENCES contacts(id),
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        seen_at ${K} NOT NULL,
        PRIMARY KEY (contact_id, ticket_id)
      );

      CREATE TABLE saved_views (
        id ${K} PRIMARY KEY,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        owner_id ${K} NOT NULL REFERENCES contacts(id),
        name ${K} NOT NULL,
        shared boolean NOT NULL,
        query json NOT NULL,
        created_at ${K} NOT NULL
      );
      CREATE INDEX saved_views_account ON saved_views(account_id, shared, owner_id);

      CREATE TABLE attachments (
        id ${K} PRIMARY KEY,
        account_id ${K} NOT NULL REFERENCES accounts(id),
        uploader_id ${K} NOT NULL REFERENCES contacts(id),
        ticket_id ${K} REFERENCES tickets(id) ON DELETE CASCADE,
        name text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        created_at ${K} NOT NULL
      );
      CREATE INDEX attachments_ticket ON attachments(ticket_id, created_at, id);

      CREATE TABLE articles (
        id ${K} PRIMARY KEY,
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        category text NOT NULL,
        updated_at ${K} NOT NULL,
        search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        title_vector tsvector NOT NULL DEFAULT ''::tsvector
      );
      CREATE INDEX articles_updated ON articles(updated_at DESC, id DESC);
      CREATE INDEX articles_search ON articles USING gin (search_vector);

      CREATE TABLE deflections (
        id ${K} PRIMARY KEY,
        article_id ${K} NOT NULL REFERENCES articles(id),
        account_id ${K} NOT NULL REFERENCES accounts(id),
        contact_id ${K} NOT NULL REFERENCES contacts(id),
        query text,
        created_at ${K} NOT NULL
      );
      CREATE INDEX deflections_account_created ON deflections(account_id, created_at);

      CREATE TABLE sla_marks (
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        clock text NOT NULL,
        type text NOT NULL,
        activity_id ${K} NOT NULL,
        PRIMARY KEY (ticket_id, clock, type)
      );

      CREATE TABLE notification_marks (
        contact_id ${K} PRIMARY KEY REFERENCES contacts(id),
        seen_at ${K} NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'row-level security: account-scoped rows visible only to the accounts of the transaction (portico.account_ids)',
    // The server sets portico.account_ids per transaction (set_config(..., true)) to the
    // verified caller's accounts, comma-separated, or '*' for service-plane and internal work.
    // Unset means nothing is visible. FORCE makes the policies bind the tables' owner too, so
    // the server may own its schema and still be held by them.
    sql: `
      -- PL/pgSQL, not an inlinable SQL function: inlined, the OR below made the planner
      -- estimate one matching row and pick nested loops over seq scans on large tables; as an
      -- opaque cheap function it gets the default selectivity and the indexes keep their order.
      CREATE FUNCTION portico_account_visible(account text) RETURNS boolean
        LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1 AS $$
          DECLARE ids text := coalesce(current_setting('portico.account_ids', true), '');
          BEGIN
            RETURN ids = '*' OR account = ANY (string_to_array(nullif(ids, ''), ','));
          END
        $$;
      ${ACCOUNT_TABLES.map(
        (t) => `
      ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
      CREATE POLICY ${t}_by_account ON ${t} USING (portico_account_visible(${t === 'accounts' ? 'id' : 'account_id'}));`,
      ).join('')}
      ${TICKET_CHILD_TABLES.map(
        (t) => `
      ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
      CREATE POLICY ${t}_by_ticket ON ${t} USING (EXISTS (SELECT 1 FROM tickets t WHERE t.id = ${t}.ticket_id));`,
      ).join('')}
    `,
  },
  {
    version: 3,
    name: 'rate limits shared by every server instance',
    // One token bucket per caller (contact or service API key); "at" in epoch milliseconds.
    sql: `
      CREATE TABLE rate_buckets (key text PRIMARY KEY, tokens float8 NOT NULL, at bigint NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'knowledge-base authoring, events out (webhooks), provisioning (account status, roles), agent API (internal notes, merges)',
    // The same changes as SQLite migrations 7 to 10. Articles that existed were shown to
    // customers: they become published, in English, for every account; deflections and
    // service-API uploads lose their foreign keys (deflections outlive articles, uploads have
    // no contact). Outbox events about the vendor's setup belong to no account.
    sql: `
      ALTER TABLE articles ADD COLUMN locale text NOT NULL DEFAULT 'en';
      ALTER TABLE articles ADD COLUMN audience_tiers json;
      ALTER TABLE articles ADD COLUMN status text NOT NULL DEFAULT 'published';
      ALTER TABLE articles ADD COLUMN published_at ${K};
      ALTER TABLE articles ADD COLUMN created_at ${K};
      ALTER TABLE articles ADD COLUMN version integer NOT NULL DEFAULT 1;
      UPDATE articles SET published_at = updated_at, created_at = updated_at;
      CREATE INDEX articles_status_updated ON articles(status, updated_at DESC, id DESC);
      ALTER TABLE deflections DROP CONSTRAINT deflections_article_id_fkey;

      ALTER TABLE service_outbox ALTER COLUMN account_id DROP NOT NULL;
      ALTER TABLE service_outbox ADD COLUMN ticket_id ${K};
      CREATE INDEX service_outbox_type ON service_outbox(type, sequence);

      CREATE TABLE webhook_endpoints (
        id ${K} PRIMARY KEY,
        url text NOT NULL,
        description text NOT NULL,
        event_types json,
        enabled boolean NOT NULL,
        disabled_reason text,
        failing_since ${K},
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at ${K},
        outbox_cursor bigint NOT NULL,
        created_at ${K} NOT NULL,
        updated_at ${K} NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        seq bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id ${K} NOT NULL UNIQUE,
        endpoint_id ${K} NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_sequence bigint NOT NULL REFERENCES service_outbox(sequence),
        event_id ${K} NOT NULL,
        event_type text NOT NULL,
        ticket_id ${K},
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at ${K},
        last_attempt_at ${K},
        last_response_status integer,
        last_error text,
        last_duration_ms integer,
        created_at ${K} NOT NULL,
        delivered_at ${K},
        lease_owner text,
        lease_until ${K}
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
      CREATE INDEX webhook_deliveries_ticket ON webhook_deliveries(endpoint_id, ticket_id, status, event_sequence);
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries(endpoint_id, seq);

      ALTER TABLE accounts ADD COLUMN status text NOT NULL DEFAULT 'active';
      ALTER TABLE accounts ADD COLUMN sla_policy text;
      ALTER TABLE accounts ADD COLUMN updated_at ${K} NOT NULL DEFAULT '';
      ALTER TABLE accounts ADD COLUMN version integer NOT NULL DEFAULT 1;
      UPDATE accounts SET updated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      CREATE INDEX accounts_updated ON accounts(updated_at, id);
      ALTER TABLE contacts ADD COLUMN locale text;
      CREATE INDEX contacts_email ON contacts(email);
      -- Vendor-defined roles: read while resolving any caller, so not account-scoped.
      CREATE TABLE roles (
        name ${K} PRIMARY KEY,
        description text NOT NULL,
        rules json NOT NULL,
        updated_at ${K} NOT NULL,
        version integer NOT NULL
      );

      CREATE TABLE internal_notes (
        id ${K} PRIMARY KEY,
        ticket_id ${K} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_kind text NOT NULL,
        author_id ${K} NOT NULL,
        author_name text NOT NULL,
        body text NOT NULL,
        created_at ${K} NOT NULL
      );
      CREATE INDEX internal_notes_ticket ON internal_notes(ticket_id, created_at, id);
      ALTER TABLE tickets ADD COLUMN merged_into_id ${K};
      ALTER TABLE tickets ADD COLUMN merged_into_ref ${K};
      CREATE INDEX tickets_updated ON tickets(updated_at DESC, id DESC);
      CREATE UNIQUE INDEX tickets_ref_lower ON tickets(lower(ref));
      ALTER TABLE attachments DROP CONSTRAINT attachments_uploader_id_fkey;
      ${guarded('internal_notes', 'internal_notes_by_ticket', 'EXISTS (SELECT 1 FROM tickets t WHERE t.id = internal_notes.ticket_id)')}
      ${VENDOR_TABLES.map((t) => guarded(t, `${t}_vendor_only`, "current_setting('portico.account_ids', true) = '*'")).join('')}
    `,
  },
  {
    version: 5,
    name: 'SLA scheduling: the next SLA check of each unsolved ticket, indexed',
    // As SQLite's migration 12: sla_check_at is when the SLA sweeper must look at a ticket next
    // ('' = now). A write that bumps the ticket's version, or its account's version (tier, SLA
    // policy), makes it due again, so the sweeper reads only tickets whose clocks may have moved.
    sql: `
      ALTER TABLE tickets ADD COLUMN sla_check_at ${K} NOT NULL DEFAULT '';
      CREATE INDEX tickets_sla_check ON tickets(sla_check_at, id) WHERE status IN ('new', 'open', 'pending');
      CREATE FUNCTION portico_ticket_sla_due() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.version IS DISTINCT FROM OLD.version AND NEW.sla_check_at = OLD.sla_check_at THEN
          NEW.sla_check_at := '';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tickets_sla_check_reset BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION portico_ticket_sla_due();
      CREATE FUNCTION portico_account_sla_due() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.version IS DISTINCT FROM OLD.version THEN
          UPDATE tickets SET sla_check_at = '' WHERE account_id = NEW.id AND sla_check_at <> '';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER accounts_sla_check_reset AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION portico_account_sla_due();
    `,
  },
  {
    version: 6,
    name: 'SLA facts kept on the ticket row: status changes and first agent reply',
    // As SQLite's migration 14: what the SLA clock reads besides the ticket is kept on its row,
    // recomputed from one ticket's activity or comments by the trigger of any write to them, so
    // a list page reads it with the rows instead of querying both tables per read.
    sql: `
      ALTER TABLE tickets ADD COLUMN sla_status_changes json NOT NULL DEFAULT '[]', ADD COLUMN first_response_at ${K};
      CREATE FUNCTION portico_sla_status_changes(ticket text) RETURNS json LANGUAGE sql STABLE AS $$
        SELECT coalesce(json_agg(json_build_object('at', created_at, 'to', data->>'to') ORDER BY created_at, id), '[]')
        FROM activity WHERE ticket_id = ticket AND type = 'ticket.status_changed' AND json_typeof(data->'to') = 'string'
      $$;
      CREATE FUNCTION portico_first_response(ticket text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT min(created_at) FROM comments WHERE ticket_id = ticket AND author_kind = 'agent'
      $$;
      UPDATE tickets SET sla_status_changes = portico_sla_status_changes(id)
        WHERE id IN (SELECT ticket_id FROM activity WHERE type = 'ticket.status_changed');
      UPDATE tickets SET first_response_at = portico_first_response(id)
        WHERE id IN (SELECT ticket_id FROM comments WHERE author_kind = 'agent');
      ${triggerKeepingTicketColumn('activity_sla', 'activity', "type = 'ticket.status_changed'", 'sla_status_changes', 'portico_sla_status_changes')}
      ${triggerKeepingTicketColumn('comments_sla', 'comments', "author_kind = 'agent'", 'first_response_at', 'portico_first_response')}
    `,
  },
  {
    version: 7,
    name: 'view counts without scans: ticket counters per account, requester and follower, kept by triggers',
    // As SQLite's ticket_counts, requester_counts and follower_counts (migrations 11, 16 and 17):
    // a view count sums a few counter rows. Inserts and deletes are counted per statement
    // (REFERENCING transition tables: a bulk insert or a copy adds one delta per key, not per
    // row); a ticket update only when a counted column changed. Each statement adds its
    // deltas in key order, so two writers take the row locks of hot counters in the same order
    // and queue on them instead of deadlocking. The tables are account-scoped like the others.
    sql: `
      ${COUNTER_TABLES.map(
        ({ table, keys }) => `
      CREATE TABLE ${table} (${keys.map((k) => `${k} ${k === 'requested' ? 'integer' : K} NOT NULL`).join(', ')}, n integer NOT NULL, PRIMARY KEY (${keys.join(', ')}));
      ${guarded(table, `${table}_by_account`, 'portico_account_visible(account_id)')}`,
      ).join('')}
      ${addCounts('ticket_counts', 'SELECT account_id, visibility, category, status, priority, 1 FROM tickets')}
      ${addCounts('requester_counts', 'SELECT requester_id, account_id, visibility, category, status, priority, 1 FROM tickets')}
      ${addCounts('follower_counts', `SELECT ${followed('f', 't', '1')}`, 'ticket_followers')}

      CREATE FUNCTION portico_tickets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addCounts('ticket_counts', `SELECT account_id, visibility, category, status, priority, ${INSERTED} FROM changed`)}
        ${addCounts('requester_counts', `SELECT requester_id, account_id, visibility, category, status, priority, ${INSERTED} FROM changed`)}
        RETURN NULL;
      END $$;
      ${insertAndDeleteTriggers('tickets_counted', 'tickets', 'portico_tickets_counted')}

      CREATE FUNCTION portico_ticket_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addCounts(
          'ticket_counts',
          `SELECT OLD.account_id, OLD.visibility, OLD.category, OLD.status, OLD.priority, -1
           UNION ALL SELECT NEW.account_id, NEW.visibility, NEW.category, NEW.status, NEW.priority, 1`,
        )}
        ${addCounts(
          'requester_counts',
          `SELECT OLD.requester_id, OLD.account_id, OLD.visibility, OLD.category, OLD.status, OLD.priority, -1
           UNION ALL SELECT NEW.requester_id, NEW.account_id, NEW.visibility, NEW.category, NEW.status, NEW.priority, 1`,
        )}
        ${addCounts(
          'follower_counts',
          `SELECT ${followed('f', 'OLD', '-1')} FROM ticket_followers f WHERE f.ticket_id = OLD.id
           UNION ALL SELECT ${followed('f', 'NEW', '1')} FROM ticket_followers f WHERE f.ticket_id = NEW.id`,
        )}
        RETURN NULL;
      END $$;
      CREATE TRIGGER tickets_counted_update AFTER UPDATE OF ${COUNTED_COLUMNS.join(', ')} ON tickets FOR EACH ROW
        WHEN (${COUNTED_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
        EXECUTE FUNCTION portico_ticket_moved();

      CREATE FUNCTION portico_follows_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addCounts('follower_counts', `SELECT ${followed('f', 't', INSERTED)}`, 'changed')}
        RETURN NULL;
      END $$;
      ${insertAndDeleteTriggers('ticket_followers_counted', 'ticket_followers', 'portico_follows_counted')}
      -- A deleted ticket's follows go first, while the ticket is there to say what they counted.
      CREATE FUNCTION portico_ticket_unfollowed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM ticket_followers WHERE ticket_id = OLD.id;
        RETURN OLD;
      END $$;
      CREATE TRIGGER tickets_unfollow_before_delete BEFORE DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION portico_ticket_unfollowed();
    `,
  },
  {
    version: 8,
    name: 'row-level security read once per statement: the scope as an InitPlan, not a function call per row',
    // The policies of migration 2 called a PL/pgSQL function on every row a scan touched, which
    // re-read and re-split portico.account_ids each time, and whose opaque cost made the planner
    // price an ordered index walk under a filter at many times its real cost (a member's own
    // tickets were fetched whole and sorted instead of read in order). Here the setting is
    // read by STABLE SQL functions inside sub-selects: PostgreSQL runs each once per statement
    // as an InitPlan, and a row costs one array membership test. Same rule: '*' sees
    // everything, otherwise the comma-separated accounts; unset or empty sees nothing.
    sql: `
      CREATE FUNCTION portico_scope_all() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT coalesce(current_setting('portico.account_ids', true), '') = '*'
      $$;
      CREATE FUNCTION portico_scope_accounts() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT string_to_array(nullif(coalesce(current_setting('portico.account_ids', true), ''), ''), ',')
      $$;
      ${ACCOUNT_TABLES.map(
        (t) => `
      ALTER POLICY ${t}_by_account ON ${t} USING ((SELECT portico_scope_all()) OR ${t === 'accounts' ? 'id' : 'account_id'} = ANY ((SELECT portico_scope_accounts())::text[]));`,
      ).join('')}
      ${COUNTER_TABLES.map(
        ({ table }) => `
      ALTER POLICY ${table}_by_account ON ${table} USING ((SELECT portico_scope_all()) OR account_id = ANY ((SELECT portico_scope_accounts())::text[]));`,
      ).join('')}
      ${VENDOR_TABLES.map((t) => `ALTER POLICY ${t}_vendor_only ON ${t} USING ((SELECT portico_scope_all()));`).join('\n      ')}
      DROP FUNCTION portico_account_visible(text);
      -- A requester belongs to one account: without this PostgreSQL multiplies the two
      -- conditions' selectivities, expects a handful of a member's own tickets and sorts them
      -- all rather than reading the first page from tickets_requester in order.
      CREATE STATISTICS tickets_account_requester (dependencies) ON account_id, requester_id FROM tickets;
      ANALYZE tickets;
    `,
  },
  {
    version: 9,
    name: "ticket words: each ticket's search words in a B-tree keyed by account, kept by triggers",
    // Row-level security keeps the GIN index on search_vector out of every ticket search: `@@`
    // is not leakproof, so it may only run after the policy, never as an index condition. Text
    // comparisons are leakproof, so this table's B-tree is usable under the same policy: a
    // search word w (a prefix) is the range w <= word < w || U+10FFFF inside the caller's
    // accounts (U+10FFFF is never part of a word: searchWords splits on it). Rows are the
    // lexemes of search_vector, which holds exactly the memory store's searchWords, so the
    // table matches exactly what `@@` matches. Inserts and deletes of tickets are kept per
    // statement (a copy adds a batch's words at once); an update only when the words, the
    // account or the number changed. The table is filled before its key is built (faster than
    // growing the B-tree row by row on a large database).
    sql: `
      CREATE TABLE ticket_words (account_id ${K} NOT NULL, word ${K} NOT NULL, ticket_number integer NOT NULL);
      INSERT INTO ticket_words SELECT account_id, unnest(tsvector_to_array(search_vector)), number FROM tickets;
      ALTER TABLE ticket_words ADD PRIMARY KEY (account_id, word, ticket_number);
      ${guarded('ticket_words', 'ticket_words_by_account', '(SELECT portico_scope_all()) OR account_id = ANY ((SELECT portico_scope_accounts())::text[])')}

      -- The rows of tickets (account_id, number, search_vector) as (account_id, word, ticket_number).
      CREATE FUNCTION portico_ticket_word_rows(account text, number integer, words tsvector)
        RETURNS TABLE (account_id text, word text, ticket_number integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT account, w, number FROM unnest(tsvector_to_array(words)) AS w
        $$;
      CREATE FUNCTION portico_ticket_words_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO ticket_words SELECT w.* FROM changed c, portico_ticket_word_rows(c.account_id, c.number, c.search_vector) w;
        ELSE
          DELETE FROM ticket_words t USING changed c, portico_ticket_word_rows(c.account_id, c.number, c.search_vector) w
            WHERE t.account_id = w.account_id AND t.word = w.word COLLATE "C" AND t.ticket_number = w.ticket_number;
        END IF;
        RETURN NULL;
      END $$;
      ${insertAndDeleteTriggers('ticket_words_kept', 'tickets', 'portico_ticket_words_kept')}
      CREATE FUNCTION portico_ticket_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Old rows that the new ticket does not hold, then new rows that the old did not.
        DELETE FROM ticket_words t USING (
          SELECT * FROM portico_ticket_word_rows(OLD.account_id, OLD.number, OLD.search_vector)
          EXCEPT SELECT * FROM portico_ticket_word_rows(NEW.account_id, NEW.number, NEW.search_vector)) w
          WHERE t.account_id = w.account_id AND t.word = w.word COLLATE "C" AND t.ticket_number = w.ticket_number;
        INSERT INTO ticket_words
          SELECT * FROM portico_ticket_word_rows(NEW.account_id, NEW.number, NEW.search_vector)
          EXCEPT SELECT * FROM portico_ticket_word_rows(OLD.account_id, OLD.number, OLD.search_vector);
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_words_changed AFTER UPDATE OF account_id, number, search_vector ON tickets FOR EACH ROW
        WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.number IS DISTINCT FROM NEW.number OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
        EXECUTE FUNCTION portico_ticket_words_changed();
      ANALYZE ticket_words;
    `,
  },
  {
    version: 10,
    name: 'ticket words in list order: each row keyed also by its ticket’s last update, moved by the triggers',
    // A search page sorted by last update (the list's default) reads a word's rows of one
    // account newest first and stops after a page, as SQLite's word index in list order
    // (SQLite migration 20): the key is (account, word, updated_at, number), so one word of
    // one account is a B-tree range already in list order; a prefix's words and several
    // accounts merge those ranges (see `orderedMatches` in postgres-store.ts). The triggers
    // now also move a ticket's rows when its updated_at changes. The table is made again
    // rather than altered (a new column on 34M rows would rewrite them all anyway), filled
    // before its key is built like migration 9.
    sql: `
      DROP TRIGGER ticket_words_changed ON tickets;
      DROP TRIGGER ticket_words_kept_insert ON tickets;
      DROP TRIGGER ticket_words_kept_delete ON tickets;
      DROP FUNCTION portico_ticket_words_changed();
      DROP FUNCTION portico_ticket_words_kept();
      DROP FUNCTION portico_ticket_word_rows(text, integer, tsvector);
      DROP TABLE ticket_words;
      CREATE TABLE ticket_words (account_id ${K} NOT NULL, word ${K} NOT NULL, updated_at ${K} NOT NULL, ticket_number integer NOT NULL);
      INSERT INTO ticket_words SELECT account_id, unnest(tsvector_to_array(search_vector)), updated_at, number FROM tickets;
      ALTER TABLE ticket_words ADD PRIMARY KEY (account_id, word, updated_at, ticket_number);
      ${guarded('ticket_words', 'ticket_words_by_account', '(SELECT portico_scope_all()) OR account_id = ANY ((SELECT portico_scope_accounts())::text[])')}

      -- The rows of tickets (account_id, number, updated_at, search_vector) as (account_id, word, updated_at, ticket_number).
      CREATE FUNCTION portico_ticket_word_rows(account text, number integer, updated text, words tsvector)
        RETURNS TABLE (account_id text, word text, updated_at text, ticket_number integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT account, w, updated, number FROM unnest(tsvector_to_array(words)) AS w
        $$;
      CREATE FUNCTION portico_ticket_words_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO ticket_words SELECT w.* FROM changed c, portico_ticket_word_rows(c.account_id, c.number, c.updated_at, c.search_vector) w;
        ELSE
          DELETE FROM ticket_words t USING changed c, portico_ticket_word_rows(c.account_id, c.number, c.updated_at, c.search_vector) w
            WHERE t.account_id = w.account_id AND t.word = w.word COLLATE "C" AND t.updated_at = w.updated_at COLLATE "C" AND t.ticket_number = w.ticket_number;
        END IF;
        RETURN NULL;
      END $$;
      ${insertAndDeleteTriggers('ticket_words_kept', 'tickets', 'portico_ticket_words_kept')}
      CREATE FUNCTION portico_ticket_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Old rows that the new ticket does not hold, then new rows that the old did not (all
        -- of them when the ticket's last update moved: a comment, a status change).
        DELETE FROM ticket_words t USING (
          SELECT * FROM portico_ticket_word_rows(OLD.account_id, OLD.number, OLD.updated_at, OLD.search_vector)
          EXCEPT SELECT * FROM portico_ticket_word_rows(NEW.account_id, NEW.number, NEW.updated_at, NEW.search_vector)) w
          WHERE t.account_id = w.account_id AND t.word = w.word COLLATE "C" AND t.updated_at = w.updated_at COLLATE "C" AND t.ticket_number = w.ticket_number;
        INSERT INTO ticket_words
          SELECT * FROM portico_ticket_word_rows(NEW.account_id, NEW.number, NEW.updated_at, NEW.search_vector)
          EXCEPT SELECT * FROM portico_ticket_word_rows(OLD.account_id, OLD.number, OLD.updated_at, OLD.search_vector);
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_words_changed AFTER UPDATE OF account_id, number, updated_at, search_vector ON tickets FOR EACH ROW
        WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.number IS DISTINCT FROM NEW.number
          OR OLD.updated_at IS DISTINCT FROM NEW.updated_at OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
        EXECUTE FUNCTION portico_ticket_words_changed();
      ANALYZE ticket_words;
    `,
  },
];
