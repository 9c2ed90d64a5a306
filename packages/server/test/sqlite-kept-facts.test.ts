/**
 * What SQLite keeps in step by triggers instead of computing per read: the SLA clock's facts on
 * the ticket row (status changes, first agent reply) and the per-requester ticket counters. After
 * an upgrade and after later writes each equals a query of the tables it is derived from.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { demoSeed, slaHistoryReadWith, type TicketSlaHistory } from '@portico/server';
import { SQLITE_MIGRATIONS, SqliteStore } from '@portico/server/node';
import { afterSqliteUpgrade } from './helpers.ts';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const AGENT = { kind: 'agent' as const, id: 'agt_sla', name: 'Sam' };
const at = (minute: number) => new Date(NOW.getTime() + minute * 60_000).toISOString();

/** The history of every ticket gathered from the activity and comments tables. */
function historyByQuery(db: DatabaseSync): Map<string, TicketSlaHistory> {
  const out = new Map<string, TicketSlaHistory>();
  const entry = (id: string) => out.get(id) ?? out.set(id, { statusChanges: [], firstResponseAt: null }).get(id)!;
  const changes = db
    .prepare(
      `SELECT ticket_id, created_at, json_extract(data, '$.to') AS status FROM activity
       WHERE type = 'ticket.status_changed' AND ticket_id IS NOT NULL ORDER BY created_at, id`,
    )
    .all() as { ticket_id: string; created_at: string; status: unknown }[];
  for (const r of changes) if (typeof r.status === 'string') entry(r.ticket_id).statusChanges.push({ at: r.created_at, to: r.status as 'open' });
  const firsts = db.prepare(`SELECT ticket_id, min(created_at) AS first FROM comments WHERE author_kind = 'agent' GROUP BY ticket_id`).all();
  for (const r of firsts as { ticket_id: string; first: string }[]) entry(r.ticket_id).firstResponseAt = r.first;
  return out;
}

