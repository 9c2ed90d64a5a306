import { expect, waitUntil } from '@open-wc/testing';
import { HttpClient } from '@portico/core';
import { html } from 'lit';
import { mountWithProvider, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-ticket-detail.ts';
import type { PorticoTicketDetail } from './ticket-detail.ts';

const BYTES = [0x89, 0x50, 0x4e, 0x47, 7, 7, 7];

/** Jay files an urgent private ticket with a screenshot, through the API itself. */
async function jaysTicketWithFile(api: Awaited<ReturnType<typeof useMockApi>>['api']) {
  const jay = new HttpClient({ apiBase: '/api', token: await api.tokenFor('jay@acme.example') });
  const file = Object.assign(new Blob([new Uint8Array(BYTES)], { type: 'image/png' }), { name: 'screenshot.png' });
  const attachment = await jay.uploadAttachment(file);
  const ticket = await jay.createTicket({
    subject: 'Export crashes the dashboard',
    description: 'See the screenshot.',
    category: 'technical',
    priority: 'urgent',
    businessImpact: 'Finance cannot close the month',
    visibility: 'private',
    attachmentIds: [attachment.id],
  });
  return { ticket, attachment };
}

describe('portico-ticket-detail attachments and business impact', () => {
  it('shows the files of the ticket and downloads one with the user’s token', async () => {
    const { api } = await useMockApi();
    const { ticket } = await jaysTicketWithFile(api);
    const { el } = await mountWithProvider<PorticoTicketDetail>(html`<portico-ticket-detail ticket-id=${ticket.id}></portico-ticket-detail>`, {
      as: 'jay@acme.example',
    });
    const list = await waitForPart(el, 'attachments');
    expect(list.getAttribute('aria-label')).to.equal('Attachments');
    expect(parts(el, 'attachment').map((a) => a.querySelector('button')!.textContent!.trim())).to.deep.equal(['screenshot.png']);
    expect(part(el, 'business-impact')!.textContent).to.contain('Business impact: Finance cannot close the month');

    const blobs: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return original.call(URL, blob);
    };
    try {
      parts(el, 'attachment')[0]!.querySelector('button')!.click();
      await waitUntil(() => blobs.length === 1, 'the file was never downloaded');
    } finally {
      URL.createObjectURL = original;
    }
    expect([...new Uint8Array(await blobs[0]!.arrayBuffer())]).to.deep.equal(BYTES);
    await expect(el).to.be.accessible();
  });

  it('shows nothing of a private ticket to a colleague who may not see it', async () => {
    const { api } = await useMockApi();
    const { ticket } = await jaysTicketWithFile(api);
    const { el } = await mountWithProvider<PorticoTicketDetail>(html`<portico-ticket-detail ticket-id=${ticket.id}></portico-ticket-detail>`, {
      as: 'mia@acme.example',
    });
    await waitForPart(el, 'error');
    expect(part(el, 'attachments')).to.equal(null);
    expect(el.shadowRoot!.textContent).not.to.contain('screenshot.png');
  });
});
