/**
 * Crash recovery: a real `portico-server` process (the CLI, SQLite file, attachment files beside
 * it) is killed with SIGKILL in the middle of bursts of ticket creates, replies and uploads,
 * then started again, `CRASH_ROUNDS` times (default 10). After each restart: every write the
 * server acknowledged (2xx) is there, every attachment file belongs to a row and every row of an
 * acknowledged upload has its file, and `PRAGMA integrity_check` is ok.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { attachmentsDirFor } from '@portico/server/node';

const BIN = fileURLToPath(new URL('../../packages/server/bin/portico-server.mjs', import.meta.url));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
/** Concurrent writers per burst. */
const WRITERS = 12;

/** Starts the CLI on the file and resolves with its URL once it listens. */
function start(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, '--db', db, '--port', '0', '--host', '127.0.0.1', '--seed', 'demo', '--jwt-secret', DEMO_JWT_SECRET, '--rate-limit', '0'],
    {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`portico-server exited (${code ?? signal}):\n${output}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

interface Acknowledged {
  tickets: string[];
  comments: string[];
  attachments: { id: string; size: number }[];
}

/** Writes as fast as the server takes them until `stop` says so; records what was acknowledged. */
async function burst(url: string, token: string, ticketId: string, stop: { now: boolean }, ack: Acknowledged, round: number): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  const writer = async (w: number) => {
    for (let i = 0; !stop.now; i++) {
      try {
        const kind = (w + i) % 3;
        if (kind === 0) {
          const res = await fetch(`${url}/v1/tickets`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json', 'Idempotency-Key': `r${round}-w${w}-${i}` },
            body: JSON.stringify({ subject: `Crash round ${round} writer ${w} #${i}`, description: 'During a burst', category: 'technical' }),
          });
          if (res.status === 201) ack.tickets.push(((await res.json()) as { id: string }).id);
          else await res.arrayBuffer();
        } else if (kind === 1) {
          const res = await fetch(`${url}/v1/tickets/${ticketId}/comments`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ body: `Reply ${round}/${w}/${i}` }),
          });
          if (res.status === 201) ack.comments.push(((await res.json()) as { id: string }).id);
          else await res.arrayBuffer();
        } else {
          const bytes = new Uint8Array(64 * 1024 + ((w * 7919 + i) % 4096)).fill(65 + (i % 26));
          const res = await fetch(`${url}/v1/attachments?name=log-${w}-${i}.txt`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'text/plain' },
            body: bytes,
          });
          if (res.status === 201) ack.attachments.push({ id: ((await res.json()) as { id: string }).id, size: bytes.byteLength });
          else await res.arrayBuffer();
        }
      } catch {
        // The server died mid-request: that write was never acknowledged.
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
}

/** The checks after a restart, on the file (read-only, beside the running server). */
function verify(db: string, ack: Acknowledged): void {
  const reader = new DatabaseSync(db, { readOnly: true });
  try {
    assert.deepEqual(
      reader
        .prepare('PRAGMA integrity_check')
        .all()
        .map((r) => r.integrity_check),
      ['ok'],
    );
    const has = (table: string, id: string) => reader.prepare(`SELECT 1 AS found FROM ${table} WHERE id = ?`).get(id) !== undefined;
    for (const id of ack.tickets) assert.ok(has('tickets', id), `acknowledged ticket ${id} lost`);
    for (const id of ack.comments) assert.ok(has('comments', id), `acknowledged comment ${id} lost`);
    const dir = attachmentsDirFor(db);
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const a of ack.attachments) {
      assert.ok(has('attachments', a.id), `acknowledged attachment ${a.id} lost`);
      assert.equal(statSync(join(dir, a.id)).size, a.size, `content of ${a.id}`);
    }
    for (const name of files) assert.ok(!name.endsWith('.tmp') && has('attachments', name), `orphan file ${name}`);
  } finally {
    reader.close();
  }
}

describe('crash recovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-crash-'));
  const db = join(dir, 'crash.db');
  let current: ChildProcess | undefined;
  after(async () => {
    if (current) await killed(current);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write through ${ROUNDS} kill -9 during bursts of creates and uploads`, { timeout: 240_000 }, async () => {
    const token = await mintToken({ email: 'mia@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
    const ack: Acknowledged = { tickets: [], comments: [], attachments: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const { child, url } = await start(db);
      current = child;
      if (round > 0) verify(db, ack);
      const stop = { now: false };
      const writing = burst(url, token, 'tkt_1001', stop, ack, round);
      // Kill somewhere between 150 and 450 ms into the burst.
      await new Promise((resolve) => setTimeout(resolve, 150 + ((round * 97) % 300)));
      await killed(child);
      stop.now = true;
      await writing;
    }
    const { child } = await start(db);
    current = child;
    verify(db, ack);
    assert.ok(
      ack.tickets.length > 0 && ack.comments.length > 0 && ack.attachments.length > 0,
      JSON.stringify({ tickets: ack.tickets.length, comments: ack.comments.length, attachments: ack.attachments.length }),
    );
    console.log(
      `crash recovery: ${ROUNDS} kills, ${ack.tickets.length} tickets, ${ack.comments.length} replies, ${ack.attachments.length} uploads acknowledged and present`,
    );
  });
});
