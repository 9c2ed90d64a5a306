/**
 * Contact manager conformance (issue 5): every store lists, filters, sorts and pages contacts
 * identically, applies guarded changes atomically, and keeps the outbox in order. The
 * reference is written here from the seed, never taken from another store.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CONTACT_SORTS, CONTACT_STATUSES, ROLES, UNSOLVED_STATUSES, type ActorRef, type Contact, type ContactSort } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, type SeedData, type Store } from '@portico/server';
import type { FeatureCases } from './index.ts';

const NOW = '2026-03-02T10:00:00.000Z';
const ADA: ActorRef = { kind: 'contact', id: DEMO_CONTACTS.ada, name: 'Ada Okafor' };
const unsolved: readonly string[] = UNSOLVED_STATUSES;
const roleRank = (r: string) => ['admin', 'member', 'billing', 'requester', 'viewer'].indexOf(r);
const statusRank = (s: string) => ['active', 'invited', 'deactivated'].indexOf(s);

/** The seed's contacts of an account with open-ticket counts, as every store must report them. */
function expected(seed: SeedData, accountId: string): Contact[] {
  return seed.contacts
    .filter((c) => c.accountId === accountId)
    .map((c) => ({ ...c, version: 1, openTicketCount: seed.tickets.filter((t) => t.requester.id === c.id && unsolved.includes(t.status)).length }));
}

