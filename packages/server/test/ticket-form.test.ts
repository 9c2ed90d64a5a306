/**
 * The routes behind `<portico-ticket-form>` (issue 4): possible duplicates, following,
 * create with CC / on behalf / business impact / attachments, attachment limits and
 * downloads, the knowledge base and deflections — on the memory store and on SQLite.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTACHMENTS, PROBLEM_CONTENT_TYPE, ProblemSchema, TicketSchema, UNSOLVED_STATUSES, canView, type Ticket } from '@portico/core';
import { IDEMPOTENCY_TTL_MS, MemoryBlobStore } from '@portico/server';
import { ACTIVE_CONTACTS, DEMO_ACCOUNTS, DEMO_CONTACTS, actorOf, harness, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

const unsolved: readonly string[] = UNSOLVED_STATUSES;
const contactOf = (h: Harness, key: DemoKey) => h.seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
/** A small limit keeps the 413 tests fast; the default (10 MiB) is checked in the e2e test. */
const MAX_BYTES = 64 * 1024;

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
}

/** Uploads raw bytes like the client does. */
async function upload(
  h: Harness,
  as: DemoKey,
  name: string | undefined,
  type: string,
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await h.app.request(`/v1/attachments${name === undefined ? '' : `?name=${encodeURIComponent(name)}`}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await h.token(as)}`, 'Content-Type': type, ...headers },
    body: bytes as BodyInit,
    ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function ticketCount(h: Harness): Promise<number> {
  return (await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 })).items.length;
}

const valid = { subject: 'Export button missing', description: 'Since today the export button is gone.', category: 'technical' };

