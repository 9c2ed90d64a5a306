import { expect, waitUntil } from '@open-wc/testing';
import { DEMO_SERVICE_API_KEY } from '@portico/mocks';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import { liveStreamOpen, mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-timeline.ts';
import type { PorticoTimeline, PorticoTimelineTicketSelectDetail } from './timeline.ts';
import { runDataElementSuite, serviceCall } from '../../../../test/browser/data-element-suite.ts';

/** Plays the vendor's agent through the service API (the same route the demo's agent page uses). */
async function agentReply(ticketId: string, body: string): Promise<void> {
  const res = await fetch(`/api/v1/service/tickets/${ticketId}/comments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ body, agent: { id: 'agt_sam', name: 'Sam Patel' } }),
  });
  expect(res.status).to.equal(201);
}

const texts = (el: Element) => parts(el, 'entry').map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

describe('portico-timeline', () => {
  beforeEach(async () => {
    await useMockApi();
  });

  it('shows the account activity grouped by day, as sentences with ticket links', async () => {
    // A long page: SLA entries are recorded at read time, so how many of them come first
    // depends on the time of day the seed is anchored to.
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline page-size="100"></portico-timeline>`);
    await waitForPart(el, 'entry');
    expect(parts(el, 'day').length).to.be.greaterThan(0);
    expect(part(el, 'day-label')!.textContent!.trim()).to.match(/\d{4}/);
    const all = texts(el);
    expect(all.some((t) => /Sam Patel replied on T-\d+/.test(t))).to.equal(true, all.join('\n'));
  });

  it('is accessible', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline page-size="6"></portico-timeline>`);
    await waitForPart(el, 'entry');
    await expect(el).to.be.accessible();
  });

  it('never shows entries of a private ticket the contact may not see', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline page-size="100"></portico-timeline>`, { as: 'jay@acme.example' });
    await waitForPart(el, 'entry');
    // T-1017 is Mia's private ticket, T-1029 Ada's: Jay may see neither.
    expect(texts(el).some((t) => /T-1017|T-1029/.test(t))).to.equal(false);
  });

  it('inserts a live agent reply at the top', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline></portico-timeline>`);
    await waitForPart(el, 'entry');
    await liveStreamOpen();
    await agentReply('tkt_1001', 'We have rolled out a fix.');
    // Without a reload (the one-second figure is measured against the real server in test/node/demo-live.test.ts).
    await waitUntil(() => /Sam Patel replied on T-1001/.test(texts(el)[0] ?? ''), 'the live reply never appeared', { timeout: 5000 });
    expect(parts(el, 'entry')[0]!.hasAttribute('data-fresh')).to.equal(true);
  });

  it('tells merges and category moves as sentences, live; an internal note adds nothing', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline></portico-timeline>`, { as: 'ada@acme.example' });
    await waitForPart(el, 'entry');
    await liveStreamOpen();
    const agent = async (method: string, path: string, json: unknown) => {
      const res = await fetch(`/api/v1/service${path}`, {
        method,
        headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...(json as object), agent: { name: 'Sam Patel' } }),
      });
      expect(res.status, `${method} ${path}`).to.be.oneOf([200, 201]);
    };
    await agent('POST', '/tickets/T-1006/notes', { body: 'Internal only' });
    await agent('PATCH', '/tickets/T-1006', { category: 'billing' });
    await agent('POST', '/tickets/T-1012/merge', { into: 'T-1005' });
    await waitUntil(() => texts(el).filter((t) => t.includes('Sam Patel merged T-1012 into T-1005')).length === 2, 'the merge never showed on both tickets', {
      timeout: 5000,
    });
    const all = texts(el);
    expect(
      all.some((t) => t.includes('Sam Patel moved T-1006 to Billing')),
      all.join('\n'),
    ).to.equal(true);
    expect(all.some((t) => /Internal only|note/i.test(t))).to.equal(false);
    // The "Tickets" filter keeps them.
    const select = part<HTMLSelectElement>(el, 'filter')!;
    select.value = 'tickets';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => parts(el, 'entry').length > 0 && parts(el, 'entry').every((e) => e.dataset.type !== 'ticket.commented'), 'filter not applied');
    expect(texts(el).some((t) => t.includes('Sam Patel merged T-1012 into T-1005'))).to.equal(true);
  });

  it('filters by type from the toolbar, and a ticket link fires portico-ticket-select', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline></portico-timeline>`);
    await waitForPart(el, 'entry');
    const select = part<HTMLSelectElement>(el, 'filter')!;
    select.value = 'comments';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => parts(el, 'entry').length > 0 && parts(el, 'entry').every((e) => e.dataset.type === 'ticket.commented'), 'filter not applied');
    const link = part<HTMLButtonElement>(el, 'ticket-link')!;
    const event = nextEvent<CustomEvent<PorticoTimelineTicketSelectDetail>>(el, 'portico-ticket-select');
    link.click();
    expect((await event).detail.id).to.match(/^tkt_/);
  });

  it('says in words who joined and whose details the vendor changed (provisioning), under the Contacts filter', async () => {
    const put = (email: string, body: unknown) =>
      fetch(`/api/v1/service/accounts/acc_acme/contacts/${email}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put('kim.lee@acme.example', { name: 'Kim Lee', role: 'member' })).status).to.equal(201);
    expect((await put('mia@acme.example', { name: 'Mia Chen-Park' })).status).to.equal(200);
    // As an admin: contact entries are the contact manager's business.
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline page-size="100"></portico-timeline>`, { as: 'ada@acme.example' });
    await waitForPart(el, 'entry');
    const select = part<HTMLSelectElement>(el, 'filter')!;
    select.value = 'contacts';
    select.dispatchEvent(new Event('change'));
    const shown = () =>
      texts(el).some((t) => t.includes('Kim Lee joined as Member')) && texts(el).some((t) => t.includes('Provisioning updated the details of Mia Chen-Park'));
    await waitUntil(shown, 'the provisioning sentences were not shown', { timeout: 5000 });
    expect(texts(el).some((t) => t.includes('contact.'))).to.equal(false, 'no raw type names');
  });

  it('loads older entries with the cursor', async () => {
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline page-size="5"></portico-timeline>`);
    await waitForPart(el, 'entry');
    expect(parts(el, 'entry').length).to.equal(5);
    part<HTMLButtonElement>(el, 'load-older')!.click();
    await waitUntil(() => parts(el, 'entry').length === 10, 'older entries never came');
  });

  it('shows an error with Retry when loading fails', async () => {
    const { worker } = await useMockApi();
    // Down until the test says otherwise (the client itself retries a 503 twice before giving up).
    let down = true;
    worker.use(
      http.get('/api/v1/activity', () =>
        down
          ? HttpResponse.json({ type: 'about:blank', title: 'Down', status: 503, code: 'internal', detail: 'Down for maintenance' }, { status: 503 })
          : undefined,
      ),
    );
    const { el } = await mountWithProvider<PorticoTimeline>(html`<portico-timeline></portico-timeline>`);
    const error = await waitForPart(el, 'error');
    expect(error.textContent).to.contain('Couldn’t load the activity');
    down = false;
    error.querySelector('button')!.click();
    await waitForPart(el, 'entry');
  });
});

runDataElementSuite({
  tag: 'portico-timeline',
  template: () => html`<portico-timeline></portico-timeline>`,
  route: '/api/v1/activity',
  loaded: 'entry',
  empty: { items: [], nextCursor: null },
  live: async (el) => {
    await serviceCall('POST', '/tickets/tkt_1001/comments', { body: 'Live from the suite.', agent: { id: 'agt_sam', name: 'Sam Patel' } });
    await waitUntil(() => /Sam Patel replied on T-1001/.test(texts(el)[0] ?? ''), 'the live reply never appeared', { timeout: 5000 });
  },
});
