/**
 * The one conformance suite every `Store` must pass. Call `storeConformance(name, factory)`
 * from a test file; it registers node:test cases. The reference is core's policy
 * (`canView`) plus plain predicates written here, never another store.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ROLES,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
  TICKET_VISIBILITIES,
  canView,
  ticketScope,
  type Account,
  type Actor,
  type Contact,
  type Ticket,
  type TicketSort,
} from '@portico/core';
import {
  DEMO_ACCOUNTS,
  DEMO_CONTACTS,
  IDEMPOTENCY_PENDING_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  PRIORITY_RANK,
  compareKeys,
  decodeCursor,
  demoSeed,
  ticketKeyset,
  KEYSET_TYPES,
  type SeedData,
  type Store,
  type TicketFilter,
} from '@portico/server';
import { NOW, passes } from './helpers.ts';
import { SAMPLE_RULES, actorRoleArb } from '../../core/test/role-arbitrary.ts';
import { FEATURE_CASES } from './conformance/index.ts';

export type StoreFactory = () => Store | Promise<Store>;

const ALL_SCOPE = (seed: SeedData) => seed.accounts.map((a) => ({ kind: 'all' as const, accountId: a.id }));
const facts = (t: Ticket) => ({ ...t, requesterId: t.requester.id });

/** The expected order of a sort: keyset descending. */
function sorted(tickets: readonly Ticket[], sort: TicketSort): Ticket[] {
  return [...tickets].sort((a, b) => compareKeys(ticketKeyset(sort, b), ticketKeyset(sort, a)));
}

/** Every ticket of a search, following the store's cursors. */
async function searchAll(store: Store, search: Omit<Parameters<Store['searchTickets']>[0], 'after'>): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let after;
  for (let i = 0; i < 1000; i++) {
    const page = await store.searchTickets({ ...search, after });
    out.push(...page.items);
    assert.ok(page.items.length <= search.limit);
    if (!page.nextCursor) return out;
    after = decodeCursor(page.nextCursor, search.sort, KEYSET_TYPES[search.sort]);
    assert.ok(after, 'nextCursor decodes');
  }
  throw new Error('paging does not end');
}

const demoContact = (seed: SeedData, key: keyof typeof DEMO_CONTACTS) => seed.contacts.find((c) => c.id === DEMO_CONTACTS[key])!;

