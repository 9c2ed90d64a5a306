import { expect, waitUntil } from '@open-wc/testing';
import { inShadow, mountBuiltExample, viewTabs } from './harness.ts';

/** examples/cdn: plain HTML with the self-contained CDN build (packages/elements/dist/cdn/portico.min.js). */
describe('examples/cdn (built bundle)', () => {
  before(async () => {
    await mountBuiltExample('/examples/cdn/index.html');
  });

  const panel = () => document.querySelector('portico-support-panel');

  it('registers every element from the one file and shows the inline panel with tickets', async () => {
    for (const tag of ['portico-provider', 'portico-ticket-list', 'portico-support-panel']) {
      expect(customElements.get(tag), `${tag} not registered by portico.min.js`).to.not.equal(undefined);
    }
    await waitUntil(() => document.querySelector('.user')?.textContent === 'Signed in as Mia Chen', 'no session', { timeout: 10_000 });
    await waitUntil(() => inShadow(inShadow(panel(), 'portico-ticket-list'), '[part~="row"]'), 'no tickets in the panel', { timeout: 10_000 });
  });

  it('carries its translations: Arabic, right to left', async () => {
    const select = document.querySelector<HTMLSelectElement>('#lang')!;
    select.value = 'ar';
    select.dispatchEvent(new Event('change'));
    const list = inShadow(panel(), 'portico-ticket-list');
    await waitUntil(() => viewTabs(list)[0] === 'تذاكري', 'the list never turned Arabic', { timeout: 5000 });
    expect(panel()!.matches(':dir(rtl)')).to.equal(true);
  });
});
