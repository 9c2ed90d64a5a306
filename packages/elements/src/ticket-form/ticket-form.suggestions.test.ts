import { expect, waitUntil } from '@open-wc/testing';
import { http } from 'msw';
import { nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import {
  allowSeconds,
  clearDrafts,
  control,
  duplicateRefs,
  mountForm,
  problem,
  storedDrafts,
  ticketsWithSubject,
  type,
} from '../../../../test/browser/ticket-form-fixtures.ts';
import type { PorticoTicketFollowedDetail } from './ticket-form.ts';

/** The seeded Okta SSO report by Ben: the colleague's duplicate of the demo. */
const BENS_SSO = 'Okta SSO: sales team cannot log in since this morning';

describe('portico-ticket-form suggestions', () => {
  beforeEach(async () => {
    clearDrafts();
    await useMockApi();
  });

  describe('possible duplicates', () => {
    it("shows Mia her own and a colleague's open SSO tickets while she types, best match first", async () => {
      const { el, api } = await mountForm('mia@acme.example');
      await type(el, 'subject', 'SSO login fails');
      const refs = await duplicateRefs(el);
      const bens = api.seed.tickets.find((t) => t.subject === BENS_SSO)!;
      expect(refs[0]).to.equal('T-1001');
      expect(refs).to.include(bens.ref);
      const rows = parts(el, 'duplicate');
      const own = rows.find((r) => r.dataset.ticket === 'tkt_1001')!;
      expect(own.textContent).to.contain('You reported this');
      expect(own.querySelector('[part~="follow"]')).to.equal(null, 'no "Follow instead" on one’s own ticket');
      const colleague = rows.find((r) => r.dataset.ticket === bens.id)!;
      expect(colleague.textContent).to.contain('Reported by Ben Carter');
      expect(colleague.querySelector('[part~="follow"]')!.textContent!.trim()).to.equal('Follow instead');
      expect(el.shadowRoot!.textContent).to.contain('2 similar tickets found');
    });

    it('searches only once the typing pauses, and not for fewer than 3 characters', async () => {
      const { el, worker } = await mountForm();
      const queries: string[] = [];
      worker.use(
        http.get('/api/v1/tickets/similar', ({ request }) => {
          queries.push(new URL(request.url).searchParams.get('q')!);
          return undefined;
        }),
      );
      await type(el, 'subject', 'SS');
      await type(el, 'subject', 'SSO');
      await type(el, 'subject', 'SSO lo');
      await type(el, 'subject', 'SSO login fails');
      await duplicateRefs(el);
      expect(queries).to.deep.equal(['SSO login fails']);
    });

    it("never suggests a ticket the user may not see — a colleague's private one or another company's", async () => {
      const { el, api } = await mountForm('mia@acme.example');
      // Jay's private ticket matches the words exactly; an admin would see it, Mia must not.
      const jays = api.seed.tickets.find((t) => t.subject.startsWith('CSV export of the revenue dashboard'))!;
      expect(jays.visibility).to.equal('private');
      await type(el, 'subject', 'CSV export of the revenue dashboard times out');
      // Other visible tickets mention dashboards: once they show, the answer is complete.
      const shown = await duplicateRefs(el);
      expect(shown.length).to.be.greaterThan(0);
      expect(parts(el, 'duplicate').map((d) => d.dataset.ticket)).not.to.include(jays.id);
      // Globex's SAML ticket matches these words best, yet Acme never sees it; T-1001 (IdP) shows
      // once this second answer has arrived.
      await type(el, 'subject', 'SAML assertions rejected clock skew IdP');
      await waitUntil(() => parts(el, 'duplicate').some((d) => d.dataset.ticket === 'tkt_1001'), 'the second search never answered', { timeout: 5000 });
      const globex = new Set(api.seed.tickets.filter((t) => t.accountId === 'acc_globex').map((t) => t.id));
      expect(api.seed.tickets.find((t) => t.subject.startsWith('SAML assertions rejected'))!.accountId).to.equal('acc_globex');
      expect(parts(el, 'duplicate').filter((d) => globex.has(d.dataset.ticket!))).to.deep.equal([]);
    });

    it("shows the admin the colleague's private ticket the member could not see", async () => {
      const { el, api } = await mountForm('ada@acme.example');
      const jays = api.seed.tickets.find((t) => t.subject.startsWith('CSV export of the revenue dashboard'))!;
      await type(el, 'subject', 'CSV export of the revenue dashboard times out');
      const refs = await duplicateRefs(el);
      expect(refs[0]).to.equal(jays.ref);
    });

    it('"Follow instead" follows the ticket, ends the flow without a new ticket and clears the draft', async function () {
      allowSeconds(this, 30);
      const { el, api } = await mountForm('mia@acme.example');
      const bens = api.seed.tickets.find((t) => t.subject === BENS_SSO)!;
      await type(el, 'subject', 'SSO login fails');
      await type(el, 'description', 'Nobody can log in.');
      await duplicateRefs(el);
      el.saveDraft();
      expect(Object.keys(storedDrafts())).to.have.length(1);
      const followed = nextEvent<CustomEvent<PorticoTicketFollowedDetail>>(el, 'portico-ticket-followed');
      parts(el, 'duplicate')
        .find((r) => r.dataset.ticket === bens.id)!
        .querySelector<HTMLButtonElement>('[part~="follow"]')!
        .click();
      const event = await followed;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail.ticket.id).to.equal(bens.id);
      expect(event.detail.ticket.followerIds).to.include('con_mia');
      expect((await api.store.getTicket(bens.id))!.followerIds).to.include('con_mia');
      const done = await waitForPart(el, 'followed');
      expect(done.textContent).to.contain(`You now follow ${bens.ref}`);
      expect(done.textContent).to.contain('No new ticket was filed');
      expect(part(el, 'form')).to.equal(null);
      expect(await ticketsWithSubject(api, 'SSO login fails')).to.have.length(0);
      expect(storedDrafts()).to.deep.equal({}, 'the draft is gone once the server confirmed');
      await expect(el).to.be.accessible();
    });

    it('keeps the form and says so when following fails', async () => {
      const { el, api, worker } = await mountForm('mia@acme.example');
      const bens = api.seed.tickets.find((t) => t.subject === BENS_SSO)!;
      worker.use(http.put(`/api/v1/tickets/${bens.id}/followers/me`, () => problem(500, 'internal', 'Something went wrong on our side.')));
      await type(el, 'subject', 'SSO login fails');
      await duplicateRefs(el);
      parts(el, 'duplicate')
        .find((r) => r.dataset.ticket === bens.id)!
        .querySelector<HTMLButtonElement>('[part~="follow"]')!
        .click();
      await waitUntil(() => part(el, 'duplicates')!.querySelector('[role="alert"]'), 'no error shown');
      expect(part(el, 'duplicates')!.querySelector('[role="alert"]')!.textContent).to.contain(`Couldn't follow ${bens.ref}`);
      expect(control(el, 'subject').value).to.equal('SSO login fails');
      expect(part(el, 'followed')).to.equal(null);
    });
  });

  describe('knowledge-base suggestions', () => {
    it('suggests up to 3 articles, opens one in place, and "This answered my question" records a deflection', async () => {
      const { el, api } = await mountForm('mia@acme.example');
      await type(el, 'subject', 'SSO login fails');
      await waitUntil(() => parts(el, 'article').length > 0, 'no articles suggested', { timeout: 5000 });
      const articles = parts(el, 'article');
      expect(articles.length).to.be.within(1, 3);
      expect(articles[0]!.dataset.article).to.equal('art_sso_certificate_rotation');
      const toggle = articles[0]!.querySelector<HTMLButtonElement>('button')!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      toggle.click();
      await el.updateComplete;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      const body = articles[0]!.querySelector<HTMLElement>('[part~="article-body"]')!;
      expect(body.hidden).to.equal(false);
      expect(body.textContent).to.contain('Upload metadata');
      const before = await api.store.countDeflections(['acc_acme']);
      body.querySelector<HTMLButtonElement>('[part~="deflect"]')!.click();
      await waitUntil(async () => (await api.store.countDeflections(['acc_acme'])) === before + 1, 'no deflection recorded');
      await waitUntil(() => body.textContent!.includes('Glad it helped'));
      // The draft stays, and the same article is not counted twice.
      expect(control(el, 'subject').value).to.equal('SSO login fails');
      el.remove();
      await new Promise((r) => setTimeout(r, 100));
      expect(await api.store.countDeflections(['acc_acme'])).to.equal(before + 1);
    });

    it('counts a deflection when the user opens an article and leaves without filing', async () => {
      const { el, api } = await mountForm('mia@acme.example');
      await type(el, 'subject', 'Charts missing in report emails');
      await waitUntil(() => parts(el, 'article').length > 0, 'no articles suggested', { timeout: 5000 });
      const before = await api.store.countDeflections(['acc_acme']);
      parts(el, 'article')[0]!.querySelector<HTMLButtonElement>('button')!.click();
      await el.updateComplete;
      el.remove();
      await waitUntil(async () => (await api.store.countDeflections(['acc_acme'])) === before + 1, 'leaving after reading did not count');
    });

    it('does not count a deflection when the user files the ticket after reading', async () => {
      const { el, api } = await mountForm('mia@acme.example');
      await type(el, 'subject', 'Charts missing in report emails');
      await waitUntil(() => parts(el, 'article').length > 0, 'no articles suggested', { timeout: 5000 });
      const before = await api.store.countDeflections(['acc_acme']);
      parts(el, 'article')[0]!.querySelector<HTMLButtonElement>('button')!.click();
      await type(el, 'description', 'The article did not help: images are allowed already.');
      const select = control<HTMLSelectElement>(el, 'category');
      select.value = 'technical';
      select.dispatchEvent(new Event('change'));
      const created = nextEvent(el, 'portico-ticket-created');
      part<HTMLButtonElement>(el, 'submit')!.click();
      await created;
      el.remove();
      await new Promise((r) => setTimeout(r, 200));
      expect(await api.store.countDeflections(['acc_acme'])).to.equal(before);
    });
  });
});
