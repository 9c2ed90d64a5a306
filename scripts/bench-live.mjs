#!/usr/bin/env node
// What open live streams cost a busy server: a mixed REST workload (lists, details, timeline,
// notifications, comments and ticket creates that become live events) against the real Node
// server on a SQLite file over loopback, first with no stream open, then with N open
// `GET /v1/events` streams. Figures, not a pass/fail test.
//
// Three processes, so that only the server's own work is charged to it: the server; the
// stream clients (raw `http.get` sockets that count the events they read); and this one, which
// drives the load with autocannon. Each round runs the workload without streams and with them,
// back to back and in alternating order, so a neighbour's load on a shared machine and the
// database's growth under the workload's writes hit both alike. Printed per
// run: req/s, p50/p99, and the server's CPU time per request (`process.cpuUsage()` in the
// server process over the run, divided by the requests answered): the figure that holds on a
// noisy machine. Memory per stream is the server's heap and RSS growth (after a GC) / N.
//
// Streams belong to one contact each: one per demo contact (they see most of the demo
// writes), the rest spread over `--accounts` customer accounts whose contacts also create
// tickets, so events fan out to the streams of their account. `--accounts 0` puts every
// stream on the demo contacts, the worst case where each write goes to every stream.
// Usage: npm run bench:live [-- --streams 1000 --accounts 200 --seconds 5 --rounds 4 --connections 10]
// BENCH_PROF=<dir> profiles the server during every run, writes the first round's profiles there,
// and prints the share of sampled CPU spent in the live-stream code and in GC, with and without
// streams.
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, mintToken } from '@portico/server';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const role = process.argv[process.argv.indexOf('--role') + 1];

if (role === 'server') await runServer();
else if (role === 'streams') runStreamClients();
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

/** Answers the parent's requests (`{ id, op }`) with `{ id, ...answer }`. */
function serve(handlers) {
  process.on('message', async ({ id, op, ...args }) => process.send({ id, ...(await handlers[op](args)) }));
}

/** A forked role of this script, with `call(op, args)` answered by its `serve`. */
function forkRole(name, args, execArgv = []) {
  const child = fork(process.argv[1], ['--role', name, ...args], { execArgv: ['--conditions=portico-source', ...execArgv] });
  const pending = new Map();
  let next = 0;
  child.on('message', (m) => {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  return {
    call: (op, args = {}) =>
      new Promise((resolve) => {
        pending.set(++next, resolve);
        child.send({ id: next, op, ...args });
      }),
    ready: new Promise((resolve) => child.once('message', resolve)),
  };
}

/** The server, in its own process: only its work is measured. */
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
    authFailureLimit: false,
  });
  // Customer accounts whose people have the portal open (their contacts are created on first
  // sight, from their tokens' email domain).
  await server.store.load({ accounts: benchAccounts(arg('accounts', 200)), contacts: [], tickets: [], comments: [], activity: [] });
  const inspector = new Session();
  serve({
    memory: () => {
      globalThis.gc?.();
      return { memory: process.memoryUsage() };
    },
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return { cpuMs: (user + system) / 1000 };
    },
    profileStart: async () => {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      return {};
    },
    profileStop: async ({ file }) => {
      const { profile } = await inspector.post('Profiler.stop');
      if (file) writeFileSync(file, JSON.stringify(profile));
      inspector.disconnect();
      return attribute(profile);
    },
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return {};
    },
  });
  process.send({ port: server.port });
}

/**
 * Where a CPU profile's samples went: all sampled CPU, that spent in the live-stream code (a
 * frame of routes/live-hub.ts or routes/events.ts on the stack: the hub's reads, the streams'
 * re-checks and writes; and the Node adapter copying stream bodies to sockets), and the garbage
 * collector's, in ms (wall time of the samples: on a busy machine, read the shares).
 */
