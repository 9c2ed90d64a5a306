/**
 * Conformance cases of the ticket list and detail (issue 3): full-text search over comments,
 * the SLA-due sort, counts, ticket updates with If-Match versions, escalations, satisfaction,
 * following, seen markers and saved views. Every store must pass them.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { canView, ticketScope, type ActorRef, type SavedView, type Ticket } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, KEYSET_TYPES, decodeCursor, type SeedData, type Store } from '@portico/server';
import { NOW, actorOf } from '../helpers.ts';
import type { FeatureCases } from './index.ts';

const LATER = new Date(NOW.getTime() + 60_000).toISOString();
/** A moment after LATER, so activity rows order deterministically. */
const LATEST = new Date(NOW.getTime() + 120_000).toISOString();
const MIA: ActorRef = { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' };
const ALL = (seed: SeedData) => seed.accounts.map((a) => ({ kind: 'all' as const, accountId: a.id }));

async function activityOf(store: Store, accountId: string, ticketId: string | null, n = 10) {
  const page = await store.listActivity([accountId], { limit: 100 });
  return page.items.filter((a) => ticketId === null || a.ticketId === ticketId).slice(0, n);
}

export const ticketDetailCases: FeatureCases = (seeded) => {
  it('full-text search finds words in comments, by prefix, ignoring case and accents, and stays inside the scope', async () => {
    const { store, seed } = await seeded();
    try {
      // "metadata" only appears in a comment of T-1001.
      const byComment = await store.searchTickets({ scope: ALL(seed), filter: { text: 'METADAT' }, sort: 'updated', limit: 50 });
      assert.deepEqual(
        byComment.items.map((t) => t.ref),
        ['T-1001'],
      );
      await store.addComment({ ticketId: 'tkt_1002', author: MIA, body: 'Tried again with the Zürich région filter', now: LATER });
      const accents = await store.searchTickets({ scope: ALL(seed), filter: { text: 'zurich REGION' }, sort: 'updated', limit: 50 });
      assert.deepEqual(
        accents.items.map((t) => t.id),
        ['tkt_1002'],
        'a new comment is searchable at once, accents ignored',
      );
      // Words may come from different places of the ticket (subject and a comment).
      const mixed = await store.searchTickets({ scope: ALL(seed), filter: { text: 'csv zurich' }, sort: 'updated', limit: 50 });
      assert.deepEqual(
        mixed.items.map((t) => t.id),
        ['tkt_1002'],
      );
      // tkt_1002 is Jay's private ticket: Mia (member) must not find it, whatever she types.
      const mia = actorOf(
        seed,
        seed.contacts.find((c) => c.id === DEMO_CONTACTS.mia)!,
      );
      const hidden = await store.searchTickets({ scope: ticketScope(mia), filter: { text: 'zurich' }, sort: 'updated', limit: 50 });
      assert.deepEqual(hidden.items, []);
      assert.equal(await store.countTickets(ticketScope(mia), { text: 'zurich' }), 0);
      // Text with no words is no constraint.
      assert.equal(await store.countTickets(ALL(seed), { text: ' ?! ' }), seed.tickets.length);
    } finally {
      await store.close();
    }
  });

  it('counts what the search walks, for any scope and filter', async () => {
    const { store, seed } = await seeded();
    try {
      for (const contact of seed.contacts) {
        const actor = actorOf(seed, contact);
        const want = seed.tickets.filter((t) => canView(actor, { ...t, requesterId: t.requester.id }) && t.status !== 'closed').length;
        assert.equal(await store.countTickets(ticketScope(actor), { statuses: ['new', 'open', 'pending', 'solved'] }), want, contact.email);
        // Several filters at once (the per-view counts), sharing some conditions and not others.
        const filters = [
          { accountIds: [contact.accountId], text: 'invoice', requesterIds: [contact.id] },
          { accountIds: [contact.accountId], text: 'invoice' },
          { accountIds: [contact.accountId], text: 'invoice', followerId: contact.id },
          { accountIds: [contact.accountId], text: 'invoice', statuses: ['new', 'open', 'pending'] as const },
          { priorities: ['urgent'] as const },
          { statuses: [] },
        ];
        const each = await store.countTicketsEach(ticketScope(actor), filters);
        assert.deepEqual(each, await Promise.all(filters.map((f) => store.countTickets(ticketScope(actor), f))), contact.email);
      }
      assert.deepEqual(await store.countTicketsEach([], [{}]), [0]);
      assert.deepEqual(await store.countTicketsEach(ALL(seed), []), []);
    } finally {
      await store.close();
    }
  });

  it('sorts by SLA due: soonest deadline first, tickets without one last, paged by cursor', async () => {
    const { store, seed } = await seeded();
    try {
      const due = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
      await store.updateTicket({ ticketId: 'tkt_1003', changes: { slaDueAt: due(5) }, actor: MIA, now: LATER });
      await store.updateTicket({ ticketId: 'tkt_1005', changes: { slaDueAt: due(-2) }, actor: MIA, now: LATER });
      await store.updateTicket({ ticketId: 'tkt_1001', changes: { slaDueAt: due(1) }, actor: MIA, now: LATER });
      const ids: string[] = [];
      let after;
      for (;;) {
        const page = await store.searchTickets({ scope: ALL(seed), filter: {}, sort: 'sla_due', after, limit: 4 });
        ids.push(...page.items.map((t) => t.id));
        if (!page.nextCursor) break;
        after = decodeCursor(page.nextCursor, 'sla_due', KEYSET_TYPES.sla_due);
      }
      assert.deepEqual(ids.slice(0, 3), ['tkt_1005', 'tkt_1001', 'tkt_1003']);
      assert.equal(ids.length, seed.tickets.length);
      assert.equal(new Set(ids).size, ids.length);
      const t = (await store.getTicket('tkt_1001'))!;
      assert.equal(t.slaDueAt, due(1));
      assert.equal(t.updatedAt, seed.tickets.find((x) => x.id === 'tkt_1001')!.updatedAt, 'an SLA deadline is bookkeeping: no touch');
      await store.updateTicket({ ticketId: 'tkt_1001', changes: { slaDueAt: null }, actor: MIA, now: LATER });
      assert.equal('slaDueAt' in (await store.getTicket('tkt_1001'))!, false, 'no deadline: the field is absent');
    } finally {
      await store.close();
    }
  });

  it('updates status and visibility with one activity row each, refusing a stale version', async () => {
    const { store } = await seeded();
    try {
      const before = (await store.getTicket('tkt_1002'))!;
      const stale = await store.updateTicket({
        ticketId: before.id,
        changes: { status: 'solved' },
        expectedVersion: before.version - 1,
        actor: MIA,
        now: LATER,
      });
      assert.equal(stale.state, 'stale');
      assert.deepEqual(await store.getTicket(before.id), before, 'a stale update changes nothing');

      const done = await store.updateTicket({
        ticketId: before.id,
        changes: { status: 'solved', visibility: 'account' },
        expectedVersion: before.version,
        actor: MIA,
        now: LATER,
      });
      assert.equal(done.state, 'updated');
      const after = (done as { ticket: Ticket }).ticket;
      assert.deepEqual([after.status, after.visibility, after.version, after.updatedAt], ['solved', 'account', before.version + 1, LATER]);
      assert.deepEqual(await store.getTicket(before.id), after);
      const rows = await activityOf(store, before.accountId, before.id, 2);
      assert.deepEqual(rows.map((a) => [a.type, a.data, a.actor.id]).sort(), [
        ['ticket.status_changed', { from: 'pending', to: 'solved' }, MIA.id],
        ['ticket.visibility_changed', { from: 'private', to: 'account' }, MIA.id],
      ]);
      const same = await store.updateTicket({ ticketId: before.id, changes: { status: 'solved' }, actor: MIA, now: LATER });
      assert.equal(same.state === 'updated' && same.ticket.version, after.version, 'a no-op bumps nothing');
      assert.equal((await store.updateTicket({ ticketId: 'tkt_nope', changes: { status: 'open' }, actor: MIA, now: LATER })).state, 'missing');
    } finally {
      await store.close();
    }
  });

  it('escalates once: priority one step up, escalated, activity, idempotent response; solving ends it', async () => {
    const { store } = await seeded();
    try {
      const ref = { contactId: DEMO_CONTACTS.mia, key: 'esc-1' };
      await store.claimIdempotencyKey({ ...ref, fingerprint: 'f', now: LATER });
      const before = (await store.getTicket('tkt_1003'))!;
      assert.equal(before.priority, 'normal');
      const first = await store.escalateTicket(
        { ticketId: before.id, reason: 'Finance closes the books on Friday', actor: MIA, now: LATER },
        { idempotency: ref },
      );
      assert.equal(first.state, 'created');
      if (first.state !== 'created') return;
      assert.deepEqual(
        [first.ticket.priority, first.ticket.escalated, first.ticket.version, first.ticket.updatedAt],
        ['high', true, before.version + 1, LATER],
      );
      assert.deepEqual(
        [first.escalation.priorityFrom, first.escalation.priorityTo, first.escalation.resolvedAt, first.escalation.reason],
        ['normal', 'high', null, 'Finance closes the books on Friday'],
      );
      assert.deepEqual(await store.claimIdempotencyKey({ ...ref, fingerprint: 'f', now: LATER }), {
        state: 'completed',
        fingerprint: 'f',
        status: 201,
        body: { escalation: first.escalation, ticket: first.ticket },
      });
      const [row] = await activityOf(store, before.accountId, before.id, 1);
      assert.equal(row?.type, 'ticket.escalated');
      assert.deepEqual(row?.data, {
        escalationId: first.escalation.id,
        reason: 'Finance closes the books on Friday',
        priorityFrom: 'normal',
        priorityTo: 'high',
      });

      const second = await store.escalateTicket({ ticketId: before.id, reason: 'again', actor: MIA, now: LATER });
      assert.equal(second.state, 'already_open');
      assert.equal((await store.getTicket(before.id))!.priority, 'high', 'a refused escalation raises nothing');

      await store.updateTicket({ ticketId: before.id, changes: { status: 'solved' }, actor: MIA, now: LATER });
      assert.equal((await store.getTicket(before.id))!.escalated, false, 'solving ends the open escalation');
      await store.updateTicket({ ticketId: before.id, changes: { status: 'open' }, actor: MIA, now: LATER });
      const again = await store.escalateTicket({ ticketId: before.id, reason: 'Broke again', actor: MIA, now: LATER });
      assert.equal(again.state === 'created' && again.ticket.priority, 'urgent');
      const urgent = await store.updateTicket({ ticketId: before.id, changes: { status: 'solved' }, actor: MIA, now: LATER });
      assert.equal(urgent.state, 'updated');
      await store.updateTicket({ ticketId: before.id, changes: { status: 'open' }, actor: MIA, now: LATER });
      const capped = await store.escalateTicket({ ticketId: before.id, reason: 'Still broken', actor: MIA, now: LATER });
      assert.deepEqual(capped.state === 'created' && [capped.escalation.priorityFrom, capped.escalation.priorityTo], ['urgent', 'urgent']);
      assert.equal((await store.escalateTicket({ ticketId: 'tkt_nope', reason: 'x', actor: MIA, now: LATER })).state, 'missing');
    } finally {
      await store.close();
    }
  });

  it('records one satisfaction rating per ticket, without touching updatedAt', async () => {
    const { store } = await seeded();
    try {
      const before = (await store.getTicket('tkt_1004'))!;
      assert.equal('satisfaction' in before, false);
      const rated = await store.rateTicket({
        ticketId: before.id,
        rating: 'good',
        comment: 'Quick and clear',
        actor: { kind: 'contact', id: DEMO_CONTACTS.ben, name: 'Ben Carter' },
        now: LATER,
      });
      assert.equal(rated.state, 'created');
      const after = (await store.getTicket(before.id))!;
      assert.deepEqual(after.satisfaction, { rating: 'good', comment: 'Quick and clear', ratedAt: LATER });
      assert.equal(after.version, before.version + 1);
      assert.equal(after.updatedAt, before.updatedAt);
      const [row] = await activityOf(store, before.accountId, before.id, 1);
      assert.deepEqual([row?.type, row?.data], ['ticket.satisfaction_rated', { rating: 'good', hasComment: true }]);
      const twice = await store.rateTicket({ ticketId: before.id, rating: 'bad', comment: null, actor: MIA, now: LATER });
      assert.equal(twice.state, 'already_rated');
      assert.deepEqual((await store.getTicket(before.id))!.satisfaction, after.satisfaction);
    } finally {
      await store.close();
    }
  });

  it('follows and unfollows idempotently, with activity and a seen marker', async () => {
    const { store } = await seeded();
    try {
      const before = (await store.getTicket('tkt_1006'))!;
      assert.deepEqual(before.followerIds, []);
      const followed = (await store.setFollowing(before.id, DEMO_CONTACTS.val, true, LATER))!;
      assert.deepEqual(followed.followerIds, [DEMO_CONTACTS.val]);
      assert.equal(followed.version, before.version + 1);
      assert.equal(followed.updatedAt, before.updatedAt);
      assert.deepEqual(await store.setFollowing(before.id, DEMO_CONTACTS.val, true, LATER), followed, 'following twice changes nothing');
      assert.deepEqual([...(await store.ticketsSeenAt(DEMO_CONTACTS.val, [before.id, 'tkt_1001']))], [[before.id, LATER]]);
      const [row] = await activityOf(store, before.accountId, before.id, 1);
      assert.deepEqual(
        [row?.type, row?.actor, row?.contactId],
        ['ticket.followed', { kind: 'contact', id: DEMO_CONTACTS.val, name: 'Val Novak' }, DEMO_CONTACTS.val],
      );
      const unfollowed = (await store.setFollowing(before.id, DEMO_CONTACTS.val, false, LATEST))!;
      assert.deepEqual(unfollowed.followerIds, []);
      assert.equal((await activityOf(store, before.accountId, before.id, 1))[0]?.type, 'ticket.unfollowed');
      assert.equal(await store.setFollowing('tkt_nope', DEMO_CONTACTS.val, true, LATER), undefined);
    } finally {
      await store.close();
    }
  });

  it('keeps seen markers per contact, never moving backwards', async () => {
    const { store } = await seeded();
    try {
      await store.markTicketSeen('tkt_1001', DEMO_CONTACTS.ada, LATER);
      await store.markTicketSeen('tkt_1001', DEMO_CONTACTS.ada, NOW.toISOString());
      assert.deepEqual([...(await store.ticketsSeenAt(DEMO_CONTACTS.ada, ['tkt_1001', 'tkt_1002']))], [['tkt_1001', LATER]]);
      assert.deepEqual([...(await store.ticketsSeenAt(DEMO_CONTACTS.mia, ['tkt_1001']))], []);
      assert.deepEqual([...(await store.ticketsSeenAt(DEMO_CONTACTS.ada, []))], []);
    } finally {
      await store.close();
    }
  });

  it('stores saved views: personal ones for their owner, shared ones for the account, with activity for shared', async () => {
    const { store } = await seeded();
    try {
      const view = (over: Partial<SavedView>): SavedView => ({
        id: 'vw_x',
        accountId: DEMO_ACCOUNTS.acme,
        ownerId: DEMO_CONTACTS.mia,
        ownerName: 'Mia Chen',
        name: 'Mine',
        shared: false,
        query: { view: 'mine', status: ['open'] },
        createdAt: LATER,
        ...over,
      });
      const ref = { contactId: DEMO_CONTACTS.ada, key: 'view-1' };
      await store.claimIdempotencyKey({ ...ref, fingerprint: 'v', now: LATER });
      const personal = await store.createSavedView(view({ id: 'vw_1', name: 'b: my open' }));
      const shared = await store.createSavedView(
        view({
          id: 'vw_2',
          ownerId: DEMO_CONTACTS.ada,
          ownerName: 'Ada Okafor',
          name: 'a: urgent billing',
          shared: true,
          query: { view: 'account', priority: ['urgent'], category: ['billing'], q: 'invoice', sort: 'sla_due' },
        }),
        { idempotency: ref },
      );
      await store.createSavedView(view({ id: 'vw_3', ownerId: DEMO_CONTACTS.ben, ownerName: 'Ben Carter', name: 'c: ben only' }));
      await store.createSavedView(view({ id: 'vw_4', accountId: DEMO_ACCOUNTS.globex, ownerId: DEMO_CONTACTS.gus, ownerName: 'Gus Hoffman', shared: true }));
      assert.deepEqual(
        (await store.listSavedViews(DEMO_ACCOUNTS.acme, DEMO_CONTACTS.mia)).map((v) => v.id),
        ['vw_2', 'vw_1'],
      );
      assert.deepEqual(
        (await store.listSavedViews(DEMO_ACCOUNTS.acme, DEMO_CONTACTS.ben)).map((v) => v.id),
        ['vw_2', 'vw_3'],
      );
      assert.deepEqual(await store.getSavedView('vw_2'), shared);
      assert.deepEqual(shared.query, { view: 'account', priority: ['urgent'], category: ['billing'], q: 'invoice', sort: 'sla_due' });
      assert.deepEqual(await store.claimIdempotencyKey({ ...ref, fingerprint: 'v', now: LATER }), {
        state: 'completed',
        fingerprint: 'v',
        status: 201,
        body: shared,
      });
      await assert.rejects(store.createSavedView(view({ id: 'vw_5', ownerId: DEMO_CONTACTS.gus })), 'the owner must belong to the account');
      const acmeActivity = await activityOf(store, DEMO_ACCOUNTS.acme, null, 1);
      assert.deepEqual([acmeActivity[0]?.type, acmeActivity[0]?.data], ['view.shared', { viewId: 'vw_2', name: 'a: urgent billing' }]);
      assert.equal(personal.shared, false);
      assert.equal(await store.deleteSavedView('vw_2', { kind: 'contact', id: DEMO_CONTACTS.ada, name: 'Ada Okafor' }, LATEST), true);
      assert.equal(await store.deleteSavedView('vw_2', { kind: 'contact', id: DEMO_CONTACTS.ada, name: 'Ada Okafor' }, LATEST), false);
      assert.equal((await activityOf(store, DEMO_ACCOUNTS.acme, null, 1))[0]?.type, 'view.deleted');
      assert.deepEqual(
        (await store.listSavedViews(DEMO_ACCOUNTS.acme, DEMO_CONTACTS.mia)).map((v) => v.id),
        ['vw_1'],
      );
    } finally {
      await store.close();
    }
  });
};
