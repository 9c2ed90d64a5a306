/**
 * Conformance of `Store.onAppend`: listeners hear of every write that appended activity,
 * after it committed (the new entry is readable from inside the listener), and of no other
 * write; unregistering stops the calls.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureCases } from './index.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

export const liveCases: FeatureCases = (seeded) => {
  it('onAppend: called once per appending write, after commit; silent for other writes; unregisters', async () => {
    const { store, seed } = await seeded();
    try {
      const heads: Promise<number>[] = [];
      const stop = store.onAppend(() => heads.push(store.activityHead()));
      const before = await store.activityHead();
      const ticket = seed.tickets.find((t) => t.status === 'open')!;
      const actor = { kind: 'agent' as const, id: 'agt_sam', name: 'Sam Patel' };
      await store.changeTicketStatus({ ticketId: ticket.id, status: 'pending', actor, now: '2026-03-02T10:00:00.000Z' });
      await settle();
      assert.equal(heads.length, 1, 'one call for the write');
      assert.equal(await heads[0], before + 1, 'the listener already sees the new entry');

      await store.markTicketSeen(ticket.id, ticket.requester.id, '2026-03-02T10:00:01.000Z');
      await store.changeTicketStatus({ ticketId: ticket.id, status: 'pending', actor, now: '2026-03-02T10:00:02.000Z' });
      await settle();
      assert.equal(heads.length, 1, 'writes that append nothing are not reported');

      stop();
      await store.changeTicketStatus({ ticketId: ticket.id, status: 'open', actor, now: '2026-03-02T10:00:03.000Z' });
      await settle();
      assert.equal(heads.length, 1, 'no calls after unregistering');
      assert.equal(await store.activityHead(), before + 2);
    } finally {
      await store.close();
    }
  });
};
