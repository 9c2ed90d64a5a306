import { expect, fixture, waitUntil } from '@open-wc/testing';
import { HttpClient, PROBLEM_CONTENT_TYPE, type Comment, type Ticket } from '@portico/core';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { HttpResponse, delay, http } from 'msw';
import { liveStreamOpen, mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import { DEMO_SERVICE_API_KEY } from '@portico/mocks';
import '../define/portico-ticket-detail.ts';
import type { PorticoCommentCreatedDetail, PorticoTicketDetail, PorticoTicketEscalatedDetail, PorticoTicketUpdatedDetail } from './ticket-detail.ts';
import { runDataElementSuite, serviceCall } from '../../../../test/browser/data-element-suite.ts';

type MockApi = Awaited<ReturnType<typeof useMockApi>>['api'];

const problem = (status: number, code: string, detail: string) =>
  HttpResponse.json({ type: 'about:blank', title: detail, status, code, detail }, { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } });

async function clientFor(api: MockApi, email: string): Promise<HttpClient> {
  return new HttpClient({ apiBase: '/api', token: await api.tokenFor(email) });
}

/** Every comment of a ticket as the API has it. */
async function apiComments(api: MockApi, email: string, ticketId: string): Promise<Comment[]> {
  const client = await clientFor(api, email);
  const out: Comment[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listComments(ticketId, { limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

async function mount(ticketId: string, as: string, extra = '') {
  const mounted = await mountWithProvider<PorticoTicketDetail>(
    html`<portico-ticket-detail ticket-id=${ticketId} page-size=${extra === 'paged' ? '1' : '25'}></portico-ticket-detail>`,
    { as },
  );
  return mounted;
}

const shown = (el: PorticoTicketDetail) => waitForPart(el, 'header', 'the ticket never showed');
const action = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);
const actions = (el: Element) => parts(el, 'action').map((b) => b.dataset.action);
const commentBodies = (el: Element) => parts(el, 'comment').map((c) => c.querySelector('.body')!.textContent);
const replyBox = (el: Element) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[name="reply"]')!;

describe('portico-ticket-detail', () => {
  beforeEach(async () => {
    await useMockApi();
  });

  describe('states', () => {
    it('asks for a ticket when it has no ticket-id', async () => {
      const { el } = await mountWithProvider<PorticoTicketDetail>(html`<portico-ticket-detail></portico-ticket-detail>`);
      expect((await waitForPart(el, 'empty')).textContent).to.contain('Select a ticket');
      await expect(el).to.be.accessible();
    });

    it('shows a busy state while loading', async () => {
      const { worker } = await useMockApi();
      worker.use(http.get('/api/v1/tickets/:id', () => delay('infinite')));
      const { el } = await mount('tkt_1001', 'mia@acme.example');
      const loading = await waitForPart(el, 'loading');
      expect(loading.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('says "not found" for a ticket the contact may not see (Mia and Jay’s private ticket)', async () => {
      const { el } = await mount('tkt_1002', 'mia@acme.example');
      const error = await waitForPart(el, 'error');
      expect(error.textContent).to.contain('doesn’t exist, or you can’t see it');
      expect(part(el, 'header')).to.equal(null);
    });

    it('offers Retry after a failure, and Retry recovers', async () => {
      const { worker } = await useMockApi();
      worker.use(http.get('/api/v1/tickets/:id', () => problem(500, 'internal', 'Ticket store down.'), { once: true }));
      const { el } = await mount('tkt_1001', 'mia@acme.example');
      const error = await waitForPart(el, 'error');
      expect(error.textContent).to.contain('Ticket store down.');
      error.querySelector('button')!.click();
      await shown(el);
    });
  });

  describe('content', () => {
    it('shows the fields and the whole conversation, oldest first, as the API has them', async () => {
      const { el, api } = await mount('tkt_1001', 'ada@acme.example');
      await shown(el);
      const ticket = await (await clientFor(api, 'ada@acme.example')).getTicket('tkt_1001');
      expect(part(el, 'subject')!.textContent!.trim()).to.equal(ticket.subject);
      expect(part(el, 'status')!.textContent!.trim()).to.equal('Open');
      const header = part(el, 'header')!.textContent!.replace(/\s+/g, ' ');
      for (const text of ['T-1001', 'Urgent priority', 'Technical', 'Escalated', 'Mia Chen', 'Sam Patel', 'Everyone in the account', 'You and 1 more']) {
        expect(header, text).to.contain(text);
      }
      expect(part(el, 'description')!.querySelector('.body')!.textContent).to.equal(ticket.description);
      await waitUntil(() => parts(el, 'comment').length === ticket.commentCount, 'the comments never showed');
      expect(commentBodies(el)).to.deep.equal((await apiComments(api, 'ada@acme.example', 'tkt_1001')).map((c) => c.body));
      const agent = parts(el, 'comment')[0]!;
      expect(agent.dataset.authorKind).to.equal('agent');
      expect(agent.textContent).to.contain('Support');
      await expect(el).to.be.accessible();
    });

    it('renders user text as text, keeping line breaks (no HTML from comments)', async () => {
      const { api } = await useMockApi();
      await api.store.addComment({
        ticketId: 'tkt_1006',
        author: { kind: 'agent', id: 'agt_x', name: 'Eve <b>Agent</b>' },
        body: 'Line one\n<img src=x onerror="window.__pwned=1">\n<script>window.__pwned=2</script>Line three',
        now: new Date().toISOString(),
      });
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      await waitUntil(() => parts(el, 'comment').length === 1);
      const comment = parts(el, 'comment')[0]!;
      expect(comment.querySelector('img, script, b')).to.equal(null);
      expect(comment.querySelector('.body')!.textContent).to.equal(
        'Line one\n<img src=x onerror="window.__pwned=1">\n<script>window.__pwned=2</script>Line three',
      );
      expect(comment.querySelector('.author')!.textContent).to.equal('Eve <b>Agent</b>');
      expect(getComputedStyle(comment.querySelector('.body')!).whiteSpace).to.equal('pre-wrap');
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('pages a long conversation with "Show later comments"', async () => {
      const { el, api } = await mount('tkt_1016', 'ada@acme.example', 'paged');
      await shown(el);
      const all = await apiComments(api, 'ada@acme.example', 'tkt_1016');
      expect(all.length).to.equal(3);
      await waitUntil(() => parts(el, 'comment').length === 1);
      expect(part(el, 'load-more')!.textContent).to.contain('(2)');
      while (part(el, 'load-more')) {
        const before = parts(el, 'comment').length;
        part(el, 'load-more')!.click();
        await waitUntil(() => parts(el, 'comment').length > before);
      }
      expect(commentBodies(el)).to.deep.equal(all.map((c) => c.body));
    });
  });

  describe('controls by role (absent in the UI, refused by the server)', () => {
    // T-1003: Ben's open, account-visible billing ticket that Ada follows.
    const table: [email: string, actions: string[], reply: boolean][] = [
      ['ada@acme.example', ['follow', 'close', 'visibility', 'escalate'], true],
      ['ben@acme.example', ['follow', 'close', 'visibility', 'escalate'], true],
      ['mia@acme.example', ['follow', 'close', 'escalate'], true],
      ['val@acme.example', [], false],
    ];
    for (const [email, want, reply] of table) {
      it(`${email} sees exactly: ${want.join(', ') || 'no actions'}${reply ? ' and the reply box' : ''}`, async () => {
        const { el } = await mount('tkt_1003', email);
        await shown(el);
        expect(actions(el)).to.deep.equal(want);
        expect(Boolean(part(el, 'reply')), 'reply box').to.equal(reply);
        expect(part(el, 'satisfaction'), 'no rating on an open ticket').to.equal(null);
      });
    }

    it('the server refuses a viewer’s actions anyway', async () => {
      const { api } = await useMockApi();
      const val = await clientFor(api, 'val@acme.example');
      for (const attempt of [
        () => val.updateTicket('tkt_1003', { status: 'solved' }),
        () => val.addComment('tkt_1003', { body: 'hello' }),
        () => val.followTicket('tkt_1003'),
        () => val.escalateTicket('tkt_1003', { reason: 'please' }),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e as { status: number },
        );
        expect(error?.status).to.equal(403);
      }
    });

    it('a parent account admin may only follow and reply on a child account’s ticket', async () => {
      const { api } = await useMockApi();
      const child = api.seed.tickets.find((t) => t.accountId === 'acc_acme_emea' && t.status === 'open')!;
      const { el } = await mount(child.id, 'ada@acme.example');
      await shown(el);
      expect(actions(el)).to.deep.equal(['follow']);
      expect(part(el, 'reply')).not.to.equal(null);
      const ada = await clientFor(api, 'ada@acme.example');
      const error = await ada.updateTicket(child.id, { status: 'solved' }).then(
        () => null,
        (e: { status: number }) => e,
      );
      expect(error?.status).to.equal(403);
    });

    it('only the requester rates a solved ticket', async () => {
      const { el: ben } = await mount('tkt_1004', 'ben@acme.example');
      await shown(ben);
      expect(part(ben, 'satisfaction')!.tagName).to.equal('FORM');
      expect(actions(ben)).to.deep.equal(['follow', 'reopen', 'visibility']);
      const { el: ada } = await mount('tkt_1004', 'ada@acme.example');
      await shown(ada);
      expect(part(ada, 'satisfaction'), 'an admin who did not request it').to.equal(null);
    });
  });

  describe('replying', () => {
    it('Ctrl+Enter sends; the reply shows at once as sending, then as sent, once', async () => {
      const { worker, api } = await useMockApi();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.post('/api/v1/tickets/:id/comments', async () => {
          await gate;
          return undefined;
        }),
      );
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      const created = nextEvent<CustomEvent<PorticoCommentCreatedDetail>>(el, 'portico-comment-created');
      replyBox(el).focus();
      await sendKeys({ type: 'First line' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'Second line' });
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Control' });
      const pending = await waitForPart(el, 'comment-pending');
      expect(pending.querySelector('.body')!.textContent).to.equal('First line\nSecond line');
      expect(pending.textContent).to.contain('Sending…');
      expect(replyBox(el).value).to.equal('');
      release();
      const { detail } = await created;
      expect(detail.ticketId).to.equal('tkt_1006');
      expect(detail.comment.body).to.equal('First line\nSecond line');
      await waitUntil(() => !part(el, 'comment-pending'));
      expect(commentBodies(el)).to.deep.equal(['First line\nSecond line']);
      expect((await apiComments(api, 'mia@acme.example', 'tkt_1006')).map((c) => c.body)).to.deep.equal(['First line\nSecond line']);
    });

    it('a failed reply is rolled back into the box with a visible Retry, and the retry posts it once', async () => {
      const { worker, api } = await useMockApi();
      worker.use(http.post('/api/v1/tickets/:id/comments', () => HttpResponse.error(), { once: true }));
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      replyBox(el).value = 'Please call me back';
      part(el, 'reply')!.querySelector<HTMLButtonElement>('button.button:not(.small)')!.click();
      const error = await waitUntil(() => part(el, 'reply-error')!.textContent!.includes('wasn’t sent'), 'no failure shown').then(() =>
        part(el, 'reply-error')!,
      );
      expect(error.getAttribute('role')).to.equal('alert');
      expect(parts(el, 'comment'), 'rolled back out of the thread').to.have.length(0);
      expect(replyBox(el).value, 'nothing typed is lost').to.equal('Please call me back');
      const created = nextEvent<CustomEvent<PorticoCommentCreatedDetail>>(el, 'portico-comment-created');
      [...error.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Retry')!.click();
      await created;
      await waitUntil(() => commentBodies(el).length === 1);
      expect(commentBodies(el)).to.deep.equal(['Please call me back']);
      expect(part(el, 'reply-error')!.textContent!.trim()).to.equal('');
      expect((await apiComments(api, 'mia@acme.example', 'tkt_1006')).length).to.equal(1);
    });

    it('a retry after a lost response (the server did save it) never posts twice', async () => {
      const { worker, api } = await useMockApi();
      // The request reaches the server, but the answer never reaches the browser.
      worker.use(
        http.post(
          '/api/v1/tickets/:id/comments',
          async ({ request }) => {
            await api.app.fetch(new Request(request.url.replace('/api/', '/'), { method: 'POST', headers: request.headers, body: await request.text() }));
            return HttpResponse.error();
          },
          { once: true },
        ),
      );
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      replyBox(el).value = 'Only once, please';
      part(el, 'reply')!.querySelector<HTMLButtonElement>('button.button:not(.small)')!.click();
      await waitUntil(() => part(el, 'reply-error')!.textContent!.includes('wasn’t sent'));
      expect((await apiComments(api, 'mia@acme.example', 'tkt_1006')).length, 'the server has it').to.equal(1);
      part(el, 'reply-error')!.querySelector('button')!.click();
      await waitUntil(() => commentBodies(el).length === 1 && !part(el, 'comment-pending'));
      expect((await apiComments(api, 'mia@acme.example', 'tkt_1006')).map((c) => c.body)).to.deep.equal(['Only once, please']);
    });

    it('refuses an empty reply inline without a request, and keeps drafts per ticket', async () => {
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      part(el, 'reply')!.querySelector<HTMLButtonElement>('button.button:not(.small)')!.click();
      await waitUntil(() => part(el, 'reply-error')!.textContent!.includes('Write something first'));
      expect(part(el, 'reply-error')!.querySelector('button'), 'nothing to retry').to.equal(null);
      replyBox(el).focus();
      await sendKeys({ type: 'Draft for 1006' });
      el.ticketId = 'tkt_1001';
      await waitUntil(() => part(el, 'subject')?.textContent!.includes('SSO'));
      expect(replyBox(el).value).to.equal('');
      el.ticketId = 'tkt_1006';
      await waitUntil(() => part(el, 'subject')?.textContent!.includes('shared via URL'));
      await el.updateComplete;
      expect(replyBox(el).value).to.equal('Draft for 1006');
    });
  });

  describe('actions', () => {
    it('follows and unfollows, announcing portico-ticket-updated', async () => {
      const { el, api } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      const follow = action(el, 'follow')!;
      expect(follow.getAttribute('aria-pressed')).to.equal('false');
      const updated = nextEvent<CustomEvent<PorticoTicketUpdatedDetail>>(el, 'portico-ticket-updated');
      follow.click();
      expect((await updated).detail.ticket.followerIds).to.include('con_mia');
      await waitUntil(() => action(el, 'follow')!.getAttribute('aria-pressed') === 'true');
      expect(action(el, 'follow')!.textContent!.trim()).to.equal('Following');
      expect((await api.store.getTicket('tkt_1006'))!.followerIds).to.include('con_mia');
      action(el, 'follow')!.click();
      await waitUntil(() => action(el, 'follow')!.getAttribute('aria-pressed') === 'false');
      expect((await api.store.getTicket('tkt_1006'))!.followerIds).not.to.include('con_mia');
    });

    it('closes and reopens (the requester), writing activity', async () => {
      const { el, api } = await mount('tkt_1007', 'jay@acme.example');
      await shown(el);
      const updated = nextEvent<CustomEvent<PorticoTicketUpdatedDetail>>(el, 'portico-ticket-updated');
      action(el, 'close')!.click();
      expect((await updated).detail.ticket.status).to.equal('solved');
      await waitUntil(() => part(el, 'status')!.textContent!.trim() === 'Solved');
      expect(action(el, 'close')).to.equal(null);
      action(el, 'reopen')!.click();
      await waitUntil(() => part(el, 'status')!.textContent!.trim() === 'Open');
      const activity = await api.store.listActivity(['acc_acme'], { limit: 2 });
      expect(activity.items.map((a) => [a.type, a.data])).to.deep.equal([
        ['ticket.status_changed', { from: 'solved', to: 'open' }],
        ['ticket.status_changed', { from: 'new', to: 'solved' }],
      ]);
    });

    it('changes visibility with If-Match: a stale ticket is reloaded with a clear message, then it works', async () => {
      const { el, api } = await mount('tkt_1005', 'ada@acme.example');
      await shown(el);
      // Someone else changes the ticket meanwhile.
      await api.store.updateTicket({
        ticketId: 'tkt_1005',
        changes: { status: 'pending' },
        actor: { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' },
        now: new Date().toISOString(),
      });
      action(el, 'visibility')!.click();
      await waitUntil(
        () => el.shadowRoot!.querySelector('.form-error[role="alert"]')?.textContent!.includes('changed while you were looking'),
        'no stale message',
      );
      expect((await api.store.getTicket('tkt_1005'))!.visibility, 'nothing changed').to.equal('account');
      await waitUntil(() => part(el, 'status')!.textContent!.trim() === 'Pending', 'the ticket was not reloaded');
      action(el, 'visibility')!.click();
      await waitUntil(() => action(el, 'visibility')!.textContent!.trim() === 'Share with the account');
      expect(part(el, 'facts')!.textContent).to.contain('Private');
      expect((await api.store.getTicket('tkt_1005'))!.visibility).to.equal('private');
    });

    it('escalates with a reason: priority up a step, an Escalated badge, portico-ticket-escalated', async () => {
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      action(el, 'escalate')!.click();
      const form = await waitForPart<HTMLFormElement>(el, 'escalate-form');
      expect(action(el, 'escalate')!.getAttribute('aria-expanded')).to.equal('true');
      expect(el.shadowRoot!.activeElement).to.equal(form.querySelector('textarea'));
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => form.querySelector('[role="alert"]')!.textContent!.includes('Tell the support team why'));
      await sendKeys({ type: 'Our analysts are blocked' });
      const escalated = nextEvent<CustomEvent<PorticoTicketEscalatedDetail>>(el, 'portico-ticket-escalated');
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      const { detail } = await escalated;
      expect([detail.escalation.priorityFrom, detail.escalation.priorityTo, detail.ticket.escalated]).to.deep.equal(['low', 'normal', true]);
      await waitUntil(() => !part(el, 'escalate-form'));
      expect(action(el, 'escalate'), 'one open escalation per ticket').to.equal(null);
      const header = part(el, 'header')!.textContent!;
      expect(header).to.contain('Escalated');
      expect(header).to.contain('Normal priority');
    });

    it('Escape closes the escalation form and returns focus to its button', async () => {
      const { el } = await mount('tkt_1006', 'mia@acme.example');
      await shown(el);
      action(el, 'escalate')!.click();
      await waitForPart(el, 'escalate-form');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !part(el, 'escalate-form'));
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(action(el, 'escalate'));
    });

    it('takes one CSAT rating from the requester and then shows it', async () => {
      const { el, api } = await mount('tkt_1004', 'ben@acme.example');
      await shown(el);
      const form = part<HTMLFormElement>(el, 'satisfaction')!;
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => form.querySelector('[role="alert"]')!.textContent!.includes('Choose good or bad'));
      form.querySelector<HTMLInputElement>('input[value="bad"]')!.click();
      form.querySelector('textarea')!.value = 'It took two weeks';
      const updated = nextEvent<CustomEvent<PorticoTicketUpdatedDetail>>(el, 'portico-ticket-updated');
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      expect((await updated).detail.ticket.satisfaction?.rating).to.equal('bad');
      await waitUntil(() => part(el, 'satisfaction')!.tagName === 'SECTION');
      expect(part(el, 'satisfaction')!.textContent).to.contain('Rated bad by the requester.');
      expect(part(el, 'satisfaction')!.textContent).to.contain('It took two weeks');
      expect((await api.store.getTicket('tkt_1004'))!.satisfaction?.comment).to.equal('It took two weeks');
      const again = await (await clientFor(api, 'ben@acme.example')).rateTicket('tkt_1004', { rating: 'good' }).then(
        () => null,
        (e: { status: number }) => e,
      );
      expect(again?.status, 'once').to.equal(409);
      await expect(el).to.be.accessible();
    });
  });

  describe('lifecycle', () => {
    it('marks the ticket seen when it opens', async () => {
      const { api } = await useMockApi();
      const list = async () => (await (await clientFor(api, 'ada@acme.example')).listTickets({ view: 'following', limit: 100 })).items;
      expect((await list()).find((t: Ticket) => t.id === 'tkt_1001')!.unread).to.equal(true);
      const { el } = await mount('tkt_1001', 'ada@acme.example');
      await shown(el);
      await waitUntil(async () => (await list()).find((t: Ticket) => t.id === 'tkt_1001')!.unread === false, 'never marked seen');
    });

    it('removing the element aborts its request; an explicit client wins over the provider', async () => {
      const { worker, api } = await useMockApi();
      worker.use(http.get('/api/v1/tickets/:id', () => delay('infinite')));
      const signals: AbortSignal[] = [];
      const real = await clientFor(api, 'mia@acme.example');
      const client = Object.create(real) as HttpClient;
      client.getTicket = (id, options) => {
        if (options?.signal) signals.push(options.signal);
        return real.getTicket(id, options);
      };
      const el = await fixture<PorticoTicketDetail>(html`<portico-ticket-detail ticket-id="tkt_1001" .client=${client}></portico-ticket-detail>`);
      await waitUntil(() => signals.length === 1);
      el.remove();
      expect(signals[0]!.aborted).to.equal(true);
    });
  });

  describe('live', () => {
    /** The vendor's helpdesk, through the service API (what `npm run agent` does). */
    async function agent(method: string, path: string, json: unknown): Promise<void> {
      const res = await fetch(`/api/v1/service${path}`, {
        method,
        headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(json),
      });
      expect(res.status, `${method} ${path}`).to.be.oneOf([200, 201]);
    }

    it('an agent reply joins the open conversation and a status change shows in the header, without a reload', async () => {
      const { el, api } = await mount('tkt_1001', 'mia@acme.example');
      await shown(el);
      await waitForPart(el, 'comment');
      await liveStreamOpen();
      const before = parts(el, 'comment').length;
      await agent('POST', '/tickets/tkt_1001/comments', { body: 'We rolled out a fix. Please try again.', agent: { id: 'agt_sam', name: 'Sam Patel' } });
      await waitUntil(() => parts(el, 'comment').length === before + 1, 'the agent reply never joined the conversation', { timeout: 5000 });
      const last = parts(el, 'comment').at(-1)!;
      expect(last.dataset.authorKind).to.equal('agent');
      expect(last.querySelector('.body')!.textContent).to.equal('We rolled out a fix. Please try again.');
      expect(last.textContent).to.contain('Sam Patel');
      expect(commentBodies(el), 'the whole conversation, in order, once').to.deep.equal(
        (await apiComments(api, 'mia@acme.example', 'tkt_1001')).map((c) => c.body),
      );

      await agent('PATCH', '/tickets/tkt_1001', { status: 'pending', agent: { name: 'Sam Patel' } });
      await waitUntil(() => part(el, 'status')?.dataset.status === 'pending', 'the header never showed the new status', { timeout: 5000 });
      expect(part(el, 'status')!.textContent!.trim()).to.equal('Pending');
    });

    it('with later pages still unloaded, a new reply grows their count instead', async () => {
      const { el } = await mount('tkt_1001', 'mia@acme.example', 'paged');
      await shown(el);
      const more = await waitForPart(el, 'load-more');
      const count = () => Number(/\((\d+)\)/.exec(part(el, 'load-more')?.textContent ?? '')?.[1]);
      const before = count();
      expect(before).to.be.greaterThan(0);
      await liveStreamOpen();
      await agent('POST', '/tickets/tkt_1001/comments', { body: 'A later reply.', agent: { name: 'Sam Patel' } });
      await waitUntil(() => count() === before + 1, 'the count of later comments did not grow', { timeout: 5000 });
      expect(parts(el, 'comment').length, 'nothing was inserted out of order').to.equal(1);
      expect(more.isConnected).to.equal(true);
    });

    it('an agent’s internal note never joins the conversation; the reply after it does', async () => {
      const { el } = await mount('tkt_1001', 'mia@acme.example');
      await shown(el);
      await waitForPart(el, 'comment');
      await liveStreamOpen();
      await agent('POST', '/tickets/T-1001/notes', { body: 'Internal: she is on the legacy plan.', agent: { name: 'Sam Patel' } });
      await agent('POST', '/tickets/T-1001/comments', { body: 'Fixed, please try again.', agent: { name: 'Sam Patel' } });
      await waitUntil(() => commentBodies(el).includes('Fixed, please try again.'), 'the reply never joined the conversation', { timeout: 5000 });
      expect(el.shadowRoot!.textContent).not.to.contain('legacy plan');
      expect(commentBodies(el).some((b) => b?.includes('legacy plan'))).to.equal(false);
    });

    it('shows "Merged into T-…" once support merges the ticket into another, without a reload', async () => {
      const { el } = await mount('tkt_1012', 'jay@acme.example');
      await shown(el);
      expect(part(el, 'merged')).to.equal(null);
      await liveStreamOpen();
      await agent('POST', '/tickets/T-1012/merge', { into: 'T-1005', agent: { name: 'Sam Patel' } });
      const merged = await waitForPart(el, 'merged', 'the merge never showed');
      expect(merged.textContent!.trim()).to.equal('Merged into T-1005: the conversation continues there.');
      expect(part(el, 'status')!.dataset.status).to.equal('closed');
      await expect(el).to.be.accessible();
    });
  });
});

runDataElementSuite({
  tag: 'portico-ticket-detail',
  template: () => html`<portico-ticket-detail ticket-id="tkt_1001"></portico-ticket-detail>`,
  route: '/api/v1/tickets/tkt_1001',
  loaded: 'subject',
  live: async (el) => {
    await serviceCall('PATCH', '/tickets/tkt_1001', { status: 'pending', agent: { name: 'Sam Patel' } });
    await waitUntil(() => part(el, 'status')?.dataset.status === 'pending', 'the header never showed the new status', { timeout: 5000 });
  },
});
