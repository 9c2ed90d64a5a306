/**
 * Conformance cases of the ticket form's storage (issue 4): possible duplicates, following,
 * create with followers / attachments / business impact, attachments, articles, deflections.
 * The references are core's policy and plain predicates over the seed, never another store.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UNSOLVED_STATUSES, canView, ticketScope, type Actor, type Ticket } from '@portico/core';
import { actorRoleArb } from '../../../core/test/role-arbitrary.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_CONTACTS,
  IDEMPOTENCY_TTL_MS,
  decodeCursor,
  searchTerms,
  tokenize,
  type AttachmentRecord,
  type SeedData,
  type Store,
} from '@portico/server';
import { NOW } from '../helpers.ts';
import type { FeatureCases } from './index.ts';

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const facts = (t: Ticket) => ({ ...t, requesterId: t.requester.id });

/** Whether a ticket's text (subject, ref, description, comments) has one of the words, the last one as a prefix. */
function mentions(seed: SeedData, t: Ticket, words: string[], prefixLast: boolean): boolean {
  const tokens = [...tokenize(`${t.ref} ${t.subject} ${t.description}`), ...seed.comments.filter((c) => c.ticketId === t.id).flatMap((c) => tokenize(c.body))];
  return words.some((w, i) => tokens.some((tok) => (prefixLast && i === words.length - 1 ? tok.startsWith(w) : tok === w)));
}

function attachment(overrides: Partial<AttachmentRecord> = {}): AttachmentRecord {
  return {
    id: `att_${Math.random().toString(36).slice(2)}`,
    name: 'screenshot.png',
    contentType: 'image/png',
    size: 1234,
    ticketId: null,
    createdAt: NOW.toISOString(),
    accountId: DEMO_ACCOUNTS.acme,
    uploaderId: DEMO_CONTACTS.jay,
    ...overrides,
  };
}

const draft = (more: Partial<Parameters<Store['createTicket']>[0]> = {}): Parameters<Store['createTicket']>[0] => ({
  accountId: DEMO_ACCOUNTS.acme,
  requesterId: DEMO_CONTACTS.jay,
  subject: 'Printer on fire',
  description: 'It is really on fire.',
  category: 'technical',
  priority: 'normal',
  visibility: 'private',
  actor: { kind: 'contact', id: DEMO_CONTACTS.jay, name: 'Jay Morales' },
  now: NOW.toISOString(),
  ...more,
});

