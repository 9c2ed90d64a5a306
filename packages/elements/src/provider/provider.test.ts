import { ContextConsumer } from '@lit/context';
import { expect, fixture, waitUntil } from '@open-wc/testing';
import type { PorticoClient, Session } from '@portico/core';
import { PROBLEM_CONTENT_TYPE } from '@portico/core';
import { LitElement, html } from 'lit';
import { HttpResponse, http } from 'msw';
import { mountWithProvider, useMockApi } from '../../../../test/browser/fixtures.ts';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { defineElement } from '../define-element.ts';
import '../define/portico-provider.ts';
import '../define/portico-ticket-list.ts';
import type { PorticoProvider } from './provider.ts';

/** A stand-in widget that records what the contexts give it. */
class ContextProbe extends LitElement {
  readonly states: SessionState[] = [];
  readonly client = new ContextConsumer(this, { context: clientContext, subscribe: true });
  readonly session = new ContextConsumer(this, {
    context: sessionContext,
    subscribe: true,
    callback: (state) => {
      if (state) this.states.push(state);
    },
  });
}
defineElement('portico-test-probe', ContextProbe);

const ready = (provider: PorticoProvider) => waitUntil(() => provider.sessionState.status === 'ready', 'the session never loaded', { timeout: 5000 });

const problem401 = () =>
  HttpResponse.json(
    { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'The token is invalid or expired.' },
    { status: 401, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } },
  );

