/**
 * Three `portico-server` processes on one PostgreSQL database behind a small round-robin
 * proxy, as a vendor would run them behind a load balancer (no sticky sessions): live events,
 * idempotency keys and writes hold across instances, and `kill -9` of one instance under
 * load loses no acknowledged write.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, mintToken } from '@portico/server';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { ACTIVE_CONTACTS, visibleIds } from './helpers.ts';

const BIN = fileURLToPath(new URL('../bin/portico-server.mjs', import.meta.url));

interface Instance {
  child: ChildProcess;
  url: string;
  port: number;
}

/** Starts one server process on the database; resolves once it listens. */
function startInstance(db: string, extra: string[] = []): Promise<Instance> {
  const child = spawn(
    process.execPath,
    [BIN, '--port', '0', '--db', db, '--jwt-secret', DEMO_JWT_SECRET, '--service-api-key', DEMO_SERVICE_API_KEY, '--rate-limit', '60000', ...extra],
    {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, port: Number(new URL(match[1]!).port) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`portico-server exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`portico-server did not start:\n${output}`)), 30_000).unref();
  });
}

/** A round-robin HTTP proxy over the instances still alive (a dead upstream answers 502). */
function startProxy(instances: Instance[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const alive = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    const target = alive[next++ % alive.length]!;
    const upstream = request({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let cluster: PgCluster;
const instances: Instance[] = [];
let proxy: Server;
let proxyUrl: string;
let token: string;

before(async () => {
  cluster = await startPgCluster();
  // The first instance migrates and seeds; the others join the same database.
  instances.push(await startInstance(cluster.url, ['--seed', 'demo']));
  instances.push(...(await Promise.all([startInstance(cluster.url), startInstance(cluster.url)])));
  proxy = await startProxy(instances);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  token = await mintToken({ email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme, name: 'Ada' }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
});

after(async () => {
  proxy?.close();
  proxy?.closeAllConnections();
  for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
  cluster?.stop();
});

const auth = () => ({ Authorization: `Bearer ${token}` });
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Reads SSE events of a stream until `until` says stop; resolves with them. */
interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}
async function readEvents(url: string, until: (events: SseEvent[]) => boolean, signal: AbortSignal, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { ...auth(), ...headers }, signal });
  assert.equal(res.status, 200);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) events.push({ event, id: /^id: (.*)$/m.exec(block)?.[1], data: data ?? '' });
    }
    if (until(events)) break;
  }
  return events;
}

describe('three instances on one PostgreSQL', () => {
  it('isolation through the balancer: each contact walks exactly the tickets the policy allows, page after page on alternating instances', async () => {
    const seed = demoSeed(new Date());
    for (const key of ACTIVE_CONTACTS) {
      const contact = seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;
      const headers = { Authorization: `Bearer ${await mintToken({ email: contact.email, account: contact.accountId }, { secret: DEMO_JWT_SECRET })}` };
      const ids: string[] = [];
      let cursor: string | null = null;
      let counted: number | undefined;
      do {
        // The first page asks for the view counts, as the list does.
        const res: Response = await fetch(`${proxyUrl}/v1/tickets?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : '&counts=true'}`, { headers });
        assert.equal(res.status, 200);
        const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null; counts?: { account: number } };
        ids.push(...page.items.map((t) => t.id));
        counted ??= page.counts?.account;
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(ids.sort(), visibleIds(seed, contact), key);
      assert.equal(counted, ids.length, `${key}: the account count is the walked list's length`);
    }
  });

  it('a ticket created through instance A reaches a live client of instance B within 1 s; Last-Event-ID resumes on instance C', async () => {
    const [a, b, c] = instances;
    const abort = new AbortController();
    let ready!: () => void;
    const opened = new Promise<void>((resolve) => (ready = resolve));
    const subject = `Cross-instance ${Date.now()}`;
    const received = readEvents(
      `${b!.url}/v1/events`,
      (events) => {
        if (events.some((e) => e.event === 'ready')) ready();
        return events.some((e) => e.data.includes(subject));
      },
      abort.signal,
    );
    await opened;
    const started = Date.now();
    const res = await fetch(`${a!.url}/v1/tickets`, json({ subject, description: 'Made on A, seen on B.', category: 'technical' }));
    assert.equal(res.status, 201);
    const timer = setTimeout(() => abort.abort(), 1000);
    try {
      const events = await received;
      const created = events.find((e) => e.event === 'activity' && e.data.includes(subject));
      assert.ok(created?.id);
      assert.ok(Date.now() - started <= 1000, `arrived after ${Date.now() - started} ms`);
      // A client of B that lost its connection resumes on C from the event before.
      const resume = new AbortController();
      const replay = await readEvents(`${c!.url}/v1/events`, (got) => got.some((e) => e.id === created.id), resume.signal, {
        'Last-Event-ID': String(Number(created.id) - 1),
      });
      resume.abort();
      assert.equal(replay.find((e) => e.id === created.id)?.data, created.data);
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  });

  it('an idempotent create retried against another instance returns the same ticket', async () => {
    const [a, b, c] = instances;
    const body = { subject: 'Retried create', description: 'The first response got lost.', category: 'billing' };
    const key = { 'Idempotency-Key': `retry-${Date.now()}` };
    const first = await fetch(`${a!.url}/v1/tickets`, json(body, key));
    assert.equal(first.status, 201);
    const created = (await first.json()) as { id: string; ref: string };
    for (const other of [b!, c!]) {
      const again = await fetch(`${other.url}/v1/tickets`, json(body, key));
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotency-replayed'), 'true');
      assert.deepEqual(((await again.json()) as { id: string }).id, created.id);
    }
    // Claimed at the same moment on every instance: still one ticket.
    const raceKey = { 'Idempotency-Key': `race-${Date.now()}` };
    const race = await Promise.all(instances.map((i) => fetch(`${i.url}/v1/tickets`, json({ ...body, subject: 'Raced create' }, raceKey))));
    const ids = new Set<string>();
    for (const r of race) {
      if (r.status === 201) ids.add(((await r.json()) as { id: string }).id);
      else assert.equal(r.status, 409, 'a concurrent duplicate is told the first is still in progress');
    }
    assert.equal(ids.size, 1);
    const list = await fetch(`${proxyUrl}/v1/tickets?q=${encodeURIComponent('Raced create')}&limit=50`, { headers: auth() });
    assert.equal(((await list.json()) as { items: unknown[] }).items.length, 1);
  });

  it('kill -9 of one instance under load loses no acknowledged write; its live client resumes elsewhere and misses no event', async () => {
    const victim = instances[2]!;
    const acknowledged: string[] = [];
    let failed = 0;
    // A live client on the instance about to die.
    const seen: SseEvent[] = [];
    let opened!: () => void;
    const ready = new Promise<void>((resolve) => (opened = resolve));
    const onVictim = readEvents(
      `${victim.url}/v1/events`,
      (got) => {
        seen.splice(0, seen.length, ...got);
        if (got.some((e) => e.event === 'ready')) opened();
        return false;
      },
      new AbortController().signal,
    ).catch(() => undefined);
    await ready;
    const worker = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        const res = await fetch(`${proxyUrl}/v1/tickets`, json({ subject: `Load ${w}-${i}`, description: 'Under load.', category: 'technical' })).catch(
          () => undefined,
        );
        if (res?.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        else failed++;
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    await new Promise((r) => setTimeout(r, 400));
    victim.child.kill('SIGKILL');
    await load;
    await onVictim;
    assert.ok(acknowledged.length > 0);
    assert.ok(acknowledged.length + failed === 150);

    // The client comes back through the balancer with the last id it got: every acknowledged
    // ticket's event arrives, whether it was sent before the crash or after.
    const lastId = seen.filter((e) => e.id).at(-1)!.id!;
    const before = seen.filter((e) => e.event === 'activity');
    const missing = (after: SseEvent[]) => acknowledged.filter((id) => ![...before, ...after].some((e) => e.event === 'activity' && e.data.includes(id)));
    const resume = new AbortController();
    const timer = setTimeout(() => resume.abort(), 10_000);
    const after = await readEvents(`${proxyUrl}/v1/events`, (got) => missing(got).length === 0, resume.signal, { 'Last-Event-ID': lastId }).catch(
      () => [] as SseEvent[],
    );
    clearTimeout(timer);
    resume.abort();
    assert.deepEqual(missing(after), [], 'no acknowledged ticket is missing from the stream');

    // Every acknowledged ticket is there, read through the surviving instances.
    for (const id of acknowledged) {
      const res = await fetch(`${proxyUrl}/v1/service/tickets/${id}`, { headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` } });
      assert.equal(res.status, 200, `ticket ${id} was acknowledged`);
    }
  });
});
