/**
 * Bulk provisioning from a file (`portico-server import`, `npm run bench:sync`): the items are
 * validated with the same schema as `POST /v1/service/sync`, then applied in batches of at
 * most `SYNC_MAX_ITEMS` through `Store.provision`, the same call the route makes. Accounts go
 * first, parents before children, so a batch never needs an account of a later one.
 * Browser-safe (no file access): the CLI reads the file and hands over its text.
 */
import {
  AccountSyncItemSchema,
  ContactSyncItemSchema,
  SYNC_MAX_ITEMS,
  fieldErrorsOf,
  type AccountSyncItem,
  type ContactSyncItem,
  type SyncItemResult,
  type SyncResult,
} from '@portico/core';
import { PROVISIONING_ACTOR, parentsFirst } from './provisioning-plans.ts';
import type { ProvisioningFailure, Store } from './store.ts';

/** The items of an import file. */
export interface SyncItems {
  accounts: AccountSyncItem[];
  contacts: ContactSyncItem[];
}

/** A problem with an import file: where (`item` is 1-based: the line of an NDJSON file) and what. */
export interface ImportProblem {
  item: string;
  messages: string[];
}

/** Thrown when an import file cannot be read or applied; nothing of the failing batch was written. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  /** The refused items, each with its messages. */
  readonly problems: readonly ImportProblem[];
  constructor(message: string, problems: readonly ImportProblem[] = []) {
    super(message);
    this.problems = problems;
  }
}

/**
 * Parses an import file: JSON `{ "accounts": [...], "contacts": [...] }` (the sync request's
 * shape, any length), or NDJSON with one account or contact per line. A line is a contact
 * when it has an `email`, else an account; an optional `"kind": "account" | "contact"` says so
 * explicitly. Every item is validated before anything is applied.
 */
export function parseSyncItems(text: string, format: 'json' | 'ndjson'): SyncItems {
  const raw: { where: string; value: unknown; kind?: 'account' | 'contact' }[] = [];
  if (format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new ImportError(`The file is not valid JSON: ${(error as Error).message}`);
    }
    const { accounts = [], contacts = [], ...rest } = (doc ?? {}) as { accounts?: unknown; contacts?: unknown };
    if (typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(accounts) || !Array.isArray(contacts) || Object.keys(rest).length) {
      throw new ImportError('A JSON import file is an object { "accounts": [...], "contacts": [...] } (see docs/provisioning.md).');
    }
    accounts.forEach((value, i) => raw.push({ where: `accounts.${i}`, value, kind: 'account' }));
    contacts.forEach((value, i) => raw.push({ where: `contacts.${i}`, value, kind: 'contact' }));
  } else {
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        raw.push({ where: `line ${i + 1}`, value: undefined });
        return;
      }
      raw.push({ where: `line ${i + 1}`, value });
    });
  }

  const items: SyncItems = { accounts: [], contacts: [] };
  const problems: ImportProblem[] = [];
  for (const { where, value, kind } of raw) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ item: where, messages: ['Not a JSON object.'] });
      continue;
    }
    const { kind: declared, ...fields } = value as Record<string, unknown>;
    const isContact = (kind ?? declared ?? ('email' in fields ? 'contact' : 'account')) === 'contact';
    const parsed = isContact ? ContactSyncItemSchema.safeParse(fields) : AccountSyncItemSchema.safeParse(fields);
    if (!parsed.success) {
      problems.push({ item: where, messages: Object.entries(fieldErrorsOf(parsed.error.issues)).map(([field, msgs]) => `${field}: ${msgs.join('; ')}`) });
    } else if (isContact) {
      items.contacts.push(parsed.data as ContactSyncItem);
    } else {
      items.accounts.push(parsed.data as AccountSyncItem);
    }
  }
  if (problems.length) throw new ImportError(`${problems.length} item${problems.length === 1 ? ' is' : 's are'} invalid; nothing was imported.`, problems);
  return items;
}

/** Progress of an import: items applied so far of the total. */
export type ImportProgress = (done: number, total: number) => void;

/**
 * Applies items in batches of at most `batchSize` (default and maximum `SYNC_MAX_ITEMS`), each
 * one transaction. A refused batch stops the import with an `ImportError` naming the items;
 * the batches before it stay applied (provisioning is idempotent: fix the file and run it again).
 */
export async function importSyncItems(
  store: Store,
  items: SyncItems,
  options: { now?: () => Date; batchSize?: number; onProgress?: ImportProgress } = {},
): Promise<SyncResult> {
  const size = Math.min(options.batchSize ?? SYNC_MAX_ITEMS, SYNC_MAX_ITEMS);
  const now = options.now ?? (() => new Date());
  const queue = [
    ...parentsFirst(items.accounts.map((a) => ({ ...a, parentId: a.parentId ?? null }))).map((item) => ({ kind: 'account' as const, item })),
    ...items.contacts.map((item) => ({ kind: 'contact' as const, item })),
  ];
  const results: SyncItemResult[] = [];
  const counts = { created: 0, updated: 0, unchanged: 0 };
  options.onProgress?.(0, queue.length);
  for (let start = 0; start < queue.length; start += size) {
    const slice = queue.slice(start, start + size);
    const accounts = slice.flatMap((x) => (x.kind === 'account' ? [x.item] : []));
    const contacts = slice.flatMap((x) => (x.kind === 'contact' ? [x.item] : []));
    const result = await store.provision({ accounts, contacts, actor: PROVISIONING_ACTOR, now: now().toISOString() });
    if (!result.ok) {
      const describe = (f: ProvisioningFailure) => {
        const item = f.kind === 'account' ? accounts[f.index]! : contacts[f.index]!;
        return {
          item:
            f.kind === 'account'
              ? `account ${(item as AccountSyncItem).id}`
              : `contact ${(item as ContactSyncItem).email} of ${(item as ContactSyncItem).accountId}`,
          messages: [`${f.field}: ${f.message}`],
        };
      };
      throw new ImportError(
        `Items ${start + 1}–${start + slice.length} were refused (that batch wrote nothing; ${start} items before it were applied).`,
        result.failures.map(describe),
      );
    }
    for (const r of result.results) {
      results.push(r);
      counts[r.result]++;
    }
    options.onProgress?.(start + slice.length, queue.length);
  }
  return { results, counts };
}
