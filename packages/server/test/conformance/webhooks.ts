/**
 * Events out: every store writes each domain event to the outbox in the write's transaction
 * (with the ticket as it is after the write), tells listeners after commit, and queues,
 * claims, orders and completes webhook deliveries the same way.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ActorRef, OutboxEvent, Ticket } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, type Store, type WebhookEndpointDraft } from '@portico/server';
import type { FeatureCases } from './index.ts';

const NOW = '2026-03-02T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const ADA: ActorRef = { kind: 'contact', id: DEMO_CONTACTS.ada, name: 'Ada Okafor' };
const AGENT: ActorRef = { kind: 'agent', id: 'agt_sam', name: 'Sam' };

const endpointDraft = (id: string, extra: Partial<WebhookEndpointDraft> = {}): WebhookEndpointDraft => ({
  id,
  url: `https://hooks.example.com/${id}`,
  description: '',
  eventTypes: null,
  enabled: true,
  secret: `whsec_${btoa(id.padEnd(32, '-'))}`,
  now: NOW,
  ...extra,
});

async function newTicket(store: Store, subject = 'Invoices export fails'): Promise<Ticket> {
  return store.createTicket({
    accountId: DEMO_ACCOUNTS.acme,
    requesterId: DEMO_CONTACTS.ada,
    subject,
    description: 'The export spins forever.',
    category: 'billing',
    priority: 'normal',
    visibility: 'account',
    actor: ADA,
    now: NOW,
  });
}

const all = (store: Store) => store.listOutbox({ after: 0, limit: 1000 });
const ticketOf = (e: OutboxEvent) => e.data.ticket as Ticket;

export const webhookCases: FeatureCases = (seeded) => {
  it('outbox: every ticket write adds its event, with the ticket as written and the actor, in order', async () => {
    const { store } = await seeded();
    try {
      assert.deepEqual(await all(store), [], 'loading the seed wrote no events');
      const notified: number[] = [];
      store.onOutbox(() => notified.push(Date.now()));
      const ticket = await newTicket(store);
      await new Promise((r) => setTimeout(r, 0));
      assert.ok(notified.length >= 1, 'listeners hear of the commit');

      const { comment } = await store.addComment({ ticketId: ticket.id, author: AGENT, body: 'Looking into it', now: at(1) });
      await store.updateTicket({ ticketId: ticket.id, changes: { status: 'open', priority: 'high', visibility: 'private' }, actor: ADA, now: at(2) });
      await store.escalateTicket({ ticketId: ticket.id, reason: 'Payroll blocked', actor: ADA, now: at(3) });
      await store.setFollowing(ticket.id, DEMO_CONTACTS.mia, true, at(4));
      await store.changeTicketStatus({ ticketId: ticket.id, status: 'solved', assignee: 'Sam', actor: AGENT, now: at(5) });
      await store.rateTicket({ ticketId: ticket.id, rating: 'good', comment: null, actor: ADA, now: at(6) });
      await store.recordSlaMark({ ticketId: ticket.id, clock: 'resolution', type: 'sla.breached', at: at(7), dueAt: at(0) });

      const events = await all(store);
      assert.deepEqual(
        events.map((e) => e.type),
        [
          'ticket.created',
          'ticket.commented',
          'ticket.status_changed',
          'ticket.visibility_changed',
          'ticket.priority_changed',
          'ticket.escalated',
          'ticket.followed',
          'ticket.status_changed',
          'ticket.satisfaction_rated',
          'sla.breached',
        ],
      );
      assert.deepEqual(
        events.map((e) => e.sequence),
        events.map((_, i) => i + 1),
      );
      for (const e of events) {
        assert.equal(e.ticketId, ticket.id);
        assert.equal(e.accountId, DEMO_ACCOUNTS.acme);
        assert.equal(ticketOf(e).id, ticket.id);
      }
      const [created, commented, statusChanged, , , escalated, , solved] = events;
      assert.equal(ticketOf(created!).version, 1);
      assert.equal(created!.occurredAt, NOW);
      assert.deepEqual(created!.data.actor, ADA);
      assert.deepEqual(commented!.data.comment, { id: comment.id, author: AGENT, body: 'Looking into it', internal: false, createdAt: at(1) });
      assert.deepEqual([statusChanged!.data.from, statusChanged!.data.to], ['new', 'open']);
      // All three changes of one update carry the ticket after the whole update.
      assert.equal(ticketOf(statusChanged!).priority, 'high');
      assert.equal(ticketOf(statusChanged!).visibility, 'private');
      assert.equal(escalated!.data.reason, 'Payroll blocked');
      assert.equal(ticketOf(escalated!).escalated, true);
      assert.equal(ticketOf(solved!).assignee, 'Sam');
      assert.equal(ticketOf(solved!).status, 'solved');
      assert.deepEqual(await store.listOutbox({ after: 8, limit: 10, types: ['sla.breached'] }).then((es) => es.map((e) => e.sequence)), [10]);
    } finally {
      await store.close();
    }
  });

  it('outbox: a deflection writes article.deflected; a refused write writes nothing', async () => {
    const { store, seed } = await seeded();
    try {
      const article = seed.articles![0]!;
      await store.recordDeflection({
        id: 'dfl_1',
        articleId: article.id,
        accountId: DEMO_ACCOUNTS.acme,
        contactId: DEMO_CONTACTS.ada,
        query: 'export',
        createdAt: NOW,
      });
      await assert.rejects(
        store.recordDeflection({
          id: 'dfl_2',
          articleId: 'art_nope',
          accountId: DEMO_ACCOUNTS.acme,
          contactId: DEMO_CONTACTS.ada,
          query: null,
          createdAt: NOW,
        }),
      );
      await assert.rejects(store.addComment({ ticketId: 'tkt_nope', author: AGENT, body: 'x', now: NOW }));
      const events = await all(store);
      assert.deepEqual(
        events.map((e) => e.type),
        ['article.deflected'],
      );
      assert.deepEqual(events[0]!.data, {
        deflectionId: 'dfl_1',
        article: { id: article.id, title: article.title },
        contactId: DEMO_CONTACTS.ada,
        query: 'export',
      });
      assert.equal(events[0]!.ticketId, null);
    } finally {
      await store.close();
    }
  });

  it('webhooks: endpoints are created, listed, changed, rotated and deleted', async () => {
    const { store } = await seeded();
    try {
      const a = await store.createWebhookEndpoint(endpointDraft('whe_a', { eventTypes: ['ticket.created'], description: 'CRM' }));
      assert.deepEqual(a, {
        id: 'whe_a',
        url: 'https://hooks.example.com/whe_a',
        description: 'CRM',
        eventTypes: ['ticket.created'],
        enabled: true,
        disabledReason: null,
        failingSince: null,
        previousSecretExpiresAt: null,
        createdAt: NOW,
        updatedAt: NOW,
        secret: endpointDraft('whe_a').secret,
        previousSecret: null,
      });
      await store.createWebhookEndpoint(endpointDraft('whe_b', { now: at(1), enabled: false }));
      assert.equal((await store.getWebhookEndpoint('whe_b'))!.disabledReason, 'manual');
      assert.deepEqual(
        (await store.listWebhookEndpoints(undefined, 10)).map((e) => e.id),
        ['whe_a', 'whe_b'],
      );
      assert.deepEqual(
        (await store.listWebhookEndpoints([NOW, 'whe_a'], 10)).map((e) => e.id),
        ['whe_b'],
      );

      const rotated = await store.updateWebhookEndpoint('whe_a', {
        rotate: { secret: 'whsec_new', previousSecretExpiresAt: at(60) },
        eventTypes: null,
        now: at(2),
      });
      assert.equal(rotated!.secret, 'whsec_new');
      assert.equal(rotated!.previousSecret, a.secret);
      assert.equal(rotated!.previousSecretExpiresAt, at(60));
      assert.equal(rotated!.eventTypes, null);
      assert.equal(rotated!.updatedAt, at(2));
      assert.equal(rotated!.description, 'CRM');
      assert.equal(await store.updateWebhookEndpoint('whe_nope', { now: NOW }), undefined);
      assert.equal(await store.deleteWebhookEndpoint('whe_b'), true);
      assert.equal(await store.deleteWebhookEndpoint('whe_b'), false);
      assert.equal(await store.getWebhookEndpoint('whe_b'), undefined);
    } finally {
      await store.close();
    }
  });

  it('webhooks: deliveries follow the filter and start after the endpoint; a ticket’s later event waits for its earlier one', async () => {
    const { store } = await seeded();
    try {
      await newTicket(store, 'Before any endpoint');
      await store.createWebhookEndpoint(endpointDraft('whe_all'));
      await store.createWebhookEndpoint(endpointDraft('whe_comments', { eventTypes: ['ticket.commented'] }));
      await store.createWebhookEndpoint(endpointDraft('whe_off', { enabled: false }));
      const t1 = await newTicket(store, 'One');
      const t2 = await newTicket(store, 'Two');
      await store.addComment({ ticketId: t1.id, author: AGENT, body: 'first', now: at(1) });
      await store.addComment({ ticketId: t1.id, author: AGENT, body: 'second', now: at(2) });

      assert.equal(await store.enqueueWebhookDeliveries(at(3), 500), 4 + 2);
      assert.equal(await store.enqueueWebhookDeliveries(at(3), 500), 0, 'each event is queued once');
      const claim = { owner: 'w1', now: at(3), leaseUntil: at(4), limit: 100 };
      const first = await store.claimWebhookDeliveries(claim);
      // Per endpoint and ticket only the earliest pending event goes.
      assert.deepEqual(
        first.map((c) => [c.endpoint.id, c.event.type, c.event.ticketId]).sort(),
        [
          ['whe_all', 'ticket.created', t1.id],
          ['whe_all', 'ticket.created', t2.id],
          ['whe_comments', 'ticket.commented', t1.id],
        ].sort(),
      );
      for (const c of first) {
        assert.equal(c.delivery.status, 'pending');
        assert.equal(c.delivery.eventId, c.event.id);
        assert.equal(c.endpoint.secret, endpointDraft(c.endpoint.id).secret);
      }
      assert.deepEqual(await store.claimWebhookDeliveries({ ...claim, owner: 'w2' }), [], 'claimed deliveries are leased');

      // A failed attempt keeps the delivery pending and its ticket blocked until it is due again.
      const t1Created = first.find((c) => c.endpoint.id === 'whe_all' && c.event.ticketId === t1.id)!;
      const wrongOwner = await store.completeWebhookAttempt({
        deliveryId: t1Created.delivery.id,
        owner: 'w2',
        at: at(3),
        durationMs: 5,
        ok: true,
        responseStatus: 200,
        error: null,
        nextAttemptAt: null,
        disableIfFailingSince: at(-1440),
      });
      assert.deepEqual(wrongOwner, { disabled: false });
      await store.completeWebhookAttempt({
        deliveryId: t1Created.delivery.id,
        owner: 'w1',
        at: at(3),
        durationMs: 12,
        ok: false,
        responseStatus: 500,
        error: 'http_500',
        nextAttemptAt: at(10),
        disableIfFailingSince: at(-1440),
      });
      assert.equal((await store.getWebhookEndpoint('whe_all'))!.failingSince, at(3));
      for (const c of first.filter((x) => x !== t1Created)) {
        await store.completeWebhookAttempt({
          deliveryId: c.delivery.id,
          owner: 'w1',
          at: at(3),
          durationMs: 3,
          ok: true,
          responseStatus: 204,
          error: null,
          nextAttemptAt: null,
          disableIfFailingSince: at(-1440),
        });
      }
      const next = await store.claimWebhookDeliveries({ ...claim, now: at(5), leaseUntil: at(6) });
      assert.deepEqual(
        next.map((c) => [c.endpoint.id, c.event.type, c.event.data.comment && (c.event.data.comment as { body: string }).body]),
        [['whe_comments', 'ticket.commented', 'second']],
      );
      await store.completeWebhookAttempt({
        deliveryId: next[0]!.delivery.id,
        owner: 'w1',
        at: at(5),
        durationMs: 3,
        ok: true,
        responseStatus: 200,
        error: null,
        nextAttemptAt: null,
        disableIfFailingSince: at(-1440),
      });

      const retried = await store.claimWebhookDeliveries({ ...claim, now: at(10), leaseUntil: at(11) });
      assert.deepEqual(
        retried.map((c) => c.delivery.id),
        [t1Created.delivery.id],
      );
      assert.equal(retried[0]!.delivery.attempts, 1);
      assert.equal(retried[0]!.delivery.lastResponseStatus, 500);
      await store.completeWebhookAttempt({
        deliveryId: t1Created.delivery.id,
        owner: 'w1',
        at: at(10),
        durationMs: 8,
        ok: true,
        responseStatus: 200,
        error: null,
        nextAttemptAt: null,
        disableIfFailingSince: at(-1440),
      });
      assert.equal((await store.getWebhookEndpoint('whe_all'))!.failingSince, null, 'a success ends the failure clock');
      const log = await store.listWebhookDeliveries({ endpointId: 'whe_all', limit: 10 });
      assert.equal(log.length, 4);
      assert.deepEqual(
        log.map((d) => d.seq),
        [...log.map((d) => d.seq)].sort((a, b) => b - a),
        'newest first',
      );
      const done = log.find((d) => d.delivery.id === t1Created.delivery.id)!.delivery;
      assert.deepEqual(
        [done.status, done.attempts, done.lastResponseStatus, done.lastError, done.lastDurationMs, done.deliveredAt, done.nextAttemptAt],
        ['succeeded', 2, 200, null, 8, at(10), null],
      );
      assert.deepEqual(
        (await store.listWebhookDeliveries({ endpointId: 'whe_all', status: 'pending', limit: 10 })).map((d) => d.delivery.eventType),
        ['ticket.commented', 'ticket.commented'],
      );
      assert.deepEqual(
        (await store.listWebhookDeliveries({ endpointId: 'whe_all', before: log[1]!.seq, limit: 10 })).map((d) => d.seq),
        log.slice(2).map((d) => d.seq),
      );
    } finally {
      await store.close();
    }
  });

  it('webhooks: a lapsed lease is claimable again; the last failure fails the delivery; long failing disables the endpoint once', async () => {
    const { store } = await seeded();
    try {
      await store.createWebhookEndpoint(endpointDraft('whe_x'));
      const ticket = await newTicket(store);
      await store.enqueueWebhookDeliveries(NOW, 500);
      const [lost] = await store.claimWebhookDeliveries({ owner: 'dead', now: NOW, leaseUntil: at(1), limit: 10 });
      const [taken] = await store.claimWebhookDeliveries({ owner: 'alive', now: at(2), leaseUntil: at(3), limit: 10 });
      assert.equal(taken!.delivery.id, lost!.delivery.id);
      assert.deepEqual(
        await store.completeWebhookAttempt({
          deliveryId: lost!.delivery.id,
          owner: 'dead',
          at: at(2),
          durationMs: 1,
          ok: true,
          responseStatus: 200,
          error: null,
          nextAttemptAt: null,
          disableIfFailingSince: at(-1440),
        }),
        { disabled: false },
      );
      await store.completeWebhookAttempt({
        deliveryId: taken!.delivery.id,
        owner: 'alive',
        at: at(2),
        durationMs: 1,
        ok: false,
        responseStatus: null,
        error: 'timeout',
        nextAttemptAt: null,
        disableIfFailingSince: at(-1440),
      });
      const [failed] = await store.listWebhookDeliveries({ endpointId: 'whe_x', limit: 1 });
      assert.deepEqual([failed!.delivery.status, failed!.delivery.lastError, failed!.delivery.nextAttemptAt], ['failed', 'timeout', null]);

      // Failing since at(2); an attempt a day later disables it and writes one outbox event.
      await store.addComment({ ticketId: ticket.id, author: AGENT, body: 'still there?', now: at(3) });
      await store.enqueueWebhookDeliveries(at(3), 500);
      const [c] = await store.claimWebhookDeliveries({ owner: 'alive', now: at(1500), leaseUntil: at(1501), limit: 10 });
      const outcome = await store.completeWebhookAttempt({
        deliveryId: c!.delivery.id,
        owner: 'alive',
        at: at(1500),
        durationMs: 1,
        ok: false,
        responseStatus: 502,
        error: 'http_502',
        nextAttemptAt: at(1600),
        disableIfFailingSince: at(1500 - 1440),
      });
      assert.deepEqual(outcome, { disabled: true });
      const endpoint = (await store.getWebhookEndpoint('whe_x'))!;
      assert.deepEqual([endpoint.enabled, endpoint.disabledReason, endpoint.failingSince], [false, 'failing', at(2)]);
      const disabled = await store.listOutbox({ after: 0, limit: 100, types: ['webhook_endpoint.disabled'] });
      assert.equal(disabled.length, 1);
      assert.deepEqual(disabled[0]!.data, { endpoint: { id: 'whe_x', url: endpoint.url, description: '' }, reason: 'failing', failingSince: at(2) });
      assert.equal(disabled[0]!.accountId, null);
      assert.deepEqual(
        await store.claimWebhookDeliveries({ owner: 'alive', now: at(2000), leaseUntil: at(2001), limit: 10 }),
        [],
        'a disabled endpoint gets nothing',
      );

      // Re-enabled, it takes the events from then on; a redelivery queues an old event again.
      const before = (await all(store)).length;
      await store.updateWebhookEndpoint('whe_x', { enabled: true, now: at(2000) });
      assert.equal(await store.enqueueWebhookDeliveries(at(2000), 500), 0, 'events written while disabled are not queued');
      assert.equal(before, (await all(store)).length);
      const again = await store.redeliverWebhook('whe_x', failed!.delivery.id, at(2001));
      assert.deepEqual([again!.status, again!.attempts, again!.eventId, again!.createdAt], ['pending', 0, failed!.delivery.eventId, at(2001)]);
      assert.equal(await store.redeliverWebhook('whe_other', failed!.delivery.id, at(2001)), undefined);
      const claimed = await store.claimWebhookDeliveries({ owner: 'alive', now: at(2001), leaseUntil: at(2002), limit: 10 });
      assert.ok(claimed.some((x) => x.delivery.id === again!.id));
      // Retention: finished deliveries before the cut leave the log; pending ones stay.
      const logBefore = await store.listWebhookDeliveries({ endpointId: 'whe_x', limit: 10 });
      assert.equal(await store.pruneWebhookDeliveries(at(2001)), logBefore.filter((d) => d.delivery.status !== 'pending').length);
      assert.ok((await store.listWebhookDeliveries({ endpointId: 'whe_x', limit: 10 })).every((d) => d.delivery.status === 'pending'));
      assert.equal(await store.pruneWebhookDeliveries(at(2001)), 0);
      assert.equal(await store.deleteWebhookEndpoint('whe_x'), true);
      assert.deepEqual(await store.listWebhookDeliveries({ endpointId: 'whe_x', limit: 10 }), []);
    } finally {
      await store.close();
    }
  });
};
