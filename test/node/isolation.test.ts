/**
 * Isolation property tests: in generated worlds (test/node/isolation/world.ts), every customer
 * read route answers exactly what core's policy allows — list views, detail, thread,
 * attachments, similar tickets, timeline, notifications, summary counts, contacts, articles —
 * for every kind of contact, on the memory store and on SQLite. Seeded and bounded:
 * `ISOLATION_CASES` requests (default 10 000) from `ISOLATION_SEED`; a deep run is
 * `npm run test:isolation -- --cases 200000 [--seed n]`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UNSOLVED_STATUSES, reachableAccountIds, type Contact, type TicketStatus } from '@portico/core';
import { DEMO_JWT_SECRET, MemoryBlobStore, MemoryStore, createApp, mintToken, type Store } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import {
  WORDS,
  actorOf,
  buildWorld,
  commentVisibleToCustomers,
  contactReadable,
  entryAllowed,
  expectedContacts,
  expectedList,
  sees,
  worldPlan,
  type World,
} from './isolation/world.ts';

const CASES = Number(process.env.ISOLATION_CASES ?? 10_000);
const SEED = Number(process.env.ISOLATION_SEED ?? 20_261_206);
/** Requests against one world before the next is generated. */
const PROBES_PER_WORLD = 250;
const NOW = new Date('2026-03-02T10:00:00.000Z');
const VIEWS = ['account', 'mine', 'following', 'unsolved'] as const;
const ROUTES = [
  'list',
  'detail',
  'comments',
  'attachments',
  'download',
  'similar',
  'activity',
  'notifications',
  'summary',
  'contacts',
  'contact',
  'articles',
] as const;
type Route = (typeof ROUTES)[number];
const unsolved: readonly TicketStatus[] = UNSOLVED_STATUSES;

interface Probe {
  caller: number;
  route: Route;
  target: number;
  view: number;
}
const probe: fc.Arbitrary<Probe> = fc.record({ caller: fc.nat(), route: fc.constantFrom(...ROUTES), target: fc.nat(), view: fc.nat(VIEWS.length - 1) });

