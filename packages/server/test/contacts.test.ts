/**
 * The contact manager's routes (issue 5), on the memory store and on SQLite: the admin list
 * and the directory every role gets, invitations, role changes with If-Match, the guards
 * (last active admin, self-lockout), deactivation with ticket transfer, and the outbox the
 * vendor reads.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContactSchema, OutboxEventSchema, PROBLEM_CONTENT_TYPE, ProblemSchema, UNSOLVED_STATUSES, type Contact } from '@portico/core';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_SERVICE_API_KEY, harness, type DemoKey, type Harness, type StoreKind } from './helpers.ts';

type Res = { status: number; headers: Headers; body: any };

function assertProblem(res: Res, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
}

const unsolved: readonly string[] = UNSOLVED_STATUSES;
const service = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };

/** Every contact of an account as the store holds it, minus "last seen" (the oracle of "nothing changed"). */
async function snapshot(h: Harness, accountId: string = DEMO_ACCOUNTS.acme): Promise<Omit<Contact, 'lastSeenAt'>[]> {
  return (await h.store.listContacts({ accountId, sort: 'name', dir: 'asc', offset: 0, limit: 1000 })).items.map(({ lastSeenAt: _seen, ...rest }) => rest);
}

async function activityTypes(h: Harness, accountId: string = DEMO_ACCOUNTS.acme): Promise<string[]> {
  return (await h.store.listActivity([accountId], { limit: 100 })).items.map((a) => a.type);
}

async function outbox(h: Harness, query = ''): Promise<any[]> {
  const res = await h.call('GET', `/v1/service/outbox${query}`, { headers: service });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items;
}

