/**
 * Generated roles for property tests: any rule the vendor could define through
 * `PUT /v1/service/roles/{name}`, and roles as contacts hold them (built-in or generated).
 * Shared by the policy tests and the stores' isolation tests.
 */
import fc from 'fast-check';
import { ROLES, TICKET_CATEGORIES, type RoleName, type RoleRules } from '@portico/core';

/** Any rule of the one rule shape. */
export const roleRulesArb: fc.Arbitrary<RoleRules> = fc.record({
  seesAll: fc.boolean(),
  seesOwn: fc.boolean(),
  seesShared: fc.oneof(fc.boolean(), fc.uniqueArray(fc.constantFrom(...TICKET_CATEGORIES), { minLength: 1 })),
  create: fc.boolean(),
  comment: fc.boolean(),
  manageContacts: fc.boolean(),
  childAccounts: fc.boolean(),
});

/** A role as an actor carries it: a built-in one (no `rules`: the policy's defaults) or a generated vendor role with its rule. */
export const actorRoleArb: fc.Arbitrary<{ role: RoleName; rules: RoleRules | undefined }> = fc.oneof(
  fc.constantFrom(...ROLES).map((role) => ({ role, rules: undefined })),
  fc.tuple(fc.stringMatching(/^x-[a-z]{1,8}$/), roleRulesArb).map(([role, rules]) => ({ role, rules })),
);

/** A fixed sample of generated rules (same every run), for table-style tests. */
export const SAMPLE_RULES: readonly RoleRules[] = fc.sample(roleRulesArb, { numRuns: 24, seed: 20261206 });
