/**
 * The agent API over HTTP (`/v1/service/tickets...`): every account's inbox with filters,
 * references as ids, replies with files, internal notes that no customer route returns,
 * assignment and triage with If-Match, merging duplicates. Memory and SQLite.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROBLEM_CONTENT_TYPE, type Comment, type Ticket } from '@portico/core';
import { ACTIVE_CONTACTS, DEMO_ACCOUNTS, DEMO_SERVICE_API_KEY, harness, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

const SERVICE = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };
const agent = { id: 'agt_sam', name: 'Sam Patel' };

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, field?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  if (field) assert.ok(res.body.fieldErrors?.[field], `fieldErrors.${field} in ${JSON.stringify(res.body)}`);
}

/** Every ticket of an agent list query, following the cursors. */
async function inbox(h: Harness, query: string): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.call('GET', `/v1/service/tickets?${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: SERVICE });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/** Everything a customer can read, as one JSON text: lists, threads, timeline, notifications, search, similar, summary. */
async function customerView(h: Harness, as: DemoKey, words: readonly string[]): Promise<string> {
  const reads = ['/v1/tickets?limit=100', '/v1/tickets?view=following&limit=100', '/v1/activity?limit=100', '/v1/notifications?limit=100', '/v1/summary'];
  for (const w of words) reads.push(`/v1/tickets?q=${w}&limit=100`, `/v1/tickets/similar?q=${w}`, `/v1/articles?q=${w}`);
  const parts: unknown[] = [];
  const list = await h.call('GET', '/v1/tickets?limit=100', { as });
  for (const t of list.body.items as Ticket[]) {
    parts.push((await h.call('GET', `/v1/tickets/${t.id}`, { as })).body, (await h.call('GET', `/v1/tickets/${t.id}/comments?limit=100`, { as })).body);
  }
  for (const path of reads) {
    const res = await h.call('GET', path, { as });
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    parts.push(res.body);
  }
  return JSON.stringify(parts);
}

function agentSuite(kind: StoreKind): void {
  describe(`agent API on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    it('lists every account’s tickets with status, priority, category, account, assignee, updatedSince and text filters, cursor-paged', async () => {
      const all = await inbox(h, 'sort=updated');
      assert.equal(all.length, h.seed.tickets.length, 'every account, no account filter needed');
      assert.ok(new Set(all.map((t) => t.accountId)).size > 2);
      const ids = (ts: readonly Ticket[]) => ts.map((t) => t.id).sort();

      const open = await inbox(h, 'status=open,pending&priority=high,urgent');
      assert.deepEqual(ids(open), ids(h.seed.tickets.filter((t) => ['open', 'pending'].includes(t.status) && ['high', 'urgent'].includes(t.priority))));
      const twoAccounts = await inbox(h, `account=${DEMO_ACCOUNTS.acmeEmea},${DEMO_ACCOUNTS.globex}&category=billing`);
      assert.deepEqual(
        ids(twoAccounts),
        ids(h.seed.tickets.filter((t) => [DEMO_ACCOUNTS.acmeEmea as string, DEMO_ACCOUNTS.globex].includes(t.accountId) && t.category === 'billing')),
      );
      const unassigned = await inbox(h, 'assignee=none');
      assert.deepEqual(ids(unassigned), ids(h.seed.tickets.filter((t) => t.assignee === null)));
      const sams = await inbox(h, `assignee=${encodeURIComponent('Sam Patel')}`);
      assert.deepEqual(ids(sams), ids(h.seed.tickets.filter((t) => t.assignee === 'Sam Patel')));
      const since = '2026-03-01T12:00:00.000Z';
      assert.deepEqual(ids(await inbox(h, `updatedSince=${since}`)), ids(h.seed.tickets.filter((t) => t.updatedAt >= since)));
      assert.deepEqual(ids(await inbox(h, 'q=metadat')), ['tkt_1001']);
      const byPriority = await inbox(h, 'sort=priority');
      assert.equal(byPriority.length, h.seed.tickets.length);

      assertProblem(await h.call('GET', '/v1/service/tickets?status=exploded', { headers: SERVICE }), 422, 'status');
      assertProblem(await h.call('GET', '/v1/service/tickets?updatedSince=yesterday', { headers: SERVICE }), 422, 'updatedSince');
      assertProblem(await h.call('GET', '/v1/service/tickets?account=acc_nope', { headers: SERVICE }), 422, 'account');
      assertProblem(await h.call('GET', '/v1/service/tickets?sort=created&cursor=garbage', { headers: SERVICE }), 422, 'cursor');
      assertProblem(await h.call('GET', '/v1/service/tickets', { as: 'ada' }), 401);
    });

    it('every {id} route also takes the reference; unknown ids and references are 404 problem+json', async () => {
      const byRef = await h.call('GET', '/v1/service/tickets/T-1002', { headers: SERVICE });
      assert.equal(byRef.status, 200);
      assert.equal(byRef.body.id, 'tkt_1002');
      assert.equal(byRef.headers.get('ETag'), `"v${byRef.body.version}"`);
      assert.equal((await h.call('GET', '/v1/service/tickets/t-1037', { headers: SERVICE })).body.id, 'tkt_1037');
      assert.equal((await h.call('GET', '/v1/service/tickets/T-1002/comments', { headers: SERVICE })).status, 200);
      for (const [method, path, json] of [
        ['GET', '/v1/service/tickets/T-99999', undefined],
        ['GET', '/v1/service/tickets/tkt_nope/comments', undefined],
        ['POST', '/v1/service/tickets/T-99999/notes', { body: 'x', agent }],
        ['POST', '/v1/service/tickets/T-99999/comments', { body: 'x', agent }],
        ['PATCH', '/v1/service/tickets/T-99999', { status: 'open', agent }],
        ['POST', '/v1/service/tickets/T-99999/merge', { into: 'T-1001', agent }],
      ] as const) {
        assertProblem(await h.call(method, path, { headers: SERVICE, json }), 404);
      }
    });

    it('internal notes: the agent thread shows them marked; no customer route ever returns them', async () => {
      const words = ['quokkasecret', 'legacycontract'];
      const beforeViews = await Promise.all(ACTIVE_CONTACTS.map((key) => customerView(h, key, words)));
      const ticketBefore = (await h.call('GET', '/v1/tickets/tkt_1001', { as: 'mia' })).body as Ticket;

      assertProblem(await h.call('POST', '/v1/service/tickets/T-1001/notes', { headers: SERVICE, json: { body: '   ', agent } }), 422, 'body');
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1001/notes', { headers: SERVICE, json: { body: 'x' } }), 422, 'agent');
      const headers = { ...SERVICE, 'Idempotency-Key': 'note-1' };
      const note = await h.call('POST', '/v1/service/tickets/T-1001/notes', {
        headers,
        json: { body: 'quokkasecret: they are on a legacycontract, be careful', agent },
      });
      assert.equal(note.status, 201);
      assert.equal(note.body.internal, true);
      assert.deepEqual(note.body.author, { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' });
      const replay = await h.call('POST', '/v1/service/tickets/T-1001/notes', {
        headers,
        json: { body: 'quokkasecret: they are on a legacycontract, be careful', agent },
      });
      assert.equal(replay.body.id, note.body.id, 'a retried note is stored once');
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
      const reply = await h.call('POST', '/v1/service/tickets/T-1001/comments', { headers: SERVICE, json: { body: 'We are on it.', agent } });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.internal, false);

      const thread = await h.call('GET', '/v1/service/tickets/T-1001/comments?limit=100', { headers: SERVICE });
      const tail = (thread.body.items as Comment[]).slice(-2);
      assert.deepEqual(
        tail.map((c) => [c.id, c.internal]),
        [
          [note.body.id, true],
          [reply.body.id, false],
        ],
      );
      assert.equal((thread.body.items as Comment[]).filter((c) => c.internal).length, 1);

      const afterViews = await Promise.all(ACTIVE_CONTACTS.map((key) => customerView(h, key, words)));
      for (const [i, view] of afterViews.entries()) {
        for (const w of words) assert.ok(!view.includes(w) && !beforeViews[i]!.includes(w), `${ACTIVE_CONTACTS[i]} never reads the note (${w})`);
        assert.ok(!view.includes(note.body.id), `${ACTIVE_CONTACTS[i]} never sees the note's id`);
      }
      const ticketAfter = (await h.call('GET', '/v1/tickets/tkt_1001', { as: 'mia' })).body as Ticket;
      assert.equal(ticketAfter.commentCount, ticketBefore.commentCount + 1, 'only the public reply counts');
      const customerThread = await h.call('GET', '/v1/tickets/tkt_1001/comments?limit=100', { as: 'mia' });
      assert.equal(customerThread.body.items.at(-1).id, reply.body.id);
      assert.ok((customerThread.body.items as Comment[]).every((c) => !('internal' in c)));
    });

    it('replies as a named agent with files uploaded through the service API; unusable files are refused and nothing changes', async () => {
      const upload = (ref: string, name: string, content = 'hello') =>
        h.call('POST', `/v1/service/tickets/${ref}/attachments?name=${name}`, { headers: { ...SERVICE, 'Content-Type': 'text/plain' }, body: content });
      const file = await upload('T-1003', 'invoice-fixed.txt');
      assert.equal(file.status, 201, JSON.stringify(file.body));
      assert.equal(file.body.ticketId, null);
      const customerFiles = async () => (await h.call('GET', '/v1/tickets/tkt_1003/attachments', { as: 'ben' })).body.items.map((a: { id: string }) => a.id);
      assert.ok(!(await customerFiles()).includes(file.body.id), 'an upload is not on the ticket before the reply');
      const other = await upload('T-1037', 'emea.txt');
      assert.equal(other.status, 201);
      const exe = await h.call('POST', '/v1/service/tickets/T-1003/attachments?name=x.exe', {
        headers: { ...SERVICE, 'Content-Type': 'application/x-msdownload' },
        body: 'MZ',
      });
      assertProblem(exe, 415);
      assertProblem(await upload('T-1003', ''), 422, 'name');

      const before = (await h.call('GET', '/v1/tickets/tkt_1003', { as: 'ben' })).body as Ticket;
      const refused = await h.call('POST', '/v1/service/tickets/T-1003/comments', {
        headers: SERVICE,
        json: { body: 'See attached', agent, attachmentIds: [file.body.id, other.body.id] },
      });
      assertProblem(refused, 422, 'attachmentIds');
      assert.ok(refused.body.fieldErrors.attachmentIds[0].includes(other.body.id));
      assert.equal((await h.call('GET', '/v1/tickets/tkt_1003', { as: 'ben' })).body.version, before.version, 'nothing written');

      const reply = await h.call('POST', '/v1/service/tickets/T-1003/comments', {
        headers: SERVICE,
        json: { body: 'See attached', agent: { name: 'Kenji Ito' }, attachmentIds: [file.body.id] },
      });
      assert.equal(reply.status, 201);
      assert.deepEqual(reply.body.author, { kind: 'agent', id: 'agt_kenji_ito', name: 'Kenji Ito' });
      assert.ok((await customerFiles()).includes(file.body.id));
      const download = await h.app.request(`/v1/tickets/tkt_1003/attachments/${file.body.id}`, {
        headers: { Authorization: `Bearer ${await h.token('ben')}` },
      });
      assert.equal(await download.text(), 'hello');
      assertProblem(
        await h.call('POST', '/v1/service/tickets/T-1003/comments', { headers: SERVICE, json: { body: 'Again', agent, attachmentIds: [file.body.id] } }),
        422,
        'attachmentIds',
      );
    });

    it('PATCH assigns and changes status, priority and category at once, honouring If-Match; bad input changes nothing', async () => {
      const current = await h.call('GET', '/v1/service/tickets/T-1006', { headers: SERVICE });
      const etag = current.headers.get('ETag')!;
      assertProblem(await h.call('PATCH', '/v1/service/tickets/T-1006', { headers: SERVICE, json: { agent } }), 422, 'status');
      assertProblem(
        await h.call('PATCH', '/v1/service/tickets/T-1006', { headers: SERVICE, json: { priority: 'meh', category: 'x', agent } }),
        422,
        'priority',
      );
      assertProblem(await h.call('PATCH', '/v1/service/tickets/T-1006', { headers: SERVICE, json: { assignee: '', agent } }), 422, 'assignee');
      const stale = await h.call('PATCH', '/v1/service/tickets/T-1006', {
        headers: { ...SERVICE, 'If-Match': `"v${current.body.version - 1}"` },
        json: { status: 'open', agent },
      });
      assertProblem(stale, 412);
      assert.equal(stale.headers.get('ETag'), etag);
      assert.equal((await h.call('GET', '/v1/service/tickets/T-1006', { headers: SERVICE })).body.version, current.body.version, 'nothing written');

      const patched = await h.call('PATCH', '/v1/service/tickets/T-1006', {
        headers: { ...SERVICE, 'If-Match': etag },
        json: { status: 'open', priority: 'high', category: 'billing', assignee: 'Rosa Lindqvist', agent },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(
        [patched.body.status, patched.body.priority, patched.body.category, patched.body.assignee],
        ['open', 'high', 'billing', 'Rosa Lindqvist'],
      );
      assert.equal(patched.body.version, current.body.version + 1, 'one write');
      const seenByMia = (await h.call('GET', '/v1/tickets/tkt_1006', { as: 'mia' })).body as Ticket;
      assert.equal(seenByMia.assignee, 'Rosa Lindqvist');
      const timeline = await h.call('GET', '/v1/activity?ticket=tkt_1006&limit=3', { as: 'mia' });
      assert.deepEqual(timeline.body.items.map((a: { type: string }) => a.type).sort(), [
        'ticket.category_changed',
        'ticket.priority_changed',
        'ticket.status_changed',
      ]);
      const unassigned = await h.call('PATCH', '/v1/service/tickets/T-1006', { headers: SERVICE, json: { assignee: null, agent } });
      assert.equal(unassigned.body.assignee, null);
    });

    it('merges a duplicate: the customer sees where it went, followers move, ticket.merged on both; cross-account and bad targets are refused', async () => {
      // T-1011 (Mia's, closed) is not a good source; T-1012 (Jay's) into T-1005 (Ada's), both Acme.
      const source = (await h.call('GET', '/v1/service/tickets/T-1012', { headers: SERVICE })).body as Ticket;
      const target = (await h.call('GET', '/v1/service/tickets/T-1005', { headers: SERVICE })).body as Ticket;
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { into: 'T-1037', agent } }), 422, 'into');
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { into: 'T-1012', agent } }), 422, 'into');
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { into: 'T-99999', agent } }), 422, 'into');
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { agent } }), 422, 'into');
      assertProblem(
        await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: { ...SERVICE, 'If-Match': '"v999"' }, json: { into: 'T-1005', agent } }),
        412,
      );
      assert.equal((await h.call('GET', '/v1/service/tickets/T-1012', { headers: SERVICE })).body.version, source.version, 'refusals change nothing');

      const merged = await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { into: 'T-1005', agent } });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.deepEqual(merged.body.source.mergedInto, { id: target.id, ref: 'T-1005' });
      assert.equal(merged.body.source.status, 'closed');

      const jaySees = await h.call('GET', '/v1/tickets/tkt_1012', { as: 'jay' });
      assert.deepEqual(jaySees.body.mergedInto, { id: target.id, ref: 'T-1005' });
      const following = await h.call('GET', '/v1/tickets?view=following&limit=100', { as: 'jay' });
      assert.ok(
        following.body.items.some((t: Ticket) => t.id === target.id),
        'the requester of the duplicate follows the target',
      );
      for (const id of [source.id, target.id]) {
        const timeline = await h.call('GET', `/v1/activity?ticket=${id}&type=ticket.merged`, { as: 'ada' });
        assert.equal(timeline.body.items.length, 1, id);
        assert.deepEqual(timeline.body.items[0].data, { source: { id: source.id, ref: 'T-1012' }, target: { id: target.id, ref: 'T-1005' } });
      }
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/merge', { headers: SERVICE, json: { into: 'T-1001', agent } }), 409);
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1012/comments', { headers: SERVICE, json: { body: 'hello?', agent } }), 409);
      assertProblem(await h.call('POST', '/v1/service/tickets/T-1001/merge', { headers: SERVICE, json: { into: 'T-1012', agent } }), 422, 'into');
    });
  });
}