export const ticketFormCases: FeatureCases = (seeded) => {
  it('ticket form: possible duplicates are visible, open, of the account, matching, best first', async () => {
    const { store, seed } = await seeded();
    try {
      const mia = seed.contacts.find((c) => c.id === DEMO_CONTACTS.mia)!;
      const actor: Actor = { contactId: mia.id, accountId: mia.accountId, role: 'member', childAccountIds: [] };
      const got = await store.findSimilarTickets({
        scope: ticketScope(actor),
        accountIds: [mia.accountId],
        statuses: UNSOLVED_STATUSES,
        text: 'SSO login fails',
        limit: 5,
      });
      assert.equal(got[0]?.ref, 'T-1001', 'the ticket with every word in its subject ranks first');
      const ben = got.find((t) => t.requester.id === DEMO_CONTACTS.ben && /okta sso/i.test(t.subject));
      assert.ok(ben, "a colleague's report of the same outage is offered");
      assert.deepEqual(
        await store.findSimilarTickets({ scope: ticketScope(actor), accountIds: [mia.accountId], statuses: UNSOLVED_STATUSES, text: 'the and of', limit: 5 }),
        [],
        'stopwords alone match nothing',
      );

      // Every role of every account, with words from the seed: results are always within the policy.
      const vocabulary = [...new Set(seed.tickets.flatMap((t) => tokenize(t.subject)).filter((w) => w.length > 3))];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...seed.contacts),
          actorRoleArb,
          fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 5 }),
          async (contact, { role, rules }, words, prefix, limit) => {
            const children = seed.accounts.filter((a) => a.parentId === contact.accountId).map((a) => a.id);
            const who: Actor = { contactId: contact.id, accountId: contact.accountId, role, rules, childAccountIds: children };
            const text = words.join(' ') + (prefix ? '' : ' ');
            // Which words count (stopwords do not) and whether the last is a prefix is searchTerms' documented contract.
            const { terms, prefixLast } = searchTerms(text);
            const result = await store.findSimilarTickets({
              scope: ticketScope(who),
              accountIds: [contact.accountId],
              statuses: UNSOLVED_STATUSES,
              text,
              limit,
            });
            assert.ok(result.length <= limit);
            assert.equal(new Set(result.map((t) => t.id)).size, result.length, 'no ticket twice');
            for (const t of result) {
              assert.ok(canView(who, facts(t)), `${t.ref} must be visible to ${contact.email} as ${role}`);
              assert.equal(t.accountId, contact.accountId);
              assert.ok((UNSOLVED_STATUSES as readonly string[]).includes(t.status));
              assert.ok(mentions(seed, t, terms, prefixLast), `${t.ref} mentions one of ${terms.join(', ')}`);
            }
            // Nothing that qualifies is left out while there is room.
            const qualifying = seed.tickets.filter(
              (t) =>
                t.accountId === contact.accountId &&
                (UNSOLVED_STATUSES as readonly string[]).includes(t.status) &&
                canView(who, facts(t)) &&
                mentions(seed, t, terms, prefixLast),
            );
            assert.equal(result.length, Math.min(limit, qualifying.length));
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await store.close();
    }
  });

  it('ticket form: following is idempotent and bumps the version only on change', async () => {
    const { store, seed } = await seeded();
    try {
      const t = seed.tickets.find((x) => x.ref === 'T-1001')!;
      const followed = (await store.setFollowing(t.id, DEMO_CONTACTS.ben, true, NOW.toISOString()))!;
      assert.deepEqual(followed.followerIds, [...t.followerIds, DEMO_CONTACTS.ben].sort());
      assert.equal(followed.version, t.version + 1);
      assert.equal(followed.updatedAt, t.updatedAt, 'following is not an update of the ticket');
      const again = (await store.setFollowing(t.id, DEMO_CONTACTS.ben, true, NOW.toISOString()))!;
      assert.deepEqual(again.followerIds, followed.followerIds);
      assert.equal(again.version, followed.version);
      const search = await store.searchTickets({
        scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }],
        filter: { followerId: DEMO_CONTACTS.ben },
        sort: 'updated',
        limit: 100,
      });
      assert.ok(
        search.items.some((x) => x.id === t.id),
        'the Following filter finds it',
      );
      const unfollowed = (await store.setFollowing(t.id, DEMO_CONTACTS.ben, false, NOW.toISOString()))!;
      assert.deepEqual(unfollowed.followerIds, t.followerIds);
      assert.equal(unfollowed.version, t.version + 2);
      assert.equal(await store.setFollowing('tkt_nope', DEMO_CONTACTS.ben, true, NOW.toISOString()), undefined);
    } finally {
      await store.close();
    }
  });

  it('ticket form: creates with followers, business impact and attachments, atomically', async () => {
    const { store, seed } = await seeded();
    try {
      const a1 = await store.createAttachment(attachment({ name: 'one.png', createdAt: at(1) }));
      const a2 = await store.createAttachment(attachment({ name: 'two.pdf', contentType: 'application/pdf', createdAt: at(2) }));
      assert.equal(a1.ticketId, null);
      assert.equal('uploaderId' in a1, false, 'the public attachment hides who uploaded it');
      assert.deepEqual(await store.getAttachment(a1.id), { ...attachment(), id: a1.id, name: 'one.png', createdAt: at(1) });

      const ticket = await store.createTicket(
        draft({
          priority: 'urgent',
          businessImpact: 'Sales cannot invoice',
          followerIds: [DEMO_CONTACTS.mia, DEMO_CONTACTS.ada, DEMO_CONTACTS.mia],
          attachmentIds: [a1.id, a2.id],
        }),
      );
      assert.deepEqual(ticket.followerIds, [DEMO_CONTACTS.ada, DEMO_CONTACTS.mia].sort());
      assert.equal(ticket.businessImpact, 'Sales cannot invoice');
      assert.deepEqual(await store.getTicket(ticket.id), ticket);
      assert.deepEqual(
        (await store.listAttachments(ticket.id)).map((a) => [a.name, a.ticketId]),
        [
          ['one.png', ticket.id],
          ['two.pdf', ticket.id],
        ],
      );

      const count = async () =>
        (await store.searchTickets({ scope: [{ kind: 'all', accountId: DEMO_ACCOUNTS.acme }], filter: {}, sort: 'updated', limit: 100 })).items.length;
      const before = await count();
      // Already linked, someone else's upload, another account's follower: each refuses the whole write.
      await assert.rejects(store.createTicket(draft({ attachmentIds: [a1.id] })));
      const bens = await store.createAttachment(attachment({ uploaderId: DEMO_CONTACTS.ben }));
      await assert.rejects(store.createTicket(draft({ attachmentIds: [bens.id] })));
      await assert.rejects(store.createTicket(draft({ followerIds: [DEMO_CONTACTS.gus] })));
      await assert.rejects(store.createTicket(draft({ attachmentIds: ['att_nope'] })));
      assert.equal(await count(), before, 'nothing was written');
      assert.equal((await store.getAttachment(bens.id))!.ticketId, null);
      await assert.rejects(store.createAttachment(attachment({ uploaderId: DEMO_CONTACTS.gus })), 'an uploader outside the account is refused');

      const plain = await store.createTicket(draft());
      assert.equal(plain.businessImpact, undefined);
      assert.deepEqual(plain.followerIds, []);
      assert.deepEqual(await store.listAttachments(plain.id), []);
      assert.ok(seed.tickets.length > 0);
    } finally {
      await store.close();
    }
  });

  it('ticket form: an attachment completes its idempotency key with the public record', async () => {
    const { store } = await seeded();
    try {
      const ref = { contactId: DEMO_CONTACTS.jay, key: 'upload-1' };
      assert.deepEqual(await store.claimIdempotencyKey({ ...ref, fingerprint: 'f', now: NOW.toISOString() }), { state: 'claimed' });
      const created = await store.createAttachment(attachment(), { idempotency: ref });
      const replay = await store.claimIdempotencyKey({ ...ref, fingerprint: 'f', now: at(IDEMPOTENCY_TTL_MS - 1000) });
      assert.deepEqual(replay, { state: 'completed', fingerprint: 'f', status: 201, body: created });
    } finally {
      await store.close();
    }
  });

  it('ticket form: articles search best first, page without text, and count deflections', async () => {
    const { store, seed } = await seeded();
    try {
      const articles = seed.articles ?? [];
      assert.equal(articles.length, 23);
      const sso = await store.searchArticles({ text: 'SSO login fails certificate', limit: 3 });
      assert.equal(sso.items[0]?.id, 'art_sso_certificate_rotation');
      assert.ok(sso.items.length <= 3);
      assert.equal(sso.nextCursor, null);
      assert.deepEqual((await store.searchArticles({ text: 'zyxwvut', limit: 3 })).items, []);
      assert.deepEqual(
        await store.getArticle('art_sso_certificate_rotation'),
        articles.find((a) => a.id === 'art_sso_certificate_rotation'),
      );
      assert.equal(await store.getArticle('art_nope'), undefined);

      const all = [];
      let after: [string, string] | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await store.searchArticles({ limit: 7, after });
        all.push(...page.items);
        if (!page.nextCursor) break;
        after = decodeCursor(page.nextCursor, 'ar', 'ss') as [string, string];
      }
      const want = [...articles].sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1));
      assert.deepEqual(
        all.map((a) => a.id),
        want.map((a) => a.id),
      );

      const d = {
        id: 'dfl_1',
        articleId: 'art_sso_certificate_rotation',
        accountId: DEMO_ACCOUNTS.acme,
        contactId: DEMO_CONTACTS.mia,
        query: 'SSO login fails',
        createdAt: at(0),
      };
      assert.deepEqual(await store.recordDeflection(d), d);
      await store.recordDeflection({ ...d, id: 'dfl_2', query: null, createdAt: at(60_000) });
      await store.recordDeflection({ ...d, id: 'dfl_3', accountId: DEMO_ACCOUNTS.globex, contactId: DEMO_CONTACTS.gus, createdAt: at(60_000) });
      assert.equal(await store.countDeflections([DEMO_ACCOUNTS.acme]), 2);
      assert.equal(await store.countDeflections([DEMO_ACCOUNTS.acme, DEMO_ACCOUNTS.globex]), 3);
      assert.equal(await store.countDeflections([DEMO_ACCOUNTS.acme], at(30_000)), 1);
      await assert.rejects(store.recordDeflection({ ...d, id: 'dfl_4', articleId: 'art_nope' }));
    } finally {
      await store.close();
    }
  });
};
