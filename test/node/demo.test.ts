/**
 * End to end through the demo vendor app (what `npm start` runs): its backend mints a token
 * for a demo contact, and the Portico API it mounts under /api answers exactly what the
 * access policy allows, on a real SQLite file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canView, type Actor } from '@portico/core';
import { demoSeed } from '@portico/server';

const seed = demoSeed();
let server: ChildProcess;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'portico-demo-'));

before(async () => {
  server = spawn(process.execPath, ['--conditions=portico-source', 'examples/vendor-app/server.ts'], {
    env: { ...process.env, PORT: '0', PORTICO_DB: join(dir, 'demo.db') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/localhost:(\d+)\//.exec(out);
      if (match) resolve(`http://localhost:${match[1]}`);
    });
    server.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
});

after(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function tokenFor(email: string): Promise<string> {
  const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { token: string }).token;
}

async function allTickets(token: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await fetch(`${base}/api/v1/tickets?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids.sort();
}

function expectedFor(email: string): string[] {
  const contact = seed.contacts.find((c) => c.email === email)!;
  const children = contact.role === 'admin' ? seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id) : [];
  const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role: contact.role, childAccountIds: children };
  return seed.tickets.filter((t) => canView(actor, { ...t, requesterId: t.requester.id })).map((t) => t.id).sort();
}

describe('the npm start demo', () => {
  for (const email of ['mia@acme.example', 'ben@acme.example', 'jay@acme.example', 'val@acme.example', 'ada@acme.example', 'pia@globex.example']) {
    it(`${email} gets exactly the tickets the policy allows from /api/v1/tickets?view=account`, async () => {
      const got = await allTickets(await tokenFor(email), 'view=account');
      assert.ok(got.length > 0);
      assert.deepEqual(got, expectedFor(email));
    });
  }

  it('serves the page under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    assert.match(await res.text(), /<portico-provider api-base="\/api">/);
  });

  it('refuses to mint a token for someone who is not a demo contact', async () => {
    const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'eve@evil.example' }) });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });
});
