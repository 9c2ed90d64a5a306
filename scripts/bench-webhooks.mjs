#!/usr/bin/env node
// Webhook delivery lag: events written through the real API (agent replies, each one outbox
// event) at a steady rate into a SQLite-file server, delivered by its worker to a local HTTP
// receiver. Lag = receipt time minus the event's `timestamp` (its write time). Prints
// p50/p95/p99/max in milliseconds. Usage: npm run bench:webhooks [-- --rate 50 --seconds 20]
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, mintToken } from '@portico/server';
import { startServer } from '@portico/server/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 50);
const SECONDS = arg('seconds', 20);
const TICKETS = 20;

const dir = mkdtempSync(join(tmpdir(), 'portico-bench-webhooks-'));
const server = await startServer({
  port: 0,
  db: join(dir, 'bench.db'),
  seed: 'demo',
  auth: { secret: DEMO_JWT_SECRET },
  serviceApiKeys: [DEMO_SERVICE_API_KEY],
  rateLimit: false,
  slaSweepMs: 0,
  webhooks: { allowPrivate: true },
});

const lags = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const received = Date.now();
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (event.type === 'ticket.commented') lags.push(received - Date.parse(event.timestamp));
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const service = { authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'content-type': 'application/json' };
const post = (path, body, headers = service) => fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

const endpoint = await (
  await post('/v1/service/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/hooks`, eventTypes: ['ticket.commented'] })
).json();
const token = await mintToken({ email: 'ada@acme.example', name: 'Ada Okafor', account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET });
const tickets = [];
for (let i = 0; i < TICKETS; i++) {
  const res = await post(
    '/v1/tickets',
    { subject: `Bench ticket ${i}`, description: 'Webhook lag benchmark.', category: 'technical' },
    { ...service, authorization: `Bearer ${token}` },
  );
  tickets.push((await res.json()).id);
}

// A steady rate: the n-th reply is sent at start + n / RATE seconds, without waiting for earlier ones.
const total = RATE * SECONDS;
const start = performance.now();
const writes = [];
for (let n = 0; n < total; n++) {
  const due = start + (n * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  writes.push(
    post(`/v1/service/tickets/${tickets[n % TICKETS]}/comments`, { body: `Reply ${n}`, agent: { name: 'Bench Agent' } }).then((r) => r.arrayBuffer()),
  );
}
await Promise.all(writes);
const deadline = Date.now() + 30_000;
while (lags.length < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
const elapsed = (performance.now() - start) / 1000;

const sorted = [...lags].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
console.log(
  `webhooks: ${total} events at ${RATE}/s for ${SECONDS} s (SQLite file, ${TICKETS} tickets, one endpoint), received ${lags.length} in ${elapsed.toFixed(1)} s`,
);
console.log(`delivery lag commit → receipt (ms): p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${sorted.at(-1)}  (target p99 < 2000)`);
const log = await (await fetch(`${server.url}/v1/service/webhooks/${endpoint.id}/deliveries?limit=1`, { headers: service })).json();
console.log(`last delivery: ${log.items[0]?.status}, ${log.items[0]?.attempts} attempt(s)`);

receiver.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
if (lags.length < total || pct(99) >= 2000) process.exitCode = 1;
