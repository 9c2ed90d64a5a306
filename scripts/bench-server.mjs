#!/usr/bin/env node
// Server benchmark (a report, not a test). For each size (10k and 100k tickets; 1M with --huge)
// it seeds a realistic database — 1,000 accounts of 20 contacts (every role), the largest
// account holding 5 % of the tickets, 3 comments per ticket, followers, a common word in 30 %
// of them — on SQLite by direct SQL, copies it into a throwaway PostgreSQL cluster with the
// store's own copy code, and for each store:
// - starts the real server in a child process (spawn → listening is the start-up time) and loads
//   it with autocannon from this process, as the member of the largest account: list views
//   (with and without counts), a common-word and a two-word search, detail, create;
// - reads the server's own CPU time per request (process.cpuUsage() of the child, over IPC),
//   the figure a busy machine disturbs least, and on PostgreSQL the database's (from /proc);
// - captures the SQL statements one request of each case runs (the same server code, in this
//   process, with the drivers' query methods wrapped), runs each directly (node:sqlite / pg)
//   for the raw-SQL baseline (the page query, else the slowest), serves all of them from a bare node:http
//   server (scripts/lib/bench-server-child.mjs --bare) under the same load: API / bare is what
//   Portico adds beyond HTTP + SQL + JSON;
// - prints the query plan of the account list's main statement (EXPLAIN / EXPLAIN QUERY PLAN).
// With --workers 1,2 each case also runs against a server of 2 node:cluster workers.
//
// Usage: npm run bench:server [-- --sizes 10000,100000] [--huge] [--stores sqlite,postgres]
//          [--seconds 5] [--connections 10] [--workers 1,2] [--keep] [--docs]
//        npm run bench:server -- --sizes 100000 --seed-only /tmp/x.db   (a database to profile by hand)
//        npm run bench:server -- --sizes 1000000 --db /tmp/copy.db --stores sqlite --workers 1,2
//          (measures that SQLite file, seeded before with --keep or --seed-only, instead of a cached
//          or new one; it must hold --sizes tickets; the creates write to it, so pass a copy)
//        npm run bench:server -- --sizes 1000000 --stores postgres --pg-db postgres://… --pg-data /dir
//          (measures that PostgreSQL database, copied before with `portico-server copy`, instead of
//          copying into a throwaway cluster; --pg-data is its cluster's data directory, whose
//          postmaster's process tree gives the database CPU)
//        --only search,detail   runs only the cases whose names contain one of these
//        --server-flags '--max-semi-space-size=32'   Node/V8 flags of the server processes only
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { SQLITE_MIGRATIONS, SqliteStore, copySqliteToPostgres, registerSqliteFunctions, startServer } from '@portico/server/node';
import { startPgCluster } from '../test/support/postgres.ts';
import { plannerSettings, queryWithSettings, readRows } from './lib/read-rows.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    huge: { type: 'boolean', default: false },
    stores: { type: 'string', default: 'sqlite,postgres' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
    'seed-only': { type: 'string' },
    db: { type: 'string' },
    'pg-db': { type: 'string' },
    'pg-data': { type: 'string' },
    only: { type: 'string' },
    'server-flags': { type: 'string' },
  },
});
const list = (text) => text.split(',').filter(Boolean);
const SIZES = list(args.sizes ?? (args.huge ? '10000,100000,1000000' : '10000,100000')).map(Number);
const STORES = list(args.stores);
const SECONDS = Number(args.seconds);
const CONNECTIONS = list(args.connections).map(Number);
const WORKERS = list(args.workers).map(Number);
for (const store of STORES) if (!['sqlite', 'postgres'].includes(store)) throw new Error(`Unknown store "${store}" (sqlite, postgres).`);

// --- the data ----------------------------------------------------------------------------

/** Bump when the seed below changes what it writes: cached databases of older versions are ignored. */
const SEED_VERSION = 1;
const ACCOUNTS = 1000;
const CONTACTS_PER_ACCOUNT = 20;
const COMMENTS_PER_TICKET = 3;
/** The largest account holds this share of all tickets; the rest spread evenly. */
const BIG_ACCOUNT_SHARE = 0.05;
/** The word searched for, in this share of the tickets. */
const COMMON_WORD = 'error';
const COMMON_SHARE = 0.3;
const TWO_WORDS = 'invoice export';
/** A word no ticket holds. */
const RARE_WORD = 'zzz';

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
/** The caller of every case: a member of the largest account (sees shared tickets and their own). */
const MEMBER = { account: accountId(0), contact: contactId(0, 1), email: 'c1@a0.example', name: 'Contact 1 of 0' };

