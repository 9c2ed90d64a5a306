/**
 * The knowledge base as customers see it: search articles while a ticket is typed, read one,
 * and record a deflection (an article answered the question, so no ticket was filed).
 * Only published articles whose audience includes the caller's account tier exist here
 * (others answer 404), in the reader's language first (see `readerLanguage`).
 */
import {
  ArticleQuerySchema,
  DEFAULT_ARTICLE_LOCALE,
  DEFAULT_PAGE_SIZE,
  DeflectionCreateSchema,
  canonicalLocale,
  fieldErrorsOf,
  localeLanguage,
  type Account,
  type Article,
  type Contact,
} from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { notFound, validationFailed } from '../problem.ts';
import { articleMatches, newId, type ArticleSearch } from '../store.ts';
import { queryFieldErrors, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

/** What a customer of this account may read: published articles of its audience. */
const readableBy = (account: Account) => ({ status: 'published', tier: account.tier }) as const;

/**
 * The language a customer reads: `?locale=` when sent, else the contact's own locale (when
 * the vendor provisioned one), else the first language of `Accept-Language` (browsers send
 * the user's), else `en`.
 */
function readerLanguage(c: RouteContext, requested: string | undefined, contact: Contact): string {
  if (requested) {
    const canonical = canonicalLocale(requested);
    if (!canonical) throw validationFailed({ locale: ['locale must be a BCP 47 language tag such as en, de or pt-BR'] }, 'The query is invalid.');
    return localeLanguage(canonical);
  }
  const own = (contact as Contact & { locale?: string | null }).locale;
  const accepted = (c.req.header('Accept-Language') ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .find((tag) => tag && tag !== '*' && canonicalLocale(tag));
  return localeLanguage((own && canonicalLocale(own)) || accepted || DEFAULT_ARTICLE_LOCALE);
}

export function registerArticleRoutes(app: PorticoApp, kit: RouteKit): void {
  /** The article if the caller's account may read it; 404 otherwise (drafts and other audiences do not exist for it). */
  const readableArticle = async (account: Account, id: string): Promise<Article> => {
    const article = await kit.store.getArticle(id);
    if (!article || !articleMatches(article, readableBy(account))) throw notFound('No such article.');
    return article;
  };

  app.get('/v1/articles', async (c) => {
    const { contact, account } = c.get('caller');
    const parsed = ArticleQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { q, cursor, limit } = parsed.data;
    let after: [string, string] | undefined;
    if (cursor) {
      if (q) throw validationFailed({ cursor: ['Search results are not paged; send q or cursor, not both.'] }, 'The query is invalid.');
      after = decodeCursor(cursor, 'ar', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    const language = readerLanguage(c, parsed.data.locale, contact);
    const fallback = localeLanguage(DEFAULT_ARTICLE_LOCALE);
    const search: ArticleSearch = { ...readableBy(account), text: q || undefined, after, limit: limit ?? DEFAULT_PAGE_SIZE, language };
    if (language !== fallback) {
      // The reader's language first; where it has nothing (no match, or no article at all
      // when listing), the default locale answers instead of an empty list.
      const probe = search.text === undefined ? { ...search, after: undefined, limit: 1 } : search;
      const own = await kit.store.searchArticles(probe);
      if (own.items.length === 0) search.language = fallback;
      else if (probe === search) return c.json(own);
    }
    return c.json(await kit.store.searchArticles(search));
  });

  app.get('/v1/articles/:id', async (c) => {
    return c.json(await readableArticle(c.get('caller').account, c.req.param('id')));
  });

  app.post('/v1/articles/:id/deflections', async (c) => {
    const { contact, account } = c.get('caller');
    const article = await readableArticle(account, c.req.param('id'));
    const body = await kit.readJson(c);
    const parsed = DeflectionCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const query = parsed.data.query;
    return kit.idempotent(c, contact.id, body, async (idempotency) => {
      const deflection = await kit.store.recordDeflection(
        { id: newId('dfl'), articleId: article.id, accountId: account.id, contactId: contact.id, query: query || null, createdAt: kit.now().toISOString() },
        { idempotency },
      );
      return c.json(deflection, 201);
    });
  });
}
