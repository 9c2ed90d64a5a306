import { expect, fixture, waitUntil } from '@open-wc/testing';
import { HttpClient, PROBLEM_CONTENT_TYPE, UNSOLVED_STATUSES, type Contact, type PorticoClient } from '@portico/core';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { HttpResponse, delay, http } from 'msw';
import { mountWithProvider, nextEvent, part, parts, startWorker, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-contacts.ts';
import '../define/portico-timeline.ts';
import type { PorticoContacts, PorticoContactDeactivatedDetail, PorticoContactInvitedDetail, PorticoContactUpdatedDetail } from './contacts.ts';
import { runDataElementSuite } from '../../../../test/browser/data-element-suite.ts';

type MockApi = Awaited<ReturnType<typeof useMockApi>>['api'];

const ADA = 'ada@acme.example';
const unsolved: readonly string[] = UNSOLVED_STATUSES;

const problem = (status: number, code: string, detail: string, fieldErrors?: Record<string, string[]>) =>
  HttpResponse.json(
    { type: 'about:blank', title: detail, status, code, detail, ...(fieldErrors ? { fieldErrors } : {}) },
    { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } },
  );

/** The names in the rows, in order. */
const nameOf = (r: Element) => r.querySelector('.name')!.textContent!.replace('(you)', '').trim();
const rowNames = (el: Element) => parts(el, 'row').map(nameOf);
const row = (el: Element, name: string) => parts(el, 'row').find((r) => nameOf(r) === name)!;
const rowsShown = (el: Element) => waitForPart(el, 'row', 'no contact rows appeared');
const shadow = <T extends Element = HTMLElement>(el: Element, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;

async function mountAs(email: string) {
  const mounted = await mountWithProvider<PorticoContacts>(html`<portico-contacts></portico-contacts>`, { as: email });
  await rowsShown(mounted.el);
  return mounted;
}

/** What the API answers for a contact (the oracle the element must match). */
async function apiContacts(api: MockApi, email: string, query: Parameters<PorticoClient['listContacts']>[0] = {}): Promise<Contact[]> {
  const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor(email) });
  return (await client.listContacts({ limit: 100, ...query })).items;
}

/** Picks an option of a select inside the element the way a user does (value + change). */
async function choose(el: PorticoContacts, select: HTMLSelectElement, value: string): Promise<void> {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function typeInto(el: PorticoContacts, input: HTMLInputElement, text: string): Promise<void> {
  input.focus();
  input.select();
  if (text) await sendKeys({ type: text });
  else await sendKeys({ press: 'Backspace' });
  await el.updateComplete;
}

/** Waits for `selector` inside `root` and returns it. */
async function find<T extends Element = HTMLElement>(root: ParentNode, selector: string, message: string): Promise<T> {
  await waitUntil(() => root.querySelector(selector), message, { timeout: 5000 });
  return root.querySelector<T & Element>(selector)!;
}

const roleSelect = (r: HTMLElement) => r.querySelector<HTMLSelectElement>('[part~="role"] select');
const action = (r: HTMLElement, name: string) => r.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);

