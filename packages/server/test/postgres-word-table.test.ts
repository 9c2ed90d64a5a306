/**
 * PostgreSQL's ticket_words (migration 9), on a real server: a database of the release before
 * it upgrades with its tickets' words filled in and its searches unchanged (equal to the
 * memory store's); the triggers keep the table after comments, moves and deletes; row-level
 * security holds a customer's unscoped query on it to its own accounts; and as the
 * application role (no BYPASSRLS) a search's word is an index condition of its B-tree.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { ticketScope, type Actor } from '@portico/core';
import { DEMO_ACCOUNTS, MemoryStore, demoSeed, searchWords, type SeedData, type Store } from '@portico/server';
import { POSTGRES_MIGRATIONS, PostgresStore } from '@portico/server/node';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { NOW, postgresDatabaseBefore } from './helpers.ts';

const WORD_TABLE = POSTGRES_MIGRATIONS.findIndex((m) => m.name.startsWith('ticket words'));

let cluster: PgCluster;
before(async () => {
  cluster = await startPgCluster();
});
after(() => cluster.stop());

/** `sql`'s rows with portico.account_ids set to `scope` for one transaction (undefined: not set). */
async function rowsAs(client: pg.Client, scope: string | undefined, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  await client.query('BEGIN');
  try {
    if (scope !== undefined) await client.query("SELECT set_config('portico.account_ids', $1, true)", [scope]);
    return (await client.query(sql, params)).rows;
  } finally {
    await client.query('COMMIT');
  }
}

/** Every row of ticket_words as "account word number", sorted. */
async function keptRows(client: pg.Client): Promise<string[]> {
  const rows = await rowsAs(client, '*', 'SELECT account_id, word, ticket_number FROM ticket_words');
  return rows.map((r) => `${r.account_id} ${r.word} ${r.ticket_number}`).sort();
}

/** The rows ticket_words must hold for `seed`: each ticket's distinct searchWords of its ref, subject, description and comments. */
function expectedRows(seed: SeedData): string[] {
  return seed.tickets
    .flatMap((t) => {
      const bodies = seed.comments.filter((c) => c.ticketId === t.id).map((c) => c.body);
      const words = new Set(searchWords([t.ref, t.subject, t.description, ...bodies].join(' ')));
      return [...words].map((w) => `${t.accountId} ${w} ${Number(t.ref.slice(2))}`);
    })
    .sort();
}

/** Ids of every page of a search, followed cursor by cursor up to 500. */
async function allIds(store: Store, actor: Actor, text: string): Promise<string[]> {
  const page = await store.searchTickets({ scope: ticketScope(actor), filter: { accountIds: [actor.accountId], text }, sort: 'updated', limit: 500 });
  return page.items.map((t) => t.id);
}

