/**
 * Timeline, live events, notifications, SLA and the service API, through the HTTP app on
 * both stores. The reference for visibility is core's policy applied to the seed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canView, type Activity, type LiveEvent, type Ticket } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_SERVICE_API_KEY, actorOf, harness, walk, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

const SERVICE = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };
const agent = { id: 'agt_sam', name: 'Sam Patel' };

/** Reads SSE events from a streaming response until `count` events arrived or `ms` passed. */
async function readEvents(res: Response, count: number, ms = 3000): Promise<{ events: { event: string; id?: string; data: any }[]; comments: string[] }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; id?: string; data: any }[] = [];
  const comments: string[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  try {
    while (events.length < count && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            const i = line.indexOf(':');
            fields[line.slice(0, i)] = (fields[line.slice(0, i)] ? `${fields[line.slice(0, i)]}\n` : '') + line.slice(i + 1).replace(/^ /, '');
          }
        }
        if (fields.data !== undefined) events.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { events, comments };
}

async function stream(h: Harness, as: DemoKey, headers: Record<string, string> = {}): Promise<Response> {
  return h.app.request('/v1/events', { headers: { Authorization: `Bearer ${await h.token(as)}`, ...headers } });
}

for (const kind of ['memory', 'sqlite', 'postgres'] as StoreKind[]) {
  describe(`timeline, live events, SLA and service API on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind, { events: { pollMs: 20, heartbeatMs: 60, maxConnectionMs: 10_000 } });
    });
    after(() => h.dispose());

    it('GET /v1/activity: every role sees exactly the entries of what it may see (a private ticket never leaks)', async () => {
      for (const key of ['ada', 'ben', 'mia', 'jay', 'val', 'emil', 'gus'] as DemoKey[]) {
        const contact = h.seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;
        const actor = actorOf(h.seed, contact);
        const reach = [actor.accountId, ...actor.childAccountIds];
        const { items } = await walk(h, key, '/v1/activity?limit=13');
        const visibleTickets = new Set(h.seed.tickets.filter((t) => canView(actor, { ...t, requesterId: t.requester.id })).map((t) => t.id));
        const expected = h.seed.activity.filter((a) => reach.includes(a.accountId) && (!a.ticketId || visibleTickets.has(a.ticketId)));
        // Reading the timeline also runs the SLA scheduler: its entries come on top of the seed's.
        const seeded = items.filter((a: Activity) => !a.type.startsWith('sla.'));
        assert.deepEqual(seeded.map((a: Activity) => a.id).sort(), expected.map((a) => a.id).sort(), key);
        for (const a of items) {
          if (a.ticketId) assert.equal(a.ticket.id, a.ticketId);
          assert.ok(!a.ticketId || visibleTickets.has(a.ticketId), `${key} sees ${a.type} of ${a.ticketId}`);
        }
      }
    });

    it('GET /v1/activity: filters by type, ticket, contact, account and dates; bad input is a 422', async () => {
      const res = await h.call('GET', '/v1/activity?type=ticket.status_changed&limit=100', { as: 'ada' });
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length > 0 && res.body.items.every((a: Activity) => a.type === 'ticket.status_changed'));
      const one = await h.call('GET', '/v1/activity?ticket=tkt_1001', { as: 'mia' });
      assert.ok(one.body.items.length > 0 && one.body.items.every((a: any) => a.ticketId === 'tkt_1001' && a.ticket.ref === 'T-1001'));
      const emea = await h.call('GET', `/v1/activity?account=${DEMO_ACCOUNTS.acmeEmea}`, { as: 'ada' });
      assert.ok(emea.body.items.length > 0 && emea.body.items.every((a: Activity) => a.accountId === DEMO_ACCOUNTS.acmeEmea));
      const byBen = await h.call('GET', `/v1/activity?contact=${DEMO_CONTACTS.ben}`, { as: 'ada' });
      assert.ok(byBen.body.items.length > 0 && byBen.body.items.every((a: Activity) => a.actor.id === DEMO_CONTACTS.ben));
      const since = await h.call('GET', '/v1/activity?from=2026-03-01&to=2026-03-02T10:00:00Z&limit=100', { as: 'ada' });
      assert.ok(since.body.items.every((a: Activity) => a.createdAt >= '2026-03-01T00:00:00.000Z' && a.createdAt < '2026-03-02T10:00:00.000Z'));
      for (const [query, field] of [
        ['type=ticket.exploded', 'type'],
        ['from=yesterday', 'from'],
        ['from=2026-03-02&to=2026-03-01', 'to'],
        ['cursor=garbage', 'cursor'],
        [`account=${DEMO_ACCOUNTS.globex}`, 'account'],
        ['limit=1000', 'limit'],
      ]) {
        const bad = await h.call('GET', `/v1/activity?${query}`, { as: 'ada' });
        assert.equal(bad.status, 422, query);
        assert.ok(bad.body.fieldErrors[field!], `${query} → ${JSON.stringify(bad.body)}`);
      }
      assert.equal((await h.call('GET', '/v1/activity')).status, 401);
    });

    it('every ticket read carries its SLA', async () => {
      const list = await h.call('GET', '/v1/tickets?limit=100', { as: 'ada' });
      assert.ok(
        list.body.items.length > 0 &&
          list.body.items.every((t: Ticket) => t.sla && ['on_track', 'at_risk', 'breached', 'met'].includes(t.sla.firstResponse.state)),
      );
      // T-1001: urgent (premier: 1 h first response), answered after 1 h: met.
      const t = await h.call('GET', '/v1/tickets/tkt_1001', { as: 'mia' });
      assert.equal(t.body.sla.firstResponse.state, 'met');
    });

    it('service API: needs the key; agent reply and status change are visible to contacts; bad input changes nothing', async () => {
      assert.equal((await h.call('POST', '/v1/service/tickets/tkt_1001/comments', { json: { body: 'x', agent } })).status, 401);
      assert.equal((await h.call('POST', '/v1/service/tickets/tkt_1001/comments', { token: await h.token('ada'), json: { body: 'x', agent } })).status, 401);
      const before = (await h.call('GET', '/v1/tickets/tkt_1003', { as: 'ben' })).body as Ticket;
      const bad = await h.call('POST', '/v1/service/tickets/tkt_1003/comments', { headers: SERVICE, json: { body: '  ', agent: { name: '' } } });
      assert.equal(bad.status, 422);
      assert.ok(bad.body.fieldErrors.body && bad.body.fieldErrors['agent.name']);
      assert.equal((await h.call('GET', '/v1/tickets/tkt_1003', { as: 'ben' })).body.version, before.version);
      assert.equal((await h.call('POST', '/v1/service/tickets/tkt_nope/comments', { headers: SERVICE, json: { body: 'x', agent } })).status, 404);

      const key = { ...SERVICE, 'Idempotency-Key': 'agent-reply-1' };
      const reply = await h.call('POST', '/v1/service/tickets/tkt_1003/comments', {
        headers: key,
        json: { body: 'Corrected invoice attached.', agent, status: 'pending' },
      });
      assert.equal(reply.status, 201);
      assert.deepEqual(reply.body.author, { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' });
      const again = await h.call('POST', '/v1/service/tickets/tkt_1003/comments', {
        headers: key,
        json: { body: 'Corrected invoice attached.', agent, status: 'pending' },
      });
      assert.equal(again.body.id, reply.body.id, 'a retried reply is not posted twice');
      const after = (await h.call('GET', '/v1/tickets/tkt_1003', { as: 'ben' })).body as Ticket;
      assert.equal(after.status, 'pending');
      assert.equal(after.commentCount, before.commentCount + 1);
      assert.equal(after.sla?.resolution.paused, true);
      const thread = await h.call('GET', '/v1/tickets/tkt_1003/comments?limit=100', { as: 'ben' });
      assert.equal(thread.body.items.at(-1).body, 'Corrected invoice attached.');
      const timeline = await h.call('GET', '/v1/activity?ticket=tkt_1003&limit=2', { as: 'ben' });
      assert.deepEqual(timeline.body.items.map((a: Activity) => a.type).sort(), ['ticket.commented', 'ticket.status_changed']);

      const patch = await h.call('PATCH', '/v1/service/tickets/tkt_1003', { headers: SERVICE, json: { status: 'solved', assignee: 'Kenji Ito', agent } });
      assert.equal(patch.status, 200);
      assert.equal(patch.body.status, 'solved');
      assert.equal(patch.body.sla.resolution.state, 'met');
      const badPatch = await h.call('PATCH', '/v1/service/tickets/tkt_1003', { headers: SERVICE, json: { status: 'exploded', agent } });
      assert.equal(badPatch.status, 422);
      assert.equal((await h.call('PATCH', '/v1/service/tickets/tkt_1003', { headers: SERVICE, json: { agent } })).status, 422);
      const listed = await h.call('GET', `/v1/service/tickets?account=${DEMO_ACCOUNTS.acme}&status=solved&limit=100`, { headers: SERVICE });
      assert.ok(listed.body.items.some((t: Ticket) => t.id === 'tkt_1003'));
      assert.equal((await h.call('GET', '/v1/service/tickets?account=acc_nope', { headers: SERVICE })).status, 422, 'an unknown account filter is refused');
    });

    it('SLA scheduler: records at risk at 75 % and breached past 100 %, each exactly once', async () => {
      const created = await h.call('POST', '/v1/tickets', {
        as: 'mia',
        json: {
          subject: 'Dashboards blank',
          description: 'All dashboards render blank.',
          category: 'technical',
          priority: 'urgent',
          businessImpact: 'No one can see any report.',
        },
      });
      const id = created.body.id as string;
      assert.equal(created.body.sla.firstResponse.state, 'on_track');
      assert.equal(created.body.sla.firstResponse.dueAt, new Date(h.clock.now.getTime() + 3600_000).toISOString());
      const sweep = async () => (await h.call('POST', '/v1/service/sla/sweep', { headers: SERVICE })).body.recorded.filter((a: Activity) => a.ticketId === id);
      // Time only moves forward here (later tests run at the advanced clock).
      const start = h.clock.now;
      {
        assert.deepEqual(await sweep(), []);
        h.clock.now = new Date(start.getTime() + 46 * 60_000);
        const risk = await sweep();
        assert.deepEqual(
          risk.map((a: Activity) => [a.type, a.data.clock]),
          [['sla.at_risk', 'firstResponse']],
        );
        assert.equal(risk[0].createdAt, new Date(start.getTime() + 45 * 60_000).toISOString());
        assert.deepEqual(await sweep(), [], 'nothing twice');
        const shown = await h.call('GET', `/v1/tickets/${id}`, { as: 'mia' });
        assert.equal(shown.body.sla.firstResponse.state, 'at_risk');
        h.clock.now = new Date(start.getTime() + 61 * 60_000);
        const [a, b] = await Promise.all([sweep(), sweep()]);
        assert.deepEqual(
          [...a, ...b].map((x: Activity) => x.type),
          ['sla.breached'],
        );
        const entries = await h.call('GET', `/v1/activity?ticket=${id}&type=sla.at_risk,sla.breached`, { as: 'mia' });
        assert.deepEqual(
          entries.body.items.map((x: Activity) => x.type),
          ['sla.breached', 'sla.at_risk'],
        );
        // Jay cannot see Mia's new ticket? It is account-visible, but jay is a requester: not his.
        const jay = await h.call('GET', `/v1/activity?ticket=${id}`, { as: 'jay' });
        assert.deepEqual(jay.body.items, []);
      }
    });

    it('GET /v1/events: a contact receives live what it may see, never a private ticket of someone else; resumes after Last-Event-ID', async () => {
      const priv = h.seed.tickets.find(
        (t) => t.visibility === 'private' && t.requester.id === DEMO_CONTACTS.mia && !t.followerIds.includes(DEMO_CONTACTS.jay),
      )!;
      const shared = 'tkt_1001'; // account-visible, Jay follows it
      const mia = await stream(h, 'mia');
      const jay = await stream(h, 'jay');
      const gus = await stream(h, 'gus');
      assert.equal(mia.status, 200);
      assert.match(mia.headers.get('Content-Type') ?? '', /text\/event-stream/);
      await new Promise((r) => setTimeout(r, 50));
      await h.call('POST', `/v1/service/tickets/${priv.id}/comments`, { headers: SERVICE, json: { body: 'Private reply', agent } });
      await h.call('POST', `/v1/service/tickets/${shared}/comments`, { headers: SERVICE, json: { body: 'Shared reply', agent } });
      const [m, j, g] = await Promise.all([readEvents(mia, 3), readEvents(jay, 2, 600), readEvents(gus, 2, 600)]);
      assert.equal(m.events[0]!.event, 'ready');
      assert.deepEqual(
        m.events.slice(1).map((e) => (e.data as LiveEvent).activity.ticketId),
        [priv.id, shared],
      );
      assert.equal((m.events[1]!.data as LiveEvent).ticket?.sla?.firstResponse.state !== undefined, true);
      assert.deepEqual(
        j.events.slice(1).map((e) => (e.data as LiveEvent).activity.ticketId),
        [shared],
        'jay never gets the private ticket',
      );
      assert.deepEqual(g.events.slice(1), [], 'another company gets nothing');
      const idle = await readEvents(await stream(h, 'val'), 99, 300);
      assert.ok(idle.comments.includes('heartbeat'), 'heartbeats keep an idle stream open');

      // Resume: after the first event, only the second is sent again.
      const firstId = m.events[1]!.id!;
      const resumed = await readEvents(await stream(h, 'mia', { 'Last-Event-ID': firstId }), 2);
      assert.deepEqual(
        resumed.events.slice(1).map((e) => e.id),
        [m.events[2]!.id],
      );
      const bad = await h.app.request('/v1/events', { headers: { Authorization: `Bearer ${await h.token('mia')}`, 'Last-Event-ID': 'nope' } });
      assert.equal(bad.status, 422);
      assert.equal((await h.app.request('/v1/events')).status, 401);
    });

    it('notifications: unseen updates to tickets the contact requested or follows, by others; mark as seen', async () => {
      const first = await h.call('GET', '/v1/notifications?limit=100', { as: 'jay' });
      assert.equal(first.status, 200);
      const jayTickets = new Set(
        h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay || t.followerIds.includes(DEMO_CONTACTS.jay)).map((t) => t.id),
      );
      assert.ok(first.body.items.every((a: Activity) => jayTickets.has(a.ticketId!) || a.type.startsWith('sla.')));
      assert.ok(first.body.items.every((a: Activity) => a.actor.id !== DEMO_CONTACTS.jay));
      assert.equal(first.body.unseenCount, first.body.items.length);
      const seen = await h.call('POST', '/v1/notifications/seen', { as: 'jay', json: {} });
      assert.equal(seen.status, 204);
      const after = await h.call('GET', '/v1/notifications', { as: 'jay' });
      assert.equal(after.body.unseenCount, 0);
      assert.ok(after.body.items.every((a: any) => a.unseen === false));
      h.clock.now = new Date(h.clock.now.getTime() + 1000);
      {
        await h.call('POST', '/v1/service/tickets/tkt_1001/comments', { headers: SERVICE, json: { body: 'Update for followers', agent } });
        const fresh = await h.call('GET', '/v1/notifications', { as: 'jay' });
        assert.equal(fresh.body.unseenCount, 1);
        assert.equal(fresh.body.items[0].unseen, true);
        assert.equal(fresh.body.items[0].ticket.ref, 'T-1001');
        // Own comments never notify.
        await h.call('POST', '/v1/tickets/tkt_1001/comments', { as: 'jay', json: { body: 'Thanks' } });
        assert.equal((await h.call('GET', '/v1/notifications', { as: 'jay' })).body.unseenCount, 1);
      }
      const badSeen = await h.call('POST', '/v1/notifications/seen', { as: 'jay', json: { until: 'later' } });
      assert.equal(badSeen.status, 422);
    });

    it('GET /v1/summary: figures from the tickets the caller may see; parent admins get a roll-up', async () => {
      const ada = await h.call('GET', '/v1/summary', { as: 'ada' });
      assert.equal(ada.status, 200);
      const acme = h.seed.tickets.filter((t) => t.accountId === DEMO_ACCOUNTS.acme);
      // Tickets changed by earlier tests are counted as they are now.
      const now = (await walk(h, 'ada', `/v1/tickets?account=${DEMO_ACCOUNTS.acme}&limit=100`)).items as Ticket[];
      const open = now.filter((t) => ['new', 'open', 'pending'].includes(t.status));
      assert.equal(ada.body.account.id, DEMO_ACCOUNTS.acme);
      assert.equal(ada.body.figures.open.total, open.length);
      assert.equal(ada.body.figures.open.pending, open.filter((t) => t.status === 'pending').length);
      assert.equal(
        ada.body.figures.slaNow.breached,
        open.filter((t) => t.sla?.firstResponse.state === 'breached' || t.sla?.resolution.state === 'breached').length,
      );
      assert.ok(acme.length > 0);
      assert.equal(ada.body.accounts.length, 0);
      const roll = await h.call('GET', '/v1/summary?account=all', { as: 'ada' });
      assert.equal(roll.body.account, null);
      assert.deepEqual(
        roll.body.accounts.map((a: any) => a.account.id),
        [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.acmeEmea, DEMO_ACCOUNTS.acmeLabs],
      );
      assert.equal(
        roll.body.figures.open.total,
        roll.body.accounts.reduce((n: number, a: any) => n + a.figures.open.total, 0),
      );
      // A requester's figures count only what it may see.
      const jay = await h.call('GET', '/v1/summary', { as: 'jay' });
      const jayOpen = (await walk(h, 'jay', '/v1/tickets?limit=100')).items.filter((t: Ticket) => ['new', 'open', 'pending'].includes(t.status));
      assert.equal(jay.body.figures.open.total, jayOpen.length);
      assert.equal((await h.call('GET', '/v1/summary?account=all', { as: 'jay' })).body.accounts.length, 0);
      assert.equal((await h.call('GET', `/v1/summary?account=${DEMO_ACCOUNTS.acmeEmea}`, { as: 'jay' })).status, 422);
      assert.equal((await h.call('GET', '/v1/summary?days=0', { as: 'ada' })).status, 422);
    });

    it('GET /v1/summary: CSAT and deflections come from the activity of the period', async () => {
      const base = { accountId: DEMO_ACCOUNTS.globex, contactId: null, createdAt: new Date(h.clock.now.getTime() - 3600_000).toISOString() };
      const actor = { kind: 'contact' as const, id: DEMO_CONTACTS.gus, name: 'Gus Hoffman' };
      // Loaded straight into the store: the rating and deflection routes belong to other features.
      const extra: Activity[] = [
        { ...base, id: 'act_r1', type: 'ticket.satisfaction_rated', actor, ticketId: 'tkt_1058', data: { rating: 'good' } },
        { ...base, id: 'act_r2', type: 'ticket.satisfaction_rated', actor, ticketId: 'tkt_1059', data: { rating: 'bad' } },
        { ...base, id: 'act_r3', type: 'ticket.satisfaction_rated', actor, ticketId: 'tkt_1060', data: { rating: 'good' } },
        { ...base, id: 'act_d1', type: 'article.deflected', actor, ticketId: null, data: { articleId: 'art_1' } },
        { ...base, id: 'act_d2', type: 'article.deflected', actor, ticketId: null, data: { articleId: 'art_2' }, createdAt: '2020-01-01T00:00:00.000Z' },
      ];
      // The seed's own ratings and deflections count too: compare with the figures before.
      const csatOf = async (as: 'gus' | 'pia') =>
        (await h.call('GET', '/v1/summary', { as })).body.figures as { csat: { good: number; bad: number }; deflections: number };
      const [gus0, pia0] = [await csatOf('gus'), await csatOf('pia')];
      await h.store.load({ accounts: [], contacts: [], tickets: [], comments: [], activity: extra });
      const gus = await h.call('GET', '/v1/summary', { as: 'gus' });
      const { good, bad } = gus0.csat;
      assert.deepEqual(gus.body.figures.csat, { good: good + 2, bad: bad + 1, ratio: (good + 2) / (good + bad + 3) });
      // Pia (member) may not see Gus's private ticket 1060: its rating does not count for her.
      const pia = await h.call('GET', '/v1/summary', { as: 'pia' });
      const p0 = pia0.csat;
      assert.deepEqual(pia.body.figures.csat, { good: p0.good + 1, bad: p0.bad + 1, ratio: (p0.good + 1) / (p0.good + p0.bad + 2) });
      assert.equal(gus.body.figures.deflections, gus0.deflections + 1, 'only the period counts');
      const created = h.seed.tickets.filter((t) => t.accountId === DEMO_ACCOUNTS.globex && t.createdAt >= gus.body.from);
      assert.equal(gus.body.figures.byCategory.technical, created.filter((t) => t.category === 'technical').length);
    });
  });
}
