/**
 * Provisioning on the vendor's side of the API (`/v1/service/...`, service API key): accounts
 * upserted by the vendor's own company id, their contacts by email, bulk sync, and
 * vendor-defined roles. Every write goes through `Store.provision`, one all-or-nothing
 * transaction whose rules live in provisioning-plans.ts. See docs/provisioning.md.
 */
import {
  AccountIdSchema,
  AccountListQuerySchema,
  AccountPutSchema,
  ContactEmailSchema,
  ContactPutSchema,
  DEFAULT_PAGE_SIZE,
  ROLES,
  ROLE_NAME_PATTERN,
  ROLE_RULES,
  RolePutSchema,
  ServiceContactListQuerySchema,
  SyncRequestSchema,
  fieldErrorsOf,
  isBuiltInRole,
  type Account,
  type Contact,
  type Role,
  type RoleDefinition,
  type SyncResult,
} from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { PROVISIONING_ACTOR } from '../provisioning-plans.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import type { CustomRole, ProvisioningBatch, ProvisioningFailure } from '../store.ts';
import { apiPath, queryFieldErrors, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

/**
 * Largest sync body: 1,000 items of a few hundred bytes each exceed the default request
 * limit (256 KiB), and a batch must fit in one request.
 */
export const SYNC_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** ETag of an account on the service API. */
export const accountEtag = (a: Pick<Account, 'version'>) => `"a${a.version ?? 1}"`;
/** ETag of a contact (the same as the contact manager's, so either side's If-Match works). */
const contactEtag = (c: Pick<Contact, 'version'>) => `"c${c.version ?? 1}"`;
const roleEtag = (r: Pick<RoleDefinition, 'version'>) => `"r${r.version}"`;

/** An account as the service API answers it. */
const serviceAccount = (a: Account): Account => ({ ...a, version: a.version ?? 1 });
/** A contact as the service API answers it: `locale` always present, no list-only counts. */
function serviceContact(c: Contact): Contact {
  const { openTicketCount: _count, ...rest } = c;
  return { ...rest, locale: c.locale ?? null, version: c.version ?? 1 };
}

const builtInRole = (name: Role): RoleDefinition => {
  const rules = ROLE_RULES[name];
  return {
    name,
    builtIn: true,
    description: 'Built-in role (see docs/access-model.md).',
    rules: { ...rules, seesShared: typeof rules.seesShared === 'boolean' ? rules.seesShared : [...rules.seesShared] },
    updatedAt: null,
    version: 1,
  };
};
const customRole = (r: CustomRole): RoleDefinition => ({ ...r, builtIn: false });

/**
 * `If-Match` as a version of `prefix` ETags: undefined when absent or `*`; -1 (matches
 * nothing) when it is empty or not one of ours, so a garbled precondition fails safe with 412.
 */
function ifMatchVersion(c: RouteContext, prefix: string): number | undefined {
  const header = c.req.header('If-Match')?.trim();
  if (header === undefined || header === '*') return undefined;
  const match = new RegExp(`^(?:W/)?"${prefix}(\\d+)"$`).exec(header);
  return match ? Number(match[1]) : -1;
}

/** The path's id or email, validated like a body field (422 naming it). */
function pathValue<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } } },
  value: string,
  field: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed({ [field]: parsed.error.issues.map((i) => i.message) }, `The ${field} in the path is invalid.`);
  return parsed.data;
}

/** The problem of a refused single-item write: 404 / 409 / 412 where one fits, else 422. */
function singleItemProblem(failure: ProvisioningFailure): ProblemError {
  switch (failure.reason) {
    case 'not_found':
      return notFound(failure.message);
    case 'conflict':
      return new ProblemError(409, 'contact_active_elsewhere', failure.message);
    case 'stale':
      return new ProblemError(412, 'precondition_failed', `${failure.message} Nothing was saved: read it again and retry.`);
    case 'invalid':
      return validationFailed({ [failure.field]: [failure.message] });
  }
}

/** The problem of a refused batch: per-item field errors (`contacts.3.email`); 409 when every failure is a conflict. */
function batchProblem(failures: readonly ProvisioningFailure[]): ProblemError {
  const fieldErrors = fieldErrorsOf(failures.map((f) => ({ path: [`${f.kind}s`, f.index, f.field], message: f.message })));
  const detail = `${failures.length} item${failures.length === 1 ? '' : 's'} of the batch cannot be applied, so none was. Fix them and send the batch again.`;
  if (failures.every((f) => f.reason === 'conflict')) return new ProblemError(409, 'contact_active_elsewhere', detail, { fieldErrors });
  return new ProblemError(422, 'validation_failed', detail, { fieldErrors });
}

