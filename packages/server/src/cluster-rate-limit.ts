/**
 * Rate limits of `portico-server --workers N` on SQLite, counted once for all workers: the
 * cluster primary keeps the token buckets (`createRateBuckets`) and each worker asks it over
 * the cluster's IPC channel before serving a request. The primary does nothing else, so it
 * answers at once; a worker's request costs one message each way instead of a write
 * transaction on the shared file, which every other worker's writes would queue behind (see
 * docs/deploy.md).
 */
import cluster, { type Worker } from 'node:cluster';
import { createRateBuckets, createRemoteRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.ts';

/** The message type of a worker's question and the primary's answer. */
const RATE = 'portico:rate';

interface RateQuestion {
  type: typeof RATE;
  id: number;
  key: string;
}

interface RateAnswer {
  type: typeof RATE;
  id: number;
  waitMs: number;
}

/** In the primary: answers the workers' questions from one set of buckets. */
export function serveClusterRateLimits(options: RateLimitOptions): void {
  const buckets = createRateBuckets(options);
  cluster.on('message', (worker: Worker, message: Partial<RateQuestion>) => {
    if (message?.type !== RATE || typeof message.key !== 'string') return;
    const answer: RateAnswer = { type: RATE, id: message.id!, waitMs: buckets.take(message.key, Date.now()) };
    // A worker that died meanwhile has nobody left to answer.
    if (worker.isConnected()) worker.send(answer);
  });
}

/** In a worker: a limiter that asks the primary (`serveClusterRateLimits`). */
export function clusterRateLimiter(): RateLimiter {
  const waiting = new Map<number, (waitMs: number) => void>();
  let next = 0;
  process.on('message', (message: Partial<RateAnswer>) => {
    if (message?.type !== RATE) return;
    waiting.get(message.id!)?.(message.waitMs ?? 0);
    waiting.delete(message.id!);
  });
  return createRemoteRateLimiter(
    (key) =>
      new Promise((resolve) => {
        const id = ++next;
        waiting.set(id, resolve);
        process.send!({ type: RATE, id, key } satisfies RateQuestion);
      }),
  );
}
