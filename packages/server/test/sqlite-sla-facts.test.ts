/**
 * SQLite keeps what the SLA clock reads (status changes, first agent reply) on the ticket row:
 * after an upgrade and after later writes it answers exactly what the memory store (the oracle)
 * gathers from the activity and comments.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, demoSeed, type Store } from '@portico/server';
import { SQLITE_MIGRATIONS, SqliteStore } from '@portico/server/node';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const AGENT = { kind: 'agent' as const, id: 'agt_sla', name: 'Sam' };

const at = (minute: number) => new Date(NOW.getTime() + minute * 60_000).toISOString();

/** Status changes (two at the same instant, kept in write order), an agent reply and a customer's comment. */
async function write(s: Store, ids: readonly string[], contactId: string, from: number): Promise<void> {
  await s.changeTicketStatus({ ticketId: ids[0]!, status: 'pending', actor: AGENT, now: at(from + 1) });
  await s.changeTicketStatus({ ticketId: ids[0]!, status: 'open', actor: AGENT, now: at(from + 1) });
  await s.changeTicketStatus({ ticketId: ids[1]!, status: 'solved', actor: AGENT, now: at(from + 2) });
  await s.addAgentReply({ ticketId: ids[2]!, author: AGENT, body: 'On it', now: at(from + 3), attachmentIds: [], uploaderId: 'svc' });
  await s.addComment({ ticketId: ids[2]!, author: { kind: 'contact', id: contactId, name: 'C' }, body: 'Thanks', now: at(from + 4) });
}

async function historyOfEveryTicket(store: Store, ids: readonly string[]) {
  return [...(await store.getSlaHistory(ids))].sort(([a], [b]) => a.localeCompare(b));
}

it('SQLite: the SLA facts on the ticket row equal the history, after the upgrade and after each kind of write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sla-facts-'));
  const seed = demoSeed(NOW);
  const ids = seed.tickets.map((t) => t.id);
  const oracle = new MemoryStore();
  await oracle.load(seed);
  try {
    const file = join(dir, 'old.db');
    // A database made before the facts were kept on the row, with the demo's history in it.
    const old = new SqliteStore(file, { migrations: SQLITE_MIGRATIONS.filter((m) => m.version < 14) });
    await old.load(seed);
    for (const s of [oracle, old]) await write(s, ids, seed.contacts[0]!.id, 0);
    await old.close();

    const store = new SqliteStore(file);
    try {
      assert.ok(store.migrated.includes(14));
      const expected = await historyOfEveryTicket(oracle, ids);
      assert.ok(
        expected.some(([, h]) => h.statusChanges.length > 1) && expected.some(([, h]) => h.firstResponseAt),
        'there are status changes and agent replies',
      );
      assert.deepEqual(await historyOfEveryTicket(store, ids), expected, 'after the upgrade');

      for (const s of [oracle, store]) await write(s, ids.slice(3), seed.contacts[0]!.id, 10);
      const after = await historyOfEveryTicket(oracle, ids);
      assert.deepEqual(await historyOfEveryTicket(store, ids), after, 'after writes');
      assert.deepEqual(
        after
          .find(([id]) => id === ids[3])![1]
          .statusChanges.slice(-2)
          .map((c) => c.to),
        ['pending', 'open'],
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
