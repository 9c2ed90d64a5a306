/**
 * Conformance of the timeline, live-event, notification and SLA store methods (issue 6):
 * visibility of activity follows the ticket scope, append order is stable, SLA marks are
 * recorded once, status changes write their activity.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { canView, ticketScope, type Activity } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, type ActivitySearch, type Store } from '@portico/server';
import { actorOf } from '../helpers.ts';
import { SAMPLE_RULES } from '../../../core/test/role-arbitrary.ts';
import type { FeatureCases, Seeded } from './index.ts';

async function searchAll(store: Store, search: Omit<ActivitySearch, 'after' | 'limit'>, limit = 7): Promise<Activity[]> {
  const out: Activity[] = [];
  let after: readonly [string, string] | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await store.searchActivity({ ...search, after, limit });
    out.push(...page.items);
    const last = page.items.at(-1);
    if (!page.nextCursor || !last) return out;
    after = [last.createdAt, last.id];
  }
  throw new Error('activity paging does not end');
}

export const activityCases: FeatureCases = (seeded: Seeded) => {
  it('activity: each role sees exactly the entries of tickets it may see, newest first, paged', async () => {
    const { store, seed } = await seeded();
    try {
      // The built-in role of each contact, and generated vendor roles carrying their rule.
      const rules = [undefined, ...SAMPLE_RULES.slice(0, 8)];
      for (const contact of seed.contacts.filter((c) => c.status === 'active'))
        for (const rule of rules) {
          const builtIn = actorOf(seed, contact);
          const children = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
          const actor = rule ? { ...builtIn, role: 'x-generated', rules: rule, childAccountIds: rule.childAccounts ? children : [] } : builtIn;
          const accountIds = [actor.accountId, ...actor.childAccountIds];
          const got = await searchAll(store, { scope: ticketScope(actor), accountIds, filter: {} });
          const expected = seed.activity
            .filter((a) => accountIds.includes(a.accountId))
            .filter((a) => {
              const t = seed.tickets.find((x) => x.id === a.ticketId);
              return !a.ticketId || (t !== undefined && canView(actor, { ...t, requesterId: t.requester.id }));
            })
            .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
          assert.deepEqual(
            got.map((a) => a.id),
            expected.map((a) => a.id),
            `${contact.name} ${JSON.stringify(rule ?? contact.role)}`,
          );
          assert.equal(await store.countActivity({ scope: ticketScope(actor), accountIds, filter: {} }), expected.length);
        }
    } finally {
      await store.close();
    }
  });

  it('activity: filters by type, ticket, contact, involvement, actor and time', async () => {
    const { store, seed } = await seeded();
    try {
      const ada = seed.contacts.find((c) => c.id === DEMO_CONTACTS.ada)!;
      const base = { scope: ticketScope(actorOf(seed, ada)), accountIds: [DEMO_ACCOUNTS.acme] };
      const comments = await searchAll(store, { ...base, filter: { types: ['ticket.commented'] } });
      assert.ok(comments.length > 0 && comments.every((a) => a.type === 'ticket.commented'));
      const one = await searchAll(store, { ...base, filter: { ticketId: 'tkt_1001' } });
      assert.deepEqual(
        one.map((a) => a.id).sort(),
        seed.activity
          .filter((a) => a.ticketId === 'tkt_1001')
          .map((a) => a.id)
          .sort(),
      );
      const byMia = await searchAll(store, { ...base, filter: { contactId: DEMO_CONTACTS.mia } });
      assert.ok(byMia.length > 0 && byMia.every((a) => a.actor.id === DEMO_CONTACTS.mia || a.contactId === DEMO_CONTACTS.mia));
      const involving = await searchAll(store, { ...base, filter: { involvingContactId: DEMO_CONTACTS.jay, excludeActorId: DEMO_CONTACTS.jay } });
      const jayTickets = new Set(
        seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay || t.followerIds.includes(DEMO_CONTACTS.jay)).map((t) => t.id),
      );
      assert.ok(involving.length > 0);
      assert.ok(involving.every((a) => jayTickets.has(a.ticketId!) && a.actor.id !== DEMO_CONTACTS.jay));
      const from = comments[2]!.createdAt;
      const to = comments[0]!.createdAt;
      const window = await searchAll(store, { ...base, filter: { types: ['ticket.commented'], from, to } });
      assert.deepEqual(
        window.map((a) => a.id),
        comments.filter((a) => a.createdAt >= from && a.createdAt < to).map((a) => a.id),
      );
    } finally {
      await store.close();
    }
  });

  it('live: activity is listed in append order after a sequence number, per account', async () => {
    const { store, seed } = await seeded();
    try {
      const head = await store.activityHead();
      assert.equal(head, seed.activity.length);
      const all = await store.listActivitySince([DEMO_ACCOUNTS.globex], 0, 1000);
      assert.deepEqual(
        all.map((e) => e.activity.id),
        seed.activity.filter((a) => a.accountId === DEMO_ACCOUNTS.globex).map((a) => a.id),
      );
      assert.ok(all.every((e, i) => i === 0 || e.seq > all[i - 1]!.seq));
      // `all`: every account's entries, in append order (what the live hub reads).
      const everyAccount = await store.listActivitySince('all', 0, 1000);
      assert.deepEqual(
        everyAccount.map((e) => e.activity.id),
        seed.activity.map((a) => a.id),
      );
      assert.deepEqual(
        (await store.listActivitySince('all', 2, 3)).map((e) => e.seq),
        [3, 4, 5],
      );
      const actor = { kind: 'agent' as const, id: 'agt_x', name: 'X' };
      await store.addComment({ ticketId: 'tkt_1001', author: actor, body: 'hi', now: '2026-03-02T10:00:00.000Z' });
      const after = await store.listActivitySince([DEMO_ACCOUNTS.acme], head, 10);
      assert.equal(after.length, 1);
      assert.equal(after[0]!.activity.type, 'ticket.commented');
      assert.equal(after[0]!.seq, head + 1);
      assert.deepEqual(await store.listActivitySince([DEMO_ACCOUNTS.globex], head, 10), []);
      assert.deepEqual(
        (await store.listActivitySince('all', head, 10)).map((e) => e.activity.id),
        [after[0]!.activity.id],
      );
    } finally {
      await store.close();
    }
  });

  it('SLA: history lists status changes and the first agent reply; status changes write activity once', async () => {
    const { store } = await seeded();
    try {
      const agent = { kind: 'agent' as const, id: 'agt_x', name: 'X' };
      const before = (await store.getTicket('tkt_1002'))!;
      const changed = await store.changeTicketStatus({ ticketId: 'tkt_1002', status: 'open', assignee: 'X', actor: agent, now: '2026-03-02T10:00:00.000Z' });
      assert.equal(changed?.status, 'open');
      assert.equal(changed?.assignee, 'X');
      assert.equal(changed?.version, before.version + 1);
      const same = await store.changeTicketStatus({ ticketId: 'tkt_1002', status: 'open', actor: agent, now: '2026-03-02T10:01:00.000Z' });
      assert.equal(same?.version, changed!.version, 'no change, no bump');
      assert.equal(await store.changeTicketStatus({ ticketId: 'tkt_nope', status: 'open', actor: agent, now: '2026-03-02T10:00:00.000Z' }), undefined);
      const history = await store.getSlaHistory(['tkt_1002', 'tkt_1001', 'tkt_nope']);
      assert.deepEqual(history.get('tkt_1002')?.statusChanges.at(-1), { at: '2026-03-02T10:00:00.000Z', to: 'open' });
      const firstAgent = (await store.listComments('tkt_1001', { limit: 100 })).items.find((c) => c.author.kind === 'agent')!;
      assert.equal(history.get('tkt_1001')?.firstResponseAt, firstAgent.createdAt);
      assert.equal(history.has('tkt_nope'), false);
    } finally {
      await store.close();
    }
  });

  it('SLA: a crossing is recorded once per ticket, clock and type; candidates are the unsolved tickets', async () => {
    const { store, seed } = await seeded();
    try {
      const draft = {
        ticketId: 'tkt_1001',
        clock: 'resolution' as const,
        type: 'sla.breached' as const,
        at: '2026-03-01T00:00:00.000Z',
        dueAt: '2026-03-01T00:00:00.000Z',
      };
      const first = await store.recordSlaMark(draft);
      assert.equal(first?.type, 'sla.breached');
      assert.equal(first?.accountId, DEMO_ACCOUNTS.acme);
      assert.equal(first?.actor.kind, 'system');
      assert.equal(await store.recordSlaMark({ ...draft, at: '2026-03-01T00:05:00.000Z' }), undefined);
      assert.ok(await store.recordSlaMark({ ...draft, type: 'sla.at_risk' }));
      const concurrent = await Promise.all([1, 2, 3].map(() => store.recordSlaMark({ ...draft, clock: 'firstResponse' })));
      assert.equal(concurrent.filter(Boolean).length, 1);
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listSlaCandidates(after, 4);
        ids.push(...page.map((t) => t.id));
        if (page.length < 4) break;
        after = page.at(-1)!.id;
      }
      assert.deepEqual(
        ids,
        seed.tickets
          .filter((t) => ['new', 'open', 'pending'].includes(t.status))
          .map((t) => t.id)
          .sort(),
      );
    } finally {
      await store.close();
    }
  });

  it('SLA scheduling: unscheduled tickets are due, scheduled ones at their time, a write to the ticket or its account makes them due again', async () => {
    const { store, seed } = await seeded();
    try {
      const unsolved = seed.tickets
        .filter((t) => ['new', 'open', 'pending'].includes(t.status))
        .map((t) => t.id)
        .sort();
      const due = async (at: string) => (await store.listDueSlaTickets(at, 1000)).map((t) => t.id).sort();
      const now = '2026-03-01T00:00:00.000Z';
      assert.deepEqual(await due(now), unsolved);
      await store.scheduleSlaChecks(unsolved.map((ticketId, i) => ({ ticketId, at: `2026-03-0${1 + (i % 2)}T12:00:00.000Z` })));
      assert.deepEqual(await due(now), []);
      assert.deepEqual(
        await due('2026-03-01T12:00:00.000Z'),
        unsolved.filter((_, i) => i % 2 === 0),
      );
      assert.equal((await store.listDueSlaTickets('2026-03-03T00:00:00.000Z', 2)).length, 2, 'the limit holds');
      const [commented, other] = unsolved;
      await store.addComment({ ticketId: commented!, body: 'A reply', author: { kind: 'agent', id: 'a', name: 'A' }, now });
      assert.deepEqual(await due(now), [commented]);
      const ticket = seed.tickets.find((t) => t.id === other)!;
      const tier = seed.accounts.find((a) => a.id === ticket.accountId)!.tier === 'premier' ? 'standard' : 'premier';
      const provisioned = await store.provision({
        accounts: [{ id: ticket.accountId, tier }],
        contacts: [],
        actor: { kind: 'system', id: 't', name: 'T' },
        now,
      });
      assert.ok(provisioned.ok);
      const accountTickets = unsolved.filter((id) => seed.tickets.find((t) => t.id === id)!.accountId === ticket.accountId);
      assert.deepEqual(await due(now), [...new Set([commented!, ...accountTickets])].sort());
    } finally {
      await store.close();
    }
  });

  it('notifications: the seen mark is stored per contact', async () => {
    const { store } = await seeded();
    try {
      assert.equal(await store.getNotificationsSeenAt(DEMO_CONTACTS.mia), null);
      await store.setNotificationsSeenAt(DEMO_CONTACTS.mia, '2026-03-02T09:00:00.000Z');
      await store.setNotificationsSeenAt(DEMO_CONTACTS.mia, '2026-03-02T09:30:00.000Z');
      assert.equal(await store.getNotificationsSeenAt(DEMO_CONTACTS.mia), '2026-03-02T09:30:00.000Z');
      assert.equal(await store.getNotificationsSeenAt(DEMO_CONTACTS.ada), null);
    } finally {
      await store.close();
    }
  });
};