export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    async function seeded(): Promise<{ store: Store; seed: SeedData }> {
      const store = await factory();
      const seed = demoSeed(NOW);
      await store.load(seed);
      return { store, seed };
    }

    it('starts empty and loads accounts and contacts', async () => {
      const store = await factory();
      try {
        assert.equal(await store.isEmpty(), true);
        const seed = demoSeed(NOW);
        await store.load(seed);
        assert.equal(await store.isEmpty(), false);
        assert.deepEqual(
          await store.getAccount(DEMO_ACCOUNTS.acme),
          seed.accounts.find((a) => a.id === DEMO_ACCOUNTS.acme),
        );
        assert.equal(await store.getAccount('acc_nope'), undefined);
        const children = await store.listChildAccounts(DEMO_ACCOUNTS.acme);
        assert.deepEqual(
          children.map((a: Account) => a.name),
          ['Acme EMEA', 'Acme Labs'],
        );
        assert.deepEqual(await store.listChildAccounts(DEMO_ACCOUNTS.globex), []);
        assert.deepEqual(await store.getContact(DEMO_CONTACTS.ada), demoContact(seed, 'ada'));
      } finally {
        await store.close();
      }
    });

    it('finds contacts by email case-insensitively, within one account only', async () => {
      const { store, seed } = await seeded();
      try {
        assert.equal((await store.findContactByEmail(DEMO_ACCOUNTS.acme, 'ADA@Acme.Example'))?.id, DEMO_CONTACTS.ada);
        assert.equal(await store.findContactByEmail(DEMO_ACCOUNTS.globex, 'ada@acme.example'), undefined);
        const created: Contact = {
          id: 'con_new',
          accountId: DEMO_ACCOUNTS.globex,
          email: 'new@globex.example',
          name: 'New Person',
          role: 'requester',
          status: 'active',
          createdAt: NOW.toISOString(),
          lastSeenAt: null,
          version: 1,
        };
        assert.deepEqual(await store.createContact(created), created);
        await assert.rejects(store.createContact({ ...created, id: 'con_dup', email: 'NEW@globex.example' }));
        const updated = await store.updateContact('con_new', { role: 'admin', status: 'deactivated', lastSeenAt: NOW.toISOString() });
        // The role and status changed, so the version (the contact's ETag) moved on.
        assert.deepEqual(updated, { ...created, role: 'admin', status: 'deactivated', lastSeenAt: NOW.toISOString(), version: 2 });
        assert.equal(await store.updateContact('con_missing', { name: 'x' }), undefined);
        assert.equal(seed.contacts.length + 1, seed.contacts.length + 1);
      } finally {
        await store.close();
      }
    });

    it('returns each demo contact exactly the tickets the policy lets it see', async () => {
      const { store, seed } = await seeded();
      try {
        // The built-in roles, and generated vendor roles carrying their rule.
        const roles = [...ROLES.map((role) => ({ role, rules: undefined })), ...SAMPLE_RULES.map((rules, i) => ({ role: `x-generated-${i}`, rules }))];
        for (const contact of seed.contacts) {
          for (const { role, rules } of roles) {
            const children = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
            const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role, rules, childAccountIds: children };
            const got = await searchAll(store, { scope: ticketScope(actor), filter: {}, sort: 'updated', limit: 100 });
            const want = seed.tickets.filter((t) => canView(actor, facts(t)));
            assert.deepEqual(
              got.map((t) => t.id),
              sorted(want, 'updated').map((t) => t.id),
              `${contact.email} as ${role}`,
            );
          }
        }
      } finally {
        await store.close();
      }
    });

    it('counts every view exactly what the walk finds, also after writes move tickets between statuses, visibilities, priorities and categories', async () => {
      const { store, seed } = await seeded();
      try {
        const system = { kind: 'system' as const, id: 'test', name: 'Test' };
        const changes = [
          { status: 'solved' },
          { visibility: 'private' },
          { priority: 'urgent' },
          { category: 'billing' },
          { visibility: 'account', status: 'open' },
        ] as const;
        for (const [i, ticket] of seed.tickets.slice(0, 10).entries()) {
          await store.updateTicket({ ticketId: ticket.id, changes: changes[i % changes.length]!, actor: system, now: NOW.toISOString() });
        }
        const roles = [...ROLES.map((role) => ({ role, rules: undefined })), ...SAMPLE_RULES.map((rules, i) => ({ role: `x-generated-${i}`, rules }))];
        for (const contact of seed.contacts) {
          for (const { role, rules } of roles) {
            const children = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
            const actor: Actor = { contactId: contact.id, accountId: contact.accountId, role, rules, childAccountIds: children };
            const scope = ticketScope(actor);
            const filters: TicketFilter[] = [
              {},
              { requesterIds: [contact.id] },
              { followerId: contact.id },
              { statuses: ['new', 'open', 'pending'] },
              { accountIds: [contact.accountId], priorities: ['urgent', 'high'], categories: ['billing', 'technical'] },
              { statuses: [] },
            ];
            const walked = await Promise.all(filters.map(async (filter) => (await searchAll(store, { scope, filter, sort: 'updated', limit: 100 })).length));
            assert.deepEqual(await store.countTicketsEach(scope, filters), walked, `${contact.email} as ${role}`);
            assert.equal(await store.countTickets(scope, filters[4]!), walked[4], `${contact.email} as ${role}`);
            if (rules !== undefined) continue;
            // With words (the list's first page counts under its search): all views sharing the
            // words, and views with different words.
            for (const texts of [filters.map(() => 'the'), filters.map((_, i) => (i % 2 ? 'export' : undefined))]) {
              const searched = filters.map((f, i) => ({ ...f, text: texts[i] }));
              const found = await Promise.all(searched.map(async (filter) => (await searchAll(store, { scope, filter, sort: 'updated', limit: 100 })).length));
              assert.deepEqual(await store.countTicketsEach(scope, searched), found, `${contact.email} as ${role}, words ${texts.join()}`);
            }
          }
        }
      } finally {
        await store.close();
      }
    });

    it('sorts and pages every sort with keyset cursors, each ticket exactly once', async () => {
      const { store, seed } = await seeded();
      try {
        for (const sort of TICKET_SORTS) {
          for (const limit of [1, 7, 100]) {
            const got = await searchAll(store, { scope: ALL_SCOPE(seed), filter: {}, sort, limit });
            assert.deepEqual(
              got.map((t) => t.id),
              sorted(seed.tickets, sort).map((t) => t.id),
              `${sort} / ${limit}`,
            );
          }
        }
        const first = await store.searchTickets({ scope: ALL_SCOPE(seed), filter: {}, sort: 'priority', limit: 5 });
        assert.ok(first.items.every((t) => t.priority === 'urgent'));
        const all = await store.searchTickets({ scope: ALL_SCOPE(seed), filter: {}, sort: 'updated', limit: 100 });
        assert.equal(all.items.length, seed.tickets.length);
        assert.equal(all.nextCursor, null);
      } finally {
        await store.close();
      }
    });

    it('applies every filter, and an empty list matches nothing', async () => {
      const { store, seed } = await seeded();
      try {
        const filters: TicketFilter[] = [
          { statuses: ['open', 'pending'] },
          { priorities: ['urgent'] },
          { categories: ['billing', 'account'] },
          { requesterIds: [DEMO_CONTACTS.mia] },
          { followerId: DEMO_CONTACTS.ada },
          { accountIds: [DEMO_ACCOUNTS.acmeEmea, DEMO_ACCOUNTS.globex] },
          { text: 'sso login FAILS' },
          { text: 't-1001' },
          { text: 'Ã©' },
          { text: 'metadata' },
          { text: 'backfill ingest' },
          { text: 'Café' },
          { text: '!!!' },
          { statuses: ['open'], categories: ['technical'], priorities: ['urgent', 'high'] },
          { statuses: [] },
          { requesterIds: [] },
        ];
        for (const filter of filters) {
          const got = await searchAll(store, { scope: ALL_SCOPE(seed), filter, sort: 'created', limit: 10 });
          const want = sorted(
            seed.tickets.filter((t) => passes(t, filter, seed.comments)),
            'created',
          );
          assert.deepEqual(
            got.map((t) => t.id),
            want.map((t) => t.id),
            JSON.stringify(filter),
          );
        }
        const sso = await store.searchTickets({ scope: ALL_SCOPE(seed), filter: { text: 'SSO login fails' }, sort: 'updated', limit: 10 });
        assert.deepEqual(
          sso.items.map((t) => t.ref),
          ['T-1001'],
        );
      } finally {
        await store.close();
      }
    });

    it('returns an empty page for an empty scope', async () => {
      const { store } = await seeded();
      try {
        assert.deepEqual(await store.searchTickets({ scope: [], filter: {}, sort: 'updated', limit: 10 }), { items: [], nextCursor: null });
      } finally {
        await store.close();
      }
    });

    it('creates tickets with the next ref and a ticket.created activity, atomically with the idempotency record', async () => {
      const { store, seed } = await seeded();
      try {
        const ref = { contactId: DEMO_CONTACTS.mia, key: 'k1' };
        assert.deepEqual(await store.claimIdempotencyKey({ ...ref, fingerprint: 'f1', now: NOW.toISOString() }), { state: 'claimed' });
        const ticket = await store.createTicket(
          {
            accountId: DEMO_ACCOUNTS.acme,
            requesterId: DEMO_CONTACTS.mia,
            subject: 'Charts flicker',
            description: 'They flicker on Safari.',
            category: 'technical',
            priority: 'high',
            visibility: 'private',
            actor: { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' },
            now: NOW.toISOString(),
          },
          { idempotency: ref },
        );
        assert.equal(ticket.ref, `T-${1001 + seed.tickets.length}`);
        assert.match(ticket.id, /^tkt_/);
        assert.deepEqual(
          { ...ticket, id: '' },
          {
            id: '',
            ref: ticket.ref,
            accountId: DEMO_ACCOUNTS.acme,
            subject: 'Charts flicker',
            description: 'They flicker on Safari.',
            status: 'new',
            priority: 'high',
            category: 'technical',
            visibility: 'private',
            requester: { id: DEMO_CONTACTS.mia, name: 'Mia Chen', email: 'mia@acme.example' },
            followerIds: [],
            assignee: null,
            escalated: false,
            commentCount: 0,
            createdAt: NOW.toISOString(),
            updatedAt: NOW.toISOString(),
            version: 1,
          },
        );
        assert.deepEqual(await store.getTicket(ticket.id), ticket);
        const replay = await store.claimIdempotencyKey({ ...ref, fingerprint: 'f1', now: NOW.toISOString() });
        assert.deepEqual(replay, { state: 'completed', fingerprint: 'f1', status: 201, body: ticket });
        const activity = await store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 });
        assert.equal(activity.items[0]?.type, 'ticket.created');
        assert.equal(activity.items[0]?.ticketId, ticket.id);
        assert.deepEqual(activity.items[0]?.actor, { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' });
        const second = await store.createTicket({
          accountId: DEMO_ACCOUNTS.acme,
          requesterId: DEMO_CONTACTS.jay,
          subject: 'Another',
          description: 'x',
          category: 'billing',
          priority: 'low',
          visibility: 'account',
          actor: { kind: 'contact', id: DEMO_CONTACTS.jay, name: 'Jay Morales' },
          now: NOW.toISOString(),
        });
        assert.equal(second.ref, `T-${1002 + seed.tickets.length}`);
        await assert.rejects(
          store.createTicket({ ...second, requesterId: DEMO_CONTACTS.gus, actor: second.requester as never, now: NOW.toISOString() }),
          'a requester of another account is refused',
        );
      } finally {
        await store.close();
      }
    });

    it('adds comments oldest first, bumps the ticket and writes ticket.commented', async () => {
      const { store, seed } = await seeded();
      try {
        const before = (await store.getTicket('tkt_1001'))!;
        const existing = seed.comments.filter((c) => c.ticketId === 'tkt_1001');
        const later = new Date(NOW.getTime() + 1000).toISOString();
        const { comment, ticket } = await store.addComment({
          ticketId: 'tkt_1001',
          author: { kind: 'contact', id: DEMO_CONTACTS.jay, name: 'Jay Morales' },
          body: 'Still broken for us.',
          now: later,
        });
        assert.equal(ticket.commentCount, before.commentCount + 1);
        assert.equal(ticket.version, before.version + 1);
        assert.equal(ticket.updatedAt, later);
        assert.deepEqual(await store.getTicket('tkt_1001'), ticket);
        const pages = [];
        let after: [string, string] | undefined;
        for (;;) {
          const page = await store.listComments('tkt_1001', { after, limit: 2 });
          pages.push(...page.items);
          if (!page.nextCursor) break;
          after = decodeCursor(page.nextCursor, 'c', 'ss') as [string, string];
        }
        assert.deepEqual(
          pages.map((c) => c.id),
          [...existing.map((c) => c.id), comment.id],
        );
        assert.deepEqual(pages.at(-1), comment);
        const activity = await store.listActivity([DEMO_ACCOUNTS.acme], { limit: 1 });
        assert.equal(activity.items[0]?.type, 'ticket.commented');
        assert.deepEqual(activity.items[0]?.data, { commentId: comment.id });
        await assert.rejects(store.addComment({ ticketId: 'tkt_missing', author: comment.author, body: 'x', now: later }));
        assert.deepEqual(await store.listComments('tkt_missing', { limit: 5 }), { items: [], nextCursor: null });
      } finally {
        await store.close();
      }
    });

    it('lists activity of some accounts, newest first, paged', async () => {
      const { store, seed } = await seeded();
      try {
        const accounts: string[] = [DEMO_ACCOUNTS.acmeEmea, DEMO_ACCOUNTS.acmeLabs];
        const want = seed.activity
          .filter((a) => accounts.includes(a.accountId))
          .sort((a, b) => compareKeys([b.createdAt, b.id], [a.createdAt, a.id]))
          .map((a) => a.id);
        const got: string[] = [];
        let after: [string, string] | undefined;
        for (;;) {
          const page = await store.listActivity(accounts, { after, limit: 4 });
          got.push(...page.items.map((a) => a.id));
          if (!page.nextCursor) break;
          after = decodeCursor(page.nextCursor, 'a', 'ss') as [string, string];
        }
        assert.deepEqual(got, want);
        assert.deepEqual((await store.listActivity([], { limit: 5 })).items, []);
      } finally {
        await store.close();
      }
    });

    it('claims idempotency keys per contact: pending, completed, released, expired', async () => {
      const { store } = await seeded();
      try {
        const t0 = NOW.getTime();
        const at = (ms: number) => new Date(t0 + ms).toISOString();
        const a = { contactId: DEMO_CONTACTS.mia, key: 'same-key' };
        const b = { contactId: DEMO_CONTACTS.jay, key: 'same-key' };
        assert.deepEqual(await store.claimIdempotencyKey({ ...a, fingerprint: 'fa', now: at(0) }), { state: 'claimed' });
        assert.deepEqual(await store.claimIdempotencyKey({ ...a, fingerprint: 'fa', now: at(1) }), { state: 'pending', fingerprint: 'fa' });
        assert.deepEqual(await store.claimIdempotencyKey({ ...b, fingerprint: 'fb', now: at(1) }), { state: 'claimed' }, 'keys are per contact');
        await store.releaseIdempotencyKey(a);
        assert.deepEqual(await store.claimIdempotencyKey({ ...a, fingerprint: 'fa2', now: at(2) }), { state: 'claimed' });
        // A claim whose request died is taken over after a while.
        assert.deepEqual(await store.claimIdempotencyKey({ ...a, fingerprint: 'fa3', now: at(IDEMPOTENCY_PENDING_TTL_MS + 10) }), { state: 'claimed' });
        const { comment } = await store.addComment(
          { ticketId: 'tkt_1001', author: { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' }, body: 'hi', now: at(IDEMPOTENCY_PENDING_TTL_MS + 20) },
          { idempotency: a },
        );
        const done = await store.claimIdempotencyKey({ ...a, fingerprint: 'other', now: at(IDEMPOTENCY_TTL_MS - 1000) });
        assert.deepEqual(done, { state: 'completed', fingerprint: 'fa3', status: 201, body: comment });
        await store.releaseIdempotencyKey(a);
        assert.equal(
          (await store.claimIdempotencyKey({ ...a, fingerprint: 'x', now: at(IDEMPOTENCY_TTL_MS - 900) })).state,
          'completed',
          'release never drops a completed record',
        );
        assert.deepEqual(
          await store.claimIdempotencyKey({ ...a, fingerprint: 'new', now: at(IDEMPOTENCY_TTL_MS + IDEMPOTENCY_PENDING_TTL_MS + 100) }),
          { state: 'claimed' },
          'kept 24 h, then forgotten',
        );
      } finally {
        await store.close();
      }
    });

    it('property: for random data, internal notes and actors, the scoped search is exactly the canView set, with filters, sorts and paging; notes never show', async () => {
      const accountIds = ['acc_p', 'acc_c1', 'acc_c2', 'acc_o'];
      const parents: Record<string, string | null> = { acc_p: null, acc_c1: 'acc_p', acc_c2: 'acc_p', acc_o: null };
      const contactIds = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
      const contactAccount = (i: number) => accountIds[i % accountIds.length]!;
      const stamps = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'];

      const ticketArb = fc.record({
        requester: fc.integer({ min: 0, max: contactIds.length - 1 }),
        visibility: fc.constantFrom(...TICKET_VISIBILITIES),
        category: fc.constantFrom(...TICKET_CATEGORIES),
        status: fc.constantFrom(...TICKET_STATUSES),
        priority: fc.constantFrom(...TICKET_PRIORITIES),
        followers: fc.uniqueArray(fc.integer({ min: 0, max: contactIds.length - 1 }), { maxLength: 3 }),
        created: fc.constantFrom(...stamps),
        updated: fc.constantFrom(...stamps),
        word: fc.constantFrom('alpha', 'Beta', 'gamma'),
        commentWord: fc.option(fc.constantFrom('delta', 'Épsilon', 'alphabet')),
        // Internal notes: agent-only, so no customer read may match or return their words.
        noteWord: fc.option(fc.constantFrom('zeta', 'delta', 'alphabet')),
        slaDue: fc.option(fc.constantFrom(...stamps)),
      });
      const filterArb = fc.record(
        {
          statuses: fc.subarray([...TICKET_STATUSES]),
          priorities: fc.subarray([...TICKET_PRIORITIES]),
          categories: fc.subarray([...TICKET_CATEGORIES]),
          requesterIds: fc.subarray(contactIds, { maxLength: 2 }),
          followerId: fc.constantFrom(...contactIds),
          accountIds: fc.subarray(accountIds),
          text: fc.constantFrom('alph', 'BETA', 'zzz', 'delt', 'epsilon beta', 'T-20', 'alphabet', 'zeta', 'internal'),
        },
        { requiredKeys: [] },
      );
      const actorArb = fc.record({
        contact: fc.integer({ min: 0, max: contactIds.length - 1 }),
        role: actorRoleArb,
      });

      await fc.assert(
        fc.asyncProperty(
          fc.array(ticketArb, { maxLength: 25 }),
          actorArb,
          filterArb,
          fc.constantFrom(...TICKET_SORTS),
          fc.integer({ min: 1, max: 6 }),
          async (defs, who, filter, sort, limit) => {
            const store = await factory();
            try {
              const seed: SeedData = {
                accounts: accountIds.map((id) => ({
                  id,
                  name: id,
                  domains: [`${id}.example`],
                  tier: 'standard',
                  parentId: parents[id]!,
                  defaultVisibility: 'private',
                })),
                contacts: contactIds.map((id, i) => ({
                  id,
                  accountId: contactAccount(i),
                  email: `${id}@${contactAccount(i)}.example`,
                  name: id,
                  role: 'member',
                  status: 'active',
                  createdAt: stamps[0]!,
                  lastSeenAt: null,
                })),
                tickets: defs.map((d, i) => ({
                  id: `t${String(i).padStart(2, '0')}`,
                  ref: `T-${2000 + i}`,
                  accountId: contactAccount(d.requester),
                  subject: `${d.word} subject`,
                  description: `about ${d.word}`,
                  status: d.status,
                  priority: d.priority,
                  category: d.category,
                  visibility: d.visibility,
                  requester: { id: contactIds[d.requester]!, name: contactIds[d.requester]!, email: `${contactIds[d.requester]}@x` },
                  followerIds: d.followers.map((f) => contactIds[f]!).sort(),
                  assignee: null,
                  escalated: false,
                  commentCount: 0,
                  createdAt: d.created,
                  updatedAt: d.updated < d.created ? d.created : d.updated,
                  version: 1,
                  ...(d.slaDue ? { slaDueAt: d.slaDue } : {}),
                })),
                comments: defs.flatMap((d, i) =>
                  d.commentWord
                    ? [
                        {
                          id: `cm${i}`,
                          ticketId: `t${String(i).padStart(2, '0')}`,
                          author: { kind: 'agent' as const, id: 'a', name: 'A' },
                          body: `re: ${d.commentWord}!`,
                          createdAt: d.created,
                        },
                      ]
                    : [],
                ),
                activity: [],
              };
              await store.load(seed);
              const head = await store.activityHead();
              const notes = defs.flatMap((d, i) => (d.noteWord ? [{ ticketId: `t${String(i).padStart(2, '0')}`, body: `internal ${d.noteWord}` }] : []));
              for (const n of notes) await store.addInternalNote({ ...n, author: { kind: 'agent', id: 'a', name: 'A' }, now: stamps[2]! });
              const accountId = contactAccount(who.contact);
              const actor: Actor = {
                contactId: contactIds[who.contact]!,
                accountId,
                role: who.role.role,
                rules: who.role.rules,
                childAccountIds: accountIds.filter((a) => parents[a] === accountId),
              };
              // 1. The scope alone is exactly canView.
              const visible = await searchAll(store, { scope: ticketScope(actor), filter: {}, sort: 'updated', limit: 100 });
              const expected = seed.tickets.filter((t) => canView(actor, facts(t)));
              assert.deepEqual(visible.map((t) => t.id).sort(), expected.map((t) => t.id).sort());
              // 2. Scope AND filters, in sort order, walked page by page.
              const got = await searchAll(store, { scope: ticketScope(actor), filter, sort, limit });
              const want = sorted(
                expected.filter((t) => passes(t, filter, seed.comments)),
                sort,
              );
              assert.deepEqual(
                got.map((t) => t.id),
                want.map((t) => t.id),
              );
              assert.equal(await store.countTickets(ticketScope(actor), filter), want.length, 'countTickets agrees with the walk');
              assert.ok(got.every((t) => PRIORITY_RANK[t.priority] !== undefined));
              // 3. Notes are nowhere a customer reads: not in the tickets (counts, version), their
              //    comments, similar-ticket matches or the activity; the agent thread has them all.
              for (const t of visible) {
                assert.deepEqual([t.commentCount, t.version], [0, 1], 'a note neither counts nor bumps the ticket');
                const thread = await store.listComments(t.id, { limit: 100 });
                assert.ok(
                  thread.items.every((c) => !c.body.startsWith('internal') && c.internal === undefined),
                  'no note in a customer thread',
                );
                const agentThread = await store.listAgentThread(t.id, { limit: 100 });
                assert.equal(agentThread.items.filter((c) => c.internal).length, notes.filter((n) => n.ticketId === t.id).length);
              }
              const similar = await store.findSimilarTickets({
                scope: ticketScope(actor),
                accountIds,
                statuses: [...TICKET_STATUSES],
                text: 'zeta internal',
                limit: 5,
              });
              assert.deepEqual(similar, [], 'note words match no similar ticket');
              assert.equal(await store.activityHead(), head, 'notes write no activity (timeline, notifications, live events)');
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 150 },
      );
    });

    // Cases of later features, one module each (see conformance/index.ts).
    for (const cases of FEATURE_CASES) cases(seeded);
  });
}
