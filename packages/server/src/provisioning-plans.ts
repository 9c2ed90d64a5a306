/**
 * The rules of provisioning writes (the vendor's service API: account and contact upserts,
 * bulk sync, contacts created on first sight of a token), as pure functions every store
 * shares: a store reads the facts inside its transaction, asks for a plan, and writes the
 * plan's rows. Validation, defaults, "unchanged" detection, cycle and conflict checks, the
 * activity entries and the outbox events are so the same in every store by construction.
 */
import {
  isBuiltInRole,
  type Account,
  type AccountSeed,
  type Activity,
  type ActorRef,
  type Contact,
  type SyncItemResult,
  type SyncOutcome,
} from '@portico/core';
import type { OutboxDraft } from './outbox.ts';
import { contactRef, newId, type CustomRole, type ProvisioningBatch, type ProvisioningFailure, type ProvisioningResult, type RoleDraft } from './store.ts';

/** What a store can look up, inside its transaction, while a batch is planned. */
export interface ProvisioningFacts {
  /** A stored account by id. */
  account(id: string): Account | undefined;
  /** Every stored contact with this email (lower-case), in any account. */
  contactsWithEmail(email: string): readonly Contact[];
  /** Whether a vendor-defined role of this name exists. */
  roleExists(name: string): boolean;
}

/** The rows a store writes for a batch, in an order foreign keys accept (parents first). */
export interface ProvisioningPlan {
  accounts: { account: Account; created: boolean }[];
  contacts: { contact: Contact; created: boolean }[];
  activity: Activity[];
  outbox: OutboxDraft[];
  results: SyncItemResult[];
  /** Every account and contact of the batch as it is after the write, in request order. */
  accountsAfter: Account[];
  contactsAfter: Contact[];
}

/** The actor of the vendor's provisioning writes in activity and outbox entries. */
export const PROVISIONING_ACTOR: ActorRef = { kind: 'system', id: 'service', name: 'Provisioning' };

/** An account with every provisioning field present (seed data may leave them out). */
export function completeAccount(seed: AccountSeed, now: string): Account {
  return {
    ...seed,
    domains: [...seed.domains],
    status: seed.status ?? 'active',
    slaPolicy: seed.slaPolicy ?? null,
    updatedAt: seed.updatedAt ?? now,
    version: seed.version ?? 1,
  };
}