/** The documented order, written out independently of the stores' shared comparator. */
function reference(list: Contact[], sort: ContactSort, dir: 'asc' | 'desc'): Contact[] {
  const key = (c: Contact): string | number => {
    switch (sort) {
      case 'name':
        return c.name.toLowerCase();
      case 'email':
        return c.email.toLowerCase();
      case 'role':
        return roleRank(c.role);
      case 'status':
        return statusRank(c.status);
      case 'created':
        return c.createdAt;
      case 'open_tickets':
        return c.openTicketCount!;
      case 'last_seen':
        return c.lastSeenAt ?? '';
    }
  };
  return [...list].sort((a, b) => {
    if (sort === 'last_seen' && (a.lastSeenAt === null) !== (b.lastSeenAt === null)) return a.lastSeenAt === null ? 1 : -1;
    const [x, y] = [key(a), key(b)];
    if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    const [n, m] = [a.name.toLowerCase(), b.name.toLowerCase()];
    if (n !== m) return n < m ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

async function all(store: Store, accountId: string): Promise<Contact[]> {
  return (await store.listContacts({ accountId, sort: 'name', dir: 'asc', offset: 0, limit: 1000 })).items;
}

export const contactCases: FeatureCases = (seeded) => {
  it('contacts: lists, filters, sorts and pages exactly like the reference', async () => {
    const { store, seed } = await seeded();
    try {
      const accounts = [DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.acmeEmea, DEMO_ACCOUNTS.globex];
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            accountId: fc.constantFrom(...accounts),
            statuses: fc.option(fc.subarray([...CONTACT_STATUSES]), { nil: undefined }),
            roles: fc.option(fc.subarray([...ROLES]), { nil: undefined }),
            text: fc.option(fc.constantFrom('a', 'ACME', 'mia', 'r', '.example', 'zz'), { nil: undefined }),
            sort: fc.constantFrom(...CONTACT_SORTS),
            dir: fc.constantFrom('asc' as const, 'desc' as const),
            offset: fc.nat(8),
            limit: fc.integer({ min: 1, max: 5 }),
          }),
          async (search) => {
            const matching = expected(seed, search.accountId).filter(
              (c) =>
                (!search.statuses || search.statuses.includes(c.status)) &&
                (!search.roles || (search.roles as readonly string[]).includes(c.role)) &&
                (!search.text || c.name.toLowerCase().includes(search.text.toLowerCase()) || c.email.toLowerCase().includes(search.text.toLowerCase())),
            );
            const want = reference(matching, search.sort, search.dir);
            const got = await store.listContacts(search);
            assert.deepEqual(got.items, want.slice(search.offset, search.offset + search.limit));
            assert.equal(got.more, want.length > search.offset + search.limit);
          },
        ),
        { numRuns: 60 },
      );
      assert.equal(await store.countActiveAdmins(DEMO_ACCOUNTS.acme), 1);
      assert.equal(await store.countActiveAdmins('acc_nope'), 0);
    } finally {
      await store.close();
    }
  });

  it('contacts: the version moves only when the name, role or status changes', async () => {
    const { store } = await seeded();
    try {
      const seen = await store.updateContact(DEMO_CONTACTS.mia, { lastSeenAt: NOW, status: 'active' });
      assert.equal(seen!.version, 1);
      const renamed = await store.updateContact(DEMO_CONTACTS.mia, { name: 'Mia Chen-Li', role: 'member' });
      assert.equal(renamed!.version, 2);
      assert.equal((await store.getContact(DEMO_CONTACTS.mia))!.version, 2);
    } finally {
      await store.close();
    }
  });

  it('contacts: invitations are unique per account, even when two arrive at once', async () => {
    const { store } = await seeded();
    try {
      const draft = { accountId: DEMO_ACCOUNTS.acme, email: 'kim@acme.example', name: 'Kim', role: 'member' as const, actor: ADA, now: NOW };
      const results = await Promise.all([store.inviteContact(draft), store.inviteContact(draft)]);
      assert.deepEqual(results.map((r) => r.ok).sort(), [false, true]);
      const refused = results.find((r) => !r.ok)!;
      assert.equal(!refused.ok && refused.reason, 'exists');
      const created = results.find((r) => r.ok)!;
      assert.ok(created.ok);
      assert.deepEqual(
        { ...created.contact, id: 'x' },
        {
          id: 'x',
          accountId: DEMO_ACCOUNTS.acme,
          email: 'kim@acme.example',
          name: 'Kim',
          role: 'member',
          status: 'invited',
          createdAt: NOW,
          lastSeenAt: null,
          version: 1,
          openTicketCount: 0,
        },
      );
      assert.equal((await all(store, DEMO_ACCOUNTS.acme)).filter((c) => c.email === 'kim@acme.example').length, 1);
      const events = await store.listOutbox({ after: 0, limit: 10 });
      assert.deepEqual(
        events.map((e) => [e.sequence, e.type]),
        [[1, 'contact.invited']],
      );
      assert.equal((await store.inviteContact({ ...draft, accountId: 'acc_nope' })).ok, false);
    } finally {
      await store.close();
    }
  });

  it('contacts: the last active admin cannot be demoted, also when two admins demote each other at once', async () => {
    const { store } = await seeded();
    try {
      const alone = await store.changeContact({ contactId: DEMO_CONTACTS.ada, role: 'member', actor: ADA, now: NOW });
      assert.deepEqual(alone.ok ? 'ok' : alone.reason, 'last_admin');
      assert.equal((await store.changeContact({ contactId: DEMO_CONTACTS.ada, status: 'deactivated', actor: ADA, now: NOW })).ok, false);
      const promoted = await store.changeContact({ contactId: DEMO_CONTACTS.mia, role: 'admin', actor: ADA, now: NOW, expectedVersion: 1 });
      assert.ok(promoted.ok && promoted.contact.version === 2);
      const race = await Promise.all([
        store.changeContact({ contactId: DEMO_CONTACTS.ada, role: 'member', actor: ADA, now: NOW }),
        store.changeContact({ contactId: DEMO_CONTACTS.mia, status: 'deactivated', actor: ADA, now: NOW }),
      ]);
      assert.deepEqual(race.map((r) => (r.ok ? 'ok' : r.reason)).sort(), ['last_admin', 'ok']);
      assert.equal(await store.countActiveAdmins(DEMO_ACCOUNTS.acme), 1);
      const stale = await store.changeContact({ contactId: DEMO_CONTACTS.jay, role: 'viewer', actor: ADA, now: NOW, expectedVersion: 7 });
      assert.equal(!stale.ok && stale.reason, 'version_mismatch');
      assert.equal(!stale.ok && stale.contact?.id, DEMO_CONTACTS.jay);
      assert.equal((await store.changeContact({ contactId: 'con_nope', role: 'viewer', actor: ADA, now: NOW })).ok, false);
    } finally {
      await store.close();
    }
  });

  it('contacts: deactivation with transfer moves exactly the unsolved tickets, atomically', async () => {
    const { store, seed } = await seeded();
    try {
      const jays = seed.tickets.filter((t) => t.requester.id === DEMO_CONTACTS.jay);
      const bad = await store.changeContact({ contactId: DEMO_CONTACTS.jay, status: 'deactivated', transferTo: DEMO_CONTACTS.dan, actor: ADA, now: NOW });
      assert.equal(!bad.ok && bad.reason, 'invalid_target');
      assert.equal((await store.getContact(DEMO_CONTACTS.jay))!.status, 'active', 'nothing was written');
      const before = (await store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1000 })).items.length;

      const res = await store.changeContact({ contactId: DEMO_CONTACTS.jay, status: 'deactivated', transferTo: DEMO_CONTACTS.mia, actor: ADA, now: NOW });
      assert.ok(res.ok);
      const moved = jays.filter((t) => unsolved.includes(t.status));
      assert.deepEqual(res.transferred.map((t) => t.id).sort(), moved.map((t) => t.id).sort());
      for (const t of jays) {
        const now = (await store.getTicket(t.id))!;
        const movedHere = unsolved.includes(t.status);
        assert.equal(now.requester.id, movedHere ? DEMO_CONTACTS.mia : DEMO_CONTACTS.jay);
        assert.equal(now.updatedAt, movedHere ? NOW : t.updatedAt);
        assert.equal(now.version, t.version + (movedHere ? 1 : 0));
      }
      assert.equal(res.contact.status, 'deactivated');
      assert.equal(res.contact.openTicketCount, 0);
      const activity = (await store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1000 })).items;
      assert.equal(activity.length, before + moved.length + 1);
      // Each moved ticket tells the vendor its new requester, then the deactivation follows.
      const events = await store.listOutbox({ after: 0, limit: 100 });
      assert.deepEqual(
        events.map((e) => e.type),
        [...moved.map(() => 'ticket.requester_changed'), 'contact.deactivated'],
      );
      assert.deepEqual(
        events
          .slice(0, -1)
          .map((e) => e.ticketId)
          .sort(),
        moved.map((t) => t.id).sort(),
      );
      for (const e of events.slice(0, -1)) assert.equal((e.data.ticket as { requester: { id: string } }).requester.id, DEMO_CONTACTS.mia);
    } finally {
      await store.close();
    }
  });

  it('contacts: resend and revoke only touch pending invitations; revoke keeps the history', async () => {
    const { store } = await seeded();
    try {
      const base = { actor: ADA, now: NOW };
      const notInvited = await store.resendInvitation({ ...base, contactId: DEMO_CONTACTS.mia });
      assert.equal(!notInvited.ok && notInvited.reason, 'not_invited');
      assert.ok((await store.resendInvitation({ ...base, contactId: DEMO_CONTACTS.ivy })).ok);
      const later = { actor: ADA, now: '2026-03-02T10:05:00.000Z' };
      const stale = await store.revokeInvitation({ ...later, contactId: DEMO_CONTACTS.ivy, expectedVersion: 3 });
      assert.equal(!stale.ok && stale.reason, 'version_mismatch');
      const revoked = await store.revokeInvitation({ ...later, contactId: DEMO_CONTACTS.ivy });
      assert.ok(revoked.ok);
      assert.equal(await store.getContact(DEMO_CONTACTS.ivy), undefined);
      const activity = (await store.listActivity([DEMO_ACCOUNTS.acme], { limit: 2 })).items;
      assert.deepEqual(
        activity.map((a) => [a.type, a.contactId]),
        [
          ['contact.invitation_revoked', null],
          ['contact.invitation_resent', null],
        ],
      );
      const events = await store.listOutbox({ after: 0, limit: 10 });
      assert.deepEqual(
        events.map((e) => [e.sequence, e.type, e.data.resent ?? null]),
        [
          [1, 'contact.invited', true],
          [2, 'contact.invitation_revoked', null],
        ],
      );
      assert.deepEqual((await store.listOutbox({ after: 1, limit: 10, types: ['contact.invited'] })).length, 0);
      assert.equal((await store.revokeInvitation({ ...base, contactId: DEMO_CONTACTS.ivy })).ok, false);

      // An invitee someone already filed a ticket for stays, without access, with the ticket.
      const invited = await store.inviteContact({
        accountId: DEMO_ACCOUNTS.acme,
        email: 'kim@acme.example',
        name: 'Kim',
        role: 'member',
        actor: ADA,
        now: NOW,
      });
      assert.ok(invited.ok);
      const ticket = await store.createTicket({
        accountId: DEMO_ACCOUNTS.acme,
        requesterId: invited.contact.id,
        subject: 'Filed for Kim',
        description: 'On behalf of a colleague.',
        category: 'technical',
        priority: 'normal',
        visibility: 'private',
        actor: ADA,
        now: NOW,
      });
      const kept = await store.revokeInvitation({ ...later, contactId: invited.contact.id });
      assert.ok(kept.ok);
      assert.deepEqual([kept.contact.status, kept.contact.version, kept.contact.openTicketCount], ['deactivated', 2, 1]);
      assert.equal((await store.getContact(invited.contact.id))!.status, 'deactivated');
      assert.equal((await store.getTicket(ticket.id))!.requester.id, invited.contact.id);
    } finally {
      await store.close();
    }
  });
};