it('a database of schema 8 upgrades: ticket_words holds every ticket’s words, searches and counts are unchanged, and writes keep it', async () => {
  assert.ok(WORD_TABLE > 0, 'the migration exists');
  const seed = demoSeed(NOW);
  const url = await postgresDatabaseBefore(cluster, WORD_TABLE, seed);
  const memory = new MemoryStore();
  await memory.load(seed);
  const store = await PostgresStore.open(url);
  const client = new pg.Client(url);
  await client.connect();
  try {
    assert.deepEqual(await keptRows(client), expectedRows(seed), 'filled from the tickets of the old schema');

    // Every role of every account: searches and the list's counts as the memory store answers them.
    const vocabulary = [...new Set(seed.tickets.flatMap((t) => searchWords(t.subject)))];
    const texts = [...vocabulary.slice(0, 12), ...vocabulary.slice(0, 6).map((w) => w.slice(0, 3)), `${vocabulary[0]} ${vocabulary[1]}`, 'zzz'];
    for (const contact of seed.contacts) {
      const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role: contact.role, childAccountIds: [] };
      for (const text of texts) {
        assert.deepEqual(
          await store.runAs([actor.accountId], () => allIds(store, actor, text)),
          await allIds(memory, actor, text),
          `${contact.email}: ${text}`,
        );
        const views = [{ text }, { text, requesterIds: [contact.id] }, { text, statuses: ['open' as const] }];
        assert.deepEqual(
          await store.runAs([actor.accountId], () => store.countTicketsEach(ticketScope(actor), views)),
          await memory.countTicketsEach(ticketScope(actor), views),
          `${contact.email}: counts of ${text}`,
        );
      }
    }

    // A comment adds its new words; a ticket moved to another account by an operator's SQL moves
    // its words; a deleted ticket takes its words along.
    const [first, second] = seed.tickets.filter((t) => t.accountId === DEMO_ACCOUNTS.acme);
    await store.addComment({ ticketId: first!.id, author: { kind: 'agent', id: 'agt', name: 'A' }, body: 'Zorblattery happened', now: NOW.toISOString() });
    await rowsAs(client, '*', 'UPDATE tickets SET account_id = $1 WHERE id = $2', [DEMO_ACCOUNTS.globex, second!.id]);
    const gone = seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.globex)!;
    await rowsAs(client, '*', 'DELETE FROM tickets WHERE id = $1', [gone.id]);
    const after = expectedRows({
      ...seed,
      tickets: seed.tickets.filter((t) => t.id !== gone.id).map((t) => (t.id === second!.id ? { ...t, accountId: DEMO_ACCOUNTS.globex } : t)),
      comments: [
        ...seed.comments,
        { id: 'cmt_new', ticketId: first!.id, author: { kind: 'agent', id: 'agt', name: 'A' }, body: 'Zorblattery happened', createdAt: '' },
      ],
    });
    assert.deepEqual(await keptRows(client), after, 'after a comment, a move and a delete');
    const acmeAdmin: Actor = { contactId: 'nobody', accountId: DEMO_ACCOUNTS.acme, role: 'admin', childAccountIds: [] };
    assert.deepEqual(await store.runAs([DEMO_ACCOUNTS.acme], () => allIds(store, acmeAdmin, 'zorblat')), [first!.id], 'the new word is found');
  } finally {
    await client.end();
    await store.close();
    await memory.close();
  }
});

it("row-level security: a customer's unscoped query on ticket_words sees its own accounts only, and a word is an index condition", async () => {
  const url = cluster.urlOf(cluster.createDatabase());
  const store = await PostgresStore.open(url);
  await store.load(demoSeed(NOW));
  const client = new pg.Client(url);
  await client.connect();
  try {
    const accounts = async (scope: string | undefined) =>
      (await rowsAs(client, scope, 'SELECT DISTINCT account_id FROM ticket_words ORDER BY 1')).map((r) => r.account_id);
    assert.deepEqual(await accounts(undefined), [], 'unset: nothing');
    assert.deepEqual(await accounts(DEMO_ACCOUNTS.globex), [DEMO_ACCOUNTS.globex], 'a customer of one account: only its words');
    assert.ok((await accounts('*')).length > 1, "'*': every account");
    const other = await rowsAs(client, DEMO_ACCOUNTS.globex, 'SELECT count(*)::int AS n FROM ticket_words WHERE account_id = $1', [DEMO_ACCOUNTS.acme]);
    assert.equal(other[0]!.n, 0, "naming another account's rows finds none");

    // As the application role (no BYPASSRLS), the account and the word's range are the
    // B-tree's index condition, not a filter after the policy (seq scans off: the table is small).
    await client.query('BEGIN');
    await client.query(
      "SELECT set_config('portico.account_ids', $1, true), set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)",
      [DEMO_ACCOUNTS.globex],
    );
    const plan = (
      await client.query(`EXPLAIN SELECT ticket_number FROM ticket_words WHERE account_id = $1 AND word >= 'log' AND word < 'log' || chr(1114111)`, [
        DEMO_ACCOUNTS.globex,
      ])
    ).rows;
    await client.query('COMMIT');
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(text, /Index (Only )?Scan using ticket_words_pkey/);
    assert.match(text, /Index Cond: \(\(account_id = .*\) AND \(word >= 'log'/);
  } finally {
    await client.end();
    await store.close();
  }
});
