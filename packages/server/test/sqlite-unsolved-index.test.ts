/**
 * SQLite's partial index of unsolved tickets (migration 21): after the upgrade from schema 20,
 * the Unsolved view's page query walks `tickets_account_unsolved` (on a file without planner
 * statistics, as a vendor's is), and its pages equal the memory store's, for any order of the
 * unsolved statuses, for a member who must not see other contacts' private tickets, and after
 * writes that solve and reopen tickets.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { UNSOLVED_STATUSES, type TicketStatus } from '@portico/core';
import { MemoryStore, type SeedData, type Store, type TicketSearch } from '@portico/server';
import type { SqliteStore } from '@portico/server/node';
import { MEMBER_A1_SCOPE, afterSqliteUpgrade, searchIds, seedMembers, seedTicket } from './helpers.ts';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const N = 400;
const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];

/** Two accounts; tickets of every status, every third private, of two requesters of acc_a. */
function seedData(): SeedData {
  return {
    accounts: ['acc_a', 'acc_b'].map((id) => ({ id, name: id, domains: [`${id}.example`], tier: 'premier', parentId: null, defaultVisibility: 'account' })),
    contacts: seedMembers(['con_a1', 'con_a2', 'con_b1'], new Date(NOW).toISOString()),
    tickets: Array.from({ length: N }, (_, i) => {
      const accountId = i % 5 === 4 ? 'acc_b' : 'acc_a';
      return seedTicket({
        id: `t${String((i * 7_919) % N).padStart(4, '0')}`,
        ref: `T-${10_000 + i}`,
        accountId,
        subject: `ticket ${i}`,
        description: 'short',
        status: STATUSES[(i * 3) % STATUSES.length]!,
        visibility: i % 3 === 1 ? 'private' : 'account',
        requesterId: accountId === 'acc_b' ? 'con_b1' : i % 2 === 0 ? 'con_a1' : 'con_a2',
        createdAt: new Date(NOW - 1_000 * N + 1_000 * i).toISOString(),
        // Pairs of tickets updated in the same millisecond: the page order then falls to the id.
        updatedAt: new Date(NOW + Math.floor(i / 2) * 1_000).toISOString(),
      });
    }),
    comments: [],
    activity: [],
  };
}

const member = MEMBER_A1_SCOPE;
const everything: TicketSearch['scope'] = [{ kind: 'all', accountId: 'acc_a' }];

async function assertSameUnsolvedPages(sqlite: Store, memory: Store, when: string): Promise<void> {
  for (const scope of [member, everything]) {
    for (const statuses of [[...UNSOLVED_STATUSES], [...UNSOLVED_STATUSES].reverse(), ['open', 'pending'] as TicketStatus[]]) {
      const search = { scope, filter: { accountIds: ['acc_a'], statuses }, sort: 'updated' as const, limit: 7 };
      const [got, want] = [await searchIds(sqlite, search), await searchIds(memory, search)];
      assert.ok(want.length > 20, 'the case has several pages');
      assert.deepEqual(got, want, `${when}: ${statuses.join(',')} as ${scope === member ? 'member' : 'admin'}`);
    }
  }
}

/** The SQL of every statement the store prepares while `run` runs. */
async function preparedWhile(store: SqliteStore, run: () => Promise<unknown>): Promise<string[]> {
  const prepared: string[] = [];
  const prepare = store.db.prepare.bind(store.db);
  store.db.prepare = (sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  };
  try {
    await run();
  } finally {
    store.db.prepare = prepare;
  }
  return prepared;
}

it('the Unsolved view walks the partial index of unsolved tickets after the upgrade, with the memory store’s pages', async () => {
  const seed = seedData();
  const memory = new MemoryStore();
  await memory.load(seed);
  await afterSqliteUpgrade(21, seed, async (sqlite) => {
    assert.equal(sqlite.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").get()!.n, 0, 'no planner statistics');
    const statements = await preparedWhile(sqlite, () =>
      sqlite.searchTickets({ scope: member, filter: { accountIds: ['acc_a'], statuses: [...UNSOLVED_STATUSES] }, sort: 'updated', limit: 7 }),
    );
    const walk = statements.find((sql) => sql.includes('t.rowid IN (SELECT t.rowid FROM tickets t'));
    assert.ok(walk, 'the page query picks its rowids first');
    const plan = sqlite.db.prepare(`EXPLAIN QUERY PLAN ${walk}`).all();
    assert.ok(
      plan.some((row) => String(row.detail).includes('tickets_account_unsolved')),
      JSON.stringify(plan.map((row) => row.detail)),
    );

    await assertSameUnsolvedPages(sqlite, memory, 'after the upgrade');
    // Solve some unsolved tickets and reopen a solved one: they leave and enter the index.
    const agent = { kind: 'agent' as const, id: 'agt', name: 'A' };
    for (const [i, ticket] of seed.tickets.slice(0, 40).entries()) {
      const status: TicketStatus = ticket.status === 'solved' ? 'open' : i % 2 === 0 ? 'solved' : 'pending';
      for (const store of [memory, sqlite] as Store[]) {
        const result = await store.updateTicket({
          ticketId: ticket.id,
          changes: { status },
          actor: agent,
          now: new Date(NOW + N * 1_000 + i * 1_000).toISOString(),
        });
        assert.equal(result.state, 'updated');
      }
    }
    await assertSameUnsolvedPages(sqlite, memory, 'after writes');
  });
  await memory.close();
});
