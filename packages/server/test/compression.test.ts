/**
 * The Node server compresses text responses for clients that accept it (compression.ts),
 * brotli first, over real HTTP; leaves event streams and small bodies alone, and a record's
 * strong ETag usable for If-Match / If-None-Match.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { RunningServer } from '@portico/server/node';
import { rawRequest, startDemoServer } from './helpers.ts';

/** A page of a few KiB, and a file over 1 MiB (streamed through the compressor rather than read whole). */
const SMALL_PAGE = Array.from({ length: 100 }, (_, i) => `line ${i} of a page the vendor serves`).join('\n');
const LARGE_TEXT = Array.from({ length: 40_000 }, (_, i) => `row ${i}: export of the account's tickets, ${i % 7} attachments`).join('\n');

describe('response compression', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  before(async () => {
    ({ server, auth } = await startDemoServer({
      basePath: '/api',
      // Files beside the API, the way a vendor serves its pages: with a length and a Vary of their own.
      extend: (root) =>
        root.get('/files/:name', (c) => {
          const body = c.req.param('name') === 'large.txt' ? LARGE_TEXT : SMALL_PAGE;
          return c.body(body, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Vary: 'Origin' });
        }),
    }));
  });

  after(() => server.close());

  it('sends a ticket page brotli-compressed when the client accepts br, else gzipped, else plain; each decodes to the very bytes sent plain', async () => {
    const url = `${server.url}/v1/tickets?view=account&limit=50`;
    const plain = await rawRequest(url, auth);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.length > 1024);
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
    ] as const) {
      const res = await rawRequest(url, { ...auth, 'accept-encoding': accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], encoding, accept);
      assert.match(String(res.headers.vary), /accept-encoding/i);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.deepEqual(decode(res.body), plain.body, `${encoding} decodes to the plain bytes`);
      assert.ok(res.body.length < plain.body.length / 4, `${res.body.length} bytes ${encoding} vs ${plain.body.length} plain`);
    }
  });

  it('answers a page and a refusal with every header, plain or compressed: CORS, no-store, nosniff, Vary, a right length', async () => {
    const url = `${server.url}/v1/tickets?view=account&limit=50`;
    const origin = { origin: 'https://vendor.example' };
    for (const [headers, status] of [
      [{ ...auth, ...origin }, 200],
      [{ ...auth, ...origin, 'accept-encoding': 'br' }, 200],
      [{ ...auth, ...origin, 'accept-encoding': 'gzip' }, 200],
      [{ ...origin, authorization: 'Bearer not-a-token' }, 401],
    ] as const) {
      const res = await rawRequest(url, headers);
      const label = `${status} ${'accept-encoding' in headers ? headers['accept-encoding'] : 'plain'}`;
      assert.equal(res.status, status, label);
      assert.equal(res.headers['access-control-allow-origin'], '*', label);
      assert.match(String(res.headers['access-control-expose-headers']), /ETag/, label);
      assert.equal(res.headers['cache-control'], 'no-store', label);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', label);
      assert.equal(Number(res.headers['content-length']), res.body.length, label);
      if (status === 200) assert.match(String(res.headers.vary), /accept-encoding/i, label);
      else assert.match(String(res.headers['content-type']), /^application\/problem\+json/, label);
    }
  });

  it('compresses what `extend` serves, small or streamed, keeping its own Vary and a right length', async () => {
    assert.ok(Buffer.byteLength(LARGE_TEXT) > 1024 * 1024);
    const origin = new URL(server.url).origin;
    for (const [name, text] of [
      ['page.txt', SMALL_PAGE],
      ['large.txt', LARGE_TEXT],
    ] as const) {
      for (const [accept, encoding, decode] of [
        ['br', 'br', brotliDecompressSync],
        ['gzip', 'gzip', gunzipSync],
      ] as const) {
        const res = await rawRequest(`${origin}/files/${name}`, { 'accept-encoding': accept });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], encoding, `${name} ${accept}`);
        assert.equal(res.headers.vary, 'Origin, Accept-Encoding');
        if (res.headers['content-length'] !== undefined) assert.equal(Number(res.headers['content-length']), res.body.length);
        assert.equal(decode(res.body).toString('utf8'), text, `${name} ${accept}`);
      }
      const plain = await rawRequest(`${origin}/files/${name}`, {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.body.toString('utf8'), text);
    }
  });

  it('follows the q-values of Accept-Encoding: the highest weight wins, brotli on a tie, q=0 refuses', async () => {
    const url = `${server.url}/v1/tickets?view=account&limit=50`;
    const cases: [string, string | undefined][] = [
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip;q=0.8, br;q=0.9', 'br'],
      ['GZIP, BR', 'br'],
      ['br;q=0, *', 'gzip'],
      ['*', 'br'],
      ['*;q=0.2, gzip;q=0.5', 'gzip'],
      ['br;q=0, gzip;q=0', undefined],
      ['identity', undefined],
      ['deflate', undefined],
    ];
    for (const [accept, expected] of cases) {
      const res = await rawRequest(url, { ...auth, 'accept-encoding': accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], expected, accept);
      const body = expected === 'br' ? brotliDecompressSync(res.body) : expected === 'gzip' ? gunzipSync(res.body) : res.body;
      assert.ok(Array.isArray((JSON.parse(body.toString('utf8')) as { items: unknown[] }).items), accept);
    }
  });

  it('leaves bodies under 1 KiB and live event streams uncompressed', async () => {
    const small = await rawRequest(`${server.url}/healthz`, { 'accept-encoding': 'br, gzip' });
    assert.equal(small.status, 200);
    assert.equal(small.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(small.body.toString('utf8')), { status: 'ok' });
    const stream = await rawRequest(`${server.url}/v1/events`, { ...auth, 'accept-encoding': 'br, gzip' }, { headersOnly: true });
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['content-encoding'], undefined);
  });

  it('keeps a ticket’s strong ETag, so If-None-Match still answers 304', async () => {
    // A description long enough that the ticket would be compressed if it had no strong ETag.
    const created = await fetch(`${server.url}/v1/tickets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'compression-etag-1' },
      body: JSON.stringify({ subject: 'Export fails for large dashboards', description: 'Steps to reproduce. '.repeat(120).trim(), category: 'technical' }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const url = `${server.url}/v1/tickets/${id}`;
    const first = await rawRequest(url, { ...auth, 'accept-encoding': 'br, gzip' });
    assert.equal(first.status, 200);
    assert.ok(first.body.length > 2048, `a ${first.body.length}-byte ticket`);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"v\d+"$/);
    assert.equal(first.headers['content-encoding'], undefined);
    const again = await rawRequest(url, { ...auth, 'accept-encoding': 'br, gzip', 'if-none-match': etag });
    assert.equal(again.status, 304);
  });
});
