import { expect, waitUntil } from '@open-wc/testing';
import { HttpClient, MAX_ATTACHMENT_BYTES } from '@portico/core';
import { HttpResponse, http } from 'msw';
import { nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import { clearDrafts, control, errorOf, fillValid, mountForm, problem, submit, ticketsWithSubject } from '../../../../test/browser/ticket-form-fixtures.ts';
import type { PorticoTicketCreatedDetail, PorticoTicketForm } from './ticket-form.ts';

/** Picks files through the file input, as the "Add files" button does. */
async function pick(el: PorticoTicketForm, files: File[]): Promise<void> {
  const input = control(el, 'files');
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

const fileRows = (el: Element) => parts(el, 'attachment').map((a) => ({ name: a.querySelector('.file-name')!.textContent, status: a.dataset.status }));
const png = (name = 'screenshot.png') => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], name, { type: 'image/png' });

describe('portico-ticket-form attachments', () => {
  beforeEach(async () => {
    clearDrafts();
    await useMockApi();
  });

  it('uploads a picked file and links it to the ticket, downloadable by those who may see it', async () => {
    const { el, api } = await mountForm('jay@acme.example');
    await fillValid(el, 'With a screenshot');
    control(el, 'vis-private').click();
    await pick(el, [png()]);
    await waitUntil(() => fileRows(el)[0]?.status === 'done', 'never uploaded');
    expect(part(el, 'attachment')!.textContent).to.contain('Uploaded');
    const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
    await submit(el);
    const { ticket } = (await created).detail;
    const jay = new HttpClient({ apiBase: '/api', token: await api.tokenFor('jay@acme.example') });
    const [attachment] = await jay.listAttachments(ticket.id);
    expect(attachment!.name).to.equal('screenshot.png');
    const blob = await jay.downloadAttachment(ticket.id, attachment!.id);
    expect([...new Uint8Array(await blob.arrayBuffer())]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const mia = new HttpClient({ apiBase: '/api', token: await api.tokenFor('mia@acme.example') });
    const refused = await mia.downloadAttachment(ticket.id, attachment!.id).catch((e) => e);
    expect(refused.status).to.equal(404, "Mia may not see Jay's private ticket, nor its files");
  });

  it('refuses a sixth file, a file over 10 MB and types outside the allow-list, without uploading them', async () => {
    const { el, worker } = await mountForm('jay@acme.example');
    let uploads = 0;
    worker.use(
      http.post('/api/v1/attachments', () => {
        uploads++;
        return undefined;
      }),
    );
    await pick(el, [
      new File([new Uint8Array(MAX_ATTACHMENT_BYTES + 1)], 'huge.pdf', { type: 'application/pdf' }),
      new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' }),
      new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }),
    ]);
    const errors = errorOf(el, 'files');
    expect(errors).to.contain('huge.pdf is larger than 10 MB');
    expect(errors).to.contain('setup.exe cannot be attached');
    expect(errors).to.contain('logo.svg cannot be attached');
    expect(fileRows(el)).to.deep.equal([]);
    await pick(
      el,
      [1, 2, 3, 4, 5, 6].map((i) => png(`shot-${i}.png`)),
    );
    expect(fileRows(el).map((f) => f.name)).to.deep.equal(['shot-1.png', 'shot-2.png', 'shot-3.png', 'shot-4.png', 'shot-5.png']);
    expect(errorOf(el, 'files')).to.contain('shot-6.png was not added: at most 5 files per ticket');
    await waitUntil(() => fileRows(el).every((f) => f.status === 'done'));
    expect(uploads).to.equal(5);
    expect(control(el, 'files').disabled, 'the picker is off at the limit').to.equal(true);
    // Removing one makes room again.
    parts(el, 'attachment')[0]!.querySelector<HTMLButtonElement>('button[aria-label="Remove shot-1.png"]')!.click();
    await el.updateComplete;
    expect(fileRows(el)).to.have.length(4);
    expect(control(el, 'files').disabled).to.equal(false);
  });

  it('accepts files dropped on the drop zone, typing a .log file as text', async () => {
    const { el, worker } = await mountForm('jay@acme.example');
    const types: string[] = [];
    worker.use(
      http.post('/api/v1/attachments', ({ request }) => {
        types.push(request.headers.get('Content-Type')!);
        return undefined;
      }),
    );
    const dt = new DataTransfer();
    dt.items.add(new File(['ERROR boom'], 'server.log', { type: '' }));
    const zone = part(el, 'dropzone')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(zone.classList.contains('dragging')).to.equal(true);
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await waitUntil(() => fileRows(el)[0]?.status === 'done', 'the dropped file never uploaded');
    expect(fileRows(el)[0]!.name).to.equal('server.log');
    expect(types).to.deep.equal(['text/plain']);
  });

  it("shows the server's 413 and 415 next to the file, and does not file the ticket with it", async () => {
    const { el, api, worker } = await mountForm('jay@acme.example');
    worker.use(
      http.post('/api/v1/attachments', ({ request }) =>
        new URL(request.url).searchParams.get('name') === 'big.zip'
          ? problem(413, 'payload_too_large', 'A file may be at most 2 MB.')
          : problem(415, 'unsupported_media_type', 'Files of type text/csv cannot be attached.'),
      ),
    );
    await fillValid(el, 'Server refuses my files');
    await pick(el, [new File(['x'], 'big.zip', { type: 'application/zip' }), new File(['a,b'], 'data.csv', { type: 'text/csv' })]);
    await waitUntil(() => fileRows(el).every((f) => f.status === 'failed'), 'the refusals never showed');
    const rows = parts(el, 'attachment');
    expect(rows[0]!.textContent).to.contain('A file may be at most 2 MB.');
    expect(rows[1]!.textContent).to.contain('Files of type text/csv cannot be attached.');
    await submit(el);
    await waitUntil(() => errorOf(el, 'files').includes('could not be uploaded'), 'no field error');
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'files');
    expect(await ticketsWithSubject(api, 'Server refuses my files')).to.have.length(0);
  });

  it('retries a failed upload with the same key when the ticket is submitted, then files one ticket with one file', async () => {
    const { el, api, worker } = await mountForm('jay@acme.example');
    const keys: string[] = [];
    let drop = true;
    worker.use(
      http.post('/api/v1/attachments', ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key')!);
        if (drop) {
          drop = false;
          return HttpResponse.error();
        }
        return undefined;
      }),
    );
    await fillValid(el, 'Upload drops once');
    await pick(el, [png()]);
    await waitUntil(() => fileRows(el)[0]?.status === 'failed');
    expect(part(el, 'attachment')!.textContent).to.contain('no connection');
    const created = nextEvent<CustomEvent<PorticoTicketCreatedDetail>>(el, 'portico-ticket-created');
    await submit(el);
    const { ticket } = (await created).detail;
    expect(keys).to.have.length(2);
    expect(keys[1]).to.equal(keys[0]);
    expect((await api.store.listAttachments(ticket.id)).map((a) => a.name)).to.deep.equal(['screenshot.png']);
    expect(await ticketsWithSubject(api, 'Upload drops once')).to.have.length(1);
    await waitForPart(el, 'success');
  });
});
