/**
 * The OpenAPI document (docs/openapi.json): current with the core schemas, covering exactly
 * the routes the server registers, and describing what the server really answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OPERATIONS, openApiDocument } from '@portico/core/openapi.js';
import { DEMO_EMAILS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, MemoryStore, createApp, demoSeed, mintToken } from '@portico/server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const FILE = new URL('../../docs/openapi.json', import.meta.url);
const version = JSON.parse(readFileSync(new URL('../../packages/core/package.json', import.meta.url), 'utf8')).version as string;
const NOW = new Date('2026-03-02T10:00:00.000Z');

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, object> };
};

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` generates from the core schemas now', () => {
    const checkedIn = JSON.parse(readFileSync(FILE, 'utf8'));
    assert.deepEqual(checkedIn, openApiDocument(version), 'docs/openapi.json is stale: run `npm run openapi` and commit it');
  });

  it('describes every route the server registers, and no other', () => {
    const app = createApp({ store: new MemoryStore(), auth: { secret: DEMO_JWT_SECRET } });
    const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
    const described = new Set(OPERATIONS.map((op) => `${op.method} ${op.path}`));
    const undocumented = [...registered].filter((r) => !described.has(r));
    const missing = [...described].filter((r) => !registered.has(r));
    assert.deepEqual(undocumented, [], 'routes without an entry in OPERATIONS (packages/core/src/openapi.ts)');
    assert.deepEqual(missing, [], 'OPERATIONS entries the server does not serve');
  });

  it('gives every operation a unique operationId', () => {
    const ids = OPERATIONS.map((op) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
  });

  describe('matches what the server answers', () => {
    const doc = openApiDocument(version) as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);

    /** Validates a response body against the document's schema for that operation and status. */
    function assertConforms(method: string, path: string, status: number, body: unknown) {
      const response = doc.paths[path]?.[method]?.responses[String(status)];
      assert.ok(response, `the document has no ${status} response for ${method.toUpperCase()} ${path}`);
      const media = Object.values(response.content ?? {})[0];
      assert.ok(media, `${method.toUpperCase()} ${path} ${status} documents no body`);
      // `#/components/...` pointers resolve inside the compiled document, so carry the components along.
      const validate = ajv.compile({ ...media.schema, components: doc.components });
      assert.ok(validate(body), `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}`);
    }

    async function setup() {
      const store = new MemoryStore();
      await store.load(demoSeed(NOW));
      const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: () => NOW, serviceApiKeys: [DEMO_SERVICE_API_KEY] });
      const token = await mintToken({ email: DEMO_EMAILS.ada, account: 'acc_acme', name: 'Ada Okafor' }, { secret: DEMO_JWT_SECRET, now: NOW });
      const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const raw = body instanceof Uint8Array;
        const bearer = path.startsWith('/v1/service/') ? DEMO_SERVICE_API_KEY : token;
        const response = await app.request(path, {
          method,
          headers: { Authorization: `Bearer ${bearer}`, ...(body === undefined || raw ? {} : { 'Content-Type': 'application/json' }), ...headers },
          body: body === undefined ? undefined : raw ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
        });
        return { status: response.status, body: response.status === 304 ? null : await response.json() };
      };
      return { call };
    }

    it('for the session, lists, one ticket and its comments', async () => {
      const { call } = await setup();
      const me = await call('GET', '/v1/me');
      assertConforms('get', '/v1/me', me.status, me.body);
      const list = await call('GET', '/v1/tickets?view=account&status=open,pending&limit=5');
      assertConforms('get', '/v1/tickets', list.status, list.body);
      const first = (list.body as { items: { id: string }[] }).items[0]!;
      const one = await call('GET', `/v1/tickets/${first.id}`);
      assertConforms('get', '/v1/tickets/{id}', one.status, one.body);
      const comments = await call('GET', `/v1/tickets/${first.id}/comments`);
      assertConforms('get', '/v1/tickets/{id}/comments', comments.status, comments.body);
    });

    it('for ticket actions, saved views and contacts', async () => {
      const { call } = await setup();
      const created = await call('POST', '/v1/tickets', { subject: 'Export is slow', description: 'Minutes.', category: 'technical' });
      const id = (created.body as { id: string }).id;
      const escalated = await call('POST', `/v1/tickets/${id}/escalations`, { reason: 'Blocks our month-end close.' });
      assert.equal(escalated.status, 201);
      assertConforms('post', '/v1/tickets/{id}/escalations', 201, escalated.body);
      const again = await call('POST', `/v1/tickets/${id}/escalations`, { reason: 'Still blocked, please.' });
      assertConforms('post', '/v1/tickets/{id}/escalations', again.status, again.body);
      const followed = await call('PUT', `/v1/tickets/${id}/followers/me`);
      assertConforms('put', '/v1/tickets/{id}/followers/me', followed.status, followed.body);
      const version = (followed.body as { version: number }).version;
      const stale = await call('PATCH', `/v1/tickets/${id}`, { status: 'solved' }, { 'If-Match': `"v${version - 1}"` });
      assert.equal(stale.status, 412);
      assertConforms('patch', '/v1/tickets/{id}', 412, stale.body);
      const solved = await call('PATCH', `/v1/tickets/${id}`, { status: 'solved' }, { 'If-Match': `"v${version}"` });
      assert.equal(solved.status, 200);
      assertConforms('patch', '/v1/tickets/{id}', 200, solved.body);
      const rated = await call('POST', `/v1/tickets/${id}/satisfaction`, { rating: 'good', comment: 'Quick!' });
      assert.equal(rated.status, 201);
      assertConforms('post', '/v1/tickets/{id}/satisfaction', 201, rated.body);

      const view = await call('POST', '/v1/views', { name: 'Urgent', shared: true, query: { view: 'unsolved', priority: ['urgent'] } });
      assert.equal(view.status, 201);
      assertConforms('post', '/v1/views', 201, view.body);
      const views = await call('GET', '/v1/views');
      assertConforms('get', '/v1/views', views.status, views.body);

      const contacts = await call('GET', '/v1/contacts?sort=name&limit=3');
      assertConforms('get', '/v1/contacts', contacts.status, contacts.body);
      const invited = await call('POST', '/v1/contacts', { email: 'new.hire@acme.example', role: 'member' });
      assert.equal(invited.status, 201);
      assertConforms('post', '/v1/contacts', 201, invited.body);
      const duplicate = await call('POST', '/v1/contacts', { email: 'new.hire@acme.example' });
      assertConforms('post', '/v1/contacts', duplicate.status, duplicate.body);
      const one = await call('GET', `/v1/contacts/${(invited.body as { id: string }).id}`);
      assertConforms('get', '/v1/contacts/{id}', one.status, one.body);
    });

    it('for duplicates, attachments and the knowledge base', async () => {
      const { call } = await setup();
      const similar = await call('GET', '/v1/tickets/similar?q=SSO%20login');
      assert.equal(similar.status, 200);
      assertConforms('get', '/v1/tickets/similar', 200, similar.body);
      const uploaded = await call('POST', '/v1/attachments?name=notes.txt', new TextEncoder().encode('hello'), { 'Content-Type': 'text/plain' });
      assert.equal(uploaded.status, 201);
      assertConforms('post', '/v1/attachments', 201, uploaded.body);
      const refused = await call('POST', '/v1/attachments?name=x.svg', new TextEncoder().encode('<svg/>'), { 'Content-Type': 'image/svg+xml' });
      assertConforms('post', '/v1/attachments', refused.status, refused.body);
      const created = await call('POST', '/v1/tickets', {
        subject: 'See the attached notes',
        description: 'Attached.',
        category: 'technical',
        attachmentIds: [(uploaded.body as { id: string }).id],
      });
      assert.equal(created.status, 201);
      const files = await call('GET', `/v1/tickets/${(created.body as { id: string }).id}/attachments`);
      assertConforms('get', '/v1/tickets/{id}/attachments', files.status, files.body);
      const articles = await call('GET', '/v1/articles?q=certificate');
      assertConforms('get', '/v1/articles', articles.status, articles.body);
      const first = (articles.body as { items: { id: string }[] }).items[0]!;
      const article = await call('GET', `/v1/articles/${first.id}`);
      assertConforms('get', '/v1/articles/{id}', article.status, article.body);
      const deflected = await call('POST', `/v1/articles/${first.id}/deflections`, { query: 'certificate rotation' });
      assert.equal(deflected.status, 201);
      assertConforms('post', '/v1/articles/{id}/deflections', 201, deflected.body);
    });

    it('for the timeline, notifications, summary and the service API', async () => {
      const { call } = await setup();
      const activity = await call('GET', '/v1/activity?limit=10');
      assert.equal(activity.status, 200);
      assertConforms('get', '/v1/activity', 200, activity.body);
      const notifications = await call('GET', '/v1/notifications');
      assertConforms('get', '/v1/notifications', notifications.status, notifications.body);
      const summary = await call('GET', '/v1/summary');
      assertConforms('get', '/v1/summary', summary.status, summary.body);
      const rollUp = await call('GET', '/v1/summary?account=all&days=90');
      assertConforms('get', '/v1/summary', rollUp.status, rollUp.body);
      const tickets = await call('GET', '/v1/service/tickets?account=acc_acme&limit=2');
      assertConforms('get', '/v1/service/tickets', tickets.status, tickets.body);
      const id = (tickets.body as { items: { id: string }[] }).items[0]!.id;
      const one = await call('GET', `/v1/service/tickets/${id}`);
      assertConforms('get', '/v1/service/tickets/{id}', one.status, one.body);
      const reply = await call('POST', `/v1/service/tickets/${id}/comments`, { body: 'Looking into it.', agent: { name: 'Sam Patel' }, status: 'pending' });
      assert.equal(reply.status, 201);
      assertConforms('post', '/v1/service/tickets/{id}/comments', 201, reply.body);
      const patched = await call('PATCH', `/v1/service/tickets/${id}`, { assignee: 'Rosa Lindqvist', agent: { name: 'Rosa Lindqvist' } });
      assertConforms('patch', '/v1/service/tickets/{id}', patched.status, patched.body);
      const sweep = await call('POST', '/v1/service/sla/sweep');
      assertConforms('post', '/v1/service/sla/sweep', sweep.status, sweep.body);
    });

    it('for provisioning: accounts, contacts, sync and roles', async () => {
      const { call } = await setup();
      const account = await call('PUT', '/v1/service/accounts/initech', { name: 'Initech', domains: ['initech.example'], tier: 'premier' });
      assert.equal(account.status, 201);
      assertConforms('put', '/v1/service/accounts/{accountId}', 201, account.body);
      const updated = await call('PUT', '/v1/service/accounts/initech', { slaPolicy: 'standard' });
      assertConforms('put', '/v1/service/accounts/{accountId}', updated.status, updated.body);
      const badTier = await call('PUT', '/v1/service/accounts/initech', { tier: 'gold' });
      assertConforms('put', '/v1/service/accounts/{accountId}', 422, badTier.body);
      assertConforms('get', '/v1/service/accounts/{accountId}', 200, (await call('GET', '/v1/service/accounts/initech')).body);
      const accounts = await call('GET', '/v1/service/accounts?parent=none&limit=2');
      assertConforms('get', '/v1/service/accounts', accounts.status, accounts.body);
      const role = await call('PUT', '/v1/service/roles/finance', {
        rules: { seesAll: false, seesOwn: true, seesShared: ['billing'], create: true, comment: true, manageContacts: false, childAccounts: false },
      });
      assertConforms('put', '/v1/service/roles/{name}', role.status, role.body);
      assertConforms('put', '/v1/service/roles/{name}', 409, (await call('PUT', '/v1/service/roles/admin', role.body)).body);
      assertConforms('get', '/v1/service/roles', 200, (await call('GET', '/v1/service/roles')).body);
      assertConforms('get', '/v1/service/roles/{name}', 200, (await call('GET', '/v1/service/roles/billing')).body);
      const contact = await call('PUT', '/v1/service/accounts/initech/contacts/peter@initech.example', { name: 'Peter', role: 'finance', locale: 'en' });
      assert.equal(contact.status, 201);
      assertConforms('put', '/v1/service/accounts/{accountId}/contacts/{email}', 201, contact.body);
      const moved = await call('PUT', '/v1/service/accounts/acc_globex/contacts/peter@initech.example', {});
      assertConforms('put', '/v1/service/accounts/{accountId}/contacts/{email}', 409, moved.body);
      assertConforms(
        'get',
        '/v1/service/accounts/{accountId}/contacts/{email}',
        200,
        (await call('GET', '/v1/service/accounts/initech/contacts/peter@initech.example')).body,
      );
      assertConforms('get', '/v1/service/accounts/{accountId}/contacts', 200, (await call('GET', '/v1/service/accounts/acc_acme/contacts?limit=3')).body);
      const synced = await call('POST', '/v1/service/sync', {
        accounts: [{ id: 'hooli', name: 'Hooli' }],
        contacts: [{ accountId: 'hooli', email: 'gavin@hooli.example' }],
      });
      assertConforms('post', '/v1/service/sync', synced.status, synced.body);
      const refused = await call('POST', '/v1/service/sync', { contacts: [{ accountId: 'nope', email: 'x@nope.example' }] });
      assertConforms('post', '/v1/service/sync', 422, refused.body);
    });

    it('for the agent API: notes, the agent thread, uploads and merges', async () => {
      const { call } = await setup();
      const everyAccount = await call('GET', '/v1/service/tickets?status=open&assignee=none&updatedSince=2026-01-01&limit=3');
      assertConforms('get', '/v1/service/tickets', everyAccount.status, everyAccount.body);
      const note = await call('POST', '/v1/service/tickets/T-1003/notes', { body: 'Check the billing system first.', agent: { name: 'Sam Patel' } });
      assert.equal(note.status, 201);
      assertConforms('post', '/v1/service/tickets/{id}/notes', 201, note.body);
      const thread = await call('GET', '/v1/service/tickets/T-1003/comments?limit=50');
      assertConforms('get', '/v1/service/tickets/{id}/comments', thread.status, thread.body);
      const upload = await call('POST', '/v1/service/tickets/T-1003/attachments?name=fix.txt', new TextEncoder().encode('fixed'), {
        'Content-Type': 'text/plain',
      });
      assert.equal(upload.status, 201);
      assertConforms('post', '/v1/service/tickets/{id}/attachments', 201, upload.body);
      const reply = await call('POST', '/v1/service/tickets/T-1003/comments', {
        body: 'Attached.',
        agent: { name: 'Sam Patel' },
        attachmentIds: [(upload.body as { id: string }).id],
      });
      assertConforms('post', '/v1/service/tickets/{id}/comments', reply.status, reply.body);
      const files = await call('GET', '/v1/service/tickets/T-1003/attachments');
      assertConforms('get', '/v1/service/tickets/{id}/attachments', files.status, files.body);
      const merged = await call('POST', '/v1/service/tickets/T-1012/merge', { into: 'T-1005', agent: { name: 'Sam Patel' } });
      assert.equal(merged.status, 200);
      assertConforms('post', '/v1/service/tickets/{id}/merge', 200, merged.body);
      const crossAccount = await call('POST', '/v1/service/tickets/T-1008/merge', { into: 'T-1037', agent: { name: 'Sam Patel' } });
      assertConforms('post', '/v1/service/tickets/{id}/merge', 422, crossAccount.body);
      const unknown = await call('GET', '/v1/service/tickets/T-99999');
      assertConforms('get', '/v1/service/tickets/{id}', 404, unknown.body);
    });

    it('for creates and for the errors they answer', async () => {
      const { call } = await setup();
      const created = await call(
        'POST',
        '/v1/tickets',
        { subject: 'Printer on fire', description: 'Really.', category: 'technical' },
        { 'Idempotency-Key': 'k1' },
      );
      assert.equal(created.status, 201);
      assertConforms('post', '/v1/tickets', 201, created.body);
      const reply = await call('POST', `/v1/tickets/${(created.body as { id: string }).id}/comments`, { body: 'Still burning.' });
      assertConforms('post', '/v1/tickets/{id}/comments', reply.status, reply.body);
      const invalid = await call('POST', '/v1/tickets', { subject: 'x' });
      assert.equal(invalid.status, 422);
      assertConforms('post', '/v1/tickets', 422, invalid.body);
      const badQuery = await call('GET', '/v1/tickets?view=nope');
      assertConforms('get', '/v1/tickets', 422, badQuery.body);
      const missing = await call('GET', '/v1/tickets/tkt_nope');
      assertConforms('get', '/v1/tickets/{id}', 404, missing.body);
    });

    it('for the liveness and readiness probes, ready and draining', async () => {
      const drain = new AbortController();
      const app = createApp({ store: new MemoryStore(), auth: { secret: DEMO_JWT_SECRET }, drain: drain.signal });
      const probe = async (path: string) => {
        const response = await app.request(path);
        return { status: response.status, body: await response.json() };
      };
      const live = await probe('/healthz');
      assertConforms('get', '/healthz', live.status, live.body);
      const ready = await probe('/readyz');
      assert.equal(ready.status, 200);
      assertConforms('get', '/readyz', 200, ready.body);
      drain.abort();
      const draining = await probe('/readyz');
      assert.equal(draining.status, 503);
      assertConforms('get', '/readyz', 503, draining.body);
    });
  });
});
