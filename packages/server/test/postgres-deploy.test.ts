/**
 * Running on PostgreSQL, on a real server started for this file: row-level security as the
 * app's role, forward-only migrations (a failed one leaves the schema as it was; a SQLite
 * database of the previous release upgrades), `portico-server copy` and `migrate`, and a
 * database that is down at start or while running.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, createStoreRateLimiter, demoSeed, mintToken } from '@portico/server';
import {
  type Migration,
  MigrationError,
  createNodeSender,
  isPostgresUrl,
  parseServerConfig,
  POSTGRES_MIGRATIONS,
  PostgresStore,
  SQLITE_MIGRATIONS,
  SqliteStore,
  startServer,
  startWebhookWorker,
} from '@portico/server/node';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ROLE, startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { NOW } from './helpers.ts';

const BIN = fileURLToPath(new URL('../bin/portico-server.mjs', import.meta.url));
/** Runs the CLI to completion. */
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 });

let cluster: PgCluster;
before(async () => {
  cluster = await startPgCluster();
});
after(() => cluster.stop());

/** A fresh database of the cluster, migrated and loaded with the demo seed. */
async function seededDatabase(): Promise<{ url: string; store: PostgresStore }> {
  const url = cluster.urlOf(cluster.createDatabase());
  const store = await PostgresStore.open(url);
  await store.load(demoSeed(NOW));
  return { url, store };
}

/** The view-count tables, kept by triggers (PostgreSQL migration 7). */
const COUNTER_TABLES = ['ticket_counts', 'requester_counts', 'follower_counts'];

