#!/usr/bin/env node
// What sharing costs when `portico-server --workers N` serves one SQLite file (a report, not a
// test; see docs/performance.md "SQLite workers"):
// - the watch for other processes' commits: one `PRAGMA data_version` per tick (every 100 ms),
//   plus two reads of a table's largest key when it moved;
// - a rate-limit token, the two ways N workers can count one limit: asking the cluster primary
//   over IPC (what `--workers` does, cluster-rate-limit.ts), or a write transaction on a bucket
//   table in the shared file (what the PostgreSQL store does in its database). N workers take
//   tokens as fast as they can, 10 at a time each; it prints takes/s, the CPU of every process
//   per take, and the p50 / p99 wait of a take;
// - with --db <file> (a seeded database, e.g. a copy of bench:server's 1M cache): the list pages
//   against servers of 1, 2 and 3 workers on that file (scripts/lib/bench-server-child.mjs, rate
//   limits off as in bench:server), as the member of the largest account, 10 connections,
//   taken in turns (1, 2, 3 workers, then again) so a busy machine disturbs each alike.
//
// Usage: npm run bench:sqlite-workers [-- --workers 2] [--seconds 3] [--db /tmp/copy-1m.db --rounds 2]
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import { clusterRateLimiter, serveClusterRateLimits } from '../packages/server/src/cluster-rate-limit.ts';

const { values: args } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '3' },
    db: { type: 'string' },
    rounds: { type: 'string', default: '2' },
  },
});
const WORKERS = Number(args.workers);
const SECONDS = Number(args.seconds);
/** A limit nobody reaches: every take is counted and granted. */
const LIMIT = { perMinute: 1e12, burst: 1e9 };
const IN_FLIGHT = 10;

const cpuMs = (u) => (u.user + u.system) / 1000;
const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** In a worker: takes tokens with `take` for SECONDS, IN_FLIGHT at a time; reports count, waits and CPU. */
async function takeForAWhile(take) {
  const waits = [];
  const cpu0 = process.cpuUsage();
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, i) => {
      while (performance.now() < end) {
        const t = performance.now();
        await take(`contact:${i % 3}`);
        waits.push(performance.now() - t);
      }
    }),
  );
  return { takes: waits.length, waits, cpuMs: cpuMs(process.cpuUsage(cpu0)) };
}

