/**
 * Knowledge-base authoring on the vendor's side (`/v1/service/articles`, service API key):
 * create, read, list, change (`If-Match`), publish / unpublish and delete articles. Customers
 * read what is published for their tier through `GET /v1/articles` (routes/articles.ts) at
 * once: there is no cache between the two.
 */
import {
  ArticleCreateSchema,
  ArticlePatchSchema,
  DEFAULT_ARTICLE_LOCALE,
  DEFAULT_PAGE_SIZE,
  ServiceArticleQuerySchema,
  canonicalLocale,
  fieldErrorsOf,
  type Article,
} from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import { newId, type ArticleChanges } from '../store.ts';
import { apiPath, queryFieldErrors, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

/** ETag of an article for `If-Match`: changes with every write. */
export const articleEtag = (article: Pick<Article, 'version'>): string => `"a${article.version}"`;

/**
 * `If-Match` as an article version: undefined when absent or `*`; -1 (matches nothing) when
 * it is not one of our ETags, so a garbled precondition fails safe with 412.
 */
function ifMatchVersion(c: RouteContext): number | undefined {
  const header = c.req.header('If-Match')?.trim();
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"a(\d+)"$/.exec(header);
  return match ? Number(match[1]) : -1;
}

const stale = (article: Article) =>
  new ProblemError(412, 'precondition_failed', 'The article changed since you loaded it. Nothing was saved: reload it and try again.', {
    headers: { ETag: articleEtag(article) },
  });

/** A locale field as its canonical tag (`pt-br` → `pt-BR`), or a 422 naming the field. */
function localeOr422(value: string, field = 'locale'): string {
  const canonical = canonicalLocale(value);
  if (!canonical) throw validationFailed({ [field]: ['locale must be a BCP 47 language tag such as en, de or pt-BR'] });
  return canonical;
}

export function registerServiceArticleRoutes(app: PorticoApp, kit: RouteKit): void {
  const articleOr404 = async (id: string) => {
    const article = await kit.store.getArticle(id);
    if (!article) throw notFound('No such article.');
    return article;
  };

  /** Applies changes under the request's `If-Match`; answers the article with its new ETag. */
  const change = async (c: RouteContext, changes: ArticleChanges) => {
    const article = await articleOr404(c.req.param('id')!);
    const expectedVersion = ifMatchVersion(c);
    if (expectedVersion !== undefined && expectedVersion !== article.version) throw stale(article);
    const result = await kit.store.updateArticle({ id: article.id, changes, expectedVersion: article.version, now: kit.now().toISOString() });
    if (result.state === 'missing') throw notFound('No such article.');
    if (result.state === 'stale') throw stale(result.article);
    return c.json(result.article, 200, { ETag: articleEtag(result.article) });
  };

  app.post('/v1/service/articles', async (c) => {
    const body = await kit.readJson(c);
    const parsed = ArticleCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    const locale = localeOr422(input.locale ?? DEFAULT_ARTICLE_LOCALE);
    return kit.idempotent(c, `service:${c.get('service').keyIndex}`, body, async (idempotency) => {
      const now = kit.now().toISOString();
      const status = input.status ?? 'draft';
      const article = await kit.store.createArticle(
        {
          id: newId('art'),
          title: input.title,
          summary: input.summary,
          body: input.body,
          category: input.category,
          locale,
          audience: input.audience ?? 'all',
          status,
          publishedAt: status === 'published' ? now : null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        },
        { idempotency },
      );
      return c.json(article, 201, { ETag: articleEtag(article), Location: apiPath(c, `/v1/service/articles/${article.id}`) });
    });
  });

  app.get('/v1/service/articles', async (c) => {
    const parsed = ServiceArticleQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { q, status, locale, cursor, limit } = parsed.data;
    let after: [string, string] | undefined;
    if (cursor) {
      if (q) throw validationFailed({ cursor: ['Search results are not paged; send q or cursor, not both.'] }, 'The query is invalid.');
      after = decodeCursor(cursor, 'ar', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    const page = await kit.store.searchArticles({
      text: q || undefined,
      after,
      limit: limit ?? DEFAULT_PAGE_SIZE,
      status,
      locale: locale ? localeOr422(locale) : undefined,
    });
    return c.json(page);
  });

  app.get('/v1/service/articles/:id', async (c) => {
    const article = await articleOr404(c.req.param('id'));
    return c.json(article, 200, { ETag: articleEtag(article) });
  });

  app.patch('/v1/service/articles/:id', async (c) => {
    await articleOr404(c.req.param('id'));
    const body = await kit.readJson(c);
    const parsed = ArticlePatchSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const { locale, ...rest } = parsed.data;
    if (Object.keys(parsed.data).length === 0) throw validationFailed({ _: ['Send at least one field to change.'] });
    return change(c, { ...rest, ...(locale !== undefined ? { locale: localeOr422(locale) } : {}) });
  });

  app.post('/v1/service/articles/:id/publish', (c) => change(c, { status: 'published' }));
  app.post('/v1/service/articles/:id/unpublish', (c) => change(c, { status: 'draft' }));

  app.delete('/v1/service/articles/:id', async (c) => {
    const article = await articleOr404(c.req.param('id'));
    const expectedVersion = ifMatchVersion(c);
    if (expectedVersion !== undefined && expectedVersion !== article.version) throw stale(article);
    if (!(await kit.store.deleteArticle(article.id))) throw notFound('No such article.');
    return c.body(null, 204);
  });
}