describe('portico-provider', () => {
  beforeEach(async () => {
    await useMockApi();
  });

  it('loads the session of the signed-in contact and announces it', async () => {
    const changes: CustomEvent[] = [];
    const listener = (event: Event) => changes.push(event as CustomEvent);
    document.addEventListener('portico-session-change', listener);
    try {
      const { provider } = await mountWithProvider(html`<span></span>`, { as: 'mia@acme.example' });
      await ready(provider);
      const { session } = provider.sessionState;
      expect(session?.contact.email).to.equal('mia@acme.example');
      expect(session?.contact.role).to.equal('member');
      expect(session?.account.name).to.equal('Acme Corp');
      await waitUntil(() => changes.length === 1);
      expect(changes[0]!.detail.session.contact.email).to.equal('mia@acme.example');
      expect(changes[0]!.bubbles && changes[0]!.composed).to.equal(true);
    } finally {
      document.removeEventListener('portico-session-change', listener);
    }
  });

  it('renders its children and has no box of its own', async () => {
    const { provider } = await mountWithProvider(html`<p>Inside</p>`);
    expect(getComputedStyle(provider).display).to.equal('contents');
    expect(provider.querySelector('p')?.textContent).to.equal('Inside');
    await expect(provider).to.be.accessible();
  });

  it('provides the client and a session object that is replaced, never mutated', async () => {
    const { provider, el } = await mountWithProvider<ContextProbe>(html`<portico-test-probe></portico-test-probe>`);
    await ready(provider);
    expect(el.client.value).to.equal(provider.activeClient);
    expect(el.client.value?.listTickets).to.be.a('function');
    const loading = el.states[0]!;
    expect(loading.status).to.equal('loading');
    expect(Object.isFrozen(loading)).to.equal(true);
    await waitUntil(() => el.session.value?.status === 'ready');
    expect(el.session.value).not.to.equal(loading);
    expect(loading.status, 'the first object is left as it was').to.equal('loading');
    expect(el.session.value?.session?.contact.email).to.equal('mia@acme.example');
  });

  it('refresh() reloads the session and bumps the revision', async () => {
    const { provider, el } = await mountWithProvider<ContextProbe>(html`<portico-test-probe></portico-test-probe>`);
    await ready(provider);
    const before = el.session.value!;
    await provider.refresh();
    const after = el.session.value!;
    expect(after.status).to.equal('ready');
    expect(after.revision).to.equal(before.revision + 1);
    expect(after).not.to.equal(before);
  });

  it('re-creates the client and session when getToken changes (another contact signs in)', async () => {
    const { provider, el, api } = await mountWithProvider<ContextProbe>(html`<portico-test-probe></portico-test-probe>`, { as: 'mia@acme.example' });
    await ready(provider);
    const firstClient = el.client.value;
    provider.getToken = () => api.tokenFor('ben@acme.example');
    await waitUntil(() => el.session.value?.session?.contact.email === 'ben@acme.example', 'the new contact never loaded', { timeout: 5000 });
    expect(el.client.value).not.to.equal(firstClient);
    expect(el.session.value?.session?.contact.role).to.equal('billing');
  });

  it('makes no request until a token source is set (no 401 while the host signs in)', async () => {
    const { worker, api } = await useMockApi();
    const requests: { url: string; status?: number }[] = [];
    const onResponse = ({ request, response }: { request: Request; response: Response }) =>
      requests.push({ url: new URL(request.url).pathname, status: response.status });
    const onRequest = ({ request }: { request: Request }) => requests.push({ url: new URL(request.url).pathname });
    worker.events.on('request:start', onRequest);
    worker.events.on('response:mocked', onResponse);
    try {
      const provider = await fixture<PorticoProvider>(
        html`<portico-provider api-base="/api">
          <portico-ticket-list></portico-ticket-list>
        </portico-provider>`,
      );
      const list = provider.querySelector('portico-ticket-list')!;
      await (list as unknown as LitElement).updateComplete;
      // Long enough for a session load and the list's first page to have gone out.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(requests, 'no request without a token').to.deep.equal([]);
      expect(provider.activeClient).to.equal(undefined);
      expect(provider.sessionState.status).to.equal('loading');

      provider.getToken = () => api.tokenFor('mia@acme.example');
      await ready(provider);
      await waitUntil(() => requests.some((r) => r.url === '/api/v1/tickets' && r.status === 200), 'the list never loaded', { timeout: 5000 });
      expect(requests.filter((r) => r.status === 401)).to.deep.equal([]);

      // Signing out (no token source again) leaves no contact's session on screen.
      provider.getToken = undefined;
      await provider.updateComplete;
      expect(provider.sessionState.session).to.equal(undefined);
      expect(provider.activeClient).to.equal(undefined);
    } finally {
      worker.events.removeListener('request:start', onRequest);
      worker.events.removeListener('response:mocked', onResponse);
    }
  });

  it('works with a fixed token attribute', async () => {
    const { api } = await useMockApi();
    const token = await api.tokenFor('gus@globex.example');
    const provider = await fixture<PorticoProvider>(html`<portico-provider api-base="/api" token=${token}></portico-provider>`);
    await ready(provider);
    expect(provider.sessionState.session?.account.name).to.equal('Globex');
  });

  it('emits portico-session-expired when the server still answers 401 after a token refresh', async () => {
    const { worker, api } = await useMockApi();
    worker.use(http.get('/api/v1/me', problem401));
    const refreshes: boolean[] = [];
    const expired: CustomEvent[] = [];
    const listener = (event: Event) => expired.push(event as CustomEvent);
    document.addEventListener('portico-session-expired', listener);
    try {
      const provider = await fixture<PorticoProvider>(
        html`<portico-provider
          api-base="/api"
          .getToken=${({ forceRefresh }: { forceRefresh: boolean }) => {
            refreshes.push(forceRefresh);
            return api.tokenFor('mia@acme.example');
          }}
        ></portico-provider>`,
      );
      await waitUntil(() => expired.length > 0, 'portico-session-expired never fired', { timeout: 5000 });
      expect(refreshes, 'asked for a fresh token once before giving up').to.deep.equal([false, true]);
      expect(expired).to.have.length(1);
      expect(expired[0]!.detail.error.status).to.equal(401);
      expect(expired[0]!.detail.error.code).to.equal('unauthorized');
      expect(expired[0]!.bubbles && expired[0]!.composed).to.equal(true);
      expect(provider.sessionState.status).to.equal('expired');

      // Signing in again recovers.
      worker.resetHandlers();
      await provider.refresh();
      expect(provider.sessionState.status).to.equal('ready');
    } finally {
      document.removeEventListener('portico-session-expired', listener);
    }
  });

  it('reports a failing session load as an error state', async () => {
    const { worker } = await useMockApi();
    worker.use(
      http.get('/api/v1/me', () =>
        HttpResponse.json(
          { type: 'about:blank', title: 'Internal', status: 500, code: 'internal', detail: 'Boom' },
          { status: 500, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } },
        ),
      ),
    );
    const { provider } = await mountWithProvider(html`<span></span>`);
    await waitUntil(() => provider.sessionState.status === 'error', 'no error state', { timeout: 5000 });
    expect(provider.sessionState.error?.status).to.equal(500);
  });

  it('an explicit client wins over api-base and token', async () => {
    const session = { contact: { email: 'fake@example.com' } } as unknown as Session;
    const calls: string[] = [];
    const fake = {
      getSession: async () => {
        calls.push('getSession');
        return session;
      },
    } as unknown as PorticoClient;
    const provider = await fixture<PorticoProvider>(
      html`<portico-provider api-base="/nowhere" token="x" .client=${fake}>
        <portico-test-probe></portico-test-probe>
      </portico-provider>`,
    );
    const probe = provider.querySelector<ContextProbe>('portico-test-probe')!;
    await ready(provider);
    expect(probe.client.value).to.equal(fake);
    expect(provider.sessionState.session).to.equal(session);
    expect(calls).to.deep.equal(['getSession']);
  });
});
