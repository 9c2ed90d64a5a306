import { expect, waitUntil } from '@open-wc/testing';
import { mountBuiltExample } from './harness.ts';

/** The CDN's lazy build registers each element only when its tag shows up on the page. */
describe('CDN lazy build (portico.lazy.js)', () => {
  it('downloads each element when its tag appears, and nothing else', async () => {
    // The CDN example's markup (provider + panel), without its scripts.
    await mountBuiltExample('/examples/cdn/index.html', { scripts: false });
    const lazy = '/packages/elements/dist/cdn/portico.lazy.js';
    await import(/* @vite-ignore */ lazy);
    await waitUntil(() => customElements.get('portico-provider') && customElements.get('portico-support-panel'), 'the tags on the page never loaded', {
      timeout: 10_000,
    });
    // Not signed in: the panel shows no tab yet, so the list's chunk was never downloaded.
    expect(customElements.get('portico-ticket-list')).to.equal(undefined);
    const list = document.createElement('portico-ticket-list');
    document.body.append(list);
    await waitUntil(() => customElements.get('portico-ticket-list'), 'a tag added later was not loaded', { timeout: 10_000 });
    expect(list.shadowRoot).to.not.equal(null);
    list.remove();
  });
});
