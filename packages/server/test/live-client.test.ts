/**
 * HttpClient's live-event subscription against the real app (fetch wired to `app.fetch`):
 * events arrive, a closed stream is resumed without loss or duplicates, a refused token is
 * refreshed, and stopping ends the connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, type LiveEvent } from '@portico/core';
import { DEMO_CONTACTS, DEMO_SERVICE_API_KEY, harness, type Harness } from './helpers.ts';

const SERVICE = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };
const agent = { id: 'agt_sam', name: 'Sam Patel' };

const waitFor = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A client whose fetch goes straight to the app. */
const clientOf = (h: Harness, getToken: () => Promise<string>) =>
  new HttpClient({
    apiBase: 'http://portico.test',
    getToken,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => h.app.fetch(new Request(input, init))) as typeof fetch,
  });

describe('HttpClient.subscribeEvents', () => {
  let h: Harness;
  before(async () => {
    // Streams close every 150 ms: the client must resume each time without losing events.
    h = await harness('memory', { events: { pollMs: 10, heartbeatMs: 1000, maxConnectionMs: 150 } });
  });
  after(() => h.dispose());

  const clientFor = (getToken: () => Promise<string>) => clientOf(h, getToken);

  it('delivers every visible event once, across server-side reconnects, until stopped', async () => {
    const events: LiveEvent[] = [];
    const statuses: string[] = [];
    const client = clientFor(() => h.token('mia'));
    const stop = client.subscribeEvents({ onEvent: (e) => events.push(e), onStatus: (s) => statuses.push(s) });
    await waitFor(() => statuses.includes('open'));
    for (let i = 0; i < 6; i++) {
      await h.call('POST', '/v1/service/tickets/tkt_1001/comments', { headers: SERVICE, json: { body: `reply ${i}`, agent } });
      await new Promise((r) => setTimeout(r, 60));
    }
    // The SLA scheduler's entries on the seed tickets arrive too; look at the replies.
    const replies = () => events.filter((e) => e.activity.type === 'ticket.commented');
    await waitFor(() => replies().length >= 6);
    await new Promise((r) => setTimeout(r, 300));
    stop();
    assert.equal(replies().length, 6, 'no event lost or repeated');
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    assert.ok(replies().every((e) => e.activity.ticketId === 'tkt_1001' && e.ticket?.sla));
    assert.ok(statuses.filter((s) => s === 'open').length >= 2, 'reconnected after the server closed the stream');
    await waitFor(() => statuses.at(-1) === 'closed');
  });

  it('refreshes a refused token and reconnects', async () => {
    let calls = 0;
    const statuses: string[] = [];
    const client = clientFor(async () => (++calls === 1 ? 'not-a-token' : h.token('mia')));
    const stop = client.subscribeEvents({ onEvent: () => {}, onStatus: (s) => statuses.push(s) });
    await waitFor(() => statuses.includes('open'));
    stop();
    assert.ok(calls >= 2);
  });

  it('gives up with "closed" when the token is refused even after a refresh', async () => {
    const statuses: string[] = [];
    let expired = 0;
    const client = new HttpClient({
      apiBase: 'http://portico.test',
      getToken: async () => 'not-a-token',
      onUnauthorized: () => expired++,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => h.app.fetch(new Request(input, init))) as typeof fetch,
    });
    client.subscribeEvents({ onEvent: () => {}, onStatus: (s) => statuses.push(s) });
    await waitFor(() => statuses.includes('closed'));
    assert.equal(expired, 1);
    assert.ok(!statuses.includes('open'));
  });
});

describe('HttpClient.subscribeEvents when the server ends the stream for access', () => {
  let h: Harness;
  before(async () => {
    // Streams would stay open for a minute: only the token's expiry ends them here.
    h = await harness('sqlite', { events: { pollMs: 60_000, heartbeatMs: 60_000, maxConnectionMs: 60_000 } });
  });
  after(() => h.dispose());

  it('reconnects with a fresh token from getToken and Last-Event-ID when the token expires, losing nothing', async () => {
    const events: LiveEvent[] = [];
    const statuses: string[] = [];
    const issued: string[] = [];
    // Each token lives a minute on the server's clock.
    const client = clientOf(h, async () => {
      const token = await h.token('mia', {}, { ttlSeconds: 60 });
      issued.push(token);
      return token;
    });
    const stop = client.subscribeEvents({ onEvent: (e) => events.push(e), onStatus: (s) => statuses.push(s) });
    await waitFor(() => statuses.includes('open'));
    const reply = (body: string) => h.call('POST', '/v1/service/tickets/tkt_1001/comments', { headers: SERVICE, json: { body, agent } });
    await reply('before expiry');
    await waitFor(() => events.length === 1);
    const start = h.clock.now;
    try {
      // The token is now past exp and the verifier's tolerance: the server ends the stream.
      h.clock.now = new Date(start.getTime() + 120_000);
      for (let i = 0; i < 3; i++) await reply(`after expiry ${i}`);
      await waitFor(() => events.length === 4);
      await new Promise((r) => setTimeout(r, 200));
      stop();
    } finally {
      h.clock.now = start;
    }
    assert.ok(events.every((e) => e.activity.type === 'ticket.commented' && e.activity.ticketId === 'tkt_1001'));
    assert.equal(new Set(events.map((e) => e.id)).size, 4, 'no event lost or repeated');
    assert.ok(statuses.filter((s) => s === 'open').length >= 2, 'reconnected after the server ended the stream');
    assert.ok(issued.length >= 2, 'a fresh token was asked for');
  });

  it('a contact deactivated while subscribed: the stream ends, the reconnect is refused after a refresh, and the subscription closes', async () => {
    const statuses: string[] = [];
    const refreshes: boolean[] = [];
    let expired = 0;
    const client = new HttpClient({
      apiBase: 'http://portico.test',
      getToken: ({ forceRefresh }) => (refreshes.push(forceRefresh), h.token('val')),
      onUnauthorized: () => expired++,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => h.app.fetch(new Request(input, init))) as typeof fetch,
    });
    client.subscribeEvents({ onEvent: () => {}, onStatus: (s) => statuses.push(s) });
    await waitFor(() => statuses.includes('open'));
    assert.equal((await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.val}`, { as: 'ada' })).status, 200);
    await waitFor(() => statuses.at(-1) === 'closed', 2_000);
    assert.equal(expired, 1, 'the host hears that the session is over');
    assert.ok(refreshes.includes(true), 'a fresh token was tried before giving up');
  });
});
