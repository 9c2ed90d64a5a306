/**
 * PostgreSQL's ticket_words in list order (migration 10), on a real server: a search sorted by
 * last update reads a word's rows newest first and stops after a page. Its pages and counts
 * equal the memory store's when the words are missing from the newest tickets, across several
 * accounts, for a member's scope, prefixes and two words, with many tickets updated inside one
 * second (pages cutting those runs), after writes that move old tickets to the top, for a word
 * beginning too many words to merge (the walk instead), and after the upgrade from schema 9.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { MemoryStore, type Store } from '@portico/server';
import { POSTGRES_MIGRATIONS, PostgresStore } from '@portico/server/node';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { postgresDatabaseBefore, searchIds } from './helpers.ts';
import { N, NOW, agent, assertSameSearches, assertWordIsOld, assertWritesMoveTicketsUp, member, seedData } from './search-order-data.ts';

const IN_ORDER = POSTGRES_MIGRATIONS.findIndex((m) => m.name.startsWith('ticket words in list order'));

let cluster: PgCluster;
before(async () => {
  cluster = await startPgCluster();
});
after(() => cluster.stop());

/** Each caller's calls under its accounts' row-level-security scope. */
const scoped =
  (store: PostgresStore) =>
  <T>(accountIds: string[], fn: () => Promise<T>): Promise<T> =>
    store.runAs(accountIds, fn);

/** ticket_words rows that do not carry their ticket's number and last update, and tickets' words missing from it. */
async function strayRows(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query("BEGIN; SELECT set_config('portico.account_ids', '*', true)");
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM (
      (SELECT account_id, unnest(tsvector_to_array(search_vector)), updated_at, number FROM tickets EXCEPT ALL SELECT * FROM ticket_words)
      UNION ALL (SELECT * FROM ticket_words EXCEPT ALL SELECT account_id, unnest(tsvector_to_array(search_vector)), updated_at, number FROM tickets)) x`);
    await client.query('COMMIT');
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/** A word beginning more words than a page merges (every ticket's number begins with 1): the member's pages equal the memory store's. */
async function assertManyWords(store: PostgresStore, memory: Store): Promise<void> {
  const search = { scope: member, filter: { accountIds: ['acc_a'], text: '1' }, sort: 'updated' as const, limit: 200 };
  assert.deepEqual(await store.runAs(['acc_a'], () => searchIds(store, search)), await searchIds(memory, search), 'a prefix of thousands of words');
}

it('PostgreSQL: search pages by last update equal the memory store when the words are missing from the newest tickets, and after writes move tickets', async () => {
  const seed = seedData();
  const memory = new MemoryStore();
  const url = cluster.urlOf(cluster.createDatabase());
  const store = await PostgresStore.open(url, { poolSize: 4 });
  try {
    await memory.load(seed);
    await store.load(seed);
    await assertWordIsOld(store, seed, scoped(store));
    await assertSameSearches(store, memory, 'as loaded', scoped(store));
    await assertManyWords(store, memory);
    await assertWritesMoveTicketsUp(store, memory, seed, scoped(store));
    await assertSameSearches(store, memory, 'after writes', scoped(store));
    assert.equal(await strayRows(url), 0, 'ticket_words holds each ticket’s words at its last update, and nothing else');
  } finally {
    await store.close();
    await memory.close();
  }
});

it('PostgreSQL: a database of schema 9 upgrades with its tickets’ words in list order, search pages equal the memory store, and writes keep it', async () => {
  assert.ok(IN_ORDER > 0, 'the migration exists');
  const seed = seedData();
  const memory = new MemoryStore();
  await memory.load(seed);
  const url = await postgresDatabaseBefore(cluster, IN_ORDER, seed);
  const store = await PostgresStore.open(url, { poolSize: 4 });
  try {
    assert.equal(await strayRows(url), 0, 'filled from the tickets of the old schema');
    await assertSameSearches(store, memory, 'after the upgrade', scoped(store));
    const ticket = seed.tickets[10]!;
    for (const s of [memory, store])
      await s.addComment({ ticketId: ticket.id, author: agent, body: 'gamma rays', now: new Date(NOW + N * 1_000).toISOString() });
    assert.equal(await strayRows(url), 0, 'a comment moves its ticket’s words to its new last update');
    await assertSameSearches(store, memory, 'after a comment', scoped(store));
  } finally {
    await store.close();
    await memory.close();
  }
});
