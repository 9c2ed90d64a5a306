// A server under test of scripts/bench-server.mjs, in its own process so the load generator
// does not share its event loop or CPU accounting. Two kinds:
//   node bench-server-child.mjs <db> [--workers N]   the real server (startServer) on a SQLite
//       file or postgres:// URL; with N > 1, a node:cluster primary and N workers sharing the port
//   node bench-server-child.mjs <db> --bare <cases.json>   a bare node:http server that runs the
//       SQL statements of case i (captured from the real server) for GET /case/<i> and answers
//       their rows as JSON: HTTP + SQL + JSON and nothing else, the baseline for Portico's overhead
//   --cors-origins <list>   the real server allows only these origins (default *)
//   --sla-sweep-ms <ms>     its SLA sweep interval (0: none)
// It talks to the parent over IPC: {type: 'listening', url, startServerMs} once it listens, and
// {type: 'cpu', id, usage, heapBytes} (process.cpuUsage() and the bytes allocated on the V8 heap
// so far, see heap-allocated.mjs, summed over every process of the server) in answer to
// {type: 'cpu', id}. Run by the parent only; `--workers` on a SQLite file measures
// several processes on one WAL file, as `portico-server --workers` runs them (see docs/deploy.md).
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { heapAllocatedBytes } from './heap-allocated.mjs';
import { queryWithSettings, readRows } from './read-rows.mjs';
import { DEMO_JWT_SECRET } from '@portico/server';
import { SqliteStore, isPostgresUrl, startServer } from '@portico/server/node';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { workers: { type: 'string', default: '1' }, bare: { type: 'string' }, 'cors-origins': { type: 'string' }, 'sla-sweep-ms': { type: 'string' } },
});
const db = positionals[0];
const workers = Number(values.workers);
const t0 = performance.now();

/** A TCP port nobody listens on right now (the workers of a cluster all listen on it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Sums CPU usage records. */
/** PostgreSQL connections of the server (and the bare baseline): `PORTICO_DB_POOL`, as `portico-server` reads it, else the store's default. */
const POOL_SIZE = process.env.PORTICO_DB_POOL ? Number(process.env.PORTICO_DB_POOL) : undefined;
const sum = (usages) => usages.reduce((a, u) => ({ user: a.user + u.user, system: a.system + u.system }), { user: 0, system: 0 });

/** Answers the bare baseline's requests: the statements of a case, in order, rows as JSON. */
async function startBare(port) {
  const cases = JSON.parse(readFileSync(values.bare, 'utf8'));
  let run;
  if (isPostgresUrl(db)) {
    // As the store: its pool size, and the row-level-security scope set on a connection only
    // when it differs from what that connection last had.
    const pool = new pg.Pool({ connectionString: db, max: POOL_SIZE ?? 10 });
    const scopes = new WeakMap();
    run = async (statements) => {
      const client = await pool.connect();
      try {
        const results = [];
        for (const s of statements) {
          if (scopes.get(client) !== s.scope) {
            await client.query("SELECT set_config('portico.account_ids', $1, false)", [s.scope]);
            scopes.set(client, s.scope);
          }
          results.push(await queryWithSettings(client, s));
        }
        return results;
      } finally {
        client.release();
      }
    };
  } else {
    // The store's own connection set-up (pragmas, SQL functions), then plain prepared statements.
    const sqlite = new SqliteStore(db).db;
    const prepared = new Map();
    const statement = (sql) => prepared.get(sql) ?? prepared.set(sql, sqlite.prepare(sql)).get(sql);
    run = async (statements) => statements.map((s) => readRows(statement(s.sql), s));
  }
  const server = createServer((req, res) => {
    const match = /^\/case\/(\d+)/.exec(req.url ?? '');
    const statements = match ? cases[Number(match[1])] : undefined;
    if (!statements) {
      res.writeHead(404).end();
      return;
    }
    run(statements).then(
      (results) => {
        const body = JSON.stringify(results);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
      },
      (error) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (workers > 1 && cluster.isPrimary) {
  const port = await freePort();
  const forked = Array.from({ length: workers }, () => cluster.fork({ BENCH_PORT: String(port) }));
  let listening = 0;
  let startServerMs = 0;
  const pending = new Map();
  for (const worker of forked) {
    worker.on('message', (message) => {
      if (message.type === 'listening') {
        startServerMs = Math.max(startServerMs, message.startServerMs);
        if (++listening === workers) process.send({ type: 'listening', url: message.url, startServerMs, workers });
      } else if (message.type === 'cpu') pending.get(message.id)?.(message);
    });
  }
  let ask = 0;
  process.on('message', async (message) => {
    if (message.type !== 'cpu') return;
    const answers = await Promise.all(
      forked.map((worker) => {
        const id = ++ask;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          worker.send({ type: 'cpu', id });
        });
      }),
    );
    // The primary hands connections to the workers: its CPU and allocations count too.
    process.send({
      type: 'cpu',
      id: message.id,
      usage: sum([process.cpuUsage(), ...answers.map((a) => a.usage)]),
      heapBytes: answers.reduce((bytes, a) => bytes + a.heapBytes, heapAllocatedBytes()),
    });
  });
  process.once('SIGTERM', () => {
    for (const worker of forked) worker.kill('SIGTERM');
    cluster.once('exit', () => process.exit(0));
  });
} else {
  const port = Number(process.env.BENCH_PORT ?? 0);
  const server = values.bare
    ? await startBare(port)
    : await startServer({
        db,
        port,
        hostname: '127.0.0.1',
        auth: { secret: DEMO_JWT_SECRET },
        rateLimit: false,
        authFailureLimit: false,
        poolSize: POOL_SIZE,
        // `--cors-origins a,b` as `portico-server --cors-origin` takes it (default *).
        ...(values['cors-origins'] && values['cors-origins'] !== '*' ? { corsOrigins: values['cors-origins'].split(',') } : {}),
        // `--sla-sweep-ms 0`: no SLA sweeper, whose background passes would count in a round's CPU.
        ...(values['sla-sweep-ms'] ? { slaSweepMs: Number(values['sla-sweep-ms']) } : {}),
        // As `portico-server --workers` runs them: each worker watches the file for the others' writes.
        shared: cluster.isWorker && !isPostgresUrl(db),
      });
  process.send({ type: 'listening', url: server.url, startServerMs: performance.now() - t0, workers: 1 });
  process.on('message', (message) => {
    if (message.type === 'cpu') process.send({ type: 'cpu', id: message.id, usage: process.cpuUsage(), heapBytes: heapAllocatedBytes() });
  });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
