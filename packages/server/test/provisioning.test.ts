/**
 * The vendor's provisioning API over HTTP (the app's fetch handler): accounts, contacts, bulk
 * sync and vendor-defined roles, and what they do to contacts' very next requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, actorOf, canView, permissionsOf, rulesOf, type Actor, type RoleRules, type Ticket } from '@portico/core';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { roleRulesArb } from '../../core/test/role-arbitrary.ts';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_SERVICE_API_KEY, NOW, harness, walk, type CallInit, type Harness, type StoreKind } from './helpers.ts';

type Res = Awaited<ReturnType<Harness['call']>>;

function assertProblem(res: Res, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
}

/** Calls a service route with the demo service API key. */
const service = (h: Harness, method: string, path: string, json?: unknown, init: CallInit = {}) =>
  h.call(method, path, { token: DEMO_SERVICE_API_KEY, ...(json !== undefined ? { json } : {}), ...init });

/** Everything a refused write must leave as it was, read through the service API and the store. */
async function state(h: Harness) {
  const accounts = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const res: Res = await service(h, 'GET', `/v1/service/accounts?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    accounts.push(...res.body.items);
    cursor = res.body.nextCursor;
  }
  const contacts = [];
  for (const a of accounts) contacts.push(...(await service(h, 'GET', `/v1/service/accounts/${a.id}/contacts?limit=100`)).body.items);
  return {
    accounts,
    contacts,
    outbox: (await h.store.listOutbox({ after: 0, limit: 1_000_000 })).length,
    activity: await h.store.activityHead(),
    roles: (await service(h, 'GET', '/v1/service/roles')).body,
  };
}

const tokenFor = (email: string, account: string, extra: { role?: 'admin' } = {}) =>
  mintToken({ email, account, name: email.split('@')[0], ...extra }, { secret: DEMO_JWT_SECRET, now: NOW });

function suite(kind: StoreKind): void {
  describe(`provisioning on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    it('PUT /v1/service/accounts/{id} creates (201), answers the same upsert unchanged (200, same ETag), updates (200, new ETag)', async () => {
      const body = { name: 'Initech', domains: ['Initech.example'], tier: 'premier', defaultVisibility: 'account' };
      const created = await service(h, 'PUT', '/v1/service/accounts/initech', body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.get('Location'), '/v1/service/accounts/initech');
      assert.equal(created.headers.get('ETag'), '"a1"');
      assert.deepEqual(created.body, {
        id: 'initech',
        name: 'Initech',
        domains: ['initech.example'],
        tier: 'premier',
        parentId: null,
        defaultVisibility: 'account',
        status: 'active',
        slaPolicy: null,
        updatedAt: NOW.toISOString(),
        version: 1,
      });
      const outbox = (await service(h, 'GET', '/v1/service/outbox?limit=100')).body.items.length;
      const same = await service(h, 'PUT', '/v1/service/accounts/initech', body);
      assert.equal(same.status, 200);
      assert.equal(same.headers.get('ETag'), '"a1"');
      assert.equal((await service(h, 'GET', '/v1/service/outbox?limit=100')).body.items.length, outbox, 'an unchanged upsert writes nothing');
      const renamed = await service(
        h,
        'PUT',
        '/v1/service/accounts/initech',
        { name: 'Initech Inc.', slaPolicy: 'standard' },
        { headers: { 'If-Match': '"a1"' } },
      );
      assert.equal(renamed.status, 200);
      assert.equal(renamed.headers.get('ETag'), '"a2"');
      assert.deepEqual(
        [renamed.body.name, renamed.body.tier, renamed.body.slaPolicy, renamed.body.domains],
        ['Initech Inc.', 'premier', 'standard', ['initech.example']],
      );
      const got = await service(h, 'GET', '/v1/service/accounts/initech');
      assert.deepEqual(got.body, renamed.body);
      assert.equal(got.headers.get('ETag'), '"a2"');
      const events = (await service(h, 'GET', '/v1/service/outbox?limit=100&type=account.created,account.updated')).body.items;
      assert.deepEqual(
        events.slice(-2).map((e: { type: string }) => e.type),
        ['account.created', 'account.updated'],
      );
      assert.deepEqual(events.at(-1).data.changes.name, { from: 'Initech', to: 'Initech Inc.' });
    });

    it('refuses bad account payloads with 422 naming the field, a stale If-Match with 412, and changes nothing', async () => {
      const before = await state(h);
      const cases: [string, unknown, string][] = [
        ['/v1/service/accounts/initech', { tier: 'platinum' }, 'tier'],
        ['/v1/service/accounts/initech', { teir: 'premier' }, '_'],
        ['/v1/service/accounts/initech', { domains: ['https://x.example'] }, 'domains.0'],
        ['/v1/service/accounts/initech', { status: 'closed' }, 'status'],
        ['/v1/service/accounts/brand-new', { tier: 'premier' }, 'name'],
        ['/v1/service/accounts/initech', { parentId: 'nope' }, 'parentId'],
        ['/v1/service/accounts/initech', { parentId: 'initech' }, 'parentId'],
        ['/v1/service/accounts/has%20space', { name: 'x' }, 'accountId'],
      ];
      for (const [path, body, field] of cases) {
        const res = await service(h, 'PUT', path, body);
        assertProblem(res, 422, 'validation_failed');
        assert.ok(
          Object.keys(res.body.fieldErrors).some((k) => k === field || (field === '_' && k !== 'tier')),
          `${JSON.stringify(body)} → ${JSON.stringify(res.body.fieldErrors)}`,
        );
      }
      assertProblem(await service(h, 'PUT', '/v1/service/accounts/initech', { name: 'Late' }, { headers: { 'If-Match': '"a1"' } }), 412, 'precondition_failed');
      assertProblem(await service(h, 'GET', '/v1/service/accounts/nope'), 404, 'not_found');
      assertProblem(
        await service(h, 'PUT', '/v1/service/accounts/initech', undefined, { body: 'name=x', headers: { 'Content-Type': 'text/plain' } }),
        415,
        'unsupported_media_type',
      );
      assert.deepEqual(await state(h), before);
    });

    it('allows nesting at any depth and refuses a cycle with 422', async () => {
      assert.equal((await service(h, 'PUT', '/v1/service/accounts/initech-emea', { name: 'Initech EMEA', parentId: 'initech' })).status, 201);
      assert.equal((await service(h, 'PUT', '/v1/service/accounts/initech-paris', { name: 'Initech Paris', parentId: 'initech-emea' })).status, 201);
      const before = await state(h);
      const cycle = await service(h, 'PUT', '/v1/service/accounts/initech', { parentId: 'initech-paris' });
      assertProblem(cycle, 422, 'validation_failed');
      assert.match(cycle.body.fieldErrors.parentId[0], /initech → initech-paris → initech-emea → initech/);
      assert.deepEqual(await state(h), before);
    });

    it('lists accounts by parent, status and updatedSince with cursors; rejects a bad query', async () => {
      const children = await service(h, 'GET', '/v1/service/accounts?parent=initech');
      assert.deepEqual(
        children.body.items.map((a: { id: string }) => a.id),
        ['initech-emea'],
      );
      const roots = await service(h, 'GET', '/v1/service/accounts?parent=none&limit=100');
      assert.deepEqual(roots.body.items.map((a: { id: string }) => a.id).sort(), [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.globex, 'initech'].sort());
      const since = await service(h, 'GET', `/v1/service/accounts?updatedSince=${NOW.toISOString()}&limit=1`);
      assert.equal(since.body.items.length, 1);
      const rest = await service(h, 'GET', `/v1/service/accounts?updatedSince=${NOW.toISOString()}&limit=100&cursor=${since.body.nextCursor}`);
      assert.deepEqual([...since.body.items, ...rest.body.items].map((a: { id: string }) => a.id).sort(), ['initech', 'initech-emea', 'initech-paris']);
      assert.equal((await service(h, 'GET', '/v1/service/accounts?status=suspended')).body.items.length, 0);
      for (const q of ['status=closed', 'updatedSince=yesterday', 'cursor=zzz', 'limit=500', 'colour=red']) {
        assertProblem(await service(h, 'GET', `/v1/service/accounts?${q}`), 422, 'validation_failed');
      }
    });

    it('suspending an account refuses its tokens on the next request (403 account_suspended), keeps its tickets, and takes children out of reach', async () => {
      assert.equal((await h.call('GET', '/v1/me', { as: 'emil' })).status, 200);
      const adaBefore = await h.call('GET', '/v1/me', { as: 'ada' });
      assert.ok(adaBefore.body.accounts.some((a: { id: string }) => a.id === DEMO_ACCOUNTS.acmeEmea));
      const tickets = (await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acmeEmea }], filter: {}, sort: 'updated', limit: 100 }))
        .items.length;

      const suspended = await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.acmeEmea}`, { status: 'suspended' });
      assert.equal(suspended.status, 200);
      assertProblem(await h.call('GET', '/v1/me', { as: 'emil' }), 403, 'account_suspended');
      assertProblem(await h.call('GET', '/v1/tickets', { as: 'emil' }), 403, 'account_suspended');
      const ada = await h.call('GET', '/v1/me', { as: 'ada' });
      assert.ok(!ada.body.accounts.some((a: { id: string }) => a.id === DEMO_ACCOUNTS.acmeEmea), 'a suspended child is out of its parent admin’s reach');
      assertProblem(await h.call('GET', `/v1/tickets?account=${DEMO_ACCOUNTS.acmeEmea}`, { as: 'ada' }), 422, 'validation_failed');
      assert.equal(
        (await h.store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acmeEmea }], filter: {}, sort: 'updated', limit: 100 })).items.length,
        tickets,
        'tickets are kept',
      );
      const outbox = (await service(h, 'GET', '/v1/service/outbox?type=account.suspended,account.reactivated')).body.items;
      assert.equal(outbox.at(-1).type, 'account.suspended');

      assert.equal((await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.acmeEmea}`, { status: 'active' })).status, 200);
      assert.equal((await h.call('GET', '/v1/me', { as: 'emil' })).status, 200, 'reactivated: tokens work again');
    });

    it('slaPolicy puts an account on another tier’s SLA targets, and back', async () => {
      const globex = h.seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.globex && ['new', 'open'].includes(t.status))!;
      const due = async () => (await service(h, 'GET', `/v1/service/tickets/${globex.id}`)).body.sla?.resolution.dueAt;
      const standard = await due();
      assert.ok(standard, 'the standard tier sets a resolution target');
      assert.equal((await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.globex}`, { slaPolicy: 'premier' })).status, 200);
      const premier = await due();
      assert.notEqual(premier, standard);
      assert.ok(premier < standard, 'premier targets are tighter');
      assert.equal((await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.globex}`, { slaPolicy: null })).status, 200);
      assert.equal(await due(), standard);
    });

    it('PUT …/contacts/{email} creates and updates a contact; GET one and the paged list', async () => {
      const path = '/v1/service/accounts/initech/contacts/Peter.Gibbons@Initech.example';
      const created = await service(h, 'PUT', path, { name: 'Peter Gibbons', role: 'admin', locale: 'en-US' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.get('ETag'), '"c1"');
      assert.deepEqual(
        [created.body.email, created.body.name, created.body.role, created.body.status, created.body.locale, created.body.accountId],
        ['peter.gibbons@initech.example', 'Peter Gibbons', 'admin', 'active', 'en-US', 'initech'],
      );
      const same = await service(h, 'PUT', path, { name: 'Peter Gibbons', role: 'admin' });
      assert.deepEqual([same.status, same.headers.get('ETag')], [200, '"c1"']);
      for (const email of ['milton', 'samir', 'michael', 'joanna']) {
        assert.equal((await service(h, 'PUT', `/v1/service/accounts/initech/contacts/${email}@initech.example`, {})).status, 201);
      }
      const one = await service(h, 'GET', '/v1/service/accounts/initech/contacts/milton@initech.example');
      assert.deepEqual([one.body.name, one.body.role, one.body.locale], ['milton', 'requester', null]);
      const emails: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Res = await service(h, 'GET', `/v1/service/accounts/initech/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        emails.push(...page.body.items.map((c: { email: string }) => c.email));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(emails, [
        'joanna@initech.example',
        'michael@initech.example',
        'milton@initech.example',
        'peter.gibbons@initech.example',
        'samir@initech.example',
      ]);
      const log = (await service(h, 'GET', '/v1/service/outbox?type=contact.created&limit=100')).body.items;
      assert.ok(log.some((e: { data: { contact: { email: string } } }) => e.data.contact.email === 'peter.gibbons@initech.example'));
    });

    it('refuses bad contact payloads (422), unknown accounts and contacts (404), a move from an active account (409), changing nothing', async () => {
      const before = await state(h);
      const base = '/v1/service/accounts/initech/contacts';
      const bad: [string, unknown, string][] = [
        [`${base}/not-an-email`, {}, 'email'],
        [`${base}/milton@initech.example`, { role: 'Overlord' }, 'role'],
        [`${base}/milton@initech.example`, { role: 'x-undefined-role' }, 'role'],
        [`${base}/milton@initech.example`, { active: 'yes' }, 'active'],
        [`${base}/milton@initech.example`, { locale: 'not a locale' }, 'locale'],
        [`${base}/milton@initech.example`, { name: '' }, 'name'],
      ];
      for (const [path, body, field] of bad) {
        const res = await service(h, 'PUT', path, body);
        assertProblem(res, 422, 'validation_failed');
        assert.ok(res.body.fieldErrors[field], `${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body.fieldErrors)}`);
      }
      assertProblem(await service(h, 'PUT', '/v1/service/accounts/nope/contacts/a@nope.example', {}), 404, 'not_found');
      assertProblem(await service(h, 'GET', '/v1/service/accounts/nope/contacts'), 404, 'not_found');
      assertProblem(await service(h, 'GET', `${base}/nobody@initech.example`), 404, 'not_found');
      const moved = await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.globex}/contacts/milton@initech.example`, { name: 'Milton' });
      assertProblem(moved, 409, 'contact_active_elsewhere');
      assert.match(moved.body.detail, /deactivate it there first/);
      assert.deepEqual(await state(h), before);
      // Deactivated there first, the move goes through.
      assert.equal((await service(h, 'PUT', `${base}/milton@initech.example`, { active: false })).status, 200);
      assert.equal((await service(h, 'PUT', `/v1/service/accounts/${DEMO_ACCOUNTS.globex}/contacts/milton@initech.example`, { name: 'Milton' })).status, 201);
    });

    it('a deactivation answers 401 on the very next request; reactivation lets the contact back in', async () => {
      const path = `/v1/service/accounts/${DEMO_ACCOUNTS.acme}/contacts/${h.seed.contacts.find((c) => c.id === DEMO_CONTACTS.mia)!.email}`;
      const token = await h.token('mia');
      assert.equal((await h.call('GET', '/v1/tickets', { token })).status, 200);
      assert.equal((await service(h, 'PUT', path, { active: false })).status, 200);
      assertProblem(await h.call('GET', '/v1/tickets', { token }), 401, 'unauthorized');
      const entries = await h.store.searchActivity({
        scope: [],
        accountIds: [DEMO_ACCOUNTS.acme],
        filter: { types: ['contact.deactivated'], contactId: DEMO_CONTACTS.mia },
        limit: 5,
      });
      assert.equal(entries.items[0]?.actor.id, 'service');
      assert.equal((await service(h, 'PUT', path, { active: true })).status, 200);
      assert.equal((await h.call('GET', '/v1/tickets', { token })).status, 200);
    });

    it('a role change is what the very next request is allowed, whatever role the token claims', async () => {
      const ben = h.seed.contacts.find((c) => c.id === DEMO_CONTACTS.ben)!;
      const path = `/v1/service/accounts/${ben.accountId}/contacts/${ben.email}`;
      const token = await h.token('ben', { role: 'admin' });
      assert.equal((await h.call('GET', '/v1/me', { token })).body.contact.role, ben.role);
      assert.equal((await service(h, 'PUT', path, { role: 'viewer' })).status, 200);
      const me = await h.call('GET', '/v1/me', { token });
      assert.equal(me.body.contact.role, 'viewer');
      assert.equal(me.body.permissions['ticket.create'], false);
      assertProblem(
        await h.call('POST', '/v1/tickets', { token, json: { subject: 'Cannot', description: 'Viewer now', category: 'technical', priority: 'normal' } }),
        403,
        'forbidden',
      );
      assert.equal((await service(h, 'PUT', path, { role: ben.role })).status, 200);
      assert.equal((await h.call('GET', '/v1/me', { token })).body.permissions['ticket.create'], true);
    });

    it('a contact first seen through its token writes contact.created activity and outbox entries', async () => {
      const token = await tokenFor('first.sight@acme.example', DEMO_ACCOUNTS.acme, { role: 'admin' });
      const me = await h.call('GET', '/v1/me', { token });
      assert.equal(me.status, 200);
      const events = (await service(h, 'GET', '/v1/service/outbox?type=contact.created&limit=100')).body.items;
      const event = events.find((e: { data: { contact: { email: string } } }) => e.data.contact.email === 'first.sight@acme.example');
      assert.ok(event, 'outbox event');
      assert.deepEqual([event.data.contact.role, event.data.actor.kind, event.data.actor.id], ['admin', 'contact', me.body.contact.id]);
      const entries = await h.store.searchActivity({
        scope: [],
        accountIds: [DEMO_ACCOUNTS.acme],
        filter: { types: ['contact.created'], contactId: me.body.contact.id },
        limit: 5,
      });
      assert.equal(entries.items.length, 1);
      await h.call('GET', '/v1/me', { token });
      assert.equal((await service(h, 'GET', '/v1/service/outbox?type=contact.created&limit=100')).body.items.length, events.length, 'only once');
    });
  });
}

