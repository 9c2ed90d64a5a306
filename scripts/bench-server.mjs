#!/usr/bin/env node
// Server benchmark (a report, not a test): seeds 10k and 100k tickets (1M with --huge) over
// 1,000 accounts with contacts and comments, on SQLite and on PostgreSQL (a throwaway cluster,
// see test/support/postgres.ts), and measures through the real HTTP server at concurrency 16:
// list mine / account / unsolved, text search, detail and create — requests per second, p50
// and p99 — next to the same query as raw SQL on the same database (the ratio is Portico's own
// overhead: HTTP, auth, policy, JSON, SLA). Prints a markdown table and the PostgreSQL plan of
// the list query (EXPLAIN), to show the index it uses.
//
// Usage: npm run bench:server [-- --sizes 10000,100000 --huge --seconds 3 --stores sqlite,postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { PostgresStore, SqliteStore, startServer } from '@portico/server/node';
import { startPgCluster } from '../test/support/postgres.ts';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '10000,100000').split(',').map(Number);
if (process.argv.includes('--huge')) SIZES.push(1_000_000);
const SECONDS = Number(arg('seconds', '3'));
const STORES = arg('stores', 'sqlite,postgres').split(',');
const CONCURRENCY = 16;
const ACCOUNTS = 1000;
const CONTACTS_PER_ACCOUNT = 5;
const NOW = new Date('2026-03-02T10:00:00.000Z');

