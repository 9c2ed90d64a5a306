/**
 * End to end through the demo vendor app (what `npm start` runs): its backend mints a token
 * for a demo contact, and the Portico API it mounts under /api answers exactly what the
 * access policy allows, on a real SQLite file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canView, type Actor } from '@portico/core';
import { demoSeed } from '@portico/server';
import { startDemo, type DemoServer } from './demo-server.ts';

const seed = demoSeed();
let demo: DemoServer;
let base = '';

before(async () => {
  demo = await startDemo();
  base = demo.base;
});

after(() => demo.stop());

const tokenFor = (email: string) => demo.tokenFor(email);

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
  return seed.tickets
    .filter((t) => canView(actor, { ...t, requesterId: t.requester.id }))
    .map((t) => t.id)
    .sort();
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
    const res = await fetch(`${base}/demo/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eve@evil.example' }),
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });
});
