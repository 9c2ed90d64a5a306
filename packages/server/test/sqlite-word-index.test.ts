/**
 * SQLite's account-partitioned word index (migration 18): after an upgrade and after writes it
 * holds every ticket's words, and a search finds a word wherever the ticket holds it (subject,
 * description, a comment) and never another account's ticket. On SQLite and PostgreSQL, pages
 * of a search are the memory store's pages, both when a common word fills a page from the
 * first tickets in list order and when a rare word sits in old tickets only (the two ways
 * each store's `pageTickets` answers).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore, demoSeed, type SeedData } from '@portico/server';
import type { SqliteStore } from '@portico/server/node';
import { searchWordsText } from '../src/sqlite-store.ts';
import { afterSqliteUpgrade, makeStore, searchIds } from './helpers.ts';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const at = (minute: number) => new Date(NOW.getTime() + minute * 60_000).toISOString();

/** ticket_words as the triggers keep it, against the words of each ticket's texts read back. */
function wordsByQuery(store: SqliteStore): { kept: Map<number, string>; expected: Map<number, string> } {
  const kept = new Map<number, string>();
  for (const r of store.db.prepare('SELECT number, words FROM ticket_words').all()) kept.set(Number(r.number), String(r.words));
  const expected = new Map<number, string>();
  const tickets = store.db.prepare('SELECT id, number, ref, subject, description FROM tickets').all();
  const comments = store.db.prepare('SELECT body FROM comments WHERE ticket_id = ? ORDER BY rowid');
  for (const t of tickets) {
    const bodies = comments.all(String(t.id)).map((c) => String(c.body));
    expected.set(Number(t.number), searchWordsText([t.ref, t.subject, t.description, ...bodies].join(' ')));
  }
  return { kept, expected };
}

/** The set of words of each ticket, order aside (a comment appends its new words). */
const asSets = (m: Map<number, string>) => [...m].map(([n, w]) => [n, w.split(' ').filter(Boolean).sort().join(' ')]).sort();

it("SQLite: the word index holds every ticket's words after the upgrade and after writes, scoped to its account", async () => {
  const seed = demoSeed(NOW);
  await afterSqliteUpgrade(18, seed, async (store) => {
    let { kept, expected } = wordsByQuery(store);
    assert.equal(kept.size, seed.tickets.length);
    assert.deepEqual(asSets(kept), asSets(expected), 'after the upgrade');

    const [mine, other] = [seed.tickets[0]!, seed.tickets.find((t) => t.accountId !== seed.tickets[0]!.accountId)!];
    await store.addComment({ ticketId: mine.id, author: { kind: 'agent', id: 'agt', name: 'A' }, body: 'Quxwidget reindexed', now: at(1) });
    await store.addComment({ ticketId: other.id, author: { kind: 'agent', id: 'agt', name: 'A' }, body: 'Quxwidget elsewhere, Zorblat', now: at(2) });
    // No API edits a subject; an operator's SQL may, and the index follows.
    store.db.prepare('UPDATE tickets SET subject = ? WHERE id = ?').run('Flimflam in the subject', mine.id);
    ({ kept, expected } = wordsByQuery(store));
    assert.deepEqual(asSets(kept), asSets(expected), 'after comments and a subject change');

    const scope = [{ kind: 'all' as const, accountId: mine.accountId }];
    const search = (text: string, accountIds = [mine.accountId]) => searchIds(store, { scope, filter: { accountIds, text }, sort: 'updated', limit: 5 });
    assert.deepEqual(await search('quxwid'), [mine.id], "a word of a comment, as a prefix; the other account's ticket with it is not found");
    assert.deepEqual(await search('zorblat'), [], "a word only another account's ticket holds finds nothing");
    assert.deepEqual(await search('zorblat', [mine.accountId, other.accountId]), [], 'nor when its account is named but outside the scope');
    assert.deepEqual(await search('FLIMFLAM quxwidget'), [mine.id], 'words from the subject and a comment together');
    assert.deepEqual(await search(mine.ref), [mine.id], 'the reference');
    assert.deepEqual(await search('flimflam', []), [], 'no account: nothing');
  });
});

