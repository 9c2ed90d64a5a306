/**
 * The vendor's path from an empty database to a customer seeing an agent's reply, end to end
 * and over HTTP only: the real `portico-server` CLI on an empty SQLite file, RS256 tokens
 * verified against a JWKS the "vendor" serves, a real webhook receiver checked with the
 * independent `standardwebhooks` package, and a customer's live stream read with
 * eventsource-parser. See docs/going-to-production.md.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { Webhook } from 'standardwebhooks';
import { startCli } from '../../packages/server/test/cli-process.ts';
import { readLive, type LiveReader } from '../../packages/server/test/helpers.ts';
import { startReceiver, webhookHeaders, type Receiver } from '../../packages/server/test/webhook-receiver.ts';

const SERVICE_KEY = 'svc_e2e_0123456789abcdefghijklmnopqrstuvwxyz';
const KID = 'vendor-1';

/** The vendor's identity provider: an RS256 key pair whose public half a local JWKS serves. */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    /** A token as the vendor's backend mints it for a signed-in user. */
    mint: (claims: { email: string; name: string; account: string }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setSubject(`user_${claims.email}`)
        .setAudience('portico')
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * Waits until the stream has sent an event that matches (it is read in the background), or
 * fails after 10 s or when the stream ends first, naming what it did send.
 */
async function waitForEvent(stream: LiveReader, match: (e: LiveReader['events'][number]) => boolean) {
  const sent = () => stream.events.map((e) => (e.event === 'activity' ? e.data.activity.type : e.event)).join(', ') || 'nothing';
  let over = false;
  void stream.ended.then(() => (over = true));
  for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 20))) {
    const found = stream.events.find(match);
    if (found) return found;
    if (over) throw new Error(`the stream ended first; it sent ${sent()}`);
    if (Date.now() > deadline) throw new Error(`no such event in 10 s; the stream sent ${sent()}`);
  }
}

