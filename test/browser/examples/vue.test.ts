import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { inShadow, mountBuiltExample, viewTabs, walkThePanel } from './harness.ts';

/**
 * The built Vue example (Vue 3 + Vite, isCustomElement) runs the real elements: Vue sets
 * their properties (getToken, lang, open), receives their events (@portico-session-change,
 * @portico-panel-toggle), and the panel's widgets get the provider's context through Vue's tree.
 */
describe('examples/vue (built)', () => {
  before(async () => {
    await mountBuiltExample('/examples/vue/dist/index.html');
  });

  const text = (selector: string) => document.querySelector(selector)?.textContent?.trim();
  const panel = () => document.querySelector('portico-support-panel');

  it('signs in through the getToken property and reports the session to Vue', async () => {
    await waitUntil(() => text('.user') === 'Signed in as Mia Chen', 'Vue never got portico-session-change', { timeout: 10_000 });
    expect(customElements.get('portico-support-panel')).to.not.equal(undefined);
    expect(panel()!.getAttribute('mode')).to.equal('launcher');
  });

  it('opens the drawer from Vue state and shows the account’s tickets through the provider context', async () => {
    (document.querySelector('button.contact') as HTMLButtonElement).click();
    await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, ':open.prop did not open the drawer', { timeout: 5000 });
    const list = await waitUntil(() => inShadow(panel(), 'portico-ticket-list'), 'no ticket list in the drawer', { timeout: 10_000 }).then(() =>
      inShadow(panel(), 'portico-ticket-list'),
    );
    await waitUntil(() => inShadow(list, '[part~="row"]'), 'the list shows no tickets: no context from the provider?', { timeout: 10_000 });
    expect(text('.drawer-state')).to.equal('Support drawer is open');
  });

  it('tells Vue when the user closes the drawer (Esc)', async () => {
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => text('.drawer-state') === 'Support drawer is closed', '@portico-panel-toggle never reached Vue', { timeout: 5000 });
    expect(inShadow<HTMLDialogElement>(panel(), 'dialog')!.open).to.equal(false);
  });

  it('switches every widget to German when Vue changes the provider’s lang', async () => {
    const select = document.querySelector<HTMLSelectElement>('select[name="lang"]')!;
    select.value = 'de';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => document.querySelector('portico-provider')!.getAttribute('lang') === 'de', undefined, { timeout: 5000 });
    const list = inShadow(panel(), 'portico-ticket-list');
    await waitUntil(() => viewTabs(list)[0] === 'Meine Tickets', 'the list never turned German', { timeout: 5000 });
    expect(inShadow(panel(), '[part~="launcher"]')!.textContent!.trim()).to.equal('Support');
  });

  it('tells Vue where the user goes in the panel (portico-navigate): a tab, a ticket, Back', async () => {
    expect(text('.place'), 'no move yet').to.equal(undefined);
    (document.querySelector('button.contact') as HTMLButtonElement).click();
    await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, 'the drawer did not open again', { timeout: 5000 });
    await walkThePanel(panel()!, () => text('.place'));
  });
});
