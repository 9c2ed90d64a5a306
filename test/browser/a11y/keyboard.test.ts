/**
 * Keyboard-only journeys with the real keyboard (Chromium key events, no clicks): every step
 * is reached with Tab, arrows and Enter, and every stop shows a focus ring (2.1.1 Keyboard,
 * 2.4.3 Focus Order, 2.4.7 Focus Visible, 3.3.1 Error Identification, 2.1.2 No Keyboard Trap).
 * docs/accessibility.md cites these tests.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { html } from 'lit';
import { mountWithProvider } from '../fixtures.ts';
import { FIXED_NOW, demoTicketId } from './widgets.ts';
import { composedElements, deepActive, focusIndicator } from './a11y-kit.ts';
import { useMockApi } from '../fixtures.ts';
import '@portico/elements/define/portico-contacts.js';
import '@portico/elements/define/portico-notifications.js';
import '@portico/elements/define/portico-support-panel.js';
import '@portico/elements/define/portico-timeline.js';

const describeEl = (el: Element | null) =>
  el
    ? `${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`
    : 'nothing';

/**
 * Presses `key` until the focused element matches `target`, asserting a visible focus ring at
 * every stop; fails after `max` presses (a control the keyboard cannot reach, or a trap).
 */
async function pressUntil(key: string, target: (el: Element) => boolean, what: string, max = 40): Promise<HTMLElement> {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: key });
    const active = deepActive();
    path.push(describeEl(active));
    if (active && active !== document.body) expect(focusIndicator(active), `no visible focus on ${describeEl(active)}`).to.not.equal(null);
    if (active && target(active)) return active as HTMLElement;
  }
  throw new Error(`${key} never reached ${what}; focus went: ${path.join(' → ')}`);
}

const named = (text: string) => (el: Element) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().startsWith(text);
const byName = (name: string) => (el: Element) => el.getAttribute('name') === name;

async function typeText(text: string) {
  await sendKeys({ type: text });
}

/** A button before the widget to start Tab from, as a page's own content would be. */
function startBefore(el: Element): void {
  const start = document.createElement('button');
  start.textContent = 'page content before';
  el.before(start);
  start.focus();
}

