/**
 * `portico-server --workers N` on one SQLite file: real processes (the CLI's node:cluster
 * primary and its workers), real HTTP on new connections, which the primary hands to the
 * workers in turn. What each process kept to itself before is shared: live events and
 * account suspensions reach streams on other workers, one rate limit counts every worker's
 * requests, one process at a time runs a job, each webhook event goes out once, concurrent
 * writes all succeed, and a worker killed under load loses no acknowledged write.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DEMO_ACCOUNTS, DEMO_SERVICE_API_KEY, demoSeed, mintToken } from '@portico/server';
import { JOB_LEASE_MS, SQLITE_MIGRATIONS, SqliteStore } from '@portico/server/node';
import { startCli } from './cli-process.ts';
import { startReceiver } from './webhook-receiver.ts';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ADA = { email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme, name: 'Ada' };
const SERVICE = `Bearer ${DEMO_SERVICE_API_KEY}`;

/** The ids of a process's children (Linux). */
const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

interface Answer {
  status: number;
  body: any;
}

/** One request on a new connection (no keep-alive), so the cluster hands each to the next worker. */
function send(url: string, method: string, authorization: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const req = request(
      url,
      { method, agent: false, headers: { Authorization: authorization, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A connection handed to a worker as it was killed may never be answered.
    req.setTimeout(5_000, () => req.destroy(new Error('no answer in 5 s')));
    req.end(body);
  });
}

const newTicket = (subject: string) => ({ subject, description: 'Made by the workers test.', category: 'technical', priority: 'normal' });

/** An open `GET /v1/events` stream on its own connection: the events it has received, by arrival. */
function openStream(url: string, authorization: string, lastEventId?: string) {
  const events: { id: string; data: any; at: number }[] = [];
  let ended = false;
  const controller = new AbortController();
  const headers: Record<string, string> = { Authorization: authorization, Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const opened = new Promise<void>((resolve, reject) => {
    const req = request(`${url}/v1/events`, { agent: false, headers, signal: controller.signal }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: HTTP ${res.statusCode}`));
      resolve();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (/^event: activity$/m.test(frame) && id && data) events.push({ id, data: JSON.parse(data), at: Date.now() });
        }
      });
      res.on('close', () => (ended = true));
    });
    req.on('error', (error) => (controller.signal.aborted ? undefined : reject(error)));
    req.end();
  });
  return { events, opened, ended: () => ended, close: () => controller.abort() };
}

async function waitFor<T>(check: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('portico-server --workers on one SQLite file', () => {
  let dir: string;
  let authorization: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-sqlite-workers-'));
    authorization = `Bearer ${await mintToken(ADA, { secret: SECRET })}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI with N workers on a new demo database; `extra` adds flags. */
  async function startWorkers(name: string, workers: number, extra: string[] = []) {
    const db = join(dir, `${name}.db`);
    const cli = startCli([
      ...['--workers', String(workers), '--port', '0', '--host', '127.0.0.1', '--db', db, '--seed', 'demo'],
      ...['--jwt-secret', SECRET, '--service-api-key', DEMO_SERVICE_API_KEY, ...extra],
    ]);
    try {
      const url = await cli.url;
      assert.match(cli.output(), new RegExp(`${workers} workers\\)`));
      return { cli, url, db };
    } catch (error) {
      await cli.stop();
      throw error;
    }
  }

  it('workers start on a file of an older schema, brought up to date; with --no-migrate the command refuses it (exit 4)', async () => {
    const db = join(dir, 'older.db');
    const old = new SqliteStore(db, { migrations: SQLITE_MIGRATIONS.slice(0, -1) });
    await old.load(demoSeed(new Date()));
    await old.close();
    const args = ['--workers', '3', '--port', '0', '--host', '127.0.0.1', '--db', db, '--jwt-secret', SECRET];
    const refused = startCli([...args, '--no-migrate']);
    await assert.rejects(refused.url, /exited with 4/);
    assert.match(refused.output(), /needs 1 migration/);
    const cli = startCli(args);
    try {
      await cli.url;
      assert.equal((await send(`${await cli.url}/v1/me`, 'GET', authorization)).status, 200);
    } finally {
      await cli.stop();
    }
    const sqlite = new DatabaseSync(db, { readOnly: true });
    try {
      const versions = sqlite.prepare('SELECT version FROM portico_migrations ORDER BY version').all() as { version: number }[];
      assert.deepEqual(
        versions.map((v) => v.version),
        SQLITE_MIGRATIONS.map((m) => m.version),
      );
    } finally {
      sqlite.close();
    }
  });

  it('a write through one worker reaches a live stream on another within a fraction of a second, and Last-Event-ID resumes on any worker', async () => {
    const { cli, url } = await startWorkers('live', 2, ['--rate-limit', '0']);
    const stream = openStream(url, authorization);
    try {
      await stream.opened;
      // Connections go to the workers in turn: of six creates, three are served by the worker
      // that does not hold the stream. Without the watch, its writes would reach the stream only
      // at the hub's one-second fallback read.
      const delays: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const created = await send(`${url}/v1/tickets`, 'POST', authorization, newTicket(`Live ${i}`));
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const acknowledged = Date.now();
        const event = await waitFor(
          () => stream.events.find((e) => e.data.activity.ticketId === created.body.id && e.data.activity.type === 'ticket.created'),
          `the stream hears of ${created.body.id}`,
          2_000,
        );
        delays.push(event.at - acknowledged);
        ids.push(event.id);
      }
      assert.ok(Math.max(...delays) < 400, `every create reached the stream within 400 ms: ${delays.join(', ')} ms`);

      // A client that lost its connection resumes on whichever worker takes the new one.
      for (let i = 0; i < 2; i++) {
        const resumed = openStream(url, authorization, ids[1]);
        try {
          await resumed.opened;
          await waitFor(() => ids.slice(2).every((id) => resumed.events.some((e) => e.id === id)), 'the resumed stream replays what it missed', 5_000);
          assert.ok(!resumed.events.some((e) => Number(e.id) <= Number(ids[1])), 'nothing up to Last-Event-ID again');
        } finally {
          resumed.close();
        }
      }

      // A suspension writes no activity, only an outbox event: streams of the account end on
      // every worker, not only on the one that wrote it.
      const streams = [openStream(url, authorization), openStream(url, authorization)];
      await Promise.all(streams.map((s) => s.opened));
      const suspended = await send(`${url}/v1/service/accounts/${DEMO_ACCOUNTS.acme}`, 'PUT', SERVICE, { status: 'suspended' });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      const at = Date.now();
      await waitFor(() => [stream, ...streams].every((s) => s.ended()), 'every stream of the suspended account ends', 3_000);
      assert.ok(Date.now() - at < 1_000, `the streams ended within a second (${Date.now() - at} ms)`);
    } finally {
      stream.close();
      await cli.stop();
    }
  });

  it('a retried create with the same Idempotency-Key makes one ticket, whichever worker serves each try', async () => {
    const { cli, url, db } = await startWorkers('idempotency', 2, ['--rate-limit', '0']);
    try {
      const key = { 'Idempotency-Key': 'retry-across-workers' };
      const body = newTicket('Retried across workers');
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await send(`${url}/v1/tickets`, 'POST', authorization, body, key));
      assert.deepEqual(
        answers.map((a) => a.status),
        [201, 201, 201, 201],
      );
      assert.equal(new Set(answers.map((a) => a.body.id)).size, 1, 'every retry answers the first ticket');
      // Tries at once: one creates, the others replay it or are told it is in progress.
      const together = await Promise.all(
        Array.from({ length: 6 }, () => send(`${url}/v1/tickets`, 'POST', authorization, newTicket('At once'), { 'Idempotency-Key': 'at-once' })),
      );
      for (const a of together) assert.ok(a.status === 201 || a.status === 409, `201 or 409, got ${a.status}`);
      assert.equal(new Set(together.filter((a) => a.status === 201).map((a) => a.body.id)).size, 1);
      await cli.stop();
      const sqlite = new DatabaseSync(db, { readOnly: true });
      try {
        const count = (subject: string) => Number((sqlite.prepare('SELECT count(*) AS n FROM tickets WHERE subject = ?').get(subject) as { n: number }).n);
        assert.equal(count('Retried across workers'), 1);
        assert.equal(count('At once'), 1);
      } finally {
        sqlite.close();
      }
    } finally {
      await cli.stop();
    }
  });

  it('one rate limit counts the requests of every worker', async () => {
    // 40 a minute: a burst of 10, then one every 1.5 s.
    const { cli, url } = await startWorkers('rate', 2, ['--rate-limit', '40']);
    try {
      const statuses = [];
      for (let i = 0; i < 24; i++) statuses.push((await send(`${url}/v1/me`, 'GET', authorization)).status);
      const ok = statuses.filter((s) => s === 200).length;
      // Buckets per worker would let 10 through each: 20.
      assert.ok(ok >= 10 && ok <= 11, `10 (or one refilled) of 24 requests served, got ${ok}: ${statuses.join(' ')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 24 - ok);
    } finally {
      await cli.stop();
    }
  });

  it('concurrent creates from many connections to every worker all succeed', async () => {
    const { cli, url, db } = await startWorkers('concurrent', 3, ['--rate-limit', '0']);
    try {
      const failures: string[] = [];
      const made: string[] = [];
      await Promise.all(
        Array.from({ length: 24 }, async (_, c) => {
          for (let i = 0; i < 10; i++) {
            const a = await send(`${url}/v1/tickets`, 'POST', authorization, newTicket(`Concurrent ${c}.${i}`));
            if (a.status === 201) made.push(a.body.id);
            else failures.push(`${a.status} ${JSON.stringify(a.body)}`);
          }
        }),
      );
      assert.deepEqual(failures, [], 'no create failed ("database is locked" or otherwise)');
      assert.equal(new Set(made).size, 240);
      await cli.stop();
      const sqlite = new DatabaseSync(db, { readOnly: true });
      try {
        const refs = sqlite.prepare("SELECT ref FROM tickets WHERE subject LIKE 'Concurrent %'").all() as { ref: string }[];
        assert.equal(refs.length, 240);
        assert.equal(new Set(refs.map((r) => r.ref)).size, 240, 'every ticket its own number');
      } finally {
        sqlite.close();
      }
    } finally {
      await cli.stop();
    }
  });

  it('each webhook event goes out once, whichever worker wrote it and however many deliver', async () => {
    const receiver = await startReceiver();
    const { cli, url } = await startWorkers('hooks', 3, ['--rate-limit', '0', '--webhook-allow-private']);
    try {
      const endpoint = await send(`${url}/v1/service/webhooks`, 'POST', SERVICE, { url: receiver.url, eventTypes: ['ticket.created'] });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
      const ids = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const created = await send(`${url}/v1/tickets`, 'POST', authorization, newTicket(`Hooked ${i}`));
          assert.equal(created.status, 201, JSON.stringify(created.body));
          return created.body.id as string;
        }),
      );
      await receiver.waitFor((r) => new Set(r.map((x) => x.json.ticketId)).size >= 30, 10_000);
      // Time for a second worker's copy of a delivery to arrive, if there were one.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.deepEqual(new Set(receiver.received.map((r) => r.json.ticketId)), new Set(ids));
      assert.equal(receiver.received.length, 30, 'one delivery per event');
      assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 30);
    } finally {
      await cli.stop();
      await receiver.close();
    }
  });

  it('a worker killed under load loses no acknowledged write, and the primary replaces it', async () => {
    const { cli, url, db } = await startWorkers('kill', 2, ['--rate-limit', '0']);
    try {
      const primary = cli.child.pid!;
      const workers = childrenOf(primary);
      assert.equal(workers.length, 2);
      const acknowledged: string[] = [];
      const refused: number[] = [];
      let stop = false;
      let n = 0;
      const load = Promise.all(
        Array.from({ length: 8 }, async () => {
          while (!stop) {
            try {
              const a = await send(`${url}/v1/tickets`, 'POST', authorization, newTicket(`Under load ${n++}`));
              if (a.status === 201) acknowledged.push(a.body.id);
              else refused.push(a.status);
            } catch {
              // The connection of a request the killed worker held: never acknowledged.
            }
          }
        }),
      );
      await waitFor(() => acknowledged.length >= 40, 'some creates are acknowledged');
      process.kill(workers[0]!, 'SIGKILL');
      const before = acknowledged.length;
      await waitFor(() => {
        const now = childrenOf(primary);
        return now.length === 2 && !now.includes(workers[0]!);
      }, 'a replacement worker runs');
      await waitFor(() => acknowledged.length >= before + 40, 'creates go on after the kill');
      stop = true;
      await load;
      assert.deepEqual(refused, [], 'no create answered with an error');
      assert.match(cli.output(), /worker \d+ exited \(SIGKILL\); starting another/);
      await cli.stop();
      const sqlite = new DatabaseSync(db, { readOnly: true });
      try {
        const has = sqlite.prepare('SELECT 1 FROM tickets WHERE id = ?');
        const lost = acknowledged.filter((id) => !has.get(id));
        assert.deepEqual(lost, [], `all ${acknowledged.length} acknowledged tickets are in the database`);
      } finally {
        sqlite.close();
      }
    } finally {
      await cli.stop();
    }
  });
});

/** A process that opens the file and runs the job `name` with `runExclusive` `times` times, logging each run. */
const JOB_PROCESS = `
  import { SqliteStore } from '@portico/server/node';
  const [file, times] = process.argv.slice(-2);
  const store = new SqliteStore(file, { shared: true });
  for (let i = 0; i < Number(times); i++) {
    const ran = await store.runExclusive('sla-sweep', async () => {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 150));
      console.log(JSON.stringify({ pid: process.pid, start, end: Date.now() }));
    });
    if (!ran) await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
  }
  await store.close();
`;

function runJobProcess(file: string, times: number): Promise<{ pid: number; start: number; end: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=portico-source', '--input-type=module', '-e', JOB_PROCESS, file, String(times)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(
            out
              .trim()
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          )
        : reject(new Error(`exit ${code}`)),
    );
  });
}

/** Runs `fn` with the path of a file in a new directory, removed afterwards. */
async function inTempFile(name: string, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-job-leases-'));
  try {
    await fn(join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SQLite job leases (runExclusive): the SLA sweep runs in one process at a time', () => {
  it('processes on one file never run the job at once, and each gets turns', async () => {
    await inTempFile('jobs.db', async (file) => {
      await new SqliteStore(file).close();
      const runs = (await Promise.all([runJobProcess(file, 6), runJobProcess(file, 6), runJobProcess(file, 6)])).flat();
      runs.sort((a, b) => a.start - b.start);
      for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.start >= runs[i - 1]!.end, `run ${i} started after run ${i - 1} ended`);
      assert.ok(runs.length >= 3, `some runs happened (${runs.length})`);
      const sqlite = new DatabaseSync(file, { readOnly: true });
      assert.equal(Number((sqlite.prepare('SELECT count(*) AS n FROM job_leases').get() as { n: number }).n), 0, 'every lease released');
      sqlite.close();
    });
  });

  it('a lease held by a live process blocks the job; one that ran out (its process died) does not', async () => {
    await inTempFile('jobs.db', async (file) => {
      const store = new SqliteStore(file);
      const other = new DatabaseSync(file);
      const hold = other.prepare('INSERT OR REPLACE INTO job_leases (name, owner, until_ms) VALUES (?, ?, ?)');
      let ran = 0;
      hold.run('sla-sweep', 'another-process', Date.now() + JOB_LEASE_MS);
      assert.equal(await store.runExclusive('sla-sweep', async () => void ran++), false);
      assert.equal(await store.runExclusive('webhooks', async () => void ran++), true, 'other jobs are free');
      hold.run('sla-sweep', 'a-dead-process', Date.now() - 1);
      assert.equal(await store.runExclusive('sla-sweep', async () => void ran++), true);
      assert.equal(ran, 2);
      other.close();
      await store.close();
    });
  });

  it('the upgrade adds the lease table to a database of the previous schema, its data intact', async () => {
    await inTempFile('old.db', async (file) => {
      // The lease table came with schema 19.
      const old = new SqliteStore(file, { migrations: SQLITE_MIGRATIONS.filter((m) => m.version < 19) });
      await old.load(demoSeed(new Date('2026-03-02T12:00:00.000Z')));
      await old.close();
      const count = () => {
        const sqlite = new DatabaseSync(file, { readOnly: true });
        const n = Number((sqlite.prepare('SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM activity) AS n').get() as { n: number }).n);
        sqlite.close();
        return n;
      };
      const before = count();
      const store = new SqliteStore(file);
      try {
        assert.deepEqual(
          store.migrated,
          SQLITE_MIGRATIONS.filter((m) => m.version >= 19).map((m) => m.version),
        );
        assert.equal(count(), before);
        assert.equal(await store.runExclusive('sla-sweep', async () => {}), true);
      } finally {
        await store.close();
      }
    });
  });
});
