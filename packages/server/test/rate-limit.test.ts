import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerConfig } from '@portico/server/node';
import { DEMO_SERVICE_API_KEY, harness } from './helpers.ts';

describe('rate limiting', () => {
  it('answers 429 problem+json with Retry-After once a contact spends its burst, per contact, and refills over time', async () => {
    const h = await harness('memory', { rateLimit: { perMinute: 60, burst: 3 } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await h.call('GET', '/v1/me', { as: 'mia' })).status, 200);
      const limited = await h.call('GET', '/v1/tickets', { as: 'mia' });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('Content-Type'), 'application/problem+json');
      assert.equal(limited.body.code, 'rate_limited');
      assert.equal(limited.headers.get('Retry-After'), '1');

      assert.equal((await h.call('GET', '/v1/me', { as: 'ada' })).status, 200, 'another contact has its own bucket');

      h.clock.now = new Date(h.clock.now.getTime() + 1000);
      assert.equal((await h.call('GET', '/v1/me', { as: 'mia' })).status, 200, 'one token back after a second at 60/min');
      assert.equal((await h.call('GET', '/v1/me', { as: 'mia' })).status, 429);
    } finally {
      await h.dispose();
    }
  });

  it('writes nothing when a create is refused', async () => {
    const h = await harness('memory', { rateLimit: { perMinute: 60, burst: 1 } });
    try {
      const ticket = { subject: 'Export stuck at 99 %', description: 'The CSV export never finishes.', category: 'technical', priority: 'normal' };
      assert.equal((await h.call('POST', '/v1/tickets', { as: 'jay', json: ticket })).status, 201);
      const refused = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...ticket, subject: 'Second try' } });
      assert.equal(refused.status, 429);
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
      const mine = (await h.call('GET', '/v1/tickets?view=mine&limit=100', { as: 'jay' })).body.items;
      assert.equal(mine.filter((t: { subject: string }) => t.subject === 'Second try').length, 0, 'the refused create left no ticket');
      assert.equal(mine.filter((t: { subject: string }) => t.subject === ticket.subject).length, 1);
    } finally {
      await h.dispose();
    }
  });

  it('limits the service API per key', async () => {
    const h = await harness('memory', { rateLimit: { perMinute: 60, burst: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await h.call('GET', '/v1/service/nothing-here', { token: DEMO_SERVICE_API_KEY })).status);
      }
      assert.deepEqual(
        statuses.slice(0, 2).map((s) => s !== 429),
        [true, true],
      );
      assert.equal(statuses[2], 429);
    } finally {
      await h.dispose();
    }
  });

  it('is configured by --rate-limit / PORTICO_RATE_LIMIT (0 = off), 600/min by default', () => {
    assert.deepEqual(parseServerConfig([], {}).rateLimit, { perMinute: 600, burst: 150 });
    assert.deepEqual(parseServerConfig(['--rate-limit', '120'], {}).rateLimit, { perMinute: 120 });
    assert.equal(parseServerConfig([], { PORTICO_RATE_LIMIT: '0' }).rateLimit, false);
    assert.throws(() => parseServerConfig(['--rate-limit', 'lots'], {}), /Invalid rate limit/);
  });
});
