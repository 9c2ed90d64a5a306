/**
 * The webhook delivery worker: turns outbox events into deliveries, claims due ones with a
 * lease, sends them signed (Standard Webhooks), and records each attempt. It never runs on a
 * request path: the API only writes the outbox, and a slow or failing receiver only delays
 * its own deliveries. Several workers (server processes) can share one database, since a
 * delivery is claimed atomically and a dead worker's claims lapse. See docs/webhooks.md.
 */
import type { OutboxEvent, WebhookPayload } from '@portico/core';
import type { ClaimedDelivery, Store } from '../store.ts';
import { signatureHeader } from './signature.ts';
import type { SendWebhook } from './send.ts';

/**
 * Wait after each failed attempt, in ms (the Standard Webhooks example schedule: about 27 hours
 * in all, after which the delivery is `failed`).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];

/** Timing and limits of the worker. */
export interface WebhookWorkerOptions {
  /** Wait after the 1st, 2nd, … failed attempt; when they run out the delivery fails (default `DEFAULT_RETRY_SCHEDULE_MS`). */
  retryScheduleMs?: readonly number[] | undefined;
  /** Longest attempt, ms (default 10 000). */
  timeoutMs?: number | undefined;
  /** An endpoint whose every attempt failed for this long is disabled, ms (default one day). */
  disableAfterMs?: number | undefined;
  /** How often to look for due retries without being woken, ms (default 1000). */
  pollMs?: number | undefined;
  /** Deliveries in flight at once (default 16). */
  concurrency?: number | undefined;
  /** How long a claim holds before another worker may retry the delivery, ms (default: the timeout + 30 s). */
  leaseMs?: number | undefined;
  /** Finished deliveries older than this leave the delivery log, ms (default 30 days; checked hourly). */
  deliveryRetentionMs?: number | undefined;
}

/** What the worker needs besides its options. */
export interface WebhookWorkerDeps {
  store: Store;
  send: SendWebhook;
  now?: (() => Date) | undefined;
  onError?: ((error: unknown) => void) | undefined;
}

/** A running worker. */
export interface WebhookWorker {
  /** Looks for work now (new outbox events, a redelivery). */
  wake(): void;
  /** Stops taking work and waits for deliveries in flight. */
  stop(): Promise<void>;
}

/** The JSON body of a delivery. */
export function webhookPayload(event: OutboxEvent): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt,
    sequence: event.sequence,
    accountId: event.accountId,
    ticketId: event.ticketId,
    data: event.data,
  };
}

/** Starts a worker on a store: woken by new outbox events and by a timer. */
export function startWebhookWorker(deps: WebhookWorkerDeps, options: WebhookWorkerOptions = {}): WebhookWorker {
  const { store, send } = deps;
  const now = deps.now ?? (() => new Date());
  const onError = deps.onError ?? ((error: unknown) => console.error('[portico] webhook worker', error));
  const schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const disableAfterMs = options.disableAfterMs ?? 24 * 3_600_000;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? timeoutMs + 30_000;
  const owner = `wkr_${crypto.randomUUID()}`;

  const inFlight = new Set<Promise<void>>();
  let pumping = false;
  /** The running `fill`, awaited on stop so no store call outlives the worker. */
  let pumped: Promise<void> = Promise.resolve();
  let again = false;
  let stopped = false;

  async function deliver(claimed: ClaimedDelivery): Promise<void> {
    const { delivery, event, endpoint } = claimed;
    const at = now();
    const body = JSON.stringify(webhookPayload(event));
    const timestamp = Math.floor(at.getTime() / 1000);
    // During a rotation's grace period both secrets sign, so receivers may switch at any time.
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && Date.parse(endpoint.previousSecretExpiresAt) > at.getTime()) {
      secrets.push(endpoint.previousSecret);
    }
    const response = await send({
      url: endpoint.url,
      body,
      timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Portico-Webhooks/1',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signatureHeader(secrets, event.id, timestamp, body),
      },
    });
    const ok = response.status !== null && response.status >= 200 && response.status < 300;
    const wait = schedule[delivery.attempts];
    await store.completeWebhookAttempt({
      deliveryId: delivery.id,
      owner,
      at: at.toISOString(),
      durationMs: response.durationMs,
      ok,
      responseStatus: response.status,
      error: ok ? null : (response.error ?? `http_${response.status}`),
      nextAttemptAt: ok || wait === undefined ? null : new Date(at.getTime() + wait).toISOString(),
      disableIfFailingSince: new Date(at.getTime() - disableAfterMs).toISOString(),
    });
  }

  /** Fills the free delivery slots; runs again when woken meanwhile or a delivery finished. */
  function pump(): void {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    pumped = fill();
  }

  async function fill(): Promise<void> {
    try {
      do {
        again = false;
        const at = now();
        await store.enqueueWebhookDeliveries(at.toISOString(), 500);
        const free = concurrency - inFlight.size;
        if (free <= 0 || stopped) break;
        const claimed = await store.claimWebhookDeliveries({
          owner,
          now: at.toISOString(),
          leaseUntil: new Date(at.getTime() + leaseMs).toISOString(),
          limit: free,
        });
        for (const c of claimed) {
          const running: Promise<void> = deliver(c)
            .catch(onError)
            .finally(() => {
              inFlight.delete(running);
              pump();
            });
          inFlight.add(running);
        }
      } while (again && !stopped);
    } catch (error) {
      onError(error);
    } finally {
      pumping = false;
    }
  }

  const unsubscribe = store.onOutbox(pump);
  const timer = setInterval(pump, options.pollMs ?? 1000);
  timer.unref?.();
  pump();
  const retentionMs = options.deliveryRetentionMs ?? 30 * 24 * 3_600_000;
  let pruned: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruned = store.pruneWebhookDeliveries(new Date(now().getTime() - retentionMs).toISOString()).catch(onError);
  };
  const pruneTimer = setInterval(prune, 3_600_000);
  pruneTimer.unref?.();
  prune();

  return {
    wake: pump,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      unsubscribe();
      // The running pass may still start deliveries: wait for it before collecting them.
      await pumped;
      await Promise.all([pruned, ...inFlight]);
    },
  };
}
