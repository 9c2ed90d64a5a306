import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import { nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import {
  allowSeconds,
  choose,
  clearDrafts,
  control,
  fillValid,
  mountForm,
  storedDrafts,
  submit,
  ticketsWithSubject,
  type,
  spyOnContacts,
  type MockApi,
} from '../../../../test/browser/ticket-form-fixtures.ts';
import type { PorticoTicketCreatedDetail } from './ticket-form.ts';

const MIA_KEY = 'portico:ticket-draft:v1:acc_acme:con_mia';

/** Lets the next `POST /v1/tickets` reach the server (so the ticket is created) but loses its answer, as a dropped connection does. */
function loseNextCreateResponse(worker: Awaited<ReturnType<typeof useMockApi>>['worker'], api: MockApi): string[] {
  const keys: string[] = [];
  let lost = false;
  worker.use(
    http.post('/api/v1/tickets', async ({ request }) => {
      keys.push(request.headers.get('Idempotency-Key') ?? '');
      if (lost) return undefined;
      lost = true;
      await api.app.request('/v1/tickets', { method: 'POST', headers: request.headers, body: await request.text() });
      return HttpResponse.error();
    }),
  );
  return keys;
}

/** Hides the page for a moment, as switching tabs or locking the phone does. */
function hidePage(): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  try {
    document.dispatchEvent(new Event('visibilitychange'));
  } finally {
    delete (document as { visibilityState?: unknown }).visibilityState;
  }
}

