/**
 * Webhooks end to end: a real Portico server (SQLite) delivers to a real HTTP receiver, and
 * signatures are checked with the independent `standardwebhooks` package, never with
 * Portico's own signing code. Retry schedules are shortened through the server options.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Webhook } from 'standardwebhooks';
import { WebhookEndpointSchema, WebhookDeliverySchema, WebhookPayloadSchema } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, MemoryStore, createApp, demoSeed, mintToken } from '@portico/server';
import {
  SQLITE_MIGRATIONS,
  SqliteStore,
  createNodeSender,
  startServer,
  webhookUrlProblem,
  type RunningServer,
  type ServerWebhookOptions,
} from '@portico/server/node';
import { startReceiver, webhookHeaders, type Receiver } from './webhook-receiver.ts';

const service = { authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };

interface Api {
  server: RunningServer;
  call(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Files a ticket as Ada (Acme admin); answers the ticket. */
  fileTicket(subject?: string): Promise<any>;
  /** An agent reply through the service API. */
  reply(ticketId: string, body: string): Promise<void>;
}

async function start(webhooks: ServerWebhookOptions = { allowPrivate: true }): Promise<Api> {
  const server = await startServer({
    port: 0,
    db: ':memory:',
    seed: 'demo',
    auth: { secret: DEMO_JWT_SECRET },
    serviceApiKeys: [DEMO_SERVICE_API_KEY],
    rateLimit: false,
    slaSweepMs: 0,
    webhooks,
  });
  const call: Api['call'] = async (method, path, json, headers = service) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...headers, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const adaToken = () => mintToken({ email: 'ada@acme.example', name: 'Ada Okafor', account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET });
  return {
    server,
    call,
    async fileTicket(subject = 'Export to CSV fails') {
      const res = await call(
        'POST',
        '/v1/tickets',
        { subject, description: 'The export button spins forever.', category: 'technical' },
        { authorization: `Bearer ${await adaToken()}` },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    },
    async reply(ticketId, body) {
      const res = await call('POST', `/v1/service/tickets/${ticketId}/comments`, { body, agent: { name: 'Sam Agent' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    },
  };
}

async function register(api: Api, receiver: Receiver, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await api.call('POST', '/v1/service/webhooks', { url: receiver.url, ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const typesOf = (rs: { json: any }[]) => rs.map((r) => r.json.type);

describe('webhooks', () => {
  describe('delivery (short retry schedule)', () => {
    let api: Api;
    before(async () => {
      api = await start({ allowPrivate: true, retryScheduleMs: [100, 100, 100, 100], pollMs: 50 });
    });
    after(() => api.server.close());

    it('delivers signed events that verify with the standardwebhooks package; the secret is shown once', async () => {
      const receiver = await startReceiver();
      try {
        const endpoint = await register(api, receiver, { description: 'CRM sync' });
        assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
        assert.equal(endpoint.enabled, true);
        const shown = await api.call('GET', `/v1/service/webhooks/${endpoint.id}`);
        assert.equal(shown.status, 200);
        assert.equal(shown.body.secret, undefined, 'the secret is never shown again');
        assert.ok(WebhookEndpointSchema.safeParse(shown.body).success);

        const ticket = await api.fileTicket();
        await api.reply(ticket.id, 'Fixed in today’s release.');
        await receiver.waitFor((r) => r.length >= 2);
        assert.deepEqual(typesOf(receiver.received), ['ticket.created', 'ticket.commented']);
        const wh = new Webhook(endpoint.secret);
        for (const r of receiver.received) {
          const verified = wh.verify(r.body, webhookHeaders(r)) as any;
          assert.ok(WebhookPayloadSchema.safeParse(verified).success);
          assert.equal(r.headers['webhook-id'], verified.id);
          assert.equal(r.headers['content-type'], 'application/json');
        }
        const [created, commented] = receiver.received.map((r) => r.json);
        assert.equal(created.data.ticket.ref, ticket.ref);
        assert.equal(created.data.actor.id, DEMO_CONTACTS.ada);
        assert.equal(created.ticketId, ticket.id);
        assert.equal(commented.data.comment.body, 'Fixed in today’s release.');
        assert.equal(commented.data.comment.author.kind, 'agent');
        assert.equal(commented.data.comment.internal, false);
        assert.throws(() => new Webhook(`whsec_${btoa('x'.repeat(32))}`).verify(receiver.received[0]!.body, webhookHeaders(receiver.received[0]!)));

        // The same events are in the outbox, in order.
        const outbox = await api.call('GET', '/v1/service/outbox?type=ticket.created,ticket.commented');
        assert.deepEqual(
          outbox.body.items.slice(-2).map((e: any) => e.id),
          receiver.received.map((r) => r.headers['webhook-id']),
        );

        const log = await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries`);
        assert.equal(log.status, 200);
        assert.equal(log.body.items.length, 2);
        for (const d of log.body.items) {
          assert.ok(WebhookDeliverySchema.safeParse(d).success, JSON.stringify(d));
          assert.equal(d.status, 'succeeded');
          assert.equal(d.attempts, 1);
          assert.equal(d.lastResponseStatus, 200);
          assert.equal(typeof d.lastDurationMs, 'number');
        }
        assert.deepEqual(
          log.body.items.map((d: any) => d.eventType),
          ['ticket.commented', 'ticket.created'],
          'newest first',
        );
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('retries after 5xx with the same webhook-id until the receiver accepts', async () => {
      const receiver = await startReceiver((_r, i) => (i < 2 ? 500 : 200));
      try {
        const endpoint = await register(api, receiver);
        await api.fileTicket();
        await receiver.waitFor((r) => r.length >= 3);
        assert.deepEqual(
          receiver.received.map((r) => r.status),
          [500, 500, 200],
        );
        assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1);
        const [delivery] = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries`)).body.items;
        assert.equal(delivery.status, 'succeeded');
        assert.equal(delivery.attempts, 3);
        assert.equal(delivery.lastResponseStatus, 200);
        const endpointNow = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}`)).body;
        assert.equal(endpointNow.failingSince, null, 'a success ends the failure clock');
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('keeps each ticket’s events in order: a later event waits while an earlier one is retried', async () => {
      let failedOnce = false;
      const receiver = await startReceiver((r) => {
        if (r.json.type === 'ticket.created' && !failedOnce) {
          failedOnce = true;
          return 503;
        }
        return 200;
      });
      try {
        const endpoint = await register(api, receiver);
        const ticket = await api.fileTicket();
        for (const body of ['one', 'two', 'three']) await api.reply(ticket.id, body);
        await receiver.waitFor((r) => r.filter((x) => x.status === 200 && x.json.ticketId === ticket.id).length >= 4);
        const forTicket = receiver.received.filter((r) => r.json.ticketId === ticket.id);
        assert.deepEqual(
          forTicket.map((r) => [r.json.type, r.json.data.comment?.body ?? null, r.status]),
          [
            ['ticket.created', null, 503],
            ['ticket.created', null, 200],
            ['ticket.commented', 'one', 200],
            ['ticket.commented', 'two', 200],
            ['ticket.commented', 'three', 200],
          ],
        );
        const sequences = forTicket.slice(1).map((r) => r.json.sequence);
        assert.deepEqual(
          sequences,
          [...sequences].sort((a, b) => a - b),
        );
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('sends only the event types an endpoint asked for; unknown types are 422 and change nothing', async () => {
      const receiver = await startReceiver();
      try {
        const bad = await api.call('POST', '/v1/service/webhooks', { url: receiver.url, eventTypes: ['ticket.commented', 'ticket.exploded'] });
        assert.equal(bad.status, 422);
        assert.deepEqual(Object.keys(bad.body.fieldErrors), ['eventTypes.1']);
        assert.equal((await api.call('GET', '/v1/service/webhooks')).body.items.length, 0);

        const endpoint = await register(api, receiver, { eventTypes: ['ticket.commented'] });
        assert.deepEqual(endpoint.eventTypes, ['ticket.commented']);
        const badPatch = await api.call('PATCH', `/v1/service/webhooks/${endpoint.id}`, { eventTypes: ['nope'] });
        assert.equal(badPatch.status, 422);
        assert.deepEqual((await api.call('GET', `/v1/service/webhooks/${endpoint.id}`)).body.eventTypes, ['ticket.commented']);

        const ticket = await api.fileTicket();
        await api.reply(ticket.id, 'Filtered reply');
        await receiver.waitFor((r) => r.length >= 1);
        // Widen the filter: events from now on include ticket.created.
        const widened = await api.call('PATCH', `/v1/service/webhooks/${endpoint.id}`, { eventTypes: null, description: 'all' });
        assert.equal(widened.status, 200);
        assert.equal(widened.body.eventTypes, null);
        await api.fileTicket('Second');
        await receiver.waitFor((r) => r.length >= 2);
        assert.deepEqual(typesOf(receiver.received), ['ticket.commented', 'ticket.created']);
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('rotates the secret: both secrets sign during the grace period, only the new one after', async () => {
      const receiver = await startReceiver();
      try {
        const endpoint = await register(api, receiver);
        const rotated = await api.call('POST', `/v1/service/webhooks/${endpoint.id}/rotate-secret`);
        assert.equal(rotated.status, 200);
        assert.notEqual(rotated.body.secret, endpoint.secret);
        assert.ok(Date.parse(rotated.body.previousSecretExpiresAt) > Date.now() + 23 * 3600_000);
        await api.fileTicket();
        await receiver.waitFor((r) => r.length >= 1);
        const first = receiver.received[0]!;
        assert.equal(String(first.headers['webhook-signature']).split(' ').length, 2);
        new Webhook(rotated.body.secret).verify(first.body, webhookHeaders(first));
        new Webhook(endpoint.secret).verify(first.body, webhookHeaders(first));

        const again = await api.call('POST', `/v1/service/webhooks/${endpoint.id}/rotate-secret`, { previousSecretTtlSeconds: 0 });
        assert.equal(again.status, 200);
        assert.equal(again.body.previousSecretExpiresAt, null);
        assert.equal((await api.call('POST', `/v1/service/webhooks/${endpoint.id}/rotate-secret`, { previousSecretTtlSeconds: -1 })).status, 422);
        assert.equal((await api.server.store.getWebhookEndpoint(endpoint.id))!.secret, again.body.secret, 'a refused rotation changes nothing');
        await api.fileTicket('After rotation');
        await receiver.waitFor((r) => r.length >= 2);
        const second = receiver.received[1]!;
        new Webhook(again.body.secret).verify(second.body, webhookHeaders(second));
        assert.throws(() => new Webhook(rotated.body.secret).verify(second.body, webhookHeaders(second)));
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('redelivers a delivery on request, with the same webhook-id', async () => {
      const receiver = await startReceiver();
      try {
        const endpoint = await register(api, receiver);
        await api.fileTicket();
        await receiver.waitFor((r) => r.length >= 1);
        const [delivery] = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries`)).body.items;
        const res = await api.call('POST', `/v1/service/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`);
        assert.equal(res.status, 202);
        assert.equal(res.body.status, 'pending');
        assert.equal(res.body.eventId, delivery.eventId);
        await receiver.waitFor((r) => r.length >= 2);
        assert.equal(receiver.received[1]!.headers['webhook-id'], receiver.received[0]!.headers['webhook-id']);
        assert.equal((await api.call('POST', `/v1/service/webhooks/${endpoint.id}/deliveries/dlv_nope/redeliver`)).status, 404);
        const log = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries?limit=1`)).body;
        assert.equal(log.items.length, 1);
        assert.ok(log.nextCursor);
        const rest = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries?limit=1&cursor=${log.nextCursor}`)).body;
        assert.deepEqual(
          rest.items.map((d: any) => d.id),
          [delivery.id],
        );
        assert.equal(rest.nextCursor, null);
        assert.equal((await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries?status=succeeded`)).body.items.length, 2);
        assert.equal((await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries?cursor=nope`)).status, 422);
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });

    it('never holds up an API request: a hung receiver times out in the background', async () => {
      const receiver = await startReceiver(() => 'hold');
      try {
        const endpoint = await register(api, receiver);
        await api.fileTicket('First');
        await receiver.waitFor((r) => r.length >= 1);
        // The receiver is still holding the first delivery; the API answers regardless.
        const ticket = await api.fileTicket('Second while the receiver hangs');
        assert.equal(receiver.received[0]!.status, undefined);
        assert.ok(ticket.id);
        await api.call('PATCH', `/v1/service/webhooks/${endpoint.id}`, { enabled: false });
        await api.call('DELETE', `/v1/service/webhooks/${endpoint.id}`);
      } finally {
        await receiver.close();
      }
    });
  });

  it('times out an attempt after the configured timeout and retries it', async () => {
    const api = await start({ allowPrivate: true, timeoutMs: 200, retryScheduleMs: [50], pollMs: 50 });
    const receiver = await startReceiver((_r, i) => (i === 0 ? 'hold' : 200));
    try {
      const endpoint = await register(api, receiver);
      await api.fileTicket();
      await receiver.waitFor((r) => r.length >= 2);
      let delivery: any;
      for (let i = 0; i < 50 && delivery?.status !== 'succeeded'; i++) {
        delivery = (await api.call('GET', `/v1/service/webhooks/${endpoint.id}/deliveries`)).body.items[0];
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(delivery.status, 'succeeded');
      assert.equal(delivery.attempts, 2);
    } finally {
      await receiver.close();
      await api.server.close();
    }
  });

  it('disables an endpoint that keeps failing and says so in the outbox and to other endpoints', async () => {
    const api = await start({ allowPrivate: true, retryScheduleMs: [30, 30, 30, 30, 30, 30, 30, 30], disableAfterMs: 150, pollMs: 20 });
    const failing = await startReceiver(() => 500);
    const healthy = await startReceiver();
    try {
      const bad = await register(api, failing);
      const good = await register(api, healthy, { eventTypes: ['webhook_endpoint.disabled'] });
      await api.fileTicket();
      await healthy.waitFor((r) => r.length >= 1);
      const [notice] = healthy.received;
      assert.equal(notice!.json.type, 'webhook_endpoint.disabled');
      assert.equal(notice!.json.data.endpoint.id, bad.id);
      assert.equal(notice!.json.accountId, null);
      new Webhook(good.secret).verify(notice!.body, webhookHeaders(notice!));
      const endpoint = (await api.call('GET', `/v1/service/webhooks/${bad.id}`)).body;
      assert.equal(endpoint.enabled, false);
      assert.equal(endpoint.disabledReason, 'failing');
      assert.ok(endpoint.failingSince);
      const outbox = (await api.call('GET', '/v1/service/outbox?type=webhook_endpoint.disabled')).body.items;
      assert.equal(outbox.length, 1);
      // Disabled: no more attempts. Re-enabling clears the failure clock.
      const attempts = failing.received.length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(failing.received.length, attempts);
      const enabled = await api.call('PATCH', `/v1/service/webhooks/${bad.id}`, { enabled: true });
      assert.equal(enabled.body.enabled, true);
      assert.equal(enabled.body.disabledReason, null);
      assert.equal(enabled.body.failingSince, null);
    } finally {
      await failing.close();
      await healthy.close();
      await api.server.close();
    }
  });

  describe('endpoint URLs', () => {
    let api: Api;
    before(async () => {
      api = await start({ allowPrivate: false });
    });
    after(() => api.server.close());

    for (const url of [
      'ftp://hooks.example.com/x',
      'https://user:pass@hooks.example.com/x',
      'http://127.0.0.1:9000/hooks',
      'http://10.1.2.3/hooks',
      'http://192.168.0.10/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
      'http://localhost:8080/hooks',
      'http://api.localhost/hooks',
      'not a url',
    ]) {
      it(`refuses ${url} with 422 and creates nothing`, async () => {
        const res = await api.call('POST', '/v1/service/webhooks', { url });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body.fieldErrors), ['url']);
        assert.equal((await api.call('GET', '/v1/service/webhooks')).body.items.length, 0);
      });
    }

    it('refuses a hostname that resolves to a private address (every address is checked)', async () => {
      const resolved: Record<string, string[]> = { 'hooks.internal.example': ['93.184.215.14', '10.0.0.7'], 'hooks.public.example': ['93.184.215.14'] };
      const app = createApp({
        store: new MemoryStore(),
        auth: { secret: DEMO_JWT_SECRET },
        serviceApiKeys: [DEMO_SERVICE_API_KEY],
        webhooks: { checkUrl: (url) => webhookUrlProblem(url, { allowPrivate: false, resolve: async (host) => resolved[host] ?? [] }) },
      });
      const post = (url: string) =>
        app.request('/v1/service/webhooks', { method: 'POST', headers: { ...service, 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
      assert.equal((await post('https://hooks.internal.example/x')).status, 422);
      assert.equal((await post('https://unknown.example/x')).status, 422, 'a name that does not resolve');
      assert.equal((await post('https://hooks.public.example/x')).status, 201);
    });

    it('an app without an address check accepts no endpoint (unless private addresses are allowed)', async () => {
      const options = { store: new MemoryStore(), auth: { secret: DEMO_JWT_SECRET }, serviceApiKeys: [DEMO_SERVICE_API_KEY] };
      const post = (app: ReturnType<typeof createApp>) =>
        app.request('/v1/service/webhooks', {
          method: 'POST',
          headers: { ...service, 'content-type': 'application/json' },
          body: JSON.stringify({ url: 'https://93.184.215.14/x' }),
        });
      const refused = await post(createApp(options));
      assert.equal(refused.status, 422);
      assert.deepEqual(Object.keys(((await refused.json()) as { fieldErrors: object }).fieldErrors), ['url']);
      assert.equal((await post(createApp({ ...options, webhooks: { allowPrivate: true } }))).status, 201);
    });

    it('refuses a private URL on update too', async () => {
      const created = await api.call('POST', '/v1/service/webhooks', { url: 'https://93.184.215.14/hooks' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const res = await api.call('PATCH', `/v1/service/webhooks/${created.body.id}`, { url: 'http://127.0.0.1/x' });
      assert.equal(res.status, 422);
      assert.equal((await api.call('GET', `/v1/service/webhooks/${created.body.id}`)).body.url, 'https://93.184.215.14/hooks');
      assert.equal((await api.call('DELETE', `/v1/service/webhooks/${created.body.id}`)).status, 204);
      assert.equal((await api.call('GET', `/v1/service/webhooks/${created.body.id}`)).status, 404);
    });

    it('the sender refuses at connect time a name that resolves to loopback', async () => {
      const receiver = await startReceiver();
      try {
        const send = createNodeSender({ allowPrivate: false });
        const res = await send({ url: receiver.url.replace('127.0.0.1', 'localhost'), headers: {}, body: '{}', timeoutMs: 2000 });
        assert.equal(res.status, null);
        assert.equal(res.error, 'private_address');
        assert.equal((await send({ url: receiver.url, headers: {}, body: '{}', timeoutMs: 2000 })).error, 'private_address');
        assert.equal(receiver.received.length, 0);
        assert.equal((await createNodeSender({ allowPrivate: true })({ url: receiver.url, headers: {}, body: '{}', timeoutMs: 2000 })).status, 200);
      } finally {
        await receiver.close();
      }
    });

    it('needs the service API key, answers 404 for unknown endpoints, and replays an idempotent create', async () => {
      assert.equal((await api.call('GET', '/v1/service/webhooks', undefined, {})).status, 401);
      assert.equal((await api.call('GET', '/v1/service/webhooks/whe_nope')).status, 404);
      assert.equal((await api.call('PATCH', '/v1/service/webhooks/whe_nope', { enabled: false })).status, 404);
      assert.equal((await api.call('POST', '/v1/service/webhooks/whe_nope/rotate-secret')).status, 404);
      const body = { url: 'https://93.184.215.14/idem' };
      const first = await api.call('POST', '/v1/service/webhooks', body, { ...service, 'idempotency-key': 'k-1' });
      const second = await api.call('POST', '/v1/service/webhooks', body, { ...service, 'idempotency-key': 'k-1' });
      assert.equal(first.status, 201);
      assert.deepEqual(second.body, first.body);
      const list = (await api.call('GET', '/v1/service/webhooks')).body.items.filter((e: any) => e.url === body.url);
      assert.equal(list.length, 1);
    });
  });

  it('accepts private addresses when the operator allows them', async () => {
    const api = await start({ allowPrivate: true });
    try {
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://10.0.0.1/x']) {
        assert.equal((await api.call('POST', '/v1/service/webhooks', { url })).status, 201);
      }
      assert.equal((await api.call('POST', '/v1/service/webhooks', { url: 'ftp://127.0.0.1/x' })).status, 422, 'still http(s) only');
    } finally {
      await api.server.close();
    }
  });
});

// The demo seed has no outbox events: loading history never fires webhooks.
it('loading a seed writes no outbox events', async () => {
  const store = new MemoryStore();
  await store.load(demoSeed(new Date()));
  assert.equal((await store.listOutbox({ after: 0, limit: 10 })).length, 0);
});

it('migrating a database keeps its outbox events and their sequence numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-outbox-migration-'));
  const file = join(dir, 'old.db');
  try {
    // A database as the release before webhooks left it: migrations up to 6, one outbox event.
    const db = new DatabaseSync(file);
    db.exec('CREATE TABLE portico_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO portico_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    }
    db.exec(`INSERT INTO accounts (id, name, tier, default_visibility) VALUES ('acc_1', 'Acme', 'standard', 'account')`);
    db.exec(
      `INSERT INTO service_outbox (sequence, id, type, account_id, data, occurred_at) VALUES (41, 'evt_old', 'contact.invited', 'acc_1', '{"resent":false}', '2026-01-01T00:00:00.000Z')`,
    );
    db.close();

    const store = new SqliteStore(file);
    try {
      assert.deepEqual(await store.listOutbox({ after: 0, limit: 10 }), [
        {
          id: 'evt_old',
          sequence: 41,
          type: 'contact.invited',
          accountId: 'acc_1',
          ticketId: null,
          occurredAt: '2026-01-01T00:00:00.000Z',
          data: { resent: false },
        },
      ]);
      await store.createWebhookEndpoint({
        id: 'whe_1',
        url: 'https://93.184.215.14/x',
        description: '',
        eventTypes: null,
        enabled: true,
        secret: 'whsec_eA==',
        now: '2026-01-02T00:00:00.000Z',
      });
      assert.equal(await store.enqueueWebhookDeliveries('2026-01-02T00:00:00.000Z', 10), 0, 'a new endpoint starts after the old events');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
