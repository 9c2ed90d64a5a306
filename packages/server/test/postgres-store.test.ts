/**
 * The PostgreSQL store against the shared conformance suite, on a real PostgreSQL server
 * started for this file (test/support/postgres.ts; a missing PostgreSQL fails, never skips).
 * The schema is migrated once; each store of the suite starts from emptied tables.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresStore } from '@portico/server/node';
import { startPgCluster } from '../../../test/support/postgres.ts';
import { storeConformance } from './store-conformance.ts';
import { TICKET_COLUMNS } from '../src/postgres-store.ts';

const cluster = await startPgCluster();
after(() => cluster.stop());

const setup = await PostgresStore.open(cluster.url);
await setup.close();

/** Empties every table of the schema (as the app role, which owns them). */
async function emptyTables(): Promise<void> {
  const client = new pg.Client(cluster.url);
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('portico_migrations', 'ticket_numbers')",
    );
    await client.query(`TRUNCATE ${rows.map((r) => r.t).join(', ')} RESTART IDENTITY CASCADE; UPDATE ticket_numbers SET last = 1000`);
  } finally {
    await client.end();
  }
}

storeConformance('PostgresStore', async () => {
  await emptyTables();
  return new PostgresStore(cluster.url, { poolSize: 4 });
});

test('a ticket read returns every column of the tickets table but its search words', async () => {
  // A column a migration adds and TICKET_COLUMNS leaves out would never reach the API.
  const client = new pg.Client(cluster.url);
  await client.connect();
  try {
    const { rows } = await client.query<{ c: string }>(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'tickets' ORDER BY ordinal_position",
    );
    assert.deepEqual(
      [...TICKET_COLUMNS].sort(),
      rows
        .map((r) => r.c)
        .filter((c) => c !== 'search_vector' && c !== 'subject_vector')
        .sort(),
    );
  } finally {
    await client.end();
  }
});
