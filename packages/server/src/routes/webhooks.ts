/**
 * Webhook endpoints of the vendor's side (`/v1/service/webhooks`, service API key): register,
 * list, change, delete, rotate the signing secret, read the delivery log, redeliver. The
 * delivery itself is the worker's job (webhooks/worker.ts), never a request's.
 */
import {
  DEFAULT_PAGE_SIZE,
  PageQuerySchema,
  WebhookDeliveryQuerySchema,
  WebhookEndpointCreateSchema,
  WebhookEndpointUpdateSchema,
  WebhookSecretRotationSchema,
  fieldErrorsOf,
} from '@portico/core';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { notFound, validationFailed } from '../problem.ts';
import { endpointWithSecret, newId, newWebhookSecret, publicEndpoint, type WebhookEndpointRecord } from '../store.ts';
import { apiPath, queryFieldErrors, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

/** Why a webhook URL's addresses are refused, or undefined when it may be used (see webhooks/url-policy.ts). */
export type CheckWebhookUrl = (url: string) => Promise<string | undefined>;

/** How the webhook routes check URLs and tell the delivery worker about manual redeliveries. */
export interface WebhookRouteOptions {
  /** Accept private addresses without a check (local demos, the browser mocks). */
  allowPrivate: boolean;
  /** The address check; without it (and without `allowPrivate`) no URL is accepted. */
  checkUrl?: CheckWebhookUrl | undefined;
  /** Called after a redelivery is queued (the worker's `wake`). */
  onQueued?: (() => void) | undefined;
  /** How long a rotated-out secret keeps signing unless the request says otherwise, seconds (default one day). */
  previousSecretTtlSeconds?: number | undefined;
}

const DEFAULT_PREVIOUS_SECRET_TTL_S = 24 * 3600;

export function registerWebhookRoutes(app: PorticoApp, kit: RouteKit, options: WebhookRouteOptions): void {
  const endpointOr404 = async (id: string): Promise<WebhookEndpointRecord> => {
    const endpoint = await kit.store.getWebhookEndpoint(id);
    if (!endpoint) throw notFound('No such webhook endpoint.');
    return endpoint;
  };
  const checkUrl = async (url: string | undefined) => {
    if (url === undefined || options.allowPrivate) return;
    // Refusing is the safe default where addresses cannot be checked (see AppWebhookOptions).
    const problem = options.checkUrl
      ? await options.checkUrl(url)
      : 'This server cannot check webhook addresses; its operator must configure a URL check (see docs/webhooks.md).';
    if (problem) throw validationFailed({ url: [problem] });
  };
  const parseBody = async <T>(
    c: RouteContext,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  ) => {
    const body = await kit.readJson(c);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    return { body, input: parsed.data };
  };

  app.post('/v1/service/webhooks', async (c) => {
    const { body, input } = await parseBody(c, WebhookEndpointCreateSchema);
    await checkUrl(input.url);
    return kit.idempotent(c, `service:${c.get('service').keyIndex}`, body, async (idempotency) => {
      const endpoint = await kit.store.createWebhookEndpoint(
        {
          id: newId('whe'),
          url: input.url,
          description: input.description ?? '',
          eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : null,
          enabled: input.enabled ?? true,
          secret: newWebhookSecret(),
          now: kit.now().toISOString(),
        },
        { idempotency },
      );
      return c.json(endpointWithSecret(endpoint), 201, { Location: apiPath(c, `/v1/service/webhooks/${endpoint.id}`) });
    });
  });

  app.get('/v1/service/webhooks', async (c) => {
    const parsed = PageQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const limit = parsed.data.limit ?? DEFAULT_PAGE_SIZE;
    let after: [string, string] | undefined;
    if (parsed.data.cursor) {
      const keys = decodeCursor(parsed.data.cursor, 'we', 'ss');
      if (!keys) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
      after = keys as [string, string];
    }
    const rows = await kit.store.listWebhookEndpoints(after, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return c.json({ items: items.map(publicEndpoint), nextCursor: rows.length > limit && last ? encodeCursor('we', [last.createdAt, last.id]) : null });
  });

  app.get('/v1/service/webhooks/:id', async (c) => c.json(publicEndpoint(await endpointOr404(c.req.param('id')))));

  app.patch('/v1/service/webhooks/:id', async (c) => {
    const endpoint = await endpointOr404(c.req.param('id'));
    const { input } = await parseBody(c, WebhookEndpointUpdateSchema);
    await checkUrl(input.url);
    const updated = await kit.store.updateWebhookEndpoint(endpoint.id, {
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes === undefined ? undefined : input.eventTypes && [...new Set(input.eventTypes)],
      enabled: input.enabled,
      now: kit.now().toISOString(),
    });
    if (!updated) throw notFound('No such webhook endpoint.');
    return c.json(publicEndpoint(updated));
  });

  app.delete('/v1/service/webhooks/:id', async (c) => {
    if (!(await kit.store.deleteWebhookEndpoint(c.req.param('id')))) throw notFound('No such webhook endpoint.');
    return c.body(null, 204);
  });

  app.post('/v1/service/webhooks/:id/rotate-secret', async (c) => {
    const endpoint = await endpointOr404(c.req.param('id'));
    // No body is the common case: rotate with the default grace period. The body is read once,
    // size-capped, by parseBody; whether there is one is told by the request's headers.
    const hasBody = c.req.raw.body !== null && c.req.header('Content-Length') !== '0' && c.req.header('Content-Type') !== undefined;
    const input = hasBody ? (await parseBody(c, WebhookSecretRotationSchema)).input : {};
    const ttl = input.previousSecretTtlSeconds ?? options.previousSecretTtlSeconds ?? DEFAULT_PREVIOUS_SECRET_TTL_S;
    const now = kit.now();
    const secret = newWebhookSecret();
    const rotated = await kit.store.updateWebhookEndpoint(endpoint.id, {
      rotate: { secret, previousSecretExpiresAt: ttl > 0 ? new Date(now.getTime() + ttl * 1000).toISOString() : null },
      now: now.toISOString(),
    });
    if (!rotated) throw notFound('No such webhook endpoint.');
    return c.json(endpointWithSecret(rotated));
  });

  app.get('/v1/service/webhooks/:id/deliveries', async (c) => {
    const endpoint = await endpointOr404(c.req.param('id'));
    const parsed = WebhookDeliveryQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const { status, cursor } = parsed.data;
    const limit = parsed.data.limit ?? DEFAULT_PAGE_SIZE;
    let before: number | undefined;
    if (cursor) {
      const keys = decodeCursor(cursor, 'wd', 'n');
      if (!keys) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
      before = keys[0] as number;
    }
    const rows = await kit.store.listWebhookDeliveries({ endpointId: endpoint.id, status, before, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return c.json({ items: items.map((r) => r.delivery), nextCursor: rows.length > limit && last ? encodeCursor('wd', [last.seq]) : null });
  });

  app.post('/v1/service/webhooks/:id/deliveries/:deliveryId/redeliver', async (c) => {
    const endpoint = await endpointOr404(c.req.param('id'));
    const delivery = await kit.store.redeliverWebhook(endpoint.id, c.req.param('deliveryId'), kit.now().toISOString());
    if (!delivery) throw notFound('No such delivery of this endpoint.');
    options.onQueued?.();
    return c.json(delivery, 202);
  });
}
