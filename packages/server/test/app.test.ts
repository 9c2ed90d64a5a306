import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, SessionSchema, TicketSchema, UNSOLVED_STATUSES, permissionsOf, type Ticket } from '@portico/core';
import { createApp, DEMO_JWT_SECRET, MemoryStore, type Store } from '@portico/server';
import { ACTIVE_CONTACTS, DEMO_ACCOUNTS, DEMO_CONTACTS, actorOf, harness, visibleIds, walk, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

const contactOf = (h: Harness, key: DemoKey) => h.seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;
const unsolved: readonly string[] = UNSOLVED_STATUSES;

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
  assert.equal(res.body.status, status);
}

/** The routes, against one store kind. `full` runs everything; otherwise a smoke subset. */
function routeSuite(kind: StoreKind, full: boolean): void {
  describe(`API routes on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    it('GET /v1/me answers the session of each role', async () => {
      for (const key of full ? ACTIVE_CONTACTS : (['ada', 'val'] as const)) {
        const res = await h.call('GET', '/v1/me', { as: key });
        assert.equal(res.status, 200);
        assert.ok(SessionSchema.safeParse(res.body).success);
        const contact = contactOf(h, key);
        assert.equal(res.body.contact.id, contact.id);
        assert.equal(res.body.account.id, contact.accountId);
        assert.deepEqual(res.body.permissions, permissionsOf(actorOf(h.seed, contact)));
        const reach = key === 'ada' ? [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.acmeEmea, DEMO_ACCOUNTS.acmeLabs] : [contact.accountId];
        assert.deepEqual(
          res.body.accounts.map((a: { id: string }) => a.id),
          reach,
          key,
        );
      }
    });

    it('each view of each role lists exactly the policy set', async () => {
      for (const key of full ? ACTIVE_CONTACTS : (['ada', 'ben', 'gus'] as const)) {
        const contact = contactOf(h, key);
        const me = contact.id;
        const views: Record<string, (t: Ticket) => boolean> = {
          account: () => true,
          mine: (t) => t.requester.id === me,
          following: (t) => t.followerIds.includes(me),
          unsolved: (t) => unsolved.includes(t.status),
        };
        for (const [view, extra] of Object.entries(views)) {
          const { ids } = await walk(h, key, `/v1/tickets?view=${view}&limit=100`);
          assert.deepEqual([...ids].sort(), visibleIds(h.seed, contact, extra), `${key} ${view}`);
        }
      }
    });

    it('walks every visible ticket exactly once with cursors, in each sort', async () => {
      for (const sort of ['updated', 'created', 'priority']) {
        const { ids, items, pages } = await walk(h, 'ada', `/v1/tickets?sort=${sort}&limit=7`);
        assert.equal(new Set(ids).size, ids.length, 'no duplicates');
        assert.deepEqual([...ids].sort(), visibleIds(h.seed, contactOf(h, 'ada')));
        assert.ok(pages > 1);
        for (let i = 1; i < items.length; i++) {
          const [a, b] = [items[i - 1], items[i]];
          if (sort === 'updated') assert.ok(a.updatedAt >= b.updatedAt);
          if (sort === 'created') assert.ok(a.createdAt >= b.createdAt);
        }
        for (const t of items) assert.ok(TicketSchema.safeParse(t).success);
      }
    });

    it('rejects limit 101 and a bad cursor with 422 fieldErrors', async () => {
      const res = await h.call('GET', '/v1/tickets?limit=101', { as: 'ada' });
      assertProblem(res, 422, 'validation_failed');
      assert.ok(res.body.fieldErrors.limit.length > 0);
      const cursor = await h.call('GET', '/v1/tickets?cursor=not-a-cursor', { as: 'ada' });
      assertProblem(cursor, 422, 'validation_failed');
      assert.ok(cursor.body.fieldErrors.cursor);
    });

    it('isolates accounts: Globex never sees an Acme ticket', async () => {
      const acmeIds = new Set(h.seed.tickets.filter((t) => t.accountId !== DEMO_ACCOUNTS.globex).map((t) => t.id));
      for (const key of ['gus', 'pia'] as const) {
        for (const view of ['account', 'mine', 'following', 'unsolved']) {
          for (const extra of ['', '&account=all', `&account=${DEMO_ACCOUNTS.globex}`, '&q=SSO', '&status=open,pending,new,solved,closed']) {
            const { ids } = await walk(h, key, `/v1/tickets?view=${view}${extra}`);
            assert.ok(
              ids.every((id) => !acmeIds.has(id)),
              `${key} ${view} ${extra}`,
            );
          }
          for (const foreign of [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.acmeEmea]) {
            const res = await h.call('GET', `/v1/tickets?view=${view}&account=${foreign}`, { as: key });
            assertProblem(res, 422, 'validation_failed');
          }
        }
        for (const id of full ? acmeIds : ['tkt_1001']) {
          assertProblem(await h.call('GET', `/v1/tickets/${id}`, { as: key }), 404, 'not_found');
          assertProblem(await h.call('GET', `/v1/tickets/${id}/comments`, { as: key }), 404, 'not_found');
          assertProblem(await h.call('POST', `/v1/tickets/${id}/comments`, { as: key, json: { body: 'hi' } }), 404, 'not_found');
        }
      }
      const res = await h.call('GET', `/v1/tickets?requester=${DEMO_CONTACTS.mia}`, { as: 'gus' });
      assert.deepEqual(res.body.items, []);
    });

    it('GET /v1/tickets/:id answers 404 for a ticket the caller may not see, ETag otherwise', async () => {
      const priv = h.seed.tickets.find(
        (t) => t.visibility === 'private' && t.requester.id === DEMO_CONTACTS.mia && !t.followerIds.includes(DEMO_CONTACTS.jay),
      )!;
      assertProblem(await h.call('GET', `/v1/tickets/${priv.id}`, { as: 'jay' }), 404, 'not_found');
      assertProblem(await h.call('GET', `/v1/tickets/${priv.id}/comments`, { as: 'val' }), 404, 'not_found');
      assertProblem(await h.call('GET', '/v1/tickets/tkt_nope', { as: 'ada' }), 404, 'not_found');
      const ok = await h.call('GET', `/v1/tickets/${priv.id}`, { as: 'mia' });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('ETag'), `"v${priv.version}"`);
      const { sla, ...rest } = ok.body;
      assert.deepEqual(rest, priv);
      assert.ok(sla?.firstResponse && sla?.resolution, 'every ticket read carries its SLA');
      const child = await h.call('GET', '/v1/tickets?account=acc_acme_emea', { as: 'ada' });
      assert.ok(child.body.items.length > 0 && child.body.items.every((t: Ticket) => t.accountId === DEMO_ACCOUNTS.acmeEmea));
    });

    it('creates a ticket: 201, default visibility, activity, listed', async () => {
      const res = await h.call('POST', '/v1/tickets', {
        as: 'mia',
        json: { subject: '  Export stuck at 99%  ', description: 'The export never finishes.', category: 'technical' },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(TicketSchema.safeParse(res.body).success);
      assert.equal(res.body.subject, 'Export stuck at 99%');
      assert.equal(res.body.priority, 'normal');
      assert.equal(res.body.visibility, 'account', "Acme's default visibility");
      assert.equal(res.body.status, 'new');
      assert.equal(res.body.requester.id, DEMO_CONTACTS.mia);
      assert.match(res.body.ref, /^T-\d+$/);
      assert.equal(res.headers.get('ETag'), '"v1"');
      const read = await h.call('GET', `/v1/tickets/${res.body.id}`, { as: 'val' });
      assert.deepEqual(read.body, res.body);
      const activity = await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 });
      assert.equal(activity.items[0]?.type, 'ticket.created');
      assert.equal(activity.items[0]?.ticketId, res.body.id);

      const globex = await h.call('POST', '/v1/tickets', { as: 'pia', json: { subject: 'Need help', description: 'x', category: 'account' } });
      assert.equal(globex.body.visibility, 'private', "Globex's default visibility");
      assert.equal(globex.body.accountId, DEMO_ACCOUNTS.globex);
    });

    it('refuses create for a viewer (403) and comments from a viewer', async () => {
      const before = await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 });
      assertProblem(
        await h.call('POST', '/v1/tickets', { as: 'val', json: { subject: 'Hello there', description: 'x', category: 'technical' } }),
        403,
        'forbidden',
      );
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'val', json: { body: 'me too' } }), 403, 'forbidden');
      const afterList = await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 });
      assert.deepEqual(afterList, before);
    });

    if (!full) return;

    it('filters by status, priority, category, requester, account and q', async () => {
      const h = await harness(kind);
      after(() => h.dispose());
      const ada = contactOf(h, 'ada');
      const cases: [string, (t: Ticket) => boolean][] = [
        ['status=open,pending', (t) => t.status === 'open' || t.status === 'pending'],
        ['priority=urgent', (t) => t.priority === 'urgent'],
        ['category=billing,account', (t) => t.category === 'billing' || t.category === 'account'],
        [`requester=${DEMO_CONTACTS.mia}`, (t) => t.requester.id === DEMO_CONTACTS.mia],
        [`account=${DEMO_ACCOUNTS.acmeLabs}`, (t) => t.accountId === DEMO_ACCOUNTS.acmeLabs],
        [`account=${DEMO_ACCOUNTS.acme}&status=new`, (t) => t.accountId === DEMO_ACCOUNTS.acme && t.status === 'new'],
        ['q=sso%20login%20fails', (t) => t.subject.toLowerCase().includes('sso login fails') || t.description.toLowerCase().includes('sso login fails')],
        ['view=unsolved&status=solved,open', (t) => t.status === 'open'],
        [`view=mine&requester=${DEMO_CONTACTS.mia}`, () => false],
      ];
      for (const [query, extra] of cases) {
        const { ids } = await walk(h, 'ada', `/v1/tickets?${query}`);
        const want = visibleIds(h.seed, ada, extra);
        assert.deepEqual([...ids].sort(), want, query);
      }
      const sso = await h.call('GET', '/v1/tickets?q=SSO%20login%20fails', { as: 'mia' });
      assert.equal(sso.body.items[0]?.ref, 'T-1001');
      const bad = await h.call('GET', '/v1/tickets?status=open,nope&view=everything&sort=random', { as: 'ada' });
      assertProblem(bad, 422, 'validation_failed');
      assert.deepEqual(Object.keys(bad.body.fieldErrors).sort(), ['sort', 'status', 'view']);
    });

    it('rejects a cursor of another sort', async () => {
      const first = await h.call('GET', '/v1/tickets?sort=created&limit=2', { as: 'ada' });
      const res = await h.call('GET', `/v1/tickets?sort=priority&cursor=${first.body.nextCursor}`, { as: 'ada' });
      assertProblem(res, 422, 'validation_failed');
      assertProblem(await h.call('GET', '/v1/tickets?limit=0', { as: 'ada' }), 422, 'validation_failed');
      assertProblem(await h.call('GET', '/v1/tickets?limit=abc', { as: 'ada' }), 422, 'validation_failed');
    });

    it('comments: paged oldest first; a reply bumps the ticket and writes activity', async () => {
      const seedComments = h.seed.comments.filter((c) => c.ticketId === 'tkt_1001');
      const { ids } = await walk(h, 'jay', '/v1/tickets/tkt_1001/comments?limit=2');
      assert.deepEqual(
        ids,
        seedComments.map((c) => c.id),
      );
      const before = (await h.call('GET', '/v1/tickets/tkt_1001', { as: 'jay' })).body;
      h.clock.now = new Date(h.clock.now.getTime() + 5 * 60_000);
      const res = await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'jay', json: { body: '  Any news?  ' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.author, { kind: 'contact', id: DEMO_CONTACTS.jay, name: 'Jay Morales' });
      assert.equal(res.body.body, 'Any news?');
      const afterRes = await h.call('GET', '/v1/tickets/tkt_1001', { as: 'jay' });
      assert.equal(afterRes.body.commentCount, before.commentCount + 1);
      assert.equal(afterRes.body.version, before.version + 1);
      assert.equal(afterRes.body.updatedAt, h.clock.now.toISOString());
      assert.notEqual(afterRes.headers.get('ETag'), `"v${before.version}"`);
      const listed = await walk(h, 'jay', '/v1/tickets/tkt_1001/comments');
      assert.equal(listed.ids.at(-1), res.body.id);
      const activity = await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 });
      assert.equal(activity.items[0]?.type, 'ticket.commented');
      // A parent-account admin may comment on a child account's ticket.
      const emea = h.seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acmeEmea)!;
      assert.equal((await h.call('POST', `/v1/tickets/${emea.id}/comments`, { as: 'ada', json: { body: 'Looking into it from HQ.' } })).status, 201);
      assert.equal((await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'emil', json: { body: 'x' } })).status, 404, 'not upwards');
    });

    it('idempotency: same key + same body replays; another body is a 422; keys are per contact', async () => {
      const count = async () =>
        (await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 })).items.length;
      const n0 = await count();
      const body = { subject: 'Duplicate-safe ticket', description: 'Created once.', category: 'billing', priority: 'high' };
      const headers = { 'Idempotency-Key': 'key-123' };
      const first = await h.call('POST', '/v1/tickets', { as: 'ben', json: body, headers });
      const second = await h.call('POST', '/v1/tickets', {
        as: 'ben',
        json: { priority: 'high', category: 'billing', description: 'Created once.', subject: 'Duplicate-safe ticket' },
        headers,
      });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      assert.equal(second.headers.get('Idempotency-Replayed'), 'true');
      assert.equal(await count(), n0 + 1);
      const conflict = await h.call('POST', '/v1/tickets', { as: 'ben', json: { ...body, subject: 'Something else' }, headers });
      assertProblem(conflict, 422, 'idempotency_conflict');
      const otherPath = await h.call('POST', '/v1/tickets/tkt_1003/comments', { as: 'ben', json: { body: 'x' }, headers });
      assertProblem(otherPath, 422, 'idempotency_conflict');
      const otherContact = await h.call('POST', '/v1/tickets', { as: 'mia', json: body, headers });
      assert.equal(otherContact.status, 201);
      assert.notEqual(otherContact.body.id, first.body.id);
      assert.equal(await count(), n0 + 2);
      // Comments too.
      const c1 = await h.call('POST', '/v1/tickets/tkt_1003/comments', { as: 'ben', json: { body: 'Once' }, headers: { 'Idempotency-Key': 'c-1' } });
      const c2 = await h.call('POST', '/v1/tickets/tkt_1003/comments', { as: 'ben', json: { body: 'Once' }, headers: { 'Idempotency-Key': 'c-1' } });
      assert.deepEqual(c2.body, c1.body);
      const comments = await walk(h, 'ben', '/v1/tickets/tkt_1003/comments');
      assert.equal(comments.ids.filter((id) => id === c1.body.id).length, 1);
      assert.equal(comments.items.filter((c) => c.body === 'Once').length, 1);
      assertProblem(await h.call('POST', '/v1/tickets', { as: 'ben', json: body, headers: { 'Idempotency-Key': 'has space' } }), 400, 'bad_request');
    });

    it('idempotency: concurrent requests with one key create one ticket', async () => {
      const count = async () =>
        (await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 })).items.length;
      const n0 = await count();
      const send = () =>
        h.call('POST', '/v1/tickets', {
          as: 'jay',
          json: { subject: 'Double click', description: 'Clicked twice.', category: 'technical' },
          headers: { 'Idempotency-Key': 'double-click' },
        });
      const results = await Promise.all([send(), send(), send()]);
      for (const r of results) assert.ok(r.status === 201 || (r.status === 409 && r.body.code === 'conflict'), JSON.stringify(r.body));
      assert.equal(await count(), n0 + 1);
      const created = results.filter((r) => r.status === 201);
      assert.ok(created.length >= 1);
      assert.ok(created.every((r) => r.body.id === created[0]!.body.id));
    });

    it('a failed write releases its idempotency key, so a retry may succeed', async () => {
      const store = new MemoryStore();
      await store.load(h.seed);
      let fail = true;
      const flaky = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'createTicket' && fail) return async () => Promise.reject(new Error('disk full'));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as Store;
      const app = createApp({ store: flaky, auth: { secret: DEMO_JWT_SECRET }, now: () => h.clock.now, onError: () => {} });
      const auth = { Authorization: `Bearer ${await h.token('mia')}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'retry-me' };
      const body = JSON.stringify({ subject: 'Retry me please', description: 'x', category: 'technical' });
      const r1 = await app.request('/v1/tickets', { method: 'POST', headers: auth, body });
      assert.equal(r1.status, 500);
      const problem = await r1.json();
      assert.equal(problem.code, 'internal');
      assert.ok(!JSON.stringify(problem).includes('disk full'), 'no internals leak');
      fail = false;
      const r2 = await app.request('/v1/tickets', { method: 'POST', headers: auth, body });
      assert.equal(r2.status, 201);
    });

    it('validation errors answer 422 with fieldErrors and write nothing; bad JSON 400; wrong type 415', async () => {
      const snapshot = async () => ({
        tickets: await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 }),
        activity: await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 100 }),
      });
      const before = await snapshot();
      const invalid = await h.call('POST', '/v1/tickets', {
        as: 'mia',
        json: { subject: 'ab', description: '   ', category: 'hardware', priority: 'meh', visibility: 'public' },
      });
      assertProblem(invalid, 422, 'validation_failed');
      assert.deepEqual(Object.keys(invalid.body.fieldErrors).sort(), ['category', 'description', 'priority', 'subject', 'visibility']);
      assertProblem(await h.call('POST', '/v1/tickets', { as: 'mia', json: [] }), 422, 'validation_failed');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'mia', json: { body: '' } }), 422, 'validation_failed');
      assertProblem(
        await h.call('POST', '/v1/tickets', { as: 'mia', body: '{"subject": ', headers: { 'Content-Type': 'application/json' } }),
        400,
        'bad_request',
      );
      assertProblem(
        await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'mia', body: 'nope', headers: { 'Content-Type': 'application/json' } }),
        400,
        'bad_request',
      );
      assertProblem(
        await h.call('POST', '/v1/tickets', { as: 'mia', body: 'subject=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
        415,
        'unsupported_media_type',
      );
      const huge = 'x'.repeat(300 * 1024);
      assertProblem(
        await h.call('POST', '/v1/tickets', { as: 'mia', json: { subject: 'Big', description: huge, category: 'technical' } }),
        413,
        'payload_too_large',
      );
      assert.deepEqual(await snapshot(), before);
    });

    it('unknown routes answer a 404 problem; errors never carry a stack', async () => {
      assertProblem(await h.call('GET', '/v2/tickets', { as: 'ada' }), 404, 'not_found');
      assertProblem(await h.call('GET', '/v1/nothing-here', { as: 'ada' }), 404, 'not_found');
      assertProblem(await h.call('DELETE', '/v1/tickets/tkt_1001', { as: 'ada' }), 404, 'not_found');
    });

    it('If-None-Match with the current ETag answers 304', async () => {
      const first = await h.call('GET', '/v1/tickets/tkt_1002', { as: 'jay' });
      const again = await h.call('GET', '/v1/tickets/tkt_1002', { as: 'jay', headers: { 'If-None-Match': first.headers.get('ETag')! } });
      assert.equal(again.status, 304);
    });

    it('answers CORS preflights with the allowed headers and exposes ETag', async () => {
      const pre = await h.app.request('/v1/tickets', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://vendor.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,idempotency-key,content-type',
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('Access-Control-Allow-Origin'), '*');
      const allowed = (pre.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase();
      for (const name of ['authorization', 'idempotency-key', 'if-match', 'content-type']) assert.ok(allowed.includes(name), name);
      const res = await h.call('GET', '/v1/tickets/tkt_1001', { as: 'ada', headers: { Origin: 'https://vendor.example' } });
      assert.ok((res.headers.get('Access-Control-Expose-Headers') ?? '').includes('ETag'));

      const strict = createApp({ store: h.store, auth: { secret: DEMO_JWT_SECRET }, corsOrigins: ['https://vendor.example'] });
      const okOrigin = await strict.request('/v1/me', {
        method: 'OPTIONS',
        headers: { Origin: 'https://vendor.example', 'Access-Control-Request-Method': 'GET' },
      });
      assert.equal(okOrigin.headers.get('Access-Control-Allow-Origin'), 'https://vendor.example');
      const badOrigin = await strict.request('/v1/me', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
      });
      assert.notEqual(badOrigin.headers.get('Access-Control-Allow-Origin'), 'https://evil.example');
    });
  });
}

routeSuite('memory', true);
routeSuite('sqlite', false);
routeSuite('postgres', false);
