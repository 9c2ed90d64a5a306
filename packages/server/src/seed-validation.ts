/**
 * Checks data before a store loads it (`Store.load`, the demo seed, imports): every record
 * against core's schemas, so a bad record fails the load with a message naming it instead of
 * breaking later readers (an unknown tier would make every SLA computation throw).
 * Browser-safe.
 */
import { AccountSeedSchema, ActivitySchema, ArticleSchema, CommentSchema, ContactSchema, SavedViewSchema, TicketSchema } from '@portico/core';
import type { SeedData } from './store.ts';

/** A record of the load that does not fit its schema; nothing was loaded. */
export class SeedValidationError extends Error {
  override readonly name = 'SeedValidationError';
}

/** The parts of a zod issue the message uses. */
interface Issue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  values?: readonly unknown[];
}

const KINDS = [
  // Provisioning fields may be left out of seed data: loading fills their defaults.
  ['account', 'accounts', AccountSeedSchema],
  ['contact', 'contacts', ContactSchema],
  ['ticket', 'tickets', TicketSchema],
  ['comment', 'comments', CommentSchema],
  ['activity', 'activity', ActivitySchema],
  ['saved view', 'savedViews', SavedViewSchema],
  ['article', 'articles', ArticleSchema],
] as const;

/** The value at an issue's path inside a record. */
function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** One issue as a sentence: `tier "business" is not one of standard, premier`. */
function describe(record: unknown, issue: Issue): string {
  const field = issue.path.map(String).join('.') || 'record';
  const value = valueAt(record, issue.path);
  if (issue.code === 'invalid_value' && issue.values) return `${field} ${JSON.stringify(value)} is not one of ${issue.values.map(String).join(', ')}`;
  if (value === undefined) return `${field} is missing`;
  return `${field} ${JSON.stringify(value)}: ${issue.message}`;
}

/**
 * Throws `SeedValidationError` naming the first invalid record and every problem with it,
 * e.g. `account acc_x: tier "business" is not one of standard, premier`.
 */
export function validateSeed(data: SeedData): void {
  for (const [kind, key, schema] of KINDS) {
    const records: readonly unknown[] = data[key] ?? [];
    records.forEach((record, index) => {
      const parsed = schema.safeParse(record);
      if (parsed.success) return;
      const id = (record as { id?: unknown } | null)?.id;
      const name = typeof id === 'string' && id ? `${kind} ${id}` : `${kind} #${index + 1}`;
      throw new SeedValidationError(`${name}: ${parsed.error.issues.map((issue) => describe(record, issue)).join('; ')}`);
    });
  }
}
