/**
 * Provisioning conformance: every store applies account and contact batches all or nothing,
 * writes only what changed (with its activity and outbox entries), refuses cycles and emails
 * active elsewhere, pages accounts and contacts the same way, and keeps vendor roles.
 * The expectations are written here from the documented rules, never taken from another store.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, RoleRules } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, type ProvisioningBatch, type Store } from '@portico/server';
import type { FeatureCases } from './index.ts';

const NOW = '2026-03-02T10:00:00.000Z';
const LATER = '2026-03-02T11:00:00.000Z';
const ACTOR = { kind: 'system' as const, id: 'service', name: 'Provisioning' };

const batch = (parts: Partial<Pick<ProvisioningBatch, 'accounts' | 'contacts'>>, now = NOW): ProvisioningBatch => ({
  accounts: parts.accounts ?? [],
  contacts: parts.contacts ?? [],
  actor: ACTOR,
  now,
});

/** Everything a refused write must leave as it was. */
async function snapshot(store: Store, accountIds: readonly string[]) {
  return {
    accounts: await Promise.all(accountIds.map((id) => store.getAccount(id))),
    outbox: await store.listOutbox({ after: 0, limit: 10_000 }),
    activity: await store.activityHead(),
    contacts: await Promise.all(accountIds.map(async (id) => (await store.listAccountContacts(id, { limit: 1000 })).items)),
  };
}

const VIEW_BILLING: RoleRules = {
  seesAll: false,
  seesOwn: true,
  seesShared: ['billing', 'account'],
  create: true,
  comment: false,
  manageContacts: false,
  childAccounts: false,
};

