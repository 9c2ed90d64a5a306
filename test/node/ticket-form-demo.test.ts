/**
 * The ticket form's demo story, server side, end to end through the demo vendor app (what
 * `npm start` runs) on a real SQLite file:
 * - Mia types "SSO login fails", is offered a colleague's report of the same outage (never a
 *   ticket she may not see) and follows it instead: no new ticket.
 * - Jay files a private ticket with an attachment while the network drops once (the server
 *   creates the ticket, the answer is lost): the retry with the draft's key yields exactly one
 *   ticket, whose file lies beside the SQLite file and is downloadable only by those who may
 *   see the ticket.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer, type DemoServer } from './demo-server.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient, isPorticoError, type Ticket } from '@portico/core';

let demo: DemoServer;
let base = '';
let db = '';

before(async () => {
  demo = await startDemoServer();
  base = demo.base;
  db = demo.db;
});

after(() => demo.stop());

async function tokenFor(email: string): Promise<string> {
  const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { token: string }).token;
}

const clientFor = async (email: string, fetchImpl?: typeof fetch) =>
  new HttpClient({ apiBase: `${base}/api`, token: await tokenFor(email), ...(fetchImpl ? { fetch: fetchImpl } : {}) });

/** Every ticket an admin of Acme sees (the whole account), to count what exists. */
async function acmeTickets(): Promise<Ticket[]> {
  const ada = await clientFor('ada@acme.example');
  const out: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await ada.listTickets({ view: 'account', account: 'acc_acme', limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describe('the ticket form demo on SQLite', () => {
  it('Mia sees her colleague’s report of the SSO outage and follows it instead of filing a duplicate', async () => {
    const mia = await clientFor('mia@acme.example');
    const before = (await acmeTickets()).length;
    const similar = await mia.findSimilarTickets('SSO login fails');
    assert.equal(similar[0]?.ref, 'T-1001');
    const colleagues = similar.find((t) => t.requester.email === 'ben@acme.example');
    assert.ok(colleagues, 'Ben reported it too');
    assert.ok(
      !similar.some((t) => t.visibility === 'private' && t.requester.email !== 'mia@acme.example' && !t.followerIds.includes('con_mia')),
      'nothing private of others',
    );
    const articles = await mia.searchArticles({ q: 'SSO login fails', limit: 3 });
    assert.equal(articles.items[0]?.id, 'art_sso_certificate_rotation');

    const followed = await mia.followTicket(colleagues.id);
    assert.ok(followed.followerIds.includes('con_mia'));
    const following = await mia.listTickets({ view: 'following', limit: 100 });
    assert.ok(following.items.some((t) => t.id === colleagues.id));
    assert.equal((await acmeTickets()).length, before, 'no ticket was filed');
  });

  it('Jay files a private ticket with an attachment while the network drops once: exactly one ticket', async () => {
    // The first create reaches the server, which creates the ticket; then the connection drops.
    let dropped = false;
    const flaky: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const response = await fetch(request);
      if (!dropped && request.method === 'POST' && new URL(request.url).pathname.endsWith('/v1/tickets')) {
        dropped = true;
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    };
    const jay = await clientFor('jay@acme.example', flaky);
    const log = new TextEncoder().encode('2026-03-02T08:31:12Z ERROR export E_EXPORT_TIMEOUT after 60s\n');
    const file = Object.assign(new Blob([log]), { name: 'export.log' });
    const attachment = await jay.uploadAttachment(file, { idempotencyKey: 'demo-upload-1' });
    assert.equal(attachment.contentType, 'text/plain');

    const input = {
      subject: 'Month-end export times out (E_EXPORT_TIMEOUT)',
      description: 'The finance export stops after 60 s. Log attached.',
      category: 'technical' as const,
      priority: 'high' as const,
      visibility: 'private' as const,
      attachmentIds: [attachment.id],
    };
    const key = 'demo-draft-jay-1';
    const lost = await jay.createTicket(input, { idempotencyKey: key }).catch((e: unknown) => e);
    assert.ok(isPorticoError(lost) && lost.status === 0 && lost.code === 'network_error', 'the client reports a network failure');
    const ticket = await jay.createTicket(input, { idempotencyKey: key });
    assert.equal(ticket.visibility, 'private');
    const same = (await acmeTickets()).filter((t) => t.subject === input.subject);
    assert.deepEqual(
      same.map((t) => t.id),
      [ticket.id],
      'exactly one ticket',
    );

    // The file is on disk beside the SQLite file, and only those who may see the ticket get it.
    const onDisk = join(`${db}-attachments`, attachment.id);
    assert.ok(existsSync(onDisk));
    assert.deepEqual(new Uint8Array(readFileSync(onDisk)), log);
    for (const email of ['jay@acme.example', 'ada@acme.example']) {
      const client = await clientFor(email);
      assert.deepEqual(
        (await client.listAttachments(ticket.id)).map((a) => a.name),
        ['export.log'],
      );
      assert.deepEqual(new Uint8Array(await (await client.downloadAttachment(ticket.id, attachment.id)).arrayBuffer()), log);
    }
    for (const email of ['mia@acme.example', 'gus@globex.example']) {
      const client = await clientFor(email);
      const refused = await client.downloadAttachment(ticket.id, attachment.id).catch((e: unknown) => e);
      assert.ok(isPorticoError(refused) && refused.status === 404, `${email} may not download it`);
    }
    // The server refuses files over 10 MB (413) and types outside the allow-list (415).
    const big = await jay.uploadAttachment(Object.assign(new Blob([new Uint8Array(10 * 1024 * 1024 + 1)]), { name: 'big.pdf' })).catch((e: unknown) => e);
    assert.ok(isPorticoError(big) && big.status === 413);
    const svg = await jay.uploadAttachment(Object.assign(new Blob(['<svg/>'], { type: 'image/svg+xml' }), { name: 'logo.svg' })).catch((e: unknown) => e);
    assert.ok(isPorticoError(svg) && svg.status === 415);
  });
});
