/**
 * @portico/server — browser-safe entry: the API app, the store contract, the memory
 * store, the demo seed and token minting. Node-only parts live in `@portico/server/node`.
 */
export { createApp, createAppWithSla, ticketEtag, type AppOptions, type AppWebhookOptions, type PorticoApp } from './app.ts';
export { createSlaSweeper, fillSla, policyFor, slaFacts, validateSlaConfig, withSla, type SlaConfig, type SlaSweeper } from './sla.ts';
export type { LiveEventOptions } from './routes/live-kit.ts';
export {
  AuthError,
  JWKS_MAX_AGE_MS,
  JWKS_REFETCH_COOLDOWN_MS,
  MAX_TOKEN_LIFETIME_S,
  MIN_SECRET_BYTES,
  TOKEN_AUDIENCE,
  createTokenVerifier,
  mintToken,
  type AuthConfig,
  type MintClaims,
  type MintOptions,
  type TokenClaims,
  type TokenVerifier,
} from './auth.ts';
export { MemoryStore } from './memory-store.ts';
export { contactEtag } from './routes/contacts.ts';
export { planContactChange, planInvitation, planInvitationChange, type ContactPlan } from './contact-plans.ts';
export { ACTIVITY_OUTBOX, commentEvent, deflectionEvent, endpointDisabledEvent, outboxEventOf, type OutboxDraft } from './outbox.ts';
export { registerWebhookRoutes, type CheckWebhookUrl, type WebhookRouteOptions } from './routes/webhooks.ts';
export {
  PROVISIONING_ACTOR,
  completeAccount,
  contactCreatedEntries,
  parentsFirst,
  planProvisioning,
  planRolePut,
  type ProvisioningFacts,
  type ProvisioningPlan,
} from './provisioning-plans.ts';
export { resolveRoleRules } from './auth.ts';
export { MemoryBlobStore, type BlobStore } from './blobs.ts';
export { searchTerms, ftsQuery, bm25Rank, tokenize, accountToken, type SearchTerms, type TextRow } from './text-search.ts';
export { SIMILAR_COUNT_CAP, SIMILAR_PER_TERM, similarTerms } from './similar-tickets.ts';
export { ProblemError, problemBody, problemResponse } from './problem.ts';
export { encodeCursor, decodeCursor } from './cursor.ts';
export * from './store.ts';
export { SeedValidationError, validateSeed } from './seed-validation.ts';
export { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_EMAILS, DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, type DemoSeedOptions } from './seed/demo.ts';
export { DEMO_ARTICLES } from './seed/articles.ts';
export { serviceAuth, isServicePath, type ServiceCaller } from './service-auth.ts';
export {
  createRateLimiter,
  createStoreRateLimiter,
  createRateBuckets,
  createRemoteRateLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_RATE_LIMIT,
  type RateLimitOptions,
  type RateLimiter,
} from './rate-limit.ts';
