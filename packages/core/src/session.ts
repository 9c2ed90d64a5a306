import './zod-config.ts';
import * as z from 'zod/mini';
import { AccountRefSchema, AccountSchema, ContactSchema, RoleRulesSchema } from './domain.ts';
import { ACTIONS } from './policy.ts';

/** `GET /v1/me`: who the token belongs to and what they may do. */
export const SessionSchema = z.object({
  contact: ContactSchema,
  account: AccountSchema,
  /** Accounts the contact may list tickets of: its own first, then children (admins). */
  accounts: z.array(AccountRefSchema),
  permissions: z.record(z.enum(ACTIONS), z.boolean()),
  /** The rule of the contact's role, so a client evaluates a vendor-defined role like a built-in one. */
  rules: z.optional(RoleRulesSchema),
});
export type Session = z.infer<typeof SessionSchema>;
