#!/usr/bin/env node
// What open live streams cost a busy server: a mixed REST workload (lists, details, timeline,
// notifications, comment writes that become live events) against the real Node server on a
// SQLite file over loopback, first with no stream open, then with N open `GET /v1/events`
// streams. Prints req/s, p50/p99 latency, the events the streams received, and the server's
// memory per stream. Figures, not a pass/fail test.
// Streams belong to one contact each: one per demo contact (they see the workload's writes),
// the rest spread over `--accounts` customer accounts. `--accounts 0` puts every stream on the
// demo contacts, the worst case where each write goes to every stream.
// Usage: npm run bench:live [-- --streams 1000 --accounts 200 --seconds 5 --rounds 3 --concurrency 10 --recheck-ms 1000]
// BENCH_PROF=<dir> writes a CPU profile of the server process there.
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, mintToken } from '@portico/server';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv.includes('--server')) await runServer();
else await runBench();

/** `n` customer accounts, `acc_bench_<i>` with the domain `bench<i>.example`. */
function benchAccounts(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: `acc_bench_${i}`,
    name: `Bench ${i}`,
    domains: [`bench${i}.example`],
    tier: 'standard',
    parentId: null,
    defaultVisibility: 'account',
  }));
}

/** The server, in its own process so the load generator does not share its event loop. */
async function runServer() {
  const { startServer } = await import('@portico/server/node');
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-live-'));
  const server = await startServer({
    db: join(dir, 'bench.db'),
    seed: 'demo',
    port: 0,
    hostname: '127.0.0.1',
    auth: { secret: DEMO_JWT_SECRET },
    serviceApiKeys: [DEMO_SERVICE_API_KEY],
    // The workload comes from a handful of contacts: a per-contact limit would measure 429s.
    rateLimit: false,
    events: { recheckMs: arg('recheck-ms', 1000) },
  });
  // Customer accounts whose people have the portal open (their contacts are created on first
  // sight, from their tokens' email domain).
  await server.store.load({ accounts: benchAccounts(arg('accounts', 200)), contacts: [], tickets: [], comments: [], activity: [] });
  process.on('message', (message) => {
    if (message === 'memory') {
      globalThis.gc?.();
      process.send({ memory: process.memoryUsage() });
    } else if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ cpuMs: (user + system) / 1000 });
    } else if (message === 'stop') {
      void server.close().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  process.send({ port: server.port });
}

