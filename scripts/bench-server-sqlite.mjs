#!/usr/bin/env node
// Server speed at scale: seeds 10k and 100k tickets (1M with --big) over 1,000 accounts
// through direct SQL, starts the real server (SQLite) in a child process, then loads list
// views (with and without counts), text search, detail and create over HTTP at concurrency
// 16, beside the equivalent raw SQL through node:sqlite in the same run. Prints a markdown
// table and writes it to docs/performance.md.
// Usage: npm run bench:server:sqlite [-- --big] [-- --sizes 10000,100000] [-- --seconds 3] [-- --no-write] [-- --seed-only file.db]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { DEMO_JWT_SECRET, accountToken, mintToken } from '@portico/server';
import { SEARCH_MATCH_CAP, SqliteStore } from '@portico/server/node';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const SIZES = option('sizes', argv.includes('--big') ? '10000,100000,1000000' : '10000,100000')
  .split(',')
  .map(Number);
const SECONDS = Number(option('seconds', '3'));
const CONCURRENCY = 16;
const ACCOUNTS = 1000;
const CONTACTS_PER_ACCOUNT = 20;
const COMMENTS_PER_TICKET = 3;
/** The largest account holds this share of all tickets; the rest spread evenly. */
const BIG_ACCOUNT_SHARE = 0.05;
/** Share of tickets whose text holds the common word searched for. */
const COMMON_WORD = 'error';
const COMMON_SHARE = 0.3;

