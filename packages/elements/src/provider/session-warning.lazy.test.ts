import { expect, fixture, waitUntil } from '@open-wc/testing';
import { html } from 'lit';
import { useMockApi } from '../../../../test/browser/fixtures.ts';
import '../define/portico-provider.ts';
import type { PorticoProvider } from './provider.ts';

// A file of its own: each test file runs in a fresh page, so nothing else loaded the warning first.
const warningCodeRequested = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/provider/session-warning.ts'));

describe('portico-provider: the session-end warning loads only when a session end is known', () => {
  it('loads no warning code for a renewed session without an end, and loads it once a token names one', async () => {
    const { api } = await useMockApi();
    const provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/api" .getToken=${() => api.tokenFor('mia@acme.example')}></portico-provider>`,
    );
    await waitUntil(() => provider.sessionState.status === 'ready', 'the session never loaded', { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(customElements.get('portico-session-warning'), 'the warning was registered without a session end').to.equal(undefined);
    expect(warningCodeRequested(), 'the warning code was fetched without a session end').to.equal(false);

    // The vendor's session now ends in an hour: the code arrives long before the warning is due.
    const sessionEnd = Math.floor(Date.now() / 1000) + 3600;
    provider.getToken = () => api.tokenFor('mia@acme.example', { sessionExpiresAt: sessionEnd });
    await waitUntil(() => customElements.get('portico-session-warning'), 'the warning was not loaded once a session end was known', { timeout: 5000 });
    expect(provider.shadowRoot!.querySelector('portico-session-warning'), 'the warning showed an hour early').to.equal(null);
  });
});