describe('portico-ticket-form drafts and failures', () => {
  beforeEach(async () => {
    clearDrafts();
    await useMockApi();
  });

  describe('drafts', () => {
    it('saves while typing, per account and contact, and at once when the page is hidden', async () => {
      const { el } = await mountForm('mia@acme.example');
      await type(el, 'subject', 'Half a thought');
      expect(storedDrafts()).to.deep.equal({}, 'saving waits for a pause in typing');
      await waitUntil(() => storedDrafts()[MIA_KEY], 'never saved while typing', { timeout: 3000 });
      expect(storedDrafts()[MIA_KEY].subject).to.equal('Half a thought');
      expect(part(el, 'draft-status')!.textContent).to.contain('Draft saved on this device');
      // A keystroke right before the tab is hidden is not lost to the debounce.
      await type(el, 'subject', 'Half a thought, finished');
      hidePage();
      expect(storedDrafts()[MIA_KEY].subject).to.equal('Half a thought, finished');
    });

    it('restores everything after the form is mounted again (a reload: drafts live only in localStorage)', async function () {
      allowSeconds(this, 30);
      const first = await mountForm('mia@acme.example');
      spyOnContacts(first.worker);
      await type(first.el, 'subject', 'Restore me');
      await type(first.el, 'description', 'Every field should come back.');
      await choose(first.el, 'category', 'billing');
      await choose(first.el, 'priority', 'urgent');
      await type(first.el, 'impact', 'Invoices cannot be sent');
      control(first.el, 'vis-private').click();
      // CC Jay through the colleague picker.
      await type(first.el, 'cc-input', 'jay');
      await waitUntil(() => first.el.shadowRoot!.querySelector('#cc-listbox [role="option"]')?.textContent?.includes('Jay Morales'), 'Jay was not offered');
      first.el.shadowRoot!.querySelector<HTMLElement>('#cc-listbox [role="option"]')!.click();
      await first.el.updateComplete;
      // And attach a file.
      const input = control(first.el, 'files');
      const dt = new DataTransfer();
      dt.items.add(new File(['2026-03-02 ERROR export failed'], 'export.log', { type: '' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change'));
      await waitUntil(() => parts(first.el, 'attachment')[0]?.dataset.status === 'done', 'the file never uploaded');
      const saved = storedDrafts()[MIA_KEY];
      expect(saved.cc.map((p: { name: string }) => p.name)).to.deep.equal(['Jay Morales']);
      expect(saved.attachments.map((a: { name: string }) => a.name)).to.deep.equal(['export.log']);
      const key = saved.key;
      first.provider.remove();

      // A new page: fresh mock API client and provider; only localStorage remains.
      const { el } = await mountForm('mia@acme.example');
      expect(control(el, 'subject').value).to.equal('Restore me');
      expect(control<HTMLTextAreaElement>(el, 'description').value).to.equal('Every field should come back.');
      expect(control<HTMLSelectElement>(el, 'category').value).to.equal('billing');
      expect(control<HTMLSelectElement>(el, 'priority').value).to.equal('urgent');
      expect(control(el, 'impact').value).to.equal('Invoices cannot be sent');
      expect(control(el, 'vis-private').checked).to.equal(true);
      expect(parts(el, 'chip').map((c) => c.textContent!.replace('×', '').trim())).to.deep.equal(['Jay Morales']);
      expect(parts(el, 'attachment').map((a) => a.querySelector('.file-name')!.textContent)).to.deep.equal(['export.log']);
      expect(part(el, 'draft-status')!.textContent).to.contain('Draft restored from this device');
      expect(storedDrafts()[MIA_KEY].key).to.equal(key, 'the same idempotency key survives the reload');
    });

    it("keeps drafts apart per contact: Jay never sees Mia's", async () => {
      const mia = await mountForm('mia@acme.example');
      await type(mia.el, 'subject', 'Mia’s private draft');
      mia.el.saveDraft();
      mia.provider.remove();
      const { el } = await mountForm('jay@acme.example');
      expect(control(el, 'subject').value).to.equal('');
      expect(Object.keys(storedDrafts())).to.deep.equal([MIA_KEY]);
    });

    it('"Discard draft" empties the form and the stored draft', async () => {
      const { el } = await mountForm();
      await type(el, 'subject', 'Never mind');
      el.saveDraft();
      await el.updateComplete;
      part<HTMLButtonElement>(el, 'discard')!.click();
      await el.updateComplete;
      expect(control(el, 'subject').value).to.equal('');
      expect(storedDrafts()).to.deep.equal({});
      expect(el.shadowRoot!.activeElement?.id).to.equal('subject');
    });
  });

  describe('network failure', () => {
    it('keeps everything, says so, and a retry with the same key yields exactly one ticket', async () => {
      const { el, api, worker } = await mountForm('jay@acme.example');
      const keys = loseNextCreateResponse(worker, api);
      await fillValid(el, 'Lost in the network');
      await submit(el);
      const error = await waitForPart(el, 'error');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain("Couldn't reach the server.");
      expect(error.textContent).to.contain('Nothing is lost');
      expect(control(el, 'subject').value).to.equal('Lost in the network');
      expect(await ticketsWithSubject(api, 'Lost in the network'), 'the server did create it').to.have.length(1);
      const draft = Object.values(storedDrafts())[0];
      expect(draft.subject, 'the draft is kept until the server confirms').to.equal('Lost in the network');

      const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
      part<HTMLButtonElement>(el, 'retry')!.click();
      const { detail } = await created;
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(draft.key);
      expect(keys[1]).to.equal(keys[0], 'the retry reuses the key');
      const stored = await ticketsWithSubject(api, 'Lost in the network');
      expect(stored.map((t) => t.id)).to.deep.equal([detail.ticket.id], 'exactly one ticket');
      expect(storedDrafts()).to.deep.equal({}, 'cleared once the server confirmed');
      await waitForPart(el, 'success');
    });

    it('a retry after a reload still creates only one ticket', async function () {
      allowSeconds(this, 30);
      const first = await mountForm('jay@acme.example');
      loseNextCreateResponse(first.worker, first.api);
      await fillValid(first.el, 'Reload after the drop');
      await submit(first.el);
      await waitForPart(first.el, 'error');
      const api = first.api;
      first.provider.remove();
      // Same backend (same store), new page.
      const provider = await fixture(
        html`<portico-provider api-base="/api" .getToken=${() => api.tokenFor('jay@acme.example')}
          ><portico-ticket-form></portico-ticket-form
        ></portico-provider>`,
      );
      const el = provider.firstElementChild as HTMLElement & { updateComplete: Promise<unknown> };
      await waitUntil(() => control(el, 'subject')?.value === 'Reload after the drop', 'the draft did not come back');
      const created = nextEvent(el, 'portico-ticket-created');
      part<HTMLButtonElement>(el, 'submit')!.click();
      await created;
      expect(await ticketsWithSubject(api, 'Reload after the drop')).to.have.length(1);
    });

    it('when the lost attempt was edited afterwards, finds the ticket it created instead of failing or duplicating', async () => {
      const { el, api, worker } = await mountForm('jay@acme.example');
      loseNextCreateResponse(worker, api);
      await fillValid(el, 'First wording');
      await submit(el);
      await waitForPart(el, 'error');
      await type(el, 'subject', 'Second wording');
      const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
      await submit(el);
      const { detail } = await created;
      expect(detail.ticket.subject).to.equal('First wording');
      expect(await ticketsWithSubject(api, 'First wording')).to.have.length(1);
      expect(await ticketsWithSubject(api, 'Second wording')).to.have.length(0);
      const success = await waitForPart(el, 'success');
      expect(success.textContent).to.contain('earlier attempt had already created this ticket');
    });

    it('offers retry when the request never reached the server, and then creates one ticket', async () => {
      const { el, api, worker } = await mountForm('jay@acme.example');
      let failures = 1;
      worker.use(http.post('/api/v1/tickets', () => (failures-- > 0 ? HttpResponse.error() : undefined)));
      await fillValid(el, 'Offline first');
      await submit(el);
      await waitForPart(el, 'retry');
      expect(await ticketsWithSubject(api, 'Offline first')).to.have.length(0);
      part<HTMLButtonElement>(el, 'retry')!.click();
      await waitForPart(el, 'success');
      expect(await ticketsWithSubject(api, 'Offline first')).to.have.length(1);
    });
  });
});