describe('from an empty database to a customer reading an agent reply (service plane, end to end)', () => {
  let dir: string;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let receiver: Receiver;
  let portico: ReturnType<typeof startCli>;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
    issuer = await startIssuer();
    receiver = await startReceiver();
    portico = startCli([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--base-path',
      '/api',
      '--db',
      join(dir, 'portico.db'),
      '--jwks-url',
      issuer.jwksUrl,
      '--service-api-key',
      SERVICE_KEY,
      '--webhook-allow-private',
    ]);
    base = await portico.url;
  });

  after(async () => {
    await portico?.stop();
    await receiver?.close();
    await issuer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An HTTP call with a bearer credential: the service API key, or a contact's token. */
  const call = async (credential: string, method: string, path: string, json?: unknown): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  /** The vendor's backend. */
  const service = (method: string, path: string, json?: unknown) => call(SERVICE_KEY, method, path, json);
  /** A customer's browser. */
  const customer = call;

  it('provisions, delivers signed webhooks, keeps notes internal, ends a deactivated contact at once and tells of merges', async () => {
    assert.doesNotMatch(portico.output(), /demo data loaded/);
    const petersToken = await issuer.mint({ email: 'peter@initech.example', name: 'Peter Gibbons', account: 'cus_4711' });

    // An empty database knows no account: every token is refused until the vendor provisions.
    assert.equal((await service('GET', '/v1/service/accounts')).body.items.length, 0);
    assert.equal((await customer(petersToken, 'GET', '/v1/me')).status, 401);

    // Provisioning: a parent account, a child account and contacts.
    const parent = await service('PUT', '/v1/service/accounts/cus_4711', {
      name: 'Initech',
      domains: ['initech.example'],
      tier: 'premier',
      defaultVisibility: 'account',
    });
    assert.equal(parent.status, 201, JSON.stringify(parent.body));
    assert.equal(parent.headers.get('Location'), '/api/v1/service/accounts/cus_4711', 'under the base path');
    const child = await service('PUT', '/v1/service/accounts/cus_4711_emea', { name: 'Initech EMEA', domains: ['initech.example.de'], parentId: 'cus_4711' });
    assert.equal(child.status, 201, JSON.stringify(child.body));
    const contact = await service('PUT', '/v1/service/accounts/cus_4711/contacts/peter@initech.example', {
      name: 'Peter Gibbons',
      role: 'admin',
      locale: 'en',
    });
    assert.equal(contact.status, 201, JSON.stringify(contact.body));
    const sync = await service('POST', '/v1/service/sync', {
      contacts: [
        { accountId: 'cus_4711', email: 'milton@initech.example', name: 'Milton Waddams', role: 'member' },
        { accountId: 'cus_4711_emea', email: 'bob@initech.example.de', name: 'Bob Slydell', role: 'member' },
      ],
    });
    assert.equal(sync.status, 200, JSON.stringify(sync.body));
    assert.deepEqual(sync.body.counts, { created: 2, updated: 0, unchanged: 0 });
    const children = await service('GET', '/v1/service/accounts?parent=cus_4711');
    assert.deepEqual(
      children.body.items.map((a: { id: string }) => a.id),
      ['cus_4711_emea'],
    );

    // A misspelled field is refused by name, never dropped: `events` would otherwise register
    // an endpoint for every event.
    const misspelled = await service('POST', '/v1/service/webhooks', { url: `${receiver.url}/hooks/portico`, events: ['ticket.created'] });
    assert.equal(misspelled.status, 422);
    assert.deepEqual(misspelled.body.fieldErrors, { events: ['Unknown field "events"'] });
    assert.equal((await service('GET', '/v1/service/webhooks')).body.items.length, 0);

    // The vendor registers its webhook endpoint; the secret is shown this once.
    const hook = await service('POST', '/v1/service/webhooks', { url: `${receiver.url}/hooks/portico`, eventTypes: ['ticket.created', 'ticket.commented'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    assert.match(hook.body.secret, /^whsec_/);
    assert.equal(hook.headers.get('Location'), `/api/v1/service/webhooks/${hook.body.id}`);
    const verifier = new Webhook(hook.body.secret);

    // The contact's token now works: it lists its account's tickets and creates one.
    const me = await customer(petersToken, 'GET', '/v1/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.contact.role, 'admin', 'the provisioned role, not a default');
    assert.equal((await customer(petersToken, 'GET', '/v1/tickets')).body.items.length, 0);
    const created = await customer(petersToken, 'POST', '/v1/tickets', {
      subject: 'TPS reports export fails',
      description: 'The export button spins forever.',
      category: 'technical',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ticket = created.body as { id: string; ref: string; visibility: string };
    assert.equal(ticket.ref, 'T-1001');
    assert.equal(ticket.visibility, 'account', "the account's default visibility");
    assert.deepEqual(
      (await customer(petersToken, 'GET', '/v1/tickets')).body.items.map((t: { id: string }) => t.id),
      [ticket.id],
    );

    // The webhook arrives, and its signature verifies with the independent package.
    await receiver.waitFor((all) => all.some((r) => r.json.type === 'ticket.created'));
    const delivery = receiver.received.find((r) => r.json.type === 'ticket.created')!;
    const event = verifier.verify(delivery.body, webhookHeaders(delivery)) as { type: string; ticketId: string; accountId: string };
    assert.equal(event.ticketId, ticket.id);
    assert.equal(event.accountId, 'cus_4711');
    assert.throws(() =>
      new Webhook(`whsec_${Buffer.from('not the secret, 32 bytes long...').toString('base64')}`).verify(delivery.body, webhookHeaders(delivery)),
    );
    assert.ok(
      receiver.received.every((r) => ['ticket.created', 'ticket.commented'].includes(r.json.type)),
      'only the filtered event types',
    );

    // The customer opens its live stream before the agent writes.
    const streamRes = await fetch(`${base}/v1/events`, { headers: { authorization: `Bearer ${petersToken}`, accept: 'text/event-stream' } });
    assert.equal(streamRes.status, 200);
    const stream = readLive(streamRes);
    try {
      await waitForEvent(stream, (e) => e.event === 'ready');

      // The agent finds the ticket by its reference, adds an internal note, then replies.
      const found = await service('GET', '/v1/service/tickets/T-1001');
      assert.equal(found.status, 200);
      assert.equal(found.body.id, ticket.id);
      const noteText = 'Customer is on the legacy exporter; see INC-88.';
      // A note is never a reply with a flag: a made-up `internal` is refused, and nothing is published.
      const flagged = await service('POST', '/v1/service/tickets/T-1001/comments', { body: noteText, internal: true, agent: { name: 'Sam Patel' } });
      assert.equal(flagged.status, 422);
      assert.deepEqual(Object.keys(flagged.body.fieldErrors), ['internal']);
      assert.equal((await service('GET', '/v1/service/tickets?updated_since=2026-01-01')).status, 422, 'a misspelled filter does not widen the inbox');
      const note = await service('POST', '/v1/service/tickets/T-1001/notes', { body: noteText, agent: { id: 'agt_sam', name: 'Sam Patel' } });
      assert.equal(note.status, 201, JSON.stringify(note.body));
      const replyText = "Fixed in today's release, please try again.";
      const reply = await service('POST', '/v1/service/tickets/T-1001/comments', { body: replyText, agent: { id: 'agt_sam', name: 'Sam Patel' } });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      const thread = await service('GET', '/v1/service/tickets/T-1001/comments');
      assert.deepEqual(
        thread.body.items.map((c: { body: string; internal: boolean }) => [c.body, c.internal]),
        [
          [noteText, true],
          [replyText, false],
        ],
      );

      // The customer sees the reply live…
      const live = await waitForEvent(
        stream,
        (e) => e.event === 'activity' && e.data.activity.type === 'ticket.commented' && e.data.activity.ticketId === ticket.id,
      );
      assert.equal(live.data.activity.actor.name, 'Sam Patel');
      // …and the webhook of the reply is signed too.
      await receiver.waitFor((all) => all.some((r) => r.json.type === 'ticket.commented'));
      const commented = receiver.received.find((r) => r.json.type === 'ticket.commented')!;
      assert.equal((verifier.verify(commented.body, webhookHeaders(commented)) as { ticketId: string }).ticketId, ticket.id);

      // …and never the note: not live, not in the thread, timeline or search.
      assert.ok(!JSON.stringify(stream.events).includes(noteText), 'the note never reaches the live stream');
      const comments = await customer(petersToken, 'GET', `/v1/tickets/${ticket.id}/comments`);
      assert.equal(comments.status, 200);
      assert.deepEqual(
        comments.body.items.map((c: { body: string }) => c.body),
        [replyText],
      );
      const activity = await customer(petersToken, 'GET', '/v1/activity');
      assert.equal(activity.status, 200);
      assert.ok(activity.body.items.some((a: { type: string; ticketId: string }) => a.type === 'ticket.commented' && a.ticketId === ticket.id));
      assert.ok(!JSON.stringify(activity.body).includes(noteText), 'the note is not in the timeline');
      assert.equal((await customer(petersToken, 'GET', '/v1/tickets?q=INC-88')).body.items.length, 0, 'the note is not searchable');
      assert.equal((await customer(petersToken, 'GET', '/v1/tickets?q=release')).body.items.length, 1, 'the reply is');

      // The vendor deactivates the contact: the next call is refused and the stream ends.
      const deactivated = await service('PUT', '/v1/service/accounts/cus_4711/contacts/peter@initech.example', { active: false });
      assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
      const at = Date.now();
      const refused = await fetch(`${base}/v1/tickets`, { headers: { authorization: `Bearer ${petersToken}` } });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
      const endedAt = await Promise.race([stream.ended, new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5_000))]);
      assert.ok(endedAt - at <= 2_000, `the open stream ended ${endedAt - at} ms after the deactivation (at most 2 000)`);
    } finally {
      await stream.cancel();
    }

    // The ticket stays, for the agent and for the account's other contacts.
    assert.equal((await service('GET', `/v1/service/tickets/${ticket.id}`)).status, 200);
    const miltonsToken = await issuer.mint({ email: 'milton@initech.example', name: 'Milton Waddams', account: 'cus_4711' });
    assert.equal((await customer(miltonsToken, 'GET', `/v1/tickets/${ticket.id}`)).status, 200, 'an account-visible ticket outlives its requester’s access');

    // Milton files the same problem again; the agent merges the duplicate, and the vendor hears of it.
    const filter = await service('PATCH', `/v1/service/webhooks/${hook.body.id}`, { eventTypes: ['ticket.created', 'ticket.commented', 'ticket.merged'] });
    assert.equal(filter.status, 200, JSON.stringify(filter.body));
    const duplicate = await customer(miltonsToken, 'POST', '/v1/tickets', {
      subject: 'TPS export still spinning',
      description: 'Same as T-1001.',
      category: 'technical',
    });
    assert.equal(duplicate.body.ref, 'T-1002');
    const merged = await service('POST', '/v1/service/tickets/T-1002/merge', { into: 'T-1001', agent: { name: 'Sam Patel' } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    await receiver.waitFor((all) => all.some((r) => r.json.type === 'ticket.merged'));
    const mergedHook = receiver.received.find((r) => r.json.type === 'ticket.merged')!;
    const mergedEvent = verifier.verify(mergedHook.body, webhookHeaders(mergedHook)) as { ticketId: string; data: { target: { ref: string } } };
    assert.deepEqual([mergedEvent.ticketId, mergedEvent.data.target.ref], [duplicate.body.id, 'T-1001']);
    assert.equal(receiver.received.filter((r) => r.json.type === 'ticket.merged').length, 1, 'one event per merge');
    assert.deepEqual((await customer(miltonsToken, 'GET', `/v1/tickets/${duplicate.body.id}`)).body.mergedInto, { id: ticket.id, ref: 'T-1001' });
  });
});
