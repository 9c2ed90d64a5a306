import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { HttpClient, PorticoError, type Session } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, createMockApi, latencyHandlers, loadingHandlers, networkErrorHandlers, problemHandlers } from '@portico/mocks';

describe('@portico/mocks in Node (msw/node)', () => {
  const api = createMockApi({ now: new Date('2026-03-02T10:00:00.000Z') });
  const server = setupServer(...api.handlers);
  before(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());

  const get = async (path: string, email = 'ada@acme.example') =>
    fetch(`http://localhost/api${path}`, { headers: { Authorization: `Bearer ${await api.tokenFor(email)}` } });

  it('forwards /api/v1/me to the server app with a demo token', async () => {
    const res = await get('/v1/me');
    assert.equal(res.status, 200);
    const session = (await res.json()) as Session;
    assert.equal(session.contact.id, DEMO_CONTACTS.ada);
    assert.equal(session.account.id, DEMO_ACCOUNTS.acme);
  });

  it('runs the real policy: Globex sees no Acme ticket, and gets a 404 problem for one', async () => {
    const list = (await (await get('/v1/tickets?limit=100', 'gus@globex.example')).json()) as { items: { accountId: string }[] };
    assert.ok(list.items.length > 0);
    assert.ok(list.items.every((t) => t.accountId === DEMO_ACCOUNTS.globex));
    const res = await get('/v1/tickets/tkt_1001', 'gus@globex.example');
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('Content-Type'), 'application/problem+json');
    assert.equal(((await res.json()) as { code: string }).code, 'not_found');
  });

  it('serves the HttpClient end to end, including creates', async () => {
    const client = new HttpClient({ apiBase: 'http://localhost/api', getToken: () => api.tokenFor('mia@acme.example') });
    const ticket = await client.createTicket({ subject: 'Created through the mocks', description: 'Hello', category: 'technical' });
    assert.equal(ticket.requester.id, DEMO_CONTACTS.mia);
    assert.deepEqual(await client.getTicket(ticket.id), ticket);
    assert.ok(await api.store.getTicket(ticket.id), 'lands in the mock store');
    const sso = await client.listTickets({ q: 'SSO login fails' });
    assert.equal(sso.items[0]?.ref, 'T-1001');
    await assert.rejects(client.listTickets({ limit: 101 }), (e: unknown) => e instanceof PorticoError && e.status === 422 && !!e.fieldErrors?.limit);
  });

  it('answers unknown API paths with a 404 problem', async () => {
    const res = await get('/v1/nope');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'not_found');
  });

  it('simulates a network error, a 500 problem and latency', async () => {
    server.use(...networkErrorHandlers());
    await assert.rejects(get('/v1/me'), TypeError);
    server.resetHandlers(...problemHandlers('/api', 500, 'internal'), ...api.handlers);
    const failing = await get('/v1/me');
    assert.equal(failing.status, 500);
    assert.equal(failing.headers.get('Content-Type'), 'application/problem+json');
    assert.equal(((await failing.json()) as { code: string }).code, 'internal');
    server.resetHandlers(...latencyHandlers(50), ...api.handlers);
    const started = Date.now();
    assert.equal((await get('/v1/me')).status, 200);
    assert.ok(Date.now() - started >= 45);
  });

  it('hangs with the loading handlers until aborted', async () => {
    server.use(...loadingHandlers());
    const controller = new AbortController();
    const pending = fetch('http://localhost/api/v1/me', { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(pending, { name: 'AbortError' });
  });
});

describe('@portico/mocks options', () => {
  it('supports an empty account seed and an absolute apiBase', async () => {
    const api = createMockApi({ seed: 'empty', apiBase: 'https://support.example.com/portico/api' });
    const server = setupServer(...api.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const token = await api.tokenFor('mia@acme.example');
      const res = await fetch('https://support.example.com/portico/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { items: [], nextCursor: null });
      await assert.rejects(api.tokenFor('nobody@nowhere.example'));
      const newcomer = await api.tokenFor('new@acme.example', { role: 'member' });
      const me = await fetch('https://support.example.com/portico/api/v1/me', { headers: { Authorization: `Bearer ${newcomer}` } });
      assert.equal(((await me.json()) as Session).contact.role, 'member');
    } finally {
      server.close();
    }
  });
});