function suite(kind: StoreKind): void {
  describe(`ticket form routes on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind, { blobs: new MemoryBlobStore(), maxAttachmentBytes: MAX_BYTES });
    });
    after(() => h.dispose());

    describe('GET /v1/tickets/similar', () => {
      it("offers Mia her own and a colleague's report of the SSO outage, best first", async () => {
        const res = await h.call('GET', '/v1/tickets/similar?q=SSO%20login%20fails', { as: 'mia' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.headers.get('Cache-Control'), 'private, no-store');
        const refs = res.body.items.map((t: Ticket) => t.ref);
        assert.equal(refs[0], 'T-1001');
        const bens = res.body.items.find((t: Ticket) => t.requester.id === DEMO_CONTACTS.ben);
        assert.ok(bens, 'Ben reported it too');
        for (const t of res.body.items) assert.ok(TicketSchema.safeParse(t).success);
      });

      it("never suggests a ticket the caller may not see: not a colleague's private one, not another company's", async () => {
        // Jay's private CSV export ticket: Jay and the admin see it, Mia does not.
        const jays = h.seed.tickets.find((t) => t.subject.startsWith('CSV export of the revenue dashboard'))!;
        assert.equal(jays.visibility, 'private');
        const q = '/v1/tickets/similar?q=CSV%20export%20revenue%20dashboard';
        assert.ok((await h.call('GET', q, { as: 'jay' })).body.items.some((t: Ticket) => t.id === jays.id));
        assert.ok((await h.call('GET', q, { as: 'ada' })).body.items.some((t: Ticket) => t.id === jays.id));
        assert.ok(!(await h.call('GET', q, { as: 'mia' })).body.items.some((t: Ticket) => t.id === jays.id));
        // Globex's SAML ticket: never for Acme, even for its admin.
        const saml = '/v1/tickets/similar?q=SAML%20assertions%20rejected%20clock%20skew';
        assert.ok((await h.call('GET', saml, { as: 'pia' })).body.items.some((t: Ticket) => t.accountId === DEMO_ACCOUNTS.globex));
        for (const key of ['ada', 'mia', 'emil'] as const) {
          assert.ok((await h.call('GET', saml, { as: key })).body.items.every((t: Ticket) => t.accountId === contactOf(h, key).accountId));
        }
      });

      it('answers every active contact only with visible, open tickets of their own account', async () => {
        const queries = ['SSO login fails', 'invoice seats', 'dashboard export', 'webhook TLS', 'sandbox workspace', 'billing', 'quota', 'password'];
        for (const key of ACTIVE_CONTACTS) {
          const contact = contactOf(h, key);
          const actor = actorOf(h.seed, contact);
          for (const q of queries) {
            const res = await h.call('GET', `/v1/tickets/similar?q=${encodeURIComponent(q)}`, { as: key });
            assert.equal(res.status, 200);
            assert.ok(res.body.items.length <= 5);
            for (const t of res.body.items as Ticket[]) {
              assert.ok(canView(actor, { ...t, requesterId: t.requester.id }), `${key} must not get ${t.ref}`);
              assert.equal(t.accountId, contact.accountId, 'own account only');
              assert.ok(unsolved.includes(t.status), `${t.ref} is open`);
            }
          }
        }
      });

      it('validates q and limit, and finds nothing in stopwords', async () => {
        assertProblem(await h.call('GET', '/v1/tickets/similar', { as: 'mia' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', `/v1/tickets/similar?q=${'x'.repeat(201)}`, { as: 'mia' }), 422, 'validation_failed');
        const tooMany = await h.call('GET', '/v1/tickets/similar?q=sso&limit=6', { as: 'mia' });
        assertProblem(tooMany, 422, 'validation_failed');
        assert.ok(tooMany.body.fieldErrors.limit);
        assert.equal((await h.call('GET', '/v1/tickets/similar?q=sso&limit=1', { as: 'mia' })).body.items.length, 1);
        assert.deepEqual((await h.call('GET', '/v1/tickets/similar?q=the%20of%20and', { as: 'mia' })).body.items, []);
        assert.equal((await h.call('GET', '/v1/tickets/similar?q=sso')).status, 401);
      });
    });

    describe('PUT / DELETE /v1/tickets/{id}/followers/me', () => {
      it('follows instead of filing: idempotent, visible in the Following view, undone by DELETE', async () => {
        const bens = h.seed.tickets.find((t) => t.requester.id === DEMO_CONTACTS.ben && t.subject.startsWith('Okta SSO'))!;
        const n0 = await ticketCount(h);
        const res = await h.call('PUT', `/v1/tickets/${bens.id}/followers/me`, { as: 'mia' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.followerIds.includes(DEMO_CONTACTS.mia));
        assert.equal(res.headers.get('ETag'), `"v${res.body.version}"`);
        const again = await h.call('PUT', `/v1/tickets/${bens.id}/followers/me`, { as: 'mia' });
        assert.equal(again.body.version, res.body.version, 'following twice changes nothing');
        const following = await h.call('GET', '/v1/tickets?view=following&limit=100', { as: 'mia' });
        assert.ok(following.body.items.some((t: Ticket) => t.id === bens.id));
        assert.equal(await ticketCount(h), n0, 'no ticket was created');
        const undone = await h.call('DELETE', `/v1/tickets/${bens.id}/followers/me`, { as: 'mia' });
        assert.equal(undone.status, 200);
        assert.ok(!undone.body.followerIds.includes(DEMO_CONTACTS.mia));
      });

      it('answers 404 for a ticket the caller may not see and 403 for a viewer', async () => {
        const jaysPrivate = h.seed.tickets.find((t) => t.requester.id === DEMO_CONTACTS.jay && t.visibility === 'private')!;
        assertProblem(await h.call('PUT', `/v1/tickets/${jaysPrivate.id}/followers/me`, { as: 'mia' }), 404, 'not_found');
        assertProblem(await h.call('PUT', '/v1/tickets/tkt_nope/followers/me', { as: 'mia' }), 404, 'not_found');
        const globex = h.seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.globex)!;
        assertProblem(await h.call('PUT', `/v1/tickets/${globex.id}/followers/me`, { as: 'ada' }), 404, 'not_found');
        assertProblem(await h.call('PUT', '/v1/tickets/tkt_1001/followers/me', { as: 'val' }), 403, 'forbidden');
        assert.ok(!(await h.store.getTicket('tkt_1001'))!.followerIds.includes(DEMO_CONTACTS.val));
      });
    });

    describe('POST /v1/tickets from the form', () => {
      it('CC colleagues become followers, who then see the private ticket', async () => {
        const res = await h.call('POST', '/v1/tickets', {
          as: 'jay',
          json: { ...valid, visibility: 'private', ccIds: [DEMO_CONTACTS.mia, DEMO_CONTACTS.jay] },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.deepEqual(res.body.followerIds, [DEMO_CONTACTS.mia], 'the requester is not their own follower');
        assert.equal((await h.call('GET', `/v1/tickets/${res.body.id}`, { as: 'mia' })).status, 200);
        assert.equal((await h.call('GET', `/v1/tickets/${res.body.id}`, { as: 'ben' })).status, 404);
      });

      it('refuses CC of another account, a deactivated or invited contact, or a viewer — and writes nothing', async () => {
        const n0 = await ticketCount(h);
        for (const [id, why] of [
          [DEMO_CONTACTS.gus, 'another account'],
          [DEMO_CONTACTS.dan, 'deactivated'],
          [DEMO_CONTACTS.ivy, 'invited'],
          ['con_nope', 'unknown'],
          [DEMO_CONTACTS.val, 'viewer cannot follow'],
        ] as const) {
          const res = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...valid, ccIds: [id] } });
          assertProblem(res, 422, 'validation_failed');
          assert.ok(res.body.fieldErrors.ccIds?.length, why);
        }
        assert.equal(await ticketCount(h), n0);
      });

      it('an admin files on behalf of a colleague, who becomes the requester; others may not', async () => {
        const res = await h.call('POST', '/v1/tickets', { as: 'ada', json: { ...valid, requesterId: DEMO_CONTACTS.jay, visibility: 'private' } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.requester.id, DEMO_CONTACTS.jay);
        assert.ok(res.body.followerIds.includes(DEMO_CONTACTS.ada), 'the admin follows what they filed');
        assert.ok((await h.call('GET', '/v1/tickets?view=mine&limit=100', { as: 'jay' })).body.items.some((t: Ticket) => t.id === res.body.id));
        const n0 = await ticketCount(h);
        for (const [as, requesterId] of [
          ['mia', DEMO_CONTACTS.jay],
          ['ada', DEMO_CONTACTS.val],
          ['ada', DEMO_CONTACTS.gus],
          ['ada', DEMO_CONTACTS.dan],
        ] as const) {
          const refused = await h.call('POST', '/v1/tickets', { as, json: { ...valid, requesterId } });
          assertProblem(refused, 422, 'validation_failed');
          assert.ok(refused.body.fieldErrors.requesterId, `${as} for ${requesterId}`);
        }
        assert.equal(await ticketCount(h), n0);
        // Naming oneself is just a normal ticket.
        assert.equal((await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, requesterId: DEMO_CONTACTS.mia } })).status, 201);
      });

      it('urgent needs a one-line business impact, which is kept on the ticket', async () => {
        const missing = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, priority: 'urgent' } });
        assertProblem(missing, 422, 'validation_failed');
        assert.ok(missing.body.fieldErrors.businessImpact);
        const blank = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, priority: 'urgent', businessImpact: '   ' } });
        assert.ok(blank.body.fieldErrors.businessImpact);
        // Every error at once: the business impact is reported next to a bad subject.
        const both = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, subject: 'x', priority: 'urgent' } });
        assert.deepEqual(Object.keys(both.body.fieldErrors).sort(), ['businessImpact', 'subject']);
        const ok = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, priority: 'urgent', businessImpact: ' 40 analysts cannot export ' } });
        assert.equal(ok.status, 201);
        assert.equal(ok.body.businessImpact, '40 analysts cannot export');
        assert.equal((await h.call('GET', `/v1/tickets/${ok.body.id}`, { as: 'mia' })).body.businessImpact, '40 analysts cannot export');
        const normal = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, priority: 'high', businessImpact: 'ignored' } });
        assert.equal(normal.body.businessImpact, undefined, 'only urgent tickets carry it');
      });

      it('a retried create with the same key gives the same ticket for 24 hours; another body is a 422', async () => {
        const n0 = await ticketCount(h);
        const headers = { 'Idempotency-Key': `draft-${kind}` };
        const body = { ...valid, subject: 'Retried after a network drop', ccIds: [DEMO_CONTACTS.mia] };
        const first = await h.call('POST', '/v1/tickets', { as: 'jay', json: body, headers });
        assert.equal(first.status, 201);
        const start = h.clock.now;
        try {
          h.clock.now = new Date(start.getTime() + IDEMPOTENCY_TTL_MS - 60_000);
          const replay = await h.call('POST', '/v1/tickets', { as: 'jay', json: body, headers });
          assert.equal(replay.status, 201);
          assert.equal(replay.headers.get('Idempotency-Replayed'), 'true');
          // The same ticket; only its SLA state is computed afresh at read time, a day later.
          const { sla: _replaySla, ...replayed } = replay.body;
          const { sla: _firstSla, ...created } = first.body;
          assert.deepEqual(replayed, created);
          assertProblem(await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...body, description: 'edited' }, headers }), 422, 'idempotency_conflict');
        } finally {
          h.clock.now = start;
        }
        assert.equal(await ticketCount(h), n0 + 1);
      });
    });

    describe('attachments', () => {
      it('uploads, links on create, lists and downloads for those who may see the ticket', async () => {
        const up = await upload(h, 'jay', 'C:\\Users\\jay\\screen shot ✓.png', 'image/png', PNG, { 'Idempotency-Key': `png-${kind}` });
        assert.equal(up.status, 201, JSON.stringify(up.body));
        assert.deepEqual(
          { ...up.body, id: 'x', createdAt: 'y' },
          { id: 'x', name: 'screen shot ✓.png', contentType: 'image/png', size: PNG.byteLength, ticketId: null, createdAt: 'y' },
        );
        const replay = await upload(h, 'jay', 'C:\\Users\\jay\\screen shot ✓.png', 'image/png', PNG, { 'Idempotency-Key': `png-${kind}` });
        assert.deepEqual(replay.body, up.body, 'a retried upload is the same attachment');
        const created = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...valid, visibility: 'private', attachmentIds: [up.body.id] } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const id = created.body.id;

        const list = await h.call('GET', `/v1/tickets/${id}/attachments`, { as: 'jay' });
        assert.deepEqual(list.body.items, [{ ...up.body, ticketId: id }]);
        for (const key of ['jay', 'ada'] as const) {
          const res = await h.app.request(`/v1/tickets/${id}/attachments/${up.body.id}`, { headers: { Authorization: `Bearer ${await h.token(key)}` } });
          assert.equal(res.status, 200, key);
          assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
          assert.equal(res.headers.get('Content-Type'), 'image/png');
          assert.match(res.headers.get('Content-Disposition')!, /^attachment; filename="screen shot _.png"; filename\*=UTF-8''screen%20shot%20%E2%9C%93.png$/);
          assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
        }
        // Mia may not see Jay's private ticket: neither the list nor the file.
        assertProblem(await h.call('GET', `/v1/tickets/${id}/attachments`, { as: 'mia' }), 404, 'not_found');
        assertProblem(await h.call('GET', `/v1/tickets/${id}/attachments/${up.body.id}`, { as: 'mia' }), 404, 'not_found');
        // Nor through another ticket she can see.
        assertProblem(await h.call('GET', `/v1/tickets/tkt_1001/attachments/${up.body.id}`, { as: 'mia' }), 404, 'not_found');
        assertProblem(await h.call('GET', `/v1/tickets/${id}/attachments/${up.body.id}`, { as: 'gus' }), 404, 'not_found');
        // A linked attachment cannot be linked again, nor used by someone else.
        const again = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...valid, attachmentIds: [up.body.id] } });
        assert.ok(again.body.fieldErrors.attachmentIds);
        const fresh = await upload(h, 'jay', 'log.txt', 'text/plain; charset=utf-8', new TextEncoder().encode('line 1\n'));
        assert.equal(fresh.body.contentType, 'text/plain');
        const stolen = await h.call('POST', '/v1/tickets', { as: 'mia', json: { ...valid, attachmentIds: [fresh.body.id] } });
        assert.ok(stolen.body.fieldErrors.attachmentIds);
      });

      it(`refuses files over the limit (413), of other types (415), empty or unnamed (422), from viewers (403), and more than ${MAX_ATTACHMENTS} per ticket`, async () => {
        assertProblem(await upload(h, 'jay', 'big.pdf', 'application/pdf', new Uint8Array(MAX_BYTES + 1)), 413, 'payload_too_large');
        // Without a Content-Length (chunked), the body is cut off while reading.
        const chunks = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(MAX_BYTES / 2));
            controller.close();
          },
        });
        assertProblem(await upload(h, 'jay', 'big.zip', 'application/zip', chunks), 413, 'payload_too_large');
        assert.equal((await upload(h, 'jay', 'exact.pdf', 'application/pdf', new Uint8Array(MAX_BYTES))).status, 201);
        for (const type of ['image/svg+xml', 'text/html', 'application/x-msdownload', 'application/octet-stream', '']) {
          assertProblem(await upload(h, 'jay', 'evil.bin', type, PNG), 415, 'unsupported_media_type');
        }
        assertProblem(await upload(h, 'jay', 'empty.txt', 'text/plain', new Uint8Array(0)), 422, 'validation_failed');
        assertProblem(await upload(h, 'jay', undefined, 'image/png', PNG), 422, 'validation_failed');
        assertProblem(await upload(h, 'jay', '..', 'image/png', PNG), 422, 'validation_failed');
        assertProblem(await upload(h, 'val', 'x.png', 'image/png', PNG), 403, 'forbidden');

        const ids: string[] = [];
        for (let i = 0; i <= MAX_ATTACHMENTS; i++) ids.push((await upload(h, 'jay', `f${i}.png`, 'image/png', PNG)).body.id);
        const tooMany = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...valid, attachmentIds: ids } });
        assertProblem(tooMany, 422, 'validation_failed');
        assert.ok(tooMany.body.fieldErrors.attachmentIds);
        const five = await h.call('POST', '/v1/tickets', { as: 'jay', json: { ...valid, attachmentIds: ids.slice(0, MAX_ATTACHMENTS) } });
        assert.equal(five.status, 201);
        assert.equal((await h.call('GET', `/v1/tickets/${five.body.id}/attachments`, { as: 'jay' })).body.items.length, MAX_ATTACHMENTS);
      });
    });

    describe('knowledge base', () => {
      it('suggests the matching article first and pages through every published English article of its tier without q', async () => {
        const res = await h.call('GET', '/v1/articles?q=SSO%20login%20fails&limit=3', { as: 'mia' });
        assert.equal(res.status, 200);
        assert.equal(res.body.items[0].id, 'art_sso_certificate_rotation');
        assert.ok(res.body.items.length <= 3);
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: any = await h.call('GET', `/v1/articles?limit=6${cursor ? `&cursor=${cursor}` : ''}`, { as: 'val' });
          ids.push(...page.body.items.map((a: { id: string }) => a.id));
          cursor = page.body.nextCursor;
        } while (cursor);
        // Val's account is premier; no Accept-Language: English. Drafts and German articles stay out.
        const want = h.seed.articles!.filter(
          (a) => a.status === 'published' && a.locale === 'en' && (a.audience === 'all' || a.audience.tiers.includes('premier')),
        );
        assert.equal(want.length, 21);
        assert.deepEqual([...ids].sort(), want.map((a) => a.id).sort());
        assert.equal((await h.call('GET', '/v1/articles/art_sso_setup', { as: 'mia' })).body.title, 'Set up SAML single sign-on with Okta, Azure AD or ADFS');
        assertProblem(await h.call('GET', '/v1/articles/art_nope', { as: 'mia' }), 404, 'not_found');
        assertProblem(await h.call('GET', '/v1/articles?q=sso&cursor=abc', { as: 'mia' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', '/v1/articles?limit=500', { as: 'mia' }), 422, 'validation_failed');
      });

      it('records a deflection once per idempotency key, for the caller’s account', async () => {
        const count = () => h.store.countDeflections([DEMO_ACCOUNTS.acme]);
        const n0 = await count();
        const headers = { 'Idempotency-Key': `defl-${kind}` };
        const res = await h.call('POST', '/v1/articles/art_sso_certificate_rotation/deflections', { as: 'mia', json: { query: 'SSO login fails' }, headers });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.articleId, 'art_sso_certificate_rotation');
        assert.equal(res.body.contactId, DEMO_CONTACTS.mia);
        const replay = await h.call('POST', '/v1/articles/art_sso_certificate_rotation/deflections', {
          as: 'mia',
          json: { query: 'SSO login fails' },
          headers,
        });
        assert.deepEqual(replay.body, res.body);
        assert.equal(await count(), n0 + 1);
        assertProblem(await h.call('POST', '/v1/articles/art_nope/deflections', { as: 'mia', json: {} }), 404, 'not_found');
        assertProblem(await h.call('POST', '/v1/articles/art_sso_setup/deflections', { as: 'mia', json: { query: 42 } }), 422, 'validation_failed');
        assertProblem(
          await h.call('POST', '/v1/articles/art_sso_setup/deflections', { as: 'mia', body: 'query=x', headers: { 'Content-Type': 'text/plain' } }),
          415,
          'unsupported_media_type',
        );
        assert.equal(await count(), n0 + 1);
      });
    });
  });
}

suite('memory');
suite('sqlite');
suite('postgres');
