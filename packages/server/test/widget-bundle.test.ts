/**
 * The reference server serves the widget bundle at /portico/<version>/portico.min.js with
 * immutable caching (routes/widget-bundle.ts), over real HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DEMO_JWT_SECRET, MemoryStore } from '@portico/server';
import { startServer, type RunningServer } from '@portico/server/node';

describe('the widget bundle route', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bundle-'));
  const script = `export const portico = "bundle";\n${Array.from({ length: 200 }, (_, i) => `export const part${i} = "part ${i} of the bundle";`).join('\n')}\n`;
  let server: RunningServer;
  let origin: string;

  before(async () => {
    writeFileSync(join(dir, 'portico.min.js'), script);
    writeFileSync(join(dir, 'portico.min.js.map'), '{"version":3}');
    writeFileSync(join(dir, 'secret.txt'), 'not served');
    server = await startServer({
      store: new MemoryStore(),
      auth: { secret: DEMO_JWT_SECRET },
      port: 0,
      slaSweepMs: 0,
      basePath: '/api',
      widgetBundle: { dir, version: '1.2.3' },
    });
    origin = new URL(server.url).origin;
  });

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /portico/<version>/portico.min.js as JavaScript, cached for a year and immutable, loadable cross-origin', async () => {
    const res = await fetch(`${origin}/portico/1.2.3/portico.min.js`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), script);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const map = await fetch(`${origin}/portico/1.2.3/portico.min.js.map`);
    assert.equal(map.status, 200);
    assert.match(map.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('sends the bundle brotli- or gzip-compressed as the client accepts, each decoding to the file', async () => {
    /** The raw bytes on the wire (fetch would decode them). */
    const raw = (encoding: string) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
        request(`${origin}/portico/1.2.3/portico.min.js`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    const br = await raw('gzip, deflate, br');
    assert.equal(br.encoding, 'br');
    assert.match(br.vary ?? '', /accept-encoding/i);
    assert.equal(brotliDecompressSync(br.body).toString('utf8'), script);
    assert.ok(br.body.length < script.length / 4, `${br.body.length} bytes for ${script.length}`);
    const again = await raw('br');
    assert.deepEqual(again.body, br.body, 'compressed once, then the same bytes');
    const gz = await raw('gzip');
    assert.equal(gz.encoding, 'gzip');
    assert.equal(gunzipSync(gz.body).toString('utf8'), script);
    const plain = await raw('identity');
    assert.equal(plain.encoding, undefined);
    assert.equal(plain.body.toString('utf8'), script);
  });

  it('answers another version, or another file of the folder, with a 404', async () => {
    for (const path of ['/portico/1.2.4/portico.min.js', '/portico/latest/portico.min.js', '/portico/1.2.3/secret.txt', '/portico/1.2.3/..%2Fsecret.txt']) {
      const res = await fetch(`${origin}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /not served/, path);
    }
  });

  it('leaves the API where it was', async () => {
    const res = await fetch(`${server.url}/v1/me`);
    assert.equal(res.status, 401);
  });
});
