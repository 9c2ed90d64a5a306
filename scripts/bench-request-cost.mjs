// Server CPU time per request of API reads, in process: the app (no HTTP, no load generator,
// no SLA sweeper) answers each path N times in a row on a SQLite file, and the process's CPU
// time over those requests is divided by N. On a shared machine this moves far less than
// req/s under load, so it is what to compare before and after a change (see docs/performance.md).
//
//   npm run bench:server -- --sizes 100000 --seed-only /tmp/x.db
//   npm run bench:request-cost -- /tmp/x.db '/v1/tickets?view=mine&limit=50' ...
//
// Options (environment): N (requests per path, default 300), EMAIL and ACCOUNT (the caller,
// default the member c1@a0.example of the largest account, acc_0000).
import { DEMO_JWT_SECRET, createApp, mintToken } from '@portico/server';
import { SqliteStore } from '@portico/server/node';

const [db, ...paths] = process.argv.slice(2);
if (!db || paths.length === 0) {
  console.error('usage: bench-request-cost.mjs <sqlite file> <path>...');
  process.exit(2);
}
const store = new SqliteStore(db);
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

console.log('| path | server CPU ms / request | wall ms / request | bytes |\n|---|---|---|---|');
for (const path of paths) {
  let bytes = 0;
  // Warm the statement cache and the page cache first.
  for (let i = 0; i < Math.min(100, n); i++) bytes = await request(path);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await request(path);
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  console.log(`| \`${path}\` | ${((used.user + used.system) / 1000 / n).toFixed(2)} | ${(wall / n).toFixed(2)} | ${bytes} |`);
}
await store.close();