/** Every counter row with n ≠ 0, and the same keys counted from the tickets and follows. */
async function countersAndTruth(client: pg.Client): Promise<[string[], string[]]> {
  const rows = async (sql: string) => (await client.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
  const columns = 'account_id, visibility, category, status, priority';
  const kept = await rows(`
    SELECT 'a' AS k, NULL AS contact, 0 AS requested, ${columns}, n FROM ticket_counts WHERE n <> 0
    UNION ALL SELECT 'r', requester_id, 0, ${columns}, n FROM requester_counts WHERE n <> 0
    UNION ALL SELECT 'f', follower_id, requested, ${columns}, n FROM follower_counts WHERE n <> 0`);
  const truth = await rows(`
    SELECT 'a' AS k, NULL AS contact, 0 AS requested, ${columns}, count(*)::int AS n FROM tickets GROUP BY ${columns}
    UNION ALL SELECT 'r', requester_id, 0, ${columns}, count(*)::int FROM tickets GROUP BY requester_id, ${columns}
    UNION ALL SELECT 'f', f.contact_id, (f.contact_id = t.requester_id)::int, t.account_id, t.visibility, t.category, t.status, t.priority, count(*)::int
      FROM ticket_followers f JOIN tickets t ON t.id = f.ticket_id GROUP BY 2, 3, 4, 5, 6, 7, 8`);
  return [kept, truth];
}

const BAD_MIGRATION: Migration = { version: 0, name: 'half done', sql: 'CREATE TABLE half_done (a integer); INSERT INTO no_such_table VALUES (1);' };

describe('PostgreSQL: row-level security', () => {
  it('the server role cannot bypass RLS, and an unscoped SELECT * FROM tickets in a customer transaction sees only its accounts', async () => {
    const { url, store } = await seededDatabase();
    const client = new pg.Client(url);
    await client.connect();
    try {
      const role = await client.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
      assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false });
      assert.equal((await client.query('SELECT current_user AS u')).rows[0].u, APP_ROLE);

      // Nothing set: nothing visible (the server always sets the scope).
      assert.equal((await client.query('SELECT count(*)::int AS n FROM tickets')).rows[0].n, 0);

      await client.query('BEGIN');
      await client.query("SELECT set_config('portico.account_ids', $1, true)", [DEMO_ACCOUNTS.globex]);
      const rows = (await client.query('SELECT * FROM tickets')).rows as { account_id: string }[];
      const comments = (await client.query('SELECT c.* FROM comments c')).rows as { ticket_id: string }[];
      const activity = (await client.query('SELECT * FROM activity')).rows as { account_id: string }[];
      const counters: { account_id: string }[][] = [];
      for (const t of COUNTER_TABLES) counters.push((await client.query(`SELECT account_id FROM ${t}`)).rows as { account_id: string }[]);
      await client.query('COMMIT');
      assert.ok(
        counters.every((rows) => rows.length > 0 && rows.every((r) => r.account_id === DEMO_ACCOUNTS.globex)),
        'the view counters of no other account',
      );
      const seed = demoSeed(NOW);
      const globexTickets = seed.tickets.filter((t) => t.accountId === DEMO_ACCOUNTS.globex).map((t) => t.id);
      assert.ok(rows.length > 0);
      assert.deepEqual(
        rows.map((r) => r.account_id).filter((a) => a !== DEMO_ACCOUNTS.globex),
        [],
        'no ticket of another account',
      );
      assert.equal(rows.length, globexTickets.length);
      assert.ok(
        comments.every((c) => globexTickets.includes(c.ticket_id)),
        'comments follow their ticket',
      );
      assert.ok(activity.every((a) => a.account_id === DEMO_ACCOUNTS.globex));

      // The store's own calls inside a caller's scope are held by the same policies.
      const acmeTicket = seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acme)!;
      assert.equal((await store.getTicket(acmeTicket.id))?.id, acmeTicket.id, "outside a caller's scope (internal work) everything is visible");
      assert.equal(await store.runAs([DEMO_ACCOUNTS.globex], () => store.getTicket(acmeTicket.id)), undefined);
      assert.equal((await store.runAs([DEMO_ACCOUNTS.acme], () => store.getTicket(acmeTicket.id)))?.id, acmeTicket.id);
      await assert.rejects(
        store.runAs([DEMO_ACCOUNTS.globex], () =>
          store.addComment({ ticketId: acmeTicket.id, author: { kind: 'agent', id: 'a', name: 'A' }, body: 'x', now: NOW.toISOString() }),
        ),
        'no write into another account either',
      );
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("one pooled connection carries no caller's scope into the next: a customer of Globex after one of Acme reads nothing of Acme", async () => {
    const { url, store: seeded } = await seededDatabase();
    await seeded.close();
    // One connection, so every call below runs on the same PostgreSQL session.
    const store = new PostgresStore(url, { poolSize: 1 });
    const seed = demoSeed(NOW);
    const acmeMember = seed.contacts.find((c) => c.accountId === DEMO_ACCOUNTS.acme && c.status === 'active')!;
    const acmeTicket = seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acme && t.requester.id === acmeMember.id)!;
    const acmeScope = [{ kind: 'all' as const, accountId: DEMO_ACCOUNTS.acme }];
    const asAcme = <T>(fn: () => Promise<T>) => store.runAs([DEMO_ACCOUNTS.acme], fn);
    const asGlobex = <T>(fn: () => Promise<T>) => store.runAs([DEMO_ACCOUNTS.globex], fn);
    /** What an unscoped statement sees on that connection now. */
    const unscoped = async () => {
      const client = await store.pool.connect();
      try {
        return (await client.query('SELECT DISTINCT account_id FROM tickets ORDER BY account_id')).rows.map((r) => r.account_id as string);
      } finally {
        client.release();
      }
    };
    try {
      // Acme's member: caller resolution, the ticket with its SLA account, a page, a write.
      const caller = await asAcme(() => store.findAccountContact(DEMO_ACCOUNTS.acme, acmeMember.email.toUpperCase()));
      assert.deepEqual([caller.account?.id, caller.contact?.id], [DEMO_ACCOUNTS.acme, acmeMember.id]);
      assert.deepEqual(
        caller,
        { account: await store.getAccount(DEMO_ACCOUNTS.acme), contact: await store.getContact(acmeMember.id) },
        'the same rows as read apart',
      );
      const stranger = await asAcme(() => store.findAccountContact(DEMO_ACCOUNTS.acme, 'nobody@acme.example'));
      assert.deepEqual([stranger.account?.id, stranger.contact], [DEMO_ACCOUNTS.acme, undefined], 'a first sign-in: the account, no contact yet');
      assert.equal((await asAcme(() => store.getTicket(acmeTicket.id)))?.id, acmeTicket.id);
      await asAcme(() => store.markTicketSeen(acmeTicket.id, acmeMember.id, NOW.toISOString()));
      const page = await asAcme(() => store.searchTickets({ scope: acmeScope, filter: {}, sort: 'updated', limit: 5 }));
      assert.equal(page.items.length, 5);
      assert.deepEqual(await unscoped(), [DEMO_ACCOUNTS.acme], 'the session has the last read scope, not more');

      // Then Globex's, on the same connection, asking for Acme's rows by key: nothing.
      assert.deepEqual(await asGlobex(() => store.findAccountContact(DEMO_ACCOUNTS.acme, acmeMember.email)), { account: undefined, contact: undefined });
      assert.equal(await asGlobex(() => store.getTicket(acmeTicket.id)), undefined);
      assert.equal((await asGlobex(() => store.searchTickets({ scope: acmeScope, filter: {}, sort: 'updated', limit: 5 }))).items.length, 0);
      assert.equal((await asGlobex(() => store.ticketsSeenAt(acmeMember.id, [acmeTicket.id]))).size, 0);
      assert.deepEqual(await unscoped(), [DEMO_ACCOUNTS.globex]);

      // A write's transaction-local scope ends with it: the session is Globex's again after an Acme write.
      await asAcme(() => store.markTicketSeen(acmeTicket.id, acmeMember.id, NOW.toISOString()));
      assert.deepEqual(await unscoped(), [DEMO_ACCOUNTS.globex]);
      assert.equal(await asGlobex(() => store.getTicket(acmeTicket.id)), undefined);
    } finally {
      await store.close();
    }
  });

  it("API requests run in the caller's scope: a customer reads its tickets through RLS, the service plane all", async () => {
    const { store } = await seededDatabase();
    const server = await startServer({
      port: 0,
      store,
      auth: { secret: DEMO_JWT_SECRET },
      slaSweepMs: 0,
      rateLimit: false,
      serviceApiKeys: [DEMO_SERVICE_API_KEY],
    });
    try {
      const token = await mintToken({ email: 'gus@globex.example', account: DEMO_ACCOUNTS.globex }, { secret: DEMO_JWT_SECRET });
      const res = await fetch(`${server.url}/v1/tickets?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const items = ((await res.json()) as { items: { accountId: string }[] }).items;
      assert.ok(items.length > 0 && items.every((t) => t.accountId === DEMO_ACCOUNTS.globex));
      // The service plane reads any account (its scope is 'all').
      const service = await fetch(`${server.url}/v1/service/tickets?account=${DEMO_ACCOUNTS.acme}&limit=5`, {
        headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` },
      });
      assert.equal(service.status, 200);
      const acme = ((await service.json()) as { items: { accountId: string }[] }).items;
      assert.ok(acme.length > 0 && acme.every((t) => t.accountId === DEMO_ACCOUNTS.acme));
    } finally {
      await server.close();
    }
  });
});

