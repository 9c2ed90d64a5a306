/**
 * `GET /healthz` and `GET /readyz`: the probes a load balancer or Kubernetes asks. Liveness
 * says only that the process answers (no database call, so a database outage never gets
 * every instance restarted at once); readiness says whether this instance should get
 * traffic: the database answers a trivial query within a short time, its schema is the
 * version this build expects, and the instance is not shutting down. Neither needs a token,
 * neither is rate limited, and neither says more than what was checked (no versions, no
 * addresses). See docs/deploy.md.
 */
import { PROBLEM_CONTENT_TYPE } from '@portico/core';
import { problemBody } from '../problem.ts';
import type { Store } from '../store.ts';
import type { PorticoApp } from './kit.ts';

/** How long the readiness check waits for the database, ms. */
export const READINESS_TIMEOUT_MS = 2_000;
/** Seconds a load balancer waits before asking a not-ready instance again. */
const NOT_READY_RETRY_S = 5;

/** What the readiness check found, in its body either way. */
export interface ReadinessChecks {
  /** Whether the database answered a trivial query within `READINESS_TIMEOUT_MS`. */
  database: 'up' | 'down';
  /** The schema against the migrations this build knows ('unknown' when the database is down). */
  schema: 'current' | 'behind' | 'ahead' | 'unknown';
  /** 'draining' from the moment the host starts shutting down. */
  instance: 'serving' | 'draining';
}

export interface HealthOptions {
  /** The store as given to the app (its optional `schemaStatus`). */
  store: Store;
  /** Aborted when the host starts shutting down. */
  drain: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export function registerHealthRoutes(app: PorticoApp, options: HealthOptions): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const checks = await readiness(options);
    if (checks.database === 'up' && checks.schema === 'current' && checks.instance === 'serving') return c.json({ status: 'ready', checks });
    const why =
      checks.instance === 'draining'
        ? 'This instance is shutting down.'
        : checks.database === 'down'
          ? 'The database does not answer.'
          : `The database schema is ${checks.schema} of this build.`;
    return new Response(JSON.stringify({ ...problemBody(503, 'unavailable', `Not ready: ${why}`), checks }), {
      status: 503,
      headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': String(NOT_READY_RETRY_S) },
    });
  });
}

async function readiness({ store, drain, timeoutMs = READINESS_TIMEOUT_MS }: HealthOptions): Promise<ReadinessChecks> {
  const instance = drain?.aborted ? 'draining' : 'serving';
  if (!store.schemaStatus) return { database: 'up', schema: 'current', instance };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
    const { applied, expected } = await Promise.race([store.schemaStatus(), timeout]);
    return { database: 'up', schema: applied === expected ? 'current' : applied < expected ? 'behind' : 'ahead', instance };
  } catch {
    // Whatever went wrong stays in the server: the probe is public.
    return { database: 'down', schema: 'unknown', instance };
  } finally {
    clearTimeout(timer);
  }
}
