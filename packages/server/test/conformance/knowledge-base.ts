/**
 * Conformance cases of knowledge-base authoring: articles are created, changed, published,
 * unpublished and deleted with the full-text index in step; searches filter by state,
 * audience tier, language and locale exactly as `articleMatches` says; deflections write
 * the activity the account summary counts; `load` refuses invalid records.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, SeedValidationError, articleMatches, type ArticleSearch, type Store } from '@portico/server';
import { NOW } from '../helpers.ts';
import type { FeatureCases } from './index.ts';

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: 'art_new',
    title: 'Rotate the quokkaline zebrafold secret',
    summary: 'Make a new secret, deploy it, then retire the old one.',
    body: 'Webhook receivers accept both secrets during the switch.',
    category: 'technical',
    locale: 'en',
    audience: 'all',
    status: 'draft',
    publishedAt: null,
    createdAt: at(0),
    updatedAt: at(0),
    version: 1,
    ...overrides,
  };
}

/** Every article a search without text returns, following the cursor. */
async function listAll(store: Store, search: Omit<ArticleSearch, 'limit' | 'after'>): Promise<string[]> {
  const ids: string[] = [];
  let after: [string, string] | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await store.searchArticles({ ...search, limit: 4, after });
    ids.push(...page.items.map((a) => a.id));
    const last = page.items.at(-1);
    if (!page.nextCursor || !last) break;
    after = [last.updatedAt, last.id];
  }
  return ids;
}