/** Accounts ordered so that every parent comes before its children (when both are in the list). */
export function parentsFirst<T extends { id: string; parentId: string | null }>(accounts: readonly T[]): T[] {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const out: T[] = [];
  const placed = new Set<string>();
  const place = (a: T, depth: number) => {
    if (placed.has(a.id) || depth > accounts.length) return;
    const parent = a.parentId === null ? undefined : byId.get(a.parentId);
    if (parent) place(parent, depth + 1);
    placed.add(a.id);
    out.push(a);
  };
  for (const a of accounts) place(a, 0);
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const ACCOUNT_FIELDS = ['name', 'domains', 'parentId', 'tier', 'defaultVisibility', 'slaPolicy', 'status'] as const;
const accountRef = (a: Pick<Account, 'id' | 'name'>) => ({ id: a.id, name: a.name });
/** The contact as the vendor sees it in outbox events (as contact-plans.ts writes it). */
const vendorContact = (c: Contact) => ({ id: c.id, email: c.email, name: c.name, role: c.role, status: c.status, locale: c.locale ?? null });

function activity(accountId: string, type: Activity['type'], actor: ActorRef, now: string, contactId: string, data: Record<string, unknown>): Activity {
  return { id: newId('act'), accountId, type, actor: { ...actor }, ticketId: null, contactId, data, createdAt: now };
}

function outbox(type: OutboxDraft['type'], accountId: string, now: string, data: Record<string, unknown>): OutboxDraft {
  return { id: newId('evt'), type, accountId, ticketId: null, occurredAt: now, data };
}

/** The activity and outbox entries of a contact created by `actor` (first sight or provisioning). */
export function contactCreatedEntries(
  contact: Contact,
  account: Pick<Account, 'id' | 'name'>,
  actor: ActorRef,
  now: string,
): { activity: Activity[]; outbox: OutboxDraft[] } {
  return {
    activity: [activity(contact.accountId, 'contact.created', actor, now, contact.id, { contact: contactRef(contact), role: contact.role })],
    outbox: [outbox('contact.created', contact.accountId, now, { contact: vendorContact(contact), account: accountRef(account), actor: { ...actor } })],
  };
}

/**
 * Plans a batch: every item is checked against the stored state *and* the rest of the batch
 * (a contact may join an account created in the same batch; an email may move when the
 * same batch deactivates it elsewhere). Any failure refuses the whole batch.
 */
export function planProvisioning(batch: ProvisioningBatch, facts: ProvisioningFacts): ProvisioningResult & { plan?: ProvisioningPlan } {
  const { now, actor } = batch;
  const failures: ProvisioningFailure[] = [];
  const fail = (kind: ProvisioningFailure['kind'], index: number, field: string, reason: ProvisioningFailure['reason'], message: string) =>
    failures.push({ kind, index, field, reason, message });

  // --- accounts -----------------------------------------------------------
  const nextAccounts = new Map<
    string,
    { account: Account; created: boolean; changed: readonly (typeof ACCOUNT_FIELDS)[number][]; before: Account | undefined }
  >();
  const accountAt = (id: string) => nextAccounts.get(id)?.account ?? facts.account(id);
  batch.accounts.forEach((item, i) => {
    if (nextAccounts.has(item.id)) return fail('account', i, 'id', 'invalid', 'This account appears more than once in the batch.');
    const before = facts.account(item.id);
    if (item.expectedVersion !== undefined && (before?.version ?? 0) !== item.expectedVersion) {
      return fail('account', i, 'id', 'stale', 'The account changed since you read it (If-Match).');
    }
    if (!before && item.name === undefined) return fail('account', i, 'name', 'invalid', 'A name is required to create an account.');
    const base: Account = before ?? {
      id: item.id,
      name: '',
      domains: [],
      parentId: null,
      tier: 'standard',
      defaultVisibility: 'private',
      status: 'active',
      slaPolicy: null,
      updatedAt: now,
      version: 0,
    };
    const next: Account = {
      ...base,
      ...(item.name !== undefined ? { name: item.name } : {}),
      ...(item.domains !== undefined ? { domains: [...new Set(item.domains)] } : {}),
      ...(item.parentId !== undefined ? { parentId: item.parentId } : {}),
      ...(item.tier !== undefined ? { tier: item.tier } : {}),
      ...(item.defaultVisibility !== undefined ? { defaultVisibility: item.defaultVisibility } : {}),
      ...(item.slaPolicy !== undefined ? { slaPolicy: item.slaPolicy } : {}),
      ...(item.status !== undefined ? { status: item.status } : {}),
    };
    const changed = before ? ACCOUNT_FIELDS.filter((f) => (f === 'domains' ? !sameList(before.domains, next.domains) : before[f] !== next[f])) : ACCOUNT_FIELDS;
    if (changed.length) Object.assign(next, { updatedAt: now, version: (base.version ?? 0) + 1 });
    nextAccounts.set(item.id, { account: next, created: !before, changed, before });
  });
  batch.accounts.forEach((item, i) => {
    const next = nextAccounts.get(item.id)?.account;
    if (!next || next.parentId === null || item.parentId === undefined) return;
    if (next.parentId === next.id) return fail('account', i, 'parentId', 'invalid', 'An account cannot be its own parent.');
    if (!accountAt(next.parentId))
      return fail('account', i, 'parentId', 'invalid', `No account ${next.parentId}: create the parent first, or earlier in the same batch.`);
    // Multi-level hierarchies are fine; a loop is not (it would make the parent its own descendant).
    const path = [next.id];
    for (let at: string | null = next.parentId; at !== null; at = accountAt(at)?.parentId ?? null) {
      if (at === next.id) return fail('account', i, 'parentId', 'invalid', `This parent makes a cycle: ${[...path, at].join(' → ')}.`);
      if (path.length > nextAccounts.size + 10_000) break;
      path.push(at);
    }
  });

  // --- contacts -----------------------------------------------------------
  const key = (accountId: string, email: string) => `${accountId}\u0000${email}`;
  const nextContacts = new Map<string, { contact: Contact; created: boolean; before: Contact | undefined; index: number }>();
  batch.contacts.forEach((item, j) => {
    const k = key(item.accountId, item.email);
    if (nextContacts.has(k)) return fail('contact', j, 'email', 'invalid', 'This contact appears more than once in the batch.');
    const account = accountAt(item.accountId);
    if (!account) return fail('contact', j, 'accountId', 'not_found', `No account ${item.accountId}.`);
    if (item.role !== undefined && !isBuiltInRole(item.role) && !facts.roleExists(item.role)) {
      return fail('contact', j, 'role', 'invalid', `Unknown role ${item.role}: define it first with PUT /v1/service/roles/${item.role}.`);
    }
    const before = facts.contactsWithEmail(item.email).find((c) => c.accountId === item.accountId);
    if (item.expectedVersion !== undefined && (before?.version ?? 0) !== item.expectedVersion) {
      return fail('contact', j, 'email', 'stale', 'The contact changed since you read it (If-Match).');
    }
    const base: Contact = before ?? {
      id: newId('con'),
      accountId: item.accountId,
      email: item.email,
      name: item.email.slice(0, item.email.indexOf('@')),
      role: 'requester',
      status: 'active',
      createdAt: now,
      lastSeenAt: null,
      locale: null,
      version: 0,
    };
    const next: Contact = {
      ...base,
      locale: base.locale ?? null,
      ...(item.name !== undefined ? { name: item.name } : {}),
      ...(item.role !== undefined ? { role: item.role } : {}),
      ...(item.locale !== undefined ? { locale: item.locale } : {}),
      ...(item.active !== undefined ? { status: item.active ? 'active' : 'deactivated' } : {}),
    };
    // Stores leave an unknown locale out (as they return it), so "unchanged" compares like with like.
    if (next.locale === null) delete next.locale;
    nextContacts.set(k, { contact: next, created: !before, before, index: j });
  });
  // An email may be active (or invited) in one account at a time: moving it needs `active: false` there first.
  for (const { contact, created, before, index } of nextContacts.values()) {
    const becomesActive = contact.status !== 'deactivated' && (created || before?.status === 'deactivated');
    if (!becomesActive) continue;
    const elsewhere = facts
      .contactsWithEmail(contact.email)
      .filter((c) => c.accountId !== contact.accountId)
      .map((c) => nextContacts.get(key(c.accountId, c.email.toLowerCase()))?.contact ?? c)
      .find((c) => c.status !== 'deactivated');
    if (elsewhere) {
      fail(
        'contact',
        index,
        'email',
        'conflict',
        `${contact.email} is active in account ${elsewhere.accountId}: deactivate it there first (active: false), then move it.`,
      );
    }
  }

  if (failures.length) return { ok: false, failures: failures.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'account' ? -1 : 1)) };

  // --- the rows -------------------------------------------------------------
  const plan: ProvisioningPlan = { accounts: [], contacts: [], activity: [], outbox: [], results: [], accountsAfter: [], contactsAfter: [] };
  const writes = parentsFirst([...nextAccounts.values()].map((w) => ({ ...w, id: w.account.id, parentId: w.account.parentId })));
  for (const w of writes) {
    if (!w.changed.length) continue;
    plan.accounts.push({ account: w.account, created: w.created });
    const data = { account: { ...w.account }, actor: { ...actor } };
    if (w.created) {
      plan.outbox.push(outbox('account.created', w.account.id, now, data));
      continue;
    }
    const before = w.before!;
    const changes = Object.fromEntries(
      w.changed.filter((f) => f !== 'status').map((f) => [f, { from: before[f as keyof Account], to: w.account[f as keyof Account] }]),
    );
    if (Object.keys(changes).length) plan.outbox.push(outbox('account.updated', w.account.id, now, { ...data, changes }));
    if (w.changed.includes('status'))
      plan.outbox.push(outbox(w.account.status === 'suspended' ? 'account.suspended' : 'account.reactivated', w.account.id, now, data));
  }
  for (const item of batch.accounts) {
    const w = nextAccounts.get(item.id)!;
    plan.accountsAfter.push(w.account);
    plan.results.push({
      kind: 'account',
      id: w.account.id,
      accountId: w.account.id,
      result: w.created ? 'created' : w.changed.length ? 'updated' : 'unchanged',
    });
  }

  for (const { contact, created, before } of nextContacts.values()) {
    const account = accountAt(contact.accountId)!;
    const entries = contactEntries(contact, before, account, actor, now);
    const changed = created || entries.activity.length > 0;
    const after = changed ? { ...contact, version: (contact.version ?? 0) + 1 } : contact;
    if (changed) {
      plan.contacts.push({ contact: after, created });
      plan.activity.push(...entries.activity);
      plan.outbox.push(...entries.outbox);
    }
    plan.contactsAfter.push(after);
    plan.results.push({
      kind: 'contact',
      id: after.id,
      accountId: after.accountId,
      email: after.email,
      result: created ? 'created' : changed ? 'updated' : 'unchanged',
    });
  }
  return { ok: true, results: plan.results, accounts: plan.accountsAfter, contacts: plan.contactsAfter, plan };
}

