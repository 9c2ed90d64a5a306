/**
 * The vendor's provisioning API (`/v1/service/accounts`, `/v1/service/sync`,
 * `/v1/service/roles`): request and response schemas. See docs/provisioning.md.
 *
 * Upserts are partial: a field you send is set, a field you leave out keeps its value
 * (or, on create, its default). Objects are strict, so a misspelled field is a 422 naming it
 * rather than silently ignored.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { ACCOUNT_STATUSES, ACCOUNT_TIERS, AccountSchema, ContactSchema, ROLE_NAME_PATTERN, RoleRulesSchema, TICKET_VISIBILITIES } from './domain.ts';
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN } from './email.ts';
import { PageQuerySchema } from './inputs.ts';
import { trimmed } from './zod-helpers.ts';

/** Most accounts plus contacts one `POST /v1/service/sync` may carry. */
export const SYNC_MAX_ITEMS = 1000;
/** Most email domains of one account. */
export const ACCOUNT_DOMAINS_MAX = 50;
/** Longest account id (the vendor's own company id). */
export const ACCOUNT_ID_MAX = 120;

const oneOf = (values: readonly string[], what: string) => `Unknown ${what}: choose one of ${values.join(', ')}`;

/** The vendor's own company id: the token's `account` claim. */
export const AccountIdSchema = z
  .string('The account id is required')
  .check(
    z.minLength(1, 'The account id is required'),
    z.maxLength(ACCOUNT_ID_MAX, `An account id has at most ${ACCOUNT_ID_MAX} characters`),
    z.regex(/^[\x21-\x7e]+$/, 'An account id is visible ASCII characters without spaces'),
  );

const domain = z
  .string('A domain is a string like example.com')
  .check(
    z.trim(),
    z.toLowerCase(),
    z.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'A domain looks like example.com (no @, no scheme)'),
  );

/** `PUT /v1/service/accounts/{accountId}`: create or update one account. */
export const AccountPutSchema = z.strictObject({
  /** Required when the account is created. */
  name: z.optional(trimmed(1, 200, 'The name')),
  /** Email domains whose people get a contact on first sign-in (default none). */
  domains: z.optional(z.array(domain).check(z.maxLength(ACCOUNT_DOMAINS_MAX, `At most ${ACCOUNT_DOMAINS_MAX} domains`))),
  /** The parent account's id, or null for a top-level account (default). Any depth; no cycles. */
  parentId: z.optional(z.nullable(AccountIdSchema)),
  /** Default `standard`. */
  tier: z.optional(z.enum(ACCOUNT_TIERS, oneOf(ACCOUNT_TIERS, 'tier'))),
  /** Visibility of a new ticket unless the requester picks another (default `private`). */
  defaultVisibility: z.optional(z.enum(TICKET_VISIBILITIES, oneOf(TICKET_VISIBILITIES, 'visibility'))),
  /** Null follows the tier (default); a tier's name uses that tier's SLA policy. */
  slaPolicy: z.optional(z.nullable(z.enum(ACCOUNT_TIERS, oneOf(ACCOUNT_TIERS, 'SLA policy')))),
  /** `suspended` refuses every token of the account's contacts; tickets are kept. Default `active`. */
  status: z.optional(z.enum(ACCOUNT_STATUSES, oneOf(ACCOUNT_STATUSES, 'status'))),
});
export type AccountPut = z.infer<typeof AccountPutSchema>;

/** Lower-cased, trimmed email address, as contacts are matched. */
export const ContactEmailSchema = z
  .string('Enter an email address')
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(EMAIL_MAX_LENGTH, `An email address has at most ${EMAIL_MAX_LENGTH} characters`),
    z.regex(EMAIL_PATTERN, 'Enter a valid email address, like name@company.com'),
  );

/** A role's name: built-in or vendor-defined (checked against the role table when applied). */
const roleName = z
  .string('A role is a name')
  .check(z.regex(ROLE_NAME_PATTERN, 'A role name is 1–40 lower-case letters, digits, - or _, starting with a letter'));

