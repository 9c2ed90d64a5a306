/**
 * Similar tickets (the new-ticket form's duplicate check) in an account with more tickets per
 * word than a search considers: for each typed term only its SIMILAR_PER_TERM most recently
 * updated tickets (and the rest of the last one's second) are candidates, a rare term reaches
 * back to its oldest ticket, rarer terms weigh more, a subject hit more than a description or
 * comment hit, then the newest first (docs/ticket-form.md, "Possible duplicates"). The SQLite
 * and PostgreSQL stores, which read each term's candidates from their word indexes, answer as
 * the memory store, also after writes move old tickets to the top. Another account's tickets
 * never count.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { UNSOLVED_STATUSES, type Ticket, type TicketScope } from '@portico/core';
import { SIMILAR_PER_TERM, searchWords, type SeedData, type SimilarSearch, type Store } from '@portico/server';
import { seedMembers, seedTicket, withStoreAndMemory } from './helpers.ts';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const N = 480;
const agent = { kind: 'agent' as const, id: 'agt', name: 'A' };

/**
 * Four tickets a second, two at each of two milliseconds (ordered by id there, which is not the
 * number order); every tenth ticket of acc_b. `printer` in three tickets of four (in the subject
 * of every other one, else in the description), `toner` in a comment of every sixth, `zeppelin`
 * in the subject of the oldest ticket of each account, `quasar` in the description of acc_a's
 * second oldest; every fifth ticket solved, every seventh private to another requester.
 */
function seedData(): SeedData {
  const tickets = Array.from({ length: N }, (_, i) => {
    const accountId = i % 10 === 9 ? 'acc_b' : 'acc_a';
    const requesterId = accountId === 'acc_b' ? 'con_b1' : i % 7 === 3 ? 'con_a2' : 'con_a1';
    const printer = i % 4 !== 3;
    return seedTicket({
      id: `t${String((i * 7_919) % N).padStart(5, '0')}`,
      ref: `T-${10_000 + i}`,
      accountId,
      subject: `${printer && i % 2 === 0 ? 'Printer' : 'Device'} ${i === 0 || i === 9 ? 'zeppelin' : 'issue'}`,
      description: `${printer && i % 2 === 1 ? 'The printer stopped.' : 'It stopped.'} ${i === 1 ? 'Quasar mode.' : ''}`,
      status: i % 5 === 4 ? 'solved' : 'open',
      visibility: i % 7 === 3 ? 'private' : 'account',
      requesterId,
      createdAt: new Date(NOW - 1_000 * N + 1_000 * i).toISOString(),
      updatedAt: new Date(NOW + Math.floor(i / 4) * 1_000 + (i % 4 >= 2 ? 500 : 0)).toISOString(),
    });
  });
  return {
    accounts: ['acc_a', 'acc_b'].map((id) => ({ id, name: id, domains: [`${id}.example`], tier: 'standard', parentId: null, defaultVisibility: 'account' })),
    contacts: seedMembers(['con_a1', 'con_a2', 'con_b1'], new Date(NOW).toISOString()),
    tickets,
    comments: tickets
      .filter((_, i) => i % 6 === 0)
      .map((t, i) => ({ id: `cmt_${i}`, ticketId: t.id, author: agent, body: 'Replaced the toner.', createdAt: t.createdAt })),
    activity: [],
  };
}

/** The member con_a1: shared tickets of acc_a and their own private ones. */
const member: TicketScope = [
  { kind: 'involved', accountId: 'acc_a', contactId: 'con_a1' },
  { kind: 'shared', accountId: 'acc_a', categories: null },
];
const search = (text: string, limit = 5): SimilarSearch => ({ scope: member, accountIds: ['acc_a'], statuses: UNSOLVED_STATUSES, text, limit });
const second = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The tickets of acc_a holding a word (whole word or, for a prefix, beginning one), newest first, from the tickets' own text. */
async function holding(store: Store, word: string, prefix: boolean): Promise<Ticket[]> {
  const all = await store.searchTickets({ scope: [{ kind: 'all', accountId: 'acc_a' }], filter: { accountIds: ['acc_a'] }, sort: 'updated', limit: 1_000 });
  const out: Ticket[] = [];
  for (const t of all.items) {
    const comments = await store.listComments(t.id, { limit: 100 });
    const words = searchWords(`${t.ref} ${t.subject} ${t.description} ${comments.items.map((c) => c.body).join(' ')}`);
    if (words.some((w) => (prefix ? w.startsWith(word) : w === word))) out.push(t);
  }
  return out;
}

const visibleOpen = (t: Ticket) => (UNSOLVED_STATUSES as readonly string[]).includes(t.status) && (t.visibility === 'account' || t.requester.id === 'con_a1');