/** A line that rewrites itself in a terminal and is one line per step in a log. */
const progress = (line, done) => process.stderr.write(process.stderr.isTTY ? `\r${line}${done ? '\n' : ''}` : `${line}\n`);

/**
 * Seeds accounts, contacts, tickets, followers and comments into a migrated SQLite file in one
 * transaction; the full-text index, view counters and every other trigger-maintained
 * structure follow as the store would build them.
 */
function seed(file, tickets, now) {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
  // The triggers keeping the word index call the store's JS functions.
  registerSqliteFunctions(db);
  const rand = rng(42);
  const pick = (words) => words[Math.floor(rand() * words.length)];
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
  const started = performance.now();
  for (let i = 0; i < tickets; i++) {
    const a = rand() < BIG_ACCOUNT_SHARE ? 0 : 1 + Math.floor(rand() * (ACCOUNTS - 1));
    // Requesters are contacts who may file (not viewers: role index 5).
    let k = Math.floor(rand() * CONTACTS_PER_ACCOUNT);
    if (k % ROLES.length === 5) k = 1;
    const created = now.getTime() - Math.floor(rand() * 400 * 86_400_000);
    const updated = Math.min(now.getTime(), created + Math.floor(rand() * 10 * 86_400_000));
    const priority = pick(PRIORITIES);
    const id = `tkt_${i}`;
    insertTicket.run(
      id,
      i + 1,
      `T-${i + 1}`,
      accountId(a),
      `${pick(VOCABULARY)} ${pick(VOCABULARY)} problem`,
      `${sentence(12)}${rand() < COMMON_SHARE ? ` ${COMMON_WORD}` : ''}`,
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
    if ((i + 1) % step === 0 || i + 1 === tickets) {
      const seconds = (performance.now() - started) / 1000;
      progress(`  seeding ${tickets.toLocaleString('en')} tickets: ${Math.round(((i + 1) / tickets) * 100)}% (${seconds.toFixed(0)} s)`, i + 1 === tickets);
    }
  }
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.close();
}

// --- the server under test -----------------------------------------------------------------

const CHILD = new URL('./lib/bench-server-child.mjs', import.meta.url).pathname;

/** Starts a child server; resolves once it listens with its URL, start-up times, CPU reading and stop. */
function startChild(db, childArgs = []) {
  const t0 = performance.now();
  // `--server-flags '--max-semi-space-size=32'`: Node/V8 flags of the server processes (and their
  // workers, which inherit them), without touching the load generator's as NODE_OPTIONS would.
  const flags = (args['server-flags'] ?? '').split(/\s+/).filter(Boolean);
  const child = fork(CHILD, [db, ...childArgs], { execArgv: ['--conditions=portico-source', ...flags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let asked = 0;
  const waiting = new Map();
  child.on('message', (message) => {
    if (message.type === 'cpu') waiting.get(message.id)?.(message);
  });
  return new Promise((resolve, reject) => {
    const early = (code) => reject(new Error(`The server exited with ${code} before listening`));
    child.once('exit', early);
    child.once('message', (message) => {
      if (message.type !== 'listening') return;
      child.off('exit', early);
      resolve({
        url: message.url,
        startServerMs: message.startServerMs,
        wallMs: performance.now() - t0,
        /** CPU ms the server's processes have used so far, and bytes they allocated on their V8 heaps. */
        usage: () =>
          new Promise((done) => {
            const id = ++asked;
            // A server that died answers nothing: the figure is then missing, not the run.
            const timer = setTimeout(() => done({ cpuMs: NaN, heapBytes: NaN }), 10_000);
            waiting.set(id, ({ usage, heapBytes }) => (clearTimeout(timer), done({ cpuMs: (usage.user + usage.system) / 1000, heapBytes })));
            if (child.connected) child.send({ type: 'cpu', id });
          }),
        // A moment for the requests autocannon left in flight to finish first.
        stop: () => new Promise((done) => setTimeout(() => (child.once('exit', done), child.kill('SIGTERM')), 500)),
      });
    });
  });
}

/** How many unsolved tickets wait for the SLA sweeper (the fresh database has them all). */
async function slaBacklog(kind, db) {
  const sql = `SELECT count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') AND sla_check_at <= $1`;
  const now = new Date().toISOString();
  if (kind === 'sqlite') {
    const sqlite = new DatabaseSync(db, { readOnly: true });
    try {
      return Number(sqlite.prepare(sql.replace('$1', '?')).get(now).n);
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db, options: '-c portico.account_ids=*' });
  await client.connect();
  try {
    return Number((await client.query(sql, [now])).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Waits (up to 15 minutes) until the server's background SLA sweep has caught up; returns ms waited. */
async function settle(kind, db) {
  const t0 = performance.now();
  let left = await slaBacklog(kind, db);
  while (left > 0 && performance.now() - t0 < 900_000) {
    progress(`  SLA sweep of the fresh database: ${left.toLocaleString('en')} tickets to go (${((performance.now() - t0) / 1000).toFixed(0)} s)`, false);
    await new Promise((r) => setTimeout(r, 1000));
    left = await slaBacklog(kind, db);
  }
  if (performance.now() - t0 > 1000) progress(`  SLA sweep caught up after ${((performance.now() - t0) / 1000).toFixed(0)} s`, true);
  return performance.now() - t0;
}

// --- the cases ---------------------------------------------------------------------------

/** What each case sends (as the member); `path` may vary per request. */
function cases(ownTickets, size) {
  const views = ['mine', 'account', 'unsolved'];
  let n = 0;
  return [
    ...views.map((view) => ({ name: `list ${view}`, path: () => `/v1/tickets?view=${view}&limit=50` })),
    ...views.map((view) => ({ name: `list ${view} + counts`, path: () => `/v1/tickets?view=${view}&limit=50&counts=true` })),
    { name: `search "${COMMON_WORD}"`, path: () => `/v1/tickets?view=account&limit=50&q=${COMMON_WORD}` },
    { name: `search "${TWO_WORDS}"`, path: () => `/v1/tickets?view=account&limit=50&q=${encodeURIComponent(TWO_WORDS)}` },
    // What the list sends with a search's first page; a word in no ticket (the walk finds no page).
    { name: `search "${COMMON_WORD}" + counts`, path: () => `/v1/tickets?view=account&limit=50&counts=true&q=${COMMON_WORD}` },
    { name: `search "${RARE_WORD}"`, path: () => `/v1/tickets?view=account&limit=50&q=${RARE_WORD}` },
    { name: `similar "${TWO_WORDS} fails"`, path: () => `/v1/tickets/similar?q=${encodeURIComponent(`${TWO_WORDS} fails`)}` },
    { name: 'detail', path: () => `/v1/tickets/${ownTickets[n++ % ownTickets.length]}` },
    {
      name: 'create',
      method: 'POST',
      path: () => '/v1/tickets',
      // A fresh key per request: each is a new ticket, and the key's claim is part of the cost.
      headers: () => ({ 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${size}-${Date.now()}-${n++}` }),
      body: JSON.stringify({ subject: 'Bench ticket', description: 'Created by the server benchmark.', category: 'technical' }),
    },
  ];
}

/** Runs autocannon against `url` for `seconds` at `connections`; latencies are kept exact (autocannon's histogram rounds to ms). */
async function load(url, { method = 'GET', path, headers = () => ({}), body }, authorization, connections, seconds = SECONDS) {
  const latencies = [];
  let failures = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method,
        body,
        setupRequest: (request) => ({
          ...request,
          path: path(),
          headers: { ...request.headers, ...headers(), ...(authorization ? { Authorization: authorization } : {}) },
        }),
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else failures++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / (result.duration || seconds),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: latencies.length + failures,
    failures: failures + result.errors + result.timeouts,
  };
}

/** A few hundred requests first, so the measured run finds the server's code optimised and its caches warm. */
const warmUp = (server, request, authorization) => load(server.url, request, authorization, 2, Math.min(SECONDS, 1));

/**
 * Loads a running child and reads its CPU time and heap allocations over the same window, and
 * the database server's CPU time (`databaseCpuMs`, PostgreSQL) when given.
 */
async function measure(server, request, authorization, connections, databaseCpuMs = () => NaN) {
  const before = { ...(await server.usage()), databaseCpuMs: databaseCpuMs() };
  const result = await load(server.url, request, authorization, connections);
  const after = { ...(await server.usage()), databaseCpuMs: databaseCpuMs() };
  const perRequest = (key) => (result.requests ? (after[key] - before[key]) / result.requests : NaN);
  return {
    ...result,
    cpuPerRequest: perRequest('cpuMs'),
    databaseCpuPerRequest: perRequest('databaseCpuMs'),
    heapKBPerRequest: perRequest('heapBytes') / 1024,
  };
}

/** CPU ms of a process and its children, live and exited (Linux /proc). */
function processTreeCpuMs(pid) {
  const ticks = (id, withChildren) => {
    // The command name may hold spaces: the fields start after its closing parenthesis.
    const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1].split(' ');
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return utime + stime + (withChildren ? cutime + cstime : 0);
  };
  let total = ticks(pid, true);
  for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
    try {
      total += ticks(child, false);
    } catch {
      // Exited since the list was read: its time is in the parent's cutime from now on.
    }
  }
  return (total * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** The CPU ms the PostgreSQL cluster's processes have used so far (its postmaster and backends). */
function postgresCpu(dataDirectory) {
  const postmaster = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return () => processTreeCpuMs(postmaster);
}

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

// --- capturing and replaying the SQL of a request -----------------------------------------

/**
 * Records the reads the drivers run while `capturing` is on: node:sqlite statements by their
 * SQL text, pg queries with the row-level-security scope their connection had (the store sets
 * `portico.account_ids` per connection, or per transaction for writes; the scope statements
 * themselves are left out, the replay sets the scope the same way).
 */
const recorder = { capturing: false, statements: [] };
{
  const isRead = (sql) => /^\s*(SELECT|WITH)\b/i.test(sql) && !/set_config\('portico\.account_ids'/.test(sql);
  for (const method of ['all', 'get']) {
    const original = StatementSync.prototype[method];
    StatementSync.prototype[method] = function (...params) {
      if (recorder.capturing && isRead(this.sourceSQL)) recorder.statements.push({ sql: this.sourceSQL, params });
      return original.apply(this, params);
    };
  }
  // A statement the store iterates may be left early (a search page stops once it has its
  // rows): the replays step it as far as the store did, not to its end.
  const iterate = StatementSync.prototype.iterate;
  StatementSync.prototype.iterate = function (...params) {
    const rows = iterate.apply(this, params);
    if (!recorder.capturing || !isRead(this.sourceSQL)) return rows;
    const statement = { sql: this.sourceSQL, params, steps: 0 };
    recorder.statements.push(statement);
    return {
      [Symbol.iterator]() {
        return this;
      },
      next() {
        statement.steps++;
        return rows.next();
      },
      return(value) {
        return rows.return?.(value) ?? { done: true, value };
      },
    };
  };
  const sessionScopes = new WeakMap();
  const transactionScopes = new WeakMap();
  const transactionSettings = new WeakMap();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, ...rest) {
    // The store passes named (prepared) statements as { name, text, values }.
    const [sql, params] = typeof config === 'string' ? [config, values] : [config?.text, config?.values];
    if (typeof sql === 'string') {
      const session = /^SELECT set_config\('portico\.account_ids', \$1, false\)/.test(sql);
      const transaction = /^BEGIN; SELECT set_config\('portico\.account_ids', '([^']*)', true\)/.exec(sql);
      // A search's read-only transaction sets planner settings (jit, bitmap scans) for its
      // statements: the replays run them with the same settings (the budget left out).
      const readOnly = /^BEGIN READ ONLY;/.test(sql);
      if (session) sessionScopes.set(this, params[0]);
      else if (transaction) transactionScopes.set(this, transaction[1]);
      else if (readOnly) transactionSettings.set(this, plannerSettings(sql));
      else if (/^\s*(COMMIT|ROLLBACK)\b|;\s*COMMIT$/.test(sql)) {
        transactionScopes.delete(this);
        transactionSettings.delete(this);
      } else if (recorder.capturing && isRead(sql)) {
        // A copy: the store may add parameters for its next statement to the same array.
        const scope = transactionScopes.get(this) ?? sessionScopes.get(this) ?? '';
        // `name`: the store ran it as a named prepared statement (planned once per connection); the replays do too.
        const name = typeof config === 'string' ? undefined : config?.name;
        recorder.statements.push({ sql, params: [...(params ?? [])], scope, settings: transactionSettings.get(this) ?? '', ...(name ? { name } : {}) });
      }
    }
    return query.call(this, config, values, ...rest);
  };
}

/** Replays a statement directly; returns p50 / p99 ms over up to 2 s or 2,000 runs. */
async function replay(kind, connection, statement) {
  const times = [];
  const end = performance.now() + Math.min(SECONDS, 2) * 1000;
  if (kind === 'postgres') await connection.query("SELECT set_config('portico.account_ids', $1, false)", [statement.scope]);
  const prepared = kind === 'sqlite' ? connection.prepare(statement.sql) : undefined;
  while (performance.now() < end && times.length < 2000) {
    const t = performance.now();
    if (prepared) readRows(prepared, statement);
    else await queryWithSettings(connection, statement);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** The plan of a statement, as the database prints it. */
async function explain(kind, connection, statement) {
  if (kind === 'postgres') {
    await connection.query("SELECT set_config('portico.account_ids', $1, false)", [statement.scope]);
    const rows = await queryWithSettings(connection, { ...statement, name: undefined, sql: `EXPLAIN ${statement.sql}` });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  const rows = connection.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params);
  const depth = new Map([[0, -1]]);
  return rows
    .map((r) => {
      depth.set(r.id, (depth.get(r.parent) ?? -1) + 1);
      return `${'  '.repeat(depth.get(r.id))}${r.detail}`;
    })
    .join('\n');
}

/**
 * Sends each read case's request twice to a server in this process (the same code as the
 * child's) and keeps the statements of the second request, when caches are warm.
 */
async function captureStatements(db, readCases, authorization) {
  const server = await startServer({
    db,
    port: 0,
    hostname: '127.0.0.1',
    auth: { secret: DEMO_JWT_SECRET },
    rateLimit: false,
    authFailureLimit: false,
    slaSweepMs: 0,
  });
  try {
    const captured = [];
    for (const request of readCases) {
      const path = request.path();
      const get = async () => {
        const res = await fetch(`${server.url}${path}`, { headers: { Authorization: authorization } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${request.name}: HTTP ${res.status}`);
      };
      try {
        await get();
        recorder.statements = [];
        recorder.capturing = true;
        await get();
        captured.push(recorder.statements);
      } catch (error) {
        console.error(`  could not capture the SQL of ${request.name}: ${error.message}`);
        captured.push(null);
      } finally {
        recorder.capturing = false;
      }
    }
    return captured;
  } finally {
    // Reads may have started a background SLA pass: let it finish before the store closes.
    await new Promise((r) => setTimeout(r, 500));
    await server.close();
  }
}

// --- one store at one size ------------------------------------------------------------------

async function benchStore(kind, db, size) {
  const t0 = performance.now();
  const server = await startChild(db);
  const startup = { wallMs: server.wallMs, startServerMs: server.startServerMs };
  console.error(`  ${kind}: listening after ${Math.round(startup.wallMs)} ms`);
  const rows = [];
  let bare;
  let plan;
  const connection = kind === 'postgres' ? new pg.Client({ connectionString: db }) : new SqliteStore(db).db;
  if (kind === 'postgres') await connection.connect();
  try {
    startup.settleMs = await settle(kind, db);
    const token = await mintToken({ email: MEMBER.email, name: MEMBER.name, account: MEMBER.account }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
    const authorization = `Bearer ${token}`;
    const own =
      kind === 'postgres'
        ? (
            await connection.query(
              `SELECT set_config('portico.account_ids', '*', false); SELECT id FROM tickets WHERE requester_id = '${MEMBER.contact}' LIMIT 200`,
            )
          )[1].rows
        : connection.prepare('SELECT id FROM tickets WHERE requester_id = ? LIMIT 200').all(MEMBER.contact);
    const all = cases(
      own.map((r) => r.id),
      size,
    ).filter((c) => !args.only || list(args.only).some((part) => c.name.includes(part)));
    const reads = all.filter((c) => !c.method);
    // The statements of one request of each read case, and the slowest of each run alone.
    const captured = await captureStatements(db, reads, authorization);
    const cacheFile = join(mkdtempSync(join(tmpdir(), 'portico-bench-cases-')), 'cases.json');
    writeFileSync(cacheFile, JSON.stringify(captured));
    const raw = [];
    for (const statements of captured) {
      if (!statements?.length) {
        raw.push(undefined);
        continue;
      }
      const timings = [];
      for (const statement of statements) timings.push({ statement, timing: await replay(kind, connection, statement) });
      // The main statement: the page of tickets where there is one, else the slowest.
      const page = timings.find(({ statement }) => /\bFROM tickets\b[\s\S]*\bORDER BY\b[\s\S]*\bLIMIT\b/i.test(statement.sql));
      const slowest = timings.reduce((a, b) => (b.timing.p50 > a.timing.p50 ? b : a));
      raw.push({ count: statements.length, total: timings.reduce((sum, t) => sum + t.timing.p50, 0), ...(page ?? slowest) });
    }
    const listAccount = reads.findIndex((c) => c.name === 'list account');
    const main = raw[listAccount]?.statement;
    plan = main ? `${main.sql.replace(/\s+/g, ' ').trim()}\n\n${await explain(kind, connection, main)}` : '(not captured)';
    const databaseCpuMs = kind === 'postgres' ? postgresCpu(args['pg-data'] ?? cluster.psql('SHOW data_directory').trim()) : undefined;
    bare = await startChild(db, ['--bare', cacheFile]);
    for (const request of all) {
      const i = reads.indexOf(request);
      const bareRequest = { path: () => `/case/${i}` };
      progress(`  ${kind}, ${size.toLocaleString('en')} tickets: ${request.name}, one connection`, true);
      await warmUp(server, request, authorization);
      const baseline = i >= 0 && raw[i] !== undefined;
      if (baseline) await warmUp(bare, bareRequest);
      // One request at a time: its latency without queueing, to hold against the raw SQL's.
      const alone = await load(server.url, request, authorization, 1, Math.min(SECONDS, 2));
      const row = { name: request.name, alone, api: {}, bare: {}, workers: {}, raw: raw[i] };
      for (const connections of CONNECTIONS) {
        progress(`  ${kind}, ${size.toLocaleString('en')} tickets: ${request.name} at ${connections} connections`, true);
        row.api[connections] = await measure(server, request, authorization, connections, databaseCpuMs);
        if (baseline) row.bare[connections] = await measure(bare, bareRequest, undefined, connections, databaseCpuMs);
      }
      rows.push(row);
    }
    for (const workers of WORKERS.filter((w) => w > 1)) {
      const many = await startChild(db, ['--workers', String(workers)]);
      try {
        for (const row of rows) {
          const request = all.find((c) => c.name === row.name);
          progress(`  ${kind}, ${size.toLocaleString('en')} tickets: ${request.name} with ${workers} workers`, true);
          await warmUp(many, request, authorization);
          row.workers[workers] = await measure(many, request, authorization, CONNECTIONS[0], databaseCpuMs);
        }
      } finally {
        await many.stop();
      }
    }
    rmSync(join(cacheFile, '..'), { recursive: true, force: true });
  } finally {
    await bare?.stop();
    await server.stop();
    if (kind === 'postgres') await connection.end();
    else connection.close();
  }
  console.error(`  ${kind}, ${size.toLocaleString('en')} tickets: measured in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { rows, startup, plan };
}

// --- the run ---------------------------------------------------------------------------------

const CACHE = '.portico/bench-cache';

/**
 * A settled SQLite database of `size` tickets in `dir`: seeded, started once (the fresh start's
 * time is reported) and swept. With --keep it comes from, or goes to, the cache.
 */
async function sqliteDatabase(size, dir) {
  const file = join(dir, 'bench.db');
  if (args.db) {
    console.error(`  using the database ${args.db}`);
    return { file: args.db, seedMs: undefined, fresh: undefined };
  }
  const cached = join(CACHE, `${size}-seed${SEED_VERSION}-schema${SQLITE_MIGRATIONS.length}.db`);
  if (args.keep && existsSync(cached)) {
    copyFileSync(cached, file);
    console.error(`  using the cached database ${cached}`);
    return { file, seedMs: undefined, fresh: undefined };
  }
  await new SqliteStore(file).close();
  const t0 = performance.now();
  seed(file, size, new Date());
  const seedMs = performance.now() - t0;
  const server = await startChild(file);
  const fresh = { wallMs: server.wallMs, startServerMs: server.startServerMs };
  try {
    fresh.settleMs = await settle('sqlite', file);
  } finally {
    await server.stop();
  }
  if (args.keep) {
    mkdirSync(CACHE, { recursive: true });
    // The server closed its store, which checkpoints the WAL into the file.
    copyFileSync(file, cached);
  }
  return { file, seedMs, fresh };
}

if (args['seed-only']) {
  await new SqliteStore(args['seed-only']).close();
  seed(args['seed-only'], SIZES[0], new Date());
  process.exit(0);
}

const started = new Date();
const load0 = loadavg()[0];
if (args['pg-db'] && !args['pg-data']) throw new Error('--pg-db needs --pg-data, the data directory of its cluster (for the database CPU).');
const cluster = STORES.includes('postgres') && !args['pg-db'] ? await startPgCluster() : undefined;
const results = [];
try {
  for (const size of SIZES) {
    console.error(`${size.toLocaleString('en')} tickets:`);
    const dir = mkdtempSync(join(tmpdir(), 'portico-bench-server-'));
    try {
      const { file, seedMs, fresh } = STORES.includes('sqlite') || !args['pg-db'] ? await sqliteDatabase(size, dir) : {};
      for (const kind of STORES) {
        let db = file;
        let copyMs;
        if (kind === 'postgres' && args['pg-db']) {
          db = args['pg-db'];
          progress(`  using the PostgreSQL database ${new URL(db).pathname.slice(1)} (--pg-db)`, true);
        } else if (kind === 'postgres') {
          db = cluster.urlOf(cluster.createDatabase());
          const t0 = performance.now();
          progress(`  copying into PostgreSQL (portico-server copy)…`, true);
          await copySqliteToPostgres(file, db);
          cluster.psql('VACUUM ANALYZE', new URL(db).pathname.slice(1));
          copyMs = performance.now() - t0;
          progress(`  copied into PostgreSQL in ${(copyMs / 1000).toFixed(0)} s`, true);
        }
        results.push({ kind, size, seedMs, copyMs, fresh: kind === 'sqlite' ? fresh : undefined, ...(await benchStore(kind, db, size)) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  cluster?.stop();
}

// --- the report ------------------------------------------------------------------------------

const ms = (v) => (Number.isNaN(v) || v === undefined ? '–' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
const rps = (v) => Math.round(v).toLocaleString('en');
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '–');
const label = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const out = [];
out.push(
  `Portico server benchmark — ${ACCOUNTS.toLocaleString('en')} accounts × ${CONTACTS_PER_ACCOUNT} contacts, ${COMMENTS_PER_TICKET} comments per ticket, the largest account holding ${BIG_ACCOUNT_SHARE * 100} %; ` +
    `as its member; autocannon at ${CONNECTIONS.join(' and ')} connections, ${SECONDS} s per case; ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.versions.node}; ` +
    `load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`,
);
for (const r of results) {
  for (const connections of CONNECTIONS) {
    const workerColumns = WORKERS.filter((w) => w > 1);
    out.push('', `${label[r.kind]}, ${r.size.toLocaleString('en')} tickets, ${connections} connections:`, '');
    out.push(
      `| case | req/s | p50 ms | p99 ms | server CPU ms/req | server heap KB allocated/req | database CPU ms/req | p50 ms, 1 connection | SQL statements (sum of p50 ms) | raw SQL p50 / p99 ms, main statement | API/raw p50 | bare req/s | bare p50 / p99 ms | bare CPU ms/req (database) | API/bare CPU |${workerColumns.map((w) => ` ${w} workers: req/s · p50 / p99 · CPU ms/req |`).join('')}`,
      `|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|${workerColumns.map(() => '---|').join('')}`,
    );
    for (const row of r.rows) {
      const api = row.api[connections];
      const bare = row.bare[connections];
      const cells = [
        row.name + (api.failures ? ` (${api.failures} failed)` : ''),
        rps(api.rps),
        ms(api.p50),
        ms(api.p99),
        ms(api.cpuPerRequest),
        Number.isNaN(api.heapKBPerRequest) ? '–' : Math.round(api.heapKBPerRequest).toLocaleString('en'),
        ms(api.databaseCpuPerRequest),
        ms(row.alone.p50),
        row.raw ? `${row.raw.count} (${ms(row.raw.total)})` : '–',
        row.raw ? `${ms(row.raw.timing.p50)} / ${ms(row.raw.timing.p99)}` : '–',
        row.raw ? ratio(row.alone.p50, row.raw.timing.p50) : '–',
        bare ? rps(bare.rps) : '–',
        bare ? `${ms(bare.p50)} / ${ms(bare.p99)}` : '–',
        bare ? `${ms(bare.cpuPerRequest)}${Number.isNaN(bare.databaseCpuPerRequest) ? '' : ` (${ms(bare.databaseCpuPerRequest)})`}` : '–',
        bare ? ratio(api.cpuPerRequest, bare.cpuPerRequest) : '–',
        ...workerColumns.map((w) => {
          const m = row.workers[w];
          if (!m || connections !== CONNECTIONS[0]) return '–';
          return `${rps(m.rps)} · ${ms(m.p50)} / ${ms(m.p99)} · ${ms(m.cpuPerRequest)}${m.failures ? ` (${m.failures} failed)` : ''}`;
        }),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
  }
}
out.push('', 'Seeding and start-up (spawn → listening, of which `startServer` in brackets):', '');
out.push('| store | tickets | seeding | start-up, fresh database | SLA sweep of the fresh database | start-up, measured run |', '|---|---|---|---|---|---|');
for (const r of results) {
  const seeding =
    r.kind === 'postgres'
      ? r.copyMs
        ? `copy from SQLite ${ms(r.copyMs / 1000)} s`
        : 'given (--pg-db)'
      : r.seedMs
        ? `${ms(r.seedMs / 1000)} s (direct SQL)`
        : 'cached (--keep)';
  const fresh = r.fresh ? `${Math.round(r.fresh.wallMs)} ms (${Math.round(r.fresh.startServerMs)} ms)` : '–';
  const sweep = r.fresh ? `${ms(r.fresh.settleMs / 1000)} s, in the background after listening` : '–';
  out.push(
    `| ${label[r.kind]} | ${r.size.toLocaleString('en')} | ${seeding} | ${fresh} | ${sweep} | ${Math.round(r.startup.wallMs)} ms (${Math.round(r.startup.startServerMs)} ms) |`,
  );
}
for (const r of results) {
  out.push(
    '',
    `${label[r.kind]}, ${r.size.toLocaleString('en')} tickets — ${r.kind === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} of the page query of "list account" (parameters bound as in the request):`,
    '',
    '```',
    r.plan,
    '```',
  );
}
const report = out.join('\n');
console.log(report);

if (args.docs) {
  const path = new URL('../docs/performance.md', import.meta.url);
  const doc = readFileSync(path, 'utf8');
  const block = /(<!-- bench:server -->)[\s\S]*?(<!-- \/bench:server -->)/;
  if (!block.test(doc)) throw new Error('docs/performance.md has no <!-- bench:server --> block.');
  const command = `npm run bench:server${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  // A function, not a replacement string: the report's query plans hold `$1`, `$2`… of their own.
  const dated = `\n\n_${started.toISOString().slice(0, 10)}, \`${command}\`_\n\n${report}\n\n`;
  writeFileSync(
    path,
    doc.replace(block, (_, open, close) => `${open}${dated}${close}`),
  );
  console.error(`Updated the bench:server block of ${path.pathname}.`);
}