const WORDS = (
  'invoice export dashboard login certificate webhook quota latency timezone report sync billing seats refund ' +
  'chart filter alert schema cluster token password sandbox migration retention backup region proxy cache'
).split(' ');
const STATUSES = ['new', 'open', 'pending', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const CATEGORIES = ['technical', 'billing', 'account', 'feature_request'];

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Accounts and contacts, then tickets in batches (so 1M never sits in memory at once). */
function* seedBatches(tickets) {
  const rand = rng(7);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const accounts = Array.from({ length: ACCOUNTS }, (_, a) => ({
    id: `acc_${a}`,
    name: `Account ${a}`,
    domains: [`a${a}.example`],
    tier: pick(['standard', 'premier']),
    parentId: null,
    defaultVisibility: 'account',
  }));
  const contacts = accounts.flatMap((acc, a) =>
    Array.from({ length: CONTACTS_PER_ACCOUNT }, (_, c) => ({
      id: `con_${a}_${c}`,
      accountId: acc.id,
      email: `person${c}@a${a}.example`,
      name: `Person ${c} of ${a}`,
      role: c === 0 ? 'admin' : 'member',
      status: 'active',
      createdAt: '2025-01-01T00:00:00.000Z',
      lastSeenAt: null,
    })),
  );
  const BATCH = 20_000;
  for (let start = 0; start < tickets; start += BATCH) {
    const batch = { accounts: start === 0 ? accounts : [], contacts: start === 0 ? contacts : [], tickets: [], comments: [], activity: [] };
    for (let i = start; i < Math.min(tickets, start + BATCH); i++) {
      const a = Math.floor(rand() * ACCOUNTS);
      const requester = contacts[a * CONTACTS_PER_ACCOUNT + Math.floor(rand() * CONTACTS_PER_ACCOUNT)];
      const created = NOW.getTime() - Math.floor(rand() * 400 * 24 * 3600_000);
      const updated = created + Math.floor(rand() * 10 * 24 * 3600_000);
      const id = `tkt_${i}`;
      const sentence = () => Array.from({ length: 8 }, () => pick(WORDS)).join(' ');
      batch.tickets.push({
        id,
        ref: `T-${1001 + i}`,
        accountId: `acc_${a}`,
        subject: `${pick(WORDS)} ${pick(WORDS)} problem ${i}`,
        description: sentence(),
        status: pick(STATUSES),
        priority: pick(PRIORITIES),
        category: pick(CATEGORIES),
        visibility: rand() < 0.7 ? 'account' : 'private',
        requester: { id: requester.id, name: requester.name, email: requester.email },
        followerIds: [],
        assignee: null,
        escalated: false,
        commentCount: 1,
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(updated).toISOString(),
        version: 1,
      });
      batch.comments.push({
        id: `cmt_${i}`,
        ticketId: id,
        author: { kind: 'agent', id: 'agent', name: 'Agent' },
        body: sentence(),
        createdAt: new Date(updated).toISOString(),
      });
    }
    yield batch;
  }
}

/** Runs `fn` from CONCURRENCY workers for SECONDS; returns req/s, p50, p99 (ms) and failures (thrown or not 2xx). */
async function measure(fn) {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const n = i++;
      const t = performance.now();
      try {
        await fn(n);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors };
}

const fmt = (m) => (m ? `${Math.round(m.rps).toLocaleString('en')} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)}` : '– | – | –');

/** The body of a 2xx response; anything else counts as a failed request. */
const body = async (res) => {
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.arrayBuffer();
};

/** The raw SQL of each operation, for one caller (`acc`, `contact`) and store dialect. */
function rawQueries(kind) {
  const p = kind === 'postgres' ? (n) => `$${n}` : () => '?';
  const page = `ORDER BY t.updated_at DESC, t.id DESC LIMIT 26`;
  const list = (where) => `SELECT t.* FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.account_id = ${p(1)} ${where} ${page}`;
  const search =
    kind === 'postgres'
      ? `SELECT t.* FROM tickets t WHERE t.account_id = $1 AND t.search_vector @@ 'invoice:*'::tsquery ${page}`
      : `SELECT t.* FROM tickets t WHERE t.account_id = ? AND t.id IN (SELECT ticket_id FROM ticket_text WHERE ticket_text MATCH '"invoice"*') ${page}`;
  return {
    'list mine': [list(`AND t.requester_id = ${p(2)}`), (acc, contact) => [acc, contact]],
    'list account': [list(''), (acc) => [acc]],
    'list unsolved': [list(`AND t.status IN ('new', 'open', 'pending')`), (acc) => [acc]],
    'text search': [search, (acc) => [acc]],
    detail: [`SELECT t.*, c.name FROM tickets t JOIN contacts c ON c.id = t.requester_id WHERE t.id = ${p(1)}`, (_acc, _contact, ticket) => [ticket]],
  };
}

async function benchStore(kind, size, pgUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  let store;
  if (kind === 'sqlite') store = new SqliteStore(join(dir, 'bench.db'));
  else store = await PostgresStore.open(pgUrl, { poolSize: 20 });
  const t0 = performance.now();
  for (const batch of seedBatches(size)) await store.load(batch);
  if (kind === 'postgres') await store.pool.query('VACUUM ANALYZE');
  else store.db.exec('ANALYZE');
  const seedSeconds = (performance.now() - t0) / 1000;
  const server = await startServer({ port: 0, store, auth: { secret: DEMO_JWT_SECRET }, rateLimit: false, slaSweepMs: 0, now: () => NOW });
  const rand = rng(99);
  const callers = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const a = Math.floor(rand() * ACCOUNTS);
      const c = Math.floor(rand() * CONTACTS_PER_ACCOUNT);
      const token = await mintToken({ email: `person${c}@a${a}.example`, account: `acc_${a}` }, { secret: DEMO_JWT_SECRET, now: NOW, ttlSeconds: 3600 });
      return { acc: `acc_${a}`, contact: `con_${a}_${c}`, headers: { Authorization: `Bearer ${token}` } };
    }),
  );
  const ticketIds = Array.from({ length: 200 }, () => `tkt_${Math.floor(rand() * size)}`);
  const get = (path, caller) => fetch(`${server.url}${path}`, { headers: caller.headers }).then((r) => (r.status === 404 ? r.arrayBuffer() : body(r)));
  const http = {
    'list mine': (n) => get('/v1/tickets?view=mine', callers[n % callers.length]),
    'list account': (n) => get('/v1/tickets?view=account', callers[n % callers.length]),
    'list unsolved': (n) => get('/v1/tickets?view=unsolved', callers[n % callers.length]),
    'text search': (n) => get('/v1/tickets?q=invoice', callers[n % callers.length]),
    // The detail of a ticket of another account is a 404 after the same lookup: the cost is the same.
    detail: (n) => get(`/v1/tickets/${ticketIds[n % ticketIds.length]}`, callers[n % callers.length]),
    create: (n) =>
      fetch(`${server.url}/v1/tickets`, {
        method: 'POST',
        headers: { ...callers[n % callers.length].headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: `Bench ticket ${n}`, description: 'Created by the benchmark.', category: 'technical' }),
      }).then(body),
  };
  // Warm-up.
  for (const op of Object.values(http)) await op(0).catch(() => {});
  const rows = [];
  const raw = rawQueries(kind);
  // Raw SQL sees every row (the service plane's '*'), on its own pool of the same size.
  const rawPool = kind === 'postgres' ? new pg.Pool({ connectionString: pgUrl, max: 20, options: '-c portico.account_ids=*' }) : undefined;
  for (const [name, op] of Object.entries(http)) {
    const viaHttp = await measure(op);
    let viaSql;
    if (raw[name]) {
      const [sql, params] = raw[name];
      const args = (n) => params(callers[n % callers.length].acc, callers[n % callers.length].contact, ticketIds[n % ticketIds.length]);
      viaSql =
        kind === 'postgres'
          ? await measure((n) => rawPool.query(sql, args(n)))
          : await (async () => {
              const statement = store.db.prepare(sql);
              return measure(async (n) => statement.all(...args(n)));
            })();
    }
    rows.push({ name, viaHttp, viaSql });
  }
  let plan = '';
  if (kind === 'postgres') {
    const [sql] = raw['list account'];
    plan = (await rawPool.query(`EXPLAIN ${sql}`, [callers[0].acc])).rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  await rawPool?.end();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return { rows, seedSeconds, plan };
}

