import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ACTIONS,
  ROLES,
  ROLE_RULES,
  TICKET_CATEGORIES,
  TICKET_VISIBILITIES,
  can,
  canView,
  inScope,
  permissionsOf,
  rulesOf,
  ticketScope,
  type Actor,
  type Role,
  type RoleRules,
  type TicketAccessFacts,
  type TicketCategory,
  type TicketVisibility,
} from '@portico/core';
import { SAMPLE_RULES, actorRoleArb, roleRulesArb } from './role-arbitrary.ts';

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
      assert.ok(
        ticketScope(actor(role)).every((clause) => clause.accountId === PARENT),
        role,
      );
    }
  });
});

/**
 * What a rule lets its holder see, written out from the rule's documented meaning (not from
 * the policy module): the reference for generated vendor roles.
 */
function expectedViewByRule(rules: RoleRules, where: Where, r: Relation, v: TicketVisibility, c: TicketCategory): boolean {
  if (where === 'other company') return false;
  if (where === 'child account') return rules.childAccounts;
  if (rules.seesAll) return true;
  if (rules.seesOwn && r !== "other's") return true;
  return v === 'account' && (rules.seesShared === true || (Array.isArray(rules.seesShared) && rules.seesShared.includes(c)));
}

const vendorActor = (rules: RoleRules, role = 'x-vendor'): Actor => ({ contactId: ME, accountId: PARENT, role, rules, childAccountIds: [CHILD] });

const arbWhere = fc.constantFrom(...WHERE);
const arbRelation = fc.constantFrom(...RELATIONS);
const arbVisibility = fc.constantFrom(...TICKET_VISIBILITIES);
const arbCategory = fc.constantFrom(...TICKET_CATEGORIES);

describe('access policy: vendor-defined roles (generated rules)', () => {
  it('the built-in roles are the defaults of the one rule shape: the same rule under another name decides the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), arbWhere, arbRelation, arbVisibility, arbCategory, fc.constantFrom(...ACTIONS), (role, where, r, v, c, action) => {
        const builtIn = actor(role);
        const asData = vendorActor(ROLE_RULES[role]);
        const t = ticket(where, r, v, c);
        assert.equal(can(asData, action, t), can(builtIn, action, t), `${role} ${action}`);
        assert.equal(can(asData, action), can(builtIn, action), `${role} ${action} in principle`);
        assert.deepEqual(ticketScope(asData), ticketScope(builtIn));
      }),
      { numRuns: 3000 },
    );
  });

  it('a role nobody defined sees and does nothing', () => {
    const unknown: Actor = { contactId: ME, accountId: PARENT, role: 'x-undefined', childAccountIds: [CHILD] };
    assert.deepEqual(ticketScope(unknown), []);
    assert.ok(Object.values(permissionsOf(unknown)).every((allowed, i) => !allowed || ACTIONS[i] === 'contact.list'));
  });

  it('sees exactly what its rule says, in the role table of every place and relation', () => {
    for (const rules of SAMPLE_RULES) {
      for (const where of WHERE) {
        for (const r of RELATIONS) {
          for (const v of TICKET_VISIBILITIES) {
            for (const c of TICKET_CATEGORIES) {
              const t = ticket(where, r, v, c);
              const want = expectedViewByRule(rules, where, r, v, c);
              const a = vendorActor(rules);
              assert.equal(canView(a, t), want, JSON.stringify({ rules, where, r, v, c }));
              assert.equal(can(a, 'ticket.view', t), want);
              assert.equal(can(a, 'ticket.comment', t), want && rules.comment);
            }
          }
        }
      }
    }
  });

  it('the scope a store queries with selects exactly what canView allows, for any rule', () => {
    fc.assert(
      fc.property(roleRulesArb, arbWhere, arbRelation, arbVisibility, arbCategory, (rules, where, r, v, c) => {
        const a = vendorActor(rules);
        const t = ticket(where, r, v, c);
        const want = expectedViewByRule(rules, where, r, v, c);
        return inScope(ticketScope(a), t) === want && canView(a, t) === want;
      }),
      { numRuns: 3000 },
    );
  });

  it('create / comment / manage follow the rule; nothing is allowed on a ticket it cannot see', () => {
    fc.assert(
      fc.property(roleRulesArb, (rules) => {
        const p = permissionsOf(vendorActor(rules));
        assert.deepEqual(
          [p['ticket.create'], p['ticket.comment'], p['contact.manage'], p['ticket.follow']],
          [rules.create, rules.comment, rules.manageContacts, rules.comment],
        );
        const hidden = ticket('other company', 'own', 'account', 'technical');
        for (const action of ['ticket.comment', 'ticket.close', 'ticket.follow', 'ticket.escalate', 'ticket.rate'] as const) {
          assert.equal(can(vendorActor(rules), action, hidden), false, action);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reaches child accounts only with childAccounts, and there only to read, comment and follow', () => {
    fc.assert(
      fc.property(roleRulesArb, arbRelation, arbVisibility, arbCategory, (rules, r, v, c) => {
        const a = vendorActor(rules);
        const t = ticket('child account', r, v, c);
        assert.equal(canView(a, t), rules.childAccounts);
        assert.equal(can(a, 'ticket.comment', t), rules.childAccounts && rules.comment);
        for (const action of ['ticket.close', 'ticket.change_visibility', 'ticket.rate'] as const) assert.equal(can(a, action, t), false, action);
        assert.ok(ticketScope(a).every((clause) => clause.accountId === PARENT || rules.childAccounts));
      }),
      { numRuns: 1000 },
    );
  });

  it('rulesOf prefers the carried rule, falls back to the built-in table, else no access', () => {
    fc.assert(
      fc.property(actorRoleArb, ({ role, rules }) => {
        const resolved = rulesOf({ role, rules });
        assert.deepEqual(resolved, rules ?? ROLE_RULES[role as Role]);
      }),
    );
  });
});
