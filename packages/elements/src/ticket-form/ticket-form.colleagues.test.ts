import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { announced, nextEvent, parts, useMockApi } from '../../../../test/browser/fixtures.ts';
import { http } from 'msw';
import {
  allowSeconds,
  clearDrafts,
  control,
  focusControl,
  errorOf,
  fillValid,
  mountForm,
  problem,
  submit,
  type,
  spyOnContacts,
} from '../../../../test/browser/ticket-form-fixtures.ts';
import type { PorticoTicketCreatedDetail } from './ticket-form.ts';

const options = (el: Element, id: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`#${id}-listbox [role="option"]`)];
const optionNames = (el: Element, id: string) => options(el, id).map((o) => o.querySelector('.option-name')!.textContent);
const chips = (el: Element) => parts(el, 'chip').map((c) => c.querySelector('span')!.textContent);

describe('portico-ticket-form colleagues', () => {
  beforeEach(async () => {
    clearDrafts();
    await useMockApi();
  });

  it('CC: offers active colleagues (not oneself), narrows as one types, picks with the keyboard', async function () {
    allowSeconds(this, 20);
    const { el, worker } = await mountForm('mia@acme.example');
    const requests = spyOnContacts(worker);
    const input = control(el, 'cc-input');
    focusControl(input);
    await waitUntil(() => options(el, 'cc').length > 0, 'no colleagues offered on focus');
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    expect(requests[0]!.get('status')).to.equal('active');
    const offered = optionNames(el, 'cc');
    expect(offered).to.include('Jay Morales');
    expect(offered).not.to.include('Mia Chen', 'not oneself');
    expect(offered).not.to.include('Dan Reyes', 'not deactivated colleagues');

    await type(el, 'cc-input', 'ja');
    expect(optionNames(el, 'cc'), 'narrowed at once, before the search answers').to.deep.equal(['Jay Morales']);
    await waitUntil(() => requests.some((r) => r.get('q') === 'ja'), 'never searched for the text');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['Jay Morales']);
    expect(input.value).to.equal('');

    // Arrow keys move the active option; Escape closes the list.
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => options(el, 'cc').length > 0);
    expect(optionNames(el, 'cc')).not.to.include('Jay Morales', 'already chosen');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const active = input.getAttribute('aria-activedescendant')!;
    expect(el.shadowRoot!.getElementById(active)!.getAttribute('aria-selected')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('false');

    // Removing a chip.
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="chip"] button')!.click();
    await el.updateComplete;
    expect(chips(el)).to.deep.equal([]);
  });

  it('CC colleagues become followers of the created ticket', async () => {
    const { el, worker } = await mountForm('jay@acme.example');
    spyOnContacts(worker);
    await fillValid(el, 'CC Mia please');
    await type(el, 'cc-input', 'mia');
    await waitUntil(() => optionNames(el, 'cc').includes('Mia Chen'));
    options(el, 'cc')
      .find((o) => o.textContent!.includes('Mia Chen'))!
      .click();
    const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
    await submit(el);
    const { detail } = await created;
    expect(detail.ticket.followerIds).to.deep.equal(['con_mia']);
  });

  it("maps the server's refusal of a CC onto the CC field and focuses it", async () => {
    const { el, worker } = await mountForm('jay@acme.example');
    spyOnContacts(worker);
    await fillValid(el);
    // Val is active but a viewer: the server refuses viewers as followers.
    await type(el, 'cc-input', 'val');
    await waitUntil(() => optionNames(el, 'cc').includes('Val Novak'));
    options(el, 'cc')
      .find((o) => o.textContent!.includes('Val Novak'))!
      .click();
    await submit(el);
    await waitUntil(() => errorOf(el, 'cc').includes('cannot follow tickets'), 'no CC error shown');
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'cc-input');
    expect(control(el, 'cc-input').getAttribute('aria-invalid')).to.equal('true');
  });

  it('says so when the colleague directory cannot be loaded', async () => {
    const { el, worker } = await mountForm('mia@acme.example');
    worker.use(http.get('/api/v1/contacts', () => problem(503, 'internal', 'Down for maintenance')));
    focusControl(control(el, 'cc-input'));
    await waitUntil(() => announced(el).includes("Couldn't load colleagues"), 'the failure was never announced');
  });

  it('On behalf of: an admin files for a colleague, who becomes the requester', async () => {
    const { el, worker } = await mountForm('ada@acme.example');
    spyOnContacts(worker);
    await fillValid(el, 'Filed by Ada for Jay');
    await type(el, 'behalf-input', 'jay');
    await waitUntil(() => optionNames(el, 'behalf').includes('Jay Morales'));
    options(el, 'behalf')
      .find((o) => o.textContent!.includes('Jay Morales'))!
      .click();
    await el.updateComplete;
    expect(control(el, 'behalf-input')).to.equal(null, 'one requester: the input gives way to the choice');
    expect(el.shadowRoot!.querySelector('[data-field="behalf"] [part~="chip"]')!.textContent).to.contain('Jay Morales');
    const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
    await submit(el);
    const { detail } = await created;
    expect(detail.ticket.requester.email).to.equal('jay@acme.example');
    expect(detail.ticket.followerIds).to.include('con_ada');
  });
});
