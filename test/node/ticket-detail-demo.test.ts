/**
 * End to end through the demo vendor app (what `npm start` runs, on a real SQLite file):
 * every active demo contact opens the list and a detail, then tries every ticket action.
 * What the role allows works; what it does not is refused — exactly as the policy says.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actorOf, can, ticketEtag, type Action, type Session, type Ticket } from '@portico/core';
import { startDemo, type DemoServer } from './demo-server.ts';

const CONTACTS = [
  'ada@acme.example',
  'ben@acme.example',
  'mia@acme.example',
  'jay@acme.example',
  'val@acme.example',
  'emil@acme-emea.example',
  'noor@acme-emea.example',
  'leo@acme-labs.example',
  'gus@globex.example',
  'pia@globex.example',
];

let demo: DemoServer;
before(async () => {
  demo = await startDemo();
});
after(() => demo.stop());

async function everyTicket(email: string, query = ''): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null = null;
  do {
    const res = await demo.api(email, 'GET', `/v1/tickets?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe('the npm start demo: every contact, every ticket action, on SQLite', () => {
  for (const email of CONTACTS) {
    it(`${email}: list, detail and every action the role allows (and only those)`, async () => {
      const session = (await demo.api(email, 'GET', '/v1/me')).body as Session;
      const actor = actorOf(session);
      const may = (action: Action, t: Ticket) => can(actor, action, { ...t, requesterId: t.requester.id });
      const expectStatus = (res: { status: number; body: unknown }, allowed: boolean, ok: number, what: string) =>
        assert.equal(res.status, allowed ? ok : 403, `${email} ${what}: ${JSON.stringify(res.body)}`);

      // The list with counts, and the detail of the first tickets.
      const first = await demo.api(email, 'GET', '/v1/tickets?counts=true&limit=5');
      assert.equal(first.status, 200);
      const tickets = await everyTicket(email);
      assert.ok(tickets.length > 0, 'every demo contact has tickets to see');
      assert.equal(first.body.counts.account, tickets.length);
      assert.equal(first.body.counts.mine, tickets.filter((t) => t.requester.id === actor.contactId).length);
      for (const t of tickets.slice(0, 3)) {
        const detail = await demo.api(email, 'GET', `/v1/tickets/${t.id}`);
        assert.equal(detail.status, 200);
        assert.equal(detail.headers.get('etag'), ticketEtag(detail.body));
        assert.equal((await demo.api(email, 'GET', `/v1/tickets/${t.id}/comments`)).status, 200);
        assert.equal((await demo.api(email, 'PUT', `/v1/tickets/${t.id}/seen/me`)).status, 204);
      }
      const search = await demo.api(email, 'GET', `/v1/tickets?q=${encodeURIComponent(tickets[0]!.subject.split(' ')[0]!)}`);
      assert.ok(
        search.body.items.some((t: Ticket) => t.id === tickets[0]!.id),
        'search finds a visible ticket by a word of its subject',
      );

      // Reply, retried with the same key: one comment.
      const target = tickets[0]!;
      const key = `e2e-${email}`;
      const reply = await demo.api(email, 'POST', `/v1/tickets/${target.id}/comments`, {
        json: { body: `Reply from ${email}` },
        headers: { 'Idempotency-Key': key },
      });
      expectStatus(reply, may('ticket.comment', target), 201, 'reply');
      if (reply.status === 201) {
        const again = await demo.api(email, 'POST', `/v1/tickets/${target.id}/comments`, {
          json: { body: `Reply from ${email}` },
          headers: { 'Idempotency-Key': key },
        });
        assert.equal(again.body.id, reply.body.id);
      }

      // Follow and unfollow a ticket not yet followed.
      const unfollowed = tickets.find((t) => !t.followerIds.includes(actor.contactId))!;
      const follow = await demo.api(email, 'PUT', `/v1/tickets/${unfollowed.id}/followers/me`);
      expectStatus(follow, may('ticket.follow', unfollowed), 200, 'follow');
      if (follow.status === 200) assert.ok([200, 204].includes((await demo.api(email, 'DELETE', `/v1/tickets/${unfollowed.id}/followers/me`)).status));

      // Close and reopen, with If-Match.
      const fresh = async (id: string) => (await demo.api(email, 'GET', `/v1/tickets/${id}`)).body as Ticket;
      const closable = tickets.find((t) => may('ticket.close', t)) ?? tickets.find((t) => t.status === 'open' || t.status === 'new' || t.status === 'pending')!;
      const closeIt = await fresh(closable.id);
      const closed = await demo.api(email, 'PATCH', `/v1/tickets/${closable.id}`, { json: { status: 'solved' }, headers: { 'If-Match': ticketEtag(closeIt) } });
      expectStatus(closed, may('ticket.close', closeIt), 200, 'close');
      if (closed.status === 200) {
        assert.equal(closed.body.status, 'solved');
        const reopened = await demo.api(email, 'PATCH', `/v1/tickets/${closable.id}`, {
          json: { status: 'open' },
          headers: { 'If-Match': ticketEtag(closed.body) },
        });
        assert.equal(reopened.status, 200);
        assert.equal(reopened.body.status, 'open');
      }

      // Visibility: the requester (or an admin) flips it and back; a stale ETag is refused.
      const own = tickets.find((t) => may('ticket.change_visibility', t)) ?? target;
      const ownNow = await fresh(own.id);
      const flip = ownNow.visibility === 'private' ? 'account' : 'private';
      const changed = await demo.api(email, 'PATCH', `/v1/tickets/${own.id}`, { json: { visibility: flip }, headers: { 'If-Match': ticketEtag(ownNow) } });
      expectStatus(changed, may('ticket.change_visibility', ownNow), 200, 'visibility');
      if (changed.status === 200) {
        const stale = await demo.api(email, 'PATCH', `/v1/tickets/${own.id}`, {
          json: { visibility: ownNow.visibility },
          headers: { 'If-Match': ticketEtag(ownNow) },
        });
        assert.equal(stale.status, 412);
        const back = await demo.api(email, 'PATCH', `/v1/tickets/${own.id}`, {
          json: { visibility: ownNow.visibility },
          headers: { 'If-Match': ticketEtag(changed.body) },
        });
        assert.equal(back.status, 200);
      }

      // Escalate an unsolved, unescalated ticket: once.
      const current = await everyTicket(email);
      const escalatable =
        current.find((t) => !t.escalated && may('ticket.escalate', t)) ?? current.find((t) => !t.escalated && ['new', 'open', 'pending'].includes(t.status));
      if (escalatable) {
        const escalated = await demo.api(email, 'POST', `/v1/tickets/${escalatable.id}/escalations`, { json: { reason: `Urgent for ${email}` } });
        expectStatus(escalated, may('ticket.escalate', escalatable), 201, 'escalate');
        if (escalated.status === 201) {
          assert.equal(escalated.body.ticket.escalated, true);
          assert.equal((await demo.api(email, 'POST', `/v1/tickets/${escalatable.id}/escalations`, { json: { reason: 'again' } })).status, 409);
        }
      }

      // CSAT: the requester of a solved ticket rates it, once; anyone else is refused.
      const solved =
        current.find((t) => t.status === 'solved' && !t.satisfaction && t.requester.id === actor.contactId) ??
        current.find((t) => t.status === 'solved' && !t.satisfaction);
      if (solved) {
        const rated = await demo.api(email, 'POST', `/v1/tickets/${solved.id}/satisfaction`, { json: { rating: 'good', comment: 'Thanks' } });
        expectStatus(rated, may('ticket.rate', solved), 201, 'rate');
        if (rated.status === 201)
          assert.equal((await demo.api(email, 'POST', `/v1/tickets/${solved.id}/satisfaction`, { json: { rating: 'bad' } })).status, 409);
      }

      // Saved views: personal for all, shared for admins only.
      const personal = await demo.api(email, 'POST', '/v1/views', { json: { name: 'Mine, unsolved', query: { view: 'mine', status: ['open', 'pending'] } } });
      assert.equal(personal.status, 201);
      const shared = await demo.api(email, 'POST', '/v1/views', { json: { name: 'Urgent', shared: true, query: { view: 'unsolved', priority: ['urgent'] } } });
      expectStatus(shared, session.permissions['view.share'], 201, 'share a view');
      const names = (await demo.api(email, 'GET', '/v1/views')).body.items.map((v: { name: string }) => v.name);
      assert.ok(names.includes('Mine, unsolved'));
      assert.equal((await demo.api(email, 'DELETE', `/v1/views/${personal.body.id}`)).status, 204);
      if (shared.status === 201) assert.equal((await demo.api(email, 'DELETE', `/v1/views/${shared.body.id}`)).status, 204);
    });
  }

  it('serves the page with the support panel (launcher) inside the provider', async () => {
    const html = await (await fetch(`${demo.base}/`)).text();
    assert.match(html, /<portico-provider[^>]*>[\s\S]*<portico-support-panel mode="launcher"[^>]*>[\s\S]*<\/portico-provider>/);
  });
});
