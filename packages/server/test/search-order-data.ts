/**
 * The data and checks of the search-order tests of both SQL stores (sqlite-search-order and
 * postgres-search-order): tickets whose words are missing from the newest of them, several
 * accounts, a member's scope, ties inside one second, and writes that move old tickets up.
 */
import assert from 'node:assert/strict';
import type { Ticket } from '@portico/core';
import type { SeedData, Store, TicketSearch } from '@portico/server';
import { MEMBER_A1_SCOPE, searchIds, seedMembers, seedTicket } from './helpers.ts';

/** Runs a caller's store calls (PostgreSQL: under its accounts' scope; the others: as they are). */
type As = <T>(accountIds: string[], fn: () => Promise<T>) => Promise<T>;

export const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const ACCOUNTS = ['acc_a', 'acc_b', 'acc_c'];
export const N = 2_600;
export const agent = { kind: 'agent' as const, id: 'agt', name: 'A' };

/**
 * Eight tickets a second, four at each of two milliseconds (ordered by id there, which is not
 * the number order); `alpha` only in the oldest 1,600 (so the newest 1,000 lack it), `beta` in every
 * third, `gamma` in old tickets of acc_a only, `delta` in runs of six tickets of one second
 * (which a page of three cuts); every fourth ticket private, of two requesters.
 */
export function seedData(): SeedData {
  return {
    accounts: ACCOUNTS.map((id) => ({ id, name: id, domains: [`${id}.example`], tier: 'standard', parentId: null, defaultVisibility: 'account' })),
    contacts: seedMembers(['con_a1', 'con_a2', 'con_b1', 'con_c1'], new Date(NOW).toISOString()),
    tickets: Array.from({ length: N }, (_, i) => {
      const accountId = i % 10 === 9 ? 'acc_b' : i % 10 === 8 ? 'acc_c' : 'acc_a';
      const requesterId = accountId === 'acc_a' ? (i % 3 === 0 ? 'con_a2' : 'con_a1') : `con_${accountId[4]}1`;
      const words = [
        i < 1_600 && i % 2 === 0 ? 'alpha' : 'plain',
        i % 3 === 0 ? 'beta' : '',
        i < 600 && accountId === 'acc_a' ? 'gamma' : '',
        i < 1_600 && i % 400 < 6 ? 'delta' : '',
      ];
      return seedTicket({
        id: `t${String((i * 7_919) % N).padStart(5, '0')}`,
        ref: `T-${10_000 + i}`,
        accountId,
        subject: `ticket ${words.join(' ')}`,
        description: 'short',
        status: 'open',
        visibility: i % 4 === 1 ? 'private' : 'account',
        requesterId,
        createdAt: new Date(NOW - 1_000 * N + 1_000 * i).toISOString(),
        updatedAt: new Date(NOW + Math.floor(i / 8) * 1_000 + (i % 8 >= 4 ? 500 : 0)).toISOString(),
      });
    }),
    comments: [],
    activity: [],
  };
}

export const member = MEMBER_A1_SCOPE;
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

/**
 * Pages (several sizes, both sorts that take different paths) and counts of `store` equal the
 * memory store's; `as` runs each of a caller's calls (PostgreSQL: under its accounts' scope).
 */
export async function assertSameSearches(store: Store, memory: Store, when: string, as: As = (_, fn) => fn()): Promise<void> {
  for (const [who, { scope, accountIds }] of Object.entries(callers)) {
    for (const text of ['alpha', 'alp', 'alpha beta', 'gamma', 'beta', 'delta', 'nowhere']) {
      // Small pages end inside a second's ties more often.
      const small = text === 'delta' ? ([['updated', 3]] as const) : text === 'alpha' || text === 'alpha beta' ? ([['updated', 7]] as const) : [];
      for (const [sort, limit] of [['updated', 50], ['created', 50], ...small] as const) {
        const search = { scope, filter: { accountIds, text }, sort, limit };
        const want = await searchIds(memory, search);
        assert.deepEqual(await as(accountIds, () => searchIds(store, search)), want, `${when}: ${who} "${text}" by ${sort}, ${limit} a page`);
        assert.equal(await as(accountIds, () => store.countTickets(scope, search.filter)), want.length, `${when}: count of ${who} "${text}"`);
      }
    }
  }
}

/** `alpha` is common in acc_a, missing from its newest 700 tickets, and found only where the member may look. */
export async function assertWordIsOld(store: Store, seed: SeedData, as: As = (_, fn) => fn()): Promise<void> {
  const alpha = await as(['acc_a'], () => searchIds(store, { scope: member, filter: { accountIds: ['acc_a'], text: 'alpha' }, sort: 'updated', limit: 50 }));
  assert.ok(alpha.length > 500, 'the word is common');
  const byId = new Map(seed.tickets.map((t) => [t.id, t]));
  const newest = seed.tickets.filter((t) => t.accountId === 'acc_a').slice(-700);
  assert.ok(!newest.some((t) => alpha.includes(t.id)), 'and missing from the newest 700 of the account');
  for (const id of alpha) {
    const t = byId.get(id)!;
    assert.ok(t.visibility === 'account' || t.requester.id === 'con_a1', `${id} is visible to the member`);
  }
}

/**
 * Writes that move tickets to the top, on both stores: a comment with the word on an old ticket
 * without it, a comment without it and status changes on old tickets with it, several in one
 * second; the first page of `store` then starts with them in list order.
 */
export async function assertWritesMoveTicketsUp(store: Store, memory: Store, seed: SeedData, as: As = (_, fn) => fn()): Promise<void> {
  const shared = seed.tickets.filter((t) => t.accountId === 'acc_a' && t.visibility === 'account');
  const oldWithout = shared.find((t) => !t.subject.includes('alpha'))!;
  const oldWith = shared.filter((t) => t.subject.includes('alpha')).slice(0, 3);
  const later = (ms: number) => new Date(NOW + N * 1_000 + ms).toISOString();
  for (const s of [memory, store]) {
    await s.addComment({ ticketId: oldWithout.id, author: agent, body: 'Alphanumeric codes', now: later(0) });
    await s.addComment({ ticketId: oldWith[0]!.id, author: agent, body: 'Nothing new', now: later(0) });
    await s.changeTicketStatus({ ticketId: oldWith[1]!.id, status: 'pending', actor: agent, now: later(0) });
    await s.changeTicketStatus({ ticketId: oldWith[2]!.id, status: 'solved', actor: agent, now: later(1_000) });
  }
  const top = await as(['acc_a'], () => store.searchTickets({ scope: member, filter: { accountIds: ['acc_a'], text: 'alp' }, sort: 'updated', limit: 4 }));
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
}
