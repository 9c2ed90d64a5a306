import { expect, waitUntil } from '@open-wc/testing';
import { HttpClient } from '@portico/core';
import { DEMO_SERVICE_API_KEY } from '@portico/mocks';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import { liveStreamOpen, mountWithProvider, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-account-summary.ts';
import type { PorticoAccountSummary } from './account-summary.ts';
import { runDataElementSuite, serviceCall } from '../../../../test/browser/data-element-suite.ts';

const value = (el: Element, name: string) => el.shadowRoot!.querySelector(`[data-figure="${name}"] [part~="value"]`)!.textContent!.trim();

describe('portico-account-summary', () => {
  beforeEach(async () => {
    await useMockApi();
  });

  it('shows the figures the server computed for the contact', async () => {
    const { el, api } = await mountWithProvider<PorticoAccountSummary>(html`<portico-account-summary></portico-account-summary>`);
    await waitForPart(el, 'figures');
    const client = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
    const summary = await client.getSummary();
    expect(value(el, 'open')).to.equal(String(summary.figures.open.total));
    expect(value(el, 'sla-now')).to.equal(String(summary.figures.slaNow.breached));
    expect(parts(el, 'categories')[0]!.querySelectorAll('li').length).to.equal(4);
    expect(part(el, 'accounts')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('rolls up child accounts for a parent-account admin', async () => {
    const { el } = await mountWithProvider<PorticoAccountSummary>(html`<portico-account-summary account="all"></portico-account-summary>`, {
      as: 'ada@acme.example',
    });
    const table = await waitForPart(el, 'accounts');
    const names = [...table.querySelectorAll('tbody th')].map((th) => th.textContent!.trim());
    expect(names).to.deep.equal(['Acme Corp', 'Acme EMEA', 'Acme Labs']);
  });

  it('updates without reload when a ticket changes', async () => {
    const { el } = await mountWithProvider<PorticoAccountSummary>(html`<portico-account-summary></portico-account-summary>`);
    await waitForPart(el, 'figures');
    const before = Number(value(el, 'open'));
    await liveStreamOpen();
    const res = await fetch('/api/v1/service/tickets/tkt_1001', {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'solved', agent: { name: 'Sam Patel' } }),
    });
    expect(res.status).to.equal(200);
    await waitUntil(() => Number(value(el, 'open')) === before - 1, 'the open count did not follow', { timeout: 5000 });
  });

  it('shows an error with Retry', async () => {
    const { worker } = await useMockApi();
    // Down until the test says otherwise (the client itself retries a 503 twice before giving up).
    let down = true;
    worker.use(
      http.get('/api/v1/summary', () =>
        down ? HttpResponse.json({ type: 'about:blank', title: 'Down', status: 503, code: 'internal', detail: 'Down' }, { status: 503 }) : undefined,
      ),
    );
    const { el } = await mountWithProvider<PorticoAccountSummary>(html`<portico-account-summary></portico-account-summary>`);
    const error = await waitForPart(el, 'error');
    down = false;
    error.querySelector('button')!.click();
    await waitForPart(el, 'figures');
  });
});

runDataElementSuite({
  tag: 'portico-account-summary',
  template: () => html`<portico-account-summary></portico-account-summary>`,
  route: '/api/v1/summary',
  loaded: 'figures',
  live: async (el) => {
    const before = Number(value(el, 'open'));
    await serviceCall('PATCH', '/tickets/tkt_1001', { status: 'solved', agent: { name: 'Sam Patel' } });
    await waitUntil(() => Number(value(el, 'open')) === before - 1, 'the open count did not follow', { timeout: 5000 });
  },
});
