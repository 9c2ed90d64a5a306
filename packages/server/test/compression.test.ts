/**
 * The Node server compresses text responses for clients that accept it (node.ts), over real
 * HTTP, and leaves a record's strong ETag usable for If-Match / If-None-Match.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { DEMO_JWT_SECRET, MemoryStore, demoSeed, mintToken } from '@portico/server';
import { startServer, type RunningServer } from '@portico/server/node';

/** One raw request (no automatic decompression), so the wire bytes are what the test sees. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('response compression', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  before(async () => {
    const store = new MemoryStore();
    await store.load(demoSeed());
    server = await startServer({ store, auth: { secret: DEMO_JWT_SECRET }, port: 0, slaSweepMs: 0, basePath: '/api' });
    auth = { authorization: `Bearer ${await mintToken({ email: 'ada@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET })}` };
  });

  after(() => server.close());

  it('gzips a ticket page for a client that accepts gzip, and sends it plain to one that does not', async () => {
    const url = `${server.url}/v1/tickets?view=account&limit=50`;
    const zipped = await get(url, { ...auth, 'accept-encoding': 'gzip, deflate, br' });
    const plain = await get(url, auth);
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /accept-encoding/i);
    assert.equal(plain.headers['content-encoding'], undefined);
    const ids = (body: string) => (JSON.parse(body) as { items: { id: string }[] }).items.map((t) => t.id);
    const zippedIds = ids(gunzipSync(zipped.body).toString('utf8'));
    assert.ok(zippedIds.length > 1);
    assert.deepEqual(zippedIds, ids(plain.body.toString('utf8')));
    assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} bytes gzipped vs ${plain.body.length} plain`);
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
    const first = await get(url, { ...auth, 'accept-encoding': 'gzip' });
    assert.equal(first.status, 200);
    assert.ok(first.body.length > 2048, `a ${first.body.length}-byte ticket`);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"v\d+"$/);
    const again = await get(url, { ...auth, 'accept-encoding': 'gzip', 'if-none-match': etag });
    assert.equal(again.status, 304);
  });
});