describe('migrations', () => {
  it('PostgreSQL: instances opening a new database at the same moment all start, and the schema is applied once', async () => {
    for (let round = 0; round < 5; round++) {
      const url = cluster.urlOf(cluster.createDatabase());
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url)));
      try {
        const applied = await stores[0]!.migrate();
        assert.deepEqual(applied, [], 'every migration was applied by one of the four');
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT version, count(*)::int AS n FROM portico_migrations GROUP BY version HAVING count(*) > 1');
          assert.deepEqual(rows, [], 'no migration recorded twice');
        } finally {
          await client.end();
        }
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }
  });

  it('PostgreSQL: a failing migration is rolled back whole and recorded nowhere', async () => {
    const url = cluster.urlOf(cluster.createDatabase());
    const store = new PostgresStore(url);
    try {
      assert.deepEqual(
        await store.migrate(),
        POSTGRES_MIGRATIONS.map((m) => m.version),
      );
      assert.deepEqual(await store.migrate(), [], 'a second run applies nothing');
      const bad = { ...BAD_MIGRATION, version: POSTGRES_MIGRATIONS.length + 1 };
      await assert.rejects(store.migrate([...POSTGRES_MIGRATIONS, bad]), MigrationError);
      const { rows } = await store.pool.query("SELECT to_regclass('half_done') AS t, (SELECT max(version) FROM portico_migrations) AS v");
      assert.deepEqual(rows[0], { t: null, v: POSTGRES_MIGRATIONS.length });
      await (await PostgresStore.open(url, { migrate: false })).close();
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL: a database of the first PostgreSQL release (migrations 1-3) upgrades with its data', async () => {
    const url = cluster.urlOf(cluster.createDatabase());
    const old = new PostgresStore(url);
    try {
      assert.deepEqual(await old.migrate(POSTGRES_MIGRATIONS.slice(0, 3)), [1, 2, 3]);
      await old.pool.query(`SELECT set_config('portico.account_ids', '*', false);
        INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES ('acc_1', 'One', '["one.example"]', 'standard', NULL, 'private');
        INSERT INTO articles (id, title, summary, body, category, updated_at) VALUES ('art_1', 'Reset a password', 's', 'b', 'account', '2026-01-01T00:00:00.000Z');`);
    } finally {
      await old.close();
    }
    const upgraded = await PostgresStore.open(url);
    try {
      const account = await upgraded.getAccount('acc_1');
      assert.deepEqual([account?.status, account?.version, account?.slaPolicy], ['active', 1, null]);
      assert.match(account!.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const article = await upgraded.getArticle('art_1');
      assert.deepEqual(
        [article?.status, article?.locale, article?.audience, article?.publishedAt],
        ['published', 'en', 'all', '2026-01-01T00:00:00.000Z'],
        'old articles stay shown',
      );
    } finally {
      await upgraded.close();
    }
  });

  it('PostgreSQL: the view counters are built from the data of an older database, and kept by writes in a customer scope', async () => {
    const url = cluster.urlOf(cluster.createDatabase());
    const seed = demoSeed(NOW);
    const old = new PostgresStore(url);
    try {
      await old.migrate(POSTGRES_MIGRATIONS.filter((m) => m.version < 7));
      await old.load(seed);
    } finally {
      await old.close();
    }
    const store = await PostgresStore.open(url);
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query("SELECT set_config('portico.account_ids', '*', false)");
      const [built, fromData] = await countersAndTruth(client);
      assert.ok(
        fromData.some((r) => r.startsWith('{"k":"f"')),
        'the seed has follows',
      );
      assert.deepEqual(built, fromData, 'after the upgrade');
      // A member's writes run under row-level security: the triggers keep their account's counters.
      const system = { kind: 'system' as const, id: 'test', name: 'Test' };
      const acme = seed.tickets.filter((t) => t.accountId === DEMO_ACCOUNTS.acme);
      await store.runAs([DEMO_ACCOUNTS.acme], async () => {
        await store.setFollowing(acme[0]!.id, DEMO_CONTACTS.mia, true, NOW.toISOString());
        await store.setFollowing(acme[0]!.id, DEMO_CONTACTS.mia, false, NOW.toISOString());
        await store.setFollowing(acme[1]!.id, DEMO_CONTACTS.mia, true, NOW.toISOString());
        await store.updateTicket({
          ticketId: acme[1]!.id,
          changes: { status: 'pending', visibility: 'private', category: 'billing' },
          actor: system,
          now: NOW.toISOString(),
        });
      });
      await store.mergeTickets({ sourceId: acme[2]!.id, targetId: acme[3]!.id, actor: system, now: NOW.toISOString() });
      const [kept, truth] = await countersAndTruth(client);
      assert.deepEqual(kept, truth, 'after writes');
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('SQLite: a failing migration leaves the schema as it was; a database of the previous release upgrades with its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-migrate-'));
    try {
      // The previous release shipped migrations 1–5: build a database with them and some data.
      const previous = SQLITE_MIGRATIONS.slice(0, 5);
      const old = new SqliteStore(join(dir, 'old.db'), { migrations: previous });
      old.db
        .exec(`INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES ('acc_1', 'One', '["one.example"]', 'standard', NULL, 'private');
        INSERT INTO contacts (id, account_id, email, name, role, status, created_at) VALUES ('con_1', 'acc_1', 'a@one.example', 'A', 'admin', 'active', '2026-01-01T00:00:00.000Z');
        INSERT INTO tickets (id, number, ref, account_id, subject, description, status, priority, priority_rank, category, visibility, requester_id, created_at, updated_at)
          VALUES ('tkt_1', 1001, 'T-1001', 'acc_1', 'Invoice wrong', 'Twice charged', 'open', 'normal', 1, 'billing', 'private', 'con_1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`);
      await old.close();
      assert.throws(() => new SqliteStore(join(dir, 'old.db'), { migrate: false }), MigrationError, '--no-migrate refuses an outdated database');

      const upgraded = new SqliteStore(join(dir, 'old.db'));
      assert.deepEqual(
        upgraded.migrated,
        SQLITE_MIGRATIONS.slice(5).map((m) => m.version),
      );
      const account = await upgraded.getAccount('acc_1');
      assert.deepEqual([account?.status, account?.version, account?.slaPolicy], ['active', 1, null], 'old accounts get the new columns');
      const page = await upgraded.searchTickets({ scope: [{ kind: 'all', accountId: 'acc_1' }], filter: { text: 'invo' }, sort: 'updated', limit: 5 });
      assert.deepEqual(
        page.items.map((t) => t.ref),
        ['T-1001'],
      );
      assert.deepEqual(await upgraded.getSlaHistory(['tkt_1']), new Map(), 'the new tables work');
      await upgraded.close();

      const bad = { ...BAD_MIGRATION, version: SQLITE_MIGRATIONS.length + 1 };
      assert.throws(() => new SqliteStore(join(dir, 'old.db'), { migrations: [...SQLITE_MIGRATIONS, bad] }), MigrationError);
      const check = new SqliteStore(join(dir, 'old.db'));
      assert.equal(check.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()!.n, 0);
      assert.equal(check.db.prepare('SELECT max(version) AS v FROM portico_migrations').get()!.v, SQLITE_MIGRATIONS.length);
      await check.close();
      assert.throws(() => new SqliteStore(join(dir, 'old.db'), { migrations: previous }), /newer than this server knows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('portico-server migrate and copy', () => {
  it('migrate applies the schema once; copy moves a SQLite database into PostgreSQL with ids, order and search intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-copy-'));
    const file = join(dir, 'portico.db');
    const url = cluster.urlOf(cluster.createDatabase());
    try {
      const sqlite = new SqliteStore(file);
      const seed = demoSeed(NOW);
      await sqlite.load(seed);
      const created = await sqlite.createTicket({
        accountId: DEMO_ACCOUNTS.acme,
        requesterId: DEMO_CONTACTS.mia,
        subject: 'Zebra stripes in exports',
        description: 'Every other row is grey.',
        category: 'technical',
        priority: 'high',
        visibility: 'account',
        actor: { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' },
        now: NOW.toISOString(),
      });
      await sqlite.addComment({
        ticketId: created.id,
        author: { kind: 'agent', id: 'ag', name: 'Agent' },
        body: 'Reproduced with Ünïcode names',
        now: NOW.toISOString(),
      });
      const head = await sqlite.activityHead();
      const since = await sqlite.listActivitySince([DEMO_ACCOUNTS.acme], head - 3, 10);
      const ticket = await sqlite.getTicket(created.id);
      const ticketIds = [...seed.tickets.map((t) => t.id), created.id];
      const slaHistory = await sqlite.getSlaHistory(ticketIds);
      assert.ok(
        [...slaHistory.values()].some((h) => h.statusChanges.length > 0),
        'the demo seed has status changes to copy',
      );
      await sqlite.close();

      const migrate = cli(['migrate', '--db', url]);
      assert.equal(migrate.status, 0, migrate.stderr);
      assert.match(migrate.stdout, /applied migrations 1, 2, 3/);
      assert.match(cli(['migrate', '--db', url]).stdout, /up to date/);

      const copy = cli(['copy', '--from', file, '--to', url]);
      assert.equal(copy.status, 0, copy.stderr);
      assert.match(copy.stdout, /copied \d+ rows/);

      const pgStore = new PostgresStore(url);
      try {
        assert.deepEqual(await pgStore.getTicket(created.id), ticket);
        // The SLA facts kept on the ticket row are JSON in both stores: copied as JSON, not as text.
        assert.deepEqual(await pgStore.getSlaHistory(ticketIds), slaHistory, 'SLA history intact');
        assert.equal(await pgStore.activityHead(), head, 'live-event ids continue where SQLite left off');
        assert.deepEqual(await pgStore.listActivitySince([DEMO_ACCOUNTS.acme], head - 3, 10), since);
        const found = await pgStore.searchTickets({
          scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }],
          filter: { text: 'unicode zebr' },
          sort: 'updated',
          limit: 5,
        });
        assert.deepEqual(
          found.items.map((t) => t.id),
          [created.id],
          'comment words are searchable, accents folded',
        );
        const next = await pgStore.createTicket({
          accountId: DEMO_ACCOUNTS.acme,
          requesterId: DEMO_CONTACTS.mia,
          subject: 's',
          description: 'd',
          category: 'technical',
          priority: 'low',
          visibility: 'private',
          actor: { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' },
          now: NOW.toISOString(),
        });
        assert.equal(next.ref, `T-${Number(created.ref.slice(2)) + 1}`, 'ticket numbers continue');
        // The copy filled the word table (migrations 9, 10) with every copied ticket's words, at its last update.
        const results = (await pgStore.pool.query(`BEGIN; SELECT set_config('portico.account_ids', '*', true);
          SELECT (SELECT count(*) FROM ticket_words)::int AS kept, (SELECT sum(length(search_vector)) FROM tickets)::int AS words,
            (SELECT count(*) FROM (SELECT account_id, unnest(tsvector_to_array(search_vector)), updated_at, number FROM tickets EXCEPT SELECT * FROM ticket_words) x)::int AS missing;
          COMMIT`)) as unknown as pg.QueryResult[];
        const { kept, words, missing } = results[2]!.rows[0];
        assert.ok(
          kept > 0 && kept === words && missing === 0,
          `ticket_words holds every word of every ticket (${kept} rows, ${words} words, ${missing} missing)`,
        );
      } finally {
        await pgStore.close();
      }
      const again = cli(['copy', '--from', file, '--to', url]);
      assert.notEqual(again.status, 0, 'never into a database that has data');
      assert.match(again.stderr, /empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a database that is down', () => {
  it('at start: a one-line error and exit code 3, no stack trace', () => {
    const down = `postgres://${APP_ROLE}:secret@127.0.0.1:1/portico`;
    const run = cli(['--db', down, '--port', '0', '--jwt-secret', 'a-test-secret-that-is-at-least-32-bytes-long']);
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stderr, /cannot use the database postgres:\/\/portico_app:\*\*\*@127\.0\.0\.1:1\/portico/);
    assert.doesNotMatch(run.stderr, /secret@|\n\s+at /, 'no password, no stack');
  });

  it('while running: requests answer 503 problem+json with Retry-After', async () => {
    const own = await startPgCluster();
    const store = await PostgresStore.open(own.url, { connectionTimeoutMs: 1000 });
    await store.load(demoSeed(NOW));
    const server = await startServer({ port: 0, store, auth: { secret: DEMO_JWT_SECRET }, slaSweepMs: 0, rateLimit: false, now: () => NOW });
    try {
      const token = await mintToken({ email: 'gus@globex.example', account: DEMO_ACCOUNTS.globex }, { secret: DEMO_JWT_SECRET, now: NOW });
      const get = () => fetch(`${server.url}/v1/tickets`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await get()).status, 200);
      // A live listener keeps trying to LISTEN again while the database is away, without crashing.
      store.onAppend(() => {});
      await store.listen();
      own.stop();
      const res = await get();
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(((await res.json()) as { code: string }).code, 'unavailable');
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal((await get()).status, 503, 'still answering, still 503');
    } finally {
      await server.close();
    }
  });
});

describe('several instances: what the database coordinates', () => {
  it('onAppend wakes every instance when any of them commits activity (LISTEN/NOTIFY)', async () => {
    const { url, store: a } = await seededDatabase();
    const b = new PostgresStore(url);
    try {
      let woken = 0;
      const off = a.onAppend(() => woken++);
      await a.listen();
      const before = await a.activityHead();
      await b.addComment({ ticketId: 'tkt_1001', author: { kind: 'agent', id: 'ag', name: 'Agent' }, body: 'From B', now: NOW.toISOString() });
      const deadline = Date.now() + 1000;
      while (woken === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(woken >= 1, 'woken within 1 s');
      assert.deepEqual(
        (await a.listActivitySince([DEMO_ACCOUNTS.acme], before, 10)).map((e) => e.activity.type),
        ['ticket.commented'],
      );
      off();
      const count = woken;
      await b.addComment({ ticketId: 'tkt_1001', author: { kind: 'agent', id: 'ag', name: 'Agent' }, body: 'Again', now: NOW.toISOString() });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(woken, count, 'no calls after unsubscribing');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('rate limits are counted once for all instances', async () => {
    const { url, store: a } = await seededDatabase();
    const b = new PostgresStore(url);
    try {
      const limiters = [createStoreRateLimiter({ perMinute: 60, burst: 10 }, a, () => NOW), createStoreRateLimiter({ perMinute: 60, burst: 10 }, b, () => NOW)];
      let allowed = 0;
      let limited = 0;
      for (let i = 0; i < 16; i++) {
        try {
          await limiters[i % 2]!.take('contact:con_x');
          allowed++;
        } catch (error) {
          assert.equal((error as { status?: number }).status, 429);
          limited++;
        }
      }
      assert.deepEqual({ allowed, limited }, { allowed: 10, limited: 6 }, 'one bucket of 10, not one per instance');
      await limiters[0]!.take('contact:con_other');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an exclusive job (the SLA sweep) runs on one instance at a time', async () => {
    const { url, store: a } = await seededDatabase();
    const b = new PostgresStore(url);
    try {
      let release!: () => void;
      const holding = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const first = a.runExclusive('sla-sweep', async () => {
        started();
        await holding;
      });
      await running;
      assert.equal(await b.runExclusive('sla-sweep', async () => assert.fail('ran twice')), false);
      assert.equal(await b.runExclusive('other-job', async () => {}), true, 'other jobs are not blocked');
      release();
      assert.equal(await first, true);
      assert.equal(await b.runExclusive('sla-sweep', async () => {}), true, 'free again once done');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('several instances: webhook delivery', () => {
  it('two instances enqueueing and claiming at once make one delivery per event and claim each once', async () => {
    const { url, store: a } = await seededDatabase();
    const b = new PostgresStore(url);
    try {
      await a.createWebhookEndpoint({
        id: 'whe_race',
        url: 'https://hooks.example/in',
        description: '',
        eventTypes: null,
        enabled: true,
        secret: 'whsec_race',
        now: NOW.toISOString(),
      });
      for (let i = 0; i < 12; i++) {
        await (i % 2 ? a : b).addComment({
          ticketId: `tkt_${1001 + (i % 4)}`,
          author: { kind: 'agent', id: 'ag', name: 'Agent' },
          body: `Note ${i}`,
          now: NOW.toISOString(),
        });
      }
      const now = NOW.toISOString();
      const made = await Promise.all([a.enqueueWebhookDeliveries(now, 100), b.enqueueWebhookDeliveries(now, 100), a.enqueueWebhookDeliveries(now, 100)]);
      assert.equal(
        made.reduce((x, y) => x + y, 0),
        12,
        'each comment event queued once, whichever instance enqueued it',
      );
      const leaseUntil = new Date(NOW.getTime() + 60_000).toISOString();
      const claims = await Promise.all([a, b, a, b].map((s, i) => s.claimWebhookDeliveries({ owner: `w${i}`, now, leaseUntil, limit: 100 })));
      const ids = claims.flat().map((c) => c.delivery.id);
      assert.equal(new Set(ids).size, ids.length, 'no delivery is claimed twice');
      // One pending delivery per ticket may go at a time (tickets 1001-1004): four now.
      assert.equal(ids.length, 4);
      assert.deepEqual(await b.claimWebhookDeliveries({ owner: 'late', now, leaseUntil, limit: 100 }), [], 'live leases hold on every instance');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('workers on two instances deliver every event exactly once to a real receiver', async () => {
    const { url, store: a } = await seededDatabase();
    const b = new PostgresStore(url);
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push((JSON.parse(body) as { id: string }).id);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const send = createNodeSender({ allowPrivate: true });
    const workers = [a, b].map((store) => startWebhookWorker({ store, send }, { pollMs: 50 }));
    try {
      await a.createWebhookEndpoint({
        id: 'whe_two',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        description: '',
        eventTypes: null,
        enabled: true,
        secret: 'whsec_dHdvIGluc3RhbmNlcyBvbmUgcmVjZWl2ZXI=',
        now: new Date().toISOString(),
      });
      const writes = 16;
      await Promise.all(
        Array.from({ length: writes }, (_, i) =>
          (i % 2 ? a : b).addComment({
            ticketId: `tkt_${1001 + (i % 4)}`,
            author: { kind: 'agent', id: 'ag', name: 'Agent' },
            body: `Reply ${i}`,
            now: new Date().toISOString(),
          }),
        ),
      );
      const deadline = Date.now() + 15_000;
      while (received.length < writes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(received.length, writes, 'every event arrived');
      assert.equal(new Set(received).size, writes, 'none arrived twice');
      const log = await a.listWebhookDeliveries({ endpointId: 'whe_two', limit: 100 });
      assert.deepEqual(new Set(log.map((d) => d.delivery.status)), new Set(['succeeded']));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await new Promise((resolve) => receiver.close(resolve));
      await a.close();
      await b.close();
    }
  });
});

describe('configuration', () => {
  it('--db postgres://… and PORTICO_DATABASE_URL choose PostgreSQL; --no-migrate and --db-pool are read', () => {
    const url = 'postgres://u:p@db.example:5432/portico';
    assert.equal(parseServerConfig(['--db', url], {}).db, url);
    assert.ok(isPostgresUrl(parseServerConfig([], { PORTICO_DATABASE_URL: url, PORTICO_DB: 'x.db' }).db), 'the URL wins over PORTICO_DB');
    assert.equal(parseServerConfig([], {}).db, '.portico/portico.db');
    assert.equal(parseServerConfig(['--no-migrate'], {}).migrate, false);
    assert.equal(parseServerConfig([], {}).migrate, true);
    assert.equal(parseServerConfig(['--db-pool', '25'], {}).poolSize, 25);
    assert.throws(() => parseServerConfig(['--db-pool', '0'], {}), /pool size/);
    assert.equal(isPostgresUrl('postgresql://x/y'), true);
    assert.equal(isPostgresUrl('/var/lib/portico/postgres.db'), false);
  });
});
