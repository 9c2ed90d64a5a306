/**
 * HttpClient's live-event subscription against the real app (fetch wired to `app.fetch`):
 * events arrive, a closed stream is resumed without loss or duplicates, a refused token is
 * refreshed, and stopping ends the connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, type LiveEvent } from '@portico/core';
import { DEMO_SERVICE_API_KEY, harness, type Harness } from './helpers.ts';

const SERVICE = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };
const agent = { id: 'agt_sam', name: 'Sam Patel' };

const waitFor = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('HttpClient.subscribeEvents', () => {
  let h: Harness;
  before(async () => {
    // Streams close every 150 ms: the client must resume each time without losing events.
    h = await harness('memory', { events: { pollMs: 10, heartbeatMs: 1000, maxConnectionMs: 150 } });
  });
  after(() => h.dispose());

  const clientFor = (getToken: () => Promise<string>) =>
    new HttpClient({ apiBase: 'http://portico.test', getToken, fetch: (async (input: RequestInfo | URL, init?: RequestInit) => h.app.fetch(new Request(input, init))) as typeof fetch });

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