const VOCABULARY = (
  'invoice export dashboard login certificate webhook quota latency timezone report sync billing seats refund ' +
  'chart filter alert schema cluster token password sandbox migration retention backup region proxy cache upload download ' +
  'email notification permission role integration api limit timeout crash slow missing duplicate wrong update install ' +
  'license renewal plan upgrade downgrade payment card receipt address contract audit compliance privacy export import'
).split(' ');
const STATUSES = ['new', 'open', 'pending', 'solved', 'closed', 'closed', 'solved', 'closed', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'];
const PRIORITY_RANK = { low: 0, normal: 1, high: 2, urgent: 3 };
const CATEGORIES = ['technical', 'billing', 'account', 'feature_request'];
const ROLES = ['admin', 'member', 'member', 'member', 'requester', 'viewer', 'billing'];

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const accountId = (a) => `acc_${String(a).padStart(4, '0')}`;
const contactId = (a, k) => `con_${a}_${k}`;

/** Seeds accounts, contacts, tickets, followers and comments in one transaction; FTS and indexes follow through triggers. */
function seed(file, tickets, now) {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
  const rand = rng(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const sentence = (n) => Array.from({ length: n }, () => pick(VOCABULARY)).join(' ');
  const iso = now.toISOString();
  const insertAccount = db.prepare(
    `INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility, status, updated_at) VALUES (?, ?, '[]', ?, NULL, 'account', 'active', ?)`,
  );
  const insertContact = db.prepare(`INSERT INTO contacts (id, account_id, email, name, role, status, created_at) VALUES (?, ?, ?, ?, ?, 'active', ?)`);
  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, number, ref, account_id, subject, description, status, priority, priority_rank, category, visibility,
       requester_id, comment_count, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const insertFollower = db.prepare('INSERT INTO ticket_followers (ticket_id, contact_id) VALUES (?, ?)');
  const insertComment = db.prepare('INSERT INTO comments (id, ticket_id, author_kind, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.exec('BEGIN');
  for (let a = 0; a < ACCOUNTS; a++) {
    insertAccount.run(accountId(a), `Account ${a}`, a % 5 === 0 ? 'premier' : 'standard', iso);
    for (let k = 0; k < CONTACTS_PER_ACCOUNT; k++) {
      insertContact.run(contactId(a, k), accountId(a), `c${k}@a${a}.example`, `Contact ${k} of ${a}`, ROLES[k % ROLES.length], iso);
    }
  }
  const step = Math.max(1, Math.floor(tickets / 10));
  for (let i = 0; i < tickets; i++) {
    const a = rand() < BIG_ACCOUNT_SHARE ? 0 : 1 + Math.floor(rand() * (ACCOUNTS - 1));
    // Requesters are contacts who may file (not viewers: role index 5).
    let k = Math.floor(rand() * CONTACTS_PER_ACCOUNT);
    if (k % ROLES.length === 5) k = 1;
    const created = now.getTime() - Math.floor(rand() * 400 * 86_400_000);
    const updated = Math.min(now.getTime(), created + Math.floor(rand() * 10 * 86_400_000));
    const priority = pick(PRIORITIES);
    const id = `tkt_${i}`;
    const description = `${sentence(12)}${rand() < COMMON_SHARE ? ` ${COMMON_WORD}` : ''}`;
    insertTicket.run(
      id,
      i + 1,
      `T-${i + 1}`,
      accountId(a),
      `${pick(VOCABULARY)} ${pick(VOCABULARY)} problem`,
      description,
      pick(STATUSES),
      priority,
      PRIORITY_RANK[priority],
      pick(CATEGORIES),
      rand() < 0.6 ? 'account' : 'private',
      contactId(a, k),
      COMMENTS_PER_TICKET,
      new Date(created).toISOString(),
      new Date(updated).toISOString(),
    );
    if (rand() < 0.1) insertFollower.run(id, contactId(a, (k + 1) % CONTACTS_PER_ACCOUNT));
    for (let j = 0; j < COMMENTS_PER_TICKET; j++) {
      const agent = j % 2 === 1;
      insertComment.run(
        `cmt_${i}_${j}`,
        id,
        agent ? 'agent' : 'contact',
        agent ? 'agt_sam' : contactId(a, k),
        agent ? 'Sam Patel' : `Contact ${k} of ${a}`,
        sentence(10),
        new Date(created + (j + 1) * 3_600_000).toISOString(),
      );
    }
    if ((i + 1) % step === 0)
      process.stdout.write(`  seeding ${tickets.toLocaleString('en')} tickets: ${Math.round(((i + 1) / tickets) * 100)}%${process.stdout.isTTY ? '\r' : '\n'}`);
  }
  db.exec('COMMIT');
  db.close();
  if (process.stdout.isTTY) process.stdout.write('\n');
}

/** Starts the server on `file` in a child process; resolves with its URL, start-up times and a stop function. */
function startChild(file) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--conditions=portico-source', new URL('./lib/bench-server-child.mjs', import.meta.url).pathname, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The server exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const info = JSON.parse(line);
      resolve({
        ...info,
        wallMs: performance.now() - t0,
        stop: () => new Promise((done) => (child.removeAllListeners('exit'), child.once('exit', done), child.kill('SIGTERM'))),
      });
    });
  });
}

