import { expect, fixture, waitUntil } from '@open-wc/testing';
import { HttpClient, PROBLEM_CONTENT_TYPE, type Page, type PorticoClient, type Ticket, type TicketListQuery } from '@portico/core';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { HttpResponse, delay, http } from 'msw';
import { announced, liveStreamOpen, mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import { DEMO_SERVICE_API_KEY } from '@portico/mocks';
import '../define/portico-ticket-list.ts';
import type { PorticoTicketList, PorticoTicketSelectDetail, PorticoViewChangeDetail } from './ticket-list.ts';
import { runDataElementSuite, serviceCall } from '../../../../test/browser/data-element-suite.ts';

type MockApi = Awaited<ReturnType<typeof useMockApi>>['api'];

/** What the API itself answers for a contact: the oracle the list must match. */
async function apiTickets(api: MockApi, email: string, query: TicketListQuery = {}): Promise<Ticket[]> {
  const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor(email) });
  const out: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<Ticket> = await client.listTickets({ view: 'account', ...query, limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const rowRefs = (el: Element) => parts(el, 'row').map((row) => row.querySelector('[part~="ref"]')!.textContent!.trim());
const rowsShown = (el: Element) => waitForPart(el, 'row', 'no ticket rows appeared');
const tab = (el: Element, name: string) => parts(el, 'view').find((t) => t.querySelector('.label')!.textContent!.trim() === name)!;
const NO_FILTERS = { view: 'account', status: [], priority: [], category: [], requester: '', account: '', q: '', sort: 'updated' };
const focused = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

/** Records the query of every ticket list request, and lets it through to the mock API. */
function spyOnListRequests(worker: Awaited<ReturnType<typeof useMockApi>>['worker']): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  worker.use(
    http.get('/api/v1/tickets', ({ request }) => {
      seen.push(new URL(request.url).searchParams);
      return undefined;
    }),
  );
  return seen;
}

/** The real client with its `listTickets` replaced. */
function withListTickets(real: PorticoClient, listTickets: PorticoClient['listTickets']): PorticoClient {
  // A Proxy, not Object.create: HttpClient's methods use #private fields, so they must run on the real client.
  return new Proxy(real, {
    get(target, key) {
      if (key === 'listTickets') return listTickets;
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const problem = (status: number, code: string, detail: string) =>
  HttpResponse.json({ type: 'about:blank', title: detail, status, code, detail }, { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } });

describe('portico-ticket-list', () => {
  beforeEach(async () => {
    await useMockApi();
  });

  describe('states', () => {
    it('shows a busy loading state until the first page arrives', async () => {
      const { worker } = await useMockApi();
      worker.use(http.get('/api/v1/tickets', () => delay('infinite')));
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      const loading = await waitForPart(el, 'loading');
      expect(loading.getAttribute('aria-busy')).to.equal('true');
      expect(loading.textContent).to.contain('Loading tickets');
      expect(announced(el), 'announced through the live region').to.equal('Loading tickets…');
      expect(part(el, 'row')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows exactly the tickets the API gives a member for the account view', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'mia@acme.example',
      });
      await rowsShown(el);
      const expected = await apiTickets(api, 'mia@acme.example');
      expect(expected.length).to.be.greaterThan(0);
      expect(rowRefs(el)).to.deep.equal(expected.map((t) => t.ref));

      const first = parts(el, 'row')[0]!;
      const ticket = expected[0]!;
      expect(first.querySelector('[part~="subject"]')!.textContent!.trim()).to.equal(ticket.subject);
      expect(first.querySelector('[part~="status"]')!.textContent!.trim().toLowerCase()).to.equal(ticket.status);
      expect(first.querySelector('[part~="priority"]')!.textContent!.toLowerCase()).to.contain(ticket.priority);
      const meta = first.querySelector('[part~="meta"]')!;
      expect(meta.textContent).to.contain(ticket.requester.name);
      expect(meta.querySelector('time')!.getAttribute('datetime')).to.equal(ticket.updatedAt);
      expect(meta.textContent!.replace(/\s+/g, ' ')).to.match(/Updated .*(ago|yesterday|now|today)/);
    });

    it('marks private tickets with a lock and a "Private" label', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const expected = await apiTickets(api, 'ada@acme.example');
      const privateRefs = expected.filter((t) => t.visibility === 'private').map((t) => t.ref);
      expect(privateRefs.length, 'the demo seed has private tickets an admin sees').to.be.greaterThan(0);
      for (const row of parts(el, 'row')) {
        const ref = row.querySelector('[part~="ref"]')!.textContent!.trim();
        const label = row.querySelector('.private');
        expect(Boolean(label), ref).to.equal(privateRefs.includes(ref));
        if (label) {
          expect(label.textContent).to.contain('Private');
          expect(label.querySelector('svg')?.getAttribute('aria-hidden')).to.equal('true');
        }
      }
    });

    it("never shows another account's tickets (Globex's pia sees no Acme ticket)", async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'pia@globex.example',
      });
      await rowsShown(el);
      const acmeRefs = new Set(api.seed.tickets.filter((t) => t.accountId !== 'acc_globex').map((t) => t.ref));
      const globexRefs = (await apiTickets(api, 'pia@globex.example')).map((t) => t.ref);
      const shown = rowRefs(el);
      expect(shown).to.deep.equal(globexRefs);
      expect(shown.filter((ref) => acmeRefs.has(ref))).to.deep.equal([]);
    });

    it('shows the empty state when the view has no tickets', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { seed: 'empty' });
      const empty = await waitForPart(el, 'empty');
      expect(empty.textContent).to.contain('No tickets in this view');
      expect(part(el, 'row')).to.equal(null);
      expect(part(el, 'load-more')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows an error with Retry, and Retry recovers', async () => {
      const { worker } = await useMockApi();
      worker.use(http.get('/api/v1/tickets', () => problem(500, 'internal', 'The ticket store is down.'), { once: true }));
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      const error = await waitForPart(el, 'error');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('Couldn’t load tickets');
      expect(error.textContent).to.contain('The ticket store is down.');
      await expect(el).to.be.accessible();
      const retry = [...error.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Retry')!;
      retry.click();
      await rowsShown(el);
      expect(part(el, 'error')).to.equal(null);
    });

    it('is accessible with data', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'ada@acme.example' });
      await rowsShown(el);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the dark palette and the compact layout', async () => {
      const { provider, el } = await mountWithProvider<PorticoTicketList>(
        html`<portico-ticket-list style="color-scheme: dark; inline-size: 360px"></portico-ticket-list>`,
        { as: 'ada@acme.example' },
      );
      void provider;
      await rowsShown(el);
      const row = parts(el, 'row')[0]!;
      // Compact: the subject gets its own line below ref/status/priority.
      expect(getComputedStyle(row).gridTemplateAreas).to.contain('"subject subject subject"');
      expect(getComputedStyle(part(el, 'base')!).backgroundColor).not.to.equal('rgb(255, 255, 255)');
      await expect(el).to.be.accessible();
    });
  });

  describe('theming and direction', () => {
    it('follows --portico-* tokens and exposes parts to ::part()', async () => {
      const style = document.createElement('style');
      style.textContent = `
        .themed { --portico-color-accent: rgb(200, 0, 100); --portico-radius: 0px; }
        .themed::part(subject) { text-transform: uppercase; }
      `;
      document.head.append(style);
      try {
        const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list class="themed"></portico-ticket-list>`);
        await rowsShown(el);
        expect(getComputedStyle(part(el, 'view-selected')!).color).to.equal('rgb(200, 0, 100)');
        expect(part(el, 'view-selected')!.querySelector('.label')!.textContent!.trim()).to.equal('Account');
        expect(getComputedStyle(part(el, 'base')!).borderTopLeftRadius).to.equal('0px');
        expect(getComputedStyle(part(el, 'subject')!).textTransform).to.equal('uppercase');
      } finally {
        style.remove();
      }
    });

    it("reverses the view tabs' arrow keys in a right-to-left page", async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<div dir="rtl"><portico-ticket-list></portico-ticket-list></div>`);
      const list = (el as HTMLElement).querySelector<PorticoTicketList>('portico-ticket-list')!;
      await rowsShown(list);
      tab(list, 'Account').focus();
      await sendKeys({ press: 'ArrowLeft' });
      await waitUntil(() => list.view === 'following', 'ArrowLeft should move to the next view in RTL');
    });
  });

  describe('views and filters', () => {
    it('switching view changes the request and fires portico-view-change', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      expect(seen.at(-1)?.get('view')).to.equal('account');
      expect(tab(el, 'Account').getAttribute('aria-selected')).to.equal('true');

      const event = nextEvent<CustomEvent<PorticoViewChangeDetail>>(el, 'portico-view-change');
      tab(el, 'My tickets').click();
      const { detail, bubbles, composed } = await event;
      expect(detail).to.deep.equal({ ...NO_FILTERS, view: 'mine' });
      expect(bubbles && composed).to.equal(true);
      await waitUntil(() => seen.at(-1)?.get('view') === 'mine', 'no request for the mine view');
      expect(el.view).to.equal('mine');
      expect(tab(el, 'My tickets').getAttribute('aria-selected')).to.equal('true');
      expect(tab(el, 'Account').getAttribute('aria-selected')).to.equal('false');
    });

    it('each view lists exactly what the API gives for it', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      for (const [view, name] of [
        ['following', 'Following'],
        ['unsolved', 'All unsolved'],
        ['mine', 'My tickets'],
        ['account', 'Account'],
      ] as const) {
        tab(el, name).click();
        const expected = (await apiTickets(api, 'ada@acme.example', { view })).map((t) => t.ref);
        expect(expected.length, view).to.be.greaterThan(0);
        await waitUntil(() => !part(el, 'loading') && JSON.stringify(rowRefs(el)) === JSON.stringify(expected), `${view} rows`);
        expect(el.view).to.equal(view);
      }
    });

    it('the "mine" view lists only what the contact requested', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list view="mine" page-size="100"></portico-ticket-list>`, {
        as: 'mia@acme.example',
      });
      await rowsShown(el);
      const expected = await apiTickets(api, 'mia@acme.example', { view: 'mine' });
      expect(expected.every((t) => t.requester.email === 'mia@acme.example')).to.equal(true);
      expect(rowRefs(el)).to.deep.equal(expected.map((t) => t.ref));
    });

    it('arrow keys move between view tabs and select them', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      tab(el, 'Account').focus();
      await sendKeys({ press: 'ArrowRight' });
      await waitUntil(() => el.view === 'following');
      expect(focused(el)?.querySelector('.label')?.textContent?.trim()).to.equal('Following');
      await sendKeys({ press: 'End' });
      await waitUntil(() => el.view === 'unsolved');
      await sendKeys({ press: 'ArrowRight' });
      await waitUntil(() => el.view === 'mine', 'wraps to the first view');
    });

    it('a host can cancel portico-view-change', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      el.addEventListener('portico-view-change', (event) => event.preventDefault(), { once: true });
      tab(el, 'Following').click();
      await el.updateComplete;
      expect(el.view).to.equal('account');
      expect(tab(el, 'Account').getAttribute('aria-selected')).to.equal('true');
    });

    it('a cancelled filter change leaves the box as it was', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list status="open"></portico-ticket-list>`);
      await rowsShown(el);
      const filters = part<HTMLDetailsElement>(el, 'filters')!;
      filters.querySelector('summary')!.click();
      const box = (label: string) => [...filters.querySelectorAll('label')].find((l) => l.textContent!.trim() === label)!.querySelector('input')!;
      el.addEventListener('portico-view-change', (event) => event.preventDefault());
      box('Pending').click();
      box('Open').click();
      await el.updateComplete;
      expect(box('Pending').checked, 'ticked, then refused by the host').to.equal(false);
      expect(box('Open').checked, 'unticked, then refused by the host').to.equal(true);
      expect(el.status).to.equal('open');
    });

    it('the status filter narrows the request and the rows', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const filters = part<HTMLDetailsElement>(el, 'filters')!;
      filters.querySelector('summary')!.click();
      expect(filters.open).to.equal(true);
      const open = [...filters.querySelectorAll('label')].find((l) => l.textContent!.trim() === 'Open')!.querySelector('input')!;

      const event = nextEvent<CustomEvent<PorticoViewChangeDetail>>(el, 'portico-view-change');
      open.click();
      expect((await event).detail).to.deep.equal({ ...NO_FILTERS, status: ['open'] });
      await waitUntil(() => seen.at(-1)?.get('status') === 'open', 'no request with status=open');
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="row"], [part~="empty"]') !== null && !part(el, 'loading'));
      const statuses = parts(el, 'status').map((s) => s.textContent!.trim());
      expect(statuses.length).to.be.greaterThan(0);
      expect(new Set(statuses)).to.deep.equal(new Set(['Open']));
      expect(el.status).to.equal('open');
      expect(filters.querySelector('summary')!.textContent).to.contain('(1)');
    });

    it('Escape closes the status filter and returns focus to its toggle', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      const filters = part<HTMLDetailsElement>(el, 'filters')!;
      filters.querySelector('summary')!.click();
      filters.querySelector('input')!.focus();
      await sendKeys({ press: 'Escape' });
      expect(filters.open).to.equal(false);
      expect(focused(el)).to.equal(filters.querySelector('summary'));
    });

    it('takes the status attribute as a comma list', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list status="solved,closed" page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const expected = await apiTickets(api, 'ada@acme.example', { status: ['solved', 'closed'] });
      expect(rowRefs(el)).to.deep.equal(expected.map((t) => t.ref));
      const boxes = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="status"]')];
      expect(boxes.filter((b) => b.checked).map((b) => b.value)).to.deep.equal(['solved', 'closed']);
    });

    it('warns once and falls back on invalid property values, never throws', async () => {
      const warnings: string[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
      try {
        const { worker } = await useMockApi();
        const seen = spyOnListRequests(worker);
        const { el } = await mountWithProvider<PorticoTicketList>(
          html`<portico-ticket-list view="everything" status="open,bogus" page-size="5000"></portico-ticket-list>`,
        );
        await rowsShown(el);
        expect(tab(el, 'Account').getAttribute('aria-selected')).to.equal('true');
        const query = seen.at(-1)!;
        expect(query.get('view')).to.equal('account');
        expect(query.get('status')).to.equal('open');
        expect(query.get('limit')).to.equal('25');
        expect(warnings.filter((w) => w.includes('"everything"'))).to.have.length(1);
        expect(warnings.filter((w) => w.includes('"bogus"'))).to.have.length(1);
        expect(warnings.filter((w) => w.includes('5000'))).to.have.length(1);
        el.setAttribute('view', 'everything');
        el.view = 'everything' as never;
        await el.updateComplete;
        expect(warnings.filter((w) => w.includes('"everything"'))).to.have.length(1);
      } finally {
        console.warn = original;
      }
    });
  });

  describe('counts, accounts, filters, search and sort', () => {
    it('shows the number of tickets of each view, as the API counts them', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'mia@acme.example' });
      await rowsShown(el);
      await waitUntil(() => part(el, 'count'), 'no counts');
      for (const [view, name] of [
        ['mine', 'My tickets'],
        ['account', 'Account'],
        ['following', 'Following'],
        ['unsolved', 'All unsolved'],
      ] as const) {
        const expected = await apiTickets(api, 'mia@acme.example', { view });
        expect(tab(el, name).querySelector('[part~="count"]')!.textContent!.trim(), name).to.equal(String(expected.length));
      }
    });

    it('shows a count that stopped at the server’s cap as a lower bound ("1,000+"), in the page’s language', async () => {
      const { api } = await useMockApi();
      const real = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
      // The API's answer when the Account view has more matches than the cap: the cap, and the view named.
      const capped = withListTickets(real, async (query, options) => {
        const page = await real.listTickets(query, options);
        return { ...page, counts: { ...page.counts!, account: 1000 }, countsCapped: ['account'] };
      });
      const { el, provider } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list .client=${capped}></portico-ticket-list>`);
      await rowsShown(el);
      await waitUntil(() => part(el, 'count'), 'no counts');
      const count = (name: string) => tab(el, name).querySelector('[part~="count"]')!.textContent!.trim();
      expect(count('Account')).to.equal('1,000+');
      expect(tab(el, 'Account').textContent!.replace(/\s+/g, ' ').trim(), 'the tab’s accessible name').to.equal('Account 1,000+');
      const mine = await apiTickets(api, 'mia@acme.example', { view: 'mine' });
      expect(count('My tickets'), 'an exact count has no "+"').to.equal(String(mine.length));
      try {
        provider.lang = 'de';
        await waitUntil(() => tab(el, 'Konto') && count('Konto') === '1.000+', 'no German "1.000+"', { timeout: 5000 });
        provider.lang = 'ar';
        await waitUntil(() => parts(el, 'count').some((c) => c.textContent!.trim() === `أكثر من ${(1000).toLocaleString('ar')}`), 'no Arabic count', {
          timeout: 5000,
        });
      } finally {
        // lit-localize's locale is global to the page: leave it English for the next test.
        provider.lang = 'en';
      }
    });

    it('offers the child-account picker to a parent account admin only, and filters by it', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const picker = (await waitForPart(el, 'account-picker')).querySelector('select')!;
      expect([...picker.options].map((o) => o.textContent!.trim())).to.deep.equal(['All accounts', 'Acme Corp', 'Acme EMEA', 'Acme Labs']);
      const event = nextEvent<CustomEvent<PorticoViewChangeDetail>>(el, 'portico-view-change');
      picker.value = 'acc_acme_emea';
      picker.dispatchEvent(new Event('change'));
      expect((await event).detail.account).to.equal('acc_acme_emea');
      await waitUntil(() => seen.at(-1)?.get('account') === 'acc_acme_emea', 'no request for the child account');
      const expected = await apiTickets(api, 'ada@acme.example', { account: 'acc_acme_emea' });
      await waitUntil(() => JSON.stringify(rowRefs(el)) === JSON.stringify(expected.map((t) => t.ref)), 'rows are not the child account tickets');
      expect(expected.every((t) => t.accountId === 'acc_acme_emea')).to.equal(true);

      const { el: mia } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'mia@acme.example' });
      await rowsShown(mia);
      expect(part(mia, 'account-picker'), 'a member reaches no child account').to.equal(null);
    });

    it('combines several statuses, priorities, categories and a requester', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="100"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const filters = part<HTMLDetailsElement>(el, 'filters')!;
      filters.querySelector('summary')!.click();
      const box = (name: string, value: string) => filters.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)!;
      box('status', 'open').click();
      box('status', 'pending').click();
      box('priority', 'urgent').click();
      box('priority', 'high').click();
      box('category', 'billing').click();
      await waitUntil(() => seen.at(-1)?.get('category') === 'billing');
      const last = seen.at(-1)!;
      expect([last.get('status'), last.get('priority')]).to.deep.equal(['open,pending', 'high,urgent']);
      const expected = await apiTickets(api, 'ada@acme.example', { status: ['open', 'pending'], priority: ['high', 'urgent'], category: ['billing'] });
      expect(expected.length).to.be.greaterThan(0);
      await waitUntil(() => JSON.stringify(rowRefs(el)) === JSON.stringify(expected.map((t) => t.ref)));
      expect(filters.querySelector('summary')!.textContent).to.contain('(5)');

      // The requester choices come from the tickets listed; pick Ben.
      const requester = filters.querySelector<HTMLSelectElement>('select[name="requester"]')!;
      const ben = [...requester.options].find((o) => o.textContent!.trim() === 'Ben Carter')!;
      requester.value = ben.value;
      requester.dispatchEvent(new Event('change'));
      await waitUntil(() => seen.at(-1)?.get('requester') === 'con_ben');
      await waitUntil(() => !part(el, 'loading'));
      expect(parts(el, 'meta').every((m) => m.textContent!.includes('Ben Carter'))).to.equal(true);

      [...filters.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Clear filters')!.click();
      await waitUntil(() => !seen.at(-1)?.has('status') && !seen.at(-1)?.has('requester'), 'filters were not cleared');
    });

    it('searches subject, description and comments on the server as the user types', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'ada@acme.example' });
      await rowsShown(el);
      const input = part(el, 'search')!.querySelector('input')!;
      input.focus();
      const event = nextEvent<CustomEvent<PorticoViewChangeDetail>>(el, 'portico-view-change');
      // "metadata" only appears in a comment of T-1001.
      await sendKeys({ type: 'metadat' });
      expect((await event).detail.q).to.equal('metadat');
      await waitUntil(() => seen.some((q) => q.has('q')), 'no search request');
      expect(
        seen.filter((q) => q.has('q')).map((q) => q.get('q')),
        'one request once typing pauses',
      ).to.deep.equal(['metadat']);
      await waitUntil(() => JSON.stringify(rowRefs(el)) === '["T-1001"]', 'the comment hit is not listed');
      expect(el.q).to.equal('metadat');

      input.select();
      await sendKeys({ type: 'zzqqxx' });
      await sendKeys({ press: 'Enter' });
      const empty = await waitForPart(el, 'empty');
      expect(empty.textContent).to.contain('No tickets match “zzqqxx”');
      await expect(el).to.be.accessible();
    });

    it('never shows a hidden ticket through search (Mia cannot find Jay’s private ticket by its comment)', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list q="async export queue"></portico-ticket-list>`, {
        as: 'mia@acme.example',
      });
      await waitForPart(el, 'empty');
      const { el: jay } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list q="async export queue"></portico-ticket-list>`, {
        as: 'jay@acme.example',
      });
      await rowsShown(jay);
      expect(rowRefs(jay)).to.deep.equal(['T-1002']);
    });

    it('sorts by SLA due (soonest running deadline first, none last) and shows each row’s SLA state', async () => {
      const { worker, api } = await useMockApi();
      const seen = spyOnListRequests(worker);
      // The SLA sweep keeps each ticket's stored deadline current (the server runs it on a timer).
      const sweep = await fetch('/api/v1/service/sla/sweep', { method: 'POST', headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` } });
      expect(sweep.status).to.equal(200);
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'mia@acme.example' });
      await rowsShown(el);
      const select = part(el, 'sort')!.querySelector('select')!;
      select.value = 'sla_due';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => seen.at(-1)?.get('sort') === 'sla_due');
      const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
      const page = await client.listTickets({ view: 'account', sort: 'sla_due' });
      const dues = page.items.map((t) => t.slaDueAt ?? null);
      const firstNone = dues.indexOf(null);
      expect(firstNone, 'some tickets have a running deadline').to.be.greaterThan(0);
      expect(dues.slice(0, firstNone), 'deadlines ascend').to.deep.equal([...dues.slice(0, firstNone)].sort());
      expect(
        dues.slice(firstNone).every((d) => d === null),
        'tickets without one come last',
      ).to.equal(true);
      await waitUntil(() => rowRefs(el).join() === page.items.map((t) => t.ref).join(), 'the rows follow the server’s SLA order');
      const sla = parts(el, 'row')[0]!.querySelector('[part~="sla"]')!;
      expect(sla.textContent!.trim()).to.match(/^SLA (breached|at risk, due .+|due .+)$/);
      expect(el.sort).to.equal('sla_due');
    });

    it('takes every filter as an attribute', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { el } = await mountWithProvider<PorticoTicketList>(
        html`<portico-ticket-list view="unsolved" priority="urgent,high" category="technical" q="sso" sort="priority" account="all"></portico-ticket-list>`,
        { as: 'ada@acme.example' },
      );
      await rowsShown(el);
      const q = seen.at(-1)!;
      expect(Object.fromEntries(q)).to.include({
        view: 'unsolved',
        priority: 'urgent,high',
        category: 'technical',
        q: 'sso',
        sort: 'priority',
        counts: 'true',
      });
      expect(q.has('account')).to.equal(false);
      expect(el.filters).to.deep.equal({ ...NO_FILTERS, view: 'unsolved', priority: ['urgent', 'high'], category: ['technical'], q: 'sso', sort: 'priority' });
    });
  });

  describe('saved views', () => {
    const savedSelect = (el: Element) => part(el, 'saved-views')!.querySelector('select');
    const button = (el: Element, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === name);

    it('saves the current filters as a personal view and applies it again', async () => {
      await useMockApi();
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list view="unsolved" priority="urgent"></portico-ticket-list>`, {
        as: 'mia@acme.example',
      });
      await rowsShown(el);
      button(el, 'Save view')!.click();
      const form = await waitForPart<HTMLFormElement>(el, 'save-form');
      expect(form.querySelector('input[name="shared"]'), 'only admins share').to.equal(null);
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => form.querySelector('[role="alert"]')!.textContent!.includes('Give the view a name'));
      form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Urgent, unsolved';
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => savedSelect(el) && [...savedSelect(el)!.options].some((o) => o.textContent === 'Urgent, unsolved'), 'the view is not offered');
      expect(part(el, 'save-form')).to.equal(null);
      // Escape closes the form without saving.
      button(el, 'Save view')!.click();
      await waitForPart(el, 'save-form');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !part(el, 'save-form'), 'Escape did not close the form');

      tab(el, 'Account').click();
      await waitUntil(() => el.view === 'account');
      el.priority = '';
      await el.updateComplete;
      const select = savedSelect(el)!;
      const option = [...select.options].find((o) => o.textContent === 'Urgent, unsolved')!;
      const change = nextEvent<CustomEvent<PorticoViewChangeDetail>>(el, 'portico-view-change');
      select.value = option.value;
      select.dispatchEvent(new Event('change'));
      expect((await change).detail).to.deep.equal({ ...NO_FILTERS, view: 'unsolved', priority: ['urgent'] });
      expect(el.view).to.equal('unsolved');

      await waitUntil(() => button(el, 'Delete “Urgent, unsolved”'), 'no delete for its owner');
      button(el, 'Delete “Urgent, unsolved”')!.click();
      await waitUntil(() => !savedSelect(el), 'the view was not deleted');
    });

    it('lets an admin share a view; colleagues use it but cannot delete it', async () => {
      await useMockApi();
      const { el: ada } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list category="billing"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(ada);
      button(ada, 'Save view')!.click();
      const form = await waitForPart<HTMLFormElement>(ada, 'save-form');
      form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Billing';
      form.querySelector<HTMLInputElement>('input[name="shared"]')!.click();
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => savedSelect(ada), 'the shared view is not offered');
      expect(savedSelect(ada)!.querySelector('optgroup')!.label).to.equal('Shared with the account');

      const { el: ben } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'ben@acme.example' });
      await rowsShown(ben);
      await waitUntil(() => savedSelect(ben), 'Ben does not get the shared view');
      const select = savedSelect(ben)!;
      select.value = [...select.options].find((o) => o.textContent === 'Billing')!.value;
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => ben.category === 'billing');
      await ben.updateComplete;
      expect(button(ben, 'Delete “Billing”'), 'a member cannot delete a shared view').to.equal(undefined);
      await expect(ben).to.be.accessible();
    });
  });

  describe('unread markers and sibling updates', () => {
    it('marks followed tickets changed since last seen, and clears the mark when opened', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list view="following"></portico-ticket-list>`, { as: 'ada@acme.example' });
      await rowsShown(el);
      const row = parts(el, 'row').find((r) => r.querySelector('[part~="ref"]')!.textContent === 'T-1001')!;
      expect(row.querySelector('[part~="unread"]')!.textContent!.trim()).to.equal('Unread:');
      row.click();
      await el.updateComplete;
      expect(row.querySelector('[part~="unread"]')).to.equal(null);
    });

    it('updates a row when a sibling announces portico-ticket-updated', async () => {
      const { provider, el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`, { as: 'mia@acme.example' });
      await rowsShown(el);
      const first = parts(el, 'row')[0]!;
      const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
      const ticket = await client.getTicket(first.dataset.id!);
      provider.dispatchEvent(new CustomEvent('portico-ticket-updated', { detail: { ticket: { ...ticket, status: 'solved' } }, bubbles: true, composed: true }));
      await el.updateComplete;
      expect(first.querySelector('[part~="status"]')!.textContent!.trim()).to.equal('Solved');
    });
  });

  describe('paging', () => {
    it('"Load more" appends the next page and disappears at the end', async () => {
      const { el, api } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="4"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      const all = await apiTickets(api, 'ada@acme.example');
      expect(all.length, 'the seed has more than two pages for an admin').to.be.greaterThan(8);
      expect(parts(el, 'row')).to.have.length(4);

      let pages = 1;
      while (part(el, 'load-more')) {
        const before = parts(el, 'row').length;
        part(el, 'load-more')!.click();
        await waitUntil(() => parts(el, 'row').length > before, 'the next page never came');
        pages++;
        expect(parts(el, 'row').length).to.equal(Math.min(all.length, pages * 4));
        await el.updateComplete;
      }
      expect(rowRefs(el)).to.deep.equal(all.map((t) => t.ref));
      expect(part(el, 'load-more')).to.equal(null);
    });

    it('a failed "Load more" keeps the rows and offers to try again', async () => {
      const { worker } = await useMockApi();
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list page-size="3"></portico-ticket-list>`, {
        as: 'ada@acme.example',
      });
      await rowsShown(el);
      worker.use(http.get('/api/v1/tickets', () => problem(500, 'internal', 'Try later.'), { once: true }));
      part(el, 'load-more')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('.more-error'), 'no load-more error');
      expect(parts(el, 'row')).to.have.length(3);
      expect(part(el, 'load-more')!.textContent!.trim()).to.equal('Try again');
      part(el, 'load-more')!.click();
      await waitUntil(() => parts(el, 'row').length === 6);
      expect(el.shadowRoot!.querySelector('.more-error')).to.equal(null);
    });
  });

  describe('selection and keyboard', () => {
    it('fires portico-ticket-select with the ticket on click', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      const row = parts(el, 'row')[1]!;
      const ref = row.querySelector('[part~="ref"]')!.textContent!.trim();
      const event = nextEvent<CustomEvent<PorticoTicketSelectDetail>>(el, 'portico-ticket-select');
      row.querySelector<HTMLElement>('[part~="subject"]')!.click();
      const { detail, bubbles, composed } = await event;
      expect(detail.ticket.ref).to.equal(ref);
      expect(detail.id).to.equal(detail.ticket.id);
      expect(bubbles && composed).to.equal(true);
      await el.updateComplete;
      expect(row.getAttribute('aria-selected')).to.equal('true');
    });

    it('fires portico-ticket-select on Enter', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      parts(el, 'row')[0]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      const ref = focused(el)!.querySelector('[part~="ref"]')!.textContent!.trim();
      const event = nextEvent<CustomEvent<PorticoTicketSelectDetail>>(el, 'portico-ticket-select');
      await sendKeys({ press: 'Enter' });
      expect((await event).detail.ticket.ref).to.equal(ref);
    });

    it('ArrowDown/ArrowUp/Home/End move focus along the rows with one tab stop', async () => {
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      const rows = parts(el, 'row');
      expect(rows.length).to.be.greaterThan(2);
      expect(rows.filter((r) => r.tabIndex === 0)).to.have.length(1);
      rows[0]!.focus();
      await sendKeys({ press: 'ArrowUp' });
      expect(focused(el)).to.equal(rows[0]);
      await sendKeys({ press: 'ArrowDown' });
      expect(focused(el)).to.equal(rows[1]);
      await sendKeys({ press: 'ArrowDown' });
      expect(focused(el)).to.equal(rows[2]);
      await sendKeys({ press: 'ArrowUp' });
      expect(focused(el)).to.equal(rows[1]);
      await sendKeys({ press: 'End' });
      expect(focused(el)).to.equal(rows.at(-1));
      await sendKeys({ press: 'ArrowDown' });
      expect(focused(el)).to.equal(rows.at(-1));
      await sendKeys({ press: 'Home' });
      expect(focused(el)).to.equal(rows[0]);
      await el.updateComplete;
      expect(parts(el, 'row').filter((r) => r.tabIndex === 0)).to.deep.equal([rows[0]]);
    });
  });

  describe('client and lifecycle', () => {
    /** Wraps the real client, recording each list call's AbortSignal. */
    function recordingClient(real: PorticoClient) {
      const signals: AbortSignal[] = [];
      const listTickets: PorticoClient['listTickets'] = (query, options) => {
        if (options?.signal) signals.push(options.signal);
        return real.listTickets(query, options);
      };
      return Object.assign(withListTickets(real, listTickets), { signals });
    }

    it('removing the element aborts its in-flight request', async () => {
      const { worker, api } = await useMockApi();
      worker.use(http.get('/api/v1/tickets', () => delay('infinite')));
      // The signal fetch itself gets: aborting it is what cancels the network request.
      const fetchSignals: AbortSignal[] = [];
      const spyFetch: typeof fetch = (input, init) => {
        const signal = input instanceof Request ? input.signal : init?.signal;
        const url = input instanceof Request ? input.url : String(input);
        // Only the list request: the element's live-events stream fetches too.
        if (signal && new URL(url, location.href).pathname === '/api/v1/tickets') fetchSignals.push(signal);
        return fetch(input, init);
      };
      const real = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example'), fetch: spyFetch });
      const client = recordingClient(real);
      const el = await fixture<PorticoTicketList>(html`<portico-ticket-list .client=${client}></portico-ticket-list>`);
      await waitUntil(() => client.signals.length === 1 && fetchSignals.length === 1, 'the request never started');
      expect(client.signals[0]!.aborted).to.equal(false);
      expect(fetchSignals[0]!.aborted).to.equal(false);
      el.remove();
      expect(client.signals[0]!.aborted, 'the task signal').to.equal(true);
      expect(fetchSignals[0]!.aborted, 'the fetch signal').to.equal(true);
    });

    it('reloads when put back in the page after an aborted load', async () => {
      const { api } = await useMockApi();
      const real = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
      const client = recordingClient(real);
      const el = await fixture<PorticoTicketList>(html`<portico-ticket-list .client=${client}></portico-ticket-list>`);
      const parent = el.parentElement!;
      el.remove();
      parent.append(el);
      await rowsShown(el);
      expect(client.signals.length).to.equal(2);
    });

    it('an explicit client wins over the provider', async () => {
      const calls: TicketListQuery[] = [];
      const fake = {
        listTickets: async (query: TicketListQuery) => {
          calls.push(query);
          return { items: [], nextCursor: null };
        },
      } as unknown as PorticoClient;
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list .client=${fake}></portico-ticket-list>`);
      await waitForPart(el, 'empty');
      expect(calls).to.have.length(1);
      expect(calls[0]!.view).to.equal('account');
    });

    it('a 401 that survives a token refresh shows "session expired" and the provider announces it', async () => {
      const { worker } = await useMockApi();
      const { provider, el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      worker.use(http.get('/api/v1/tickets', () => problem(401, 'unauthorized', 'Token revoked.')));
      const expired = nextEvent<CustomEvent>(provider, 'portico-session-expired');
      el.refresh();
      const error = await waitForPart(el, 'error');
      expect(error.textContent).to.contain('Your session has expired');
      expect((await expired).detail.error.status).to.equal(401);
      expect(provider.sessionState.status).to.equal('expired');
    });

    it('refetches when the provider refreshes the session', async () => {
      const { worker } = await useMockApi();
      const seen = spyOnListRequests(worker);
      const { provider, el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
      await rowsShown(el);
      await waitUntil(() => provider.sessionState.status === 'ready');
      const before = seen.length;
      await provider.refresh();
      await waitUntil(() => seen.length === before + 1, 'no refetch after refresh()');
      await rowsShown(el);
    });
  });

  describe('SLA', () => {
    const rowOf = (el: Element, ref: string) => parts(el, 'row').find((row) => row.querySelector('[part~="ref"]')!.textContent!.trim() === ref);
    const slaOf = (row: Element | undefined) => row?.querySelector<HTMLElement>('[part~="sla"]') ?? null;

    it('shows a ticket turning "at risk" at 75 % of its first-response target, without a reload', async () => {
      let now = Date.now();
      const { api } = await useMockApi({ now: () => new Date(now) });
      const res = await fetch('/api/v1/tickets', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await api.tokenFor('mia@acme.example')}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify({
          subject: 'Exports fail for every user',
          description: 'Since this morning.',
          category: 'technical',
          priority: 'urgent',
          businessImpact: 'No reports go out',
        }),
      });
      expect(res.status).to.equal(201);
      const created = (await res.json()) as Ticket;
      expect(created.sla!.firstResponse.state).to.equal('on_track');
      const { el } = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list view="mine"></portico-ticket-list>`);
      await waitUntil(() => rowOf(el, created.ref), 'the new ticket is not listed', { timeout: 5000 });
      expect(slaOf(rowOf(el, created.ref))!.dataset.state).to.equal('on_track');
      await liveStreamOpen();
      // Acme is premier: an urgent ticket's first response is due within 1 h of working time, around the clock.
      now += 46 * 60_000;
      await waitUntil(() => slaOf(rowOf(el, created.ref))?.dataset.state === 'at_risk', 'the row never turned at risk', { timeout: 5000 });
      expect(slaOf(rowOf(el, created.ref))!.textContent!.trim()).to.match(/^SLA at risk, due .+$/);
    });
  });
});

runDataElementSuite({
  tag: 'portico-ticket-list',
  template: () => html`<portico-ticket-list></portico-ticket-list>`,
  route: '/api/v1/tickets',
  loaded: 'row',
  empty: { items: [], nextCursor: null, counts: { mine: 0, account: 0, following: 0, unsolved: 0 } },
  live: async (el) => {
    const row = part(el, 'row')!;
    const status = () => row.querySelector<HTMLElement>('[part~="status"]')!.dataset.status;
    const next = status() === 'pending' ? 'open' : 'pending';
    await serviceCall('PATCH', `/tickets/${row.dataset.id}`, { status: next, agent: { name: 'Sam Patel' } });
    await waitUntil(() => status() === next, 'the row never showed the new status', { timeout: 5000 });
  },
});