describe('portico-contacts', () => {
  // The first test of a page pays for starting the service worker and loading axe-core; on a
  // busy machine that alone can exceed one test's timeout, so pay it once, here.
  before(async function () {
    (this as { timeout(ms: number): void }).timeout(60_000);
    await startWorker();
    await expect(await fixture(html`<p>warm-up</p>`)).to.be.accessible();
  });

  beforeEach(async () => {
    await useMockApi();
  });

  describe('states', () => {
    it('shows a busy loading state until the first page arrives', async () => {
      const { worker } = await useMockApi();
      worker.use(http.get('/api/v1/contacts', () => delay('infinite')));
      const { el } = await mountWithProvider<PorticoContacts>(html`<portico-contacts></portico-contacts>`, { as: ADA });
      const loading = await waitForPart(el, 'loading');
      expect(loading.getAttribute('aria-busy')).to.equal('true');
      expect(loading.textContent).to.contain('Loading contacts');
      await expect(el).to.be.accessible();
    });

    it('shows the error with the server’s message, and Retry loads again', async () => {
      const { worker } = await useMockApi();
      let fail = true;
      worker.use(http.get('/api/v1/contacts', () => (fail ? problem(503, 'internal', 'Contacts are unavailable right now.') : undefined)));
      const { el } = await mountWithProvider<PorticoContacts>(html`<portico-contacts></portico-contacts>`, { as: ADA });
      const error = await waitForPart(el, 'error');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('Couldn’t load contacts').and.contain('Contacts are unavailable right now.');
      fail = false;
      error.querySelector('button')!.click();
      await rowsShown(el);
    });

    it('shows an empty state with a hint when a search matches nobody', async () => {
      const { el } = await mountAs(ADA);
      await typeInto(el, shadow(el, '[part~="search"]'), 'zzz-nobody');
      const empty = await waitForPart(el, 'empty');
      expect(empty.textContent).to.contain('No contacts match').and.contain('clear the filters');
      await expect(el).to.be.accessible();
    });
  });

  describe('per role', () => {
    it('an admin sees every contact with status, last seen, open tickets and management controls', async () => {
      const { el, api } = await mountAs(ADA);
      const expected = await apiContacts(api, ADA);
      expect(rowNames(el)).to.deep.equal(expected.map((c) => c.name));
      expect(part(el, 'invite-button')).to.not.equal(null);
      expect(part(el, 'status-filter')).to.not.equal(null);
      const jay = row(el, 'Jay Morales');
      const jayData = expected.find((c) => c.name === 'Jay Morales')!;
      expect(roleSelect(jay)!.value).to.equal('requester');
      expect(jay.querySelector('[part~="status"]')!.textContent!.trim()).to.equal('Active');
      expect(jay.querySelector('.count')!.textContent!.trim()).to.equal(String(jayData.openTicketCount));
      expect(jay.querySelector('time')!.getAttribute('datetime')).to.equal(jayData.lastSeenAt);
      expect(action(jay, 'deactivate')).to.not.equal(null);
      const ivy = row(el, 'Ivy Brooks');
      expect(ivy.querySelector('[part~="status"]')!.textContent!.trim()).to.equal('Invited');
      expect(action(ivy, 'resend')).to.not.equal(null);
      expect(action(ivy, 'revoke')).to.not.equal(null);
      expect(action(row(el, 'Dan Reyes'), 'reactivate')).to.not.equal(null);
      // Ada cannot lock herself out from the UI either.
      const self = row(el, 'Ada Okafor');
      expect(self.textContent).to.contain('(you)');
      expect(roleSelect(self)!.disabled).to.equal(true);
      expect(action(self, 'deactivate')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    for (const email of ['mia@acme.example', 'ben@acme.example', 'jay@acme.example', 'val@acme.example']) {
      it(`${email.split('@')[0]} sees a read-only directory of active colleagues and no management control`, async () => {
        const { el, api } = await mountAs(email);
        const expected = (await apiContacts(api, ADA, { status: ['active'] })).map((c) => c.name);
        expect(rowNames(el)).to.deep.equal(expected);
        for (const name of ['invite-button', 'status-filter', 'actions', 'status', 'account']) expect(part(el, name), name).to.equal(null);
        expect(el.shadowRoot!.querySelectorAll('[part~="row"] select')).to.have.length(0);
        expect(el.shadowRoot!.querySelectorAll('[part~="row"] button')).to.have.length(0);
        const headers = [...el.shadowRoot!.querySelectorAll('th')].map((th) => th.textContent!.replace(/[▲▼]/g, '').trim());
        expect(headers).to.deep.equal(['Name', 'Role']);
        expect(row(el, 'Jay Morales').querySelector('[part~="role"]')!.textContent!.trim()).to.equal('Requester');
        expect(el.shadowRoot!.textContent).to.not.contain('Ivy Brooks').and.not.contain('Dan Reyes');
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('search, filters and sort', () => {
    it('searches after a pause, filters by role and status', async () => {
      const { el, worker } = await mountAs(ADA);
      const seen: URLSearchParams[] = [];
      worker.use(
        http.get('/api/v1/contacts', ({ request }) => {
          seen.push(new URL(request.url).searchParams);
          return undefined;
        }),
      );
      await typeInto(el, shadow(el, '[part~="search"]'), 'ja');
      await waitUntil(() => rowNames(el).join() === 'Jay Morales', 'search never applied', { timeout: 3000 });
      expect(seen.length, 'one request for the whole typed word').to.equal(1);
      expect(seen[0]!.get('q')).to.equal('ja');
      await typeInto(el, shadow(el, '[part~="search"]'), '');
      await choose(el, shadow(el, '[part~="role-filter"]'), 'member');
      await waitUntil(() => rowNames(el).join() === 'Dan Reyes,Ivy Brooks,Mia Chen', 'role filter', { timeout: 3000 });
      await choose(el, shadow(el, '[part~="status-filter"]'), 'invited');
      await waitUntil(() => rowNames(el).join() === 'Ivy Brooks', 'status filter', { timeout: 3000 });
    });

    it('sorts by a column header with the keyboard and says so with aria-sort', async () => {
      const { el, api } = await mountAs(ADA);
      const nameHeader = el.shadowRoot!.querySelector('th[aria-sort]')!;
      expect(nameHeader.getAttribute('aria-sort')).to.equal('ascending');
      const openButton = shadow(el, 'button[data-sort="open_tickets"]');
      openButton.focus();
      await sendKeys({ press: 'Enter' });
      const want = (await apiContacts(api, ADA, { sort: 'open_tickets', dir: 'desc' })).map((c) => c.name);
      await waitUntil(() => rowNames(el).join() === want.join(), 'not sorted by open tickets');
      expect(openButton.closest('th')!.getAttribute('aria-sort')).to.equal('descending');
      expect(nameHeader.getAttribute('aria-sort')).to.equal('none');
      await sendKeys({ press: 'Space' });
      await waitUntil(() => openButton.closest('th')!.getAttribute('aria-sort') === 'ascending');
    });
  });

  describe('inviting', () => {
    async function openInvite(el: PorticoContacts) {
      part(el, 'invite-button')!.click();
      // The form's code loads on first use.
      const form = await waitForPart<HTMLFormElement>(el, 'invite-form');
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'invite-email', 'the email field was not focused');
      expect(el.shadowRoot!.activeElement?.id).to.equal('invite-email');
      return {
        form,
        email: form.querySelector<HTMLInputElement>('#invite-email')!,
        role: form.querySelector<HTMLSelectElement>('#invite-role')!,
        submit: form.querySelector<HTMLButtonElement>('[type="submit"]')!,
      };
    }

    it('shows field errors for a missing or malformed email, focused and described, and sends nothing', async () => {
      const { el, worker } = await mountAs(ADA);
      let posts = 0;
      worker.use(http.post('/api/v1/contacts', () => void posts++));
      const { email, submit } = await openInvite(el);
      submit.click();
      await el.updateComplete;
      expect(email.getAttribute('aria-invalid')).to.equal('true');
      expect(shadow(el, `#${email.getAttribute('aria-describedby')}`).textContent).to.contain('Enter an email address');
      expect(el.shadowRoot!.activeElement).to.equal(email);
      await typeInto(el, email, 'kim@acme');
      email.blur();
      await el.updateComplete;
      expect(shadow(el, '#email-error').textContent).to.contain('valid email address');
      await expect(el).to.be.accessible();
      expect(posts).to.equal(0);
      // Escape closes the form and returns focus to the button that opened it.
      email.focus();
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(part(el, 'invite-form')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'invite-button'));
    });

    it('maps a 422 from the server onto the fields', async () => {
      const { el, worker } = await mountAs(ADA);
      worker.use(
        http.post('/api/v1/contacts', () =>
          problem(422, 'validation_failed', 'Some fields are invalid.', { role: ['Choose a role: admin, member'], name: ['Too long'] }),
        ),
      );
      const { email, submit } = await openInvite(el);
      await typeInto(el, email, 'kim@acme.example');
      submit.click();
      await find(el.shadowRoot!, '#role-error', 'role error not shown');
      expect(shadow(el, '#role-error').textContent).to.contain('Choose a role');
      expect(shadow(el, '#name-error').textContent).to.contain('Too long');
      expect(el.shadowRoot!.activeElement?.id).to.equal('invite-name');
      expect(email.value, 'what was typed stays').to.equal('kim@acme.example');
    });

    it('invites with the least-privilege role by default and announces it', async () => {
      const { el, api } = await mountAs(ADA);
      const { email, role, submit } = await openInvite(el);
      expect(role.value).to.equal('requester');
      expect(shadow(el, '#invite-role-hint').textContent).to.contain('Least privilege');
      await typeInto(el, email, 'kim@acme.example');
      const invited = nextEvent<CustomEvent<PorticoContactInvitedDetail>>(el, 'portico-contact-invited');
      submit.click();
      const { detail } = await invited;
      expect(detail.contact).to.include({ email: 'kim@acme.example', role: 'requester', status: 'invited' });
      await waitUntil(() => rowNames(el).includes('kim'), 'the invited contact is not listed');
      expect(row(el, 'kim').querySelector('[part~="status"]')!.textContent!.trim()).to.equal('Invited');
      expect(part(el, 'notice')!.textContent).to.contain('Invitation sent to kim@acme.example');
      expect(part(el, 'invite-form')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'invite-button'));
      const outbox = await (
        await api.app.request('/v1/service/outbox', { headers: { Authorization: 'Bearer portico-demo-service-key-do-not-use-in-production' } })
      ).json();
      expect(outbox.items.map((e: { type: string }) => e.type)).to.deep.equal(['contact.invited']);
    });

    it('asks for an explicit confirmation before inviting an address outside the company domains', async () => {
      const { el, api } = await mountAs(ADA);
      const { form, email, role, submit } = await openInvite(el);
      await typeInto(el, email, 'sam@freelance.example');
      await choose(el, role, 'member');
      const confirm = form.querySelector<HTMLInputElement>('[name="confirmExternal"]')!;
      expect(confirm, 'confirmation checkbox').to.not.equal(null);
      expect(form.textContent).to.contain('freelance.example is outside your company');
      submit.click();
      await el.updateComplete;
      expect(shadow(el, '#email-error').textContent).to.contain('confirm');
      expect(api.store && (await apiContacts(api, ADA, { q: 'freelance' }))).to.have.length(0);
      confirm.click();
      const invited = nextEvent<CustomEvent<PorticoContactInvitedDetail>>(el, 'portico-contact-invited');
      submit.click();
      expect((await invited).detail.contact).to.include({ email: 'sam@freelance.example', role: 'member' });
      // An address of the company needs no confirmation.
      const again = await openInvite(el);
      await typeInto(el, again.email, 'lee@acme.example');
      expect(again.form.querySelector('[name="confirmExternal"]')).to.equal(null);
    });

    it('keeps what was typed through a network failure, and the retry invites exactly once', async () => {
      const { el, worker, api } = await mountAs(ADA);
      let drop = true;
      const keys: (string | null)[] = [];
      worker.use(
        http.post('/api/v1/contacts', ({ request }) => {
          keys.push(request.headers.get('Idempotency-Key'));
          if (drop) {
            drop = false;
            return HttpResponse.error();
          }
          return undefined;
        }),
      );
      const { email, submit } = await openInvite(el);
      await typeInto(el, email, 'kim@acme.example');
      submit.click();
      const failure = await find(el.shadowRoot!, '#invite [role="alert"]', 'no failure shown');
      expect(failure.textContent).to.contain('Could not reach the server');
      expect(email.value).to.equal('kim@acme.example');
      const invited = nextEvent(el, 'portico-contact-invited');
      submit.click();
      await invited;
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(keys[1]);
      expect((await apiContacts(api, ADA, { q: 'kim@' })).length).to.equal(1);
    });

    it('a non-admin calling the API directly is refused, whatever the UI shows', async () => {
      const { api } = await mountAs('mia@acme.example');
      const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
      const refused = await client.inviteContact({ email: 'kim@acme.example' }).catch((e) => e);
      expect(refused.status).to.equal(403);
      const demote = await client.updateContact('con_ada', { role: 'viewer' }).catch((e) => e);
      expect(demote.status).to.equal(403);
    });
  });

  describe('roles', () => {
    it('changes a role, updates the row and tells the host', async () => {
      const { el } = await mountAs(ADA);
      const updated = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      await choose(el, roleSelect(row(el, 'Mia Chen'))!, 'admin');
      const { detail } = await updated;
      expect(detail).to.deep.include({ change: 'role', previousRole: 'member' });
      expect(detail.contact.role).to.equal('admin');
      expect(detail.contact.version).to.equal(2);
      expect(part(el, 'notice')!.textContent).to.contain('Mia Chen is now Admin');
    });

    it('on 412 reloads the row, says what happened, and keeps the other admin’s change', async () => {
      const { el, api } = await mountAs(ADA);
      // Another admin sets Jay to billing after Ada loaded the list.
      const other = await api.store.changeContact({
        contactId: 'con_jay',
        role: 'billing',
        actor: { kind: 'contact', id: 'con_x', name: 'Other Admin' },
        now: new Date().toISOString(),
      });
      expect(other.ok).to.equal(true);
      const select = roleSelect(row(el, 'Jay Morales'))!;
      expect(select.value, 'still the loaded role').to.equal('requester');
      await choose(el, select, 'viewer');
      const message = await waitForPart(el, 'row-message');
      expect(message.getAttribute('role')).to.equal('alert');
      expect(message.textContent).to.contain('Someone else changed Jay Morales').and.contain('role is now Billing').and.contain('Viewer was not saved');
      expect(roleSelect(row(el, 'Jay Morales'))!.value).to.equal('billing');
      expect((await api.store.getContact('con_jay'))!.role).to.equal('billing');
      // Choosing again against the reloaded version works.
      const updated = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      await choose(el, roleSelect(row(el, 'Jay Morales'))!, 'viewer');
      expect((await updated).detail.contact.role).to.equal('viewer');
      expect(part(el, 'row-message')).to.equal(null);
    });

    it('explains the last-admin guard in a child account and keeps the role', async () => {
      const { el } = await mountAs(ADA);
      const account = part<HTMLSelectElement>(el, 'account')!;
      expect([...account.options].map((o) => o.textContent)).to.deep.equal(['Acme Corp', 'Acme EMEA', 'Acme Labs']);
      await choose(el, account, 'acc_acme_emea');
      await waitUntil(() => rowNames(el).join() === 'Emil Berg,Noor Haddad', 'child account not shown');
      await choose(el, roleSelect(row(el, 'Emil Berg'))!, 'member');
      const message = await waitForPart(el, 'row-message');
      expect(message.textContent).to.contain("Emil Berg is the account's only active admin");
      await waitUntil(() => roleSelect(row(el, 'Emil Berg'))!.value === 'admin', 'the select did not return to admin');
    });

    it('shows a vendor-defined role by its name, to admins in the select and to colleagues as text, and lets an admin change it', async () => {
      const { api } = await useMockApi();
      const rules = {
        seesAll: false,
        seesOwn: true,
        seesShared: ['billing'] as const,
        create: true,
        comment: true,
        manageContacts: false,
        childAccounts: false,
      };
      await api.store.putRole({
        name: 'finance',
        description: 'Finance team',
        rules: { ...rules, seesShared: [...rules.seesShared] },
        now: new Date().toISOString(),
      });
      const provisioned = await api.store.provision({
        accounts: [],
        contacts: [{ accountId: 'acc_acme', email: 'jay@acme.example', role: 'finance' }],
        actor: { kind: 'system', id: 'service', name: 'Provisioning' },
        now: new Date().toISOString(),
      });
      expect(provisioned.ok).to.equal(true);
      const { el } = await mountAs(ADA);
      const select = roleSelect(row(el, 'Jay Morales'))!;
      expect(select.value).to.equal('finance');
      expect(select.selectedOptions[0]!.textContent).to.equal('finance');
      expect([...select.options].map((o) => o.value)).to.deep.equal(['admin', 'member', 'billing', 'requester', 'viewer', 'finance']);
      await expect(el).to.be.accessible();
      const updated = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      await choose(el, select, 'member');
      const { detail } = await updated;
      expect(detail).to.deep.include({ change: 'role', previousRole: 'finance' });
      expect(part(el, 'notice')!.textContent).to.contain('Jay Morales is now Member');

      await api.store.provision({
        accounts: [],
        contacts: [{ accountId: 'acc_acme', email: 'jay@acme.example', role: 'finance' }],
        actor: { kind: 'system', id: 'service', name: 'Provisioning' },
        now: new Date().toISOString(),
      });
      const directory = await mountAs('mia@acme.example');
      expect(row(directory.el, 'Jay Morales').querySelector('[part~="role"]')!.textContent!.trim()).to.equal('finance');
    });
  });

  describe('deactivation and invitations', () => {
    it('deactivates Jay and hands his open tickets to Mia; his next request fails', async () => {
      const { el, api } = await mountAs(ADA);
      const jayToken = await api.tokenFor('jay@acme.example');
      const open = api.seed.tickets.filter((t) => t.requester.id === 'con_jay' && unsolved.includes(t.status));
      action(row(el, 'Jay Morales'), 'deactivate')!.click();
      const dialog = await waitForPart<HTMLDialogElement>(el, 'dialog');
      await waitUntil(() => dialog.open && dialog.querySelector('select[name="to"]:not([disabled])'), 'colleagues never loaded');
      expect(dialog.textContent).to.contain('Deactivate Jay Morales?').and.contain(`requested ${open.length} open tickets`);
      const to = dialog.querySelector<HTMLSelectElement>('select[name="to"]')!;
      expect([...to.options].map((o) => o.textContent)).to.not.include.members(['Jay Morales · Requester']);
      await expect(el).to.be.accessible();
      dialog.querySelector<HTMLInputElement>('input[value="transfer"]')!.click();
      await choose(el, to, 'con_mia');
      const deactivated = nextEvent<CustomEvent<PorticoContactDeactivatedDetail>>(el, 'portico-contact-deactivated');
      dialog.querySelector<HTMLButtonElement>('[type="submit"]')!.click();
      const { detail } = await deactivated;
      expect(detail.contact.status).to.equal('deactivated');
      expect(detail.transferred.map((t) => t.id).sort()).to.deep.equal(open.map((t) => t.id).sort());
      expect(detail.transferredTo?.name).to.equal('Mia Chen');
      expect(dialog.open).to.equal(false);
      await waitUntil(() => el.shadowRoot!.activeElement?.closest('[part~="row"]')?.getAttribute('data-id') === 'con_jay', 'focus left Jay’s row');
      expect(part(el, 'notice')!.textContent).to.contain(`Jay Morales was deactivated. ${open.length} open tickets now belong to Mia Chen`);
      await waitUntil(() => row(el, 'Jay Morales')?.querySelector('[part~="status"]')!.textContent!.trim() === 'Deactivated', 'Jay not shown deactivated', {
        timeout: 3000,
      });
      const res = await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${jayToken}` } });
      expect(res.status).to.equal(401);
      for (const t of open) expect((await api.store.getTicket(t.id))!.requester.id).to.equal('con_mia');
    });

    it('can leave the tickets where they are; Escape cancels without a change', async () => {
      const { el, api } = await mountAs(ADA);
      action(row(el, 'Ben Carter'), 'deactivate')!.click();
      const dialog = await waitForPart<HTMLDialogElement>(el, 'dialog');
      await waitUntil(() => dialog.open);
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !dialog.open, 'Escape did not close the dialog');
      expect((await api.store.getContact('con_ben'))!.status).to.equal('active');
      action(row(el, 'Ben Carter'), 'deactivate')!.click();
      await waitUntil(() => dialog.open && dialog.querySelector('select[name="to"]:not([disabled])'));
      const deactivated = nextEvent<CustomEvent<PorticoContactDeactivatedDetail>>(el, 'portico-contact-deactivated');
      dialog.querySelector<HTMLButtonElement>('[type="submit"]')!.click();
      expect((await deactivated).detail.transferred).to.deep.equal([]);
      expect((await api.store.getTicket('tkt_1003'))!.requester.id).to.equal('con_ben');
    });

    it('shows the server’s refusal inside the dialog', async () => {
      const { el, worker } = await mountAs(ADA);
      worker.use(http.delete('/api/v1/contacts/:id', () => problem(409, 'last_admin', 'Val Novak is the account’s only active admin.')));
      action(row(el, 'Val Novak'), 'deactivate')!.click();
      const dialog = await waitForPart<HTMLDialogElement>(el, 'dialog');
      await waitUntil(() => dialog.open);
      dialog.querySelector<HTMLButtonElement>('[type="submit"]')!.click();
      const alert = await find(dialog, '[role="alert"]', 'no error in the dialog');
      expect(alert.textContent).to.contain('only active admin');
      expect(dialog.open).to.equal(true);
    });

    it('resends and revokes invitations', async () => {
      const { el, api } = await mountAs(ADA);
      const resent = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      action(row(el, 'Ivy Brooks'), 'resend')!.click();
      expect((await resent).detail.change).to.equal('invitation-resent');
      expect(part(el, 'notice')!.textContent).to.contain('Invitation sent again to ivy@acme.example');
      const revoked = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      action(row(el, 'Ivy Brooks'), 'revoke')!.click();
      expect((await revoked).detail.change).to.equal('invitation-revoked');
      await waitUntil(() => !rowNames(el).includes('Ivy Brooks'));
      expect(await api.store.getContact('con_ivy')).to.equal(undefined);
      // Focus moves on to the row that took Ivy's place, not into the void.
      await waitUntil(() => el.shadowRoot!.activeElement?.closest('[part~="row"]')?.getAttribute('data-id') === 'con_jay', 'focus was lost');
    });

    it('reactivates a leaver', async () => {
      const { el } = await mountAs(ADA);
      const reactivated = nextEvent<CustomEvent<PorticoContactUpdatedDetail>>(el, 'portico-contact-updated');
      action(row(el, 'Dan Reyes'), 'reactivate')!.click();
      expect((await reactivated).detail.contact.status).to.equal('active');
      await waitUntil(() => action(row(el, 'Dan Reyes'), 'deactivate'), 'no Deactivate button after reactivation');
    });
  });

  describe('activity', () => {
    it('every change is a readable entry (actor, target, before → after) in the account timeline', async () => {
      const { el, api } = await mountAs(ADA);
      await choose(el, roleSelect(row(el, 'Mia Chen'))!, 'admin');
      await waitUntil(() => part(el, 'notice')!.textContent!.includes('Mia Chen is now Admin'));
      action(row(el, 'Ivy Brooks'), 'resend')!.click();
      await waitUntil(() => part(el, 'notice')!.textContent!.includes('Invitation sent again'));
      const jayOpen = api.seed.tickets.find((t) => t.requester.id === 'con_jay' && unsolved.includes(t.status))!;
      await api.store.changeContact({
        contactId: 'con_jay',
        status: 'deactivated',
        transferTo: 'con_mia',
        actor: { kind: 'contact', id: 'con_ada', name: 'Ada Okafor' },
        now: new Date().toISOString(),
      });
      const { el: timeline } = await mountWithProvider<HTMLElement>(html`<portico-timeline page-size="50"></portico-timeline>`, { as: ADA });
      await waitForPart(timeline, 'entry');
      const entries = parts(timeline, 'entry').map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
      const has = (re: RegExp) =>
        expect(
          entries.some((t) => re.test(t)),
          `${re} in\n${entries.join('\n')}`,
        ).to.equal(true);
      has(/Ada Okafor changed the role of Mia Chen from Member to Admin/);
      has(/Ada Okafor resent the invitation to Ivy Brooks/);
      has(/Ada Okafor deactivated Jay Morales/);
      has(new RegExp(`Ada Okafor handed ${jayOpen.ref} from Jay Morales to Mia Chen`));
    });
  });

  describe('lifecycle', () => {
    it('removing the element aborts its in-flight request', async () => {
      const { worker, api } = await useMockApi();
      worker.use(http.get('/api/v1/contacts', () => delay('infinite')));
      const signals: AbortSignal[] = [];
      const spyFetch: typeof fetch = (input, init) => {
        const signal = input instanceof Request ? input.signal : init?.signal;
        if (signal) signals.push(signal);
        return fetch(input, init);
      };
      const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor(ADA), fetch: spyFetch });
      const el = await fixture<PorticoContacts>(html`<portico-contacts .client=${client}></portico-contacts>`);
      await waitUntil(() => signals.length === 1, 'the request never started');
      expect(signals[0]!.aborted).to.equal(false);
      el.remove();
      expect(signals[0]!.aborted).to.equal(true);
    });

    it('an explicit client wins over the provider; without a session it shows the directory columns', async () => {
      const calls: unknown[] = [];
      const fake = {
        listContacts: async (query: unknown) => {
          calls.push(query);
          return {
            items: [
              {
                id: 'c1',
                accountId: 'a',
                email: 'x@y.z',
                name: 'Xena',
                role: 'member',
                status: 'active',
                createdAt: new Date().toISOString(),
                lastSeenAt: null,
              },
            ],
            nextCursor: null,
          };
        },
      } as unknown as PorticoClient;
      const el = await fixture<PorticoContacts>(html`<portico-contacts .client=${fake}></portico-contacts>`);
      await rowsShown(el);
      expect(calls).to.have.length(1);
      expect(rowNames(el)).to.deep.equal(['Xena']);
      expect(part(el, 'invite-button')).to.equal(null);
    });

    it('pages with Load more', async () => {
      const { el, api } = await mountWithProvider<PorticoContacts>(html`<portico-contacts page-size="3"></portico-contacts>`, { as: ADA });
      await rowsShown(el);
      expect(parts(el, 'row')).to.have.length(3);
      part(el, 'load-more')!.click();
      await waitUntil(() => parts(el, 'row').length === 6);
      part(el, 'load-more')!.click();
      await waitUntil(() => parts(el, 'row').length === 7);
      expect(part(el, 'load-more')).to.equal(null);
      expect(rowNames(el)).to.deep.equal((await apiContacts(api, ADA)).map((c) => c.name));
    });
  });
});

runDataElementSuite({
  tag: 'portico-contacts',
  template: () => html`<portico-contacts></portico-contacts>`,
  route: '/api/v1/contacts',
  loaded: 'row',
  empty: { items: [], nextCursor: null },
});