async function runBench() {
  const STREAMS = arg('streams', 1000);
  const SECONDS = arg('seconds', 5);
  const CONCURRENCY = arg('concurrency', 10);
  const ROUNDS = arg('rounds', 3);

  const ACCOUNTS = arg('accounts', 200);
  const child = fork(process.argv[1], ['--server', '--recheck-ms', String(arg('recheck-ms', 1000)), '--accounts', String(ACCOUNTS)], {
    execArgv: ['--conditions=portico-source', '--expose-gc', ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [])],
  });
  const replies = [];
  const waiters = [];
  child.on('message', (m) => (waiters.length ? waiters.shift()(m) : replies.push(m)));
  const nextMessage = () => new Promise((resolve) => (replies.length ? resolve(replies.shift()) : waiters.push(resolve)));
  const { port } = await nextMessage();
  const memory = async () => (child.send('memory'), (await nextMessage()).memory);
  const serverCpuMs = async () => (child.send('cpu'), (await nextMessage()).cpuMs);

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const request = (method, path, token, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  // Every active demo contact, with a long-lived token and the tickets it may open.
  const seed = demoSeed(new Date());
  const contacts = [];
  for (const c of seed.contacts.filter((x) => x.status === 'active')) {
    const token = await mintToken({ email: c.email, name: c.name, account: c.accountId }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
    const list = JSON.parse((await request('GET', '/v1/tickets?limit=50', token)).body);
    contacts.push({ token, ticketIds: list.items.map((t) => t.id), writes: c.role !== 'viewer' && c.role !== 'billing' });
  }
  const writers = contacts.filter((c) => c.writes && c.ticketIds.length > 0);
  const pick = (list) => list[Math.floor(Math.random() * list.length)];

  /** One request of the mix: 35 % list, 25 % detail, 15 % timeline, 10 % notifications, 15 % comment. */
  const oneRequest = () => {
    const r = Math.random();
    const c = pick(contacts);
    if (r < 0.35) return request('GET', '/v1/tickets?limit=25', c.token);
    if (r < 0.6) return request('GET', `/v1/tickets/${pick(c.ticketIds)}`, c.token);
    if (r < 0.75) return request('GET', '/v1/activity?limit=20', c.token);
    if (r < 0.85) return request('GET', '/v1/notifications', c.token);
    const w = pick(writers);
    return request('POST', `/v1/tickets/${pick(w.ticketIds)}/comments`, w.token, { body: 'Any news on this? (benchmark)' });
  };

  /** Runs the mix for `seconds`; also measures the server's CPU time per request. */
  async function workload(seconds) {
    const latencies = [];
    let errors = 0;
    const cpuBefore = await serverCpuMs();
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          const res = await oneRequest();
          if (res.status >= 400) errors++;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const cpuMs = (await serverCpuMs()) - cpuBefore;
    return { latencies, seconds, errors, cpuMs };
  }

  /** Pools runs: req/s, p50/p99 over all their requests, server CPU ms per request. */
  function summary(runs) {
    const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    const seconds = runs.reduce((n, r) => n + r.seconds, 0);
    const cpuMs = runs.reduce((n, r) => n + r.cpuMs, 0);
    return {
      rps: latencies.length / seconds,
      p50: q(0.5),
      p99: q(0.99),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      cpuPerRequest: cpuMs / latencies.length,
    };
  }

  /** The token of the i-th stream's contact. */
  const streamToken = (i) =>
    ACCOUNTS === 0 || i < contacts.length
      ? contacts[i % contacts.length].token
      : mintToken(
          { email: `person${i}@bench${i % ACCOUNTS}.example`, name: `Person ${i}`, account: `acc_bench_${i % ACCOUNTS}`, role: 'member' },
          { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 },
        );

  /** Opens `n` streams; counts `event: activity` lines as they arrive. */
  async function openStreams(n) {
    const tokens = [];
    for (let i = 0; i < n; i++) tokens.push(await streamToken(i));
    const streams = [];
    let events = 0;
    const sseAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    await Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          new Promise((resolve, reject) => {
            const req = http.get(
              { host: '127.0.0.1', port, path: '/v1/events', agent: sseAgent, headers: { Authorization: `Bearer ${tokens[i]}`, Accept: 'text/event-stream' } },
              (res) => {
                if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
                res.setEncoding('utf8');
                let ready = false;
                res.on('data', (text) => {
                  if (!ready && text.includes('event: ready')) {
                    ready = true;
                    resolve();
                  }
                  events += text.split('event: activity').length - 1;
                });
              },
            );
            req.on('error', reject);
            streams.push(req);
          }),
      ),
    );
    return { close: () => streams.forEach((s) => s.destroy()), events: () => events };
  }

  const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log(`Live streams under a mixed REST workload: ${CONCURRENCY} concurrent clients, ${ROUNDS} rounds of ${SECONDS} s per run, SQLite, loopback.`);
  console.log(
    ACCOUNTS === 0
      ? `Streams: ${STREAMS} on the ${contacts.length} demo contacts (every write reaches most of them).`
      : `Streams: one per demo contact, the rest on ${ACCOUNTS} other customer accounts (one contact each).`,
  );
  // Rounds alternate the two runs, so a neighbour's load on a shared machine hits both alike.
  await workload(2); // warm-up
  const base = [];
  const loaded = [];
  let delivered = 0;
  let before;
  let withStreams;
  let idleCpuMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Memory is compared in the first round, before freed memory is reused.
    if (round === 0) before = await memory();
    base.push(await workload(SECONDS));
    const streams = await openStreams(STREAMS);
    await new Promise((r) => setTimeout(r, 1000));
    if (round === 0) withStreams = await memory();
    // What the open streams cost while nothing happens (timers, heartbeats, the hub's fallback read).
    const idleStart = await serverCpuMs();
    await new Promise((r) => setTimeout(r, 2000));
    idleCpuMs = ((await serverCpuMs()) - idleStart) / 2;
    const received = streams.events();
    loaded.push(await workload(SECONDS));
    delivered += streams.events() - received;
    streams.close();
    await new Promise((r) => setTimeout(r, 500));
  }
  const a = summary(base);
  const b = summary(loaded);
  const row = (name, r) => ({
    run: name,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50.toFixed(1),
    'p99 ms': r.p99.toFixed(1),
    'server CPU ms/req': r.cpuPerRequest.toFixed(2),
    errors: r.errors,
  });
  console.table([row('no streams', a), row(`${STREAMS} open streams`, b)]);
  console.log(
    `Throughput cost of ${STREAMS} streams: ${((1 - b.rps / a.rps) * 100).toFixed(1)} % by req/s; ${((1 - a.cpuPerRequest / b.cpuPerRequest) * 100).toFixed(1)} % by server CPU per request (target < 25 %).`,
  );
  console.log(`Idle cost of ${STREAMS} open streams: ${idleCpuMs.toFixed(0)} ms of server CPU per second.`);
  console.log(`Live events delivered to the streams during the loaded runs: ${delivered}.`);
  console.log(
    `Server memory with ${STREAMS} streams: heap +${mb(withStreams.heapUsed - before.heapUsed)}, RSS +${mb(withStreams.rss - before.rss)}; ` +
      `per stream ≈ ${((withStreams.heapUsed - before.heapUsed) / STREAMS / 1024).toFixed(1)} KiB heap, ${((withStreams.rss - before.rss) / STREAMS / 1024).toFixed(1)} KiB RSS.`,
  );
  agent.destroy();
  child.send('stop');
}
