import { expect, fixture, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { useMockApi } from '../../../../test/browser/fixtures.ts';
import '../define/portico-provider.ts';
import '../define/portico-ticket-form.ts';
import type { PorticoProvider } from './provider.ts';

const deepActive = (): Element | null => {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};
const warningDialog = (provider: PorticoProvider) => provider.shadowRoot!.querySelector('portico-session-warning')?.shadowRoot?.querySelector('dialog') ?? null;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('portico-provider: warning before the session ends (WCAG 2.2.1)', () => {
  beforeEach(() => localStorage.clear());

  it('warns before session_exp, keeps the draft, and Stay signed in extends through getToken', async () => {
    const { api } = await useMockApi();
    // The vendor's session ends in 2 min 6 s; the warning is due 2 min before: in about 6 s,
    // after the user has typed (a dialog that opens mid-word takes the keystrokes, as it should).
    let sessionEnd = nowSeconds() + 126;
    const asked: boolean[] = [];
    const getToken = ({ forceRefresh }: { forceRefresh: boolean }) => {
      asked.push(forceRefresh);
      return api.tokenFor('mia@acme.example', { sessionExpiresAt: sessionEnd });
    };
    const extendEvents: Event[] = [];
    const provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/api" .getToken=${getToken} @portico-session-extend=${(e: Event) => extendEvents.push(e)}>
        <portico-ticket-form></portico-ticket-form>
      </portico-provider>`,
    );
    const form = provider.querySelector('portico-ticket-form')!;
    const subject = await waitUntil(() => form.shadowRoot?.querySelector<HTMLInputElement>('input[name="subject"]'), 'no form', { timeout: 8000 }).then(() =>
      form.shadowRoot!.querySelector<HTMLInputElement>('input[name="subject"]')!,
    );
    subject.focus();
    await sendKeys({ type: 'Half-typed subject' });

    expect(warningDialog(provider), 'the warning came before it was due').to.equal(null);
    await waitUntil(() => warningDialog(provider)?.open, 'no warning before the session ended', { timeout: 10000 });
    const dialog = warningDialog(provider)!;
    expect(dialog.getAttribute('role')).to.equal('alertdialog');
    expect(dialog.textContent).to.contain('about to end');
    // Focus moved into the warning, onto Stay signed in.
    await waitUntil(() => deepActive()?.textContent?.includes('Stay signed in'), `focus is on ${deepActive()?.localName}`, { timeout: 3000 });

    sessionEnd = nowSeconds() + 3600;
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !warningDialog(provider), 'the warning stayed after the session was extended', { timeout: 5000 });
    expect(extendEvents, 'portico-session-extend fired once').to.have.length(1);
    expect(asked.at(-1), 'Stay signed in asks getToken for a fresh token').to.equal(true);
    // Nothing was lost and the user is back where they were.
    expect(subject.value).to.equal('Half-typed subject');
    await waitUntil(() => deepActive() === subject, `focus did not return to the field; it is on ${deepActive()?.localName}`, { timeout: 3000 });
  });

  it('says so when the session cannot be extended, and Escape dismisses it', async () => {
    const { api } = await useMockApi();
    const end = nowSeconds() + 121;
    const provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/api" .getToken=${() => api.tokenFor('mia@acme.example', { sessionExpiresAt: end })}></portico-provider>`,
    );
    await waitUntil(() => warningDialog(provider)?.open, 'no warning', { timeout: 5000 });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => warningDialog(provider)?.textContent?.includes('could not be extended'), 'no message that extending failed', { timeout: 5000 });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !warningDialog(provider), 'Escape did not dismiss the warning', { timeout: 3000 });
  });

  it('warns for a fixed token before it expires, and never when session-warning is 0', async () => {
    const { api } = await useMockApi();
    const token = await api.tokenFor('mia@acme.example', { ttlSeconds: 121 });
    const provider = await fixture<PorticoProvider>(html`<portico-provider api-base="/api" .token=${token}></portico-provider>`);
    await waitUntil(() => warningDialog(provider)?.open, 'no warning for an expiring fixed token', { timeout: 5000 });

    const quiet = await fixture<PorticoProvider>(html`<portico-provider api-base="/api" session-warning="0" .token=${token}></portico-provider>`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(warningDialog(quiet)).to.equal(null);
  });

  it('does not warn when getToken renews without a session end', async () => {
    const { api } = await useMockApi();
    const provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/api" session-warning="899" .getToken=${() => api.tokenFor('mia@acme.example')}></portico-provider>`,
    );
    await waitUntil(() => provider.sessionState.status === 'ready', 'no session', { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(warningDialog(provider)).to.equal(null);
  });
});