/** All contacts of a listing, following cursors. */
async function listAll(h: Harness, as: DemoKey, query: string): Promise<Contact[]> {
  const out: Contact[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res: Res = await h.call('GET', `/v1/contacts?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('paging does not end');
}

const names = (list: readonly Contact[]) => list.map((c) => c.name);

function contactSuite(kind: StoreKind): void {
  describe(`contacts on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    /** A fresh harness for tests that change data. */
    async function fresh(): Promise<Harness> {
      const x = await harness(kind);
      after(() => x.dispose());
      return x;
    }

    describe('GET /v1/contacts', () => {
      it('gives an admin every contact of the account with status, last seen, open tickets and version', async () => {
        const res = await h.call('GET', '/v1/contacts', { as: 'ada' });
        assert.equal(res.status, 200);
        const acme = h.seed.contacts.filter((c) => c.accountId === DEMO_ACCOUNTS.acme);
        assert.deepEqual(names(res.body.items), acme.map((c) => c.name).sort());
        for (const c of res.body.items as Contact[]) {
          assert.ok(ContactSchema.safeParse(c).success);
          const seeded = acme.find((s) => s.id === c.id)!;
          assert.equal(c.status, seeded.status);
          if (c.id !== DEMO_CONTACTS.ada) assert.equal(c.lastSeenAt, seeded.lastSeenAt);
          assert.equal(c.version, 1);
          const open = h.seed.tickets.filter((t) => t.requester.id === c.id && unsolved.includes(t.status)).length;
          assert.equal(c.openTicketCount, open, c.name);
        }
        assert.deepEqual((res.body.items as Contact[]).map((c) => c.status).sort(), [
          'active',
          'active',
          'active',
          'active',
          'active',
          'deactivated',
          'invited',
        ]);
      });

      it('gives every other role a directory of active colleagues only, without management data', async () => {
        const active = h.seed.contacts.filter((c) => c.accountId === DEMO_ACCOUNTS.acme && c.status === 'active');
        for (const key of ['mia', 'ben', 'jay', 'val'] as const) {
          const res = await h.call('GET', '/v1/contacts', { as: key });
          assert.equal(res.status, 200, key);
          assert.deepEqual(names(res.body.items), active.map((c) => c.name).sort(), key);
          for (const c of res.body.items) {
            assert.ok(ContactSchema.safeParse(c).success);
            assert.equal(c.lastSeenAt, null, 'last seen is not disclosed');
            assert.equal(c.version, undefined);
            assert.equal(c.openTicketCount, undefined);
            assert.equal(c.status, 'active');
          }
          // Asking for invited or deactivated people reveals nothing.
          const hidden = await h.call('GET', '/v1/contacts?status=invited,deactivated', { as: key });
          assert.deepEqual(hidden.body.items, []);
        }
        const search = await h.call('GET', '/v1/contacts?q=MIA', { as: 'jay' });
        assert.deepEqual(names(search.body.items), ['Mia Chen']);
      });

      it('keeps the directory inside the account and away from management sorts', async () => {
        assertProblem(await h.call('GET', `/v1/contacts?account=${DEMO_ACCOUNTS.globex}`, { as: 'mia' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', `/v1/contacts?account=${DEMO_ACCOUNTS.acmeEmea}`, { as: 'mia' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', `/v1/contacts?account=${DEMO_ACCOUNTS.acme}`, { as: 'emil' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', `/v1/contacts?account=${DEMO_ACCOUNTS.acme}`, { as: 'gus' }), 422, 'validation_failed');
        const sort = await h.call('GET', '/v1/contacts?sort=last_seen', { as: 'mia' });
        assertProblem(sort, 422, 'validation_failed');
        assert.ok(sort.body.fieldErrors.sort);
        const globex = await h.call('GET', '/v1/contacts', { as: 'pia' });
        assert.deepEqual(names(globex.body.items), ['Gus Hoffman', 'Pia Romano']);
      });

      it('filters by text, role and status', async () => {
        const cases: [string, string[]][] = [
          ['q=acme.example', ['Ada Okafor', 'Ben Carter', 'Dan Reyes', 'Ivy Brooks', 'Jay Morales', 'Mia Chen', 'Val Novak']],
          ['q=  okaf ', ['Ada Okafor']],
          ['q=BEN%40', ['Ben Carter']],
          ['role=member', ['Dan Reyes', 'Ivy Brooks', 'Mia Chen']],
          ['role=admin,viewer', ['Ada Okafor', 'Val Novak']],
          ['status=invited', ['Ivy Brooks']],
          ['status=deactivated,invited', ['Dan Reyes', 'Ivy Brooks']],
          ['role=member&status=active', ['Mia Chen']],
          ['q=nobody', []],
        ];
        for (const [query, want] of cases) assert.deepEqual(names(await listAll(h, 'ada', query)), want, query);
        const bad = await h.call('GET', '/v1/contacts?role=boss&status=gone&sort=age&dir=up', { as: 'ada' });
        assertProblem(bad, 422, 'validation_failed');
        assert.deepEqual(Object.keys(bad.body.fieldErrors).sort(), ['dir', 'role', 'sort', 'status']);
      });

      it('sorts by each key in both directions', async () => {
        const check = async (query: string, ok: (a: Contact, b: Contact) => boolean) => {
          const list = await listAll(h, 'ada', query);
          assert.equal(list.length, 7, query);
          for (let i = 1; i < list.length; i++) assert.ok(ok(list[i - 1]!, list[i]!), `${query}: ${list[i - 1]!.name} before ${list[i]!.name}`);
        };
        const rank = ['admin', 'member', 'billing', 'requester', 'viewer'];
        await check('sort=name', (a, b) => a.name.toLowerCase() <= b.name.toLowerCase());
        await check('sort=name&dir=desc', (a, b) => a.name.toLowerCase() >= b.name.toLowerCase());
        await check('sort=email&dir=desc', (a, b) => a.email >= b.email);
        await check('sort=role', (a, b) => rank.indexOf(a.role) <= rank.indexOf(b.role));
        await check('sort=open_tickets&dir=desc', (a, b) => a.openTicketCount! >= b.openTicketCount!);
        await check('sort=created', (a, b) => a.createdAt <= b.createdAt);
        // Never-seen contacts (invited) come last in both directions.
        for (const dir of ['asc', 'desc']) {
          const list = await listAll(h, 'ada', `sort=last_seen&dir=${dir}`);
          assert.equal(list.at(-1)!.name, 'Ivy Brooks', dir);
          const seen = list.slice(0, -1).map((c) => c.lastSeenAt!);
          assert.deepEqual(seen, [...seen].sort()[dir === 'asc' ? 'slice' : 'reverse']());
        }
      });

      it('pages with cursors: every contact exactly once; a cursor of another sort is refused', async () => {
        const paged = await listAll(h, 'ada', 'limit=2&sort=role&dir=desc');
        const whole = await listAll(h, 'ada', 'limit=100&sort=role&dir=desc');
        assert.deepEqual(
          paged.map((c) => c.id),
          whole.map((c) => c.id),
        );
        const first = await h.call('GET', '/v1/contacts?limit=2', { as: 'ada' });
        assert.ok(first.body.nextCursor);
        assertProblem(await h.call('GET', `/v1/contacts?sort=email&cursor=${first.body.nextCursor}`, { as: 'ada' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', '/v1/contacts?cursor=garbage', { as: 'ada' }), 422, 'validation_failed');
        assertProblem(await h.call('GET', '/v1/contacts?limit=101', { as: 'ada' }), 422, 'validation_failed');
      });

      it("lets a parent account's admin list a child account's contacts", async () => {
        const emea = await h.call('GET', `/v1/contacts?account=${DEMO_ACCOUNTS.acmeEmea}`, { as: 'ada' });
        assert.equal(emea.status, 200);
        assert.deepEqual(names(emea.body.items), ['Emil Berg', 'Noor Haddad']);
        assert.ok(emea.body.items.every((c: Contact) => c.version === 1 && c.openTicketCount !== undefined));
      });

      it('GET /v1/contacts/{id}: full with ETag for admins, a directory entry for colleagues, 404 otherwise', async () => {
        const full = await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada' });
        assert.equal(full.status, 200);
        assert.equal(full.headers.get('ETag'), '"c1"');
        assert.equal(full.body.openTicketCount, h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay && unsolved.includes(t.status)).length);
        const entry = await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'mia' });
        assert.equal(entry.status, 200);
        assert.equal(entry.body.lastSeenAt, null);
        assert.equal(entry.body.openTicketCount, undefined);
        assertProblem(await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.ivy}`, { as: 'mia' }), 404, 'not_found');
        assertProblem(await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'pia' }), 404, 'not_found');
        assertProblem(await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'emil' }), 404, 'not_found');
        assert.equal((await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.noor}`, { as: 'ada' })).status, 200);
      });
    });

    describe('POST /v1/contacts (invite)', () => {
      it('invites with the least-privilege role by default, records activity and tells the vendor', async () => {
        const h = await fresh();
        const res = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: '  Zoe.Lang@ACME.example ' } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.email, 'zoe.lang@acme.example');
        assert.equal(res.body.name, 'zoe.lang');
        assert.equal(res.body.role, 'requester');
        assert.equal(res.body.status, 'invited');
        assert.equal(res.body.lastSeenAt, null);
        assert.equal(res.headers.get('ETag'), '"c1"');
        assert.equal(res.headers.get('Location'), `/v1/contacts/${res.body.id}`);

        const [entry] = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 })).items;
        assert.equal(entry!.type, 'contact.invited');
        assert.deepEqual(entry!.actor, { kind: 'contact', id: DEMO_CONTACTS.ada, name: 'Ada Okafor' });
        assert.equal(entry!.contactId, res.body.id);
        assert.deepEqual(entry!.data, { contact: { id: res.body.id, name: 'zoe.lang', email: 'zoe.lang@acme.example' }, role: 'requester' });

        const events = await outbox(h);
        assert.equal(events.length, 1);
        assert.ok(OutboxEventSchema.safeParse(events[0]).success);
        assert.equal(events[0].type, 'contact.invited');
        assert.equal(events[0].sequence, 1);
        assert.deepEqual(events[0].data.contact, { id: res.body.id, email: 'zoe.lang@acme.example', name: 'zoe.lang', role: 'requester', status: 'invited' });
        assert.deepEqual(events[0].data.account, { id: DEMO_ACCOUNTS.acme, name: 'Acme Corp' });
        assert.equal(events[0].data.invitedBy.id, DEMO_CONTACTS.ada);
        assert.equal(events[0].data.resent, false);

        // The invitee becomes active on their first verified token, with the invited role.
        const token = await mintToken(
          { email: 'zoe.lang@acme.example', account: DEMO_ACCOUNTS.acme, name: 'Zoe Lang', role: 'admin' },
          { secret: DEMO_JWT_SECRET, now: h.clock.now },
        );
        const me = await h.call('GET', '/v1/me', { token });
        assert.equal(me.status, 200);
        assert.equal(me.body.contact.id, res.body.id);
        assert.equal(me.body.contact.status, 'active');
        assert.equal(me.body.contact.role, 'requester', 'the token cannot raise an invited role');
      });

      it('answers 422 with field errors for a bad email or an unknown role, and writes nothing', async () => {
        const h = await fresh();
        const before = await snapshot(h);
        for (const json of [
          { email: 'not-an-email', role: 'boss' },
          { email: 'a b@acme.example', role: 'owner' },
          { email: '', role: 42 },
        ]) {
          const res = await h.call('POST', '/v1/contacts', { as: 'ada', json });
          assertProblem(res, 422, 'validation_failed');
          assert.ok(res.body.fieldErrors.email?.[0], JSON.stringify(json));
          assert.ok(res.body.fieldErrors.role?.[0], JSON.stringify(json));
        }
        const long = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: `${'x'.repeat(250)}@acme.example` } });
        assert.match(long.body.fieldErrors.email[0], /at most 254/);
        assert.deepEqual(await snapshot(h), before);
        assert.deepEqual(await outbox(h), []);
      });

      it('needs an explicit confirmation for an address outside the account domains', async () => {
        const h = await fresh();
        const res = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'sam@freelance.example', role: 'member' } });
        assertProblem(res, 422, 'external_email_unconfirmed');
        assert.match(res.body.fieldErrors.email[0], /freelance\.example is outside Acme Corp's domains \(acme\.example\)/);
        assert.equal((await snapshot(h)).length, 7);
        const confirmed = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'sam@freelance.example', role: 'member', confirmExternal: true } });
        assert.equal(confirmed.status, 201);
        // Invited, the outsider can sign in although the domain would not auto-join.
        const token = await mintToken(
          { email: 'sam@freelance.example', account: DEMO_ACCOUNTS.acme, name: 'Sam' },
          { secret: DEMO_JWT_SECRET, now: h.clock.now },
        );
        const me = await h.call('GET', '/v1/me', { token });
        assert.equal(me.status, 200);
        assert.equal(me.body.contact.role, 'member');
        const stranger = await mintToken({ email: 'eve@freelance.example', account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET, now: h.clock.now });
        assert.equal((await h.call('GET', '/v1/me', { token: stranger })).status, 401);
      });

      it('refuses an email that is already a contact, with a hint per status', async () => {
        const cases: [string, RegExp][] = [
          ['MIA@acme.example', /already a contact \(Member\)/],
          ['ivy@acme.example', /resend the invitation/],
          ['dan@acme.example', /reactivate them/],
        ];
        for (const [email, hint] of cases) {
          const res = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email } });
          assertProblem(res, 409, 'contact_exists');
          assert.match(res.body.detail, hint);
        }
      });

      it('replays a retried invite with the same Idempotency-Key instead of inviting twice', async () => {
        const h = await fresh();
        const init = { as: 'ada' as const, json: { email: 'kim@acme.example', role: 'member' }, headers: { 'Idempotency-Key': 'invite-kim-1' } };
        const first = await h.call('POST', '/v1/contacts', init);
        const second = await h.call('POST', '/v1/contacts', init);
        assert.equal(first.status, 201);
        assert.equal(second.status, 201);
        assert.equal(second.headers.get('Idempotency-Replayed'), 'true');
        assert.deepEqual(second.body, first.body);
        assert.equal((await snapshot(h)).filter((c) => c.email === 'kim@acme.example').length, 1);
        assert.equal((await outbox(h)).length, 1);
        const other = await h.call('POST', '/v1/contacts', { ...init, json: { email: 'kim@acme.example', role: 'admin' } });
        assertProblem(other, 422, 'idempotency_conflict');
      });

      it('refuses invitations from non-admins (403) and into accounts the admin does not manage', async () => {
        const h = await fresh();
        for (const key of ['mia', 'ben', 'jay', 'val'] as const) {
          assertProblem(await h.call('POST', '/v1/contacts', { as: key, json: { email: `new-${key}@acme.example` } }), 403, 'forbidden');
        }
        const foreign = await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'x@globex.example', accountId: DEMO_ACCOUNTS.globex } });
        assertProblem(foreign, 422, 'validation_failed');
        assert.ok(foreign.body.fieldErrors.accountId);
        assertProblem(
          await h.call('POST', '/v1/contacts', { as: 'emil', json: { email: 'x@acme.example', accountId: DEMO_ACCOUNTS.acme } }),
          422,
          'validation_failed',
        );
        assert.equal((await snapshot(h)).length, 7);
        assert.deepEqual(await outbox(h), []);

        const child = await h.call('POST', '/v1/contacts', {
          as: 'ada',
          json: { email: 'olga@acme-emea.example', accountId: DEMO_ACCOUNTS.acmeEmea, role: 'member' },
        });
        assert.equal(child.status, 201);
        assert.equal(child.body.accountId, DEMO_ACCOUNTS.acmeEmea);
        assert.equal((await h.store.listActivity([DEMO_ACCOUNTS.acmeEmea], { limit: 1 })).items[0]!.actor.id, DEMO_CONTACTS.ada);
      });
    });

    describe('PATCH /v1/contacts/{id} (role)', () => {
      it('changes a role with a matching If-Match, bumps the ETag and records before → after', async () => {
        const h = await fresh();
        const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'admin' }, headers: { 'If-Match': '"c1"' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.role, 'admin');
        assert.equal(res.body.version, 2);
        assert.equal(res.headers.get('ETag'), '"c2"');
        const [entry] = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 })).items;
        assert.equal(entry!.type, 'contact.role_changed');
        assert.equal(entry!.contactId, DEMO_CONTACTS.mia);
        assert.equal(entry!.actor.id, DEMO_CONTACTS.ada);
        assert.deepEqual([entry!.data.from, entry!.data.to], ['member', 'admin']);
        const [event] = await outbox(h, '?type=contact.role_changed');
        assert.deepEqual([event.data.from, event.data.to, event.data.contact.id], ['member', 'admin', DEMO_CONTACTS.mia]);
        // Her very next request carries the new role.
        const me = await h.call('GET', '/v1/me', { as: 'mia' });
        assert.equal(me.body.permissions['contact.manage'], true);
        // The same role again is a no-op: no version bump, no activity.
        const again = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'admin' } });
        assert.equal(again.body.version, 2);
        assert.equal((await activityTypes(h)).filter((t) => t === 'contact.role_changed').length, 1);
      });

      it('answers 412 with the current ETag when another admin changed the contact first, and keeps their change', async () => {
        const h = await fresh();
        await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'admin' } });
        // Mia (now admin) sets Jay to billing; Ada still has Jay at version 1.
        const theirs = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'mia', json: { role: 'billing' }, headers: { 'If-Match': '"c1"' } });
        assert.equal(theirs.status, 200);
        const stale = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json: { role: 'viewer' }, headers: { 'If-Match': '"c1"' } });
        assertProblem(stale, 412, 'precondition_failed');
        assert.equal(stale.headers.get('ETag'), '"c2"');
        assert.match(stale.body.detail, /Jay Morales was changed by someone else.*It is now Billing, active/);
        assert.equal((await h.store.getContact(DEMO_CONTACTS.jay))!.role, 'billing');
        for (const bad of ['"v2"', 'c2', '"c2', '"cx"']) {
          assertProblem(
            await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json: { role: 'viewer' }, headers: { 'If-Match': bad } }),
            412,
            'precondition_failed',
          );
        }
        const weak = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json: { role: 'viewer' }, headers: { 'If-Match': 'W/"c2"' } });
        assert.equal(weak.status, 200);
      });

      it('does not move the ETag when a contact is merely seen', async () => {
        const h = await fresh();
        h.clock.now = new Date(h.clock.now.getTime() + 5 * 60_000);
        await h.call('GET', '/v1/me', { as: 'jay' });
        const jay = await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada' });
        assert.equal(jay.body.lastSeenAt, h.clock.now.toISOString());
        assert.equal(jay.headers.get('ETag'), '"c1"');
      });

      it('answers 422 for an unknown role or an empty change', async () => {
        for (const json of [{ role: 'superuser' }, {}, { status: 'deactivated' }]) {
          const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json });
          assertProblem(res, 422, 'validation_failed');
          assert.ok(Object.keys(res.body.fieldErrors).length > 0, JSON.stringify(json));
        }
        assert.equal((await h.store.getContact(DEMO_CONTACTS.jay))!.role, 'requester');
      });

      it('refuses management calls from every non-admin role (403) and changes nothing', async () => {
        const before = await snapshot(h);
        for (const key of ['mia', 'ben', 'jay', 'val'] as const) {
          assertProblem(await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: key, json: { role: 'admin' } }), 403, 'forbidden');
          assertProblem(await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS[key]}`, { as: key, json: { role: 'admin' } }), 403, 'forbidden');
          assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.ada}`, { as: key }), 403, 'forbidden');
          assertProblem(await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.ivy}/invitation`, { as: key }), 403, 'forbidden');
          assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.ivy}/invitation`, { as: key }), 403, 'forbidden');
          assertProblem(await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.jay}/transfer`, { as: key, json: { to: DEMO_CONTACTS.mia } }), 403, 'forbidden');
        }
        assert.deepEqual(await snapshot(h), before);
      });

      it('answers 404 for a contact of an account the admin does not manage', async () => {
        assertProblem(await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'gus', json: { role: 'viewer' } }), 404, 'not_found');
        assertProblem(await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'emil', json: { role: 'viewer' } }), 404, 'not_found');
        assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.pia}`, { as: 'ada' }), 404, 'not_found');
        assertProblem(await h.call('PATCH', '/v1/contacts/con_nobody', { as: 'ada', json: { role: 'viewer' } }), 404, 'not_found');
      });

      it('an admin cannot demote themselves (409 self_lockout)', async () => {
        const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.ada}`, { as: 'ada', json: { role: 'member' } });
        assertProblem(res, 409, 'self_lockout');
        assert.match(res.body.detail, /own admin role/);
        assert.equal((await h.store.getContact(DEMO_CONTACTS.ada))!.role, 'admin');
      });

      it('keeps at least one active admin (409 last_admin), also against two admins demoting each other at once', async () => {
        const h = await fresh();
        // Ada administers the child account EMEA, whose only admin is Emil.
        const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.emil}`, { as: 'ada', json: { role: 'member' } });
        assertProblem(res, 409, 'last_admin');
        assert.match(res.body.detail, /Emil Berg is the account's only active admin/);
        assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.emil}`, { as: 'ada' }), 409, 'last_admin');
        assert.equal((await h.store.getContact(DEMO_CONTACTS.emil))!.role, 'admin');

        await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'admin' } });
        const [a, b] = await Promise.all([
          h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.mia}`, { as: 'ada', json: { role: 'member' } }),
          h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.ada}`, { as: 'mia', json: { role: 'member' } }),
        ]);
        // Whoever loses is refused: by the guard (409), or as a member already (403).
        assert.equal([a, b].filter((r) => r.status === 200).length, 1, JSON.stringify([a.body, b.body]));
        assert.ok([a, b].some((r) => r.status === 409 || r.status === 403));
        assert.equal(await h.store.countActiveAdmins(DEMO_ACCOUNTS.acme), 1);
      });

      it('reactivates a deactivated contact; an invited one cannot be forced active', async () => {
        const h = await fresh();
        assert.equal((await h.call('GET', '/v1/me', { as: 'dan' })).status, 401);
        const res = await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.dan}`, { as: 'ada', json: { status: 'active' } });
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'active');
        assert.equal((await h.call('GET', '/v1/me', { as: 'dan' })).status, 200);
        assert.equal((await activityTypes(h))[0], 'contact.reactivated');
        assertProblem(await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.ivy}`, { as: 'ada', json: { status: 'active' } }), 409, 'conflict');
      });
    });

    describe('DELETE /v1/contacts/{id} (deactivate)', () => {
      it("revokes access at once: the contact's unexpired token gets 401 on the very next request", async () => {
        const h = await fresh();
        const token = await h.token('jay', {}, { ttlSeconds: 3600 });
        assert.equal((await h.call('GET', '/v1/tickets', { token })).status, 200);
        const res = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.contact.status, 'deactivated');
        assert.deepEqual(res.body.transferred, []);
        for (const [method, path] of [
          ['GET', '/v1/me'],
          ['GET', '/v1/tickets'],
          ['GET', '/v1/contacts'],
          ['GET', '/v1/tickets/tkt_1002'],
        ] as const) {
          const again = await h.call(method, path, { token });
          assertProblem(again, 401, 'unauthorized');
          assert.match(again.body.detail, /deactivated/);
        }
        assertProblem(
          await h.call('POST', '/v1/tickets', { token, json: { subject: 'Still here?', description: 'x', category: 'technical' } }),
          401,
          'unauthorized',
        );
        // Tickets and comments stay, still his.
        const mine = h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay);
        for (const t of mine) assert.equal((await h.store.getTicket(t.id))!.requester.id, DEMO_CONTACTS.jay);
        const comments = await h.store.listComments('tkt_1016', { limit: 100 });
        assert.ok(comments.items.some((c) => c.author.id === DEMO_CONTACTS.jay));
        const [entry] = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 })).items;
        assert.equal(entry!.type, 'contact.deactivated');
        assert.deepEqual([entry!.data.from, entry!.data.to, entry!.data.transferredTickets], ['active', 'deactivated', 0]);
        assert.equal((await outbox(h, '?type=contact.deactivated'))[0].data.contact.id, DEMO_CONTACTS.jay);
        // Deactivating again is harmless and writes nothing new.
        const count = (await activityTypes(h)).length;
        assert.equal((await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada' })).status, 200);
        assert.equal((await activityTypes(h)).length, count);
      });

      it('hands the unsolved tickets to a colleague in the same transaction, leaving solved ones', async () => {
        const h = await fresh();
        const jays = h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay);
        const open = jays.filter((t) => unsolved.includes(t.status));
        assert.ok(open.length > 0 && open.length < jays.length);
        const res = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}?transferTo=${DEMO_CONTACTS.mia}`, { as: 'ada' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body.transferred.map((t: { id: string }) => t.id).sort(), open.map((t) => t.id).sort());
        for (const t of jays) {
          const now = (await h.store.getTicket(t.id))!;
          assert.equal(now.requester.id, unsolved.includes(t.status) ? DEMO_CONTACTS.mia : DEMO_CONTACTS.jay, t.ref);
          if (unsolved.includes(t.status)) assert.equal(now.version, t.version + 1);
        }
        const types = await activityTypes(h);
        assert.equal(types.filter((t) => t === 'ticket.requester_changed').length, open.length);
        const moved = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 100 })).items.find((a) => a.type === 'ticket.requester_changed')!;
        assert.deepEqual(
          [moved.data.from, moved.data.to],
          [
            { id: DEMO_CONTACTS.jay, name: 'Jay Morales', email: 'jay@acme.example' },
            { id: DEMO_CONTACTS.mia, name: 'Mia Chen', email: 'mia@acme.example' },
          ],
        );
        const deactivated = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 100 })).items.find((a) => a.type === 'contact.deactivated')!;
        assert.equal(deactivated.data.transferredTickets, open.length);
        // Mia now sees them as hers.
        const mine = await h.call('GET', '/v1/tickets?view=mine&limit=100', { as: 'mia' });
        for (const t of open)
          assert.ok(
            mine.body.items.some((x: { id: string }) => x.id === t.id),
            t.ref,
          );
        const list = await h.call('GET', '/v1/contacts?q=mia', { as: 'ada' });
        assert.equal(
          list.body.items[0].openTicketCount,
          h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.mia && unsolved.includes(t.status)).length + open.length,
        );
      });

      it('refuses a bad transfer target with 422 and then deactivates nobody', async () => {
        const h = await fresh();
        const before = await snapshot(h);
        for (const to of [DEMO_CONTACTS.dan, DEMO_CONTACTS.ivy, DEMO_CONTACTS.jay, DEMO_CONTACTS.pia, DEMO_CONTACTS.noor, 'con_nobody']) {
          const res = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}?transferTo=${to}`, { as: 'ada' });
          assertProblem(res, 422, 'validation_failed');
          assert.ok(res.body.fieldErrors.transferTo, to);
        }
        assert.deepEqual(await snapshot(h), before);
        assert.equal((await h.call('GET', '/v1/me', { as: 'jay' })).status, 200);
      });

      it('an admin cannot deactivate themselves (409 self_lockout); the last admin cannot go (409 last_admin)', async () => {
        const res = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.ada}`, { as: 'ada' });
        assertProblem(res, 409, 'self_lockout');
        assert.equal((await h.call('GET', '/v1/me', { as: 'ada' })).status, 200);
        const gus = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.gus}`, { as: 'gus' });
        assertProblem(gus, 409, 'self_lockout');
      });

      it('checks If-Match on deactivation too', async () => {
        const h = await fresh();
        await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', json: { role: 'member' } });
        assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', headers: { 'If-Match': '"c1"' } }), 412, 'precondition_failed');
        assert.equal((await h.store.getContact(DEMO_CONTACTS.jay))!.status, 'active');
        assert.equal((await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada', headers: { 'If-Match': '"c2"' } })).status, 200);
      });
    });

    describe('transfer, resend and revoke', () => {
      it('transfers the unsolved tickets of a contact deactivated earlier', async () => {
        const h = await fresh();
        await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.jay}`, { as: 'ada' });
        const bad = await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.jay}/transfer`, { as: 'ada', json: { to: DEMO_CONTACTS.dan } });
        assertProblem(bad, 422, 'validation_failed');
        assert.ok(bad.body.fieldErrors.to);
        assertProblem(await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.jay}/transfer`, { as: 'ada', json: {} }), 422, 'validation_failed');
        const res = await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.jay}/transfer`, { as: 'ada', json: { to: DEMO_CONTACTS.ben } });
        assert.equal(res.status, 200);
        const open = h.seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay && unsolved.includes(t.status));
        assert.equal(res.body.transferred.length, open.length);
        assert.equal(res.body.contact.openTicketCount, 0);
        assert.equal(res.body.contact.status, 'deactivated');
        const again = await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.jay}/transfer`, { as: 'ada', json: { to: DEMO_CONTACTS.ben } });
        assert.deepEqual(again.body.transferred, []);
      });

      it('resends a pending invitation (activity + outbox) and refuses for anyone else', async () => {
        const h = await fresh();
        const res = await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.ivy}/invitation`, { as: 'ada' });
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'invited');
        assert.equal((await activityTypes(h))[0], 'contact.invitation_resent');
        const [event] = await outbox(h);
        assert.equal(event.type, 'contact.invited');
        assert.equal(event.data.resent, true);
        assert.equal(event.data.contact.email, 'ivy@acme.example');
        const active = await h.call('POST', `/v1/contacts/${DEMO_CONTACTS.mia}/invitation`, { as: 'ada' });
        assertProblem(active, 409, 'invitation_not_pending');
        assert.match(active.body.detail, /Mia Chen has no pending invitation/);
      });

      it('revokes a pending invitation: the contact disappears, the record stays in activity', async () => {
        const h = await fresh();
        const res = await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.ivy}/invitation`, { as: 'ada' });
        assert.equal(res.status, 204);
        assert.ok(!(await snapshot(h)).some((c) => c.id === DEMO_CONTACTS.ivy));
        assertProblem(await h.call('GET', `/v1/contacts/${DEMO_CONTACTS.ivy}`, { as: 'ada' }), 404, 'not_found');
        const [entry] = (await h.store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 })).items;
        assert.equal(entry!.type, 'contact.invitation_revoked');
        assert.equal(entry!.contactId, null);
        assert.equal((entry!.data.contact as { email: string }).email, 'ivy@acme.example');
        assert.equal((await outbox(h))[0].type, 'contact.invitation_revoked');
        assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.mia}/invitation`, { as: 'ada' }), 409, 'invitation_not_pending');
        // The address can be invited again.
        assert.equal((await h.call('POST', '/v1/contacts', { as: 'ada', json: { email: 'ivy@acme.example', role: 'viewer' } })).status, 201);
      });

      it('revoking an invitation someone already accepted is refused, not silently applied', async () => {
        const h = await fresh();
        await h.call('GET', '/v1/me', { as: 'ivy' });
        assertProblem(await h.call('DELETE', `/v1/contacts/${DEMO_CONTACTS.ivy}/invitation`, { as: 'ada' }), 409, 'invitation_not_pending');
        assert.equal((await h.store.getContact(DEMO_CONTACTS.ivy))!.status, 'active');
      });
    });

    describe('GET /v1/service/outbox', () => {
      it('is for the vendor only, reads on after a sequence number and filters by type', async () => {
        const h = await fresh();
        assertProblem(await h.call('GET', '/v1/service/outbox'), 401, 'unauthorized');
        assertProblem(await h.call('GET', '/v1/service/outbox', { as: 'ada' }), 401, 'unauthorized');
        for (const email of ['a1@acme.example', 'a2@acme.example', 'a3@acme.example']) {
          await h.call('POST', '/v1/contacts', { as: 'ada', json: { email } });
        }
        await h.call('PATCH', `/v1/contacts/${DEMO_CONTACTS.val}`, { as: 'ada', json: { role: 'member' } });
        const first = await h.call('GET', '/v1/service/outbox?limit=2', { headers: service });
        assert.deepEqual(
          first.body.items.map((e: { sequence: number }) => e.sequence),
          [1, 2],
        );
        assert.equal(first.body.lastSequence, 2);
        assert.equal(first.body.hasMore, true);
        const rest = await h.call('GET', `/v1/service/outbox?after=${first.body.lastSequence}`, { headers: service });
        assert.deepEqual(
          rest.body.items.map((e: { type: string }) => e.type),
          ['contact.invited', 'contact.role_changed'],
        );
        assert.equal(rest.body.hasMore, false);
        const caughtUp = await h.call('GET', `/v1/service/outbox?after=${rest.body.lastSequence}`, { headers: service });
        assert.deepEqual(caughtUp.body, { items: [], lastSequence: 4, hasMore: false });
        const invites = await outbox(h, '?type=contact.invited');
        assert.deepEqual(
          invites.map((e) => e.data.contact.email),
          ['a1@acme.example', 'a2@acme.example', 'a3@acme.example'],
        );
        const bad = await h.call('GET', '/v1/service/outbox?after=-1&type=ticket.exploded', { headers: service });
        assertProblem(bad, 422, 'validation_failed');
        assert.deepEqual(Object.keys(bad.body.fieldErrors).sort(), ['after', 'type']);
      });
    });
  });
}

contactSuite('memory');
contactSuite('sqlite');
contactSuite('postgres');