/** `PUT /v1/service/accounts/{accountId}/contacts/{email}`: create or update one contact. */
export const ContactPutSchema = z.strictObject({
  /** Display name (default on create: the part of the email before the `@`). */
  name: z.optional(trimmed(1, 120, 'The name')),
  /** A built-in or vendor-defined role (default on create: `requester`). */
  role: z.optional(roleName),
  /** BCP 47 language tag, or null for none. */
  locale: z.optional(
    z.nullable(
      z.string('A locale is a BCP 47 tag like de or pt-BR').check(z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A locale is a BCP 47 tag like de or pt-BR')),
    ),
  ),
  /** False deactivates (tokens refused at once, tickets kept); true (default on create) activates. */
  active: z.optional(z.boolean('active is true or false')),
});
export type ContactPut = z.infer<typeof ContactPutSchema>;

/** One account of a sync batch: `AccountPut` plus its id. */
export const AccountSyncItemSchema = z.strictObject({ id: AccountIdSchema, ...AccountPutSchema.shape });
export type AccountSyncItem = z.infer<typeof AccountSyncItemSchema>;

/** One contact of a sync batch: `ContactPut` plus its account and email. */
export const ContactSyncItemSchema = z.strictObject({ accountId: AccountIdSchema, email: ContactEmailSchema, ...ContactPutSchema.shape });
export type ContactSyncItem = z.infer<typeof ContactSyncItemSchema>;

/** `POST /v1/service/sync`: accounts (applied first, parents before children) and contacts. */
export const SyncRequestSchema = z
  .strictObject({
    accounts: z._default(z.array(AccountSyncItemSchema), []),
    contacts: z._default(z.array(ContactSyncItemSchema), []),
  })
  .check(
    z.refine((v) => v.accounts.length + v.contacts.length <= SYNC_MAX_ITEMS, {
      message: `At most ${SYNC_MAX_ITEMS} accounts and contacts per request; split the batch`,
      path: ['accounts'],
    }),
  );
export type SyncRequest = z.input<typeof SyncRequestSchema>;

export const SYNC_OUTCOMES = ['created', 'updated', 'unchanged'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** What one item of a provisioning write did. */
export const SyncItemResultSchema = z.object({
  kind: z.enum(['account', 'contact']),
  /** The account id (accounts) or the contact id (contacts). */
  id: z.string(),
  accountId: z.string(),
  /** Contacts only. */
  email: z.optional(z.string()),
  result: z.enum(SYNC_OUTCOMES),
});
export type SyncItemResult = z.infer<typeof SyncItemResultSchema>;

/** The answer of `POST /v1/service/sync`: one result per item, accounts first, in request order. */
export const SyncResultSchema = z.object({
  results: z.array(SyncItemResultSchema),
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number() }),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;

/** Query string of `GET /v1/service/accounts` (oldest change first, so a sync can resume). */
export const AccountListQuerySchema = z.strictObject({
  /** Children of this account, or `none` for top-level accounts. */
  parent: z.optional(z.string().check(z.minLength(1), z.maxLength(ACCOUNT_ID_MAX))),
  status: z.optional(z.enum(ACCOUNT_STATUSES, oneOf(ACCOUNT_STATUSES, 'status'))),
  /** Accounts changed at or after this time (ISO 8601). */
  updatedSince: z.optional(z.iso.datetime('updatedSince is an ISO 8601 time like 2026-01-31T00:00:00Z')),
  ...PageQuerySchema.shape,
});
export type AccountListQuery = z.output<typeof AccountListQuerySchema>;

/** Query string of `GET /v1/service/accounts/{accountId}/contacts` (by email). */
export const ServiceContactListQuerySchema = z.strictObject(PageQuerySchema.shape);

/** `PUT /v1/service/roles/{name}`: define or redefine a vendor role. */
export const RolePutSchema = z.strictObject({
  /** What the role is for (shown to the vendor only). */
  description: z.optional(z.string().check(z.maxLength(500, 'A description has at most 500 characters'))),
  rules: RoleRulesSchema,
});
export type RolePut = z.infer<typeof RolePutSchema>;

/** A role of the role table: the five built-in ones and the vendor's. */
export const RoleDefinitionSchema = z.object({
  name: z.string(),
  /** Built-in roles cannot be redefined (409). */
  builtIn: z.boolean(),
  description: z.string(),
  rules: RoleRulesSchema,
  /** Null for built-in roles. */
  updatedAt: z.nullable(z.iso.datetime()),
  /** Opaque version for `ETag` (`"r<version>"`). */
  version: z.number(),
});
export type RoleDefinition = z.infer<typeof RoleDefinitionSchema>;

/** An account as the service API answers it (always with its version). */
export const ServiceAccountSchema = z.extend(AccountSchema, { version: z.number() });
/** A contact as the service API answers it. */
export const ServiceContactSchema = z.extend(ContactSchema, { version: z.number() });