/** The activity and outbox entries of one contact upsert: none when nothing changed. */
function contactEntries(
  next: Contact,
  before: Contact | undefined,
  account: Account,
  actor: ActorRef,
  now: string,
): { activity: Activity[]; outbox: OutboxDraft[] } {
  if (!before) return contactCreatedEntries(next, account, actor, now);
  const out: { activity: Activity[]; outbox: OutboxDraft[] } = { activity: [], outbox: [] };
  const ref = contactRef(next);
  const event = { contact: vendorContact(next), account: accountRef(account), actor: { ...actor } };
  const log = (type: Activity['type'] & OutboxDraft['type'], data: Record<string, unknown>) => {
    out.activity.push(activity(next.accountId, type, actor, now, next.id, { contact: ref, ...data }));
    out.outbox.push(outbox(type, next.accountId, now, { ...event, ...data }));
  };
  const details = (['name', 'locale'] as const).filter((f) => (before[f] ?? null) !== (next[f] ?? null));
  if (details.length) log('contact.updated', { changes: Object.fromEntries(details.map((f) => [f, { from: before[f] ?? null, to: next[f] ?? null }])) });
  if (before.role !== next.role) log('contact.role_changed', { from: before.role, to: next.role });
  if (before.status !== next.status) {
    log(next.status === 'deactivated' ? 'contact.deactivated' : 'contact.reactivated', { from: before.status, to: next.status });
  }
  return out;
}

/** The role a `putRole` stores: `unchanged` when the rule and description are the same. */
export function planRolePut(draft: RoleDraft, before: CustomRole | undefined): { state: SyncOutcome; role: CustomRole } {
  const shared = draft.rules.seesShared;
  const rules = { ...draft.rules, seesShared: typeof shared === 'boolean' ? shared : [...new Set(shared)].sort() };
  if (before && before.description === draft.description && JSON.stringify(before.rules) === JSON.stringify(rules)) return { state: 'unchanged', role: before };
  return {
    state: before ? 'updated' : 'created',
    role: { name: draft.name, description: draft.description, rules, updatedAt: draft.now, version: (before?.version ?? 0) + 1 },
  };
}