export const provisioningCases: FeatureCases = (seeded) => {
  it('provisioning: a batch creates accounts (child before parent in the request) and contacts, then the same batch changes nothing', async () => {
    const { store } = await seeded();
    try {
      const outboxBefore = (await store.listOutbox({ after: 0, limit: 10_000 })).length;
      const request = batch({
        accounts: [
          { id: 'v-child', name: 'Initech Berlin', parentId: 'v-root', domains: ['initech.de'] },
          { id: 'v-root', name: 'Initech', tier: 'premier', domains: ['initech.example'], defaultVisibility: 'account' },
        ],
        contacts: [
          { accountId: 'v-root', email: 'peter@initech.example', name: 'Peter', role: 'admin', locale: 'en-US' },
          { accountId: 'v-child', email: 'milton@initech.de' },
        ],
      });
      const first = await store.provision(request);
      assert.ok(first.ok);
      assert.deepEqual(
        first.results.map((r) => [r.kind, r.result]),
        [
          ['account', 'created'],
          ['account', 'created'],
          ['contact', 'created'],
          ['contact', 'created'],
        ],
      );
      const root = (await store.getAccount('v-root'))!;
      assert.deepEqual(root, {
        id: 'v-root',
        name: 'Initech',
        domains: ['initech.example'],
        tier: 'premier',
        parentId: null,
        defaultVisibility: 'account',
        status: 'active',
        slaPolicy: null,
        updatedAt: NOW,
        version: 1,
      });
      assert.equal((await store.getAccount('v-child'))!.parentId, 'v-root');
      assert.deepEqual(
        (await store.listChildAccounts('v-root')).map((a) => a.id),
        ['v-child'],
      );
      const milton = (await store.findContactByEmail('v-child', 'milton@initech.de'))!;
      assert.equal(milton.name, 'milton', 'the name defaults to the part before the @');
      assert.equal(milton.role, 'requester');
      assert.equal(milton.status, 'active');
      const peter = (await store.findContactByEmail('v-root', 'peter@initech.example'))!;
      assert.equal(peter.locale, 'en-US');
      const outbox = (await store.listOutbox({ after: 0, limit: 10_000 })).slice(outboxBefore);
      assert.deepEqual(outbox.map((e) => e.type).sort(), ['account.created', 'account.created', 'contact.created', 'contact.created']);
      const created = await store.searchActivity({ scope: [], accountIds: ['v-root', 'v-child'], filter: { types: ['contact.created'] }, limit: 10 });
      assert.equal(created.items.length, 2);

      const head = await store.activityHead();
      const again = await store.provision(batch(request, LATER));
      assert.ok(again.ok);
      assert.ok(
        again.results.every((r) => r.result === 'unchanged'),
        'the same batch twice changes nothing',
      );
      assert.equal((await store.listOutbox({ after: 0, limit: 10_000 })).length, outboxBefore + 4, 'no new outbox events');
      assert.equal(await store.activityHead(), head, 'no new activity');
      assert.deepEqual(await store.getAccount('v-root'), root, 'updatedAt and version stay');
    } finally {
      await store.close();
    }
  });

  it('provisioning: one bad item refuses the whole batch and writes nothing', async () => {
    const { store } = await seeded();
    try {
      const before = await snapshot(store, [DEMO_ACCOUNTS.acme, 'v-new']);
      const refused = await store.provision(
        batch({
          accounts: [
            { id: 'v-new', name: 'New' },
            { id: DEMO_ACCOUNTS.acme, tier: 'standard' },
          ],
          contacts: [
            { accountId: DEMO_ACCOUNTS.acme, email: 'fresh@acme.example', name: 'Fresh' },
            { accountId: DEMO_ACCOUNTS.acme, email: 'odd@acme.example', role: 'x-nobody-defined-this' },
            { accountId: 'v-missing', email: 'lost@nowhere.example' },
          ],
        }),
      );
      assert.equal(refused.ok, false);
      assert.ok(!refused.ok);
      assert.deepEqual(
        refused.failures.map((f) => [f.kind, f.index, f.field, f.reason]),
        [
          ['contact', 1, 'role', 'invalid'],
          ['contact', 2, 'accountId', 'not_found'],
        ],
      );
      assert.deepEqual(await snapshot(store, [DEMO_ACCOUNTS.acme, 'v-new']), before);
    } finally {
      await store.close();
    }
  });

  it('provisioning: parents may nest at any depth but never in a cycle; a missing parent is refused', async () => {
    const { store } = await seeded();
    try {
      // acme → acme-emea exists; make a grandchild, then try to hang acme under it.
      assert.ok((await store.provision(batch({ accounts: [{ id: 'v-grandchild', name: 'Acme EMEA Paris', parentId: DEMO_ACCOUNTS.acmeEmea }] }))).ok);
      const before = await snapshot(store, [DEMO_ACCOUNTS.acme, 'v-grandchild']);
      const cycle = await store.provision(batch({ accounts: [{ id: DEMO_ACCOUNTS.acme, parentId: 'v-grandchild' }] }));
      assert.ok(!cycle.ok);
      assert.equal(cycle.failures[0]!.field, 'parentId');
      assert.match(cycle.failures[0]!.message, /cycle/);
      const self = await store.provision(batch({ accounts: [{ id: 'v-grandchild', parentId: 'v-grandchild' }] }));
      assert.ok(!self.ok);
      const twoStep = await store.provision(
        batch({
          accounts: [
            { id: 'v-a', name: 'A', parentId: 'v-b' },
            { id: 'v-b', name: 'B', parentId: 'v-a' },
          ],
        }),
      );
      assert.ok(!twoStep.ok, 'a cycle made inside one batch is refused too');
      const orphan = await store.provision(batch({ accounts: [{ id: 'v-orphan', name: 'O', parentId: 'v-nowhere' }] }));
      assert.ok(!orphan.ok);
      assert.deepEqual(await snapshot(store, [DEMO_ACCOUNTS.acme, 'v-grandchild']), before);
    } finally {
      await store.close();
    }
  });

  it('provisioning: an email active in another account is refused until deactivated there (even in the same batch)', async () => {
    const { store, seed } = await seeded();
    try {
      const mia = seed.contacts.find((c) => c.id === DEMO_CONTACTS.mia)!;
      const move = { accountId: DEMO_ACCOUNTS.globex, email: mia.email, name: mia.name };
      const before = await snapshot(store, [mia.accountId, DEMO_ACCOUNTS.globex]);
      const refused = await store.provision(batch({ contacts: [move] }));
      assert.ok(!refused.ok);
      assert.deepEqual(
        refused.failures.map((f) => [f.field, f.reason]),
        [['email', 'conflict']],
      );
      assert.deepEqual(await snapshot(store, [mia.accountId, DEMO_ACCOUNTS.globex]), before);
      // Deactivated in her account by the same batch, she may move.
      const moved = await store.provision(batch({ contacts: [{ accountId: mia.accountId, email: mia.email, active: false }, move] }));
      assert.ok(moved.ok);
      assert.deepEqual(
        moved.results.map((r) => r.result),
        ['updated', 'created'],
      );
      assert.equal((await store.getContact(mia.id))!.status, 'deactivated');
      const outbox = await store.listOutbox({ after: 0, limit: 10_000 });
      assert.deepEqual(
        outbox.slice(-2).map((e) => e.type),
        ['contact.deactivated', 'contact.created'],
      );
    } finally {
      await store.close();
    }
  });

  it('provisioning: updates write one entry per kind of change, and bump the version once', async () => {
    const { store, seed } = await seeded();
    try {
      const ben = seed.contacts.find((c) => c.id === DEMO_CONTACTS.ben)!;
      const head = (await store.listOutbox({ after: 0, limit: 10_000 })).length;
      const res = await store.provision(batch({ contacts: [{ accountId: ben.accountId, email: ben.email, name: 'Benjamin', role: 'viewer', locale: 'de' }] }));
      assert.ok(res.ok);
      const after = (await store.getContact(ben.id))!;
      assert.deepEqual([after.name, after.role, after.locale, after.version], ['Benjamin', 'viewer', 'de', (ben.version ?? 1) + 1]);
      const events = (await store.listOutbox({ after: 0, limit: 10_000 })).slice(head);
      assert.deepEqual(
        events.map((e) => e.type),
        ['contact.updated', 'contact.role_changed'],
      );
      assert.deepEqual(events[1]!.data.from, ben.role);
      const acct = await store.provision(batch({ accounts: [{ id: DEMO_ACCOUNTS.globex, status: 'suspended', tier: 'premier' }] }, LATER));
      assert.ok(acct.ok);
      const globex = (await store.getAccount(DEMO_ACCOUNTS.globex))!;
      assert.deepEqual([globex.status, globex.tier, globex.updatedAt, globex.version], ['suspended', 'premier', LATER, 2]);
      const accountEvents = (await store.listOutbox({ after: 0, limit: 10_000 })).slice(head + 2);
      assert.deepEqual(
        accountEvents.map((e) => e.type),
        ['account.updated', 'account.suspended'],
      );
    } finally {
      await store.close();
    }
  });

  it('provisioning: accounts list oldest change first with filters and keyset pages; contacts by email', async () => {
    const { store, seed } = await seeded();
    try {
      const stamps = ['2026-03-02T10:00:01.000Z', '2026-03-02T10:00:02.000Z', '2026-03-02T10:00:03.000Z'];
      for (const [i, at] of stamps.entries()) {
        assert.ok(
          (
            await store.provision(
              batch({ accounts: [{ id: `v-${i}`, name: `V${i}`, parentId: i === 0 ? null : 'v-0', status: i === 2 ? 'suspended' : 'active' }] }, at),
            )
          ).ok,
        );
      }
      const walk = async (search: Omit<Parameters<Store['listAccounts']>[0], 'after' | 'limit'>, limit: number): Promise<Account[]> => {
        const out: Account[] = [];
        let after: [string, string] | undefined;
        for (;;) {
          const page = await store.listAccounts({ ...search, after, limit });
          out.push(...page.items);
          if (!page.nextCursor) return out;
          const last = page.items.at(-1)!;
          after = [last.updatedAt, last.id];
        }
      };
      const everything = await walk({}, 2);
      assert.equal(everything.length, seed.accounts.length + 3);
      assert.deepEqual(
        everything.slice(-3).map((a) => a.id),
        ['v-0', 'v-1', 'v-2'],
      );
      assert.deepEqual(
        (await walk({ parentId: 'v-0' }, 1)).map((a) => a.id),
        ['v-1', 'v-2'],
      );
      assert.deepEqual((await walk({ parentId: null }, 10)).map((a) => a.id).sort(), [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.globex, 'v-0'].sort());
      assert.deepEqual(
        (await walk({ status: 'suspended' }, 10)).map((a) => a.id),
        ['v-2'],
      );
      assert.deepEqual(
        (await walk({ updatedSince: stamps[1] }, 10)).map((a) => a.id),
        ['v-1', 'v-2'],
      );

      const acmeEmails = seed.contacts
        .filter((c) => c.accountId === DEMO_ACCOUNTS.acme)
        .map((c) => c.email.toLowerCase())
        .sort();
      const emails: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listAccountContacts(DEMO_ACCOUNTS.acme, { after, limit: 3 });
        emails.push(...page.items.map((c) => c.email));
        if (!page.nextCursor) break;
        after = page.items.at(-1)!.email;
      }
      assert.deepEqual(emails, acmeEmails);
    } finally {
      await store.close();
    }
  });

  it('provisioning: a contact first seen through its token is written with contact.created activity and outbox event', async () => {
    const { store } = await seeded();
    try {
      const contact = {
        id: 'con_first',
        accountId: DEMO_ACCOUNTS.acme,
        email: 'new.hire@acme.example',
        name: 'New Hire',
        role: 'admin',
        status: 'active' as const,
        createdAt: NOW,
        lastSeenAt: NOW,
      };
      const created = await store.registerContact(contact);
      assert.equal(created?.id, 'con_first');
      assert.equal(await store.registerContact({ ...contact, id: 'con_other' }), undefined, 'the email is taken: nothing written');
      const events = (await store.listOutbox({ after: 0, limit: 10_000 })).filter((e) => e.type === 'contact.created');
      assert.equal(events.length, 1);
      assert.deepEqual((events[0]!.data.contact as { role: string }).role, 'admin');
      const entries = await store.searchActivity({ scope: [], accountIds: [DEMO_ACCOUNTS.acme], filter: { types: ['contact.created'] }, limit: 10 });
      assert.deepEqual(
        entries.items.map((a) => [a.contactId, a.actor.kind, a.actor.id]),
        [['con_first', 'contact', 'con_first']],
      );
    } finally {
      await store.close();
    }
  });

  it('provisioning: vendor roles are stored, unchanged when redefined the same, and usable by contacts', async () => {
    const { store, seed } = await seeded();
    try {
      const first = await store.putRole({ name: 'x-billing-viewer', description: 'Finance team', rules: VIEW_BILLING, now: NOW });
      assert.equal(first.state, 'created');
      assert.deepEqual(first.role, {
        name: 'x-billing-viewer',
        description: 'Finance team',
        rules: { ...VIEW_BILLING, seesShared: ['account', 'billing'] },
        updatedAt: NOW,
        version: 1,
      });
      assert.equal((await store.putRole({ name: 'x-billing-viewer', description: 'Finance team', rules: VIEW_BILLING, now: LATER })).state, 'unchanged');
      const redefined = await store.putRole({ name: 'x-billing-viewer', description: 'Finance team', rules: { ...VIEW_BILLING, comment: true }, now: LATER });
      assert.deepEqual([redefined.state, redefined.role.version, redefined.role.updatedAt], ['updated', 2, LATER]);
      assert.deepEqual(await store.getRole('x-billing-viewer'), redefined.role);
      assert.equal(await store.getRole('admin'), undefined, 'built-in roles are not stored');
      assert.deepEqual(
        (await store.listRoles()).map((r) => r.name),
        ['x-billing-viewer'],
      );
      const val = seed.contacts.find((c) => c.id === DEMO_CONTACTS.val)!;
      assert.ok((await store.provision(batch({ contacts: [{ accountId: val.accountId, email: val.email, role: 'x-billing-viewer' }] }))).ok);
      assert.equal((await store.getContact(val.id))!.role, 'x-billing-viewer');
    } finally {
      await store.close();
    }
  });
};
