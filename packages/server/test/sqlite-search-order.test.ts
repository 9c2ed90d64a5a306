/**
 * SQLite's word index in list order (migration 20): a search sorted by last update reads the
 * index's matches newest first and stops after a page. Its pages and counts equal the memory
 * store's when the words are missing from the newest tickets (more of them than a page walks
 * before it turns to the index), across several accounts, for prefixes and two words, with
 * many tickets updated inside one second, after writes that move old tickets to the top, and
 * after the upgrade from schema 19. A member never finds another contact's private ticket.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '@portico/server';
import { afterSqliteUpgrade, makeStore } from './helpers.ts';
import { N, NOW, agent, assertSameSearches, assertWordIsOld, assertWritesMoveTicketsUp, seedData } from './search-order-data.ts';

it('SQLite: search pages by last update equal the memory store when the words are missing from the newest tickets, and after writes move tickets', async () => {
  const seed = seedData();
  const memory = new MemoryStore();
  const { store: sqlite, dispose } = await makeStore('sqlite');
  try {
    await memory.load(seed);
    await sqlite.load(seed);
    await assertWordIsOld(sqlite, seed);
    await assertSameSearches(sqlite, memory, 'as loaded');
    await assertWritesMoveTicketsUp(sqlite, memory, seed);
    await assertSameSearches(sqlite, memory, 'after writes');
  } finally {
    await dispose();
    await memory.close();
  }
});

it('SQLite: after the upgrade to the word index in list order, search pages equal the memory store and writes keep it', async () => {
  const seed = seedData();
  const memory = new MemoryStore();
  await memory.load(seed);
  await afterSqliteUpgrade(20, seed, async (sqlite) => {
    const rows = sqlite.db.prepare('SELECT count(*) AS n FROM ticket_word_index').get()!;
    assert.equal(Number(rows.n), N, 'one index row per ticket');
    await assertSameSearches(sqlite, memory, 'after the upgrade');
    const ticket = seed.tickets[10]!;
    for (const store of [memory, sqlite])
      await store.addComment({ ticketId: ticket.id, author: agent, body: 'gamma rays', now: new Date(NOW + N * 1_000).toISOString() });
    await assertSameSearches(sqlite, memory, 'after a comment');
  });
  await memory.close();
});
