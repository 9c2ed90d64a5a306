import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import { NOW } from './helpers.ts';

/** Ticket ids whose subject, description or comments match an FTS5 query, best first. */
function match(store: SqliteStore, query: string): string[] {
  const rows = store.db
    .prepare(
      `WITH hits AS MATERIALIZED (
         SELECT ticket_id, bm25(ticket_text, 0, 0, 3.0, 1.0) AS rank FROM ticket_text WHERE ticket_text MATCH ?
       )
       SELECT ticket_id, min(rank) AS best FROM hits GROUP BY ticket_id ORDER BY best`,
    )
    .all(query) as { ticket_id: string }[];
  return rows.map((r) => r.ticket_id);
}

describe('SQLite full-text index', () => {
  it('indexes seeded tickets, new tickets and new comments, ranking subject hits first', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const seed = demoSeed(NOW);
      await store.load(seed);
      const sso = seed.tickets.find((t) => /sso/i.test(t.subject))!;
      assert.ok(match(store, 'sso').includes(sso.id), 'a seeded ticket is found by a word of its subject');
      assert.deepEqual(match(store, 'zyxwvut'), []);

      await store.addComment({
        ticketId: sso.id,
        author: { kind: 'agent', id: 'agt_1', name: 'Agent' },
        body: 'Looking at the zyxwvut logs now',
        now: NOW.toISOString(),
      });
      assert.deepEqual(match(store, 'zyxwvut'), [sso.id], 'a new comment is searchable at once');

      const created = await store.createTicket({
        accountId: sso.accountId,
        requesterId: sso.requester.id,
        subject: 'Qwertzuiop widget crash',
        description: 'It crashes.',
        category: 'technical',
        priority: 'normal',
        visibility: 'account',
        actor: { kind: 'contact', id: sso.requester.id, name: 'x' },
        now: NOW.toISOString(),
      });
      await store.addComment({
        ticketId: sso.id,
        author: { kind: 'agent', id: 'agt_1', name: 'Agent' },
        body: 'Unrelated: qwertzuiop mentioned in passing, with plenty of other words around it',
        now: NOW.toISOString(),
      });
      assert.deepEqual(match(store, 'qwertzuiop'), [created.id, sso.id], 'a subject hit ranks above a comment hit');
    } finally {
      await store.close();
    }
  });
});