it('SQLite and PostgreSQL: search pages equal the memory store, for a word in most tickets and for words only in old tickets', async () => {
  // More tickets in one account than a search walks in list order before it turns to the index.
  const accounts = ['acc_big', 'acc_other'];
  const n = 2_600;
  const seed: SeedData = {
    accounts: accounts.map((id) => ({ id, name: id, domains: [`${id}.example`], tier: 'standard', parentId: null, defaultVisibility: 'account' })),
    contacts: accounts.map((accountId, i) => ({
      id: `con_${i}`,
      accountId,
      email: `c@${accountId}.example`,
      name: `C ${i}`,
      role: 'member',
      status: 'active',
      createdAt: at(0),
      lastSeenAt: null,
    })),
    tickets: Array.from({ length: n }, (_, i) => {
      const accountId = i % 10 === 9 ? 'acc_other' : 'acc_big';
      // Old tickets (low i) hold the rare words; every third holds the common one.
      const words = [
        i % 3 === 0 ? 'common' : 'plain',
        i < 40 ? 'rareword' : '',
        i % 500 === 1 ? 'sparse' : '',
        // In both accounts, some private: a member must never find or count another's private one.
        i % 97 === 4 ? 'seldom' : '',
        i % 89 === 0 ? 'seldomer' : '',
      ].join(' ');
      return {
        id: `t${String(i).padStart(5, '0')}`,
        ref: `T-${10_000 + i}`,
        accountId,
        subject: `ticket ${words}`,
        description: i % 7 === 0 ? 'described at length' : 'short',
        status: i % 7 === 3 ? ('solved' as const) : ('open' as const),
        priority: (['low', 'normal', 'high', 'urgent'] as const)[i % 4]!,
        category: 'technical' as const,
        visibility: i % 5 === 0 ? ('private' as const) : ('account' as const),
        requester: { id: accountId === 'acc_big' ? 'con_0' : 'con_1', name: 'C', email: 'c@x' },
        followerIds: [],
        assignee: null,
        escalated: false,
        commentCount: 0,
        createdAt: at(i),
        updatedAt: at(i + (i % 13) * 50),
        version: 1,
      };
    }),
    comments: [
      { id: 'cm_old', ticketId: 't00002', author: { kind: 'agent' as const, id: 'a', name: 'A' }, body: 'commentonly word here', createdAt: at(3) },
      {
        id: 'cm_new',
        ticketId: `t${String(n - 3).padStart(5, '0')}`,
        author: { kind: 'agent' as const, id: 'a', name: 'A' },
        body: 'Commentonly too',
        createdAt: at(n),
      },
    ],
    activity: [],
  };
  const memory = new MemoryStore();
  const stores = await Promise.all((['sqlite', 'postgres'] as const).map((kind) => makeStore(kind)));
  try {
    await memory.load(seed);
    for (const { store } of stores) await store.load(seed);
    const member = { contactId: 'con_1', accountId: 'acc_big', role: 'member' as const };
    const scopes = {
      admin: [{ kind: 'all' as const, accountId: 'acc_big' }],
      member: [
        { kind: 'involved' as const, accountId: member.accountId, contactId: 'con_9' },
        { kind: 'shared' as const, accountId: member.accountId, categories: null },
      ],
      'admin of both accounts': accounts.map((accountId) => ({ kind: 'all' as const, accountId })),
      'member of one, admin of the other': [
        { kind: 'involved' as const, accountId: 'acc_big', contactId: 'con_9' },
        { kind: 'shared' as const, accountId: 'acc_big', categories: null },
        { kind: 'all' as const, accountId: 'acc_other' },
      ],
    };
    const texts = ['common', 'comm', 'rareword', 'rarew', 'sparse', 'spars', 'seldom', 'seldome', 'sel', 'commentonly'];
    texts.push('common rareword', 'plain described', 'seldom sparse', 'rareword seldomer', 'sparse commo', 'nowhere', 'T-10009', 't 10009');
    for (const [who, scope] of Object.entries(scopes)) {
      const reached = [...new Set(scope.map((clause) => clause.accountId))];
      for (const text of texts) {
        for (const sort of ['updated', 'created', 'priority'] as const) {
          const search = { scope, filter: { accountIds: reached, text }, sort, limit: 20 };
          const want = await searchIds(memory, search);
          for (const [i, { store }] of stores.entries()) {
            assert.deepEqual(await searchIds(store, search), want, `store ${i}: ${who} ${text} ${sort}`);
            assert.equal(await store.countTickets(scope, search.filter), want.length, `store ${i}: count ${who} ${text}`);
          }
        }
        // The list's counts with words (one per view), as the first page asks for them.
        const views = [{}, { statuses: ['open' as const] }, { requesterIds: ['con_0'] }, { priorities: ['urgent' as const] }].map((f) => ({ ...f, text }));
        const counts = await memory.countTicketsEach(scope, views);
        for (const [i, { store }] of stores.entries())
          assert.deepEqual(await store.countTicketsEach(scope, views), counts, `store ${i}: counts ${who} ${text}`);
      }
    }
    // The first page of a common word comes from the walk, of a rare one from the index: both
    // are checked above; here the rare word exists only past the walk.
    for (const { store } of stores) {
      const rare = await store.searchTickets({ scope: scopes.admin, filter: { accountIds: ['acc_big'], text: 'rareword' }, sort: 'updated', limit: 50 });
      assert.equal(rare.items.length, 36, 'every old ticket of the account with the word, none of the other account');
    }
  } finally {
    await memory.close();
    for (const { dispose } of stores) await dispose();
  }
});
