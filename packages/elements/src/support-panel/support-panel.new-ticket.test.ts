import { expect, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import { mountWithProvider, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-support-panel.ts';
import type { PorticoSupportPanel } from './support-panel.ts';

const inner = (el: Element, tag: string) => el.shadowRoot!.querySelector(tag);
const tabNamed = (el: Element, name: string) => parts(el, 'tab').find((t) => t.textContent!.trim() === name);

describe('portico-support-panel: New ticket tab', () => {
  beforeEach(async () => {
    sessionStorage.clear();
    await useMockApi();
  });

  it('loads the ticket form only when the tab is first shown, for roles that may file tickets', async () => {
    expect(customElements.get('portico-ticket-form')).to.equal(undefined);
    const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'mia@acme.example' });
    await waitForPart(el, 'tabs');
    expect(customElements.get('portico-ticket-form'), 'not before the tab is shown').to.equal(undefined);
    tabNamed(el, 'New ticket')!.click();
    await waitUntil(() => inner(el, 'portico-ticket-form')?.shadowRoot?.getElementById('subject'), 'the form never appeared', { timeout: 5000 });
    expect(el.view).to.equal('new-ticket');
    expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('New ticket');
  });

  it('offers no New ticket tab to a viewer', async () => {
    const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="new-ticket"></portico-support-panel>`, {
      as: 'val@acme.example',
    });
    await waitUntil(() => inner(el, 'portico-ticket-list'), 'the panel fell back to nothing', { timeout: 5000 });
    expect(inner(el, 'portico-ticket-form')).to.equal(null);
    expect(parts(el, 'tab').map((t) => t.textContent!.trim())).not.to.include('New ticket');
  });
});
