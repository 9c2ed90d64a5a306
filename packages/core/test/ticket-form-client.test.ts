/** The ticket form's part of core: HttpClient's upload, download, similar, article and deflection calls; the create schema. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TicketCreateSchema, fieldErrorsOf, uploadTypeOf } from '@portico/core';
import { recorder } from './fake-fetch.ts';

const file = (parts: BlobPart[], name: string, type = '') => Object.assign(new Blob(parts, { type }), { name });

describe('HttpClient ticket-form calls', () => {
  it('uploads the raw bytes with the file name, its type and the given idempotency key', async () => {
    const { client, requests } = recorder(() => Response.json({ id: 'att_1' }, { status: 201 }));
    await client.uploadAttachment(file(['ERROR boom'], 'server log ✓.log', 'text/x-log'), { idempotencyKey: 'k-1' });
    const r = requests[0]!;
    assert.equal(r.method, 'POST');
    const url = new URL(r.url);
    assert.equal(url.pathname, '/api/v1/attachments');
    assert.equal(url.searchParams.get('name'), 'server log ✓.log');
    assert.equal(r.headers.get('content-type'), 'text/plain');
    assert.equal(r.headers.get('idempotency-key'), 'k-1');
    assert.equal(await r.text(), 'ERROR boom');
  });

  it('types uploads by known extension first, else by what the browser says', () => {
    assert.equal(uploadTypeOf(file([], 'a.CSV', 'application/vnd.ms-excel')), 'text/csv');
    assert.equal(uploadTypeOf(file([], 'a.zip', 'application/x-zip-compressed')), 'application/zip');
    assert.equal(uploadTypeOf(file([], 'a.log', '')), 'text/plain');
    assert.equal(uploadTypeOf(file([], 'drawing.svg', 'image/svg+xml')), 'image/svg+xml');
    assert.equal(uploadTypeOf(file([], 'noext', '')), 'application/octet-stream');
  });

  it('downloads a file as a Blob, and asks for similar tickets, articles and deflections', async () => {
    const { client, requests } = recorder((req) => {
      const path = new URL(req.url).pathname;
      if (path.endsWith('/attachments/att%201')) return new Response(new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'image/png' } });
      if (path.endsWith('/deflections')) return Response.json({ id: 'dfl_1' }, { status: 201 });
      return Response.json({ items: [{ id: 'x' }], nextCursor: null });
    });
    const blob = await client.downloadAttachment('tkt 1', 'att 1');
    assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())], [1, 2, 3]);
    assert.equal(new URL(requests[0]!.url).pathname, '/api/v1/tickets/tkt%201/attachments/att%201');
    assert.deepEqual(await client.findSimilarTickets('SSO login fa'), [{ id: 'x' }]);
    assert.equal(new URL(requests[1]!.url).search, '?q=SSO+login+fa');
    await client.searchArticles({ q: '', limit: 3 });
    assert.equal(new URL(requests[2]!.url).search, '?limit=3', 'an empty q is left out');
    await client.recordDeflection('art_1', { query: 'SSO' }, { keepalive: true });
    assert.equal(requests[3]!.method, 'POST');
    assert.ok(requests[3]!.headers.get('idempotency-key'));
    assert.deepEqual(await requests[3]!.json(), { query: 'SSO' });
    assert.equal(requests[3]!.keepalive, true);
    await client.searchArticles({ q: 'SSO', locale: 'de-CH' });
    assert.equal(new URL(requests[4]!.url).search, '?q=SSO&locale=de-CH', 'the reader’s language goes along');
  });
});

describe('TicketCreateSchema (the form and the server validate with it)', () => {
  const valid = { subject: 'Export fails', description: 'It fails.', category: 'technical' };
  it('requires a business impact only for urgent tickets, and reports it with the other errors', () => {
    assert.equal(TicketCreateSchema.safeParse({ ...valid, priority: 'high' }).success, true);
    const urgent = TicketCreateSchema.safeParse({ ...valid, subject: 'x', priority: 'urgent', businessImpact: '  ' });
    assert.equal(urgent.success, false);
    assert.deepEqual(Object.keys(fieldErrorsOf(urgent.error!.issues)).sort(), ['businessImpact', 'subject']);
    assert.equal(TicketCreateSchema.safeParse({ ...valid, priority: 'urgent', businessImpact: 'Nobody can log in' }).success, true);
  });

  it('caps attachments at 5 and CC at 20', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id_${i}`);
    assert.equal(TicketCreateSchema.safeParse({ ...valid, attachmentIds: ids(5), ccIds: ids(20) }).success, true);
    const over = TicketCreateSchema.safeParse({ ...valid, attachmentIds: ids(6), ccIds: ids(21) });
    assert.deepEqual(Object.keys(fieldErrorsOf(over.error!.issues)).sort(), ['attachmentIds', 'ccIds']);
  });
});