const percentile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Runs `request(i)` from CONCURRENCY workers for SECONDS; returns req/s and latency percentiles. */
async function load(request) {
  const times = [];
  let failures = 0;
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await request(n++);
        await res.arrayBuffer();
        if (!res.ok) failures++;
        times.push(performance.now() - t);
      }
    }),
  );
  if (failures) throw new Error(`${failures} requests failed`);
  times.sort((a, b) => a - b);
  return { rps: times.length / ((performance.now() - start) / 1000), p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** Runs a statement repeatedly for up to SECONDS (at most 2,000 times); returns p50/p99 ms. */
function raw(statement, params) {
  const times = [];
  const end = performance.now() + Math.min(SECONDS, 2) * 1000;
  while (performance.now() < end && times.length < 2000) {
    const t = performance.now();
    statement.all(...params);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

async function benchSize(tickets) {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-server-'));
  const file = join(dir, 'bench.db');
  const now = new Date();
  try {
    await new SqliteStore(file).close();
    let t0 = performance.now();
    seed(file, tickets, now);
    const seedMs = performance.now() - t0;
    const server = await startChild(file);
    const rows = [];
    try {
      // A fresh database has every unsolved ticket's SLA to check once; the server does it in
      // the background after listening. Measure how long that takes, then load the settled server.
      const dueCount = new DatabaseSync(file, { readOnly: true }).prepare(
        `SELECT count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') AND sla_check_at <= ?`,
      );
      t0 = performance.now();
      while (dueCount.get(now.toISOString()).n > 0 && performance.now() - t0 < 600_000) await new Promise((r) => setTimeout(r, 250));
      server.backlogMs = performance.now() - t0;
      console.log(`  SLA backlog of the fresh database cleared ${(server.backlogMs / 1000).toFixed(1)} s after listening`);
      // The member of the largest account: sees own, followed and shared tickets.
      const account = accountId(0);
      const me = contactId(0, 1);
      const token = await mintToken({ email: 'c1@a0.example', name: 'Contact 1 of 0', account }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
      const headers = { Authorization: `Bearer ${token}` };
      const get = (path) => () => fetch(`${server.url}${path}`, { headers });
      const db = new DatabaseSync(file, { readOnly: true });
      const visible = `t.account_id = ? AND (t.visibility = 'account' OR t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.contact_id = ?))`;
      const page = (where) => db.prepare(`SELECT t.* FROM tickets t WHERE ${visible} AND ${where} ORDER BY t.updated_at DESC, t.id DESC LIMIT 51`);
      const countsSql = db.prepare(
        `SELECT count(*) FILTER (WHERE t.requester_id = ?), count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_followers f2 WHERE f2.ticket_id = t.id AND f2.contact_id = ?)),
           count(*) FILTER (WHERE t.status IN ('new', 'open', 'pending')) FROM tickets t WHERE ${visible}`,
      );
      const scope = [account, me, me];
      const mine = db
        .prepare(`SELECT id FROM tickets WHERE requester_id = ? LIMIT 200`)
        .all(me)
        .map((r) => r.id);
      const views = { mine: ['t.requester_id = ?', [me]], account: ['1', []], unsolved: [`t.status IN ('new', 'open', 'pending')`, []] };
      const cases = [];
      for (const [view, [where, params]] of Object.entries(views)) {
        cases.push([`list ${view}`, get(`/v1/tickets?view=${view}&limit=50`), () => raw(page(where), [...scope, ...params])]);
      }
      for (const [view, [where, params]] of Object.entries(views)) {
        cases.push([
          `list ${view} + counts`,
          get(`/v1/tickets?view=${view}&limit=50&counts=true`),
          () => {
            const p = raw(page(where), [...scope, ...params]);
            const c = raw(countsSql, [me, me, ...scope]);
            return { p50: p.p50 + c.p50, p99: p.p99 + c.p99 };
          },
        ]);
      }
      cases.push([
        `search "${COMMON_WORD}"`,
        get(`/v1/tickets?view=account&limit=50&q=${COMMON_WORD}`),
        // The store's own scoped match (see sqlite-store.ts scopedMatch), capped likewise.
        () =>
          raw(page(`t.id IN (SELECT ticket_id FROM ticket_text WHERE ticket_text MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_MATCH_CAP})`), [
            ...scope,
            `account : ("${accountToken(account)}") AND {subject body} : ("${COMMON_WORD}"*)`,
          ]),
      ]);
      cases.push([
        'detail',
        (i) => fetch(`${server.url}/v1/tickets/${mine[i % mine.length]}`, { headers }),
        () => raw(db.prepare(`SELECT * FROM tickets t JOIN comments c ON c.ticket_id = t.id WHERE t.id = ?`), [mine[0]]),
      ]);
      cases.push([
        'create',
        (i) =>
          fetch(`${server.url}/v1/tickets`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${tickets}-${i}-${Date.now()}` },
            body: JSON.stringify({ subject: `Bench ticket ${i}`, description: 'Created by the server benchmark.', category: 'technical' }),
          }),
        () => null,
      ]);
      for (const [name, request, rawRun] of cases) {
        await (await request(0)).arrayBuffer(); // warm the statement cache
        const http = await load(request);
        const r = rawRun();
        rows.push({ name, ...http, raw: r });
        console.log(
          `  ${name}: ${Math.round(http.rps)} req/s, p50 ${ms(http.p50)} ms, p99 ${ms(http.p99)} ms${r ? ` (raw SQL p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms)` : ''}`,
        );
      }
      db.close();
    } finally {
      await server.stop();
    }
    // Start-up again, now that the database has settled (the first start also ran any catch-up work).
    const again = await startChild(file);
    await again.stop();
    return { tickets, seedMs, startup: [server, again], rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --seed-only <file>: seed the first size into <file> (for profiling by hand) and stop.
const seedOnly = option('seed-only', undefined);
if (seedOnly) {
  await new SqliteStore(seedOnly).close();
  seed(seedOnly, SIZES[0], new Date());
  process.exit(0);
}

const results = [];
for (const size of SIZES) {
  console.log(
    `${size.toLocaleString('en')} tickets, ${ACCOUNTS} accounts, ${ACCOUNTS * CONTACTS_PER_ACCOUNT} contacts, ${(size * COMMENTS_PER_TICKET).toLocaleString('en')} comments:`,
  );
  const result = await benchSize(size);
  console.log(`  seeded in ${(result.seedMs / 1000).toFixed(1)} s; start-up ${result.startup.map((s) => `${Math.round(s.wallMs)} ms`).join(', then ')}`);
  results.push(result);
}

const lines = [
  `| case | ${results.map((r) => `${r.tickets.toLocaleString('en')}: req/s · p50 / p99 ms · raw SQL p50 / p99 ms`).join(' | ')} |`,
  `|---|${results.map(() => '---').join('|')}|`,
];
for (const [i, { name }] of results[0].rows.entries()) {
  const cells = results.map((r) => {
    const row = r.rows[i];
    return `${Math.round(row.rps)} · ${ms(row.p50)} / ${ms(row.p99)} · ${row.raw ? `${ms(row.raw.p50)} / ${ms(row.raw.p99)}` : '–'}`;
  });
  lines.push(`| ${name} | ${cells.join(' | ')} |`);
}
lines.push(
  `| server start-up (spawn → listening; first / second start) | ${results.map((r) => r.startup.map((s) => `${Math.round(s.wallMs)} ms`).join(' / ')).join(' | ')} |`,
  `| of which \`startServer\` | ${results.map((r) => r.startup.map((s) => `${Math.round(s.startServerMs)} ms`).join(' / ')).join(' | ')} |`,
  `| SLA backlog of the fresh database, cleared in the background after listening | ${results.map((r) => `${(r.startup[0].backlogMs / 1000).toFixed(1)} s`).join(' | ')} |`,
  `| seeding (direct SQL, one transaction) | ${results.map((r) => `${(r.seedMs / 1000).toFixed(1)} s`).join(' | ')} |`,
);
const table = lines.join('\n');
console.log(`\n${table}\n`);

if (!argv.includes('--no-write')) {
  const path = new URL('../docs/performance.md', import.meta.url);
  const start = '<!-- bench:server-sqlite:start -->';
  const end = '<!-- bench:server-sqlite:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:server:sqlite${argv.length ? ` -- ${argv.join(' ')}` : ''}\` (Node ${process.versions.node}, concurrency ${CONCURRENCY}, ${SECONDS} s per case; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} on ${availableParallelism()} cores):\n\n${table}\n${end}`;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '';
  }
  text = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${text}${text ? '\n' : ''}${block}\n`;
  writeFileSync(path, text);
  console.log(`Wrote ${path.pathname}`);
}
