/**
 * A live stream is authorised per event against the contact's current state: once the
 * contact is demoted, deactivated or its token expires, an open stream never delivers
 * another event and ends within 2 s. Also: the hub is woken by the store (no polling), and
 * reads each new entry once, whatever the number of open streams.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveEvent, Ticket } from '@portico/core';
import type { Store } from '@portico/server';
import {
  DEMO_CONTACTS,
  DEMO_JWT_SECRET,
  DEMO_SERVICE_API_KEY,
  harness,
  readLive,
  type DemoKey,
  type Harness,
  type LiveReader,
  type StoreKind,
} from './helpers.ts';

/** Longest a stream may outlive revoked access. */
const END_WITHIN_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(h: Harness, as: DemoKey, token?: string): Promise<LiveReader> {
  const res = await h.app.request('/v1/events', { headers: { Authorization: `Bearer ${token ?? (await h.token(as))}` } });
  assert.equal(res.status, 200);
  const live = readLive(res);
  const deadline = Date.now() + 2_000;
  while (!live.events.some((e) => e.event === 'ready')) {
    if (Date.now() > deadline) throw new Error('no ready event');
    await sleep(5);
  }
  return live;
}

/** Ada (admin) creates a ticket every colleague may see. */
async function accountTicket(h: Harness, subject: string): Promise<Ticket> {
  const res = await h.call('POST', '/v1/tickets', {
    as: 'ada',
    json: { subject, description: `${subject}, in detail.`, category: 'technical', visibility: 'account' },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as Ticket;
}

const ticketsOf = (live: LiveReader) => live.events.filter((e) => e.event === 'activity').map((e) => (e.data as LiveEvent).ticket?.id);

/** Asserts the stream ends within 2 s of `since` and never carried `ticket`. */
async function assertEnded(live: LiveReader, since: number, ticket: Ticket): Promise<void> {
  const ended = await Promise.race([live.ended, sleep(END_WITHIN_MS + 500).then(() => undefined)]);
  await live.cancel();
  assert.ok(ended !== undefined, 'the stream ended');
  assert.ok(ended - since <= END_WITHIN_MS, `ended ${ended - since} ms after the change`);
  assert.ok(!ticketsOf(live).includes(ticket.id), 'the ticket created after the change was never delivered');
  assert.ok(!JSON.stringify(live.events).includes(ticket.subject));
}

for (const kind of ['memory', 'sqlite', 'postgres'] as StoreKind[]) {
  describe(`live streams end when access ends (${kind})`, () => {
    let h: Harness;
    before(async () => {
      // A fallback read once a minute: only the store's onAppend can deliver within the test.
      h = await harness(kind, { events: { pollMs: 60_000, heartbeatMs: 60_000, maxConnectionMs: 60_000 } });
    });
    after(() => h.dispose());

    it('delivers a colleague’s ticket at once, woken by the store (no polling)', async () => {
      const mia = await open(h, 'mia');
      const ticket = await accountTicket(h, 'Exports time out');
      const deadline = Date.now() + 1_000;
      while (!ticketsOf(mia).includes(ticket.id) && Date.now() < deadline) await sleep(5);
      await mia.cancel();
      assert.ok(ticketsOf(mia).includes(ticket.id), 'delivered within 1 s although the fallback read is a minute away');
    });

    it('a member demoted to requester: the next account ticket is not delivered and the stream ends', async () => {
      const mia = await open(h, 'mia');
      const demoted = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'requester' } });
      assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
      const since = Date.now();
      const ticket = await accountTicket(h, 'Invoices doubled after demotion');
      await assertEnded(mia, since, ticket);
      // Reconnecting gives the new scope: the ticket is not visible to a requester.
      const again = await open(h, 'mia');
      await accountTicket(h, 'Another account ticket');
      await sleep(300);
      await again.cancel();
      assert.deepEqual(
        ticketsOf(again).filter((id) => id !== undefined),
        [],
      );
      await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'member' } });
    });

    it('a deactivated contact: nothing more is delivered and the stream ends; reconnecting is refused', async () => {
      const val = await open(h, 'val');
      const deactivated = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.val}`, { as: 'ada' });
      assert.ok([200, 204].includes(deactivated.status), JSON.stringify(deactivated.body));
      const since = Date.now();
      const ticket = await accountTicket(h, 'Secret roadmap question');
      await assertEnded(val, since, ticket);
      assert.equal((await h.app.request('/v1/events', { headers: { Authorization: `Bearer ${await h.token('val')}` } })).status, 401);
    });

    it('an expired token: the next event is not delivered and the stream ends', async () => {
      const mia = await open(h, 'mia', await h.token('mia', {}, { ttlSeconds: 60 }));
      const start = h.clock.now;
      // Past `exp` and the verifier's 30 s clock tolerance: REST refuses the token from now on.
      h.clock.now = new Date(start.getTime() + 120_000);
      try {
        const since = Date.now();
        await assertEnded(mia, since, await accountTicket(h, 'Filed after the token expired'));
      } finally {
        h.clock.now = start;
      }
    });

    it('contact entries (an invitation with its email) reach those who manage contacts, never a member', async () => {
      const mia = await open(h, 'mia');
      const ada = await open(h, 'ada');
      const invited = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'kim.live@acme.example', name: 'Kim Live', role: 'member' } });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      const types = (live: LiveReader) => live.events.filter((e) => e.event === 'activity').map((e) => (e.data as LiveEvent).activity.type);
      const deadline = Date.now() + 1_500;
      while (!types(ada).includes('contact.invited') && Date.now() < deadline) await sleep(10);
      await sleep(200);
      await Promise.all([mia.cancel(), ada.cancel()]);
      assert.ok(types(ada).includes('contact.invited'), 'the admin hears of the invitation');
      assert.deepEqual(
        types(mia).filter((t) => t.startsWith('contact.')),
        [],
        'a member is not told of invitations (docs/contacts.md)',
      );
      assert.ok(!JSON.stringify(mia.events).includes('kim.live@acme.example'));
    });

    it('suspending the account through the service API ends an idle stream within 2 s; reconnecting is refused', async () => {
      const mia = await open(h, 'mia');
      const service = { token: DEMO_SERVICE_API_KEY };
      const suspended = await h.call('PUT', '/v1/service/accounts/acc_acme', { ...service, json: { status: 'suspended' } });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      const since = Date.now();
      try {
        const ended = await Promise.race([mia.ended, sleep(END_WITHIN_MS + 500).then(() => undefined)]);
        await mia.cancel();
        assert.ok(ended !== undefined && ended - since <= END_WITHIN_MS, 'ended within 2 s of the suspension');
        assert.equal((await h.app.request('/v1/events', { headers: { Authorization: `Bearer ${await h.token('mia')}` } })).status, 403);
      } finally {
        await h.call('PUT', '/v1/service/accounts/acc_acme', { ...service, json: { status: 'active' } });
      }
    });

    it('an idle stream ends within 2 s of a demotion even when nothing else happens', async () => {
      const mia = await open(h, 'mia');
      await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'viewer' } });
      const since = Date.now();
      const ended = await Promise.race([mia.ended, sleep(END_WITHIN_MS + 500).then(() => undefined)]);
      await mia.cancel();
      await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'member' } });
      assert.ok(ended !== undefined && ended - since <= END_WITHIN_MS, 'ended within 2 s');
    });
  });
}

describe('live streams on the real clock', () => {
  let h: Harness;
  before(async () => {
    // No clock tolerance: a token is refused from its `exp` on.
    h = await harness('sqlite', {
      now: () => new Date(),
      auth: { secret: DEMO_JWT_SECRET, clockTolerance: 0 },
      events: { pollMs: 60_000, heartbeatMs: 60_000, maxConnectionMs: 60_000 },
    });
  });
  after(() => h.dispose());

  it('an idle stream ends within 2 s of its token’s expiry', async () => {
    const mia = await open(h, 'mia', await h.token('mia', {}, { ttlSeconds: 2, now: new Date() }));
    const expiry = (Math.floor(Date.now() / 1000) + 2) * 1000;
    const ended = await Promise.race([mia.ended, sleep(6_000).then(() => undefined)]);
    await mia.cancel();
    assert.ok(ended !== undefined, 'the stream ended');
    assert.ok(ended >= expiry - 1_000 && ended - expiry <= END_WITHIN_MS, `ended ${ended - expiry} ms after exp`);
  });
});

describe('live hub', () => {
  let h: Harness;
  let reads = 0;
  let lookups = 0;
  before(async () => {
    h = await harness('sqlite', { events: { pollMs: 60_000, heartbeatMs: 60_000, maxConnectionMs: 60_000 } });
    // Count the hub's reads of new activity (the store is shared with the app).
    const store = h.store as Store & { listActivitySince: Store['listActivitySince'] };
    const read = store.listActivitySince.bind(store);
    store.listActivitySince = (...args) => {
      reads++;
      return read(...args);
    };
    // Count the resolutions of callers (each looks the contact up once).
    const lookUp = store.findContactByEmail.bind(store);
    store.findContactByEmail = (...args) => {
      lookups++;
      return lookUp(...args);
    };
  });
  after(() => h.dispose());

  it('reads each new entry once for all streams, and offers it only to streams of its account', async () => {
    const acme = await Promise.all(Array.from({ length: 40 }, () => open(h, 'mia')));
    const globex = await Promise.all(Array.from({ length: 20 }, () => open(h, 'gus')));
    reads = 0;
    const ticket = await accountTicket(h, 'One read for sixty streams');
    const deadline = Date.now() + 2_000;
    while (!acme.every((s) => ticketsOf(s).includes(ticket.id)) && Date.now() < deadline) await sleep(10);
    await sleep(100);
    await Promise.all([...acme, ...globex].map((s) => s.cancel()));
    assert.ok(
      acme.every((s) => ticketsOf(s).filter((id) => id === ticket.id).length === 1),
      'every Acme stream got it once',
    );
    assert.ok(
      globex.every((s) => ticketsOf(s).length === 0),
      'no Globex stream got anything',
    );
    assert.ok(reads <= 2, `the store was read ${reads} times for 60 streams`);
  });

  it('re-checks the caller of many streams of one token once, and a revocation still ends them all', async () => {
    const token = await h.token('val');
    const tabs = await Promise.all(Array.from({ length: 20 }, () => open(h, 'val', token)));
    // Every stream's last check is now older than recheckMs (1 s): the next event re-checks.
    await sleep(1_100);
    lookups = 0;
    const ticket = await accountTicket(h, 'One check for twenty tabs');
    const deadline = Date.now() + 2_000;
    while (!tabs.every((s) => ticketsOf(s).includes(ticket.id)) && Date.now() < deadline) await sleep(10);
    assert.ok(
      tabs.every((s) => ticketsOf(s).includes(ticket.id)),
      'every tab got the ticket',
    );
    // Ada's create resolves Ada; the twenty streams share one resolution of Val's token.
    assert.ok(lookups <= 3, `callers were resolved ${lookups} times for twenty streams of one token`);

    const deactivated = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.val}`, { as: 'ada' });
    assert.ok([200, 204].includes(deactivated.status), JSON.stringify(deactivated.body));
    const since = Date.now();
    const secret = await accountTicket(h, 'After Val left');
    for (const tab of tabs) await assertEnded(tab, since, secret);
  });

  it('ends the stream of a client that stopped reading instead of queueing without bound', async () => {
    const res = await h.app.request('/v1/events', { headers: { Authorization: `Bearer ${await h.token('mia')}` } });
    await sleep(50);
    const base = {
      accountId: 'acc_acme',
      type: 'view.shared' as const,
      actor: { kind: 'contact' as const, id: DEMO_CONTACTS.ada, name: 'Ada Okafor' },
      ticketId: null,
      contactId: null,
      data: {},
      createdAt: '2026-03-02T10:00:00.000Z',
    };
    // Nobody reads the response while 1 500 entries are appended.
    await h.store.load({
      accounts: [],
      contacts: [],
      tickets: [],
      comments: [],
      activity: Array.from({ length: 1_500 }, (_, i) => ({ ...base, id: `act_flood_${i}` })),
    });
    await sleep(300);
    const live = readLive(res);
    const ended = await Promise.race([live.ended, sleep(3_000).then(() => undefined)]);
    await live.cancel();
    assert.ok(ended !== undefined, 'the stream ended');
    assert.ok(live.events.filter((e) => e.event === 'activity').length < 1_500, 'not everything was queued for it');
  });
});
