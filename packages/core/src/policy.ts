/**
 * The access policy: one pure module implementing the role table of docs/access-model.md.
 * The server enforces it on every request; elements use it only to hide
 * controls that would be refused anyway; stores turn `ticketScope` into queries.
 */
import type { Role, RoleName, Ticket, TicketCategory, TicketStatus } from './domain.ts';
import type { Session } from './session.ts';

/**
 * Who is asking: the verified contact, its account and reachable child accounts.
 * `rules` is the contact's role resolved to its rule (the server reads it from the role table,
 * so a vendor-defined role is evaluated like a built-in one); without `rules` a built-in
 * role uses `ROLE_RULES`, and any other role may do nothing.
 */
export interface Actor {
  contactId: string;
  accountId: string;
  role: RoleName;
  /** The role's rule, resolved by the caller (see `rulesOf`). */
  rules?: RoleRules | undefined;
  /** Child accounts of `accountId` (only roles with `childAccounts` reach into them). */
  childAccountIds: readonly string[];
}

/**
 * The policy actor a session stands for (for hiding controls in the UI). Here rather than
 * beside `SessionSchema`, so elements reach it through `@portico/core/policy.js` without zod.
 */
export function actorOf(session: Session): Actor {
  return {
    contactId: session.contact.id,
    accountId: session.account.id,
    role: session.contact.role,
    rules: session.rules,
    childAccountIds: session.accounts.filter((a) => a.id !== session.account.id).map((a) => a.id),
  };
}

/** The fields of a ticket the policy needs. */
export type TicketAccessFacts = Pick<Ticket, 'accountId' | 'visibility' | 'category' | 'followerIds'> & {
  requesterId: string;
  status?: TicketStatus;
};

