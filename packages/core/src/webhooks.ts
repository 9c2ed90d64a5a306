/**
 * Webhook endpoints of the vendor's service plane (`/v1/service/webhooks`): where Portico
 * delivers outbox events, signed as the Standard Webhooks specification describes. The
 * server validates with these schemas and docs/openapi.json is generated from them.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { OUTBOX_EVENT_TYPES } from './domain.ts';
import { PageQuerySchema } from './inputs.ts';

/** Longest accepted endpoint URL. */
export const WEBHOOK_URL_MAX = 2048;
/** Longest endpoint description. */
export const WEBHOOK_DESCRIPTION_MAX = 500;

/** Where a delivery stands: waiting for an attempt, delivered (2xx), or given up after the last retry. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Why an endpoint is disabled: by the vendor (`manual`), or after a day of failed deliveries (`failing`). */
export const WEBHOOK_DISABLED_REASONS = ['manual', 'failing'] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

const timestamp = z.iso.datetime();

/**
 * An endpoint URL: http or https, no user name or password in it. Whether its host is a
 * private address is checked by the server (it resolves the name), not here.
 */
export const WebhookUrlSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'URL is required'),
  z.maxLength(WEBHOOK_URL_MAX, `URL must be at most ${WEBHOOK_URL_MAX} characters`),
  z.refine((value) => URL.canParse(value), 'Enter an absolute URL, e.g. https://example.com/portico/webhooks'),
  z.refine((value) => !URL.canParse(value) || ['http:', 'https:'].includes(new URL(value).protocol), 'Only http and https URLs can receive webhooks'),
  z.refine(
    (value) => !URL.canParse(value) || (!new URL(value).username && !new URL(value).password),
    'Put no user name or password in the URL: verify the signature instead',
  ),
);

/** Event types an endpoint receives; absent or null = every event. */
const eventTypes = z.nullable(
  z
    .array(z.enum(OUTBOX_EVENT_TYPES, `Unknown event type. Known types: ${OUTBOX_EVENT_TYPES.join(', ')}`))
    .check(z.minLength(1, 'Name at least one event type, or send null for all')),
);

/**
 * `POST /v1/service/webhooks`. Strict, like every body here: a misspelled filter (`events`
 * for `eventTypes`) is a 422 naming it, not an endpoint that silently receives every event.
 */
export const WebhookEndpointCreateSchema = z.strictObject({
  url: WebhookUrlSchema,
  description: z.optional(
    z.string().check(z.trim(), z.maxLength(WEBHOOK_DESCRIPTION_MAX, `Description must be at most ${WEBHOOK_DESCRIPTION_MAX} characters`)),
  ),
  /** Only these event types (default: all). */
  eventTypes: z.optional(eventTypes),
  /** Start disabled (default false). */
  enabled: z.optional(z.boolean()),
});
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreateSchema>;

/** `PATCH /v1/service/webhooks/{id}`: only the fields sent change. */
export const WebhookEndpointUpdateSchema = z.partial(
  z.strictObject({
    url: WebhookUrlSchema,
    description: z.string().check(z.trim(), z.maxLength(WEBHOOK_DESCRIPTION_MAX, `Description must be at most ${WEBHOOK_DESCRIPTION_MAX} characters`)),
    eventTypes,
    /** Re-enabling resumes delivery with the events that happen from then on. */
    enabled: z.boolean(),
  }),
);
export type WebhookEndpointUpdate = z.infer<typeof WebhookEndpointUpdateSchema>;

/** `POST /v1/service/webhooks/{id}/rotate-secret`. */
export const WebhookSecretRotationSchema = z.strictObject({
  /**
   * How long the previous secret keeps signing deliveries next to the new one, in seconds
   * (0–604800, default 86400): receivers switch over without dropping a delivery.
   */
  previousSecretTtlSeconds: z.optional(z.int('Give whole seconds').check(z.minimum(0, 'At least 0'), z.maximum(604_800, 'At most 7 days (604800)'))),
});
export type WebhookSecretRotation = z.infer<typeof WebhookSecretRotationSchema>;

/** A registered endpoint, as the service API shows it (never with its secret, except once). */
export const WebhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  /** Event types it receives; null = every event. */
  eventTypes: z.nullable(z.array(z.enum(OUTBOX_EVENT_TYPES))),
  enabled: z.boolean(),
  /** Why it is disabled; null while enabled. */
  disabledReason: z.nullable(z.enum(WEBHOOK_DISABLED_REASONS)),
  /** Since when every delivery attempt failed; null after a success. */
  failingSince: z.nullable(timestamp),
  /** Until when the previous secret also signs deliveries (after a rotation); null otherwise. */
  previousSecretExpiresAt: z.nullable(timestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** The answer of a create or a rotation: the endpoint plus its `whsec_…` secret, shown this once. */
export const WebhookEndpointWithSecretSchema = z.extend(WebhookEndpointSchema, {
  /** The signing secret (`whsec_` + base64 of 32 random bytes). Store it: it is never shown again. */
  secret: z.string(),
});
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

/** One outbox event on its way to one endpoint. */
export const WebhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  /** The outbox event: also the `webhook-id` header, the same on every attempt, so receivers can de-duplicate. */
  eventId: z.string(),
  eventType: z.enum(OUTBOX_EVENT_TYPES),
  /** The ticket whose events are delivered in order, if any. */
  ticketId: z.nullable(z.string()),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  /** Attempts made so far. */
  attempts: z.number(),
  /** When the next attempt is due (pending only). */
  nextAttemptAt: z.nullable(timestamp),
  lastAttemptAt: z.nullable(timestamp),
  /** HTTP status of the last attempt; null when it got no response (refused, timed out). */
  lastResponseStatus: z.nullable(z.number()),
  /** Why the last attempt failed, without a response status (e.g. `timeout`). */
  lastError: z.nullable(z.string()),
  /** How long the last attempt took, in milliseconds. */
  lastDurationMs: z.nullable(z.number()),
  createdAt: timestamp,
  /** When it was delivered. */
  deliveredAt: z.nullable(timestamp),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** Query of `GET /v1/service/webhooks/{id}/deliveries` (newest first). */
export const WebhookDeliveryQuerySchema = z.extend(PageQuerySchema, {
  status: z.optional(z.enum(WEBHOOK_DELIVERY_STATUSES, `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}`)),
});

/** What a webhook request's JSON body holds (Standard Webhooks: `type`, `timestamp`, `data`). */
export const WebhookPayloadSchema = z.object({
  /** The outbox event id (also the `webhook-id` header). */
  id: z.string(),
  type: z.enum(OUTBOX_EVENT_TYPES),
  /** When it happened (the event's `occurredAt`). */
  timestamp,
  /** The outbox position: larger is later. */
  sequence: z.number(),
  accountId: z.nullable(z.string()),
  ticketId: z.nullable(z.string()),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
