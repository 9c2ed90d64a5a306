/**
 * The contact manager's "done when" story, end to end through the demo vendor app (what
 * `npm start` runs) on a real SQLite file: Mia (a member) gets no management data and is
 * refused when she calls the API directly; Ada invites a colleague (the vendor's backend
 * reads `contact.invited` from the service outbox and "sends" the email), promotes Mia to
 * admin, deactivates Jay handing his open tickets to Mia; Jay's unexpired token stops
 * working on his very next request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer, type DemoServer } from './demo-server.ts';
import { UNSOLVED_STATUSES, type Contact } from '@portico/core';
import { DEMO_SERVICE_API_KEY, demoSeed } from '@portico/server';

const seed = demoSeed();
const unsolved: readonly string[] = UNSOLVED_STATUSES;
let demo: DemoServer;
let base = '';

before(async () => {
  demo = await startDemoServer();
  base = demo.base;
});

after(() => demo.stop());

async function tokenFor(email: string): Promise<string> {
  const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { token: string }).token;
}

async function api(token: string, method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe('contact manager story on the npm start demo', () => {
  it('plays the story: directory for Mia, invite, promote, deactivate with transfer, Jay locked out', async () => {
    const mia = await tokenFor('mia@acme.example');
    const ada = await tokenFor('ada@acme.example');
    const jay = await tokenFor('jay@acme.example');

    // Mia, a member, gets the directory only, and the server refuses her management calls.
    const directory = await api(mia, 'GET', '/v1/contacts');
    assert.equal(directory.status, 200);
    const activeAcme = seed.contacts
      .filter((c) => c.accountId === 'acc_acme' && c.status === 'active')
      .map((c) => c.name)
      .sort();
    assert.deepEqual(
      directory.body.items.map((c: Contact) => c.name),
      activeAcme,
    );
    assert.ok(directory.body.items.every((c: Contact) => c.version === undefined && c.openTicketCount === undefined && c.lastSeenAt === null));
    assert.equal((await api(mia, 'GET', '/v1/me')).body.permissions['contact.manage'], false);
    for (const [method, path, json] of [
      ['POST', '/v1/contacts', { email: 'kim@acme.example' }],
      ['PATCH', '/v1/contacts/con_mia', { role: 'admin' }],
      ['DELETE', '/v1/contacts/con_jay', undefined],
      ['POST', '/v1/contacts/con_ivy/invitation', undefined],
    ] as const) {
      const refused = await api(mia, method, path, json);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.code, 'forbidden');
    }

    // Jay works normally before.
    assert.equal((await api(jay, 'GET', '/v1/tickets?view=mine')).status, 200);

    // Ada invites a colleague; the vendor's backend picks the invitation up from the outbox.
    const invite = await api(
      ada,
      'POST',
      '/v1/contacts',
      { email: 'kim.lee@acme.example', name: 'Kim Lee', role: 'member' },
      { 'idempotency-key': 'demo-invite-kim' },
    );
    assert.equal(invite.status, 201);
    assert.equal(invite.body.status, 'invited');
    const outbox = await fetch(`${base}/api/v1/service/outbox?type=contact.invited`, { headers: { authorization: `Bearer ${DEMO_SERVICE_API_KEY}` } });
    const events = (await outbox.json()) as { items: { data: { contact: { email: string } } }[] };
    assert.deepEqual(
      events.items.map((e) => e.data.contact.email),
      ['kim.lee@acme.example'],
    );
    let mails: { to: string }[] = [];
    for (let i = 0; i < 50 && mails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mails = (await (await fetch(`${base}/demo/mailbox`)).json()) as { to: string }[];
    }
    assert.deepEqual(
      mails.map((m) => m.to),
      ['kim.lee@acme.example'],
      'the vendor sent the invitation email',
    );
    // The invitee can sign in through the demo and becomes active.
    const kim = await api(await tokenFor('kim.lee@acme.example'), 'GET', '/v1/me');
    assert.equal(kim.status, 200);
    assert.deepEqual([kim.body.contact.status, kim.body.contact.role], ['active', 'member']);

    // Ada promotes Mia with the ETag she read.
    const loaded = await api(ada, 'GET', '/v1/contacts/con_mia');
    const promoted = await api(ada, 'PATCH', '/v1/contacts/con_mia', { role: 'admin' }, { 'if-match': loaded.headers.get('etag')! });
    assert.equal(promoted.status, 200);
    assert.equal(promoted.body.role, 'admin');
    assert.equal((await api(mia, 'GET', '/v1/me')).body.permissions['contact.manage'], true, 'Mia manages contacts from her next request on');

    // Ada deactivates Jay and hands his open tickets to Mia.
    const jaysOpen = seed.tickets
      .filter((t) => t.requester.id === 'con_jay' && unsolved.includes(t.status))
      .map((t) => t.id)
      .sort();
    const gone = await api(ada, 'DELETE', '/v1/contacts/con_jay?transferTo=con_mia');
    assert.equal(gone.status, 200);
    assert.equal(gone.body.contact.status, 'deactivated');
    assert.deepEqual(gone.body.transferred.map((t: { id: string }) => t.id).sort(), jaysOpen);

    // Jay's next request fails, although his token has not expired; a fresh one fails too.
    const locked = await api(jay, 'GET', '/v1/tickets?view=mine');
    assert.equal(locked.status, 401);
    assert.match(locked.body.detail, /deactivated/);
    assert.equal((await api(await tokenFor('jay@acme.example'), 'GET', '/v1/me')).status, 401);

    // Mia now requests Jay's open tickets; his solved ones stay his, nothing was deleted.
    const mine = await api(mia, 'GET', '/v1/tickets?view=mine&limit=100');
    for (const id of jaysOpen)
      assert.ok(
        mine.body.items.some((t: { id: string }) => t.id === id),
        id,
      );
    const all = await api(ada, 'GET', '/v1/tickets?limit=100&account=acc_acme');
    const jaysLeft = seed.tickets.filter((t) => t.requester.id === 'con_jay' && !unsolved.includes(t.status)).map((t) => t.id);
    for (const id of jaysLeft) assert.equal(all.body.items.find((t: { id: string }) => t.id === id)?.requester.id, 'con_jay');

    // The admin list tells the story: Jay deactivated with no open tickets, Mia an admin.
    const list = await api(ada, 'GET', '/v1/contacts?q=acme.example&limit=100');
    const byName = Object.fromEntries(list.body.items.map((c: Contact) => [c.name, c]));
    assert.deepEqual([byName['Jay Morales'].status, byName['Jay Morales'].openTicketCount], ['deactivated', 0]);
    assert.equal(byName['Mia Chen'].role, 'admin');
    assert.equal(byName['Kim Lee'].status, 'active');
  });
});
