/**
 * Isolation property tests: in generated worlds (test/node/isolation/world.ts: built-in,
 * vendor-defined and undefined roles, internal notes), every customer read route answers
 * exactly what core's policy allows — list views, search, detail, thread, attachments, similar
 * tickets, timeline, notifications, summary counts, contacts, articles — for every kind of
 * contact, on the memory store and on SQLite, and no answer ever carries an internal note.
 * Then the live stream: contacts of a world open `GET /v1/events`, colleagues file tickets of
 * each visibility, comment, invite, and agents add notes; each stream must deliver exactly the
 * entries the oracle allows. Then one watcher gets another role or is deactivated, the writes
 * repeat, and its stream delivers only what the new access allows. Seeded and bounded:
 * `ISOLATION_CASES` requests (default 10 000, and one live world per 400 of them, at least
 * 30) from `ISOLATION_SEED`; a deep run is `npm run test:isolation -- --cases 200000 [--seed n]`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TICKET_CATEGORIES,
  UNSOLVED_STATUSES,
  can,
  reachableAccountIds,
  type Account,
  type Contact,
  type LiveEvent,
  type Ticket,
  type TicketStatus,
} from '@portico/core';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, MemoryBlobStore, MemoryStore, createApp, mintToken, type AppOptions, type Store } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import { readLive, type LiveReader } from '../../packages/server/test/helpers.ts';
import {
  NOTE_MARKER,
  WORDS,
  WORLD_ROLES,
  actorOf,
  buildWorld,
  contactReadable,
  entryAllowed,
  expectedContacts,
  expectedList,
  sees,
  worldPlan,
  worldRules,
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
  'search',
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
async function serve(world: World, kind: 'memory' | 'sqlite', rolesVia: 'store' | 'api', options: Pick<AppOptions, 'events'> = {}) {
  const store: Store = kind === 'memory' ? new MemoryStore() : new SqliteStore(':memory:');
  await store.load(world.seed);
  if (rolesVia === 'store')
    for (const role of world.roles) await store.putRole({ name: role.name, description: `Generated ${role.name}`, rules: role.rules, now: NOW.toISOString() });
  for (const note of world.notes)
    await store.addInternalNote({
      ticketId: note.ticketId,
      author: { kind: 'agent', id: 'agent_1', name: 'Agent One' },
      body: note.body,
      now: NOW.toISOString(),
    });
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
  const app = createApp({
    store,
    blobs,
    auth: { secret: DEMO_JWT_SECRET },
    now: () => NOW,
    onError: (e) => console.error(e),
    serviceApiKeys: [DEMO_SERVICE_API_KEY],
    ...options,
  });
  const tokens = new Map<string, string>();
  const tokenOf = async (c: Contact) => {
    let t = tokens.get(c.id);
    if (!t) tokens.set(c.id, (t = await mintToken({ email: c.email, name: c.name, account: c.accountId }, { secret: DEMO_JWT_SECRET, now: NOW })));
    return t;
  };
  /** A request as a contact, or as the vendor's backend with the service key. */
  const call = async (as: Contact | 'service', method: string, path: string, json?: unknown) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${as === 'service' ? DEMO_SERVICE_API_KEY : await tokenOf(as)}` };
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await res.text();
    // Internal notes are for agents: no customer answer ever carries one.
    if (as !== 'service') assert.ok(!text.includes(NOTE_MARKER), `${path} as ${as.id} shows an internal note: ${text.slice(0, 300)}`);
    return { status: res.status, body: text && res.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text };
  };
  const get = (c: Contact, path: string) => call(c, 'GET', path);
  /** Opens `GET /v1/events` as a contact. */
  const events = async (c: Contact) => app.request('/v1/events', { headers: { Authorization: `Bearer ${await tokenOf(c)}` } });
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
  // The vendor's way to define roles; the same rules must come out of both paths.
  if (rolesVia === 'api') {
    for (const role of world.roles) {
      const res = await call('service', 'PUT', `/v1/service/roles/${role.name}`, { description: `Generated ${role.name}`, rules: role.rules });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  }
  return { store, call, get, walk, events, close: () => store.close() };
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
    case 'search': {
      // A word of the subjects finds visible tickets only; the notes' own word finds nothing.
      const word = p.target % 3 === 0 ? NOTE_MARKER : WORDS[p.target % WORDS.length]!;
      const items = await api.walk(caller, `/v1/tickets?account=all&q=${word}`);
      const expected = expectedList(world, actor, 'account').filter((id) =>
        world.tickets
          .find((t) => t.id === id)!
          .subject.split(' ')
          .includes(word),
      );
      assert.deepEqual(ids(items), expected, `${label} q=${word}`);
      return;
    }
    case 'detail': {
      if (!ticket) return;
      const res = await api.get(caller, `/v1/tickets/${ticket.id}`);
      expectStatus(res.status);
      // Notes count nowhere: the comment count is the public thread's.
      if (visible) assert.deepEqual([res.body.id, res.body.commentCount], [ticket.id, ticket.commentCount], label);
      return;
    }
    case 'comments': {
      if (!ticket) return;
      const res = await api.get(caller, `/v1/tickets/${ticket.id}/comments?limit=100`);
      expectStatus(res.status);
      if (visible) {
        const expected = world.comments
          .filter((c) => c.ticketId === ticket.id)
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
      const res = await api.get(caller, `/v1/tickets/similar?q=${p.target % 4 === 0 ? NOTE_MARKER : WORDS[p.target % WORDS.length]}`);
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
        // Every third world defines its roles through the service API rather than the store.
        const api = await serve(world, worlds % 4 === 3 ? 'sqlite' : 'memory', worlds++ % 3 === 1 ? 'api' : 'store');
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

// --- the live stream ----------------------------------------------------------------------

/** Worlds of the live-stream property: streams cost more than reads, so fewer of them. */
const LIVE_WORLDS = Math.max(30, Math.ceil(CASES / 400));
/** No fallback reads and no reconnects during a world: only the store's wake-up delivers. */
const LIVE_EVENTS = { pollMs: 60_000, heartbeatMs: 60_000, maxConnectionMs: 60_000 };
/** How long an allowed event may take to arrive; then how long to wait for stray ones. */
const DELIVERY_MS = 3_000;
const SETTLE_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Api = Awaited<ReturnType<typeof serve>>;

interface LivePlan {
  /** Contacts who open a stream (indexes into the world's contacts). */
  watchers: number[];
  /** An account whose contact writes while the streams are open, besides the watchers' own and a child of each. */
  account: number;
  /** Picks the writer and the colleague it copies on its private ticket. */
  pick: number;
  /** An existing ticket the writer also comments on, when it may. */
  target: number;
  category: number;
  /** Then one watcher's new role (built-in or custom), or its deactivation. */
  change: number;
}
const livePlan: fc.Arbitrary<LivePlan> = fc.record({
  watchers: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 4 }),
  account: fc.nat(),
  pick: fc.nat(),
  target: fc.nat(),
  category: fc.nat(TICKET_CATEGORIES.length - 1),
  change: fc.nat(),
});

interface Watcher {
  contact: Contact;
  live: LiveReader;
  /** The stream's position when it opened: it owes every allowed entry after it. */
  cursor: number;
}

/** Opens a stream as the contact; a deactivated contact is refused (undefined). */
async function watch(api: Api, contact: Contact): Promise<Watcher | undefined> {
  const res = await api.events(contact);
  if (contact.status === 'deactivated') {
    assert.equal(res.status, 401, `stream of deactivated ${contact.id}`);
    await res.body?.cancel();
    return undefined;
  }
  assert.equal(res.status, 200, `stream of ${contact.id}`);
  contact.status = 'active';
  const live = readLive(res);
  const deadline = Date.now() + DELIVERY_MS;
  let ready;
  while (!(ready = live.events.find((e) => e.event === 'ready'))) {
    if (Date.now() > deadline) throw new Error(`no ready event for ${contact.id}`);
    await sleep(5);
  }
  return { contact, live, cursor: Number(ready.data.lastEventId) };
}

/** A contact of the account who may file, comment on its own tickets and invite: a generated one, else an admin the vendor provisions. */
async function writerOf(world: World, api: Api, accountId: string, pick: number): Promise<Contact> {
  const able = world.contacts.filter((c) => {
    const r = worldRules(world, c.role);
    return c.accountId === accountId && c.status !== 'deactivated' && r.create && r.comment && r.manageContacts && (r.seesOwn || r.seesAll);
  });
  if (able.length > 0) return able[pick % able.length]!;
  const email = `writer@${world.accounts.find((a) => a.id === accountId)!.domains[0]}`;
  const res = await api.call('service', 'PUT', `/v1/service/accounts/${accountId}/contacts/${email}`, { name: 'Writer', role: 'admin' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { version: _version, ...writer } = res.body as Contact & { version: number };
  world.contacts.push(writer);
  return writer;
}

/**
 * The writes made while the streams are open: a ticket of each visibility (the private one
 * copies a colleague), comments, internal notes through the service API, an invitation.
 */
async function writeWhileWatched(world: World, api: Api, plan: LivePlan, account: Account, round: number): Promise<void> {
  const writer = await writerOf(world, api, account.id, plan.pick);
  const existing = world.tickets[plan.target % world.tickets.length];
  const colleagues = world.contacts.filter(
    (c) => c.accountId === account.id && c.status === 'active' && c.id !== writer.id && worldRules(world, c.role).comment,
  );
  const created: Ticket[] = [];
  for (const visibility of ['account', 'private'] as const) {
    const ccIds = visibility === 'private' && colleagues.length > 0 ? [colleagues[plan.pick % colleagues.length]!.id] : [];
    const res = await api.call(writer, 'POST', '/v1/tickets', {
      subject: `Live ${visibility} ${WORDS[plan.target % WORDS.length]}`,
      description: 'Filed while streams are open.',
      category: TICKET_CATEGORIES[plan.category],
      visibility,
      ccIds,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    created.push(res.body as Ticket);
    world.tickets.push(res.body as Ticket);
  }
  const commentable =
    existing && unsolved.includes(existing.status) && can(actorOf(world, writer), 'ticket.comment', { ...existing, requesterId: existing.requester.id })
      ? [existing]
      : [];
  for (const ticket of [created[0]!, ...commentable]) {
    const res = await api.call(writer, 'POST', `/v1/tickets/${ticket.id}/comments`, { body: 'A reply while streams are open.' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  for (const ticket of created) {
    const res = await api.call('service', 'POST', `/v1/service/tickets/${ticket.id}/notes`, {
      body: `${NOTE_MARKER}: live note on ${ticket.id}`,
      agent: { name: 'Agent One' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const invited = await api.call(writer, 'POST', '/v1/contacts', { email: `invitee-${round}@${account.domains[0]}` });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
}

/** The activity events a stream delivered after its cursor. */
const deliveredAfter = (w: Watcher, cursor: number) =>
  w.live.events
    .filter((e) => e.event === 'activity')
    .map((e) => e.data as LiveEvent)
    .filter((e) => Number(e.id) > cursor);

/**
 * Every event a stream delivered after its cursor is one the oracle allows, every allowed one
 * arrives, and no note shows; then each cursor moves to the newest entry.
 */
async function checkStreams(world: World, api: Api, watchers: Watcher[]): Promise<number> {
  if (watchers.length === 0) return 0;
  const from = Math.min(...watchers.map((w) => w.cursor));
  const appended = await api.store.listActivitySince(
    world.accounts.map((a) => a.id),
    from,
    10_000,
  );
  const delivered = (w: Watcher) => deliveredAfter(w, w.cursor);
  const owed = new Map(
    watchers.map((w) => [
      w,
      appended
        .filter((e) => e.seq > w.cursor && entryAllowed(world, actorOf(world, w.contact), e.activity))
        .map((e) => e.activity.id)
        .sort(),
    ]),
  );
  const arrived = (w: Watcher) => owed.get(w)!.every((id) => delivered(w).some((e) => e.activity.id === id));
  const deadline = Date.now() + DELIVERY_MS;
  while (!watchers.every(arrived) && Date.now() < deadline) await sleep(10);
  await sleep(SETTLE_MS);
  let events = 0;
  const head = await api.store.activityHead();
  for (const w of watchers) {
    const actor = actorOf(world, w.contact);
    const label = `stream of ${w.contact.id} (${w.contact.role})`;
    for (const e of delivered(w)) {
      assert.ok(entryAllowed(world, actor, e.activity), `${label} delivered ${e.activity.type} ${e.activity.ticketId ?? e.activity.contactId}`);
      assert.equal(e.ticket?.id ?? null, e.activity.ticketId, label);
    }
    assert.deepEqual(
      delivered(w)
        .map((e) => e.activity.id)
        .sort(),
      owed.get(w),
      label,
    );
    assert.ok(!JSON.stringify(w.live.events).includes(NOTE_MARKER), `${label} carried an internal note`);
    events += delivered(w).length;
    w.cursor = head;
  }
  return events;
}

/**
 * Changes a watcher's access while its stream is open, through the vendor's API: another role
 * (built-in or custom, perhaps the same), or deactivation. Answers the newest entry before it.
 */
async function changeAccess(world: World, api: Api, w: Watcher, pick: number): Promise<number> {
  const head = await api.store.activityHead();
  const choices = [...WORLD_ROLES, ...world.roles.map((r) => r.name), null];
  const role = choices[pick % choices.length] ?? null;
  const res = await api.call(
    'service',
    'PUT',
    `/v1/service/accounts/${w.contact.accountId}/contacts/${w.contact.email}`,
    role === null ? { active: false } : { role },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  if (role === null) w.contact.status = 'deactivated';
  else w.contact.role = role;
  return head;
}

/** After the change, the watcher's stream delivers only what its new access allows (nothing once deactivated). */
function checkChanged(world: World, w: Watcher, changedAfter: number): void {
  const label = `stream of ${w.contact.id} after it became ${w.contact.status === 'deactivated' ? 'deactivated' : w.contact.role}`;
  for (const e of deliveredAfter(w, changedAfter)) {
    assert.ok(
      w.contact.status !== 'deactivated' && entryAllowed(world, actorOf(world, w.contact), e.activity),
      `${label} delivered ${e.activity.type} ${e.activity.ticketId ?? e.activity.contactId}`,
    );
  }
  assert.ok(!JSON.stringify(w.live.events).includes(NOTE_MARKER), `${label} carried an internal note`);
}

describe('isolation: live streams against the policy oracle', () => {
  it(`${LIVE_WORLDS} worlds (seed ${SEED}): every stream delivers exactly the events the policy allows`, async () => {
    let worlds = 0;
    let streams = 0;
    let events = 0;
    await fc.assert(
      fc.asyncProperty(worldPlan, livePlan, async (worldP, plan) => {
        const world = buildWorld(worldP);
        const api = await serve(world, worlds++ % 2 === 1 ? 'sqlite' : 'memory', 'api', { events: LIVE_EVENTS });
        const watchers: Watcher[] = [];
        try {
          for (const i of plan.watchers) {
            const w = await watch(api, world.contacts[i % world.contacts.length]!);
            if (w && !watchers.some((x) => x.contact.id === w.contact.id)) watchers.push(w);
            else await w?.live.cancel();
          }
          if (watchers.length === 0) return;
          const accounts = new Set([world.accounts[plan.account % world.accounts.length]!]);
          for (const w of watchers) {
            const own = world.accounts.find((a) => a.id === w.contact.accountId)!;
            accounts.add(own);
            const child = world.accounts.find((a) => a.parentId === own.id);
            if (child) accounts.add(child);
          }
          for (const account of accounts) await writeWhileWatched(world, api, plan, account, 1);
          events += await checkStreams(world, api, watchers);
          streams += watchers.length;
          // Access changes mid-stream: the other streams go on exactly, the changed one follows its new access.
          const changed = watchers[plan.pick % watchers.length]!;
          const changedAfter = await changeAccess(world, api, changed, plan.change);
          for (const account of accounts) await writeWhileWatched(world, api, plan, account, 2);
          events += await checkStreams(
            world,
            api,
            watchers.filter((w) => w !== changed),
          );
          await sleep(SETTLE_MS);
          checkChanged(world, changed, changedAfter);
        } finally {
          for (const w of watchers) await w.live.cancel();
          await api.close();
        }
      }),
      { seed: SEED, numRuns: LIVE_WORLDS, endOnFailure: true },
    );
    assert.ok(streams >= LIVE_WORLDS, `${streams} streams`);
    console.log(`isolation: ${streams} live streams in ${worlds} worlds delivered ${events} events, 0 leaks`);
  });
});