function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
  const live = new Map();
  const inLiveCode = (id) => {
    if (id === undefined) return false;
    const { url, functionName } = byId.get(id).callFrame;
    // (The Node adapter's `flow` copies a streamed body to its socket: only event streams are streamed.)
    const own = /routes\/(live-hub|events)\.ts$/.test(url) || (url.includes('@hono/node-server') && functionName === 'flow');
    if (!live.has(id)) live.set(id, own || inLiveCode(parent.get(id)));
    return live.get(id);
  };
  const out = { cpuMs: 0, liveMs: 0, gcMs: 0 };
  profile.samples.forEach((id, i) => {
    const name = byId.get(id).callFrame.functionName;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (name === '(idle)' || name === '(program)') return;
    out.cpuMs += ms;
    if (name === '(garbage collector)') out.gcMs += ms;
    else if (inLiveCode(id)) out.liveMs += ms;
  });
  return out;
}

/** The stream clients, in their own process: plain sockets that only count what they read. */
function runStreamClients() {
  let streams = [];
  let events = 0;
  const marker = Buffer.from('event: activity');
  serve({
    open: async ({ port, tokens }) => {
      const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
      await Promise.all(
        tokens.map(
          (token) =>
            new Promise((resolve, reject) => {
              const req = http.get(
                { host: '127.0.0.1', port, path: '/v1/events', agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } },
                (res) => {
                  if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
                  let ready = false;
                  res.on('data', (chunk) => {
                    if (!ready && chunk.includes('event: ready')) {
                      ready = true;
                      resolve();
                    }
                    for (let at = chunk.indexOf(marker); at >= 0; at = chunk.indexOf(marker, at + 1)) events++;
                  });
                },
              );
              req.on('error', reject);
              streams.push(req);
            }),
        ),
      );
      return {};
    },
    events: () => ({ events }),
    close: () => {
      for (const s of streams) s.destroy();
      streams = [];
      return {};
    },
    exit: () => {
      setImmediate(() => process.exit(0));
      return {};
    },
  });
  process.send({ ready: true });
}