export function registerServiceAccountRoutes(app: PorticoApp, kit: RouteKit): void {
  const { store } = kit;
  const batchOf = (accounts: ProvisioningBatch['accounts'], contacts: ProvisioningBatch['contacts']): ProvisioningBatch => ({
    accounts,
    contacts,
    actor: PROVISIONING_ACTOR,
    now: kit.now().toISOString(),
  });
  const accountOr404 = async (id: string) => {
    const account = await store.getAccount(id);
    if (!account) throw notFound(`No account ${id}.`);
    return account;
  };
  const contactOr404 = async (accountId: string, email: string) => {
    await accountOr404(accountId);
    const contact = await store.findContactByEmail(accountId, email);
    if (!contact) throw notFound(`No contact ${email} in account ${accountId}.`);
    return contact;
  };

  // --- accounts -------------------------------------------------------------
  app.get('/v1/service/accounts', async (c) => {
    const parsed = AccountListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;
    let after: [string, string] | undefined;
    if (q.cursor) {
      after = decodeCursor(q.cursor, 'acc', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    const page = await store.listAccounts({
      parentId: q.parent === undefined ? undefined : q.parent === 'none' ? null : q.parent,
      status: q.status,
      updatedSince: q.updatedSince && new Date(q.updatedSince).toISOString(),
      after,
      limit: q.limit ?? DEFAULT_PAGE_SIZE,
    });
    return c.json({ items: page.items.map(serviceAccount), nextCursor: page.nextCursor });
  });

  app.get('/v1/service/accounts/:accountId', async (c) => {
    const account = await accountOr404(c.req.param('accountId'));
    return c.json(serviceAccount(account), 200, { ETag: accountEtag(account) });
  });

  app.put('/v1/service/accounts/:accountId', async (c) => {
    const id = pathValue(AccountIdSchema, c.req.param('accountId'), 'accountId');
    const parsed = AccountPutSchema.safeParse(await kit.readJson(c));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const result = await store.provision(batchOf([{ id, ...parsed.data, expectedVersion: ifMatchVersion(c, 'a') }], []));
    if (!result.ok) throw singleItemProblem(result.failures[0]!);
    const account = result.accounts[0]!;
    const created = result.results[0]!.result === 'created';
    return c.json(serviceAccount(account), created ? 201 : 200, {
      ETag: accountEtag(account),
      ...(created ? { Location: apiPath(c, `/v1/service/accounts/${encodeURIComponent(id)}`) } : {}),
    });
  });

  // --- contacts -------------------------------------------------------------
  app.get('/v1/service/accounts/:accountId/contacts', async (c) => {
    const accountId = c.req.param('accountId');
    const parsed = ServiceContactListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    await accountOr404(accountId);
    let after: string | undefined;
    if (parsed.data.cursor) {
      after = decodeCursor(parsed.data.cursor, 'sc', 's')?.[0] as string | undefined;
      if (after === undefined) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    const page = await store.listAccountContacts(accountId, { after, limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE });
    return c.json({ items: page.items.map(serviceContact), nextCursor: page.nextCursor });
  });

  app.get('/v1/service/accounts/:accountId/contacts/:email', async (c) => {
    const email = pathValue(ContactEmailSchema, c.req.param('email'), 'email');
    const contact = await contactOr404(c.req.param('accountId'), email);
    return c.json(serviceContact(contact), 200, { ETag: contactEtag(contact) });
  });

  app.put('/v1/service/accounts/:accountId/contacts/:email', async (c) => {
    const accountId = pathValue(AccountIdSchema, c.req.param('accountId'), 'accountId');
    const email = pathValue(ContactEmailSchema, c.req.param('email'), 'email');
    const parsed = ContactPutSchema.safeParse(await kit.readJson(c));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const result = await store.provision(batchOf([], [{ accountId, email, ...parsed.data, expectedVersion: ifMatchVersion(c, 'c') }]));
    if (!result.ok) throw singleItemProblem(result.failures[0]!);
    const contact = result.contacts[0]!;
    const created = result.results[0]!.result === 'created';
    return c.json(serviceContact(contact), created ? 201 : 200, {
      ETag: contactEtag(contact),
      ...(created ? { Location: apiPath(c, `/v1/service/accounts/${encodeURIComponent(accountId)}/contacts/${encodeURIComponent(email)}`) } : {}),
    });
  });

  // --- bulk sync --------------------------------------------------------------
  app.post('/v1/service/sync', async (c) => {
    const parsed = SyncRequestSchema.safeParse(await kit.readJson(c, Math.max(kit.maxBodyBytes, SYNC_MAX_BODY_BYTES)));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues), 'Some items of the batch are invalid, so none was applied.');
    const result = await store.provision(batchOf(parsed.data.accounts, parsed.data.contacts));
    if (!result.ok) throw batchProblem(result.failures);
    return c.json(syncResult(result.results));
  });

  // --- roles ------------------------------------------------------------------
  app.get('/v1/service/roles', async (c) => {
    const custom = await store.listRoles();
    return c.json({ items: [...ROLES.map(builtInRole), ...custom.map(customRole)] });
  });

  app.get('/v1/service/roles/:name', async (c) => {
    const name = c.req.param('name');
    if (isBuiltInRole(name)) return c.json(builtInRole(name), 200, { ETag: roleEtag(builtInRole(name)) });
    const role = await store.getRole(name);
    if (!role) throw notFound(`No role ${name}.`);
    return c.json(customRole(role), 200, { ETag: roleEtag(role) });
  });

  app.put('/v1/service/roles/:name', async (c) => {
    const name = c.req.param('name');
    if (isBuiltInRole(name)) {
      throw new ProblemError(
        409,
        'built_in_role',
        `${name} is a built-in role and cannot be redefined: define a role of another name and give it to the contacts.`,
      );
    }
    if (!ROLE_NAME_PATTERN.test(name)) throw validationFailed({ name: ['A role name is 1–40 lower-case letters, digits, - or _, starting with a letter.'] });
    const parsed = RolePutSchema.safeParse(await kit.readJson(c));
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const { state, role } = await store.putRole({ name, description: parsed.data.description ?? '', rules: parsed.data.rules, now: kit.now().toISOString() });
    return c.json(customRole(role), state === 'created' ? 201 : 200, {
      ETag: roleEtag(role),
      ...(state === 'created' ? { Location: apiPath(c, `/v1/service/roles/${name}`) } : {}),
    });
  });
}

/** The sync answer: per-item results and their counts. */
export function syncResult(results: SyncResult['results']): SyncResult {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const r of results) counts[r.result]++;
  return { results, counts };
}