agentSuite('memory');
agentSuite('sqlite');
agentSuite('postgres');

describe('agent API isolation (property)', () => {
  it('for random internal notes on random tickets, no customer of any role ever reads one', async () => {
    const ticketIds = Array.from({ length: 20 }, (_, i) => `tkt_${1001 + i * 3}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ticket: fc.constantFrom(...ticketIds), word: fc.constantFrom('wombat', 'kestrel', 'invoice', 'csv') }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom(...ACTIVE_CONTACTS),
        async (notes, who) => {
          const h = await harness('memory');
          try {
            const marker = `zq${Math.random().toString(36).slice(2, 8)}`;
            // The first reads store derived SLA deadlines (`slaDueAt`); compare from the second on.
            await customerView(h, who, []);
            const before = await customerView(h, who, [marker, 'wombat', 'kestrel']);
            for (const [i, n] of notes.entries()) {
              const res = await h.call('POST', `/v1/service/tickets/${n.ticket}/notes`, { headers: SERVICE, json: { body: `${marker}${i} ${n.word}`, agent } });
              assert.equal(res.status, 201);
            }
            const after = await customerView(h, who, [marker, 'wombat', 'kestrel']);
            assert.ok(!after.includes(marker), 'no note text in any customer read');
            // Same reads, same answers: a note changes nothing a customer can observe.
            if (after !== before) {
              const a = JSON.parse(after) as unknown[];
              const b = JSON.parse(before) as unknown[];
              const i = a.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(b[k]));
              assert.deepEqual(a[i], b[i], `read #${i} differs`);
            }
          } finally {
            await h.dispose();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
