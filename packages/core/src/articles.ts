/**
 * Knowledge-base authoring (`/v1/service/articles`): what the vendor sends to write articles,
 * and the language rule customers' searches follow. The article itself is `ArticleSchema`
 * in domain.ts.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { ARTICLE_STATUSES, ArticleAudienceSchema, TICKET_CATEGORIES } from './domain.ts';
import { trimmed } from './zod-helpers.ts';

/** Longest article title, summary and body (characters, after trimming). */
export const ARTICLE_TITLE_MAX = 200;
export const ARTICLE_SUMMARY_MAX = 500;
export const ARTICLE_BODY_MAX = 100_000;

/** The locale articles fall back to when none is written in the reader's language. */
export const DEFAULT_ARTICLE_LOCALE = 'en';

const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** A BCP 47 language tag such as `en`, `de` or `pt-BR`. */
export const LocaleSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(LOCALE_PATTERN, 'locale must be a BCP 47 language tag such as en, de or pt-BR'),
    z.maxLength(35, 'locale must be at most 35 characters'),
  );

/** The canonical spelling of a valid language tag (`pt-br` → `pt-BR`); undefined when it is not one. */
export function canonicalLocale(tag: string): string | undefined {
  if (!LOCALE_PATTERN.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The language of a tag, lower-case (`pt-BR` → `pt`): articles match readers by language. */
export const localeLanguage = (tag: string): string => tag.split('-')[0]!.toLowerCase();

const fields = {
  title: trimmed(3, ARTICLE_TITLE_MAX, 'Title'),
  summary: trimmed(1, ARTICLE_SUMMARY_MAX, 'Summary'),
  body: trimmed(1, ARTICLE_BODY_MAX, 'Body', { multiline: true }),
  category: z.enum(TICKET_CATEGORIES, `category must be one of ${TICKET_CATEGORIES.join(', ')}`),
  locale: LocaleSchema,
  audience: ArticleAudienceSchema,
};

/**
 * `POST /v1/service/articles`: a new article. `locale` defaults to `en`, `audience` to
 * `'all'`, `status` to `draft` (publish when ready). Unknown fields are refused.
 */
export const ArticleCreateSchema = z.strictObject({
  ...fields,
  locale: z.optional(fields.locale),
  audience: z.optional(fields.audience),
  status: z.optional(z.enum(ARTICLE_STATUSES, `status must be one of ${ARTICLE_STATUSES.join(', ')}`)),
});
export type ArticleCreate = z.infer<typeof ArticleCreateSchema>;

/**
 * `PATCH /v1/service/articles/{id}`: changes some fields. Publishing is its own action
 * (`POST …/publish`, `POST …/unpublish`), so `status` is not accepted here.
 */
export const ArticlePatchSchema = z.strictObject({
  title: z.optional(fields.title),
  summary: z.optional(fields.summary),
  body: z.optional(fields.body),
  category: z.optional(fields.category),
  locale: z.optional(fields.locale),
  audience: z.optional(fields.audience),
});
export type ArticlePatch = z.infer<typeof ArticlePatchSchema>;
