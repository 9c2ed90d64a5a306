import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import { mountWithProvider, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-support-panel.ts';
import '../define/portico-ticket-list.ts';
import type { PorticoSupportPanel } from '../support-panel/support-panel.ts';
import type { PorticoTicketList } from '../ticket-list/ticket-list.ts';
import type { PorticoProvider } from './provider.ts';

// The view tab's label (the tab also shows a count once the per-view counts arrive).
const viewNames = (list: Element) => parts(list, 'view').map((t) => (t.querySelector('.label') ?? t).textContent!.trim());
const text = (el: Element, name: string) => part(el, name)?.textContent?.trim();

/** Mounts a panel and a list side by side in one provider, with the list's rows loaded. */
async function mountBoth(options: Parameters<typeof mountWithProvider>[1] = {}) {
  const mounted = await mountWithProvider<HTMLDivElement>(
    html`<div><portico-support-panel></portico-support-panel><portico-ticket-list></portico-ticket-list></div>`,
    options,
  );
  const panel = mounted.el.querySelector<PorticoSupportPanel>('portico-support-panel')!;
  const list = mounted.el.querySelector<PorticoTicketList>('portico-ticket-list')!;
  await waitForPart(list, 'row');
  return { ...mounted, panel, list };
}

describe('localization', () => {
  let provider: PorticoProvider | undefined;

  beforeEach(async () => {
    await useMockApi();
  });

  afterEach(async () => {
    // lit-localize's locale is global to the page: leave it English for the next test.
    if (provider) provider.lang = 'en';
    provider = undefined;
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('re-renders every widget in German when the provider’s lang changes, and back', async () => {
    const mounted = await mountBoth();
    provider = mounted.provider;
    const { panel, list } = mounted;
    expect(viewNames(list)).to.deep.equal(['My tickets', 'Account', 'Following', 'All unsolved']);

    provider.lang = 'de';
    await waitUntil(() => viewNames(list)[0] === 'Meine Tickets', 'the list never turned German', { timeout: 5000 });
    expect(viewNames(list)).to.deep.equal(['Meine Tickets', 'Konto', 'Gefolgt', 'Alle ungelösten']);
    await waitUntil(() => part(panel, 'back')?.textContent?.includes('Zurück'), 'the panel never turned German', { timeout: 5000 });
    const inner = panel.shadowRoot!.querySelector('portico-ticket-list')!;
    await waitForPart(inner, 'row');
    expect(viewNames(inner)[0]).to.equal('Meine Tickets');
    // Dates and times go through Intl in the provider's language.
    // As read aloud: whitespace between the word and the time collapses to one space.
    expect(part(list, 'row')!.querySelector('time')!.parentElement!.textContent!.replace(/\s+/g, ' ')).to.match(/^\s*Aktualisiert (vor|gestern|heute|jetzt)/);
    expect(provider.hasAttribute('dir')).to.equal(false);

    provider.lang = 'en';
    await waitUntil(() => viewNames(list)[0] === 'My tickets', 'the list never went back to English', { timeout: 5000 });
    expect(part(panel, 'back')!.textContent).to.contain('Back');
  });

  it('renders rows in the new language even when the list renders before the translations arrive', async () => {
    const mounted = await mountBoth();
    provider = mounted.provider;
    const { list } = mounted;
    // A render between the `lang` change and its translations (a live update, a reload…):
    // dates are German from then on, the texts still English.
    provider.lang = 'de';
    list.requestUpdate();
    await list.updateComplete;
    await waitUntil(() => viewNames(list)[0] === 'Meine Tickets', 'the list never turned German', { timeout: 5000 });
    await list.updateComplete;
    for (const row of parts(list, 'row')) {
      expect(row.querySelector('time')!.parentElement!.textContent!.replace(/\s+/g, ' ')).to.match(/^\s*Aktualisiert /);
    }
  });

  it('switches to Arabic right to left, then back to left to right', async () => {
    const mounted = await mountBoth();
    provider = mounted.provider;
    const { panel, list } = mounted;

    provider.lang = 'ar';
    await waitUntil(() => viewNames(list)[0] === 'تذاكري', 'the list never turned Arabic', { timeout: 5000 });
    expect(provider.getAttribute('dir')).to.equal('rtl');
    expect(list.matches(':dir(rtl)')).to.equal(true);
    expect(getComputedStyle(part(list, 'views')!).direction).to.equal('rtl');
    await waitUntil(() => text(panel, 'title') === 'الدعم', 'the panel never turned Arabic', { timeout: 5000 });
    expect(panel.matches(':dir(rtl)')).to.equal(true);
    // Logical properties: the first view tab sits at the right edge in RTL.
    const tabs = parts(list, 'view');
    expect(tabs[0]!.getBoundingClientRect().left).to.be.greaterThan(tabs[1]!.getBoundingClientRect().left);

    provider.lang = 'en';
    await waitUntil(() => viewNames(list)[0] === 'My tickets', undefined, { timeout: 5000 });
    expect(provider.hasAttribute('dir')).to.equal(false);
    expect(list.matches(':dir(ltr)')).to.equal(true);
  });

  it('keeps a dir the host set itself', async () => {
    const mounted = await mountBoth();
    provider = mounted.provider;
    provider.setAttribute('dir', 'ltr');
    provider.lang = 'ar';
    await waitUntil(() => viewNames(mounted.list)[0] === 'تذاكري', undefined, { timeout: 5000 });
    expect(provider.getAttribute('dir')).to.equal('ltr');
  });

  it('follows the token’s locale claim when the provider has no lang', async () => {
    const { api } = await useMockApi();
    provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/api" .getToken=${() => api.tokenFor('mia@acme.example', { locale: 'de-AT' })}
        ><portico-ticket-list></portico-ticket-list
      ></portico-provider>`,
    );
    const list = provider.querySelector<PorticoTicketList>('portico-ticket-list')!;
    await waitForPart(list, 'row');
    await waitUntil(() => viewNames(list)[0] === 'Meine Tickets', 'the token’s locale claim was ignored', { timeout: 5000 });
    expect(provider.locale).to.equal('de-AT');

    // The provider's own lang wins over the claim.
    provider.lang = 'en';
    await waitUntil(() => viewNames(list)[0] === 'My tickets', undefined, { timeout: 5000 });
  });

  it('falls back to English for a language Portico does not ship', async () => {
    const mounted = await mountBoth();
    provider = mounted.provider;
    provider.lang = 'de';
    await waitUntil(() => viewNames(mounted.list)[0] === 'Meine Tickets', undefined, { timeout: 5000 });
    provider.lang = 'tlh';
    await waitUntil(() => viewNames(mounted.list)[0] === 'My tickets', 'an unknown language should fall back to English', { timeout: 5000 });
  });
});
