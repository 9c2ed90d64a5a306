import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS, DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { parseServerConfig } from '@portico/server/node';
import { startCli } from './cli-process.ts';

describe('portico-server CLI', () => {
  it('starts on a free port with a temp db and the demo seed, and answers /v1/me', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-cli-'));
    const db = join(dir, 'nested', 'portico.db');
    const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
    const cli = startCli(['--port', '0', '--db', db, '--seed', 'demo', '--jwt-secret', secret]);
    try {
      const url = await cli.url;
      const token = await mintToken({ email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme, name: 'Ada' }, { secret });
      const res = await fetch(`${url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const session = (await res.json()) as { contact: { email: string; role: string } };
      assert.equal(session.contact.email, 'ada@acme.example');
      assert.equal(session.contact.role, 'admin');
      const list = await fetch(`${url}/v1/tickets?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
      assert.ok(((await list.json()) as { items: unknown[] }).items.length >= 50, 'Acme and its child accounts');
      const demoToken = await mintToken({ email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET });
      assert.equal(
        (await fetch(`${url}/v1/me`, { headers: { Authorization: `Bearer ${demoToken}` } })).status,
        401,
        'the demo secret is not accepted when another is set',
      );
      assert.ok(existsSync(db));
    } finally {
      assert.equal(await cli.stop(), 0, cli.output());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads its configuration from the environment, mounts under a base path and keeps data across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-cli-'));
    const env = { PORTICO_DB: join(dir, 'p.db'), PORTICO_PORT: '0', PORTICO_SEED: 'demo', PORTICO_BASE_PATH: '/api' };
    try {
      const first = startCli([], env);
      const url = await first.url;
      assert.match(url, /\/api$/);
      assert.match(first.output(), /demo secret/i, 'warns about the demo secret');
      const token = await mintToken({ email: 'gus@globex.example', account: DEMO_ACCOUNTS.globex }, { secret: DEMO_JWT_SECRET });
      const created = await fetch(`${url}/v1/tickets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: 'Persisted ticket', description: 'Survives a restart.', category: 'account' }),
      });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      await first.stop();

      const second = startCli([], env);
      const url2 = await second.url;
      assert.doesNotMatch(second.output(), /demo data loaded/, 'does not seed twice');
      const read = await fetch(`${url2}/v1/tickets/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(read.status, 200);
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits with usage on bad flags and without any key outside demo mode', async () => {
    for (const args of [['--port', 'abc'], ['--bogus'], ['--db', join(tmpdir(), 'never.db')], ['--jwt-secret', 'short']]) {
      const cli = startCli(args);
      await assert.rejects(cli.url, /exited with 2/);
    }
  });

  it('parses flags over environment variables', () => {
    const config = parseServerConfig(['--port', '9000', '--jwt-secret', 'x'.repeat(32)], {
      PORT: '1234',
      PORTICO_DB: '/tmp/a.db',
      PORTICO_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.db, '/tmp/a.db');
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.deepEqual(config.auth, { secret: 'x'.repeat(32) });
    assert.throws(() => parseServerConfig(['--jwt-secret', 'x'.repeat(32)], { PORTICO_JWKS_URL: 'https://idp.example/jwks' }));
    assert.equal(parseServerConfig([], {}).port, 8787);
    assert.equal(parseServerConfig([], {}).db, '.portico/portico.db');
  });

  it('refuses private webhook addresses unless --webhook-allow-private (or its variable) says otherwise', () => {
    assert.equal(parseServerConfig([], {}).webhookAllowPrivate, false);
    assert.equal(parseServerConfig(['--webhook-allow-private'], {}).webhookAllowPrivate, true);
    assert.equal(parseServerConfig([], { PORTICO_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate, true);
    assert.equal(parseServerConfig([], { PORTICO_WEBHOOK_ALLOW_PRIVATE: '0' }).webhookAllowPrivate, false);
    assert.throws(() => parseServerConfig([], { PORTICO_WEBHOOK_ALLOW_PRIVATE: 'yes please' }), /PORTICO_WEBHOOK_ALLOW_PRIVATE/);
  });
});
