/**
 * Conformance: view counts stay exact while follows, ticket fields, visibility, requesters and
 * merges change underneath them. The reference is core's policy (`canView`) over the tickets
 * as the store returns them, never the store's own counting.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ROLES,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_VISIBILITIES,
  UNSOLVED_STATUSES,
  canView,
  reachableAccountIds,
  ticketScope,
  type Actor,
  type ActorRef,
  type TicketStatus,
} from '@portico/core';
import type { TicketFilter } from '@portico/server';
import { NOW, passes } from '../helpers.ts';
import { SAMPLE_RULES } from '../../../core/test/role-arbitrary.ts';
import type { FeatureCases } from './index.ts';

const SYSTEM: ActorRef = { kind: 'system', id: 'test', name: 'Test' };
const ROLE_CASES = [...ROLES.map((role) => ({ role, rules: undefined })), ...SAMPLE_RULES.map((rules, i) => ({ role: `x-generated-${i}`, rules }))];

/** A write that may move a ticket in or out of some count; indexes pick demo tickets and contacts. */
const writeArb = fc.oneof(
  fc.record({ kind: fc.constant('follow' as const), ticket: fc.nat(), contact: fc.nat(), follow: fc.boolean() }),
  fc.record({
    kind: fc.constant('update' as const),
    ticket: fc.nat(),
    changes: fc.record(
      {
        status: fc.constantFrom(...TICKET_STATUSES),
        visibility: fc.constantFrom(...TICKET_VISIBILITIES),
        priority: fc.constantFrom(...TICKET_PRIORITIES),
        category: fc.constantFrom(...TICKET_CATEGORIES),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('merge' as const), source: fc.nat(), target: fc.nat() }),
);

/** What the list adds to every view (the route's status, priority and category filters). */
const extraArb = fc.record(
  {
    statuses: fc.subarray([...TICKET_STATUSES], { minLength: 1 }),
    priorities: fc.subarray([...TICKET_PRIORITIES], { minLength: 1 }),
    categories: fc.subarray([...TICKET_CATEGORIES], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

/** The four list views of `actor` as the tickets route builds them (mine, account, following, unsolved), optionally for one requester. */
export function viewFilters(actor: Actor, extra: TicketFilter, requester: string | null): TicketFilter[] {
  const base: TicketFilter = { ...extra, accountIds: reachableAccountIds(actor), requesterIds: requester === null ? undefined : [requester] };
  const open: readonly TicketStatus[] = UNSOLVED_STATUSES;
  const unsolved = extra.statuses ? extra.statuses.filter((s) => open.includes(s)) : [...open];
  const mine = requester === null || requester === actor.contactId ? [actor.contactId] : [];
  return [{ ...base, requesterIds: mine }, base, { ...base, followerId: actor.contactId }, { ...base, statuses: unsolved }];
}

export const countCases: FeatureCases = (seeded) => {
  it('property: view counts equal the visible tickets for every contact and role, after follows, field, visibility, requester and merge writes interleave', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(writeArb, { minLength: 1, maxLength: 25 }), extraArb, fc.option(fc.nat()), async (writes, extra, requester) => {
        const { store, seed } = await seeded();
        try {
          const ids = seed.tickets.map((t) => t.id);
          const contacts = seed.contacts;
          const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;
          for (const [step, w] of writes.entries()) {
            const now = new Date(NOW.getTime() + (step + 1) * 1000).toISOString();
            if (w.kind === 'follow') await store.setFollowing(pick(ids, w.ticket), pick(contacts, w.contact).id, w.follow, now);
            else if (w.kind === 'update') await store.updateTicket({ ticketId: pick(ids, w.ticket), changes: w.changes, actor: SYSTEM, now });
            else if (w.kind === 'merge') await store.mergeTickets({ sourceId: pick(ids, w.source), targetId: pick(ids, w.target), actor: SYSTEM, now });
            else {
              // Hand a contact's unsolved tickets to an active colleague (refused ones change nothing).
              const from = pick(contacts, w.from);
              const colleagues = contacts.filter((c) => c.accountId === from.accountId && c.status === 'active' && c.id !== from.id);
              if (colleagues.length > 0) await store.changeContact({ contactId: from.id, transferTo: pick(colleagues, w.to).id, actor: SYSTEM, now });
            }
          }
          const tickets = await Promise.all(ids.map(async (id) => (await store.getTicket(id))!));
          for (const contact of contacts) {
            for (const { role, rules } of ROLE_CASES) {
              const childAccountIds = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
              const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role, rules, childAccountIds };
              const visible = tickets.filter((t) => canView(actor, { ...t, requesterId: t.requester.id }));
              const filters = viewFilters(actor, extra, requester === null ? null : pick(contacts, requester).id);
              const want = filters.map((f) => visible.filter((t) => passes(t, f)).length);
              assert.deepEqual(await store.countTicketsEach(ticketScope(actor), filters), want, `${contact.email} as ${role}`);
            }
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
};