/** Rows of `sql`, each serialised, in a stable order: what two ways of counting compare. */
const counted = (db: DatabaseSync, sql: string) => (db.prepare(sql).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
const sorted = (history: Map<string, TicketSlaHistory>) => [...history].sort(([a], [b]) => a.localeCompare(b));

it('SQLite: the SLA facts on the ticket row equal the history, after the upgrade and after each kind of write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sla-facts-'));
  const seed = demoSeed(NOW);
  const ids = seed.tickets.map((t) => t.id);
  try {
    const file = join(dir, 'old.db');
    // A database made before the facts were kept on the row, with history in it: two status
    // changes at the same instant (kept in id order) and a status entry without a `to`.
    const old = new SqliteStore(file, { migrations: SQLITE_MIGRATIONS.filter((m) => m.version < 14) });
    await old.load(seed);
    await old.close();
    const db = new DatabaseSync(file);
    const accountId = seed.tickets[0]!.accountId;
    const status = db.prepare(
      `INSERT INTO activity (id, account_id, type, actor_kind, actor_id, actor_name, ticket_id, contact_id, data, created_at)
       VALUES (?, ?, 'ticket.status_changed', 'agent', 'agt_sla', 'Sam', ?, NULL, ?, ?)`,
    );
    status.run('act_sla_b', accountId, ids[0]!, '{"from":"open","to":"pending"}', at(1));
    status.run('act_sla_a', accountId, ids[0]!, '{"from":"new","to":"open"}', at(1));
    status.run('act_sla_c', accountId, ids[0]!, '{"from":"pending"}', at(2));
    db.close();

    const store = new SqliteStore(file);
    try {
      assert.ok(store.migrated.includes(14));
      const expected = historyByQuery(store.db);
      assert.deepEqual(expected.get(ids[0]!)?.statusChanges.slice(-2), [
        { at: at(1), to: 'open' },
        { at: at(1), to: 'pending' },
      ]);
      assert.ok(
        [...expected.values()].some((h) => h.firstResponseAt),
        'the seed has agent replies',
      );
      assert.deepEqual(sorted(await store.getSlaHistory(ids)), sorted(expected), 'after the upgrade');

      const away = seed.tickets[1]!.status === 'pending' ? 'solved' : 'pending';
      await store.changeTicketStatus({ ticketId: ids[1]!, status: away, actor: AGENT, now: at(3) });
      await store.changeTicketStatus({ ticketId: ids[1]!, status: 'open', actor: AGENT, now: at(3) });
      await store.changeTicketStatus({ ticketId: ids[2]!, status: 'solved', actor: AGENT, now: at(4) });
      await store.addAgentReply({ ticketId: ids[3]!, author: AGENT, body: 'On it', now: at(5), attachmentIds: [], uploaderId: 'svc' });
      await store.addComment({ ticketId: ids[3]!, author: { kind: 'contact', id: seed.contacts[0]!.id, name: 'C' }, body: 'Thanks', now: at(6) });
      const after = historyByQuery(store.db);
      // Two changes at one instant: their order is the activity ids' (as the query's ORDER BY says).
      assert.deepEqual(
        after
          .get(ids[1]!)
          ?.statusChanges.map((c) => c.to)
          .sort(),
        [away, 'open'].sort(),
      );
      assert.deepEqual(sorted(await store.getSlaHistory(ids)), sorted(after), 'after writes');
      // A ticket read with its row carries the same facts (what a list page computes the SLA from).
      const none = { statusChanges: [], firstResponseAt: null };
      const page = await store.searchTickets({ scope: [{ kind: 'all', accountId }], filter: {}, sort: 'updated', limit: 100 });
      assert.ok(page.items.length > 1);
      for (const ticket of [...page.items, (await store.getTicket(ids[1]!))!]) {
        assert.deepEqual(slaHistoryReadWith.get(ticket), after.get(ticket.id) ?? none, ticket.id);
      }
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('SQLite: the per-requester counters equal a count of the tickets, after the upgrade and after writes that move tickets', async () => {
  const seed = demoSeed(NOW);
  const byTickets = `SELECT requester_id, account_id, visibility, category, status, priority, count(*) AS n FROM tickets GROUP BY 1, 2, 3, 4, 5, 6`;
  const byCounters = `SELECT requester_id, account_id, visibility, category, status, priority, n FROM requester_counts WHERE n > 0`;
  await afterSqliteUpgrade(16, seed, async (store) => {
    assert.deepEqual(counted(store.db, byCounters), counted(store.db, byTickets), 'after the upgrade');
    const system = { kind: 'system' as const, id: 'test', name: 'Test' };
    const changes = [{ status: 'solved' }, { visibility: 'private' }, { priority: 'urgent' }, { category: 'billing' }] as const;
    for (const [i, ticket] of seed.tickets.slice(0, 8).entries()) {
      await store.updateTicket({ ticketId: ticket.id, changes: changes[i % changes.length]!, actor: system, now: at(i) });
    }
    store.db.prepare('UPDATE tickets SET requester_id = ? WHERE id = ?').run(seed.contacts[1]!.id, seed.tickets[0]!.id);
    assert.deepEqual(counted(store.db, byCounters), counted(store.db, byTickets), 'after writes');
  });
});

it('SQLite: the per-follower counters equal a count of the follows, after the upgrade and after writes that move followed tickets', async () => {
  const seed = demoSeed(NOW);
  const byFollows = `SELECT f.contact_id AS follower_id, t.account_id, f.contact_id = t.requester_id AS requested, t.visibility, t.category, t.status, t.priority,
    count(*) AS n FROM ticket_followers f JOIN tickets t ON t.id = f.ticket_id GROUP BY 1, 2, 3, 4, 5, 6, 7`;
  const byCounters = `SELECT follower_id, account_id, requested, visibility, category, status, priority, n FROM follower_counts WHERE n <> 0`;
  await afterSqliteUpgrade(17, seed, async (store) => {
    assert.ok(counted(store.db, byFollows).length > 3, 'the seed has follows');
    assert.deepEqual(counted(store.db, byCounters), counted(store.db, byFollows), 'after the upgrade');
    const system = { kind: 'system' as const, id: 'test', name: 'Test' };
    const followed = seed.tickets.filter((t) => t.followerIds.length > 0);
    const changes = [{ status: 'solved' }, { visibility: 'private' }, { priority: 'urgent' }, { category: 'billing' }] as const;
    for (const [i, ticket] of followed.slice(0, 8).entries()) {
      await store.updateTicket({ ticketId: ticket.id, changes: changes[i % changes.length]!, actor: system, now: at(i) });
    }
    const [first, second, third] = followed;
    await store.setFollowing(first!.id, first!.requester.id, true, at(9));
    await store.setFollowing(second!.id, second!.followerIds[0]!, false, at(9));
    // A requester change turns a follower into the requester; a move changes the account.
    store.db.prepare('UPDATE tickets SET requester_id = ? WHERE id = ?').run(third!.followerIds[0]!, third!.id);
    store.db.prepare('UPDATE tickets SET account_id = ? WHERE id = ?').run(seed.accounts[1]!.id, followed[3]!.id);
    await store.mergeTickets({ sourceId: followed[4]!.id, targetId: followed[5]!.id, actor: system, now: at(10) });
    assert.deepEqual(counted(store.db, byCounters), counted(store.db, byFollows), 'after writes');
    // Deleting a ticket takes its follows, and their counts, with it.
    store.db.exec('PRAGMA foreign_keys = OFF');
    store.db.prepare('DELETE FROM tickets WHERE id = ?').run(followed[6]!.id);
    assert.deepEqual(counted(store.db, byCounters), counted(store.db, byFollows), 'after a delete');
  });
});
