/**
 * The demo vendor app's sign-in (`POST /demo/session`) mints a token for any demo contact, so it
 * exists only in demo mode (`--demo` / `PORTICO_DEMO=1`, which `npm start` sets) and answers only
 * the app's own pages: JSON, and no other site's Origin (a `text/plain` POST needs no preflight).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer, type DemoServer } from './demo-server.ts';

const post = (base: string, headers: Record<string, string>, body = JSON.stringify({ email: 'ada@acme.example' })) =>
  fetch(`${base}/demo/session`, { method: 'POST', headers, body });

describe('demo sign-in', () => {
  describe('without demo mode', () => {
    let demo: DemoServer;
    before(async () => {
      demo = await startDemoServer({ PORTICO_DEMO: '', PORTICO_JWT_SECRET: 'a-real-secret-of-the-vendor-0123456789' });
    });
    after(() => demo.stop());

    it('does not exist', async () => {
      const res = await post(demo.base, { 'content-type': 'application/json' });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal((await fetch(`${demo.base}/demo/contacts`)).status, 404);
      // The page itself is still served.
      assert.equal((await fetch(`${demo.base}/`)).status, 200);
    });
  });

  describe('in demo mode', () => {
    let demo: DemoServer;
    before(async () => {
      demo = await startDemoServer();
    });
    after(() => demo.stop());

    it('refuses another site and anything but JSON, and mints nothing for them', async () => {
      const evil = await post(demo.base, { origin: 'https://evil.example', 'content-type': 'text/plain' });
      assert.equal(evil.status, 415);
      const evilJson = await post(demo.base, { origin: 'https://evil.example', 'content-type': 'application/json' });
      assert.equal(evilJson.status, 403);
      assert.equal(evilJson.headers.get('content-type'), 'application/problem+json');
      assert.equal(evilJson.headers.get('access-control-allow-origin'), null);
      const crossSite = await post(demo.base, { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' });
      assert.equal(crossSite.status, 403);
      const form = await post(demo.base, { 'content-type': 'application/x-www-form-urlencoded' }, 'email=ada@acme.example');
      assert.equal(form.status, 415);
    });

    it("signs in the app's own page", async () => {
      const res = await post(demo.base, { origin: demo.base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' });
      assert.equal(res.status, 200);
      assert.match(((await res.json()) as { token: string }).token, /^ey/);
    });
  });
});