const ids = async (store: Store, text: string, limit = 5) => (await store.findSimilarTickets(search(text, limit))).map((t) => t.id);

/** Both stores offer the same tickets in the same order, for whole words, prefixes and several terms, to a member and an admin. */
async function assertSame(store: Store, memory: Store, when: string): Promise<void> {
  const admin: TicketScope = [{ kind: 'all', accountId: 'acc_a' }];
  for (const text of ['printer', 'print', 'printer ', 'toner', 'printer toner', 'zeppelin printer', 'quasar printer', 'device issue', 'alphanum', 'nowhere']) {
    for (const scope of [member, admin]) {
      const s = { ...search(text), scope };
      assert.deepEqual(
        (await store.findSimilarTickets(s)).map((t) => t.ref),
        (await memory.findSimilarTickets(s)).map((t) => t.ref),
        `${when}: "${text}"`,
      );
    }
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  it(`similar tickets on ${kind}: each term offers its newest tickets, rare terms reach back, rarer and subject hits first; equal to the memory store`, async () => {
    const seed = seedData();
    await withStoreAndMemory(kind, seed, async (other, memory) => {
      for (const store of [memory, other]) {
        const printers = await holding(store, 'printer', false);
        assert.ok(printers.length > SIMILAR_PER_TERM + 50, 'the word is in more tickets than a search considers');
        // The window: the newest SIMILAR_PER_TERM, and the rest of the last one's second.
        const from = second(printers[SIMILAR_PER_TERM - 1]!.updatedAt);
        const window = printers.filter((t) => second(t.updatedAt) >= from);
        assert.ok(window.length > SIMILAR_PER_TERM, 'the last second of the window holds more than one ticket');
        const offered = await store.findSimilarTickets(search('printer', 5));
        const inWindow = window.filter(visibleOpen);
        assert.equal(offered.length, 5);
        // Among equals (one term) a subject hit first, then the newest.
        const subjectFirst = [...inWindow.filter((t) => /printer/i.test(t.subject)), ...inWindow.filter((t) => !/printer/i.test(t.subject))];
        assert.deepEqual(
          offered.map((t) => t.ref),
          subjectFirst.slice(0, 5).map((t) => t.ref),
        );
        // Every open, visible ticket of the window is a candidate, and none older.
        const all = await store.findSimilarTickets(search('printer', 1_000));
        assert.deepEqual(all.map((t) => t.ref).sort(), inWindow.map((t) => t.ref).sort());
        const oldest = seed.tickets[0]!;
        assert.ok(!all.some((t) => t.id === oldest.id), 'the oldest printer ticket is out of the window of "printer"');

        // A rare term reaches back to it: "zeppelin" is in its subject (and in acc_b's, which never counts).
        assert.deepEqual((await ids(store, 'zeppelin printer')).slice(0, 1), [oldest.id]);
        // A rare term in a description weighs more than a common one in a subject.
        assert.equal((await store.findSimilarTickets(search('printer quasar')))[0]?.id, seed.tickets[1]!.id);
        // A word only in comments counts; private tickets of others and solved ones never appear.
        const toner = await store.findSimilarTickets(search('toner', 1_000));
        const toners = (await holding(store, 'toner', false)).filter(visibleOpen);
        assert.ok(toners.length > 10 && toners.length < SIMILAR_PER_TERM);
        assert.deepEqual(
          toner.map((t) => t.ref),
          toners.map((t) => t.ref),
          'one term in comments only: every visible open ticket holding it, newest first',
        );
        for (const t of all) assert.ok(visibleOpen(t) && t.accountId === 'acc_a', `${t.ref} may be offered`);
      }
      await assertSame(other, memory, 'as loaded');

      // Writes move old tickets to the top: a comment with a new word on an old ticket and a
      // status change in one second, then a comment on the oldest printer ticket.
      const later = (ms: number) => new Date(NOW + N * 1_000 + ms).toISOString();
      for (const store of [memory, other]) {
        await store.addComment({ ticketId: seed.tickets[5]!.id, author: agent, body: 'Alphanumeric codes', now: later(0) });
        await store.changeTicketStatus({ ticketId: seed.tickets[6]!.id, status: 'pending', actor: agent, now: later(0) });
        await store.addComment({ ticketId: seed.tickets[0]!.id, author: agent, body: 'Still jammed', now: later(1_000) });
      }
      assert.deepEqual(
        await ids(other, 'printer', 2),
        [0, 6].map((i) => seed.tickets[i]!.id),
        'tickets just written are the newest printer tickets now',
      );
      assert.deepEqual(await ids(other, 'alphanum'), [seed.tickets[5]!.id], 'a comment adds its words at once');
      await assertSame(other, memory, 'after writes');
    });
  });
}
