/**
 * Conformance: per-view counts with search words under a cap (`countTicketsEach(scope,
 * filters, cap)`) count at most `cap + 1` tickets, only ones the caller may see, and counts
 * without words stay exact. The reference is core's policy (`canView`) and each ticket's words
 * (its text and public comments), never the store's own counting.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, canView, ticketScope, type Actor } from '@portico/core';
import { passes } from '../helpers.ts';
import { viewFilters } from './counts.ts';
import type { FeatureCases } from './index.ts';

export const cappedCountCases: FeatureCases = (seeded) => {
  it('counts with words stop one past the cap, over tickets the caller may see only; counts without words stay exact', async () => {
    const { store, seed } = await seeded();
    try {
      const tickets = await Promise.all(seed.tickets.map(async (t) => (await store.getTicket(t.id))!));
      const comments = seed.comments.filter((c) => !c.internal);
      const cases = new Set<string>();
      for (const contact of seed.contacts) {
        for (const role of ROLES) {
          const childAccountIds = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
          const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role, childAccountIds };
          const visible = tickets.filter((t) => canView(actor, { ...t, requesterId: t.requester.id }));
          for (const text of [undefined, 'the', 'export', 'printer']) {
            const filters = viewFilters(actor, { text }, null);
            const exact = filters.map((f) => visible.filter((t) => passes(t, f, comments)).length);
            for (const cap of [1, 3]) {
              const want = text === undefined ? exact : exact.map((n) => Math.min(n, cap + 1));
              const got = await store.countTicketsEach(ticketScope(actor), filters, cap);
              assert.deepEqual(got, want, `${contact.email} as ${role}, words ${text}, cap ${cap}`);
              for (const n of exact) cases.add(`${text === undefined ? 'no words' : 'words'} ${Math.sign(n - cap)}`);
            }
          }
        }
      }
      // The seed holds every case: counts with words past, at and under the cap; without words past it.
      for (const c of ['words 1', 'words 0', 'words -1', 'no words 1']) assert.ok(cases.has(c), `no count of the case "${c}"`);
    } finally {
      await store.close();
    }
  });
};