export const ACTIONS = [
  'ticket.view',
  'ticket.create',
  'ticket.comment',
  'ticket.close',
  'ticket.reopen',
  'ticket.change_visibility',
  'ticket.follow',
  'ticket.escalate',
  'ticket.rate',
  'contact.list',
  'contact.manage',
  'view.share',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The one rule shape of every role, built-in or vendor-defined (`PUT /v1/service/roles/{name}`).
 * Following, closing, reopening and escalating come with `comment`; changing a ticket's
 * visibility and filing on behalf of colleagues with `manageContacts`.
 */
export interface RoleRules {
  /** Sees every ticket of its own account. */
  seesAll: boolean;
  /** Sees tickets it requested or follows. */
  seesOwn: boolean;
  /** Sees `account`-visible tickets; `true` for any category or a list of categories. */
  seesShared: boolean | readonly TicketCategory[];
  create: boolean;
  comment: boolean;
  manageContacts: boolean;
  /** Reads and comments on child accounts' tickets. */
  childAccounts: boolean;
}

/** The role table of docs/access-model.md, as data: the built-in roles are the defaults of the rule shape. */
export const ROLE_RULES: Readonly<Record<Role, RoleRules>> = {
  admin: { seesAll: true, seesOwn: true, seesShared: true, create: true, comment: true, manageContacts: true, childAccounts: true },
  member: { seesAll: false, seesOwn: true, seesShared: true, create: true, comment: true, manageContacts: false, childAccounts: false },
  billing: { seesAll: false, seesOwn: true, seesShared: ['billing'], create: true, comment: true, manageContacts: false, childAccounts: false },
  requester: { seesAll: false, seesOwn: true, seesShared: false, create: true, comment: true, manageContacts: false, childAccounts: false },
  viewer: { seesAll: false, seesOwn: false, seesShared: true, create: false, comment: false, manageContacts: false, childAccounts: false },
};

/** The rule of a role nobody defined: sees and does nothing (a safe default, never a guess). */
export const NO_ACCESS_RULES: Readonly<RoleRules> = {
  seesAll: false,
  seesOwn: false,
  seesShared: false,
  create: false,
  comment: false,
  manageContacts: false,
  childAccounts: false,
};

/** The rule the policy evaluates for an actor: its resolved `rules`, a built-in role's, or none. */
export function rulesOf(actor: Pick<Actor, 'role' | 'rules'>): RoleRules {
  return actor.rules ?? (Object.hasOwn(ROLE_RULES, actor.role) ? ROLE_RULES[actor.role as Role] : NO_ACCESS_RULES);
}

/**
 * One OR-ed clause of the set of tickets an actor may see.
 * - `all`: every ticket of the account
 * - `involved`: tickets the contact requested or follows
 * - `shared`: `account`-visible tickets, optionally only of some categories
 */
export type ScopeClause =
  | { kind: 'all'; accountId: string }
  | { kind: 'involved'; accountId: string; contactId: string }
  | { kind: 'shared'; accountId: string; categories: readonly TicketCategory[] | null };

/** The tickets an actor may see, as data a store can turn into a query. Empty = nothing. */
export type TicketScope = readonly ScopeClause[];

/** The visible-ticket scope of an actor, over its own account and, for admins, child accounts. */
export function ticketScope(actor: Actor): TicketScope {
  const rules = rulesOf(actor);
  const clauses: ScopeClause[] = [];
  if (rules.seesAll) {
    clauses.push({ kind: 'all', accountId: actor.accountId });
  } else {
    if (rules.seesOwn) clauses.push({ kind: 'involved', accountId: actor.accountId, contactId: actor.contactId });
    if (rules.seesShared !== false) {
      clauses.push({
        kind: 'shared',
        accountId: actor.accountId,
        categories: rules.seesShared === true ? null : rules.seesShared,
      });
    }
  }
  if (rules.childAccounts) {
    for (const accountId of actor.childAccountIds) clauses.push({ kind: 'all', accountId });
  }
  return clauses;
}

/** Whether a ticket falls inside a scope: the reference the SQL stores are tested against. */
export function inScope(scope: TicketScope, ticket: TicketAccessFacts): boolean {
  return scope.some((clause) => {
    if (clause.accountId !== ticket.accountId) return false;
    switch (clause.kind) {
      case 'all':
        return true;
      case 'involved':
        return ticket.requesterId === clause.contactId || ticket.followerIds.includes(clause.contactId);
      case 'shared':
        return ticket.visibility === 'account' && (clause.categories === null || clause.categories.includes(ticket.category));
    }
  });
}

/** Whether the actor may see the ticket at all. */
export function canView(actor: Actor, ticket: TicketAccessFacts): boolean {
  return inScope(ticketScope(actor), ticket);
}

/** Accounts whose tickets the actor may list: its own and, for admins, its children. */
export function reachableAccountIds(actor: Actor): string[] {
  return rulesOf(actor).childAccounts ? [actor.accountId, ...actor.childAccountIds] : [actor.accountId];
}

const CHILD_ACCOUNT_ACTIONS: readonly Action[] = ['ticket.view', 'ticket.comment', 'ticket.follow'];

const isRequester = (actor: Actor, ticket: TicketAccessFacts) => ticket.requesterId === actor.contactId && ticket.accountId === actor.accountId;

/**
 * Whether the actor may do `action`. Ticket actions need the ticket;
 * without one they answer whether the role could ever do it (for hiding controls).
 */
export function can(actor: Actor, action: Action, ticket?: TicketAccessFacts): boolean {
  const rules = rulesOf(actor);
  if (ticket && !canView(actor, ticket)) return false;
  // A parent account's admin may read and comment on child accounts' tickets, nothing more.
  if (ticket && ticket.accountId !== actor.accountId && !CHILD_ACCOUNT_ACTIONS.includes(action)) return false;
  switch (action) {
    case 'ticket.view':
      return ticket ? true : rules.seesAll || rules.seesOwn || rules.seesShared !== false;
    case 'ticket.create':
      return rules.create;
    case 'ticket.comment':
      return rules.comment;
    case 'ticket.escalate':
      // Only a ticket still being worked on can be escalated (reopen a solved one first).
      if (!rules.comment) return false;
      return ticket?.status === undefined || ticket.status === 'new' || ticket.status === 'open' || ticket.status === 'pending';
    case 'ticket.follow':
      // Following is taking part in the conversation: the roles that may comment.
      return rules.comment;
    case 'ticket.close':
      if (!rules.comment) return false;
      return ticket ? ticket.status !== 'closed' && ticket.status !== 'solved' : true;
    case 'ticket.reopen':
      if (!rules.comment) return false;
      return ticket ? ticket.status === 'solved' : true;
    case 'ticket.change_visibility':
      if (!ticket) return rules.create;
      return rules.manageContacts || isRequester(actor, ticket);
    case 'ticket.rate':
      if (!ticket) return rules.create;
      return isRequester(actor, ticket) && (ticket.status === undefined || ticket.status === 'solved' || ticket.status === 'closed');
    case 'contact.list':
      return true;
    case 'contact.manage':
    case 'view.share':
      return rules.manageContacts;
  }
}

/**
 * Whether the actor may file a ticket for a colleague, who then becomes its requester:
 * the roles that manage the account's contacts (admins).
 */
export function canFileOnBehalf(actor: Pick<Actor, 'role' | 'rules'>): boolean {
  const rules = rulesOf(actor);
  return rules.manageContacts && rules.create;
}

/** Everything the role may do in principle, for `GET /v1/me`. */
export function permissionsOf(actor: Actor): Record<Action, boolean> {
  const out = {} as Record<Action, boolean>;
  for (const action of ACTIONS) out[action] = can(actor, action);
  return out;
}

/**
 * Whether the actor may manage the contacts of an account (invite, change roles, deactivate):
 * admins, for their own account and, as a parent account's admin, for its child accounts.
 */
export function canManageContacts(actor: Actor, accountId: string): boolean {
  if (!rulesOf(actor).manageContacts) return false;
  return accountId === actor.accountId || actor.childAccountIds.includes(accountId);
}

/** Whether an activity type is about a contact (invitation, role change, deactivation…) rather than a ticket. */
export function isContactActivity(type: string): boolean {
  return type.startsWith('contact.');
}

/**
 * Whether the actor sees the contact entries of an account's timeline: only those who manage
 * its contacts (admins). The entries carry e-mail addresses, roles and invitations; everyone
 * else knows their colleagues through the directory of active contacts (docs/contacts.md).
 */
export function canSeeContactActivity(actor: Actor, accountId: string): boolean {
  return canManageContacts(actor, accountId);
}