export const knowledgeBaseCases: FeatureCases = (seeded) => {
  it('knowledge base: create, change, publish and unpublish keep the version, times and text index in step', async () => {
    const { store } = await seeded();
    try {
      const created = await store.createArticle(article());
      assert.deepEqual(created, article());
      assert.deepEqual(await store.getArticle('art_new'), article());
      await assert.rejects(store.createArticle(article()), 'an id is taken once');
      const words = async (text: string) => (await store.searchArticles({ text, limit: 10 })).items.map((a) => a.id);
      assert.deepEqual(await words('quokkaline zebrafold'), ['art_new']);

      const renamed = await store.updateArticle({
        id: 'art_new',
        changes: { title: 'Rotate the marmotic credential', audience: { tiers: ['premier'] } },
        expectedVersion: 1,
        now: at(1000),
      });
      assert.equal(renamed.state, 'updated');
      const after = (renamed as { article: Article }).article;
      assert.deepEqual(after, { ...article(), title: 'Rotate the marmotic credential', audience: { tiers: ['premier'] }, updatedAt: at(1000), version: 2 });
      assert.deepEqual(await store.getArticle('art_new'), after);
      assert.deepEqual(await words('quokkaline'), [], 'the old title is out of the index');
      assert.deepEqual(await words('marmotic'), ['art_new']);

      const stale = await store.updateArticle({ id: 'art_new', changes: { title: 'Lost update' }, expectedVersion: 1, now: at(2000) });
      assert.deepEqual(stale, { state: 'stale', article: after });
      assert.deepEqual(await store.updateArticle({ id: 'art_nope', changes: { title: 'x' }, now: at(2000) }), { state: 'missing' });
      const same = await store.updateArticle({ id: 'art_new', changes: { title: after.title }, now: at(2000) });
      assert.deepEqual(same, { state: 'updated', article: after }, 'no change, no new version');

      const published = await store.updateArticle({ id: 'art_new', changes: { status: 'published' }, now: at(3000) });
      assert.deepEqual(published, { state: 'updated', article: { ...after, status: 'published', publishedAt: at(3000), updatedAt: at(3000), version: 3 } });
      const drafted = await store.updateArticle({ id: 'art_new', changes: { status: 'draft' }, now: at(4000) });
      assert.deepEqual(drafted, { state: 'updated', article: { ...after, status: 'draft', publishedAt: null, updatedAt: at(4000), version: 4 } });
    } finally {
      await store.close();
    }
  });

  it('knowledge base: searches filter by state, audience tier, language and locale, as articleMatches says', async () => {
    const { store, seed } = await seeded();
    try {
      const extra = [
        article({ id: 'art_de_ch', locale: 'de-CH', status: 'published', publishedAt: at(0), title: 'Rechnung für Schweizer Konten', updatedAt: at(10) }),
        article({ id: 'art_pt', locale: 'pt-BR', status: 'published', publishedAt: at(0), audience: { tiers: ['standard'] }, updatedAt: at(20) }),
        article({ id: 'art_std_draft', audience: { tiers: ['standard'] }, updatedAt: at(30) }),
      ];
      for (const a of extra) await store.createArticle(a);
      const all = [...(seed.articles ?? []), ...extra];
      const newestFirst = (a: Article, b: Article) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1);
      const searches: Omit<ArticleSearch, 'limit' | 'after'>[] = [
        {},
        { status: 'published' },
        { status: 'draft' },
        { status: 'published', tier: 'standard' },
        { status: 'published', tier: 'premier' },
        { status: 'published', tier: 'premier', language: 'de' },
        { language: 'pt' },
        { locale: 'PT-br' },
        { locale: 'de' },
        { tier: 'standard', language: 'en' },
      ];
      for (const search of searches) {
        const want = all
          .filter((a) => articleMatches(a, search))
          .sort(newestFirst)
          .map((a) => a.id);
        assert.deepEqual(await listAll(store, search), want, JSON.stringify(search));
      }
      assert.ok(
        (await listAll(store, { status: 'published', tier: 'standard' })).every((id) => id !== 'art_premier_phone_line'),
        'premier-only stays with premier',
      );
      const sso = await store.searchArticles({ text: 'SSO certificate', limit: 10, status: 'published', language: 'de' });
      assert.deepEqual(
        sso.items.map((a) => a.id),
        ['art_sso_certificate_rotation_de'],
      );
      const found = async (search: Omit<ArticleSearch, 'limit'>) => (await store.searchArticles({ ...search, limit: 30 })).items.map((a) => a.id);
      assert.ok((await found({ text: 'release dashboard sharing' })).includes('art_draft_release_notes'));
      assert.ok(
        !(await found({ text: 'release dashboard sharing', status: 'published' })).includes('art_draft_release_notes'),
        'a draft is never found by a published-only search',
      );
    } finally {
      await store.close();
    }
  });

  it('knowledge base: delete removes the article and its index entry; its deflections stay counted', async () => {
    const { store } = await seeded();
    try {
      await store.createArticle(article({ status: 'published', publishedAt: at(0) }));
      const d = {
        id: 'dfl_kb',
        articleId: 'art_new',
        accountId: DEMO_ACCOUNTS.acme,
        contactId: DEMO_CONTACTS.mia,
        query: 'webhook secret',
        createdAt: at(5000),
      };
      await store.recordDeflection(d);
      assert.equal(await store.deleteArticle('art_new'), true);
      assert.equal(await store.getArticle('art_new'), undefined);
      assert.deepEqual((await store.searchArticles({ text: 'quokkaline zebrafold', limit: 5 })).items, []);
      assert.equal(await store.deleteArticle('art_new'), false);
      assert.equal(await store.countDeflections([DEMO_ACCOUNTS.acme], at(0)), 1);
      await assert.rejects(store.recordDeflection({ ...d, id: 'dfl_gone' }), 'no deflection of a deleted article');
    } finally {
      await store.close();
    }
  });

  it('knowledge base: a deflection writes the article.deflected activity of the account, in the same write', async () => {
    const { store } = await seeded();
    try {
      const scope = [{ kind: 'all' as const, accountId: DEMO_ACCOUNTS.acme }];
      const count = () => store.countActivity({ scope, accountIds: [DEMO_ACCOUNTS.acme], filter: { types: ['article.deflected'] } });
      assert.equal(await count(), 0);
      await store.recordDeflection({
        id: 'dfl_a',
        articleId: 'art_sso_setup',
        accountId: DEMO_ACCOUNTS.acme,
        contactId: DEMO_CONTACTS.mia,
        query: 'private words',
        createdAt: at(0),
      });
      assert.equal(await count(), 1);
      const [entry] = (await store.searchActivity({ scope, accountIds: [DEMO_ACCOUNTS.acme], filter: { types: ['article.deflected'] }, limit: 5 })).items;
      assert.deepEqual(
        [entry?.actor, entry?.ticketId, entry?.data, entry?.createdAt],
        [
          { kind: 'contact', id: DEMO_CONTACTS.mia, name: 'Mia Chen' },
          null,
          { articleId: 'art_sso_setup', title: 'Set up SAML single sign-on with Okta, Azure AD or ADFS' },
          at(0),
        ],
      );
      assert.ok(!JSON.stringify(entry).includes('private words'), 'what the contact typed stays out of the timeline');
      // A contact of another account cannot deflect for this one: nothing is written.
      await assert.rejects(
        store.recordDeflection({
          id: 'dfl_b',
          articleId: 'art_sso_setup',
          accountId: DEMO_ACCOUNTS.acme,
          contactId: DEMO_CONTACTS.gus,
          query: null,
          createdAt: at(0),
        }),
      );
      assert.equal(await count(), 1);
      assert.equal(await store.countDeflections([DEMO_ACCOUNTS.acme]), 1);
    } finally {
      await store.close();
    }
  });

  it('load: an invalid record fails the whole load with a message naming it; nothing is loaded', async () => {
    const { store } = await seeded();
    try {
      const good = { id: 'acc_ok', name: 'OK Ltd', domains: ['ok.example'], tier: 'standard' as const, parentId: null, defaultVisibility: 'private' as const };
      const bad = { ...good, id: 'acc_x', tier: 'business' as never };
      await assert.rejects(
        store.load({ accounts: [good, bad], contacts: [], tickets: [], comments: [], activity: [] }),
        (error: Error) => error instanceof SeedValidationError && /^account acc_x: tier "business" is not one of standard, premier$/.test(error.message),
      );
      assert.equal(await store.getAccount('acc_ok'), undefined, 'not even the valid records');
      await assert.rejects(
        store.load({
          accounts: [],
          contacts: [],
          tickets: [],
          comments: [],
          activity: [],
          articles: [article({ id: 'art_bad', audience: { tiers: [] }, locale: undefined as never })],
        }),
        (error: Error) => /^article art_bad: locale is missing; audience/.test(error.message),
      );
    } finally {
      await store.close();
    }
  });
};
