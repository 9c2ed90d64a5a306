/**
 * `portico-server --workers N`: N server processes sharing one port on one PostgreSQL database
 * (node:cluster), a dead worker replaced, and an in-memory SQLite database refused (processes
 * cannot share it; workers on a SQLite file: sqlite-workers.test.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS, mintToken } from '@portico/server';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { startCli } from './cli-process.ts';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

/** The ids of a process's children (Linux). */
const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** GET on a new connection each time (no keep-alive), so the cluster hands each to a worker in turn. */
function getOnNewConnection(url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false, headers: { Authorization: authorization } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    })
      .on('error', reject)
      .end();
  });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('portico-server --workers', () => {
  it('refuses more than one worker on an in-memory SQLite database, and a count that is not a positive integer', async () => {
    const db = join(tmpdir(), 'never-created.db');
    for (const [args, env] of [
      [['--workers', '2', '--db', ':memory:', '--jwt-secret', SECRET], {}],
      [['--db', ':memory:', '--jwt-secret', SECRET], { PORTICO_WORKERS: '2' }],
    ] as const) {
      const cli = startCli([...args], env);
      await assert.rejects(cli.url, /exited with 2/);
      assert.match(cli.output(), /--workers needs a database file path or PostgreSQL/);
    }
    const zero = startCli(['--workers', '0', '--db', db, '--jwt-secret', SECRET]);
    await assert.rejects(zero.url, /exited with 2/);
    assert.match(zero.output(), /Invalid number of workers: 0/);
  });

  describe('on PostgreSQL', () => {
    let cluster: PgCluster;
    before(async () => {
      cluster = await startPgCluster();
    });
    after(() => cluster.stop());

    it('serves from N processes on one port, replaces a worker that dies, and stops them all on SIGTERM', async () => {
      const cli = startCli(['--workers', '2', '--port', '0', '--host', '127.0.0.1', '--db', cluster.url, '--seed', 'demo', '--jwt-secret', SECRET]);
      try {
        const url = await cli.url;
        assert.match(cli.output(), /\(database postgres:\/\/portico_app:\*\*\*@[^,]+, 2 workers\)/);
        const primary = cli.child.pid!;
        const workers = childrenOf(primary);
        assert.equal(workers.length, 2);
        const authorization = `Bearer ${await mintToken({ email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme, name: 'Ada' }, { secret: SECRET })}`;
        for (let i = 0; i < 6; i++) assert.equal(await getOnNewConnection(`${url}/v1/me`, authorization), 200);

        process.kill(workers[0]!, 'SIGKILL');
        await waitFor(() => {
          const now = childrenOf(primary);
          return now.length === 2 && !now.includes(workers[0]!);
        }, 'a replacement worker runs');
        await waitFor(() => /worker \d+ exited \(SIGKILL\); starting another/.test(cli.output()), 'the primary says so');
        // The survivor answers at once; the replacement once it listens.
        let served = 0;
        const until = Date.now() + 15_000;
        while (served < 6 && Date.now() < until) {
          const status = await getOnNewConnection(`${url}/v1/me`, authorization).catch(() => 0);
          served = status === 200 ? served + 1 : 0;
        }
        assert.equal(served, 6, 'six requests in a row answered on new connections after the restart');

        const now = childrenOf(primary);
        assert.equal(await cli.stop(), 0, cli.output());
        for (const pid of now) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} stopped with its primary`);
      } finally {
        await cli.stop();
      }
    });

    it('exits with the workers’ start-up error when the database is down', async () => {
      const cli = startCli(['--workers', '2', '--port', '0', '--db', 'postgres://nobody:secret@127.0.0.1:1/none', '--jwt-secret', SECRET]);
      try {
        await assert.rejects(cli.url, /exited with 3/);
        assert.match(cli.output(), /cannot use the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
        assert.doesNotMatch(cli.output(), /\n\s+at /, 'no stack trace');
      } finally {
        await cli.stop();
      }
    });
  });
});
