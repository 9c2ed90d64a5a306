import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ROLES,
  TICKET_CATEGORIES,
  TICKET_VISIBILITIES,
  can,
  canView,
  inScope,
  permissionsOf,
  ticketScope,
  type Actor,
  type Role,
  type TicketAccessFacts,
  type TicketCategory,
  type TicketVisibility,
} from '@portico/core';

const PARENT = 'acme';
const CHILD = 'acme-emea';
const OTHER_COMPANY = 'globex';
const ME = 'c-me';
const COLLEAGUE = 'c-colleague';

const RELATIONS = ['own', 'followed', "other's"] as const;
type Relation = (typeof RELATIONS)[number];
const WHERE = ['own account', 'child account', 'other company'] as const;
type Where = (typeof WHERE)[number];

/**
 * The role table of docs/access-model.md written out by hand, independently of the policy module:
 * which tickets of the actor's own account each role sees.
 */
const SEES_IN_OWN_ACCOUNT: Record<Role, (r: Relation, v: TicketVisibility, c: TicketCategory) => boolean> = {
  admin: () => true,
  member: (r, v) => r !== "other's" || v === 'account',
  billing: (r, v, c) => r !== "other's" || (v === 'account' && c === 'billing'),
  requester: (r) => r !== "other's",
  viewer: (_r, v) => v === 'account',
};

function expectedView(role: Role, where: Where, r: Relation, v: TicketVisibility, c: TicketCategory): boolean {
  if (where === 'other company') return false;
  if (where === 'child account') return role === 'admin';
  return SEES_IN_OWN_ACCOUNT[role](r, v, c);
}

function actor(role: Role): Actor {
  return { contactId: ME, accountId: PARENT, role, childAccountIds: [CHILD] };
}

function ticket(where: Where, r: Relation, v: TicketVisibility, c: TicketCategory): TicketAccessFacts {
  const accountId = where === 'own account' ? PARENT : where === 'child account' ? CHILD : OTHER_COMPANY;
  return {
    accountId,
    visibility: v,
    category: c,
    requesterId: r === 'own' ? ME : COLLEAGUE,
    followerIds: r === 'followed' ? [ME] : ['c-someone-else'],
    status: 'open',
  };
}

describe('access policy: the role table', () => {
  for (const role of ROLES) {
    for (const where of WHERE) {
      for (const r of RELATIONS) {
        for (const v of TICKET_VISIBILITIES) {
          for (const c of TICKET_CATEGORIES) {
            const want = expectedView(role, where, r, v, c);
            it(`${role} ${want ? 'sees' : 'does not see'} a ${v} ${c} ticket (${r}) in the ${where}`, () => {
              const t = ticket(where, r, v, c);
              assert.equal(canView(actor(role), t), want);
              assert.equal(can(actor(role), 'ticket.view', t), want);
              // Commenting follows visibility, except for the read-only viewer.
              assert.equal(can(actor(role), 'ticket.comment', t), want && role !== 'viewer');
            });
          }
        }
      }
    }
  }

  it('a child-account admin does not reach the parent account', () => {
    const emilAdmin: Actor = { contactId: 'c-emil', accountId: CHILD, role: 'admin', childAccountIds: [] };
    assert.equal(canView(emilAdmin, ticket('own account', "other's", 'account', 'technical')), false);
  });

  it('only admins of the parent reach child accounts, and there only read, comment and follow', () => {
    const t = ticket('child account', "other's", 'account', 'technical');
    assert.equal(can(actor('admin'), 'ticket.comment', t), true);
    assert.equal(can(actor('admin'), 'ticket.follow', t), true);
    assert.equal(can(actor('admin'), 'ticket.close', t), false);
    assert.equal(can(actor('admin'), 'ticket.change_visibility', t), false);
  });
});

describe('access policy: actions', () => {
  it('matches the create / comment / manage columns', () => {
    const table: Record<Role, [create: boolean, comment: boolean, manage: boolean]> = {
      admin: [true, true, true],
      member: [true, true, false],
      billing: [true, true, false],
      requester: [true, true, false],
      viewer: [false, false, false],
    };
    for (const role of ROLES) {
      const p = permissionsOf(actor(role));
      assert.deepEqual([p['ticket.create'], p['ticket.comment'], p['contact.manage']], table[role], role);
    }
  });

  it('lets only the requester or an admin change visibility', () => {
    const mine = ticket('own account', 'own', 'account', 'technical');
    const theirs = ticket('own account', "other's", 'account', 'technical');
    assert.equal(can(actor('member'), 'ticket.change_visibility', mine), true);
    assert.equal(can(actor('member'), 'ticket.change_visibility', theirs), false);
    assert.equal(can(actor('admin'), 'ticket.change_visibility', theirs), true);
  });

  it('lets only the requester rate, and only once solved', () => {
    const open = ticket('own account', 'own', 'private', 'technical');
    assert.equal(can(actor('member'), 'ticket.rate', open), false);
    assert.equal(can(actor('member'), 'ticket.rate', { ...open, status: 'solved' }), true);
    assert.equal(can(actor('admin'), 'ticket.rate', { ...open, requesterId: COLLEAGUE, status: 'solved' }), false);
  });

  it('lets contacts who may comment escalate only unsolved tickets', () => {
    const t = ticket('own account', 'own', 'account', 'technical');
    for (const status of ['new', 'open', 'pending'] as const) assert.equal(can(actor('member'), 'ticket.escalate', { ...t, status }), true, status);
    for (const status of ['solved', 'closed'] as const) assert.equal(can(actor('member'), 'ticket.escalate', { ...t, status }), false, status);
    assert.equal(can(actor('viewer'), 'ticket.escalate', t), false);
    assert.equal(can(actor('member'), 'ticket.escalate'), true, 'in principle, without a ticket');
  });

  it('never allows anything on a ticket the actor cannot see', () => {
    const hidden = ticket('other company', 'own', 'account', 'technical');
    for (const role of ROLES) {
      for (const action of ['ticket.comment', 'ticket.close', 'ticket.follow', 'ticket.escalate', 'ticket.rate'] as const) {
        assert.equal(can(actor(role), action, hidden), false, `${role} ${action}`);
      }
    }
  });
});

describe('access policy: scope', () => {
  const arbTicket = fc.record({
    accountId: fc.constantFrom(PARENT, CHILD, OTHER_COMPANY),
    visibility: fc.constantFrom(...TICKET_VISIBILITIES),
    category: fc.constantFrom(...TICKET_CATEGORIES),
    requesterId: fc.constantFrom(ME, COLLEAGUE, 'c-x'),
    followerIds: fc.uniqueArray(fc.constantFrom(ME, COLLEAGUE, 'c-x'), { maxLength: 3 }),
  });

  it('the scope a store queries with selects exactly the tickets canView allows', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), arbTicket, (role, t) => {
        const a = actor(role);
        const want = expectedView(
          role,
          t.accountId === PARENT ? 'own account' : t.accountId === CHILD ? 'child account' : 'other company',
          t.requesterId === ME ? 'own' : t.followerIds.includes(ME) ? 'followed' : "other's",
          t.visibility,
          t.category,
        );
        return inScope(ticketScope(a), t) === want && canView(a, t) === want;
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a non-admin no clause for child accounts', () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      assert.ok(ticketScope(actor(role)).every((clause) => clause.accountId === PARENT), role);
    }
  });
});