async function runBench() {
  const STREAMS = arg('streams', 1000);
  const SECONDS = arg('seconds', 5);
  const CONNECTIONS = arg('connections', 10);
  const ROUNDS = arg('rounds', 4);
  const ACCOUNTS = arg('accounts', 200);
  const PROF = process.env.BENCH_PROF;

  const server = forkRole('server', ['--accounts', String(ACCOUNTS)], ['--expose-gc']);
  const { port } = await server.ready;
  const clients = forkRole('streams', []);
  await clients.ready;
  const origin = `http://127.0.0.1:${port}`;
  const serverCpuMs = async () => (await server.call('cpu')).cpuMs;
  const memory = async () => (await server.call('memory')).memory;
  const token = (claims) => mintToken(claims, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });

  // Every active demo contact, with a long-lived token and the tickets it may open.
  const seed = demoSeed(new Date());
  const contacts = [];
  for (const c of seed.contacts.filter((x) => x.status === 'active')) {
    const t = await token({ email: c.email, name: c.name, account: c.accountId });
    const list = await (await fetch(`${origin}/v1/tickets?limit=50`, { headers: { Authorization: `Bearer ${t}` } })).json();
    contacts.push({ token: t, ticketIds: list.items.map((x) => x.id), writes: c.role !== 'viewer' && c.role !== 'billing' });
  }
  const writers = contacts.filter((c) => c.writes && c.ticketIds.length > 0);
  /** The contacts of the other accounts that have a stream open (members: they see their account's tickets). */
  const others = [];
  for (let i = contacts.length; i < STREAMS && ACCOUNTS > 0; i++) {
    others.push(await token({ email: `person${i}@bench${i % ACCOUNTS}.example`, name: `Person ${i}`, account: `acc_bench_${i % ACCOUNTS}`, role: 'member' }));
  }
  const streamTokens = Array.from({ length: STREAMS }, (_, i) =>
    ACCOUNTS === 0 || i < contacts.length ? contacts[i % contacts.length].token : others[i - contacts.length],
  );
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const json = (t) => ({ Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' });
  const comment = JSON.stringify({ body: 'Any news on this? (benchmark)' });
  const ticket = JSON.stringify({
    subject: 'Export fails (benchmark)',
    description: 'The nightly export stopped this morning.',
    category: 'technical',
    priority: 'normal',
  });

  /** One request of the mix: 35 % list, 25 % detail, 15 % timeline, 10 % notifications, 10 % comment, 5 % create. */
  const oneRequest = (request) => {
    const r = Math.random();
    const c = pick(contacts);
    const get = (path) => Object.assign(request, { method: 'GET', path, headers: { Authorization: `Bearer ${c.token}` }, body: undefined });
    if (r < 0.35) return get('/v1/tickets?limit=25');
    if (r < 0.6) return get(`/v1/tickets/${pick(c.ticketIds)}`);
    if (r < 0.75) return get('/v1/activity?limit=20');
    if (r < 0.85) return get('/v1/notifications');
    if (r < 0.95) {
      const w = pick(writers);
      return Object.assign(request, { method: 'POST', path: `/v1/tickets/${pick(w.ticketIds)}/comments`, headers: json(w.token), body: comment });
    }
    // Creates come from the streams' other accounts too, so their streams get events.
    const author = others.length > 0 && Math.random() < 0.5 ? pick(others) : pick(writers).token;
    return Object.assign(request, { method: 'POST', path: '/v1/tickets', headers: json(author), body: ticket });
  };

  /** Runs the mix for `seconds`: req/s, latency and the server's CPU time per request. */
  async function workload(seconds) {
    const cpuBefore = await serverCpuMs();
    const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: seconds, requests: [{ setupRequest: oneRequest }] });
    const cpuMs = (await serverCpuMs()) - cpuBefore;
    const answered = result.requests.total;
    return {
      rps: answered / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
      cpuPerRequest: cpuMs / answered,
    };
  }

  /** Runs `work`, with a CPU profile of the server named `name` when BENCH_PROF is set. */
  async function profiled(name, work) {
    if (!PROF) return work();
    mkdirSync(PROF, { recursive: true });
    const file = name ? join(PROF, `bench-live-${name}-${Date.now()}.cpuprofile`) : undefined;
    await server.call('profileStart');
    const result = await work();
    const { cpuMs, liveMs, gcMs } = await server.call('profileStop', { file });
    if (file) console.log(`CPU profile of the server: ${file}`);
    return { ...result, sampled: { cpuMs, liveMs, gcMs, requests: result.rps * SECONDS } };
  }

  console.log(`Live streams under a mixed REST workload: autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per run, SQLite, loopback.`);
  console.log(
    ACCOUNTS === 0
      ? `Streams: ${STREAMS} on the ${contacts.length} demo contacts (every write reaches most of them).`
      : `Streams: one per demo contact (${contacts.length}), the rest on ${ACCOUNTS} other customer accounts (${Math.round(others.length / ACCOUNTS)} each).`,
  );
  await workload(2); // warm-up
  const rows = [];
  const base = [];
  const loaded = [];
  let delivered = 0;
  let before;
  let withStreams;
  /** Server CPU ms per second of the open streams while no request runs, per round. */
  const idle = [];
  /** Opens the streams, measures what they cost while idle, runs the workload, closes them. */
  async function withOpenStreams(round) {
    await clients.call('open', { port, tokens: streamTokens });
    await new Promise((r) => setTimeout(r, 1000));
    if (round === 0) withStreams = await memory();
    // What the open streams cost while nothing happens (timers, heartbeats, the hub's fallback read).
    const idleStart = await serverCpuMs();
    await new Promise((r) => setTimeout(r, 2000));
    idle.push(((await serverCpuMs()) - idleStart) / 2);
    const received = (await clients.call('events')).events;
    loaded.push(await profiled(round === 0 && `${STREAMS}-streams`, () => workload(SECONDS)));
    delivered += (await clients.call('events')).events - received;
    await clients.call('close');
    await new Promise((r) => setTimeout(r, 500));
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Memory is compared in the first round, before freed memory is reused.
    if (round === 0) before = await memory();
    // Odd rounds run the streams first: the database grows with the workload's writes, and
    // that drift must not be charged to one side only.
    if (round % 2 === 1) await withOpenStreams(round);
    base.push(await profiled(round === 0 && 'no-streams', () => workload(SECONDS)));
    if (round % 2 === 0) await withOpenStreams(round);
    rows.push(row(`round ${round + 1}: no streams`, base.at(-1)), {
      ...row(`round ${round + 1}: ${STREAMS} streams`, loaded.at(-1)),
      'idle ms/s': idle.at(-1).toFixed(1),
    });
  }
  const mean = (runs, key) => runs.reduce((n, r) => n + r[key], 0) / runs.length;
  const a = Object.fromEntries(['rps', 'p50', 'p99', 'errors', 'cpuPerRequest'].map((k) => [k, mean(base, k)]));
  const b = Object.fromEntries(['rps', 'p50', 'p99', 'errors', 'cpuPerRequest'].map((k) => [k, mean(loaded, k)]));
  rows.push(row('mean: no streams', a), row(`mean: ${STREAMS} streams`, b));
  console.table(rows);
  console.log(
    `Cost of ${STREAMS} open streams: ${((1 - b.rps / a.rps) * 100).toFixed(1)} % of req/s; ` +
      `server CPU per request +${((b.cpuPerRequest / a.cpuPerRequest - 1) * 100).toFixed(1)} %, i.e. ${((1 - a.cpuPerRequest / b.cpuPerRequest) * 100).toFixed(1)} % of a CPU-bound server's throughput (target < 25 %).`,
  );
  // Each round's pair ran back to back: the median of their ratios shrugs off a burst of a neighbour's load.
  const ratios = base.map((r, i) => loaded[i].cpuPerRequest / r.cpuPerRequest).sort((x, y) => x - y);
  const median = (ratios[Math.floor((ratios.length - 1) / 2)] + ratios[Math.ceil((ratios.length - 1) / 2)]) / 2;
  console.log(
    `Median over rounds of server CPU per request with / without streams: ${median.toFixed(3)} (${median >= 1 ? '+' : '−'}${(Math.abs(median - 1) * 100).toFixed(1)} %).`,
  );
  console.log(
    `Idle cost of ${STREAMS} open streams: ${(idle.reduce((a, b) => a + b, 0) / idle.length).toFixed(1)} ms of server CPU per second (the first round includes creating their contacts on first sight).`,
  );
  console.log(`Live events delivered to the streams during the loaded runs: ${delivered}.`);
  if (PROF) {
    // Attributed from the profiles of every run: holds better than totals on a busy machine.
    const share = (runs) => {
      const sum = (k) => runs.reduce((n, r) => n + r.sampled[k], 0);
      const requests = sum('requests');
      return `live-stream code ${(sum('liveMs') / requests).toFixed(3)} ms/request (${((100 * sum('liveMs')) / sum('cpuMs')).toFixed(1)} % of sampled CPU), GC ${((100 * sum('gcMs')) / sum('cpuMs')).toFixed(1)} %`;
    };
    console.log(`Server CPU profiles, all rounds: without streams: ${share(base)}; with ${STREAMS} streams: ${share(loaded)}.`);
  }
  const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `Server memory with ${STREAMS} streams: heap +${mb(withStreams.heapUsed - before.heapUsed)}, RSS +${mb(withStreams.rss - before.rss)}; ` +
      `per stream ≈ ${((withStreams.heapUsed - before.heapUsed) / STREAMS / 1024).toFixed(1)} KiB heap, ${((withStreams.rss - before.rss) / STREAMS / 1024).toFixed(1)} KiB RSS.`,
  );
  await clients.call('exit');
  await server.call('stop');

  function row(run, r) {
    return {
      run,
      'req/s': Math.round(r.rps),
      'p50 ms': r.p50.toFixed(1),
      'p99 ms': r.p99.toFixed(1),
      'server CPU ms/req': r.cpuPerRequest.toFixed(3),
      errors: Math.round(r.errors),
    };
  }
}
