#!/usr/bin/env node
// PostgreSQL's floor for one API request (a report, not a test): what PostgreSQL alone answers
// on this machine for the exact statements one request sends, without Portico's CPU.
//
// 1. Runs the request once in this process (the app on a PostgresStore of one connection, as
//    the member of the largest account) and records every round trip its store sends.
// 2. Writes those statements as a pgbench script (each prepared once per pgbench client, as the
//    store's are once per pooled connection, then executed with the request's values) and
//    runs pgbench at each client count: tps and p50 / p99 of a whole request's statements from
//    pgbench's per-transaction log, and the cluster's CPU per request with --pg-data.
// 3. With --beside-server, runs each again while the real server (scripts/lib/bench-server-child.mjs)
//    answers the same request under autocannon at the same connection count: what remains for
//    PostgreSQL when Portico and the load generator take their share of the cores.
//
// The row-level-security scope is the connection's session setting, as the store keeps it on
// its pooled connections (set once, not per request): PGOPTIONS `-c portico.account_ids=…`.
//
//   npm run bench:pg-floor -- postgres://portico_app:…@127.0.0.1:5432/pg1m '/v1/tickets?view=account&limit=50'
//     [--clients 16,10] [--seconds 20] [--pg-data /dir] [--beside-server]
// Environment: EMAIL and ACCOUNT (the caller, default c1@a0.example of acc_0000), PGBENCH (the
// pgbench binary, default Debian's /usr/lib/postgresql/15/bin/pgbench).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';
import { DEMO_JWT_SECRET, createApp, mintToken } from '@portico/server';
import { PostgresStore } from '@portico/server/node';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    clients: { type: 'string', default: '16,10' },
    seconds: { type: 'string', default: '20' },
    'pg-data': { type: 'string' },
    'beside-server': { type: 'boolean', default: false },
  },
});
const [db, path] = positionals;
if (!db || !path) {
  console.error('usage: bench-pg-floor.mjs <postgres:// URL> <API path> [--clients 16,10] [--seconds 20] [--pg-data dir] [--beside-server]');
  process.exit(2);
}
const CLIENTS = args.clients.split(',').map(Number);
const SECONDS = Number(args.seconds);
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
const ACCOUNT = process.env.ACCOUNT ?? 'acc_0000';
const authorization = `Bearer ${await mintToken({ email: process.env.EMAIL ?? 'c1@a0.example', account: ACCOUNT }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 })}`;

// --- 1. the round trips of one request ------------------------------------------------------