describe('accessibility: keyboard-only journeys', () => {
  before(() => setViewport({ width: 1024, height: 900 }));
  beforeEach(() => {
    sessionStorage.clear();
    // Drafts of the new-ticket form live in localStorage: start every journey without one.
    localStorage.clear();
  });

  it('list → ticket → reply, in the support panel', async () => {
    await demoTicketId();
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-support-panel></portico-support-panel>`, { as: 'mia@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot?.querySelector('[part~="row"]'), 'the list never loaded', {
      timeout: 8000,
    });
    startBefore(el);
    const row = await pressUntil('Tab', (a) => a.matches('[part~="row"]'), 'the first ticket row');
    const subject = row.textContent!;
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => el.shadowRoot?.querySelector('portico-ticket-detail')?.shadowRoot?.querySelector('textarea'),
      'Enter on a row did not open the ticket',
      { timeout: 8000 },
    );
    const reply = await pressUntil('Tab', byName('reply'), 'the reply field');
    expect(subject).to.contain(el.shadowRoot!.querySelector('portico-ticket-detail')!.shadowRoot!.querySelector('h2')!.textContent!.trim());
    await typeText('Sent with the keyboard only');
    await pressUntil('Tab', named('Send reply'), 'the Send reply button', 5);
    await sendKeys({ press: 'Enter' });
    const detail = el.shadowRoot!.querySelector('portico-ticket-detail')!;
    await waitUntil(
      () => detail.shadowRoot!.textContent!.includes('Sent with the keyboard only') && (reply as HTMLTextAreaElement).value === '',
      'the reply was not sent',
      { timeout: 8000 },
    );
  });

  it('new ticket with errors → fix → submit, in the support panel', async () => {
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-support-panel></portico-support-panel>`, { as: 'mia@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('[role="tab"]'), 'no tabs', { timeout: 8000 });
    startBefore(el);
    await pressUntil('Tab', (a) => a.getAttribute('role') === 'tab' && a.getAttribute('aria-selected') === 'true', 'the selected tab');
    await pressUntil('ArrowRight', named('New ticket'), 'the New ticket tab', 3);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot?.querySelector('portico-ticket-form')?.shadowRoot?.querySelector('form'), 'the form never appeared', { timeout: 8000 });
    await pressUntil('Tab', (a) => a.getAttribute('part')?.includes('submit') ?? false, 'the submit button', 60);
    await sendKeys({ press: 'Enter' });
    // The first invalid field takes focus and says what is wrong (3.3.1).
    await waitUntil(() => deepActive()?.getAttribute('name') === 'subject', `focus did not move to the subject; it is on ${describeEl(deepActive())}`, {
      timeout: 5000,
    });
    const subject = deepActive() as HTMLInputElement;
    expect(subject.getAttribute('aria-invalid')).to.equal('true');
    const errorId = subject
      .getAttribute('aria-describedby')!
      .split(' ')
      .find((id) => id.endsWith('-error'))!;
    expect((subject.getRootNode() as ShadowRoot).getElementById(errorId)!.textContent!.trim(), 'the error is not described').to.not.equal('');
    await typeText('Keyboard-only ticket about exports');
    await pressUntil('Tab', byName('description'), 'the description', 5);
    await typeText('Every export since Monday fails with a timeout after five minutes.');
    const category = (await pressUntil('Tab', byName('category'), 'the category', 15)) as HTMLSelectElement;
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => category.value !== '', 'ArrowDown did not choose a category', { timeout: 3000 });
    await pressUntil('Tab', (a) => a.getAttribute('part')?.includes('submit') ?? false, 'the submit button', 60);
    await sendKeys({ press: 'Enter' });
    const ticketForm = el.shadowRoot!.querySelector('portico-ticket-form')!;
    await waitUntil(() => ticketForm.shadowRoot!.querySelector('[part~="success"]'), 'the ticket was not created', { timeout: 8000 }).catch(() => {
      const errors = [...ticketForm.shadowRoot!.querySelectorAll('[part~="field-error"], [role="alert"]')].map((e) => e.textContent!.trim()).filter(Boolean);
      throw new Error(`the ticket was not created; focus on ${describeEl(deepActive())}; errors: ${errors.join(' | ')}`);
    });
    // The pressed button is gone: focus moves to the confirmation, not to the page (2.4.3).
    await waitUntil(() => deepActive()?.classList.contains('done-title'), `focus after creating is on ${describeEl(deepActive())}`, { timeout: 3000 });
  });

  it('invite a colleague, as an admin in the contact manager', async () => {
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-contacts></portico-contacts>`, { as: 'ada@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('tbody tr'), 'no contacts', { timeout: 8000 });
    startBefore(el);
    await pressUntil('Tab', named('Invite colleague'), 'Invite colleague');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.getAttribute('name') === 'email', `the invite form did not take focus; it is on ${describeEl(deepActive())}`, {
      timeout: 5000,
    });
    await typeText('kim@acme.example');
    await pressUntil('Tab', byName('name'), 'the name field', 5);
    await typeText('Kim Keyboard');
    await pressUntil('Tab', (a) => a.matches('button[type="submit"]'), 'the Send invitation button', 10);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Kim Keyboard'), 'the invitation was not made', { timeout: 8000 });
  });

  it('change a colleague’s role, as an admin in the contact manager', async () => {
    const { api } = await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-contacts></portico-contacts>`, { as: 'ada@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('tbody tr'), 'no contacts', { timeout: 8000 });
    startBefore(el);
    const role = (await pressUntil(
      'Tab',
      (a) => a.localName === 'select' && a.getAttribute('aria-label') === 'Role of Mia Chen',
      'Mia’s role',
      60,
    )) as HTMLSelectElement;
    expect(role.value).to.equal('member');
    // A closed select changes with the arrow keys; the change is saved at once.
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(async () => (await api.store.getContact('con_mia'))?.role === 'billing', 'the new role was not saved', { timeout: 5000 });
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Mia Chen is now Billing'), 'the change was not told', { timeout: 3000 });
    expect(deepActive(), 'focus stayed on the select').to.equal(role);
  });

  it('deactivate a colleague and hand their open tickets to someone, as an admin', async () => {
    const { api } = await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-contacts></portico-contacts>`, { as: 'ada@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('tbody tr'), 'no contacts', { timeout: 8000 });
    startBefore(el);
    const inJaysRow = (a: Element) => a.closest('[part~="row"]')?.getAttribute('data-id') === 'con_jay';
    await pressUntil('Tab', (a) => inJaysRow(a) && named('Deactivate')(a), 'Deactivate in Jay’s row', 80);
    await sendKeys({ press: 'Enter' });
    // The dialog's code loads on first use, then the dialog takes focus.
    await waitUntil(() => el.shadowRoot!.querySelector<HTMLDialogElement>('[part~="dialog"]')?.open, 'the dialog did not open', { timeout: 5000 });
    await waitUntil(() => deepActive()?.closest('dialog') != null, `focus is not in the dialog but on ${describeEl(deepActive())}`, { timeout: 3000 });
    // The radio group moves with the arrow keys.
    await pressUntil('Tab', (a) => a.getAttribute('name') === 'tickets', 'the choice of what happens to the tickets', 6);
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => (deepActive() as HTMLInputElement | null)?.value === 'transfer', 'ArrowDown did not choose Transfer', { timeout: 3000 });
    const to = (await pressUntil('Tab', byName('to'), 'the colleague who gets the tickets', 4)) as HTMLSelectElement;
    await waitUntil(() => !to.disabled, 'colleagues never loaded', { timeout: 5000 });
    const heir = to.value;
    await pressUntil('Tab', (a) => a.matches('button[type="submit"]'), 'the confirm button', 4);
    await sendKeys({ press: 'Enter' });
    await waitUntil(async () => (await api.store.getContact('con_jay'))?.status === 'deactivated', 'Jay was not deactivated', { timeout: 5000 });
    const open = api.seed.tickets.filter((t) => t.requester.id === 'con_jay' && ['new', 'open', 'pending'].includes(t.status));
    for (const t of open) expect((await api.store.getTicket(t.id))!.requester.id, t.ref).to.equal(heir);
    // The dialog is gone; focus is back in Jay's row, not on the page.
    await waitUntil(() => deepActive() !== null && inJaysRow(deepActive()!), `focus after the dialog is on ${describeEl(deepActive())}`, { timeout: 3000 });
  });

  it('notifications: open the bell, choose an update, and Escape returns to the bell', async () => {
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-notifications></portico-notifications>`, { as: 'mia@acme.example' });
    await waitUntil(() => (el as HTMLElement & { loaded?: boolean }).loaded, 'no updates', { timeout: 8000 });
    startBefore(el);
    const bell = await pressUntil('Tab', (a) => a.matches('[part~="button"]'), 'the bell', 5);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => bell.getAttribute('aria-expanded') === 'true', 'Enter did not open the list', { timeout: 3000 });
    const item = await pressUntil('Tab', (a) => a.matches('[part~="item"]'), 'the first update', 5);
    const chosen = new Promise<CustomEvent<{ id: string }>>((resolve) =>
      el.addEventListener('portico-ticket-select', (e) => resolve(e as CustomEvent<{ id: string }>), { once: true }),
    );
    await sendKeys({ press: 'Enter' });
    expect((await chosen).detail.id)
      .to.be.a('string')
      .and.not.equal('');
    if (bell.getAttribute('aria-expanded') !== 'true') {
      await (bell as HTMLButtonElement).focus();
      await sendKeys({ press: 'Enter' });
      await pressUntil('Tab', (a) => a.matches('[part~="item"]'), 'an update again', 5);
    } else if (deepActive() !== item) item.focus();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActive() === bell && bell.getAttribute('aria-expanded') === 'false', `Escape left focus on ${describeEl(deepActive())}`, {
      timeout: 3000,
    });
  });

  it('timeline filter with the keyboard, and no trap on the way out', async () => {
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-timeline></portico-timeline>`, { as: 'ada@acme.example' });
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="entry"], li'), 'no activity', { timeout: 8000 });
    startBefore(el);
    const select = (await pressUntil('Tab', (a) => a.localName === 'select', 'the filter')) as HTMLSelectElement;
    const before = select.value;
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => select.value !== before, 'ArrowDown did not change the filter', { timeout: 3000 });
    // Tab leaves the widget after its last control: no keyboard trap (2.1.2).
    const after = document.createElement('button');
    after.textContent = 'page content after';
    el.after(after);
    await pressUntil('Tab', (a) => a === after, 'the page content after the timeline', 80);
    expect(composedElements(el)).to.not.include(deepActive());
  });
});
