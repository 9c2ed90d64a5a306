import { expect, waitUntil } from '@open-wc/testing';
import { ArticleSchema, HttpClient } from '@portico/core';
import { sendKeys } from '@web/test-runner-commands';
import { delay, http } from 'msw';
import { runDataElementSuite, serviceCall } from '../../../../test/browser/data-element-suite.ts';
import { announced, mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import { html } from 'lit';
import {
  choose,
  clearDrafts,
  control,
  errorOf,
  fillValid,
  leave,
  mountForm,
  problem,
  submit,
  ticketsWithSubject,
  type,
  allowSeconds,
} from '../../../../test/browser/ticket-form-fixtures.ts';
import type { PorticoTicketCreatedDetail, PorticoTicketForm, PorticoTicketSubmitDetail } from './ticket-form.ts';

describe('portico-ticket-form', () => {
  beforeEach(async () => {
    clearDrafts();
    await useMockApi();
  });

  it('validates without generating code (zod jitless), so a strict CSP without unsafe-eval holds', () => {
    // zod's JIT compiles an object parser with `new Function` on its first parse; count those.
    const original = globalThis.Function;
    let compiled = 0;
    globalThis.Function = new Proxy(original, {
      construct(target, args) {
        compiled++;
        return Reflect.construct(target, args);
      },
    });
    try {
      const at = '2026-01-01T00:00:00Z';
      const article = {
        id: 'a',
        title: 't',
        summary: 's',
        body: 'b',
        category: 'billing',
        locale: 'en',
        audience: 'all',
        status: 'published',
        publishedAt: at,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      const result = ArticleSchema.safeParse(article);
      expect(result.success).to.equal(true);
    } finally {
      globalThis.Function = original;
    }
    expect(compiled).to.equal(0);
  });

  describe('fields', () => {
    it('labels every field and defaults visibility to the account setting and priority to normal', async function () {
      allowSeconds(this, 30);
      const { el } = await mountForm('mia@acme.example');
      for (const [id, label] of [
        ['subject', 'Subject'],
        ['description', 'Description'],
        ['category', 'Category'],
        ['priority', 'Priority'],
        ['cc-input', 'CC colleagues'],
      ]) {
        const labelEl = el.shadowRoot!.querySelector(`label[for="${id}"]`);
        expect(labelEl?.textContent?.trim(), id).to.equal(label);
      }
      expect(control<HTMLSelectElement>(el, 'priority').value).to.equal('normal');
      // Acme Corp shares new tickets with the account by default; Globex keeps them private.
      expect(control(el, 'vis-account').checked).to.equal(true);
      expect(el.shadowRoot!.querySelector('label[for="impact"]')).to.equal(null, 'no business impact unless urgent');
      expect(control(el, 'behalf-input')).to.equal(null, 'only admins file on behalf of colleagues');
      await expect(el).to.be.accessible();
    });

    it('defaults to private where the account says so (Globex)', async () => {
      const { el } = await mountForm('pia@globex.example');
      expect(control(el, 'vis-private').checked).to.equal(true);
      expect(el.shadowRoot!.textContent).to.contain('Everyone at Globex');
    });

    it('asks for a one-line business impact once the priority is urgent', async () => {
      const { el } = await mountForm();
      await choose(el, 'priority', 'urgent');
      await waitUntil(() => control(el, 'impact'), 'no business impact field');
      const impact = control(el, 'impact');
      expect(el.shadowRoot!.querySelector('label[for="impact"]')!.textContent).to.contain('Business impact');
      expect(impact.getAttribute('aria-describedby')).to.contain('impact-error');
      await choose(el, 'priority', 'high');
      expect(control(el, 'impact')).to.equal(null);
    });

    it('shows admins an "On behalf of" field', async () => {
      const { el } = await mountForm('ada@acme.example');
      expect(el.shadowRoot!.querySelector('label[for="behalf-input"]')!.textContent).to.contain('On behalf of');
    });

    it('says it is loading until the session is known, then shows the form', async () => {
      const { worker } = await useMockApi();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.get('/api/v1/me', async () => {
          await gate;
          return undefined;
        }),
      );
      const { el } = await mountWithProvider<PorticoTicketForm>(html`<portico-ticket-form></portico-ticket-form>`);
      const loading = await waitForPart(el, 'loading');
      expect(loading.textContent).to.contain('Loading');
      expect(announced(el), 'announced through the live region').to.contain('Loading');
      expect(part(el, 'form')).to.equal(null);
      release();
      await waitUntil(() => control(el, 'subject'), 'the form never appeared');
    });

    it('tells a viewer that their role cannot file tickets, instead of a form', async function () {
      allowSeconds(this, 30);
      const { el } = await mountForm('val@acme.example');
      expect(part(el, 'form')).to.equal(null);
      expect(part(el, 'notice')!.textContent).to.contain('can read tickets but not file them');
      await expect(el).to.be.accessible();
    });
  });

  describe('validation', () => {
    it('shows no error before a field is left, then the schema’s message next to it, announced', async function () {
      allowSeconds(this, 30);
      const { el } = await mountForm();
      await type(el, 'subject', 'ab');
      expect(errorOf(el, 'subject')).to.equal('');
      await leave(el, 'subject');
      expect(errorOf(el, 'subject')).to.equal('Subject needs at least 3 characters');
      const input = control(el, 'subject');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')).to.contain('subject-error');
      expect(announced(el), 'announced through the live region').to.equal('Subject needs at least 3 characters');
      expect(errorOf(el, 'description'), 'untouched fields stay quiet').to.equal('');
      await type(el, 'subject', 'abc');
      expect(errorOf(el, 'subject')).to.equal('');
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      await expect(el).to.be.accessible();
    });

    it('words its checks in the provider’s language', async () => {
      const { el, provider } = await mountForm();
      try {
        provider.lang = 'de';
        await waitUntil(() => control(el, 'subject')?.closest('.field')?.textContent?.includes('Betreff'), 'the form never turned German', { timeout: 5000 });
        await choose(el, 'priority', 'urgent');
        await submit(el);
        await waitUntil(() => errorOf(el, 'subject') !== '', 'no error shown');
        expect(errorOf(el, 'subject')).to.equal('Der Betreff braucht mindestens 3 Zeichen');
        expect(errorOf(el, 'category')).to.equal('Wählen Sie eine Kategorie');
        expect(errorOf(el, 'impact')).to.equal('Beschreiben Sie in einer Zeile, was ein dringendes Problem geschäftlich verhindert');
      } finally {
        // The locale is global to the page: leave it English for the next test.
        provider.lang = 'en';
        await waitUntil(() => control(el, 'subject')?.closest('.field')?.textContent?.includes('Subject'), 'the form never went back to English', {
          timeout: 5000,
        });
      }
    });

    it('on submit shows every error, focuses the first invalid field and sends nothing', async () => {
      const { el, worker } = await mountForm();
      let posts = 0;
      worker.use(
        http.post('/api/v1/tickets', () => {
          posts++;
          return undefined;
        }),
      );
      await choose(el, 'priority', 'urgent');
      await submit(el);
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'subject', 'focus never moved to the subject');
      expect(errorOf(el, 'subject')).to.equal('Subject needs at least 3 characters');
      expect(errorOf(el, 'description')).to.equal('Description is required');
      expect(errorOf(el, 'category')).to.equal('Choose a category');
      expect(errorOf(el, 'impact')).to.equal('Describe the business impact of an urgent issue in one line');
      expect(posts).to.equal(0);
      await type(el, 'subject', 'A proper subject');
      await submit(el);
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'description', 'focus goes to the next invalid field');
    });

    it("maps a 422's fieldErrors onto the fields and focuses the first", async () => {
      const { el, worker } = await mountForm();
      worker.use(
        http.post('/api/v1/tickets', () =>
          problem(422, 'validation_failed', 'Some fields are invalid.', {
            category: ['Billing questions go to the billing team'],
            description: ['Please add the error message'],
          }),
        ),
      );
      await fillValid(el);
      await submit(el);
      await waitUntil(() => errorOf(el, 'description') === 'Please add the error message', 'the server’s message never showed');
      expect(errorOf(el, 'category')).to.equal('Billing questions go to the billing team');
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'description');
      expect(control(el, 'description').getAttribute('aria-invalid')).to.equal('true');
      // Editing the field clears the server's complaint about it.
      await type(el, 'description', 'Error: E_EXPORT_DISABLED');
      expect(errorOf(el, 'description')).to.equal('');
      expect(errorOf(el, 'category')).to.equal('Billing questions go to the billing team');
    });
  });

  describe('submit', () => {
    it('fires a cancelable portico-ticket-submit, then creates the ticket and fires portico-ticket-created', async function () {
      allowSeconds(this, 30);
      const { el, api } = await mountForm('jay@acme.example');
      await fillValid(el, 'Jay’s new private ticket');
      control(el, 'vis-private').click();
      await choose(el, 'priority', 'urgent');
      await type(el, 'impact', 'Nobody can export month-end numbers');
      const submitted = nextEvent<CustomEvent<PorticoTicketSubmitDetail>>(el, 'portico-ticket-submit');
      const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
      await submit(el);
      const s = await submitted;
      expect(s.cancelable).to.equal(true);
      expect(s.bubbles && s.composed).to.equal(true);
      expect(s.detail.input).to.deep.include({
        subject: 'Jay’s new private ticket',
        category: 'technical',
        priority: 'urgent',
        visibility: 'private',
        businessImpact: 'Nobody can export month-end numbers',
      });
      const { detail } = await created;
      expect(detail.ticket.subject).to.equal('Jay’s new private ticket');
      expect(detail.ticket.visibility).to.equal('private');
      expect(detail.ticket.businessImpact).to.equal('Nobody can export month-end numbers');
      expect(detail.ticket.requester.email).to.equal('jay@acme.example');
      const success = await waitForPart(el, 'success');
      expect(success.textContent).to.contain(`Ticket ${detail.ticket.ref} created`);
      expect(success.textContent).not.to.contain('Sending');
      expect(await ticketsWithSubject(api, 'Jay’s new private ticket')).to.have.length(1);
      await expect(el).to.be.accessible();
      // "File another ticket" starts from an empty form.
      success.querySelector('button')!.click();
      await waitUntil(() => control(el, 'subject'));
      expect(control(el, 'subject').value).to.equal('');
    });

    it('sends nothing when the host cancels portico-ticket-submit, and keeps everything', async () => {
      const { el, api } = await mountForm();
      el.addEventListener('portico-ticket-submit', (e) => e.preventDefault(), { once: true });
      await fillValid(el, 'Cancelled by the host');
      await submit(el);
      await el.updateComplete;
      expect(await ticketsWithSubject(api, 'Cancelled by the host')).to.have.length(0);
      expect(control(el, 'subject').value).to.equal('Cancelled by the host');
      expect(part(el, 'success')).to.equal(null);
    });

    it('submits from the keyboard (Enter in the subject)', async () => {
      const { el, api } = await mountForm();
      await fillValid(el, 'Keyboard only');
      control(el, 'subject').focus();
      const created = nextEvent(el, 'portico-ticket-created');
      await sendKeys({ press: 'Enter' });
      await created;
      expect(await ticketsWithSubject(api, 'Keyboard only')).to.have.length(1);
    });

    it('shows a non-retryable server error with its message', async () => {
      const { el, worker } = await mountForm();
      worker.use(http.post('/api/v1/tickets', () => problem(403, 'forbidden', 'Your role cannot create tickets.')));
      await fillValid(el);
      await submit(el);
      const error = await waitForPart(el, 'error');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('Your role cannot create tickets.');
      expect(part(el, 'retry')).to.equal(null);
      expect(control(el, 'subject').value).to.equal('Export button missing on dashboards');
    });
  });

  it('removing the form aborts its in-flight searches', async () => {
    const { el, api, worker } = await mountForm();
    worker.use(
      http.get('/api/v1/tickets/similar', () => delay('infinite')),
      http.get('/api/v1/articles', () => delay('infinite')),
    );
    // The signals fetch itself gets: aborting them is what cancels the network requests.
    const signals: AbortSignal[] = [];
    const spyFetch: typeof fetch = (input, init) => {
      const signal = input instanceof Request ? input.signal : init?.signal;
      if (signal) signals.push(signal);
      return fetch(input, init);
    };
    el.client = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example'), fetch: spyFetch });
    await type(el, 'subject', 'SSO login fails');
    await waitUntil(() => signals.length === 2, 'the searches never started', { timeout: 3000 });
    expect(signals.every((s) => !s.aborted)).to.equal(true);
    el.remove();
    expect(signals.every((s) => s.aborted)).to.equal(true);
  });

  it('is accessible with suggestions and errors on screen', async function () {
    // axe over the whole form takes a few seconds on a busy machine.
    allowSeconds(this, 30);
    const { el } = await mountForm();
    await type(el, 'subject', 'SSO login fails');
    await waitUntil(() => parts(el, 'duplicate').length && parts(el, 'article').length, 'suggestions never showed', { timeout: 5000 });
    await submit(el);
    await waitUntil(() => errorOf(el, 'description'));
    await expect(el).to.be.accessible();
  });
});

// The form's first-load data is the session: the provider's (`GET /v1/me`), or its own with an
// explicit `client` and no provider. Two cases of the suite do not apply: `empty` (a session is
// never empty; a role that cannot file gets its own notice, tested above) and `live` (the form
// shows nothing that changes under it: it opens no event stream, and its suggestions are looked
// up while the subject is typed).
runDataElementSuite({
  tag: 'portico-ticket-form',
  template: () => html`<portico-ticket-form></portico-ticket-form>`,
  route: '/api/v1/me',
  loaded: 'form',
  sessionChange: {
    // Mia becomes an admin of Acme: the reloaded session lets her file on behalf of colleagues.
    change: () => serviceCall('PUT', '/accounts/acc_acme/contacts/mia@acme.example', { role: 'admin' }),
    shows: (el) => waitUntil(() => control(el, 'behalf-input'), 'the form never offered "On behalf of" to the new admin', { timeout: 5000 }),
  },
});
