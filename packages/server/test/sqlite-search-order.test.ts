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
import type { Ticket } from '@portico/core';
import { MemoryStore, type SeedData, type Store, type TicketSearch } from '@portico/server';
import { MEMBER_A1_SCOPE, afterSqliteUpgrade, generatedSeed, makeStore, searchIds } from './helpers.ts';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const ACCOUNTS = ['acc_a', 'acc_b', 'acc_c'];
const N = 2_600;
const agent = { kind: 'agent' as const, id: 'agt', name: 'A' };

/**
 * Eight tickets a second, four at each of two milliseconds (ordered by id there, which is not
 * the number order); `alpha` only in the oldest 1,600 (so the newest 1,000 lack it), `beta` in every
 * third, `gamma` in old tickets of acc_a only, `delta` in runs of six tickets of one second
 * (which a page of three cuts); every fourth ticket private, of two requesters.
 */
function seedData(): SeedData {
  return generatedSeed(ACCOUNTS, ['con_a1', 'con_a2', 'con_b1', 'con_c1'], 'standard', new Date(NOW).toISOString(), N, (i) => {
    const accountId = i % 10 === 9 ? 'acc_b' : i % 10 === 8 ? 'acc_c' : 'acc_a';
    const requesterId = accountId === 'acc_a' ? (i % 3 === 0 ? 'con_a2' : 'con_a1') : `con_${accountId[4]}1`;
    const words = [
      i < 1_600 && i % 2 === 0 ? 'alpha' : 'plain',
      i % 3 === 0 ? 'beta' : '',
      i < 600 && accountId === 'acc_a' ? 'gamma' : '',
      i < 1_600 && i % 400 < 6 ? 'delta' : '',
    ];
    return {
      id: `t${String((i * 7_919) % N).padStart(5, '0')}`,
      ref: `T-${10_000 + i}`,
      accountId,
      subject: `ticket ${words.join(' ')}`,
      description: 'short',
      status: 'open' as const,
      priority: 'normal' as const,
      category: 'technical' as const,
      visibility: i % 4 === 1 ? ('private' as const) : ('account' as const),
      requester: { id: requesterId, name: requesterId, email: `${requesterId}@example.com` },
      createdAt: new Date(NOW - 1_000 * N + 1_000 * i).toISOString(),
      updatedAt: new Date(NOW + Math.floor(i / 8) * 1_000 + (i % 8 >= 4 ? 500 : 0)).toISOString(),
    };
  });
}

const member = MEMBER_A1_SCOPE;
const callers: Record<string, { scope: TicketSearch['scope']; accountIds: string[] }> = {
  member: { scope: member, accountIds: ['acc_a'] },
  'admin of two accounts': {
    scope: [
      { kind: 'all', accountId: 'acc_a' },
      { kind: 'all', accountId: 'acc_b' },
    ],
    accountIds: ['acc_a', 'acc_b'],
  },
};

/** Pages (several sizes, both sorts that take different paths) and counts equal the memory store's. */
async function assertSameSearches(sqlite: Store, memory: Store, when: string): Promise<void> {
  for (const [who, { scope, accountIds }] of Object.entries(callers)) {
    for (const text of ['alpha', 'alp', 'alpha beta', 'gamma', 'beta', 'delta', 'nowhere']) {
      // Small pages end inside a second's ties more often.
      const small = text === 'delta' ? ([['updated', 3]] as const) : text === 'alpha' || text === 'alpha beta' ? ([['updated', 7]] as const) : [];
      for (const [sort, limit] of [['updated', 50], ['created', 50], ...small] as const) {
        const search = { scope, filter: { accountIds, text }, sort, limit };
        const want = await searchIds(memory, search);
        assert.deepEqual(await searchIds(sqlite, search), want, `${when}: ${who} "${text}" by ${sort}, ${limit} a page`);
        assert.equal(await sqlite.countTickets(scope, search.filter), want.length, `${when}: count of ${who} "${text}"`);
      }
    }
  }
}

it('SQLite: search pages by last update equal the memory store when the words are missing from the newest tickets, and after writes move tickets', async () => {
  const seed = seedData();
  const memory = new MemoryStore();
  const { store: sqlite, dispose } = await makeStore('sqlite');
  try {
    await memory.load(seed);
    await sqlite.load(seed);
    const alpha = await searchIds(sqlite, { scope: member, filter: { accountIds: ['acc_a'], text: 'alpha' }, sort: 'updated', limit: 50 });
    assert.ok(alpha.length > 500, 'the word is common');
    const byId = new Map(seed.tickets.map((t) => [t.id, t]));
    const newest = seed.tickets.filter((t) => t.accountId === 'acc_a').slice(-700);
    assert.ok(!newest.some((t) => alpha.includes(t.id)), 'and missing from the newest 700 of the account');
    for (const id of alpha) {
      const t = byId.get(id)!;
      assert.ok(t.visibility === 'account' || t.requester.id === 'con_a1', `${id} is visible to the member`);
    }
    await assertSameSearches(sqlite, memory, 'as loaded');

    // Writes move tickets to the top: a comment with the word on an old ticket without it, a
    // comment without it and status changes on old tickets with it, several in one second.
    const shared = seed.tickets.filter((t) => t.accountId === 'acc_a' && t.visibility === 'account');
    const oldWithout = shared.find((t) => !t.subject.includes('alpha'))!;
    const oldWith = shared.filter((t) => t.subject.includes('alpha')).slice(0, 3);
    const later = (ms: number) => new Date(NOW + N * 1_000 + ms).toISOString();
    for (const store of [memory, sqlite]) {
      await store.addComment({ ticketId: oldWithout.id, author: agent, body: 'Alphanumeric codes', now: later(0) });
      await store.addComment({ ticketId: oldWith[0]!.id, author: agent, body: 'Nothing new', now: later(0) });
      await store.changeTicketStatus({ ticketId: oldWith[1]!.id, status: 'pending', actor: agent, now: later(0) });
      await store.changeTicketStatus({ ticketId: oldWith[2]!.id, status: 'solved', actor: agent, now: later(1_000) });
    }
    const top = await sqlite.searchTickets({ scope: member, filter: { accountIds: ['acc_a'], text: 'alp' }, sort: 'updated', limit: 4 });
    const touched = [
      oldWith[2]!.id,
      ...[oldWithout, oldWith[0]!, oldWith[1]!]
        .map((t) => t.id)
        .sort()
        .reverse(),
    ];
    assert.deepEqual(
      top.items.map((t: Ticket) => t.id),
      touched,
      'the tickets just written come first, the last one first, then the three of one second by id',
    );
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
