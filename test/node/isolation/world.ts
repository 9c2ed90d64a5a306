/**
 * Generated worlds for the isolation property tests: accounts with child accounts, contacts of
 * every built-in role, of generated vendor-defined roles and of a role nobody defined, in every
 * status; private and account tickets with followers (now and then one from another account),
 * comments, agents' internal notes, attachments and activity — and the oracle of what each
 * contact may read, built from core's policy only (never from the server's code).
 *
 * Extension points (other features add to the access model; keep the oracle in step):
 * - `WORLD_ROLES` and `roleRules`: the built-in roles contacts are drawn from, and the
 *   arbitrary of a vendor-defined role's rule (`RoleRules`). A world defines its custom roles
 *   in the store (`Store.putRole`) before the checks; the oracle gives the same rules to core's
 *   `canView`/`can`, so it follows whatever the rule shape grows.
 * - `NOTE_MARKER`: a word only internal notes contain. Notes are written through
 *   `Store.addInternalNote` (they live apart from comments), and no customer response (thread,
 *   timeline, notifications, search, similar tickets, summary, live stream) may contain it.
 */
import {
  ACCOUNT_TIERS,
  NO_ACCESS_RULES,
  ROLES,
  ROLE_RULES,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  UNSOLVED_STATUSES,
  canManageContacts,
  canSeeContactActivity,
  canView,
  isBuiltInRole,
  reachableAccountIds,
  type Account,
  type Activity,
  type Actor,
  type Comment,
  type Contact,
  type Role,
  type RoleRules,
  type Ticket,
  type TicketStatus,
} from '@portico/core';
import type { SeedData } from '@portico/server';
import fc from 'fast-check';

/** The built-in roles generated contacts take, besides the world's custom roles (see the module comment). */
export const WORLD_ROLES: readonly Role[] = ROLES;
/** Custom roles a world defines at most; a contact may also hold one more name that nobody defined. */
const MAX_CUSTOM_ROLES = 3;

/** A vendor-defined role's rule: any combination core's `RoleRulesSchema` accepts. */
export const roleRules: fc.Arbitrary<RoleRules> = fc.record({
  seesAll: fc.boolean(),
  seesOwn: fc.boolean(),
  seesShared: fc.oneof(fc.boolean(), fc.subarray([...TICKET_CATEGORIES], { minLength: 1 })),
  create: fc.boolean(),
  comment: fc.boolean(),
  manageContacts: fc.boolean(),
  childAccounts: fc.boolean(),
});

/** A word that only internal notes contain: never in any customer response. */
export const NOTE_MARKER = 'zanzibar';

/** Words of generated subjects, few so that `similar` searches find several tickets. */
export const WORDS = ['export', 'invoice', 'login', 'outage', 'report', 'webhook'] as const;

const BASE = Date.parse('2026-03-02T10:00:00.000Z');
const at = (minutesAgo: number) => new Date(BASE - minutesAgo * 60_000).toISOString();

/** The shape a world is drawn in: plain numbers, turned into seed data by `buildWorld`. */
export interface WorldPlan {
  /** The rules of the custom roles `custom-0`, `custom-1`, …. */
  roles: RoleRules[];
  roots: { children: number; contacts: ContactPlan[][]; tickets: TicketPlan[][] }[];
}
interface ContactPlan {
  role: number;
  status: number;
}
interface TicketPlan {
  requester: number;
  visibility: boolean;
  category: number;
  status: number;
  priority: number;
  followers: number[];
  /** A follower from another account (who must not see it for that). */
  foreignFollower: boolean;
  words: [number, number];
  comments: number;
  /** Internal notes agents add. */
  notes: number;
  attachment: boolean;
}

const contactPlan: fc.Arbitrary<ContactPlan> = fc.record({
  // Built-in roles, then custom-0…: an index past the world's custom roles names a role nobody defined.
  role: fc.nat(WORLD_ROLES.length + MAX_CUSTOM_ROLES),
  // 0–5 active, 6 deactivated, 7 invited.
  status: fc.nat(7),
});
const ticketPlan: fc.Arbitrary<TicketPlan> = fc.record({
  requester: fc.nat(),
  visibility: fc.boolean(),
  category: fc.nat(TICKET_CATEGORIES.length - 1),
  status: fc.nat(TICKET_STATUSES.length - 1),
  priority: fc.nat(TICKET_PRIORITIES.length - 1),
  followers: fc.array(fc.nat(), { maxLength: 3 }),
  foreignFollower: fc.nat(7).map((n) => n === 0),
  words: fc.tuple(fc.nat(WORDS.length - 1), fc.nat(WORDS.length - 1)),
  comments: fc.nat(3),
  notes: fc.nat(2),
  attachment: fc.boolean(),
});
/** One account's contacts and tickets. */
const accountPlan = { contacts: fc.array(contactPlan, { minLength: 1, maxLength: 6 }), tickets: fc.array(ticketPlan, { maxLength: 10 }) };