/** A world loaded into a store behind the app, with a token per contact. */
async function serve(world: World, kind: 'memory' | 'sqlite') {
  const store: Store = kind === 'memory' ? new MemoryStore() : new SqliteStore(':memory:');
  await store.load(world.seed);
  const blobs = new MemoryBlobStore();
  for (const a of world.attachments) {
    await store.createAttachment({
      id: a.id,
      name: `${a.id}.txt`,
      contentType: 'text/plain',
      size: 2,
      ticketId: a.ticketId,
      createdAt: NOW.toISOString(),
      accountId: a.accountId,
      uploaderId: a.uploaderId,
    });
    await blobs.put(a.id, new TextEncoder().encode('ok'));
  }
  const app = createApp({ store, blobs, auth: { secret: DEMO_JWT_SECRET }, now: () => NOW, onError: (e) => console.error(e) });
  const tokens = new Map<string, string>();
  const tokenOf = async (c: Contact) => {
    let t = tokens.get(c.id);
    if (!t) tokens.set(c.id, (t = await mintToken({ email: c.email, name: c.name, account: c.accountId }, { secret: DEMO_JWT_SECRET, now: NOW })));
    return t;
  };
  const get = async (c: Contact, path: string) => {
    const res = await app.request(path, { headers: { Authorization: `Bearer ${await tokenOf(c)}` } });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text };
  };
  /** Every item of a cursor-paged list. */
  const walk = async (c: Contact, path: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(c, `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };
  return { get, walk, close: () => store.close() };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

/** Runs one probe and asserts the answer against the oracle. */
async function check(world: World, api: Awaited<ReturnType<typeof serve>>, p: Probe): Promise<void> {
  const caller = world.contacts[p.caller % world.contacts.length]!;
  const label = `${p.route} as ${caller.id} (${caller.role}, ${caller.status})`;
  if (caller.status === 'deactivated') {
    assert.equal((await api.get(caller, '/v1/tickets')).status, 401, label);
    return;
  }
  // An invited contact's first request activates it (the server does, so the model does).
  caller.status = 'active';
  const actor = actorOf(world, caller);
  const ticket = world.tickets.length > 0 ? world.tickets[p.target % world.tickets.length] : undefined;
  const visible = ticket !== undefined && sees(actor, ticket);
  const expectStatus = (status: number) => assert.equal(status, visible ? 200 : 404, `${label} ${ticket?.id}`);
  switch (p.route) {
    case 'list': {
      const view = VIEWS[p.view]!;
      // Every reachable account at once, or one account of the world (another tenant's is a 422).
      const account = p.target % 2 === 0 ? 'all' : world.accounts[(p.target >> 1) % world.accounts.length]!.id;
      const expected = expectedList(world, actor, view).filter((id) => account === 'all' || world.tickets.find((t) => t.id === id)!.accountId === account);
      if (account !== 'all' && !reachableAccountIds(actor).includes(account)) {
        assert.equal((await api.get(caller, `/v1/tickets?view=${view}&account=${account}`)).status, 422, `${label} ${view} ${account}`);
        return;
      }
      assert.deepEqual(ids(await api.walk(caller, `/v1/tickets?view=${view}&account=${account}`)), expected, `${label} ${view} ${account}`);
      return;
    }
    case 'detail': {
      if (!ticket) return;
      const res = await api.get(caller, `/v1/tickets/${ticket.id}`);
      expectStatus(res.status);
      if (visible) assert.equal(res.body.id, ticket.id);
      return;
    }
    case 'comments': {
      if (!ticket) return;
      const res = await api.get(caller, `/v1/tickets/${ticket.id}/comments?limit=100`);
      expectStatus(res.status);
      if (visible) {
        const expected = world.comments
          .filter((c) => c.ticketId === ticket.id && commentVisibleToCustomers(c))
          .map((c) => c.id)
          .sort();
        assert.deepEqual(ids(res.body.items), expected, label);
      }
      return;
    }
    case 'attachments': {
      if (!ticket) return;
      const res = await api.get(caller, `/v1/tickets/${ticket.id}/attachments`);
      expectStatus(res.status);
      if (visible)
        assert.deepEqual(
          ids(res.body.items),
          world.attachments.filter((a) => a.ticketId === ticket.id).map((a) => a.id),
          label,
        );
      return;
    }
    case 'download': {
      const attachment = world.attachments[p.target % Math.max(1, world.attachments.length)];
      if (!attachment) return;
      const owner = world.tickets.find((t) => t.id === attachment.ticketId)!;
      const res = await api.get(caller, `/v1/tickets/${owner.id}/attachments/${attachment.id}`);
      assert.equal(res.status, sees(actor, owner) ? 200 : 404, label);
      // The same attachment through a ticket it does not belong to: never.
      if (ticket && ticket.id !== owner.id) assert.equal((await api.get(caller, `/v1/tickets/${ticket.id}/attachments/${attachment.id}`)).status, 404, label);
      return;
    }
    case 'similar': {
      const res = await api.get(caller, `/v1/tickets/similar?q=${WORDS[p.target % WORDS.length]}`);
      assert.equal(res.status, 200, label);
      for (const item of res.body.items) {
        const t = world.tickets.find((x) => x.id === item.id)!;
        assert.ok(sees(actor, t) && t.accountId === actor.accountId && unsolved.includes(t.status), `${label}: ${t.id}`);
      }
      return;
    }
    case 'activity': {
      const items = await api.walk(caller, '/v1/activity?account=all');
      for (const entry of items) assert.ok(entryAllowed(world, actor, entry), `${label}: ${entry.type} ${entry.ticketId ?? entry.contactId}`);
      const got = new Set(items.map((e: { id: string }) => e.id));
      for (const entry of world.activity) if (entryAllowed(world, actor, entry)) assert.ok(got.has(entry.id), `${label}: missing ${entry.id}`);
      return;
    }
    case 'notifications': {
      const items = await api.walk(caller, '/v1/notifications');
      for (const entry of items) {
        const t = world.tickets.find((x) => x.id === entry.ticketId);
        assert.ok(t && sees(actor, t) && (t.requester.id === caller.id || t.followerIds.includes(caller.id)), `${label}: ${entry.id}`);
      }
      return;
    }
    case 'summary': {
      const res = await api.get(caller, '/v1/summary');
      assert.equal(res.status, 200, label);
      const open = world.tickets.filter((t) => t.accountId === caller.accountId && sees(actor, t) && unsolved.includes(t.status)).length;
      assert.equal(res.body.figures.open.total, open, label);
      return;
    }
    case 'contacts': {
      assert.deepEqual(ids(await api.walk(caller, '/v1/contacts')), expectedContacts(world, actor), label);
      return;
    }
    case 'contact': {
      const target = world.contacts[p.target % world.contacts.length]!;
      const res = await api.get(caller, `/v1/contacts/${target.id}`);
      assert.equal(res.status, contactReadable(actor, target) ? 200 : 404, `${label} → ${target.id} (${target.status})`);
      return;
    }
    case 'articles': {
      assert.equal((await api.get(caller, '/v1/articles')).status, 200, label);
      return;
    }
  }
}

describe('isolation: generated worlds against the policy oracle', () => {
  it(`${CASES} read requests (seed ${SEED}) answer exactly what the policy allows`, async () => {
    let done = 0;
    let worlds = 0;
    await fc.assert(
      fc.asyncProperty(worldPlan, fc.array(probe, { minLength: PROBES_PER_WORLD, maxLength: PROBES_PER_WORLD }), async (plan, probes) => {
        const world = buildWorld(plan);
        // Every fourth world on SQLite: its scope-to-SQL translation is the other implementation.
        const api = await serve(world, worlds++ % 4 === 3 ? 'sqlite' : 'memory');
        try {
          for (const p of probes) {
            await check(world, api, p);
            done++;
          }
        } finally {
          await api.close();
        }
      }),
      { seed: SEED, numRuns: Math.ceil(CASES / PROBES_PER_WORLD), endOnFailure: true },
    );
    assert.ok(done >= CASES, `${done} cases`);
    console.log(`isolation: ${done} requests in ${worlds} worlds, 0 leaks`);
  });
});