const trips = [];
let recording = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, ...rest) {
  // The store passes named (prepared) statements as { name, text, values }.
  const [sql, params] = typeof config === 'string' ? [config, values] : [config?.text, config?.values];
  if (recording && typeof sql === 'string') trips.push({ sql: sql.replace(/\s+/g, ' ').trim(), params: [...(params ?? [])] });
  return query.call(this, config, values, ...rest);
};
const store = await PostgresStore.open(db, { migrate: false, poolSize: 1 });
const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, rateLimit: false, authFailureLimit: false });
const get = async () => {
  const res = await app.request(path, { headers: { Authorization: authorization } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
};
// The second request: the connection's scope is set and its statements prepared, as on a warm server.
await get();
recording = true;
await get();
recording = false;
await store.close();
pg.Client.prototype.query = query;

const session = trips.filter((t) => /^SELECT set_config\('portico\.account_ids', \$1, false\)/.test(t.sql));
const statements = trips.filter((t) => !session.includes(t));
console.log(`\`GET ${path}\`: ${trips.length} round trips to PostgreSQL${session.length ? ` (${session.length} of them setting the scope)` : ''}:\n`);
for (const [i, t] of trips.entries()) console.log(`${i + 1}. \`${t.sql.length > 160 ? `${t.sql.slice(0, 160)}…` : t.sql}\``);

// --- 2. the same statements through pgbench --------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'portico-pg-floor-'));
// SQL-level prepared statements, prepared once per pgbench client, executed with literals:
// pgbench's own `-M prepared` would give each `:variable` a parameter of its own, and the store
// binds an id it names twice as one parameter, which its generic plans depend on (see
// `Params.id` in postgres-store.ts).
const defines = ['-D', 'prepared=0'];
const literal = (value) => (value === null || value === undefined ? 'NULL' : `'${String(pgUtils.prepareValue(value)).replaceAll("'", "''")}'`);
const executes = statements.map((t, i) => {
  const values = t.params.map((value, n) => {
    defines.push('-D', `s${i + 1}_${n + 1}=${literal(value)}`);
    return `:s${i + 1}_${n + 1}`;
  });
  return `EXECUTE s${i + 1}${values.length ? `(${values.join(', ')})` : ''};`;
});
const script = ['\\if :prepared = 0', ...statements.map((t, i) => `PREPARE s${i + 1} AS ${t.sql};`), '\\set prepared 1', '\\endif', ...executes];
const scriptFile = join(dir, 'request.sql');
writeFileSync(scriptFile, `${script.join('\n')}\n`);

const url = new URL(db);
const env = {
  ...process.env,
  PGHOST: url.hostname,
  PGPORT: url.port || '5432',
  PGUSER: decodeURIComponent(url.username),
  PGPASSWORD: decodeURIComponent(url.password),
  PGDATABASE: url.pathname.slice(1),
  PGOPTIONS: `-c portico.account_ids=${session[0]?.params[0] ?? ACCOUNT}`,
};

/** CPU ms of the cluster so far (postmaster and backends, live and exited; Linux /proc), or NaN without --pg-data. */
function clusterCpuMs() {
  if (!args['pg-data']) return NaN;
  const ticks = (id, withChildren) => {
    const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1].split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return utime + stime + (withChildren ? cutime + cstime : 0);
  };
  const postmaster = Number(readFileSync(join(args['pg-data'], 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = ticks(postmaster, true);
  for (const child of readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
    try {
      total += ticks(child, false);
    } catch {
      // A backend that exited meanwhile is counted in the postmaster's children's time.
    }
  }
  return (total * 1000) / 100;
}

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

/** Runs pgbench at `clients`; resolves with tps, p50 / p99 ms of a transaction (the request's statements) and the per-statement averages. */
function pgbench(clients) {
  const runDir = mkdtempSync(join(dir, `c${clients}-`));
  const argv = [
    '-n',
    '-M',
    'simple',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(SECONDS),
    '-r',
    '--log',
    '--log-prefix',
    join(runDir, 'log'),
    ...defines,
    '-f',
    scriptFile,
  ];
  const cpu = clusterCpuMs();
  return new Promise((resolve, reject) => {
    const child = spawn(PGBENCH, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`pgbench exited with ${code}:\n${err}${out}`));
      const latencies = [];
      for (const file of readdirSync(runDir)) {
        // Each line: client, transaction, latency µs, script, epoch s, µs.
        for (const line of readFileSync(join(runDir, file), 'utf8').split('\n')) if (line) latencies.push(Number(line.split(' ')[2]) / 1000);
      }
      latencies.sort((a, b) => a - b);
      const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
      // `-r`: each statement's average latency (ms), in script order.
      const perStatement = [...out.matchAll(/^\s+([\d.]+)\s+\d+\s+EXECUTE /gm)].map((m) => Number(m[1]));
      resolve({
        tps,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        count: latencies.length,
        perStatement,
        databaseCpuMs: (clusterCpuMs() - cpu) / latencies.length,
      });
    });
  });
}

/** The real server in a child process (as bench:server runs it), loaded by autocannon at `connections` for SECONDS. */
async function serverLoad(server, connections) {
  const latencies = [];
  const instance = autocannon({
    url: server.url,
    connections,
    duration: SECONDS,
    requests: [{ method: 'GET', path, headers: { Authorization: authorization } }],
  });
  instance.on('response', (_client, status, _bytes, ms) => status === 200 && latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { rps: result.requests.total / SECONDS, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

function startServerChild() {
  const child = fork(new URL('./lib/bench-server-child.mjs', import.meta.url), [db, '--sla-sweep-ms', '0'], {
    execArgv: ['--conditions=portico-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The server exited with ${code} before listening`)));
    child.once('message', (message) => resolve({ url: message.url, stop: () => child.kill('SIGTERM') }));
  });
}

const fmt = (n, digits = 3) => (Number.isFinite(n) ? Number(n.toPrecision(digits)).toLocaleString('en') : '–');
const rows = [];
try {
  for (const clients of CLIENTS) rows.push({ clients, alone: await pgbench(clients) });
  if (args['beside-server']) {
    const server = await startServerChild();
    try {
      // Warm the server's connections and prepared statements first.
      await autocannon({ url: server.url, connections: 4, duration: 2, requests: [{ method: 'GET', path, headers: { Authorization: authorization } }] });
      for (const row of rows) {
        const [beside, api] = await Promise.all([pgbench(row.clients), serverLoad(server, row.clients)]);
        Object.assign(row, { beside, api });
      }
    } finally {
      server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\npgbench -M simple -j 2 -T ${SECONDS}, the ${statements.length} statements above as one transaction (one request), each a PREPAREd statement run by EXECUTE; scope as a session setting:\n`,
);
const beside = args['beside-server'];
console.log(
  `| clients | tps | p50 ms | p99 ms | database CPU ms/request | statements' mean ms |${beside ? ' beside the server: tps | p50 / p99 ms | the server: req/s | p50 / p99 ms |' : ''}`,
);
console.log(
  `| ------- | --- | ------ | ------ | ----------------------- | ------------------- |${beside ? ' ------------------- | ------------ | ---------------- | ------------ |' : ''}`,
);
for (const { clients, alone, beside: b, api } of rows) {
  const cells = [clients, fmt(alone.tps, 4), fmt(alone.p50), fmt(alone.p99), fmt(alone.databaseCpuMs), alone.perStatement.map((ms) => fmt(ms, 2)).join(' + ')];
  if (b) cells.push(fmt(b.tps, 4), `${fmt(b.p50)} / ${fmt(b.p99)}`, fmt(api.rps, 4), `${fmt(api.p50)} / ${fmt(api.p99)}`);
  console.log(`| ${cells.join(' | ')} |`);
}