const cluster = STORES.includes('postgres') ? await startPgCluster() : undefined;
try {
  console.log(
    `Portico server benchmark — ${ACCOUNTS.toLocaleString('en')} accounts × ${CONTACTS_PER_ACCOUNT} contacts, 1 comment per ticket, concurrency ${CONCURRENCY}, ${SECONDS} s per row, client and server on the same machine (${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start)\n`,
  );
  console.log('| store | tickets | operation | API req/s | API p50 ms | API p99 ms | raw SQL req/s | SQL p50 ms | SQL p99 ms | API/SQL p50 | API failures |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const plans = [];
  for (const size of SIZES) {
    for (const kind of STORES) {
      const url = kind === 'postgres' ? cluster.urlOf(cluster.createDatabase()) : undefined;
      const { rows, seedSeconds, plan } = await benchStore(kind, size, url);
      for (const r of rows) {
        const ratio = r.viaSql ? `${(r.viaHttp.p50 / r.viaSql.p50).toFixed(1)}×` : '–';
        console.log(`| ${kind} | ${size.toLocaleString('en')} | ${r.name} | ${fmt(r.viaHttp)} | ${fmt(r.viaSql)} | ${ratio} | ${r.viaHttp.errors} |`);
      }
      console.error(`  (${kind}, ${size.toLocaleString('en')} tickets: seeded in ${seedSeconds.toFixed(1)} s)`);
      if (plan) plans.push(`PostgreSQL, ${size.toLocaleString('en')} tickets — EXPLAIN of "list account":\n${plan}`);
    }
  }
  for (const plan of plans) console.log(`\n\`\`\`\n${plan}\n\`\`\``);
} finally {
  cluster?.stop();
}
