/**
 * A crash between writing an attachment's file and committing its row (or in the middle of the
 * write) leaves files nobody points to; the next start removes them before it listens and keeps
 * every file a row points to.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { attachmentsDirFor, startServer } from '@portico/server/node';

describe('attachment files after a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-orphans-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('removes temporary and unreferenced files on start, keeps referenced ones', async () => {
    const db = join(dir, 'p.db');
    const start = () => startServer({ db, seed: 'demo', port: 0, hostname: '127.0.0.1', auth: { secret: DEMO_JWT_SECRET }, slaSweepMs: 0 });
    let server = await start();
    const token = await mintToken({ email: 'mia@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET });
    const res = await fetch(`${server.url}/v1/attachments?name=log.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(res.status, 201);
    const kept = ((await res.json()) as { id: string }).id;
    await server.close();

    const files = attachmentsDirFor(db);
    writeFileSync(join(files, '.att_half.0f3a.tmp'), 'half a file');
    writeFileSync(join(files, 'att_unreferenced'), 'no row points here');
    assert.deepEqual(readdirSync(files).sort(), ['.att_half.0f3a.tmp', 'att_unreferenced', kept].sort());

    server = await start();
    try {
      assert.deepEqual(readdirSync(files), [kept]);
    } finally {
      await server.close();
    }
  });
});
