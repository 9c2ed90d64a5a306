import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import { mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-notifications.ts';
import '../define/portico-support-panel.ts';
import type { PorticoNavigateDetail, PorticoPanelToggleDetail, PorticoSupportPanel } from './support-panel.ts';

const tabNames = (el: Element) => parts(el, 'tab').map((t) => t.textContent!.trim());
const teamTab = (el: Element) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="tab"][data-view="team"]')!;
const inner = (el: Element, tag: string) => el.shadowRoot!.querySelector(tag);
/** Every computed style property of an element, to compare before and after. */
const computed = (el: Element) => {
  const style = getComputedStyle(el);
  return Object.fromEntries([...Array(style.length).keys()].map((i) => [style.item(i), style.getPropertyValue(style.item(i))]));
};
/** The first row of the (visible) ticket list in the panel, once it has loaded. */
async function firstRow(el: Element): Promise<HTMLElement> {
  await waitUntil(() => inner(el, 'portico-ticket-list:not([hidden])'), 'no ticket list', { timeout: 5000 });
  return waitForPart(inner(el, 'portico-ticket-list:not([hidden])')!, 'row', 'the list shows no tickets');
}
/** The ticket detail the panel shows, once its code has loaded. */
async function openedDetail(el: Element): Promise<HTMLElement> {
  await waitUntil(() => inner(el, 'portico-ticket-detail') && customElements.get('portico-ticket-detail'), 'no ticket opened', { timeout: 5000 });
  return inner(el, 'portico-ticket-detail') as HTMLElement;
}
const deepActive = (): Element | null => {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

describe('portico-support-panel', () => {
  beforeEach(async () => {
    sessionStorage.clear();
    await useMockApi();
  });

  describe('lazy loading', () => {
    it('imports the tab element only when the tab is first shown', async () => {
      // This test page imported only the panel's define module: the list is not registered yet.
      expect(customElements.get('portico-ticket-list')).to.equal(undefined);
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 100));
      expect(customElements.get('portico-ticket-list'), 'closed launcher loads no tab').to.equal(undefined);
      part(el, 'launcher')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list'), 'the tickets tab never appeared', { timeout: 5000 });
      expect(customElements.get('portico-ticket-list')).to.not.equal(undefined);
      const list = inner(el, 'portico-ticket-list') as HTMLElement;
      await waitForPart(list, 'row', 'the list inside the panel shows no tickets (no provider context?)');
      // The other tabs' elements are still not loaded.
      expect(customElements.get('portico-timeline'), 'timeline loaded before its tab was shown').to.equal(undefined);
      expect(customElements.get('portico-account-summary'), 'summary loaded before its tab was shown').to.equal(undefined);
    });

    it('imports the ticket detail only when a ticket is opened', async () => {
      expect(customElements.get('portico-ticket-detail')).to.equal(undefined);
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const row = await firstRow(el);
      expect(customElements.get('portico-ticket-detail'), 'the list alone loads no detail').to.equal(undefined);
      row.click();
      await openedDetail(el);
      await waitForPart(inner(el, 'portico-ticket-detail')!, 'subject', 'the opened ticket never showed');
    });
  });

  describe('Tickets tab: list and detail', () => {
    it('opens a chosen ticket, and "All tickets" brings back the same list', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      const row = await firstRow(el);
      const list = inner(el, 'portico-ticket-list') as HTMLElement;
      const id = row.dataset.id!;
      const subject = part(row, 'subject') ?? row.querySelector('[part~="subject"]')!;
      row.click();
      const detail = await openedDetail(el);
      expect(detail.getAttribute('ticket-id')).to.equal(id);
      expect(el.ticketId).to.equal(id);
      expect(el.view).to.equal('tickets');
      expect(list.hidden, 'the list is hidden behind the ticket').to.equal(true);
      const heading = await waitForPart(detail, 'subject');
      expect(heading.textContent!.trim()).to.equal(subject.textContent!.replace(/^Unread:/, '').trim());
      await waitUntil(() => document.activeElement === el && el.shadowRoot!.activeElement === detail, 'focus did not move to the ticket');
      await expect(el).to.be.accessible();

      part(el, 'all-tickets')!.click();
      await el.updateComplete;
      expect(el.ticketId).to.equal(null);
      expect(inner(el, 'portico-ticket-detail')).to.equal(null);
      expect(inner(el, 'portico-ticket-list'), 'the list element is kept, not rebuilt').to.equal(list);
      expect(list.hidden).to.equal(false);
      await waitUntil(() => deepActive()?.getAttribute('data-id') === id, 'focus did not return to the ticket in the list');
      expect(moves).to.deep.equal([
        { view: 'tickets', ticketId: id, navigation: 'push' },
        { view: 'tickets', ticketId: null, navigation: 'push' },
      ]);
    });

    it('opens a ticket from the keyboard and walks back and forward between list and ticket', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      const row = await firstRow(el);
      row.focus();
      await sendKeys({ press: 'Enter' });
      await openedDetail(el);
      const id = row.dataset.id!;
      expect(el.ticketId).to.equal(id);

      part(el, 'back')!.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.ticketId).to.equal(null);
      expect(inner(el, 'portico-ticket-detail')).to.equal(null);
      expect(deepActive() === part(el, 'back'), 'the header button keeps focus').to.equal(true);

      part(el, 'forward')!.click();
      await openedDetail(el);
      expect(el.ticketId).to.equal(id);
      expect(moves).to.deep.equal([
        { view: 'tickets', ticketId: id, navigation: 'push' },
        { view: 'tickets', ticketId: null, navigation: 'back' },
        { view: 'tickets', ticketId: id, navigation: 'forward' },
      ]);
    });

    it('stays on the list when the host cancels the move, and leaves the ticket unchosen', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const row = await firstRow(el);
      el.addEventListener('portico-navigate', (e) => e.preventDefault(), { once: true });
      row.click();
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      expect(el.ticketId).to.equal(null);
      expect(inner(el, 'portico-ticket-detail')).to.equal(null);
      expect(row.getAttribute('aria-selected')).to.equal('false');
    });

    it('opens the ticket named by the ticket-id attribute without an event, and returns to the list', async () => {
      const { api } = await useMockApi();
      const ticket = api.seed.tickets.find((t) => t.accountId === 'acc_acme')!;
      let fired = 0;
      const { el } = await mountWithProvider<PorticoSupportPanel>(
        html`<portico-support-panel ticket-id=${ticket.id} @portico-navigate=${() => fired++}></portico-support-panel>`,
        { as: 'ada@acme.example' },
      );
      const detail = await openedDetail(el);
      expect((await waitForPart(detail, 'subject')).textContent!.trim()).to.equal(ticket.subject);
      expect(fired).to.equal(0);
      expect(part(el, 'back')!.getAttribute('aria-disabled')).to.equal('true');
      part(el, 'all-tickets')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list:not([hidden])'), 'the list never showed', { timeout: 5000 });
      expect(fired).to.equal(1);
      expect(el.ticketId).to.equal(null);
    });

    it('shows the ticket again where the list was scrolled to when coming back', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(
        html`<portico-support-panel style="--portico-support-panel-block-size: 14rem"></portico-support-panel>`,
        { as: 'ada@acme.example' },
      );
      const body = part(el, 'body')!;
      await firstRow(el);
      const rows = parts(inner(el, 'portico-ticket-list')!, 'row');
      const last = rows.at(-1)!;
      last.scrollIntoView();
      const scrolled = body.scrollTop;
      expect(scrolled, 'the list is long enough to scroll').to.be.greaterThan(0);
      last.click();
      await openedDetail(el);
      expect(body.scrollTop, 'a ticket opens at its top').to.equal(0);
      part(el, 'all-tickets')!.click();
      await el.updateComplete;
      expect(body.scrollTop).to.equal(scrolled);
    });

    it('remembers the open ticket across reloads', async () => {
      const first = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const row = await firstRow(first.el);
      row.click();
      await openedDetail(first.el);
      first.provider.remove();
      const again = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      const detail = await openedDetail(again.el);
      expect(detail.getAttribute('ticket-id')).to.equal(row.dataset.id);
    });

    it('lets the host page style the list and the ticket through re-exported parts', async () => {
      const style = document.createElement('style');
      style.textContent = `
        portico-support-panel::part(ticket-list__row) { background-color: rgb(1, 2, 3); }
        portico-support-panel::part(ticket-detail__subject) { color: rgb(4, 5, 6); }
      `;
      document.head.append(style);
      try {
        const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
        const row = await firstRow(el);
        expect(getComputedStyle(row).backgroundColor).to.equal('rgb(1, 2, 3)');
        row.click();
        const subject = await waitForPart(await openedDetail(el), 'subject');
        expect(getComputedStyle(subject).color).to.equal('rgb(4, 5, 6)');
      } finally {
        style.remove();
      }
    });
  });

  describe('inline mode', () => {
    it('shows the tickets of the signed-in contact through the provider', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      expect(part(el, 'launcher')).to.equal(null);
      await waitUntil(() => inner(el, 'portico-ticket-list'), 'no ticket list', { timeout: 5000 });
      await waitForPart(inner(el, 'portico-ticket-list')!, 'row');
      expect(part(el, 'title')!.textContent!.trim()).to.equal('Support');
      expect(getComputedStyle(part(el, 'base')!).display).to.equal('flex');
      await expect(el).to.be.accessible();
    });

    it('says so when it is not inside a provider', async () => {
      const el = await fixture<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      expect(part(el, 'error')!.textContent).to.contain('portico-provider');
    });

    it('says the session expired when the provider reports it', async () => {
      await useMockApi();
      const provider = await fixture(
        html`<portico-provider api-base="/api" token="not-a-jwt"><portico-support-panel></portico-support-panel></portico-provider>`,
      );
      const panel = provider.querySelector('portico-support-panel')!;
      const error = await waitForPart(panel, 'error');
      expect(error.textContent).to.contain('session has expired');
    });
  });

  describe('with several tabs', () => {
    // The Team tab (portico-contacts) needs `contact.manage`: admins get it, members do not,
    // so gating, navigation and history are exercised with real tabs.
    it('shows a tab only to roles that have its permission', async () => {
      const member = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'mia@acme.example' });
      await waitForPart(member.el, 'tabs');
      expect(tabNames(member.el)).to.deep.equal(['Tickets', 'New ticket', 'Activity', 'Summary']);
      member.provider.remove();

      // A viewer may read but not file tickets: no New ticket tab.
      const viewer = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'val@acme.example' });
      await waitForPart(viewer.el, 'tabs');
      expect(tabNames(viewer.el)).to.deep.equal(['Tickets', 'Activity', 'Summary']);
      viewer.provider.remove();

      const admin = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(admin.el, 'tabs');
      expect(tabNames(admin.el)).to.deep.equal(['Tickets', 'New ticket', 'Activity', 'Team', 'Summary']);
      await expect(admin.el).to.be.accessible();
    });

    it('falls back to an allowed tab when the host asks for one the role cannot use', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="team"></portico-support-panel>`, {
        as: 'mia@acme.example',
      });
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      expect(inner(el, 'portico-contacts')).to.equal(null);
    });

    it('opens the place named by the view attribute', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="team"></portico-support-panel>`, {
        as: 'ada@acme.example',
      });
      await waitUntil(() => inner(el, 'portico-contacts'), 'team tab not shown', { timeout: 5000 });
      expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('Team');
    });

    it('fires portico-navigate on each user move and walks back and forward', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      expect(part(el, 'back')!.getAttribute('aria-disabled')).to.equal('true');

      teamTab(el).click();
      await waitUntil(() => inner(el, 'portico-contacts'), undefined, { timeout: 5000 });
      expect(el.view).to.equal('team');
      expect(part(el, 'back')!.getAttribute('aria-disabled')).to.equal('false');

      part(el, 'back')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(part(el, 'forward')!.getAttribute('aria-disabled')).to.equal('false');

      part(el, 'forward')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('team');
      expect(moves).to.deep.equal([
        { view: 'team', ticketId: null, navigation: 'push' },
        { view: 'tickets', ticketId: null, navigation: 'back' },
        { view: 'team', ticketId: null, navigation: 'forward' },
      ]);
    });

    it('stays put when the host cancels portico-navigate, and fires nothing when the host moves it', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      el.addEventListener('portico-navigate', (e) => e.preventDefault(), { once: true });
      teamTab(el).click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('Tickets');

      let fired = 0;
      el.addEventListener('portico-navigate', () => fired++);
      el.view = 'team';
      await waitUntil(() => inner(el, 'portico-contacts'), undefined, { timeout: 5000 });
      expect(fired).to.equal(0);
      // A host move is history too: Back returns to the list.
      part(el, 'back')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(fired).to.equal(1);
    });

    it('moves between tabs with the arrow keys', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      parts(el, 'tab')[0]!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.view).to.equal('new-ticket');
      expect(deepActive()?.textContent?.trim()).to.equal('New ticket');
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.view).to.equal('activity');
      expect(deepActive()?.textContent?.trim()).to.equal('Activity');
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.view).to.equal('team');
      expect(deepActive()?.textContent?.trim()).to.equal('Team');
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(el.view).to.equal('summary');
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.view, 'wraps around').to.equal('tickets');
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(el.view).to.equal('summary');
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
    });
  });

  describe('Activity and Summary tabs', () => {
    it('are shown to every role that sees tickets, and not without ticket.view', async () => {
      const expected: Record<string, string[]> = {
        'mia@acme.example': ['Tickets', 'New ticket', 'Activity', 'Summary'],
        'ben@acme.example': ['Tickets', 'New ticket', 'Activity', 'Summary'],
        'jay@acme.example': ['Tickets', 'New ticket', 'Activity', 'Summary'],
        // A viewer reads the account's shared tickets but files none.
        'val@acme.example': ['Tickets', 'Activity', 'Summary'],
        'ada@acme.example': ['Tickets', 'New ticket', 'Activity', 'Team', 'Summary'],
      };
      for (const [as, tabs] of Object.entries(expected)) {
        const { el, provider } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as });
        await waitForPart(el, 'tabs');
        expect(tabNames(el), as).to.deep.equal(tabs);
        provider.remove();
      }
      // A session whose role may not see tickets (permissions come from GET /v1/me).
      const { worker, api } = await useMockApi();
      worker.use(
        http.get('/api/v1/me', async ({ request }) => {
          const res = await api.app.fetch(new Request('http://portico.invalid/v1/me', { headers: request.headers }));
          const session = (await res.json()) as { permissions: Record<string, boolean> };
          session.permissions['ticket.view'] = false;
          return HttpResponse.json(session);
        }),
      );
      // Such a role may still file tickets: the New ticket tab is all it gets (one tab, no tab bar).
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="activity"></portico-support-panel>`);
      await waitUntil(() => inner(el, 'portico-ticket-form'), 'the form never showed', { timeout: 5000 });
      expect(part(el, 'tabs')).to.equal(null);
      expect(inner(el, 'portico-timeline')).to.equal(null);
      expect(inner(el, 'portico-account-summary')).to.equal(null);
      expect(inner(el, 'portico-ticket-list')).to.equal(null);

      // And a role that may neither see nor file tickets is told so.
      worker.use(
        http.get('/api/v1/me', async ({ request }) => {
          const res = await api.app.fetch(new Request('http://portico.invalid/v1/me', { headers: request.headers }));
          const session = (await res.json()) as { permissions: Record<string, boolean> };
          for (const action of Object.keys(session.permissions)) session.permissions[action] = false;
          return HttpResponse.json(session);
        }),
      );
      const none = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="activity"></portico-support-panel>`);
      const empty = await waitForPart(none.el, 'empty');
      expect(empty.textContent).to.contain('nothing here for your role');
      expect(part(none.el, 'tabs')).to.equal(null);
    });

    it('Activity shows the timeline; a ticket reference in it opens that ticket in the Tickets tab', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="activity"></portico-support-panel>`);
      await waitUntil(() => inner(el, 'portico-timeline'), 'the activity tab never showed the timeline', { timeout: 5000 });
      expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('Activity');
      const timeline = inner(el, 'portico-timeline')!;
      await waitForPart(timeline, 'entry', 'the timeline inside the panel shows no entries');
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      const link = part<HTMLButtonElement>(timeline, 'ticket-link')!;
      link.click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(el.ticketId).to.match(/^tkt_/);
      expect(moves).to.deep.equal([{ view: 'tickets', ticketId: el.ticketId, navigation: 'push' }]);
      const detail = await openedDetail(el);
      expect(detail.getAttribute('ticket-id'), 'the ticket opens in the detail').to.equal(el.ticketId);
      await waitForPart(detail, 'subject');
      part(el, 'back')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('activity');
      expect(el.ticketId).to.equal(null);
    });

    it('a ticket chosen in the list opens in the Tickets tab; Back returns to the list', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      const list = inner(el, 'portico-ticket-list')!;
      const row = await waitForPart(list, 'row');
      const ref = row.querySelector('[part~="ref"]')!.textContent!.trim();
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      row.click();
      await waitUntil(() => inner(el, 'portico-ticket-detail'), 'the ticket never opened', { timeout: 5000 });
      const detail = inner(el, 'portico-ticket-detail')!;
      expect(el.view).to.equal('tickets');
      expect(moves).to.deep.equal([{ view: 'tickets', ticketId: el.ticketId, navigation: 'push' }]);
      const header = await waitForPart(detail, 'header', 'the detail shows no ticket');
      expect(header.textContent).to.contain(ref);
      expect((list as HTMLElement).hidden, 'one page at a time: the list waits, hidden').to.equal(true);
      part(el, 'back')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list:not([hidden])'), 'Back did not return to the list', { timeout: 5000 });
      expect(el.ticketId).to.equal(null);
    });

    it('opens the ticket the host names, e.g. from the bell’s portico-ticket-select', async () => {
      // What the demo vendor app does: the bell sits in the page header, the panel opens the ticket.
      const { provider } = await mountWithProvider<HTMLElement>(
        html`<portico-notifications></portico-notifications><portico-support-panel></portico-support-panel>`,
      );
      const bell = provider.querySelector('portico-notifications')!;
      const panel = provider.querySelector<PorticoSupportPanel>('portico-support-panel')!;
      bell.addEventListener('portico-ticket-select', (event) => {
        panel.view = 'tickets';
        panel.ticketId = (event as CustomEvent<{ id: string }>).detail.id;
      });
      // The bell builds its list when first opened.
      await waitUntil(() => part(bell, 'button'), 'no bell button');
      part(bell, 'button')!.click();
      const item = await waitForPart(bell, 'item', 'the bell lists no updates');
      item.click();
      await waitUntil(() => inner(panel, 'portico-ticket-detail'), 'the panel never opened the ticket', { timeout: 5000 });
      expect(inner(panel, 'portico-ticket-detail')!.getAttribute('ticket-id')).to.equal(panel.ticketId);
      expect(panel.ticketId).to.match(/^tkt_/);
      await waitForPart(inner(panel, 'portico-ticket-detail')!, 'header');
    });

    it('Summary shows the account figures, rolled up across child accounts for a parent admin', async () => {
      const member = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="summary"></portico-support-panel>`);
      await waitUntil(() => inner(member.el, 'portico-account-summary'), 'the summary tab never showed the summary', { timeout: 5000 });
      const summary = inner(member.el, 'portico-account-summary')!;
      await waitForPart(summary, 'figure', 'the summary inside the panel shows no figures');
      expect(part(summary, 'accounts'), 'a member has no roll-up').to.equal(null);
      member.provider.remove();

      const admin = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="summary"></portico-support-panel>`, {
        as: 'ada@acme.example',
      });
      await waitUntil(() => inner(admin.el, 'portico-account-summary'), undefined, { timeout: 5000 });
      const rollUp = await waitForPart(inner(admin.el, 'portico-account-summary')!, 'accounts');
      expect(rollUp.textContent).to.contain('Acme EMEA');
      await expect(admin.el).to.be.accessible();
    });
  });

  describe('launcher mode', () => {
    it('opens a modal drawer from the launcher, traps focus in it and closes on Esc', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      const launcher = part<HTMLButtonElement>(el, 'launcher')!;
      const drawer = part<HTMLDialogElement>(el, 'drawer')!;
      expect(drawer.open).to.equal(false);
      expect(launcher.getAttribute('aria-expanded')).to.equal('false');

      launcher.focus();
      const opened = oneEvent(el, 'portico-panel-toggle');
      launcher.click();
      expect(((await opened) as CustomEvent<PorticoPanelToggleDetail>).detail).to.deep.equal({ open: true });
      await el.updateComplete;
      expect(drawer.open).to.equal(true);
      expect(drawer.matches(':modal')).to.equal(true);
      expect(el.open).to.equal(true);
      expect(drawer.contains(deepActive())).to.equal(true);

      // Tab repeatedly: focus never lands on the page behind the modal drawer.
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      for (let i = 0; i < 12; i++) {
        await sendKeys({ press: 'Tab' });
        const active = deepActive();
        if (active && active !== document.body) {
          expect(
            drawer.contains(active) || drawer.contains((active.getRootNode() as ShadowRoot).host ?? null),
            `focus escaped to ${active.outerHTML.slice(0, 60)}`,
          ).to.equal(true);
        }
      }

      const closed = nextEvent<CustomEvent<PorticoPanelToggleDetail>>(el, 'portico-panel-toggle');
      await sendKeys({ press: 'Escape' });
      expect((await closed).detail).to.deep.equal({ open: false });
      await el.updateComplete;
      expect(drawer.open).to.equal(false);
      expect(el.open).to.equal(false);
      expect(deepActive()).to.equal(launcher);
    });

    it('lays out the launcher at load and the drawer, a panel at the end edge, once it opens', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      const launcher = part<HTMLButtonElement>(el, 'launcher')!;
      expect(getComputedStyle(launcher).position).to.equal('fixed');
      launcher.click();
      await el.updateComplete;
      const drawer = part<HTMLDialogElement>(el, 'drawer')!;
      const base = drawer.querySelector<HTMLElement>('[part~="base"]')!;
      expect(getComputedStyle(base).display).to.equal('flex');
      expect(getComputedStyle(drawer).position).to.equal('fixed');
      // It slides in from the end edge.
      const slides = drawer.getAnimations();
      expect(slides).to.have.length(1);
      await slides[0]!.finished;
      const box = drawer.getBoundingClientRect();
      // Against the viewport's end edge (a scrollbar's width aside), narrower than the viewport.
      expect(box.right).to.be.within(window.innerWidth - 20, window.innerWidth);
      // 28rem wide by default.
      expect(Math.round(box.width)).to.equal(28 * parseFloat(getComputedStyle(document.documentElement).fontSize));
    });

    it('closes from its Close button', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher" open></portico-support-panel>`);
      await el.updateComplete;
      expect(part<HTMLDialogElement>(el, 'drawer')!.open).to.equal(true);
      part(el, 'close')!.click();
      await el.updateComplete;
      expect(part<HTMLDialogElement>(el, 'drawer')!.open).to.equal(false);
    });

    it('remembers whether it was open and where it was', async () => {
      const first = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      part(first.el, 'launcher')!.click();
      await waitUntil(() => inner(first.el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      first.provider.remove();

      const again = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      // A closed launcher reads what it remembered once the page is idle.
      await waitUntil(() => part<HTMLDialogElement>(again.el, 'drawer')?.open, 'the drawer did not reopen', { timeout: 3000 });
      expect(again.el.open).to.equal(true);

      again.el.open = false;
      await again.el.updateComplete;
      again.provider.remove();
      const third = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      await third.el.updateComplete;
      expect(third.el.open).to.equal(false);
    });

    it('leaves sessionStorage alone at load, then reopens at idle on the tab it was left on, with no Back step', async () => {
      sessionStorage.setItem('portico-support-panel', JSON.stringify({ open: true, view: 'activity', ticketId: null }));
      const reads: string[] = [];
      const getItem = Storage.prototype.getItem;
      Storage.prototype.getItem = function (this: Storage, key: string) {
        reads.push(key);
        return getItem.call(this, key);
      };
      try {
        const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
        await el.updateComplete;
        expect(reads, 'read while the page was loading').to.deep.equal([]);
        expect(part<HTMLDialogElement>(el, 'drawer')!.open).to.equal(false);
        await waitUntil(() => part<HTMLDialogElement>(el, 'drawer')?.open, 'the drawer did not reopen', { timeout: 3000 });
        await waitUntil(() => inner(el, 'portico-timeline'), 'not back on the Activity tab', { timeout: 5000 });
        expect(part(el, 'back')!.getAttribute('aria-disabled'), 'a Back step to the default tab').to.equal('true');
      } finally {
        Storage.prototype.getItem = getItem;
      }
    });

    it('opened before the page is idle, starts where it was left', async () => {
      sessionStorage.setItem('portico-support-panel', JSON.stringify({ open: false, view: 'activity', ticketId: null }));
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      part(el, 'launcher')!.click();
      await waitUntil(() => inner(el, 'portico-timeline'), 'not on the Activity tab it was left on', { timeout: 5000 });
      expect(inner(el, 'portico-ticket-list'), 'the default tab was loaded too').to.equal(null);
    });

    it('remembers nothing with an empty storage-key', async () => {
      const first = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher" storage-key=""></portico-support-panel>`);
      part(first.el, 'launcher')!.click();
      await first.el.updateComplete;
      expect(sessionStorage.length).to.equal(0);
    });
  });

  describe('isolation', () => {
    it('neither takes styles from the host page nor gives any to it', async () => {
      const style = document.createElement('style');
      style.textContent = `
        body { text-align: center; letter-spacing: 4px; text-transform: uppercase; font-style: italic; line-height: 5; }
        button { background: rgb(255, 0, 0) !important; font-size: 40px !important; }
        h2 { color: rgb(0, 255, 0); font-size: 60px; }
      `;
      document.head.append(style);
      try {
        const host = await fixture(
          html`<div>
            <button id="host-button">Host</button>
            <h2 id="host-h2">Host heading</h2>
          </div>`,
        );
        const hostButton = host.querySelector('#host-button')!;
        const hostH2 = host.querySelector('#host-h2')!;
        const before = [computed(hostButton), computed(hostH2)];

        const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
        await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
        const title = part(el, 'title')!;
        const titleStyle = getComputedStyle(title);
        expect(titleStyle.color).to.not.equal('rgb(0, 255, 0)');
        expect(titleStyle.fontSize).to.not.equal('60px');
        expect(titleStyle.textAlign).to.equal('start');
        expect(titleStyle.letterSpacing).to.equal('normal');
        expect(titleStyle.textTransform).to.equal('none');
        expect(titleStyle.fontStyle).to.equal('normal');
        const back = getComputedStyle(part(el, 'back')!);
        expect(back.backgroundColor).to.not.equal('rgb(255, 0, 0)');
        expect(back.fontSize).to.not.equal('40px');

        const after = [computed(hostButton), computed(hostH2)];
        expect(after).to.deep.equal(before);
      } finally {
        style.remove();
      }
    });

    it('works inside another shadow root, launcher and all', async () => {
      const { api } = await useMockApi();
      const outer = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = outer.attachShadow({ mode: 'open' });
      root.innerHTML = `<portico-provider api-base="/api"><portico-support-panel mode="launcher"></portico-support-panel></portico-provider>`;
      const provider = root.querySelector('portico-provider')!;
      provider.getToken = () => api.tokenFor('mia@acme.example');
      const el = root.querySelector<PorticoSupportPanel>('portico-support-panel')!;
      await el.updateComplete;
      part(el, 'launcher')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      await waitForPart(inner(el, 'portico-ticket-list')!, 'row');
      expect(part<HTMLDialogElement>(el, 'drawer')!.matches(':modal')).to.equal(true);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(el.open).to.equal(false);
    });
  });
});
