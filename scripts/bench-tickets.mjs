#!/usr/bin/env node
// Ticket list speed on a 5,000-ticket account (SQLite file, through the real API app):
// first pages with per-view counts, deep cursor pages, filters, full-text search, sorts.
// Prints p50/p95 in milliseconds. Usage: npm run bench:tickets [-- --tickets 5000 --runs 30]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_JWT_SECRET, createApp, demoSeed, mintToken } from '@portico/server';
import { SqliteStore } from '@portico/server/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TICKETS = arg('tickets', 5000);
const RUNS = arg('runs', 30);

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

function bigSeed(now) {
  const seed = demoSeed(now);
  const rand = rng(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const acme = seed.contacts.filter((c) => c.accountId === 'acc_acme' && c.status === 'active' && c.role !== 'viewer');
  const tickets = [...seed.tickets];
  const comments = [...seed.comments];
  for (let i = 0; i < TICKETS; i++) {
    const n = 5000 + i;
    const created = now.getTime() - Math.floor(rand() * 400 * 24 * 3600_000);
    const updated = created + Math.floor(rand() * 10 * 24 * 3600_000);
    const requester = pick(acme);
    const followers = acme
      .filter((c) => c.id !== requester.id && rand() < 0.15)
      .map((c) => c.id)
      .sort();
    const id = `tkt_b${n}`;
    const sentence = () => Array.from({ length: 8 }, () => pick(WORDS)).join(' ');
    tickets.push({
      id,
      ref: `T-${n}`,
      accountId: 'acc_acme',
      subject: `${pick(WORDS)} ${pick(WORDS)} problem ${n}`,
      description: sentence(),
      status: pick(STATUSES),
      priority: pick(PRIORITIES),
      category: pick(CATEGORIES),
      visibility: rand() < 0.6 ? 'account' : 'private',
      requester: { id: requester.id, name: requester.name, email: requester.email },
      followerIds: followers,
      assignee: null,
      escalated: false,
      commentCount: 3,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(Math.min(updated, now.getTime())).toISOString(),
      version: 4,
      ...(rand() < 0.5 ? { slaDueAt: new Date(now.getTime() + Math.floor((rand() - 0.3) * 7 * 24 * 3600_000)).toISOString() } : {}),
    });
    for (let j = 0; j < 3; j++) {
      comments.push({
        id: `cmt_b${n}_${j}`,
        ticketId: id,
        author: { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' },
        body: `${sentence()} ${j === 2 && i % 500 === 0 ? 'zebracorn' : ''}`,
        createdAt: new Date(created + (j + 1) * 3600_000).toISOString(),
      });
    }
  }
  return { ...seed, tickets, comments };
}

const now = new Date();
const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
const store = new SqliteStore(join(dir, 'bench.db'));
try {
  let t0 = performance.now();
  await store.load(bigSeed(now));
  console.log(
    `Loaded ${TICKETS + demoSeed(now).tickets.length} tickets (${TICKETS} in Acme Corp) and ${TICKETS * 3} extra comments in ${(performance.now() - t0).toFixed(0)} ms.`,
  );
  const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: () => now });
  const tokens = {
    admin: await mintToken({ email: 'ada@acme.example', name: 'Ada Okafor', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, now }),
    member: await mintToken({ email: 'mia@acme.example', name: 'Mia Chen', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, now }),
  };
  const get = async (who, path) => {
    const res = await app.request(path, { headers: { Authorization: `Bearer ${tokens[who]}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  // A cursor 40 pages deep, for the deep-paging case.
  let deep = null;
  for (let i = 0; i < 40; i++) deep = (await get('admin', `/v1/tickets?limit=25${deep ? `&cursor=${deep}` : ''}`)).nextCursor;

  const cases = [
    ['first page + counts (admin)', 'admin', '/v1/tickets?limit=25&counts=true'],
    ['first page + counts (member)', 'member', '/v1/tickets?limit=25&counts=true'],
    ['page 41 by cursor (admin)', 'admin', `/v1/tickets?limit=25&cursor=${deep}`],
    ['status+priority filter + counts', 'admin', '/v1/tickets?limit=25&status=open,pending&priority=high,urgent&counts=true'],
    ['sort by SLA due', 'admin', '/v1/tickets?limit=25&sort=sla_due'],
    ['sort by priority', 'member', '/v1/tickets?limit=25&sort=priority'],
    ['search one word + counts', 'admin', '/v1/tickets?limit=25&q=webhook&counts=true'],
    ['search two words (member)', 'member', '/v1/tickets?limit=25&q=invoice%20refund'],
    ['search prefix', 'admin', '/v1/tickets?limit=25&q=certif'],
    ['search a rare comment word', 'admin', '/v1/tickets?limit=25&q=zebracorn&counts=true'],
  ];
  const rows = [];
  for (const [name, who, path] of cases) {
    await get(who, path); // warm the statement cache
    const times = [];
    let items = 0;
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      items = (await get(who, path)).items.length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    rows.push({ case: name, items, 'p50 ms': at(0.5).toFixed(2), 'p95 ms': at(0.95).toFixed(2) });
  }
  console.log(`GET /v1/tickets through the API app on SQLite (${RUNS} runs each):`);
  console.table(rows);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
