/** Shared fixtures of the server tests: a seeded app, tokens, requests and the policy oracle. */
import assert from 'node:assert/strict';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, canView, type Actor, type Comment, type Contact, type Role, type Ticket } from '@portico/core';
import {
  DEMO_ACCOUNTS,
  DEMO_CONTACTS,
  DEMO_EMAILS,
  DEMO_JWT_SECRET,
  DEMO_SERVICE_API_KEY,
  KEYSET_TYPES,
  MemoryStore,
  createApp,
  decodeCursor,
  demoSeed,
  matchesWords,
  mintToken,
  searchWords,
  type AppOptions,
  type MintClaims,
  type PorticoApp,
  type SeedData,
  type Store,
  type TicketFilter,
  type TicketSearch,
} from '@portico/server';
import { POSTGRES_MIGRATIONS, PostgresStore, SQLITE_MIGRATIONS, SqliteStore, startServer, type RunningServer, type ServerOptions } from '@portico/server/node';
import { createParser } from 'eventsource-parser';
import { startPgCluster, type PgCluster } from '../../../test/support/postgres.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_EMAILS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY };
export type DemoKey = keyof typeof DEMO_CONTACTS;

/** The fixed clock of the tests. */
export const NOW = new Date('2026-03-02T10:00:00.000Z');

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

/** One throwaway PostgreSQL server per test process, started on first use (stopped at exit). */
let cluster: Promise<PgCluster> | undefined;

/** A store of a kind; SQLite on a temp file, PostgreSQL on a fresh database; removed by `dispose`. */
export async function makeStore(kind: StoreKind): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (kind === 'memory') {
    const store = new MemoryStore();
    return { store, dispose: () => store.close() };
  }
  if (kind === 'postgres') {
    const pg = await (cluster ??= startPgCluster());
    const store = await PostgresStore.open(pg.urlOf(pg.createDatabase()), { poolSize: 4 });
    return { store, dispose: () => store.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
  const store = new SqliteStore(join(dir, 'test.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Harness {
  app: PorticoApp;
  store: Store;
  seed: SeedData;
  clock: { now: Date };
  /** A demo contact's token (claims can be overridden). */
  token(key: DemoKey, claims?: Partial<MintClaims>, options?: { ttlSeconds?: number; now?: Date }): Promise<string>;
  /** Sends a request to the app and parses the JSON body. */
  call(method: string, path: string, init?: CallInit): Promise<{ status: number; headers: Headers; body: any }>;
  dispose(): Promise<void>;
}

export interface CallInit {
  as?: DemoKey | undefined;
  token?: string | undefined;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

/** A demo-seeded app on a fresh store. */
export async function harness(kind: StoreKind = 'memory', options: Partial<AppOptions> = {}): Promise<Harness> {
  const { store, dispose } = await makeStore(kind);
  const seed = demoSeed(NOW);
  await store.load(seed);
  const clock = { now: NOW };
  const app = createApp({
    store,
    auth: { secret: DEMO_JWT_SECRET },
    now: () => clock.now,
    onError: () => {},
    serviceApiKeys: [DEMO_SERVICE_API_KEY],
    ...options,
  });
  const contactOf = (key: DemoKey) => seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;
  const token: Harness['token'] = (key, claims = {}, opts = {}) => {
    const c = contactOf(key);
    return mintToken(
      { email: c.email, name: c.name, account: c.accountId, ...claims },
      { secret: DEMO_JWT_SECRET, now: opts.now ?? clock.now, ttlSeconds: opts.ttlSeconds },
    );
  };
  const call: Harness['call'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const bearer = init.token ?? (init.as ? await token(init.as) : undefined);
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return { app, store, seed, clock, token, call, dispose };
}

/** The policy actor of a seed contact. */
export function actorOf(seed: SeedData, contact: Contact): Actor {
  const children = contact.role === 'admin' ? seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id) : [];
  return { contactId: contact.id, accountId: contact.accountId, role: contact.role as Role, childAccountIds: children };
}

/** Ids of the tickets the policy lets a contact see (the oracle of the list tests). */
export function visibleIds(seed: SeedData, contact: Contact, extra: (t: Ticket) => boolean = () => true): string[] {
  const actor = actorOf(seed, contact);
  return seed.tickets
    .filter((t) => canView(actor, { ...t, requesterId: t.requester.id }) && extra(t))
    .map((t) => t.id)
    .sort();
}

/** Every item of a cursor-paged list, following `nextCursor`; also returns the page count. */
export async function walk(h: Harness, as: DemoKey, path: string): Promise<{ ids: string[]; items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await h.call('GET', cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, { as });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
    if (pages > 200) throw new Error('cursor walk does not end');
  } while (cursor);
  return { ids: items.map((t) => t.id), items, pages };
}

/** Active demo contacts (those whose tokens are accepted). */
export const ACTIVE_CONTACTS: readonly DemoKey[] = ['ada', 'ben', 'mia', 'jay', 'val', 'emil', 'noor', 'leo', 'gus', 'pia'];

/** Asserts a problem+json answer (RFC 9457) with this status and `code`. */
export function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE);
  assert.ok(ProblemSchema.safeParse(res.body).success, 'problem+json body');
  assert.equal(res.body.code, code);
}

/** An SSE response being read: the events so far, and when (whether) the server ended it. */
export interface LiveReader {
  events: { event: string; id: string | undefined; data: any }[];
  /** Resolves with the time the stream ended (server closed it), ms since epoch. */
  ended: Promise<number>;
  /** Stops reading. */
  cancel(): Promise<void>;
}

/** Reads a `text/event-stream` response in the background with `eventsource-parser`. */
export function readLive(res: Response): LiveReader {
  const reader = res.body!.getReader();
  const events: LiveReader['events'] = [];
  const parser = createParser({ onEvent: (e) => events.push({ event: e.event ?? 'message', id: e.id, data: JSON.parse(e.data) }) });
  const decoder = new TextDecoder();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // cancelled
    }
    return Date.now();
  })();
  return { events, ended, cancel: () => reader.cancel().catch(() => {}) };
}