function syncSuite(kind: StoreKind): void {
  describe(`POST /v1/service/sync on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    const batch = {
      contacts: [
        { accountId: 'hooli-xyz', email: 'gavin@hooli.example', name: 'Gavin', role: 'admin' },
        { accountId: 'hooli', email: 'richard@hooli.example', name: 'Richard', locale: 'en' },
        { accountId: DEMO_ACCOUNTS.globex, email: 'hank@globex.example', name: 'Hank', active: false },
      ],
      accounts: [
        { id: 'hooli-xyz', name: 'Hooli XYZ', parentId: 'hooli' },
        { id: 'hooli', name: 'Hooli', domains: ['hooli.example'], tier: 'premier' },
      ],
    };

    it('applies accounts (children may come before parents) and contacts, answering per item', async () => {
      const res = await service(h, 'POST', '/v1/service/sync', batch);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.results.map((r: { kind: string; accountId: string; email?: string; result: string }) => [r.kind, r.accountId, r.email ?? null, r.result]),
        [
          ['account', 'hooli-xyz', null, 'created'],
          ['account', 'hooli', null, 'created'],
          ['contact', 'hooli-xyz', 'gavin@hooli.example', 'created'],
          ['contact', 'hooli', 'richard@hooli.example', 'created'],
          ['contact', DEMO_ACCOUNTS.globex, 'hank@globex.example', 'created'],
        ],
      );
      assert.deepEqual(res.body.counts, { created: 5, updated: 0, unchanged: 0 });
      assert.equal((await service(h, 'GET', '/v1/service/accounts/hooli-xyz')).body.parentId, 'hooli');
      const gavin = await tokenFor('gavin@hooli.example', 'hooli-xyz');
      assert.equal((await h.call('GET', '/v1/me', { token: gavin })).body.contact.role, 'admin', 'the provisioned role, not the token’s');
    });

    it('is idempotent: the same batch again answers unchanged and writes no activity or outbox entry', async () => {
      const before = await state(h);
      const res = await service(h, 'POST', '/v1/service/sync', batch);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.counts, { created: 0, updated: 0, unchanged: 5 });
      assert.deepEqual(await state(h), before);
    });

    it('takes a full batch of 1,000 items even when its body exceeds the 256 KiB default request limit', async () => {
      const name = 'N'.repeat(110);
      const full = {
        accounts: [{ id: 'big-co', name: 'Big Co', domains: ['big-co.example'] }],
        contacts: Array.from({ length: 999 }, (_, i) => ({
          accountId: 'big-co',
          email: `person-number-${i}-${'m'.repeat(60)}@big-co.example`,
          name: `${name} ${i}`,
          role: 'member',
          locale: 'en-GB',
          active: true,
        })),
      };
      assert.ok(JSON.stringify(full).length > 256 * 1024, 'the batch is larger than the default limit');
      const res = await service(h, 'POST', '/v1/service/sync', full);
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
      assert.deepEqual(res.body.counts, { created: 1000, updated: 0, unchanged: 0 });
    });

    it('applies none of a batch with one bad item: 422 with per-item field errors', async () => {
      const before = await state(h);
      const bad = {
        accounts: [
          { id: 'fine-co', name: 'Fine Co' },
          { id: 'hooli', tier: 'gold' },
        ],
        contacts: [{ accountId: 'fine-co', email: 'ok@fine.example' }],
      };
      const shape = await service(h, 'POST', '/v1/service/sync', bad);
      assertProblem(shape, 422, 'validation_failed');
      assert.deepEqual(Object.keys(shape.body.fieldErrors), ['accounts.1.tier']);
      const rules = await service(h, 'POST', '/v1/service/sync', {
        accounts: [{ id: 'fine-co', name: 'Fine Co' }],
        contacts: [
          { accountId: 'fine-co', email: 'ok@fine.example' },
          { accountId: 'fine-co', email: 'odd@fine.example', role: 'x-nobody' },
          { accountId: 'ghost', email: 'boo@ghost.example' },
          { accountId: DEMO_ACCOUNTS.acme, email: 'richard@hooli.example' },
        ],
      });
      assertProblem(rules, 422, 'validation_failed');
      assert.deepEqual(Object.keys(rules.body.fieldErrors).sort(), ['contacts.1.role', 'contacts.2.accountId', 'contacts.3.email']);
      const tooMany = await service(h, 'POST', '/v1/service/sync', {
        contacts: Array.from({ length: 1001 }, (_, i) => ({ accountId: 'hooli', email: `u${i}@hooli.example` })),
      });
      assertProblem(tooMany, 422, 'validation_failed');
      assert.match(tooMany.body.fieldErrors.accounts[0], /At most 1000/);
      const conflict = await service(h, 'POST', '/v1/service/sync', { contacts: [{ accountId: DEMO_ACCOUNTS.acme, email: 'richard@hooli.example' }] });
      assertProblem(conflict, 409, 'contact_active_elsewhere');
      assert.deepEqual(await state(h), before);
    });
  });
}

function roleSuite(kind: StoreKind): void {
  describe(`vendor-defined roles on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    const FINANCE: RoleRules = {
      seesAll: false,
      seesOwn: true,
      seesShared: ['billing'],
      create: false,
      comment: true,
      manageContacts: false,
      childAccounts: false,
    };

    it('PUT /v1/service/roles/{name} defines (201) and redefines (200) a role; GET one and the table with the built-ins', async () => {
      const created = await service(h, 'PUT', '/v1/service/roles/finance', { description: 'Finance team', rules: FINANCE });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual([created.body.name, created.body.builtIn, created.body.version, created.headers.get('ETag')], ['finance', false, 1, '"r1"']);
      const same = await service(h, 'PUT', '/v1/service/roles/finance', { description: 'Finance team', rules: FINANCE });
      assert.deepEqual([same.status, same.body.version], [200, 1]);
      const table = await service(h, 'GET', '/v1/service/roles');
      assert.deepEqual(
        table.body.items.map((r: { name: string }) => r.name),
        ['admin', 'member', 'billing', 'requester', 'viewer', 'finance'],
      );
      assert.deepEqual((await service(h, 'GET', '/v1/service/roles/member')).body.rules.seesShared, true);
      assert.deepEqual((await service(h, 'GET', '/v1/service/roles/finance')).body.rules, FINANCE);
      assertProblem(await service(h, 'GET', '/v1/service/roles/nope'), 404, 'not_found');
    });

    it('refuses redefining a built-in role (409) and bad rules (422), changing nothing', async () => {
      const before = await state(h);
      assertProblem(await service(h, 'PUT', '/v1/service/roles/admin', { rules: FINANCE }), 409, 'built_in_role');
      const bad: [string, unknown, string][] = [
        ['/v1/service/roles/Finance', { rules: FINANCE }, 'name'],
        ['/v1/service/roles/finance', { rules: { ...FINANCE, seesShared: ['cooking'] } }, 'rules.seesShared'],
        ['/v1/service/roles/finance', { rules: { ...FINANCE, create: undefined } }, 'rules.create'],
        ['/v1/service/roles/finance', { rules: { ...FINANCE, superpowers: true } }, 'rules'],
        ['/v1/service/roles/finance', {}, 'rules'],
      ];
      for (const [path, body, field] of bad) {
        const res = await service(h, 'PUT', path, body);
        assertProblem(res, 422, 'validation_failed');
        assert.ok(
          Object.keys(res.body.fieldErrors).some((k) => k.startsWith(field)),
          `${JSON.stringify(body)} → ${JSON.stringify(res.body.fieldErrors)}`,
        );
      }
      assert.deepEqual(await state(h), before);
    });

    it('a contact holding a custom role gets its rule on the next request, and a redefinition on the one after', async () => {
      const val = h.seed.contacts.find((c) => c.id === DEMO_CONTACTS.val)!;
      const token = await h.token('val');
      assert.equal((await service(h, 'PUT', `/v1/service/accounts/${val.accountId}/contacts/${val.email}`, { role: 'finance' })).status, 200);
      const me = await h.call('GET', '/v1/me', { token });
      assert.equal(me.body.contact.role, 'finance');
      assert.deepEqual(me.body.rules, FINANCE);
      const actor: Actor = { contactId: val.id, accountId: val.accountId, role: 'finance', rules: FINANCE, childAccountIds: [] };
      assert.deepEqual(me.body.permissions, permissionsOf(actor));
      // A client evaluates the same rule from the session alone (the elements hide controls with it).
      assert.deepEqual(permissionsOf(actorOf(me.body)), me.body.permissions);
      const hidden = h.seed.tickets.find((t) => !canView(actor, { ...t, requesterId: t.requester.id }))!;
      assert.equal(canView(actorOf(me.body), { ...hidden, requesterId: hidden.requester.id }), false);
      const listed = (await walk(h, 'val', '/v1/tickets?limit=100')).ids.sort();
      const expected = (rules: RoleRules) =>
        h.seed.tickets
          .filter((t) => canView({ ...actor, rules }, { ...t, requesterId: t.requester.id }))
          .map((t) => t.id)
          .sort();
      assert.deepEqual(listed, expected(FINANCE));
      assert.ok(listed.length > 0);
      const wider: RoleRules = { ...FINANCE, seesShared: true };
      assert.equal((await service(h, 'PUT', '/v1/service/roles/finance', { rules: wider })).status, 200);
      assert.deepEqual((await walk(h, 'val', '/v1/tickets?limit=100')).ids.sort(), expected(wider));
    });

    it('isolation with generated roles: every list, ticket and comment read answers exactly what the rule allows', async () => {
      const contacts = h.seed.contacts.filter((c) => c.status === 'active');
      let n = 0;
      await fc.assert(
        fc.asyncProperty(roleRulesArb, fc.constantFrom(...contacts), async (rules, contact) => {
          const name = `x-gen-${n++}`;
          assert.equal((await service(h, 'PUT', `/v1/service/roles/${name}`, { rules })).status, 201);
          assert.equal((await service(h, 'PUT', `/v1/service/accounts/${contact.accountId}/contacts/${contact.email}`, { role: name })).status, 200);
          const token = await tokenFor(contact.email, contact.accountId);
          const children = rulesOf({ role: name, rules }).childAccounts ? h.seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id) : [];
          const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role: name, rules, childAccountIds: children };
          const visible = (t: Ticket) => canView(actor, { ...t, requesterId: t.requester.id });
          const views: Record<string, (t: Ticket) => boolean> = {
            account: () => true,
            mine: (t) => t.requester.id === contact.id,
            following: (t) => t.followerIds.includes(contact.id),
            unsolved: (t) => ['new', 'open', 'pending'].includes(t.status),
          };
          // Each view's count is its visible list's length: a count never reveals a hidden ticket.
          const counts = Object.fromEntries(Object.entries(views).map(([view, extra]) => [view, h.seed.tickets.filter((t) => visible(t) && extra(t)).length]));
          for (const [view, extra] of Object.entries(views)) {
            const listed = await h.call('GET', `/v1/tickets?view=${view}&limit=100&account=all&counts=true`, { token });
            assert.equal(listed.status, 200);
            const want = h.seed.tickets
              .filter((t) => visible(t) && extra(t))
              .map((t) => t.id)
              .sort();
            assert.deepEqual(listed.body.items.map((t: Ticket) => t.id).sort(), want, `${view} as ${JSON.stringify(rules)}`);
            assert.deepEqual(listed.body.counts, counts, `counts as ${JSON.stringify(rules)}`);
          }
          for (const t of h.seed.tickets) {
            const one = await h.call('GET', `/v1/tickets/${t.id}`, { token });
            assert.equal(one.status, visible(t) ? 200 : 404, `${t.ref} as ${JSON.stringify(rules)}`);
          }
          // The timeline: no entry about a ticket the rule hides; every visible stored entry is listed.
          const reach = [contact.accountId, ...children];
          const timeline: { id: string; ticketId: string | null; type: string }[] = [];
          for (let cursor: string | null = null, first = true; first || cursor; first = false) {
            const page: Res = await h.call('GET', `/v1/activity?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
            assert.equal(page.status, 200);
            timeline.push(...page.body.items);
            cursor = page.body.nextCursor;
          }
          const ticketsById = new Map(h.seed.tickets.map((t) => [t.id, t]));
          // Contact entries (invitations, role changes…) are for those who manage contacts (docs/contacts.md).
          const allowed = (a: { ticketId: string | null; accountId?: string; type: string }) =>
            a.ticketId ? visible(ticketsById.get(a.ticketId)!) : !a.type.startsWith('contact.') || rules.manageContacts;
          for (const a of timeline) assert.ok(allowed(a), `${a.type} of ${a.ticketId} leaked to ${JSON.stringify(rules)}`);
          const stored = (await h.store.listActivity(reach, { limit: 100_000 })).items.filter((a) => allowed(a) && !a.type.startsWith('sla.'));
          const onTimeline = new Set(timeline.map((a) => a.id));
          assert.deepEqual(
            stored.filter((a) => !onTimeline.has(a.id)).map((a) => a.type),
            [],
            'visible entries missing from the timeline',
          );
          const sample = h.seed.tickets[n % h.seed.tickets.length]!;
          const comment = await h.call('POST', `/v1/tickets/${sample.id}/comments`, { token, json: { body: 'Generated role says hi' } });
          assert.equal(comment.status, !visible(sample) ? 404 : rules.comment ? 201 : 403, `${sample.ref} comment as ${JSON.stringify(rules)}`);
        }),
        { numRuns: kind === 'memory' ? 40 : 12, seed: 4242 },
      );
    });
  });
}

for (const kind of ['memory', 'sqlite', 'postgres'] as const) {
  suite(kind);
  syncSuite(kind);
  roleSuite(kind);
}