/** One token from a bucket row in the shared file, in a write transaction (as `takeRateToken` on PostgreSQL). */
function sqliteBuckets(file) {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  const insert = db.prepare('INSERT OR IGNORE INTO rate_buckets (key, tokens, at) VALUES (?, ?, ?)');
  const read = db.prepare('SELECT tokens, at FROM rate_buckets WHERE key = ?');
  const update = db.prepare('UPDATE rate_buckets SET tokens = ?, at = ? WHERE key = ?');
  const perMs = LIMIT.perMinute / 60_000;
  return async (key) => {
    const now = Date.now();
    db.exec('BEGIN IMMEDIATE');
    try {
      insert.run(key, LIMIT.burst, now);
      const b = read.get(key);
      const tokens = Math.min(LIMIT.burst, b.tokens + Math.max(0, now - b.at) * perMs);
      update.run(tokens >= 1 ? tokens - 1 : tokens, Math.max(now, b.at), key);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };
}

/** A server of `workers` processes on `db` (bench-server-child.mjs): its URL and the CPU ms of all its processes. */
async function startServerChild(db, workers) {
  const child = fork(fileURLToPath(new URL('./lib/bench-server-child.mjs', import.meta.url)), [db, '--workers', String(workers)], {
    execArgv: ['--conditions=portico-source'],
  });
  const waiting = new Map();
  let asked = 0;
  const url = await new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.type === 'listening') resolve(m.url);
      else if (m.type === 'cpu') waiting.get(m.id)?.(cpuMs(m.usage));
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
  const cpu = () =>
    new Promise((resolve) => {
      const id = ++asked;
      waiting.set(id, resolve);
      child.send({ type: 'cpu', id });
    });
  return { url, cpu, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

/** The list pages against 1, 2 and 3 workers on `db`, in turns. */
async function listPages(db) {
  const token = await mintToken({ email: 'c1@a0.example', name: 'Contact 1 of 0', account: 'acc_0000' }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
  const counts = [1, 2, 3];
  const servers = [];
  for (const n of counts) servers.push(await startServerChild(db, n));
  const rows = [];
  try {
    for (let round = 1; round <= Number(args.rounds); round++) {
      for (const view of ['mine', 'account', 'unsolved']) {
        for (const [i, server] of servers.entries()) {
          const options = { url: `${server.url}/v1/tickets?view=${view}&limit=50`, headers: { Authorization: `Bearer ${token}` }, connections: 10 };
          await autocannon({ ...options, duration: 1 });
          const before = await server.cpu();
          const result = await autocannon({ ...options, duration: SECONDS });
          const cpu = (await server.cpu()) - before;
          const served = result.requests.total - result.non2xx;
          rows.push(
            `| ${round} | list ${view} | ${counts[i]} | ${Math.round(served / SECONDS)} | ${result.latency.p50} / ${result.latency.p99} | ${(cpu / served).toFixed(2)} | ${result.non2xx + result.errors} |`,
          );
          console.error(rows.at(-1));
        }
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }
  console.log(`\nList pages on ${db}, 10 connections, ${SECONDS} s each; load average ${loadavg()[0].toFixed(1)} at the end:\n`);
  console.log('| round | case | workers | req/s | p50 / p99 ms | server CPU ms/req | failed |\n|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

if (cluster.isWorker) {
  const { mode, file } = JSON.parse(process.env.BENCH_WORKER);
  const take =
    mode === 'ipc'
      ? (
          (limiter) => (key) =>
            limiter.take(key)
        )(clusterRateLimiter())
      : sqliteBuckets(file);
  process.send({ type: 'result', ...(await takeForAWhile(take)) }, () => process.disconnect());
} else {
  console.log(`load average ${loadavg()[0].toFixed(1)} at the start`);
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-workers-'));
  try {
    const file = join(dir, 'bench.db');
    // The watch: what a tick costs with nothing new, and when another process committed.
    const store = new SqliteStore(file);
    const other = new DatabaseSync(file);
    const version = store.db.prepare('PRAGMA data_version');
    const heads = [
      store.db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM activity'),
      store.db.prepare('SELECT coalesce(max(sequence), 0) AS n FROM service_outbox'),
    ];
    const time = (n, fn) => {
      const t = performance.now();
      for (let i = 0; i < n; i++) fn(i);
      return ((performance.now() - t) * 1000) / n;
    };
    const idle = time(100_000, () => version.get());
    // Only the tick is timed, not the other connection's commit before it.
    let movedMs = 0;
    for (let i = 0; i < 2_000; i++) {
      other.exec(`PRAGMA user_version = ${i}`);
      const t = performance.now();
      version.get();
      for (const h of heads) h.get();
      movedMs += performance.now() - t;
    }
    const moved = (movedMs * 1000) / 2_000;
    console.log(`watch tick, nothing new: ${idle.toFixed(2)} µs (10 a second: ${((idle * 10) / 1000).toFixed(4)} ms of CPU a second)`);
    console.log(`watch tick after another connection's commit: ${moved.toFixed(2)} µs`);
    other.close();
    await store.close();
    new DatabaseSync(file).exec('CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at INTEGER NOT NULL)');

    serveClusterRateLimits(LIMIT);
    for (const mode of ['ipc', 'sqlite']) {
      const cpu0 = process.cpuUsage();
      const results = await Promise.all(
        Array.from(
          { length: WORKERS },
          () =>
            new Promise((resolve) => cluster.fork({ BENCH_WORKER: JSON.stringify({ mode, file }) }).on('message', (m) => m.type === 'result' && resolve(m))),
        ),
      );
      const primaryCpu = cpuMs(process.cpuUsage(cpu0));
      const takes = results.reduce((s, r) => s + r.takes, 0);
      const waits = results.flatMap((r) => r.waits).sort((a, b) => a - b);
      const cpu = results.reduce((s, r) => s + r.cpuMs, 0) + primaryCpu;
      const label = mode === 'ipc' ? 'the primary over IPC' : 'a bucket row in the SQLite file';
      console.log(
        `rate-limit token from ${label}, ${WORKERS} workers × ${IN_FLIGHT} in flight: ${Math.round(takes / SECONDS).toLocaleString('en')} takes/s, ` +
          `${((cpu * 1000) / takes).toFixed(1)} µs CPU a take (all processes; primary ${((primaryCpu * 1000) / takes).toFixed(1)}), ` +
          `wait p50 ${percentile(waits, 0.5).toFixed(3)} / p99 ${percentile(waits, 0.99).toFixed(3)} / max ${waits.at(-1).toFixed(1)} ms`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.db) await listPages(args.db);
  process.exit(0);
}
