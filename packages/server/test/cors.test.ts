/**
 * CORS over real HTTP, for a server that allows any origin (`*`, the default) and one that lists
 * its origins: the preflight, and the headers of every kind of answer (a page plain, brotli and
 * gzip, a 401, a 422 problem, a live event stream) for an allowed origin, a refused one and no
 * Origin at all. Also that either setting keeps a page on the Node adapter's fast path, where the
 * whole in-memory body goes out in one `end(body)` call instead of being streamed through
 * `write` (see docs/performance.md, "CORS with listed origins").
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AppOptions } from '@portico/server';
import type { RunningServer } from '@portico/server/node';
import { rawRequest, startDemoServer, type RawResponse } from './helpers.ts';

const VENDOR = 'https://vendor.example';
const HELP = 'https://help.vendor.example';
const EVIL = 'https://evil.example';

/** The request and `ServerResponse#write` calls the server made while answering it. */
async function withWrites(run: () => Promise<RawResponse>): Promise<RawResponse & { writes: number }> {
  const write = ServerResponse.prototype.write;
  let writes = 0;
  ServerResponse.prototype.write = function (this: ServerResponse, ...args: unknown[]) {
    writes++;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof write;
  try {
    return { ...(await run()), writes };
  } finally {
    ServerResponse.prototype.write = write;
  }
}

const decode: Record<string, (body: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync };

/** Each way a vendor sets the allowed origins: `corsOrigins` left out (any), a list, a predicate. */
const SETTINGS: [string, AppOptions['corsOrigins']][] = [
  ['any origin (*)', undefined],
  ['listed origins', [VENDOR, HELP]],
  ['origins allowed by a predicate', (origin) => origin === VENDOR || origin.endsWith('.vendor.example')],
];

for (const [setting, corsOrigins] of SETTINGS) {
  const listed = corsOrigins !== undefined;
  describe(`CORS, ${setting}`, () => {
    let server: RunningServer;
    let auth: Record<string, string>;

    before(async () => {
      ({ server, auth } = await startDemoServer({ corsOrigins }));
    });

    after(() => server.close());

    /** The origin the answer names for a request from `origin`: itself when allowed, none when refused, `*` for any. */
    const expectedOrigin = (origin: string | undefined) => (!listed ? '*' : origin === VENDOR || origin === HELP ? origin : undefined);

    it('answers a preflight with the allowed methods, headers and max-age, naming only an allowed origin', async () => {
      for (const origin of [VENDOR, HELP, EVIL]) {
        const res = await rawRequest(
          `${server.url}/v1/tickets`,
          {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,idempotency-key,content-type',
          },
          { method: 'OPTIONS' },
        );
        assert.equal(res.status, 204, origin);
        assert.equal(res.headers['access-control-allow-origin'], expectedOrigin(origin), origin);
        assert.equal(res.headers['access-control-allow-methods'], 'GET,POST,PUT,PATCH,DELETE,OPTIONS', origin);
        assert.equal(res.headers['access-control-allow-headers'], 'Authorization,Content-Type,Idempotency-Key,If-Match,If-None-Match,Last-Event-ID', origin);
        assert.equal(res.headers['access-control-max-age'], '600', origin);
        assert.equal(res.headers['access-control-allow-credentials'], undefined, origin);
        const vary = String(res.headers.vary ?? '');
        assert.equal(/\borigin\b/i.test(vary), listed, `${origin}: Vary ${vary}`);
      }
    });

    it('gives every answer its CORS headers, plain or compressed, a page or a problem, and keeps in-memory bodies on the fast path', async () => {
      const page = `${server.url}/v1/tickets?view=account&limit=50`;
      const cases: { label: string; url: string; headers: Record<string, string>; status: number; encoding?: string }[] = [
        { label: 'page', url: page, headers: auth, status: 200 },
        { label: 'page br', url: page, headers: { ...auth, 'accept-encoding': 'br' }, status: 200, encoding: 'br' },
        { label: 'page gzip', url: page, headers: { ...auth, 'accept-encoding': 'gzip' }, status: 200, encoding: 'gzip' },
        { label: '401', url: page, headers: { authorization: 'Bearer not-a-token' }, status: 401 },
        { label: '422', url: `${server.url}/v1/tickets?limit=101`, headers: auth, status: 422 },
      ];
      for (const { label, url, headers, status, encoding } of cases) {
        for (const origin of [VENDOR, HELP, EVIL, undefined]) {
          const name = `${label} from ${origin ?? 'no origin'}`;
          const res = await withWrites(() => rawRequest(url, origin ? { ...headers, origin } : headers));
          assert.equal(res.status, status, name);
          assert.equal(res.headers['access-control-allow-origin'], expectedOrigin(origin), name);
          assert.match(String(res.headers['access-control-expose-headers']), /^ETag,Location,Retry-After,Idempotency-Replayed,Content-Disposition$/, name);
          assert.equal(res.headers['access-control-allow-credentials'], undefined, name);
          const vary = String(res.headers.vary ?? '');
          assert.equal(/\borigin\b/i.test(vary), listed, `${name}: Vary ${vary}`);
          if (status === 200) assert.match(vary, /accept-encoding/i, name);
          else assert.match(String(res.headers['content-type']), /^application\/problem\+json/, name);
          assert.equal(res.headers['content-encoding'], encoding, name);
          assert.equal(Number(res.headers['content-length']), res.body.length, name);
          const text = (encoding ? decode[encoding]!(res.body) : res.body).toString('utf8');
          assert.equal(typeof JSON.parse(text), 'object', name);
          // The body, in memory, left in one call with its headers: not rebuilt around a stream.
          assert.equal(res.writes, 0, `${name}: ${res.writes} write() calls`);
        }
      }
    });

    it('gives a live event stream its CORS headers', async () => {
      for (const origin of [VENDOR, EVIL, undefined]) {
        const res = await rawRequest(`${server.url}/v1/events`, origin ? { ...auth, origin } : auth, { headersOnly: true });
        assert.equal(res.status, 200, origin);
        assert.match(String(res.headers['content-type']), /^text\/event-stream/);
        assert.equal(res.headers['access-control-allow-origin'], expectedOrigin(origin), origin);
        assert.match(String(res.headers['access-control-expose-headers']), /ETag/, origin);
        assert.equal(/\borigin\b/i.test(String(res.headers.vary ?? '')), listed, origin);
      }
    });
  });
}
