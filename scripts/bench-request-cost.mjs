// Server CPU time per request of API reads, in process: the app (no HTTP, no load generator,
// no SLA sweeper) answers each path N times in a row on a SQLite file or a PostgreSQL database,
// and the process's CPU time over those requests is divided by N; on PostgreSQL also the CPU
// time of the database backends serving it (Linux /proc, the cluster on this machine). On a
// shared machine this moves far less than req/s under load, so it is what to compare before
// and after a change (see docs/performance.md).
//
//   npm run bench:server -- --sizes 100000 --seed-only /tmp/x.db
//   npm run bench:request-cost -- /tmp/x.db '/v1/tickets?view=mine&limit=50' ...
//   npm run bench:request-cost -- postgres://… '/v1/tickets?view=account&limit=50&q=error' ...
//
// On PostgreSQL a search may run up to 60 s (a cold cache answers 503 within the server's budget).
// Options (environment): N (requests per path, default 300), EMAIL and ACCOUNT (the caller,
// default the member c1@a0.example of the largest account, acc_0000).
import { DEMO_JWT_SECRET, createApp, mintToken } from '@portico/server';
import { readFileSync } from 'node:fs';
import { PostgresStore, SqliteStore, isPostgresUrl } from '@portico/server/node';

const [db, ...paths] = process.argv.slice(2);
if (!db || paths.length === 0) {
  console.error('usage: bench-request-cost.mjs <sqlite file | postgres:// URL> <path>...');
  process.exit(2);
}
const store = isPostgresUrl(db) ? await PostgresStore.open(db, { migrate: false, poolSize: 1, searchTimeoutMs: 60_000 }) : new SqliteStore(db);

/** CPU ms so far of the PostgreSQL backends of this process's connections (one, see poolSize), or 0 on SQLite. */
async function databaseCpuMs() {
  if (!(store instanceof PostgresStore)) return 0;
  const { rows } = await store.pool.query('SELECT pg_backend_pid() AS pid');
  const fields = readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, rateLimit: false, authFailureLimit: false });
const token = await mintToken(
  { email: process.env.EMAIL ?? 'c1@a0.example', account: process.env.ACCOUNT ?? 'acc_0000' },
  { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 },
);
const n = Number(process.env.N ?? 300);

async function request(path) {
  const res = await app.request(path, { headers: { Authorization: `Bearer ${token}` } });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return bytes;
}

console.log('| path | server CPU ms / request | database CPU ms / request | wall ms / request | bytes |\n|---|---|---|---|---|');
for (const path of paths) {
  let bytes = 0;
  // Warm the statement cache and the page cache first.
  for (let i = 0; i < Math.min(100, n); i++) bytes = await request(path);
  const database = await databaseCpuMs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await request(path);
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  const databaseMs = (await databaseCpuMs()) - database;
  console.log(
    `| \`${path}\` | ${((used.user + used.system) / 1000 / n).toFixed(2)} | ${store instanceof PostgresStore ? (databaseMs / n).toFixed(2) : '–'} | ${(wall / n).toFixed(2)} | ${bytes} |`,
  );
}
await store.close();
