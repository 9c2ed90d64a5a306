/**
 * Conformance of the agent API's store methods: the every-account ticket search and its
 * assignee / updated-since filters, lookup by reference, internal notes (never in any
 * customer read), agent replies with service uploads, category and assignee changes, merges.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ActorRef, Ticket } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, KEYSET_TYPES, decodeCursor, serviceUploader, type SeedData, type Store } from '@portico/server';
import { NOW } from '../helpers.ts';
import type { FeatureCases } from './index.ts';

const SAM: ActorRef = { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' };
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const ALL = (seed: SeedData) => seed.accounts.map((a) => ({ kind: 'all' as const, accountId: a.id }));
const ids = (tickets: readonly Ticket[]) => tickets.map((t) => t.id);

async function walkService(store: Store, filter: Parameters<Store['searchServiceTickets']>[0]['filter'], limit = 7): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let after;
  for (let i = 0; i < 100; i++) {
    const page = await store.searchServiceTickets({ filter, sort: 'updated', after, limit });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    after = decodeCursor(page.nextCursor, 'updated', KEYSET_TYPES.updated);
  }
  throw new Error('paging does not end');
}

export const agentCases: FeatureCases = (seeded) => {
  it('agent search: every account, the same order and filters as a search over all accounts, plus assignee and updated-since', async () => {
    const { store, seed } = await seeded();
    try {
      const everything = await walkService(store, {});
      assert.equal(everything.length, seed.tickets.length);
      const reference = await store.searchTickets({ scope: ALL(seed), filter: {}, sort: 'updated', limit: 1000 });
      assert.deepEqual(ids(everything), ids(reference.items), 'same order as the scoped search, across pages');

      const sam = await walkService(store, { assignees: ['Sam Patel'] });
      assert.deepEqual(
        ids(sam).sort(),
        seed.tickets
          .filter((t) => t.assignee === 'Sam Patel')
          .map((t) => t.id)
          .sort(),
      );
      const unassignedOrRosa = await walkService(store, { assignees: [null, 'Rosa Lindqvist'] });
      assert.deepEqual(
        ids(unassignedOrRosa).sort(),
        seed.tickets
          .filter((t) => t.assignee === null || t.assignee === 'Rosa Lindqvist')
          .map((t) => t.id)
          .sort(),
      );
      assert.deepEqual(await walkService(store, { assignees: [] }), []);

      const since = [...seed.tickets].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))[5]!.updatedAt;
      const recent = await walkService(store, { updatedSince: since, accountIds: [DEMO_ACCOUNTS.acme], statuses: ['open', 'pending'] });
      assert.deepEqual(
        ids(recent).sort(),
        seed.tickets
          .filter((t) => t.updatedAt >= since && t.accountId === DEMO_ACCOUNTS.acme && ['open', 'pending'].includes(t.status))
          .map((t) => t.id)
          .sort(),
      );
      const byText = await walkService(store, { text: 'metadat' });
      assert.deepEqual(ids(byText), ['tkt_1001'], 'text search works without a scope');
    } finally {
      await store.close();
    }
  });

  it('finds a ticket by reference, ignoring case; unknown references are undefined', async () => {
    const { store } = await seeded();
    try {
      assert.equal((await store.getTicketByRef('T-1002'))?.id, 'tkt_1002');
      assert.equal((await store.getTicketByRef('t-1037'))?.id, 'tkt_1037');
      assert.equal(await store.getTicketByRef('T-99999'), undefined);
    } finally {
      await store.close();
    }
  });

  it('internal notes: only in the agent thread, marked; never in comments, search, similar tickets, activity, counts or the SLA', async () => {
    const { store, seed } = await seeded();
    try {
      const before = (await store.getTicket('tkt_1006'))!;
      const headBefore = await store.activityHead();
      const note = await store.addInternalNote({ ticketId: 'tkt_1006', author: SAM, body: 'Customer is on the legacy xylophonic plan', now: at(1) });
      assert.equal(note.internal, true);
      const reply = await store.addComment({ ticketId: 'tkt_1006', author: SAM, body: 'We are looking into it.', now: at(2) });

      const after = (await store.getTicket('tkt_1006'))!;
      assert.equal(after.commentCount, before.commentCount + 1, 'only the public reply counts');
      assert.equal(after.version, before.version + 1, 'the note does not bump the ticket');
      assert.equal(after.updatedAt, at(2));
      const customerThread = await store.listComments('tkt_1006', { limit: 100 });
      assert.ok(!customerThread.items.some((c) => c.id === note.id || c.body.includes('xylophonic')));
      assert.ok(customerThread.items.every((c) => c.internal === undefined));

      const thread = await store.listAgentThread('tkt_1006', { limit: 100 });
      const tail = thread.items.slice(-2);
      assert.deepEqual(
        tail.map((c) => [c.id, c.internal]),
        [
          [note.id, true],
          [reply.comment.id, false],
        ],
      );
      // Paged one at a time, the same items in the same order.
      const paged = [];
      let after2: [string, string] | undefined;
      for (;;) {
        const page = await store.listAgentThread('tkt_1006', { after: after2, limit: 1 });
        paged.push(...page.items);
        if (!page.nextCursor) break;
        after2 = [page.items[0]!.createdAt, page.items[0]!.id];
      }
      assert.deepEqual(
        paged.map((c) => c.id),
        thread.items.map((c) => c.id),
      );

      assert.equal(await store.countTickets(ALL(seed), { text: 'xylophonic' }), 0, 'customer search never finds note text');
      assert.deepEqual(await store.searchServiceTickets({ filter: { text: 'xylophonic' }, sort: 'updated', limit: 10 }).then((p) => p.items), []);
      const similar = await store.findSimilarTickets({
        scope: ALL(seed),
        accountIds: seed.accounts.map((a) => a.id),
        statuses: ['new', 'open', 'pending', 'solved', 'closed'],
        text: 'xylophonic',
        limit: 5,
      });
      assert.deepEqual(similar, []);
      const appended = await store.listActivitySince(
        seed.accounts.map((a) => a.id),
        headBefore,
        100,
      );
      assert.deepEqual(
        appended.map((e) => e.activity.type),
        ['ticket.commented'],
        'the note wrote no activity',
      );
      const history = (await store.getSlaHistory(['tkt_1006'])).get('tkt_1006');
      assert.equal(history?.firstResponseAt ?? null, at(2), 'a note is not a first response');
      await assert.rejects(store.addInternalNote({ ticketId: 'tkt_nope', author: SAM, body: 'x', now: at(3) }));
    } finally {
      await store.close();
    }
  });

  it('agent replies link files uploaded through the service API, atomically; a bad file changes nothing', async () => {
    const { store } = await seeded();
    try {
      const uploader = serviceUploader(0);
      const file = (id: string, accountId: string) => ({
        id,
        name: `${id}.txt`,
        contentType: 'text/plain',
        size: 3,
        ticketId: null,
        createdAt: at(1),
        accountId,
        uploaderId: uploader,
      });
      await store.createServiceAttachment(file('att_a', DEMO_ACCOUNTS.acme));
      await store.createServiceAttachment(file('att_globex', DEMO_ACCOUNTS.globex));
      const before = (await store.getTicket('tkt_1003'))!;
      await assert.rejects(
        store.addAgentReply({ ticketId: 'tkt_1003', author: SAM, body: 'Two files', now: at(2), attachmentIds: ['att_a', 'att_globex'], uploaderId: uploader }),
      );
      assert.equal((await store.getTicket('tkt_1003'))!.version, before.version, 'nothing written');
      assert.equal((await store.getAttachment('att_a'))!.ticketId, null);
      await assert.rejects(
        store.addAgentReply({ ticketId: 'tkt_1003', author: SAM, body: 'Other key', now: at(2), attachmentIds: ['att_a'], uploaderId: serviceUploader(1) }),
      );

      const { comment, ticket } = await store.addAgentReply({
        ticketId: 'tkt_1003',
        author: SAM,
        body: 'Corrected invoice',
        now: at(3),
        attachmentIds: ['att_a'],
        uploaderId: uploader,
      });
      assert.equal(ticket.commentCount, before.commentCount + 1);
      assert.equal((await store.listComments('tkt_1003', { limit: 100 })).items.at(-1)!.id, comment.id);
      assert.deepEqual(
        (await store.listAttachments('tkt_1003')).map((a) => a.id),
        ['att_a'],
      );
      await assert.rejects(
        store.addAgentReply({ ticketId: 'tkt_1005', author: SAM, body: 'Again', now: at(4), attachmentIds: ['att_a'], uploaderId: uploader }),
        'a linked file cannot be linked again',
      );
    } finally {
      await store.close();
    }
  });

  it('updateTicket changes category (with activity) and assignee (without), guarded by the version', async () => {
    const { store } = await seeded();
    try {
      const before = (await store.getTicket('tkt_1006'))!;
      const stale = await store.updateTicket({
        ticketId: 'tkt_1006',
        changes: { assignee: 'Rosa' },
        expectedVersion: before.version - 1,
        actor: SAM,
        now: at(1),
      });
      assert.equal(stale.state, 'stale');
      const head = await store.activityHead();
      const result = await store.updateTicket({
        ticketId: 'tkt_1006',
        changes: { category: 'billing', assignee: 'Rosa Lindqvist', priority: 'high' },
        expectedVersion: before.version,
        actor: SAM,
        now: at(2),
      });
      assert.equal(result.state, 'updated');
      const t = (result as { ticket: Ticket }).ticket;
      assert.deepEqual([t.category, t.assignee, t.priority, t.version, t.updatedAt], ['billing', 'Rosa Lindqvist', 'high', before.version + 1, at(2)]);
      const entries = await store.listActivitySince([before.accountId], head, 10);
      assert.deepEqual(entries.map((e) => [e.activity.type, e.activity.data]).sort(), [
        ['ticket.category_changed', { from: before.category, to: 'billing' }],
        ['ticket.priority_changed', { from: before.priority, to: 'high' }],
      ]);
      const unassigned = await store.updateTicket({ ticketId: 'tkt_1006', changes: { assignee: null }, actor: SAM, now: at(3) });
      assert.equal((unassigned as { ticket: Ticket }).ticket.assignee, null);
      assert.equal((unassigned as { ticket: Ticket }).ticket.version, before.version + 2);
      assert.equal(await store.activityHead(), head + 2, 'an assignee change writes no activity');
    } finally {
      await store.close();
    }
  });

  it('merge: closes the duplicate pointing at the target, moves requester and followers, writes ticket.merged on both; refusals write nothing', async () => {
    const { store } = await seeded();
    try {
      // T-1008 (Mia's, followed by Jay) into T-1001 (Mia's, followed by Ada and Jay).
      const source = (await store.getTicket('tkt_1008'))!;
      const target = (await store.getTicket('tkt_1001'))!;
      assert.equal((await store.mergeTickets({ sourceId: source.id, targetId: 'tkt_1037', actor: SAM, now: at(1) })).state, 'invalid');
      assert.deepEqual(await store.mergeTickets({ sourceId: source.id, targetId: 'tkt_1037', actor: SAM, now: at(1) }), {
        state: 'invalid',
        reason: 'cross_account',
      });
      assert.deepEqual(await store.mergeTickets({ sourceId: source.id, targetId: source.id, actor: SAM, now: at(1) }), {
        state: 'invalid',
        reason: 'same_ticket',
      });
      assert.equal(
        (await store.mergeTickets({ sourceId: source.id, targetId: target.id, actor: SAM, now: at(1), expectedVersion: source.version + 5 })).state,
        'stale',
      );
      assert.deepEqual(await store.mergeTickets({ sourceId: 'tkt_nope', targetId: target.id, actor: SAM, now: at(1) }), { state: 'missing' });
      assert.equal((await store.getTicket(source.id))!.version, source.version, 'refusals wrote nothing');

      const head = await store.activityHead();
      const outboxBefore = await store.listOutbox({ after: 0, limit: 100_000 });
      const merged = await store.mergeTickets({ sourceId: source.id, targetId: target.id, actor: SAM, now: at(2), expectedVersion: source.version });
      assert.equal(merged.state, 'merged');
      const { source: closed, target: kept } = merged as { source: Ticket; target: Ticket };
      assert.deepEqual(closed.mergedInto, { id: target.id, ref: target.ref });
      assert.equal(closed.status, 'closed');
      assert.equal(closed.version, source.version + 1);
      assert.deepEqual((await store.getTicket(source.id))!.mergedInto, { id: target.id, ref: target.ref });
      assert.equal((await store.getTicket(target.id))!.mergedInto, undefined);
      assert.deepEqual(
        kept.followerIds,
        [...new Set([...target.followerIds, ...source.followerIds, source.requester.id])].filter((id) => id !== target.requester.id).sort(),
      );
      assert.equal(kept.updatedAt, at(2));
      const entries = (await store.listActivitySince([source.accountId], head, 10)).map((e) => e.activity);
      const data = { source: { id: source.id, ref: source.ref }, target: { id: target.id, ref: target.ref } };
      assert.deepEqual(
        entries.map((a) => [a.type, a.ticketId]).sort(),
        [
          ['ticket.merged', source.id],
          ['ticket.merged', target.id],
          ['ticket.status_changed', source.id],
        ].sort(),
      );
      assert.ok(entries.filter((a) => a.type === 'ticket.merged').every((a) => JSON.stringify(a.data) === JSON.stringify(data)));
      // The vendor hears of it: the status change and one merge event, from the duplicate.
      const events = await store.listOutbox({ after: outboxBefore.at(-1)?.sequence ?? 0, limit: 100 });
      assert.deepEqual(
        events.map((e) => [e.type, e.ticketId]).sort(),
        [
          ['ticket.merged', source.id],
          ['ticket.status_changed', source.id],
        ].sort(),
      );
      assert.deepEqual(events.find((e) => e.type === 'ticket.merged')!.data.target, data.target);

      // A follower from the source (a contact of the account who only followed the duplicate) now sees the target via following.
      const byFollower = await store.searchTickets({
        scope: [{ kind: 'involved', accountId: DEMO_ACCOUNTS.acme, contactId: DEMO_CONTACTS.jay }],
        filter: { followerId: DEMO_CONTACTS.jay },
        sort: 'updated',
        limit: 100,
      });
      assert.ok(byFollower.items.some((t) => t.id === target.id));

      assert.equal((await store.mergeTickets({ sourceId: source.id, targetId: 'tkt_1005', actor: SAM, now: at(3) })).state, 'already_merged');
      assert.deepEqual(await store.mergeTickets({ sourceId: 'tkt_1005', targetId: source.id, actor: SAM, now: at(3) }), {
        state: 'invalid',
        reason: 'target_merged',
      });
    } finally {
      await store.close();
    }
  });
};
