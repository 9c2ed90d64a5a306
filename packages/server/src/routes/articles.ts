/**
 * The knowledge base: search articles while a ticket is typed, read one, and record a
 * deflection (an article answered the question, so no ticket was filed).
 */
import { ArticleQuerySchema, DEFAULT_PAGE_SIZE, DeflectionCreateSchema, fieldErrorsOf } from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { notFound, validationFailed } from '../problem.ts';
import { newId } from '../store.ts';
import { queryFieldErrors, type PorticoApp, type RouteKit } from './kit.ts';

export function registerArticleRoutes(app: PorticoApp, kit: RouteKit): void {
  app.get('/v1/articles', async (c) => {
    const parsed = ArticleQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { q, cursor, limit } = parsed.data;
    let after: [string, string] | undefined;
    if (cursor) {
      if (q) throw validationFailed({ cursor: ['Search results are not paged; send q or cursor, not both.'] }, 'The query is invalid.');
      after = decodeCursor(cursor, 'ar', 'ss') as [string, string] | undefined;
      if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
    }
    const page = await kit.store.searchArticles({ text: q || undefined, after, limit: limit ?? DEFAULT_PAGE_SIZE });
    return c.json(page);
  });

  app.get('/v1/articles/:id', async (c) => {
    const article = await kit.store.getArticle(c.req.param('id'));
    if (!article) throw notFound('No such article.');
    return c.json(article);
  });

  app.post('/v1/articles/:id/deflections', async (c) => {
    const { contact, account } = c.get('caller');
    const article = await kit.store.getArticle(c.req.param('id'));
    if (!article) throw notFound('No such article.');
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
