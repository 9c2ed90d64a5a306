#!/usr/bin/env node
// What compressing one API response costs, per encoding and level: a 50-ticket list page (the
// largest page the elements ask for) as the app answers it, compressed with brotli at each
// quality 0–11 and gzip at each level 1–9; bytes on the wire and CPU ms per response
// (process.cpuUsage over many runs, so the figure is CPU time, not wall time on a busy
// machine). The server uses brotli 4 / gzip 6 per request, brotli 11 / gzip 9 for the
// widget bundle it compresses once (packages/server/src/compression.ts).
// Usage: npm run bench:compression [-- --runs 200]
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DEMO_JWT_SECRET, MemoryStore, createApp, demoSeed, mintToken } from '@portico/server';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const now = new Date();

const store = new MemoryStore();
await store.load(demoSeed(now));
const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: () => now });
const token = await mintToken({ email: 'ada@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, now });
const call = (method, path, body) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
// Top the account up to 50 tickets with varied text, as a busy customer's first page would be.
const have = ((await (await call('GET', '/v1/tickets?view=account&limit=50')).json()).items ?? []).length;
const topics = [
  'Export fails for large dashboards',
  'SSO login loops back to the start page',
  'Invoice shows the wrong VAT rate',
  'Webhook retries stop after an hour',
];
for (let i = have; i < 50; i++) {
  const subject = `${topics[i % topics.length]} (${i})`;
  const res = await call('POST', '/v1/tickets', { subject, description: `Seen since the last release by team ${i}. ${subject}.`, category: 'technical' });
  if (res.status !== 201) throw new Error(`creating a ticket answered ${res.status}`);
}
const page = Buffer.from(await (await call('GET', '/v1/tickets?view=account&limit=50')).arrayBuffer());
const tickets = JSON.parse(page.toString('utf8')).items.length;

/** CPU ms per call of `fn`, over RUNS calls (after a warm-up). */
function cpuMs(fn) {
  for (let i = 0; i < 5; i++) fn();
  const start = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / RUNS;
}

/** Bytes and CPU ms per response of one body at every brotli quality and gzip level, as a markdown table. */
function table(title, body) {
  const rows = [];
  for (let quality = 0; quality <= 11; quality++) {
    const params = {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    };
    rows.push({ encoding: `br ${quality}`, bytes: brotliCompressSync(body, { params }).length, ms: cpuMs(() => brotliCompressSync(body, { params })) });
  }
  for (let level = 1; level <= 9; level++) {
    rows.push({ encoding: `gzip ${level}`, bytes: gzipSync(body, { level }).length, ms: cpuMs(() => gzipSync(body, { level })) });
  }
  console.log(`\n${title}: ${body.length.toLocaleString('en')} bytes plain; CPU per response over ${RUNS} runs (Node ${process.versions.node}).\n`);
  console.log('| encoding | bytes | % of plain | CPU ms per response |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.encoding} | ${r.bytes.toLocaleString('en')} | ${((r.bytes / body.length) * 100).toFixed(1)} % | ${r.ms.toFixed(3)} |`);
}

table(`A ${tickets}-ticket list page (JSON)`, page);
// A script the server sends: the CDN widget bundle if built, else the demo's page script.
const script = [new URL('../packages/elements/dist/cdn/portico.min.js', import.meta.url), new URL('../examples/vendor-app/dist/app.js', import.meta.url)].find(
  (u) => existsSync(u),
);
if (script) table(script.pathname.split('/').slice(-3).join('/'), readFileSync(script));
else console.log('\n(No built script to measure: `npm run build` makes the widget bundle.)');