/**
 * The filter semantics, written independently of any store. Text: every query word begins a
 * word of the ticket's ref, subject, description or comments (core's `searchWords` split).
 */
export function passes(t: Ticket, f: TicketFilter, comments: readonly Comment[] = []): boolean {
  const text = [t.ref, t.subject, t.description, ...comments.filter((c) => c.ticketId === t.id).map((c) => c.body)].join(' ');
  return (
    (!f.accountIds || f.accountIds.includes(t.accountId)) &&
    (!f.statuses || f.statuses.includes(t.status)) &&
    (!f.priorities || f.priorities.includes(t.priority)) &&
    (!f.categories || f.categories.includes(t.category)) &&
    (!f.requesterIds || f.requesterIds.includes(t.requester.id)) &&
    (f.followerId === undefined || t.followerIds.includes(f.followerId)) &&
    (!f.text || matchesWords(searchWords(f.text), searchWords(text)))
  );
}

/**
 * Runs `check` on a SQLite store just upgraded to migration `version`: the file was made by the
 * schema before it and filled with `seed`, then reopened with every migration (asserted to run).
 */
export async function afterSqliteUpgrade(version: number, seed: SeedData, check: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `portico-upgrade-${version}-`));
  try {
    const file = join(dir, 'old.db');
    const old = new SqliteStore(file, { migrations: SQLITE_MIGRATIONS.filter((m) => m.version < version) });
    await old.load(seed);
    await old.close();
    const store = new SqliteStore(file);
    try {
      assert.ok(store.migrated.includes(version), `migration ${version} ran`);
      await check(store);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A new database of `cluster` at the schema of the first `migrations` of POSTGRES_MIGRATIONS
 * (a database of an earlier release), loaded with `seed`; its URL, for an upgrade test.
 */
export async function postgresDatabaseBefore(cluster: PgCluster, migrations: number, seed: SeedData): Promise<string> {
  const url = cluster.urlOf(cluster.createDatabase());
  const old = new PostgresStore(url);
  try {
    await old.migrate(POSTGRES_MIGRATIONS.slice(0, migrations));
    await old.load(seed);
  } finally {
    await old.close();
  }
  return url;
}

/** The scope of the member `con_a1` of `acc_a` of generated seeds (seedMembers): their own tickets and the account's shared ones. */
export const MEMBER_A1_SCOPE: TicketSearch['scope'] = [
  { kind: 'involved', accountId: 'acc_a', contactId: 'con_a1' },
  { kind: 'shared', accountId: 'acc_a', categories: null },
];

/** The ids of every page of a search, following its cursors. */
export async function searchIds(store: Store, search: Omit<TicketSearch, 'after'>): Promise<string[]> {
  const ids: string[] = [];
  let after;
  for (;;) {
    const page = await store.searchTickets({ ...search, after });
    ids.push(...page.items.map((t) => t.id));
    if (!page.nextCursor) return ids;
    after = decodeCursor(page.nextCursor, search.sort, KEYSET_TYPES[search.sort]);
  }
}

/** What `rawRequest` answers: the headers as Node's client parsed them and the wire bytes. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One raw HTTP request (no automatic decompression), so the wire bytes are what the test sees;
 * `headersOnly` stops reading once the headers came (for a stream that never ends).
 */
export function rawRequest(url: string, headers: Record<string, string>, options: { method?: string; headersOnly?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers }, (res) => {
      if (options.headersOnly) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) });
        return req.destroy();
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      // A wrong Content-Length leaves the client waiting: fail instead of hanging.
      .setTimeout(10_000, () => req.destroy(new Error('no complete answer within 10 s')))
      .end();
  });
}

