/**
 * The probes a load balancer asks (`/healthz`, `/readyz`) and graceful shutdown, over real
 * HTTP: readiness with the database up, with PostgreSQL stopped, with a schema behind the
 * build, and while draining; SIGTERM ends the CLI's open event streams and exits 0.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS, DEMO_JWT_SECRET, MemoryStore, demoSeed, mintToken } from '@portico/server';
import { PostgresStore, SqliteStore, startServer, type RunningServer } from '@portico/server/node';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { startCli } from './cli-process.ts';
import { NOW } from './helpers.ts';

const auth = { secret: DEMO_JWT_SECRET };
const token = () => mintToken({ email: 'gus@globex.example', account: DEMO_ACCOUNTS.globex }, { secret: DEMO_JWT_SECRET, now: NOW });

/** GET a probe; the parsed body with status and the headers a load balancer or cache reads. */
async function probe(url: string) {
  const res = await fetch(url);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { status?: string; code?: string; detail?: string; checks?: Record<string, string> },
  };
}

/** Opens `GET /v1/events` and resolves once its `ready` event came; `ended` resolves when the server ends it. */
async function openStream(url: string, bearer: string) {
  const res = await fetch(`${url}/v1/events`, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: ready')) {
    const { value, done } = await reader.read();
    assert.ok(!done, 'the stream ended before its ready event');
    text += new TextDecoder().decode(value);
  }
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return true;
  })();
  return { ended };
}

describe('readiness on PostgreSQL', () => {
  let cluster: PgCluster;
  let server: RunningServer;

  before(async () => {
    cluster = await startPgCluster();
    const store = await PostgresStore.open(cluster.url, { connectionTimeoutMs: 1000 });
    await store.load(demoSeed(NOW));
    server = await startServer({ port: 0, store, auth, slaSweepMs: 0, now: () => NOW, rateLimit: { perMinute: 1, burst: 1 } });
  });
  after(async () => {
    await server?.close();
    cluster?.stop();
  });

  it('is ready while the database answers and the schema is current, says what it checked, and is neither cached nor rate limited', async () => {
    for (let i = 0; i < 5; i++) {
      const ready = await probe(`${server.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'up', schema: 'current', instance: 'serving' } });
      assert.equal(ready.cacheControl, 'no-store');
    }
    const live = await probe(`${server.url}/healthz`);
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: 'ok' });
  });

  it('answers 503 problem+json with Retry-After once PostgreSQL is stopped, leaking nothing, while liveness stays 200', async () => {
    cluster.stop();
    const started = Date.now();
    const ready = await probe(`${server.url}/readyz`);
    assert.ok(Date.now() - started < 3_000, 'within the short timeout');
    assert.equal(ready.status, 503);
    assert.equal(ready.contentType, 'application/problem+json');
    assert.equal(ready.retryAfter, '5');
    assert.equal(ready.body.code, 'unavailable');
    assert.deepEqual(ready.body.checks, { database: 'down', schema: 'unknown', instance: 'serving' });
    assert.doesNotMatch(JSON.stringify(ready.body), /postgres|127\.0\.0\.1|ECONN|portico_app|\d+\.\d+\.\d+/i, 'no address, role, error or version');
    assert.equal((await probe(`${server.url}/healthz`)).status, 200, 'the process is alive: no restart for a database outage');
  });
});

describe('readiness on SQLite', () => {
  it('is not ready when the schema is behind this build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-ready-'));
    const store = new SqliteStore(join(dir, 'portico.db'));
    const server = await startServer({ port: 0, store, auth, slaSweepMs: 0 });
    try {
      assert.equal((await probe(`${server.url}/readyz`)).status, 200);
      // As if the database were restored from a backup older than this build.
      store.db.exec('DELETE FROM portico_migrations WHERE version = (SELECT max(version) FROM portico_migrations)');
      const ready = await probe(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body.checks, { database: 'up', schema: 'behind', instance: 'serving' });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('draining', () => {
  it('readiness answers 503 at once, open live streams end, new ones are refused, other requests are still served', async () => {
    const store = new MemoryStore();
    await store.load(demoSeed(NOW));
    const server = await startServer({ port: 0, store, auth, slaSweepMs: 0, now: () => NOW, basePath: '/api' });
    try {
      const bearer = await token();
      assert.equal((await probe(`${server.url}/readyz`)).status, 200);
      const stream = await openStream(server.url, bearer);

      server.drain();
      const ready = await probe(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.retryAfter, '5');
      assert.deepEqual(ready.body.checks, { database: 'up', schema: 'current', instance: 'draining' });
      assert.match(ready.body.detail ?? '', /shutting down/);
      assert.equal(await stream.ended, true, 'the open stream ended, so its client reconnects elsewhere');

      const refused = await fetch(`${server.url}/v1/events`, { headers: { Authorization: `Bearer ${bearer}` } });
      assert.equal(refused.status, 503);
      assert.ok(refused.headers.get('retry-after'));
      await refused.body?.cancel();

      const list = await fetch(`${server.url}/v1/tickets`, { headers: { Authorization: `Bearer ${bearer}` } });
      assert.equal(list.status, 200, 'requests still in reach of this instance are answered');
      assert.equal(list.headers.get('connection'), 'close', 'and their connection is not kept for the next one');
      await list.body?.cancel();
    } finally {
      await server.close();
    }
  });
});

describe('closing with a grace period', () => {
  it('lets a request in flight finish, and answers it, before the server goes', async () => {
    const store = new MemoryStore();
    await store.load(demoSeed(NOW));
    const server = await startServer({ port: 0, store, auth, slaSweepMs: 0, now: () => NOW });
    const bearer = await token();
    const text = 'half of it, then the rest after the server was told to close';
    // An upload whose body arrives in two parts, the second after `close` began.
    const answered = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/v1/attachments?name=notes.txt`,
        { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        },
      ).on('error', reject);
      req.write(text.slice(0, 10));
      setTimeout(() => req.end(text.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close({ graceMs: 5_000 });
    const res = await answered;
    assert.equal(res.status, 201, res.body);
    assert.equal((JSON.parse(res.body) as { size: number }).size, Buffer.byteLength(text));
    assert.equal(res.connection, 'close');
    await closed;
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer accepting connections');
  });
});

describe('portico-server on SIGTERM', () => {
  it('closes an open event stream and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-sigterm-'));
    const cli = startCli(['--port', '0', '--db', join(dir, 'portico.db'), '--seed', 'demo', '--jwt-secret', 'a-test-secret-that-is-at-least-32-bytes-long']);
    try {
      const url = await cli.url;
      const bearer = await mintToken(
        { email: 'gus@globex.example', account: DEMO_ACCOUNTS.globex },
        { secret: 'a-test-secret-that-is-at-least-32-bytes-long' },
      );
      const stream = await openStream(url, bearer);
      const started = Date.now();
      const code = await cli.stop();
      assert.equal(await stream.ended, true);
      assert.equal(code, 0, cli.output());
      assert.ok(Date.now() - started < 5_000, `exited after ${Date.now() - started} ms: the stream did not hold it up`);
      assert.match(cli.output(), /SIGTERM, draining/);
    } finally {
      await cli.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