const rootsPlan: fc.Arbitrary<WorldPlan['roots']> = fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }).chain((childCounts) =>
  fc.tuple(
    ...childCounts.map((children) =>
      fc.record({
        children: fc.constant(children),
        contacts: fc.array(accountPlan.contacts, { minLength: children + 1, maxLength: children + 1 }),
        tickets: fc.array(accountPlan.tickets, { minLength: children + 1, maxLength: children + 1 }),
      }),
    ),
  ),
);

export const worldPlan: fc.Arbitrary<WorldPlan> = fc.record({ roles: fc.array(roleRules, { maxLength: MAX_CUSTOM_ROLES }), roots: rootsPlan });

/** A world: the seed to load, attachments to add, and the facts the oracle reads. */
export interface World {
  seed: SeedData;
  attachments: { id: string; ticketId: string; accountId: string; uploaderId: string }[];
  accounts: Account[];
  contacts: Contact[];
  tickets: Ticket[];
  comments: Comment[];
  activity: Activity[];
  /** Custom roles to define in the store before the checks. */
  roles: { name: string; rules: RoleRules }[];
  /** Internal notes to add through `Store.addInternalNote`. */
  notes: { ticketId: string; body: string }[];
}

/** The name of the world's `i`th custom role (an index past its custom roles: a role nobody defined). */
const customRoleName = (i: number) => `custom-${i}`;

export function buildWorld(plan: WorldPlan): World {
  const accounts: Account[] = [];
  const contacts: Contact[] = [];
  const tickets: Ticket[] = [];
  const comments: Comment[] = [];
  const activity: Activity[] = [];
  const attachments: World['attachments'] = [];
  const notes: World['notes'] = [];
  const roles = plan.roles.map((rules, i) => ({ name: customRoleName(i), rules }));
  let clock = 100_000;
  const tick = () => at((clock -= 1));
  let n = 0;
  plan.roots.forEach((root, r) => {
    const rootId = `acc_${r}`;
    for (let k = 0; k <= root.children; k++) {
      const id = k === 0 ? rootId : `acc_${r}_${k}`;
      accounts.push({
        id,
        name: `Account ${id}`,
        domains: [`${id.replace(/_/g, '-')}.example`],
        tier: ACCOUNT_TIERS[k % ACCOUNT_TIERS.length]!,
        parentId: k === 0 ? null : rootId,
        defaultVisibility: 'account',
        status: 'active',
        slaPolicy: null,
        updatedAt: at(0),
      });
      root.contacts[k]!.forEach((cp, i) => {
        const status = cp.status <= 5 ? 'active' : cp.status === 6 ? 'deactivated' : 'invited';
        const contact: Contact = {
          id: `con_${id}_${i}`,
          accountId: id,
          email: `c${i}@${id.replace(/_/g, '-')}.example`,
          name: `Contact ${i} of ${id}`,
          role: WORLD_ROLES[cp.role] ?? customRoleName(cp.role - WORLD_ROLES.length),
          status,
          createdAt: tick(),
          lastSeenAt: null,
        };
        contacts.push(contact);
        const type = status === 'invited' ? 'contact.invited' : status === 'deactivated' ? 'contact.deactivated' : 'contact.role_changed';
        activity.push({
          id: `act_${n++}`,
          accountId: id,
          type,
          actor: { kind: 'contact', id: contact.id, name: contact.name },
          ticketId: null,
          contactId: contact.id,
          data: { contact: { id: contact.id, name: contact.name, email: contact.email } },
          createdAt: tick(),
        });
      });
    }
  });
  plan.roots.forEach((root, r) => {
    for (let k = 0; k <= root.children; k++) {
      const accountId = k === 0 ? `acc_${r}` : `acc_${r}_${k}`;
      const own = contacts.filter((c) => c.accountId === accountId);
      const others = contacts.filter((c) => c.accountId !== accountId);
      for (const tp of root.tickets[k]!) {
        const requester = own[tp.requester % own.length]!;
        const followers = new Set(tp.followers.map((f) => own[f % own.length]!.id).filter((id) => id !== requester.id));
        if (tp.foreignFollower && others.length > 0) followers.add(others[tp.requester % others.length]!.id);
        const id = `tkt_${tickets.length}`;
        const created = tick();
        const ticket: Ticket = {
          id,
          ref: `T-${1000 + tickets.length}`,
          accountId,
          subject: `${WORDS[tp.words[0]]} ${WORDS[tp.words[1]]} problem ${tickets.length}`,
          description: `Generated ticket ${id}`,
          status: TICKET_STATUSES[tp.status]!,
          priority: TICKET_PRIORITIES[tp.priority]!,
          category: TICKET_CATEGORIES[tp.category]!,
          visibility: tp.visibility ? 'account' : 'private',
          requester: { id: requester.id, name: requester.name, email: requester.email },
          followerIds: [...followers].sort(),
          assignee: null,
          escalated: false,
          commentCount: tp.comments,
          createdAt: created,
          updatedAt: created,
          version: 1,
        };
        tickets.push(ticket);
        activity.push({
          id: `act_${n++}`,
          accountId,
          type: 'ticket.created',
          actor: { kind: 'contact', id: requester.id, name: requester.name },
          ticketId: id,
          contactId: null,
          data: {},
          createdAt: created,
        });
        for (let i = 0; i < tp.comments; i++) {
          const author = own[(tp.requester + i) % own.length]!;
          const comment: Comment = {
            id: `cmt_${id}_${i}`,
            ticketId: id,
            author: { kind: 'contact', id: author.id, name: author.name },
            body: `Reply ${i}`,
            createdAt: tick(),
          };
          comments.push(comment);
          activity.push({
            id: `act_${n++}`,
            accountId,
            type: 'ticket.commented',
            actor: comment.author,
            ticketId: id,
            contactId: null,
            data: { commentId: comment.id },
            createdAt: comment.createdAt,
          });
        }
        // Shares the subject's words, so a note leaking into the search index would match searches too.
        for (let i = 0; i < tp.notes; i++) notes.push({ ticketId: id, body: `${NOTE_MARKER} ${WORDS[tp.words[0]]} internal ${i} on ${id}` });
        if (tp.attachment) attachments.push({ id: `att_${id}`, ticketId: id, accountId, uploaderId: requester.id });
      }
    }
  });
  return { seed: { accounts, contacts, tickets, comments, activity }, attachments, accounts, contacts, tickets, comments, activity, roles, notes };
}

