/**
 * The routes of the ticket list and detail (issue 3): counts, full-text search, SLA sort,
 * unread markers, PATCH with If-Match, escalations, CSAT, following, seen markers and saved
 * views — each route, each refusal, and the activity every change writes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, SavedViewSchema, TicketSchema, canView, type Ticket } from '@portico/core';
import { matchesWords, searchWords } from '@portico/server';
import pg from 'pg';
import { ACTIVE_CONTACTS, DEMO_ACCOUNTS, DEMO_CONTACTS, actorOf, harness, visibleIds, walk, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

const contactOf = (h: Harness, key: DemoKey) => h.seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
}

/** Activity rows of a ticket, newest first. */
async function activityOf(h: Harness, ticketId: string) {
  const ticket = (await h.store.getTicket(ticketId))!;
  const page = await h.store.listActivity([ticket.accountId], { limit: 100 });
  return page.items.filter((a) => a.ticketId === ticketId);
}

const tick = (h: Harness, ms = 60_000) => {
  h.clock.now = new Date(h.clock.now.getTime() + ms);
};

function suite(kind: StoreKind): void {
  describe(`ticket list and detail routes on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    it('counts every view under the same filters, matching what each view lists', async () => {
      for (const key of ACTIVE_CONTACTS) {
        for (const query of ['', 'status=open,pending', 'category=billing', 'q=invoice']) {
          const res = await h.call('GET', `/v1/tickets?counts=true&limit=1&${query}`, { as: key });
          assert.equal(res.status, 200);
          for (const view of ['mine', 'account', 'following', 'unsolved']) {
            const { ids } = await walk(h, key, `/v1/tickets?view=${view}&limit=100&${query}`);
            assert.equal(res.body.counts[view], ids.length, `${key} ${view} ${query}`);
          }
        }
      }
      const plain = await h.call('GET', '/v1/tickets?limit=1', { as: 'ada' });
      assert.equal('counts' in plain.body, false, 'counts only when asked for');
    });

    it('full-text search never returns a ticket the caller may not see, and finds what it may', async () => {
      // Every distinct word of every ticket's text and comments, searched by every contact.
      const words = new Set<string>();
      for (const t of h.seed.tickets) for (const w of searchWords(`${t.subject} ${t.description}`)) if (w.length > 3) words.add(w);
      for (const c of h.seed.comments) for (const w of searchWords(c.body)) if (w.length > 5) words.add(w);
      const sample = [...words].filter((_, i) => i % 9 === 0);
      assert.ok(sample.length > 20);
      for (const key of ['mia', 'ben', 'jay', 'val', 'noor', 'pia'] as const) {
        const contact = contactOf(h, key);
        const actor = actorOf(h.seed, contact);
        for (const word of sample) {
          const { ids } = await walk(h, key, `/v1/tickets?q=${encodeURIComponent(word)}&limit=100`);
          const want = h.seed.tickets
            .filter((t) => canView(actor, { ...t, requesterId: t.requester.id }))
            .filter((t) => {
              const text = [t.ref, t.subject, t.description, ...h.seed.comments.filter((c) => c.ticketId === t.id).map((c) => c.body)].join(' ');
              return matchesWords([word], searchWords(text));
            })
            .map((t) => t.id)
            .sort();
          assert.deepEqual([...ids].sort(), want, `${key} q=${word}`);
        }
      }
      // A word only in a private ticket's comment: its requester finds it, a colleague does not.
      const jay = await h.call('GET', '/v1/tickets?q=async%20export%20queue', { as: 'jay' });
      assert.deepEqual(
        jay.body.items.map((t: Ticket) => t.ref),
        ['T-1002'],
      );
      const mia = await h.call('GET', '/v1/tickets?q=async%20export%20queue', { as: 'mia' });
      assert.deepEqual(mia.body.items, []);
    });

    it('sorts by SLA due (soonest first, none last) and rejects an unknown sort', async () => {
      const soon = new Date(h.clock.now.getTime() + 3_600_000).toISOString();
      const later = new Date(h.clock.now.getTime() + 7_200_000).toISOString();
      const actor = { kind: 'system' as const, id: 'sla', name: 'SLA' };
      await h.store.updateTicket({ ticketId: 'tkt_1003', changes: { slaDueAt: later }, actor, now: h.clock.now.toISOString() });
      await h.store.updateTicket({ ticketId: 'tkt_1006', changes: { slaDueAt: soon }, actor, now: h.clock.now.toISOString() });
      const { items } = await walk(h, 'ada', '/v1/tickets?sort=sla_due&limit=5');
      assert.deepEqual(
        items.slice(0, 2).map((t: Ticket) => t.id),
        ['tkt_1006', 'tkt_1003'],
      );
      assert.equal(items[0].slaDueAt, soon);
      assert.equal(items.length, visibleIds(h.seed, contactOf(h, 'ada')).length);
      for (const t of items) assert.ok(TicketSchema.safeParse(t).success);
      assertProblem(await h.call('GET', '/v1/tickets?sort=sla', { as: 'ada' }), 422, 'validation_failed');
    });

    it('marks followed and own tickets unread after changes by others, until seen', async () => {
      const list = async (key: DemoKey) => (await walk(h, key, '/v1/tickets?view=following&limit=100')).items as Ticket[];
      const unread = async (key: DemoKey, id: string) => ((await walk(h, key, '/v1/tickets?limit=100')).items as Ticket[]).find((t) => t.id === id)!.unread;
      // Ada follows T-1001, which has comments since it was created and she never opened it.
      let t1001 = (await list('ada')).find((t) => t.id === 'tkt_1001')!;
      assert.equal(t1001.unread, true);
      assert.equal((await h.call('PUT', '/v1/tickets/tkt_1001/seen/me', { as: 'ada' })).status, 204);
      t1001 = (await list('ada')).find((t) => t.id === 'tkt_1001')!;
      assert.equal(t1001.unread, false);
      // An agent replies: unread again; Ada's own reply leaves it read.
      tick(h);
      await h.store.addComment({
        ticketId: 'tkt_1001',
        author: { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' },
        body: 'New certificate is live.',
        now: h.clock.now.toISOString(),
      });
      assert.equal(await unread('ada', 'tkt_1001'), true);
      assert.equal('unread' in (await h.call('GET', '/v1/tickets/tkt_1001', { as: 'ada' })).body, false, 'only lists carry the marker');
      await h.call('PUT', '/v1/tickets/tkt_1001/seen/me', { as: 'ada' });
      tick(h);
      assert.equal((await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'ada', json: { body: 'Confirmed, thanks!' } })).status, 201);
      assert.equal(await unread('ada', 'tkt_1001'), false);
      // Not involved (Val only sees it through the account): never unread.
      assert.equal(await unread('val', 'tkt_1001'), false);
      assertProblem(await h.call('PUT', '/v1/tickets/tkt_1002/seen/me', { as: 'mia' }), 404, 'not_found');
    });

    it('PATCH closes and reopens where the policy allows, with activity and a new ETag', async () => {
      tick(h);
      const before = await h.call('GET', '/v1/tickets/tkt_1007', { as: 'jay' });
      const etag = before.headers.get('ETag')!;
      const closed = await h.call('PATCH', '/v1/tickets/tkt_1007', { as: 'jay', json: { status: 'solved' }, headers: { 'If-Match': etag } });
      assert.equal(closed.status, 200);
      assert.equal(closed.body.status, 'solved');
      assert.equal(closed.body.version, before.body.version + 1);
      assert.equal(closed.headers.get('ETag'), `"v${before.body.version + 1}"`);
      assert.equal(closed.body.updatedAt, h.clock.now.toISOString());
      const [row] = await activityOf(h, 'tkt_1007');
      assert.deepEqual([row?.type, row?.data, row?.actor.id], ['ticket.status_changed', { from: 'new', to: 'solved' }, DEMO_CONTACTS.jay]);

      const reopened = await h.call('PATCH', '/v1/tickets/tkt_1007', { as: 'jay', json: { status: 'open' } });
      assert.equal(reopened.body.status, 'open');
      assert.equal((await activityOf(h, 'tkt_1007'))[0]?.type, 'ticket.status_changed');

      // A closed ticket stays closed; a solved one cannot be closed again.
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1010', { as: 'ada', json: { status: 'open' } }), 409, 'conflict');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1019', { as: 'jay', json: { status: 'open' } }), 409, 'conflict');
      // The same status again is a no-op, not an error.
      const same = await h.call('PATCH', '/v1/tickets/tkt_1007', { as: 'jay', json: { status: 'open' } });
      assert.equal(same.status, 200);
      assert.equal(same.body.version, reopened.body.version);
    });

    it('PATCH refuses what the role cannot do (403), what the caller cannot see (404), and bad bodies (422), changing nothing', async () => {
      const snapshot = async () => [
        await h.store.getTicket('tkt_1001'),
        await h.store.getTicket('tkt_1036'),
        (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 })).items,
      ];
      const before = await snapshot();
      // Val (viewer) may not close; Mia (member) may not change visibility of Ada's... own: she is the requester of 1001.
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'val', json: { status: 'solved' } }), 403, 'forbidden');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'jay', json: { visibility: 'private' } }), 403, 'forbidden');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'ben', json: { visibility: 'private' } }), 404, 'not_found');
      // A parent account's admin reads and comments on child tickets, nothing more.
      const child = h.seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acmeEmea && t.status === 'open')!;
      assertProblem(await h.call('PATCH', `/v1/tickets/${child.id}`, { as: 'ada', json: { status: 'solved' } }), 403, 'forbidden');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1002', { as: 'mia', json: { status: 'solved' } }), 404, 'not_found');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'mia', json: { status: 'closed' } }), 422, 'validation_failed');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'mia', json: { priority: 'urgent' } }), 422, 'validation_failed');
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'mia', json: {} }), 422, 'validation_failed');
      assertProblem(
        await h.call('PATCH', '/v1/tickets/tkt_1001', { as: 'mia', body: 'nope', headers: { 'Content-Type': 'application/json' } }),
        400,
        'bad_request',
      );
      assert.deepEqual(await snapshot(), before);
    });

    it('PATCH changes visibility for the requester or an admin only, and a stale If-Match answers 412', async () => {
      tick(h);
      const first = await h.call('GET', '/v1/tickets/tkt_1005', { as: 'ada' });
      const etag = first.headers.get('ETag')!;
      // Mia (member, not the requester) may not; Ada (admin, requester) may.
      assertProblem(await h.call('PATCH', '/v1/tickets/tkt_1005', { as: 'mia', json: { visibility: 'private' } }), 403, 'forbidden');
      const changed = await h.call('PATCH', '/v1/tickets/tkt_1005', { as: 'ada', json: { visibility: 'private' }, headers: { 'If-Match': etag } });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.visibility, 'private');
      const [row] = await activityOf(h, 'tkt_1005');
      assert.deepEqual([row?.type, row?.data], ['ticket.visibility_changed', { from: 'account', to: 'private' }]);
      // Now private: Mia no longer sees it at all.
      assertProblem(await h.call('GET', '/v1/tickets/tkt_1005', { as: 'mia' }), 404, 'not_found');

      const stale = await h.call('PATCH', '/v1/tickets/tkt_1005', { as: 'ada', json: { visibility: 'account' }, headers: { 'If-Match': etag } });
      assertProblem(stale, 412, 'precondition_failed');
      assert.equal(stale.headers.get('ETag'), changed.headers.get('ETag'), 'the 412 tells the current ETag');
      assertProblem(
        await h.call('PATCH', '/v1/tickets/tkt_1005', { as: 'ada', json: { visibility: 'account' }, headers: { 'If-Match': 'W/"whatever"' } }),
        412,
        'precondition_failed',
      );
      assert.equal((await h.store.getTicket('tkt_1005'))!.visibility, 'private', 'a refused change changes nothing');
      const star = await h.call('PATCH', '/v1/tickets/tkt_1005', { as: 'ada', json: { visibility: 'account' }, headers: { 'If-Match': '*' } });
      assert.equal(star.body.visibility, 'account');
    });

    it('escalates once per open escalation: priority +1, escalated, activity; refusals change nothing', async () => {
      tick(h);
      const key = 'esc-key-1';
      const res = await h.call('POST', '/v1/tickets/tkt_1008/escalations', {
        as: 'mia',
        json: { reason: '  Our nightly sync failed three times  ' },
        headers: { 'Idempotency-Key': key },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.ticket.priority, 'urgent');
      assert.equal(res.body.ticket.escalated, true);
      assert.deepEqual(
        [res.body.escalation.reason, res.body.escalation.priorityFrom, res.body.escalation.priorityTo],
        ['Our nightly sync failed three times', 'high', 'urgent'],
      );
      const replay = await h.call('POST', '/v1/tickets/tkt_1008/escalations', {
        as: 'mia',
        json: { reason: '  Our nightly sync failed three times  ' },
        headers: { 'Idempotency-Key': key },
      });
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('Idempotency-Replayed'), 'true');
      assert.deepEqual(replay.body, res.body);
      assertProblem(
        await h.call('POST', '/v1/tickets/tkt_1008/escalations', { as: 'mia', json: { reason: 'other' }, headers: { 'Idempotency-Key': key } }),
        422,
        'idempotency_conflict',
      );
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1008/escalations', { as: 'jay', json: { reason: 'Me too, please hurry' } }), 409, 'conflict');
      const rows = (await activityOf(h, 'tkt_1008')).filter((a) => a.type === 'ticket.escalated');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.actor.id, DEMO_CONTACTS.mia);

      const before = await h.store.getTicket('tkt_1006');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1006/escalations', { as: 'val', json: { reason: 'Viewer tries' } }), 403, 'forbidden');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1006/escalations', { as: 'mia', json: { reason: '' } }), 422, 'validation_failed');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1002/escalations', { as: 'mia', json: { reason: 'Not mine to see' } }), 404, 'not_found');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1004/escalations', { as: 'ben', json: { reason: 'It is solved already' } }), 409, 'conflict');
      const child = h.seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acmeEmea && t.status === 'open' && !t.escalated)!;
      assertProblem(await h.call('POST', `/v1/tickets/${child.id}/escalations`, { as: 'ada', json: { reason: 'Parent admin tries' } }), 403, 'forbidden');
      assert.deepEqual(await h.store.getTicket('tkt_1006'), before);
    });

    it('takes one CSAT rating from the requester of a solved ticket', async () => {
      tick(h);
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1004/satisfaction', { as: 'ada', json: { rating: 'good' } }), 403, 'forbidden');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1003/satisfaction', { as: 'ben', json: { rating: 'good' } }), 409, 'conflict');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1004/satisfaction', { as: 'ben', json: { rating: 'great' } }), 422, 'validation_failed');
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1004/satisfaction', { as: 'mia', json: { rating: 'good' } }), 404, 'not_found');
      const rated = await h.call('POST', '/v1/tickets/tkt_1004/satisfaction', { as: 'ben', json: { rating: 'bad', comment: ' Took two weeks ' } });
      assert.equal(rated.status, 201);
      assert.deepEqual(rated.body.satisfaction, { rating: 'bad', comment: 'Took two weeks', ratedAt: h.clock.now.toISOString() });
      assert.deepEqual(rated.body.ticket.satisfaction, rated.body.satisfaction);
      assert.deepEqual((await h.call('GET', '/v1/tickets/tkt_1004', { as: 'ben' })).body.satisfaction, rated.body.satisfaction);
      assertProblem(await h.call('POST', '/v1/tickets/tkt_1004/satisfaction', { as: 'ben', json: { rating: 'good' } }), 409, 'conflict');
      const [row] = await activityOf(h, 'tkt_1004');
      assert.deepEqual([row?.type, row?.data], ['ticket.satisfaction_rated', { rating: 'bad', hasComment: true }]);
      const noComment = await h.call('POST', '/v1/tickets/tkt_1009/satisfaction', { as: 'ada', json: { rating: 'good', comment: '   ' } });
      assert.equal(noComment.body.satisfaction.comment, null);
    });

    it('follows and unfollows (PUT/DELETE followers/me), idempotently, with activity; viewers may not follow', async () => {
      tick(h);
      const put = await h.call('PUT', '/v1/tickets/tkt_1003/followers/me', { as: 'mia' });
      assert.equal(put.status, 200);
      assert.ok(put.body.followerIds.includes(DEMO_CONTACTS.mia));
      assert.equal((await h.call('PUT', '/v1/tickets/tkt_1003/followers/me', { as: 'mia' })).body.version, put.body.version);
      assert.equal((await activityOf(h, 'tkt_1003'))[0]?.type, 'ticket.followed');
      const following = await walk(h, 'mia', '/v1/tickets?view=following&limit=100');
      assert.ok(following.ids.includes('tkt_1003'));
      tick(h);
      const del = await h.call('DELETE', '/v1/tickets/tkt_1003/followers/me', { as: 'mia' });
      assert.equal(del.status, 200);
      assert.ok(!del.body.followerIds.includes(DEMO_CONTACTS.mia));
      assert.equal((await activityOf(h, 'tkt_1003'))[0]?.type, 'ticket.unfollowed');
      assertProblem(await h.call('PUT', '/v1/tickets/tkt_1003/followers/me', { as: 'val' }), 403, 'forbidden');
      assertProblem(await h.call('PUT', '/v1/tickets/tkt_1002/followers/me', { as: 'mia' }), 404, 'not_found');
      // Jay (requester role) sees Mia's T-1008 only as a follower: unfollowing takes it out of sight.
      const gone = await h.call('DELETE', '/v1/tickets/tkt_1008/followers/me', { as: 'jay' });
      assert.equal(gone.status, 204);
      assertProblem(await h.call('GET', '/v1/tickets/tkt_1008', { as: 'jay' }), 404, 'not_found');
    });

    it('saved views: personal for everyone, shared by admins only, listed and deleted by the rules', async () => {
      const query = { view: 'account', status: ['open', 'pending'], category: ['billing'], q: 'invoice', sort: 'sla_due' };
      const mine = await h.call('POST', '/v1/views', { as: 'ben', json: { name: ' Open billing ', query }, headers: { 'Idempotency-Key': 'v-1' } });
      assert.equal(mine.status, 201);
      assert.ok(SavedViewSchema.safeParse(mine.body).success);
      assert.deepEqual([mine.body.name, mine.body.shared, mine.body.query, mine.body.ownerName], ['Open billing', false, query, 'Ben Carter']);
      const again = await h.call('POST', '/v1/views', { as: 'ben', json: { name: ' Open billing ', query }, headers: { 'Idempotency-Key': 'v-1' } });
      assert.equal(again.body.id, mine.body.id, 'a retried create makes one view');
      assertProblem(await h.call('POST', '/v1/views', { as: 'ben', json: { name: 'Shared', shared: true, query } }), 403, 'forbidden');
      const shared = await h.call('POST', '/v1/views', {
        as: 'ada',
        json: { name: 'Escalations', shared: true, query: { view: 'unsolved', priority: ['urgent'] } },
      });
      assert.equal(shared.status, 201);
      const adaChild = await h.call('POST', '/v1/views', { as: 'ada', json: { name: 'EMEA', query: { view: 'account', account: DEMO_ACCOUNTS.acmeEmea } } });
      assert.equal(adaChild.status, 201);
      assertProblem(
        await h.call('POST', '/v1/views', { as: 'mia', json: { name: 'EMEA', query: { view: 'account', account: DEMO_ACCOUNTS.acmeEmea } } }),
        422,
        'validation_failed',
      );
      assertProblem(await h.call('POST', '/v1/views', { as: 'mia', json: { name: '', query: { view: 'everything' } } }), 422, 'validation_failed');

      const names = async (key: DemoKey) => (await h.call('GET', '/v1/views', { as: key })).body.items.map((v: { name: string }) => v.name);
      assert.deepEqual(await names('ben'), ['Escalations', 'Open billing']);
      assert.deepEqual(await names('mia'), ['Escalations']);
      assert.deepEqual(await names('ada'), ['EMEA', 'Escalations']);
      assert.deepEqual(await names('gus'), []);
      const acmeActivity = await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 5 });
      assert.ok(acmeActivity.items.some((a) => a.type === 'view.shared' && a.data.viewId === shared.body.id));

      assertProblem(await h.call('DELETE', `/v1/views/${mine.body.id}`, { as: 'mia' }), 404, 'not_found');
      assertProblem(await h.call('DELETE', `/v1/views/${shared.body.id}`, { as: 'mia' }), 403, 'forbidden');
      assertProblem(await h.call('DELETE', `/v1/views/${shared.body.id}`, { as: 'gus' }), 404, 'not_found');
      assert.equal((await h.call('DELETE', `/v1/views/${mine.body.id}`, { as: 'ben' })).status, 204);
      assert.equal((await h.call('DELETE', `/v1/views/${shared.body.id}`, { as: 'ada' })).status, 204);
      assertProblem(await h.call('DELETE', `/v1/views/${shared.body.id}`, { as: 'ada' }), 404, 'not_found');
      assert.deepEqual(await names('ben'), []);
    });
  });
}

suite('memory');
suite('sqlite');
suite('postgres');

describe('a PostgreSQL list page in one statement after caller resolution', () => {
  let pgHarness: Harness;
  let memory: Harness;
  before(async () => {
    [pgHarness, memory] = await Promise.all([harness('postgres'), harness('memory')]);
  });
  after(() => Promise.all([pgHarness.dispose(), memory.dispose()]));

  it('reads the seen markers and SLA policy with the page, answering what the memory store answers', async () => {
    // A member (an admin's caller resolution also reads the child accounts); one ticket seen.
    for (const h of [pgHarness, memory]) {
      const first = (await h.call('GET', '/v1/tickets?view=mine', { as: 'mia' })).body.items[0] as Ticket;
      assert.equal((await h.call('PUT', `/v1/tickets/${first.id}/seen/me`, { as: 'mia' })).status, 204);
    }
    // Every statement the PostgreSQL store sends while recording, but the scope setting, which
    // it sends only when a pooled connection's differs (see the store's `read`).
    const statements: string[] = [];
    let recording = false;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [config] = args as [string | { text: string }];
      const sql = typeof config === 'string' ? config : config.text;
      if (recording && !/set_config\('portico\.account_ids'/.test(sql)) statements.push(sql);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const items: Ticket[] = [];
    try {
      for (const view of ['account', 'mine', 'following', 'unsolved']) {
        const path = `/v1/tickets?view=${view}&account=${DEMO_ACCOUNTS.acme}&limit=100`;
        statements.length = 0;
        recording = true;
        const got = await pgHarness.call('GET', path, { as: 'mia' });
        recording = false;
        // The caller's account and contact, then the page with its details, SLA policies and seen markers.
        assert.equal(statements.length, 2, `${path}:\n${statements.join('\n')}`);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, (await memory.call('GET', path, { as: 'mia' })).body, path);
        items.push(...(got.body.items as Ticket[]));
      }
    } finally {
      pg.Client.prototype.query = query;
    }
    // What the folded reads decide is there to compare: read and unread tickets, SLA clocks.
    assert.ok(items.some((t) => t.unread) && items.some((t) => t.unread === false));
    assert.ok(items.some((t) => t.sla !== null));
  });
});
