import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_SERVICE_API_KEY, harness } from './helpers.ts';

describe('service API authentication', () => {
  async function withProbeRoute(options = {}) {
    const h = await harness('memory', options);
    // A stand-in service route: the real ones are registered by feature modules.
    h.app.get('/v1/service/probe', (c) => c.json({ key: c.get('service').keyIndex }));
    return h;
  }

  it('accepts a configured API key', async () => {
    const h = await withProbeRoute();
    const res = await h.call('GET', '/v1/service/probe', { token: DEMO_SERVICE_API_KEY });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { key: 0 });
  });

  it('refuses a missing or wrong key, and a contact token, with 401 problem+json', async () => {
    const h = await withProbeRoute();
    for (const init of [{}, { token: `${DEMO_SERVICE_API_KEY}x` }, { as: 'ada' as const }]) {
      const res = await h.call('GET', '/v1/service/probe', init);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(res.body.code, 'unauthorized');
    }
  });

  it('is switched off when no key is configured', async () => {
    const h = await withProbeRoute({ serviceApiKeys: [] });
    const res = await h.call('GET', '/v1/service/probe', { token: DEMO_SERVICE_API_KEY });
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /not enabled/);
  });

  it('never lets an API key act as a contact', async () => {
    const h = await withProbeRoute();
    const res = await h.call('GET', '/v1/me', { token: DEMO_SERVICE_API_KEY });
    assert.equal(res.status, 401);
  });
});
