/**
 * The PostgreSQL migration that reads the row-level-security scope once per statement: a
 * database of the release before it upgrades with its data, and the policies still hold every
 * account to its own rows (unset sees nothing, '*' sees everything), on a real server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { POSTGRES_MIGRATIONS, PostgresStore } from '@portico/server/node';
import { StoreUnavailableError } from '@portico/server';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';

const SCOPE_MIGRATION = POSTGRES_MIGRATIONS.findIndex((m) => m.name.startsWith('row-level security read once per statement'));

let cluster: PgCluster;
before(async () => {
  cluster = await startPgCluster();
});
after(() => cluster.stop());

/** Rows of `sql` with portico.account_ids set to `scope` for this transaction (undefined: not set). */
async function rowsAs(client: pg.Client, scope: string | undefined, sql: string): Promise<Record<string, unknown>[]> {
  await client.query('BEGIN');
  try {
    if (scope !== undefined) await client.query("SELECT set_config('portico.account_ids', $1, true)", [scope]);
    return (await client.query(sql)).rows;
  } finally {
    await client.query('COMMIT');
  }
}

describe('PostgreSQL: the scope read once per statement (migration)', () => {
  it('a database of the previous release upgrades, and every account still sees only its own rows', async () => {
    assert.ok(SCOPE_MIGRATION > 0, 'the migration exists');
    const url = cluster.urlOf(cluster.createDatabase());
    const old = new PostgresStore(url);
    try {
      await old.migrate(POSTGRES_MIGRATIONS.slice(0, SCOPE_MIGRATION));
      await old.pool.query(`SELECT set_config('portico.account_ids', '*', false);
        INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES
          ('acc_1', 'One', '[]', 'standard', NULL, 'account'), ('acc_2', 'Two', '[]', 'standard', NULL, 'account');
        INSERT INTO contacts (id, account_id, email, name, role, status, created_at) VALUES
          ('con_1', 'acc_1', 'a@one.example', 'A', 'admin', 'active', '2026-01-01T00:00:00.000Z'),
          ('con_2', 'acc_2', 'b@two.example', 'B', 'admin', 'active', '2026-01-01T00:00:00.000Z');
        INSERT INTO tickets (id, number, ref, account_id, subject, description, status, priority, priority_rank, category, visibility, requester_id, created_at, updated_at)
          VALUES ('tkt_1', 1001, 'T-1001', 'acc_1', 'Invoice wrong', 'x', 'open', 'normal', 1, 'billing', 'account', 'con_1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('tkt_2', 1002, 'T-1002', 'acc_2', 'Login fails', 'y', 'open', 'normal', 1, 'technical', 'account', 'con_2', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
        INSERT INTO comments (id, ticket_id, author_kind, author_id, author_name, body, created_at) VALUES
          ('cmt_1', 'tkt_1', 'contact', 'con_1', 'A', 'one', '2026-01-01T00:00:00.000Z'),
          ('cmt_2', 'tkt_2', 'contact', 'con_2', 'B', 'two', '2026-01-02T00:00:00.000Z');
        INSERT INTO webhook_endpoints (id, url, description, enabled, secret, outbox_cursor, created_at, updated_at)
          VALUES ('whe_1', 'https://hooks.example/in', 'd', true, 's', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`);
    } finally {
      await old.close();
    }

    const upgraded = await PostgresStore.open(url);
    const client = new pg.Client(url);
    await client.connect();
    try {
      const ids = async (scope: string | undefined, table: string) => (await rowsAs(client, scope, `SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
      assert.deepEqual(await ids(undefined, 'tickets'), [], 'unset: nothing');
      assert.deepEqual(await ids('', 'tickets'), [], 'empty: nothing');
      assert.deepEqual(await ids('acc_1', 'tickets'), ['tkt_1']);
      assert.deepEqual(await ids('acc_2', 'comments'), ['cmt_2'], 'comments follow their ticket');
      assert.deepEqual(await ids('acc_2', 'accounts'), ['acc_2']);
      for (const counters of ['ticket_counts', 'requester_counts']) {
        const accounts = (await rowsAs(client, 'acc_1', `SELECT DISTINCT account_id FROM ${counters}`)).map((r) => r.account_id);
        assert.deepEqual(accounts, ['acc_1'], `${counters}: the view counters of the caller's account only`);
      }
      assert.deepEqual(await ids('acc_1,acc_2', 'contacts'), ['con_1', 'con_2'], 'several accounts');
      assert.deepEqual(await ids('acc_1', 'webhook_endpoints'), [], "the vendor's setup is not a customer's");
      assert.deepEqual(await ids('*', 'webhook_endpoints'), ['whe_1']);
      assert.deepEqual(await ids('*', 'tickets'), ['tkt_1', 'tkt_2'], "'*': every account");
      // A scope set in one transaction and one set for the session are each read at the statement.
      await client.query("SELECT set_config('portico.account_ids', 'acc_2', false)");
      assert.deepEqual((await client.query('SELECT id FROM tickets')).rows, [{ id: 'tkt_2' }]);
      assert.deepEqual(await ids('acc_1', 'tickets'), ['tkt_1'], 'the transaction-local scope overrides the session');

      // The store reads through the same policies after the upgrade.
      assert.equal((await upgraded.runAs(['acc_1'], () => upgraded.getTicket('tkt_2'))) ?? null, null);
      assert.equal((await upgraded.runAs(['acc_2'], () => upgraded.getTicket('tkt_2')))?.ref, 'T-1002');
      // Read once per statement (an InitPlan), not a function call per row.
      const plan = (await rowsAs(client, 'acc_1', 'EXPLAIN SELECT * FROM tickets')).map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /InitPlan/);
      assert.doesNotMatch(plan, /portico_account_visible/);
    } finally {
      await client.end();
      await upgraded.close();
    }
  });

  it('a prepared read of a table another instance just migrated answers "unavailable, retry" once, then reads the new schema', async () => {
    const url = cluster.urlOf(cluster.createDatabase());
    const store = await PostgresStore.open(url, { poolSize: 1 });
    try {
      await store.pool.query(`SELECT set_config('portico.account_ids', '*', false);
        INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES ('acc_1', 'One', '[]', 'standard', NULL, 'account')`);
      assert.equal((await store.getAccount('acc_1'))?.name, 'One');
      await cluster.psql('ALTER TABLE accounts ADD COLUMN added_later text', new URL(url).pathname.slice(1));
      await assert.rejects(store.getAccount('acc_1'), StoreUnavailableError);
      assert.equal((await store.getAccount('acc_1'))?.name, 'One', 'a fresh connection prepares it again');
    } finally {
      await store.close();
    }
  });
});
