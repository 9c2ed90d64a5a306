/** `portico-server import <file>`: the CLI provisions from JSON / NDJSON files like POST /v1/service/sync. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '@portico/server/node';

const BIN = fileURLToPath(new URL('../bin/portico-server.mjs', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('portico-server import', () => {
  it('imports an NDJSON file in batches with a progress line and a summary; the same file again changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-import-'));
    try {
      const db = join(dir, 'p.db');
      const lines = [
        // A child before its parent, and more than one batch of contacts.
        JSON.stringify({ id: 'umbrella-eu', name: 'Umbrella EU', parentId: 'umbrella' }),
        JSON.stringify({ kind: 'account', id: 'umbrella', name: 'Umbrella', domains: ['umbrella.example'], tier: 'premier' }),
        ...Array.from({ length: 1200 }, (_, i) =>
          JSON.stringify({ accountId: i % 2 ? 'umbrella' : 'umbrella-eu', email: `p${i}@umbrella.example`, role: i === 0 ? 'admin' : 'member' }),
        ),
      ];
      writeFileSync(join(dir, 'people.ndjson'), `${lines.join('\n')}\n`);
      const first = await run(['import', join(dir, 'people.ndjson'), '--db', db]);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /1000\/1202 items \(83%\)/, 'a progress line per batch');
      assert.match(first.out, /Imported 2 accounts and 1200 contacts into .* 1202 created, 0 updated, 0 unchanged\./);
      const again = await run(['import', join(dir, 'people.ndjson'), '--db', db]);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /0 created, 0 updated, 1202 unchanged\./);
      const store = new SqliteStore(db);
      try {
        assert.equal((await store.getAccount('umbrella-eu'))?.parentId, 'umbrella');
        assert.equal((await store.findContactByEmail('umbrella-eu', 'p0@umbrella.example'))?.role, 'admin');
        assert.equal((await store.listOutbox({ after: 0, limit: 10_000 })).length, 1202);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file with an invalid item before writing anything (exit 1, the item named)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-import-'));
    try {
      const db = join(dir, 'p.db');
      const file = join(dir, 'sync.json');
      writeFileSync(
        file,
        JSON.stringify({
          accounts: [
            { id: 'ok', name: 'OK' },
            { id: 'bad', name: 'Bad', tier: 'gold' },
          ],
          contacts: [{ accountId: 'ok', email: 'nope' }],
        }),
      );
      const res = await run(['import', file, '--db', db]);
      assert.equal(res.code, 1);
      assert.match(res.err, /2 items are invalid; nothing was imported/);
      assert.match(res.err, /accounts\.1: tier: Unknown tier/);
      assert.match(res.err, /contacts\.0: email:/);
      const store = new SqliteStore(db);
      try {
        assert.equal(await store.isEmpty(), true);
      } finally {
        await store.close();
      }
      const usage = await run(['import']);
      assert.equal(usage.code, 2);
      assert.match(usage.err, /Usage: portico-server import/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
