/**
 * What an outside security review found, each reproduced: deep bodies under an
 * Idempotency-Key, chunked bodies past the limit, control characters in user text, an empty
 * If-Match on contacts, contact entries in a non-admin's timeline, caching headers, failed
 * authentication without a limit, a too-long cursor, loose query parsing. See docs/security.md.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@portico/core';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { startServer, type RunningServer } from '@portico/server/node';
import { DEMO_CONTACTS, DEMO_SERVICE_API_KEY, harness, type Harness } from './helpers.ts';

type Res = { status: number; headers: Headers; body: any };

function assertProblem(res: Res, status: number, code?: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  if (code) assert.equal(res.body.code, code);
}

const NEW_TICKET = { subject: 'Export fails', description: 'Since Monday', category: 'technical' };

/** `[[[…]]]` nested `depth` levels, as text (JSON.stringify of it would itself overflow). */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('hardening', () => {
  let h: Harness;
  before(async () => {
    h = await harness('memory');
  });
  after(() => h.dispose());

  describe('deeply nested bodies', () => {
    it('answers 422 (not a stack overflow) under an Idempotency-Key, and creates nothing', async () => {
      const before = (await h.call('GET', '/v1/tickets?limit=100', { as: 'mia' })).body.items.length;
      const body = `{"subject":"Deep","description":"d","category":"technical","extra":${nested(60_000)}}`;
      const res = await h.call('POST', '/v1/tickets', { as: 'mia', body, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'deep-1' } });
      assertProblem(res, 422, 'validation_failed');
      assert.ok(res.body.fieldErrors.extra, JSON.stringify(res.body.fieldErrors));
      assert.equal((await h.call('GET', '/v1/tickets?limit=100', { as: 'mia' })).body.items.length, before);
    });

    it('refuses the same depth without the key too, so both paths agree', async () => {
      const body = `{"body":"hi","x":${nested(100)}}`;
      const res = await h.call('POST', `/v1/tickets/${h.seed.tickets[0]!.id}/comments`, { as: 'ada', body, headers: { 'Content-Type': 'application/json' } });
      assertProblem(res, 422, 'validation_failed');
    });

    it('still takes a body nested within the bound', async () => {
      const body = JSON.stringify({ ...NEW_TICKET, extra: JSON.parse(nested(20)) });
      const res = await h.call('POST', '/v1/tickets', { as: 'mia', body, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'shallow-1' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });
  });

  describe('chunked bodies', () => {
    /** A body of `total` bytes in 64 KiB chunks, without Content-Length; counts what was pulled. */
    function endless(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return { stream, pulled: () => sent };
    }

    for (const path of ['/v1/tickets', '/v1/tickets/{id}/comments', '/v1/views', '/v1/contacts']) {
      it(`stops reading ${path} at the limit and answers 413`, async () => {
        const { stream, pulled } = endless(100 * 1024 * 1024);
        const url = path.replace('{id}', h.seed.tickets[0]!.id);
        const res = await h.app.request(url, {
          method: 'POST',
          headers: { Authorization: `Bearer ${await h.token('ada')}`, 'Content-Type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        assert.equal(res.status, 413);
        assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
        // 256 KiB limit: at most the limit plus the chunk in flight (and one the stream queued ahead).
        assert.ok(pulled() <= 256 * 1024 + 3 * 64 * 1024, `read ${pulled()} bytes`);
      });
    }
  });

  describe('control characters in user text', () => {
    const bad = ['a\u0000b', 'esc \u001b[31mred', 'lone \ud800 surrogate', 'c1 \u0085 next', 'del \u007f'];

    it('refuses them in a ticket subject, description and business impact, with field errors', async () => {
      for (const text of bad) {
        for (const field of ['subject', 'description', 'businessImpact'] as const) {
          const json = { ...NEW_TICKET, priority: 'urgent', businessImpact: 'No reports', [field]: `Some ${text}` };
          const res = await h.call('POST', '/v1/tickets', { as: 'mia', json });
          assertProblem(res, 422, 'validation_failed');
          assert.ok(res.body.fieldErrors[field], `${field}: ${JSON.stringify(text)} → ${JSON.stringify(res.body.fieldErrors)}`);
        }
      }
    });

    it('keeps tabs and line breaks in multi-line text, but not in a one-line subject', async () => {
      const ok = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...NEW_TICKET, description: 'Line 1\r\nLine 2\n\tindented' } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.description, 'Line 1\r\nLine 2\n\tindented');
      const subject = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...NEW_TICKET, subject: 'Two\nlines' } });
      assertProblem(subject, 422, 'validation_failed');
      assert.ok(subject.body.fieldErrors.subject);
      // Letters of every script and emoji (surrogate pairs) are text.
      const emoji = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...NEW_TICKET, subject: 'Ärger mit 导出 😀' } });
      assert.equal(emoji.status, 201, JSON.stringify(emoji.body));
    });

    it('refuses them in comments, escalation reasons, view names, invitations, deflections and service comments', async () => {
      const ticket = h.seed.tickets.find((t) => t.accountId === 'acc_acme' && t.status === 'open')!;
      const cases: [string, string, unknown, string, Record<string, string>?][] = [
        ['POST', `/v1/tickets/${ticket.id}/comments`, { body: 'hi\u0000' }, 'body'],
        ['POST', `/v1/tickets/${ticket.id}/escalations`, { reason: 'Please \u001b look' }, 'reason'],
        ['POST', '/v1/views', { name: 'My\u0007view', query: { view: 'account' } }, 'name'],
        ['POST', '/v1/views', { name: 'Mine', query: { view: 'account', q: 'x\u0000' } }, 'query.q'],
        ['POST', '/v1/contacts', { email: 'new@acme.example', name: 'Eve\u0000' }, 'name'],
        ['POST', '/v1/articles/art_sso_setup/deflections', { query: 'export\u0000' }, 'query'],
      ];
      for (const [method, path, json, field] of cases) {
        const res = await h.call(method, path, { as: 'ada', json });
        assertProblem(res, 422, 'validation_failed');
        assert.ok(res.body.fieldErrors[field], `${path}: ${JSON.stringify(res.body.fieldErrors)}`);
      }
      const service = await h.call('POST', `/v1/service/tickets/${ticket.id}/comments`, {
        token: DEMO_SERVICE_API_KEY,
        json: { agent: { name: 'Sam\u0000' }, body: 'ok \ud83d' },
      });
      assertProblem(service, 422, 'validation_failed');
      assert.ok(service.body.fieldErrors['agent.name'] && service.body.fieldErrors.body, JSON.stringify(service.body.fieldErrors));
    });
  });

  describe('If-Match on contacts', () => {
    it('answers 412 to an empty If-Match, like tickets, and changes nothing', async () => {
      const before = await h.call('GET', `/v1/contacts?q=jay`, { as: 'ada' });
      const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json: { role: 'viewer' }, headers: { 'If-Match': '' } });
      assertProblem(res, 412, 'precondition_failed');
      const del = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', headers: { 'If-Match': '' } });
      assertProblem(del, 412, 'precondition_failed');
      const ticket = await h.call('PATCH', `/v1/tickets/${h.seed.tickets[0]!.id}`, { as: 'ada', json: { status: 'solved' }, headers: { 'If-Match': '' } });
      assertProblem(ticket, 412, 'precondition_failed');
      assert.deepEqual((await h.call('GET', `/v1/contacts?q=jay`, { as: 'ada' })).body, before.body);
    });
  });

  describe('contact entries in the timeline', () => {
    it('shows invitations, revocations and role changes to admins only', async () => {
      const invited = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'timeline-probe@acme.example', role: 'member' } });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      const types = 'contact.invited,contact.invitation_revoked,contact.role_changed,contact.deactivated,contact.reactivated,contact.invitation_resent';
      const admin = await h.call('GET', `/v1/activity?type=${types}&limit=100`, { as: 'ada' });
      assert.equal(admin.status, 200);
      assert.ok(admin.body.items.some((a: any) => a.data?.contact?.email === 'timeline-probe@acme.example'));
      for (const key of ['val', 'mia', 'ben', 'jay'] as const) {
        const res = await h.call('GET', `/v1/activity?type=${types}&limit=100`, { as: key });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.items, [], key);
        const all = await h.call('GET', '/v1/activity?limit=100', { as: key });
        assert.ok(!all.body.items.some((a: any) => a.type.startsWith('contact.')), key);
        assert.ok(!JSON.stringify(all.body).includes('timeline-probe@'), key);
      }
    });
  });

  describe('response headers', () => {
    it('marks every API response no-store and nosniff, errors included', async () => {
      const responses = [
        await h.call('GET', '/v1/tickets', { as: 'mia' }),
        await h.call('GET', '/v1/me', { as: 'mia' }),
        await h.call('GET', '/v1/tickets'),
        await h.call('GET', '/v1/nope', { as: 'mia' }),
        await h.call('POST', '/v1/tickets', { as: 'mia', json: { subject: '' } }),
      ];
      for (const res of responses) {
        assert.match(res.headers.get('Cache-Control') ?? '', /no-store/, String(res.status));
        assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff', String(res.status));
      }
    });
  });

  describe('strict query parsing', () => {
    it('takes limit only as decimal digits', async () => {
      for (const limit of ['0x10', '1e1', ' 5', '5.0', '+5', '-0', '']) {
        if (limit === '') continue;
        const res = await h.call('GET', `/v1/tickets?limit=${encodeURIComponent(limit)}`, { as: 'mia' });
        assertProblem(res, 422, 'validation_failed');
        assert.ok(res.body.fieldErrors.limit, limit);
      }
      assert.equal((await h.call('GET', '/v1/tickets?limit=010', { as: 'mia' })).status, 200);
    });

    it('checks every repeated status value', async () => {
      const res = await h.call('GET', '/v1/tickets?status=open&status=bogus', { as: 'mia' });
      assertProblem(res, 422, 'validation_failed');
      assert.ok(res.body.fieldErrors.status);
      const both = await h.call('GET', '/v1/tickets?status=open&status=solved&limit=100', { as: 'ada' });
      assert.equal(both.status, 200);
      assert.ok(both.body.items.some((t: any) => t.status === 'solved') && both.body.items.some((t: any) => t.status === 'open'));
    });

    it('refuses a too-long cursor with 422', async () => {
      const res = await h.call('GET', `/v1/tickets?cursor=${'A'.repeat(20_000)}`, { as: 'mia' });
      assertProblem(res, 422, 'validation_failed');
      assert.ok(res.body.fieldErrors.cursor);
    });

    it('does not take application/json-seq (or any json-ish type) as JSON', async () => {
      for (const type of ['application/json-seq', 'application/jsonx', 'text/json']) {
        const res = await h.call('POST', '/v1/tickets', { as: 'mia', body: JSON.stringify(NEW_TICKET), headers: { 'Content-Type': type } });
        assertProblem(res, 415, 'unsupported_media_type');
      }
      const charset = await h.call('POST', '/v1/tickets', {
        as: 'mia',
        body: JSON.stringify(NEW_TICKET),
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
      assert.equal(charset.status, 201);
      const problem = await h.call('POST', '/v1/tickets', {
        as: 'mia',
        body: JSON.stringify(NEW_TICKET),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(problem.status, 201);
    });
  });
});

describe('hardening over HTTP (the Node server)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ db: ':memory:', seed: 'demo', port: 0, hostname: '127.0.0.1', auth: { secret: DEMO_JWT_SECRET }, slaSweepMs: 0 });
  });
  after(() => server.close());

  it('answers a 20 KB cursor with a 422 problem, not an empty 431', async () => {
    const token = await mintToken({ email: 'mia@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET });
    const res = await fetch(`${server.url}/v1/tickets?cursor=${'A'.repeat(20_000)}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 422);
    assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
    assert.ok(((await res.json()) as any).fieldErrors.cursor);
  });

  it('answers a request line beyond 64 KiB with a 431 problem, not an empty body', async () => {
    const res = await fetch(`${server.url}/v1/tickets?q=${'A'.repeat(100_000)}`);
    assert.equal(res.status, 431);
    assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
    assert.ok(ProblemSchema.safeParse(await res.json()).success);
  });

  it('rate-limits failed authentication per client address: 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${server.url}/v1/tickets`, { headers: { Authorization: `Bearer bad.token.${i}` } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('Retry-After');
      await res.arrayBuffer();
    }
    assert.ok(statuses.includes(401));
    assert.ok(statuses.filter((s) => s === 429).length > 250, JSON.stringify(statuses.slice(0, 40)));
    assert.match(retryAfter ?? '', /^\d+$/);
    // Wrong service API keys spend from the same budget.
    const service = await fetch(`${server.url}/v1/service/tickets?account=acc_acme`, { headers: { Authorization: 'Bearer not-the-key' } });
    assert.equal(service.status, 429);
    assert.equal(service.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
    // A valid token from the same address still works: only failures are limited.
    const token = await mintToken({ email: 'mia@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET });
    assert.equal((await fetch(`${server.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
  });
});
