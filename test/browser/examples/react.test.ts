import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { inShadow, mountBuiltExample, viewTabs, walkThePanel } from './harness.ts';

/**
 * The built React example (React 19 + Vite + @portico/react) runs the real elements: React sets
 * their properties (getToken, lang, open), receives their events (onPorticoSessionChange,
 * onPorticoPanelToggle), and the panel's widgets get the provider's context through React's tree.
 */
describe('examples/react (built)', () => {
  before(async () => {
    await mountBuiltExample('/examples/react/dist/index.html');
  });

  const text = (selector: string) => document.querySelector(selector)?.textContent?.trim();
  const panel = () => document.querySelector('portico-support-panel');

  it('signs in through the getToken property and reports the session to React', async () => {
    await waitUntil(() => text('.user') === 'Signed in as Mia Chen', 'React never got portico-session-change', { timeout: 10_000 });
    expect(customElements.get('portico-support-panel')).to.not.equal(undefined);
    expect(panel()!.getAttribute('mode')).to.equal('launcher');
  });

  it('opens the drawer from React state and shows the account’s tickets through the provider context', async () => {
    (document.querySelector('button.contact') as HTMLButtonElement).click();
    await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, 'open={true} did not open the drawer', { timeout: 5000 });
    const list = await waitUntil(() => inShadow(panel(), 'portico-ticket-list'), 'no ticket list in the drawer', { timeout: 10_000 }).then(() =>
      inShadow(panel(), 'portico-ticket-list'),
    );
    await waitUntil(() => inShadow(list, '[part~="row"]'), 'the list shows no tickets: no context from the provider?', { timeout: 10_000 });
    expect(text('.drawer-state')).to.equal('Support drawer is open');
  });

  it('tells React when the user closes the drawer (Esc)', async () => {
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => text('.drawer-state') === 'Support drawer is closed', 'onPorticoPanelToggle never reached React', { timeout: 5000 });
    expect(inShadow<HTMLDialogElement>(panel(), 'dialog')!.open).to.equal(false);
  });

  it('switches every widget to German when React changes the provider’s lang', async () => {
    const select = document.querySelector<HTMLSelectElement>('select[name="lang"]')!;
    select.value = 'de';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => document.querySelector('portico-provider')!.getAttribute('lang') === 'de', undefined, { timeout: 5000 });
    const list = inShadow(panel(), 'portico-ticket-list');
    await waitUntil(() => viewTabs(list)[0] === 'Meine Tickets', 'the list never turned German', { timeout: 5000 });
    expect(inShadow(panel(), '[part~="launcher"]')!.textContent!.trim()).to.equal('Support');
  });

  it('tells React where the user goes in the panel (portico-navigate): a tab, a ticket, Back', async () => {
    expect(text('.place'), 'no move yet').to.equal(undefined);
    (document.querySelector('button.contact') as HTMLButtonElement).click();
    await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, 'the drawer did not open again', { timeout: 5000 });
    await walkThePanel(panel()!, () => text('.place'));
  });
});