/**
 * The Node server over HTTP on a free port, on the demo data in memory, with the SLA sweeper off
 * and one instant for the whole run (so the same request answers the same bytes); and the
 * bearer header of ada@acme.example.
 */
export async function startDemoServer(options: Partial<ServerOptions> = {}): Promise<{ server: RunningServer; auth: Record<string, string> }> {
  const now = new Date();
  const store = new MemoryStore();
  await store.load(demoSeed(now));
  const server = await startServer({ store, auth: { secret: DEMO_JWT_SECRET }, port: 0, slaSweepMs: 0, now: () => now, ...options });
  const token = await mintToken({ email: 'ada@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET });
  return { server, auth: { authorization: `Bearer ${token}` } };
}

/** Members `con_<letter><n>` of generated accounts `acc_<letter>` (the account is the id's fifth character). */
export function seedMembers(ids: readonly string[], createdAt: string): Contact[] {
  return ids.map((id) => ({
    id,
    accountId: `acc_${id[4]}`,
    email: `${id}@example.com`,
    name: id,
    role: 'member' as const,
    status: 'active' as const,
    createdAt,
    lastSeenAt: null,
  }));
}

/** A generated seed ticket: normal, technical, unassigned, version 1, requested by `requesterId`; the rest as given. */
export function seedTicket(
  fields: Pick<Ticket, 'id' | 'ref' | 'accountId' | 'subject' | 'description' | 'status' | 'visibility' | 'createdAt' | 'updatedAt'> & { requesterId: string },
): Ticket {
  const { requesterId, ...rest } = fields;
  return {
    ...rest,
    priority: 'normal',
    category: 'technical',
    requester: { id: requesterId, name: requesterId, email: `${requesterId}@example.com` },
    followerIds: [],
    assignee: null,
    escalated: false,
    commentCount: 0,
    version: 1,
  };
}

/** Runs `check` on a store of `kind` (see makeStore) and a memory store, both loaded with `seed`, then closes both. */
export async function withStoreAndMemory(kind: StoreKind, seed: SeedData, check: (store: Store, memory: MemoryStore) => Promise<void>): Promise<void> {
  const memory = new MemoryStore();
  const { store, dispose } = await makeStore(kind);
  try {
    await memory.load(seed);
    await store.load(seed);
    await check(store, memory);
  } finally {
    await dispose();
    await memory.close();
  }
}