// --- the oracle: what core's policy lets a contact read --------------------------------------

/** The rule of a role in the world: a built-in role's, a custom role's, or none for a name nobody defined. */
export function worldRules(world: World, role: string): RoleRules {
  if (isBuiltInRole(role)) return ROLE_RULES[role];
  return world.roles.find((r) => r.name === role)?.rules ?? NO_ACCESS_RULES;
}

/** The policy actor of a contact, as the server derives it from a token: with its role's rule resolved. */
export function actorOf(world: World, contact: Contact): Actor {
  const rules = worldRules(world, contact.role);
  const children = rules.childAccounts ? world.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id) : [];
  return { contactId: contact.id, accountId: contact.accountId, role: contact.role, rules, childAccountIds: children };
}

export const sees = (actor: Actor, t: Ticket) => canView(actor, { ...t, requesterId: t.requester.id });

const unsolved: readonly TicketStatus[] = UNSOLVED_STATUSES;

/** Ticket ids of one list view (all reachable accounts), sorted. */
export function expectedList(world: World, actor: Actor, view: 'account' | 'mine' | 'following' | 'unsolved'): string[] {
  const reach = reachableAccountIds(actor);
  return world.tickets
    .filter((t) => reach.includes(t.accountId) && sees(actor, t))
    .filter(
      (t) =>
        view === 'account' ||
        (view === 'mine' ? t.requester.id === actor.contactId : view === 'following' ? t.followerIds.includes(actor.contactId) : unsolved.includes(t.status)),
    )
    .map((t) => t.id)
    .sort();
}

/** Whether a timeline entry may be shown to the actor (ticket entries: the ticket now; contact entries: managers). */
export function entryAllowed(world: World, actor: Actor, entry: Pick<Activity, 'accountId' | 'ticketId' | 'type'>): boolean {
  if (!reachableAccountIds(actor).includes(entry.accountId)) return false;
  if (entry.ticketId === null) return !entry.type.startsWith('contact.') || canSeeContactActivity(actor, entry.accountId);
  const ticket = world.tickets.find((t) => t.id === entry.ticketId);
  return ticket !== undefined && sees(actor, ticket);
}

/** Contact ids `GET /v1/contacts` lists for the actor (own account), sorted. */
export function expectedContacts(world: World, actor: Actor): string[] {
  const manager = canManageContacts(actor, actor.accountId);
  return world.contacts
    .filter((c) => c.accountId === actor.accountId && (manager || c.status === 'active'))
    .map((c) => c.id)
    .sort();
}

/** Whether `GET /v1/contacts/{id}` answers 200 for the actor. */
export function contactReadable(actor: Actor, target: Contact): boolean {
  return canManageContacts(actor, target.accountId) || (target.accountId === actor.accountId && target.status === 'active');
}
