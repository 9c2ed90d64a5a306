/**
 * `GET /v1/events`: live changes as Server-Sent Events. Every activity entry the caller may
 * see (same rule as the timeline) is sent as `event: activity` with `id: <seq>` and
 * `data: LiveEvent`; `Last-Event-ID` (header, or `?lastEventId=`) resumes after an id.
 * A `ready` event opens the stream, a comment line is sent as heartbeat, and the stream
 * closes after `maxConnectionMs` so the client comes back with a fresh token.
 */
import { reachableAccountIds, type LiveEvent, type Ticket } from '@portico/core';
import { streamSSE } from 'hono/streaming';
import { validationFailed } from '../problem.ts';
import type { PorticoApp, RouteKit } from './kit.ts';
import { canSeeActivity, type LiveKit } from './live-kit.ts';

const BATCH = 100;
/** What the client waits before reconnecting after the server closed the stream. */
const RETRY_MS = 1_000;

export function registerEventRoutes(app: PorticoApp, kit: RouteKit, live: LiveKit): void {
  app.get('/v1/events', async (c) => {
    const caller = c.get('caller');
    const lastEventId = c.req.header('Last-Event-ID') ?? c.req.query('lastEventId');
    if (lastEventId !== undefined && lastEventId !== '' && !/^\d{1,15}$/.test(lastEventId)) {
      throw validationFailed({ lastEventId: ['Last-Event-ID must be an id this stream sent.'] }, 'The query is invalid.');
    }
    const head = await kit.store.activityHead();
    // An id beyond the head (e.g. the database was reset) resumes from now.
    let cursor = lastEventId ? Math.min(Number(lastEventId), head) : head;
    const accountIds = reachableAccountIds(caller.actor);
    const signal = c.req.raw.signal;
    const { pollMs, heartbeatMs, maxConnectionMs } = live.events;

    return streamSSE(c, async (stream) => {
      const opened = Date.now();
      const done = () => stream.aborted || stream.closed || signal.aborted;
      await stream.writeSSE({ event: 'ready', id: String(cursor), retry: RETRY_MS, data: JSON.stringify({ lastEventId: String(cursor) }) });
      let lastWrite = Date.now();
      while (!done()) {
        await live.sweeper.maybeSweep();
        const batch = await kit.store.listActivitySince(accountIds, cursor, BATCH);
        const tickets = new Map<string, Ticket | undefined>();
        for (const { seq, activity } of batch) {
          cursor = seq;
          let ticket: Ticket | undefined;
          if (activity.ticketId) {
            if (!tickets.has(activity.ticketId)) tickets.set(activity.ticketId, await kit.store.getTicket(activity.ticketId));
            ticket = tickets.get(activity.ticketId);
          }
          if (!canSeeActivity(caller, activity, ticket)) continue;
          const event: LiveEvent = { id: String(seq), activity, ticket: ticket ?? null };
          await stream.writeSSE({ event: 'activity', id: String(seq), data: JSON.stringify(event) });
          lastWrite = Date.now();
        }
        if (batch.length === BATCH) continue;
        if (Date.now() - opened >= maxConnectionMs) break;
        if (Date.now() - lastWrite >= heartbeatMs) {
          await stream.write(': heartbeat\n\n');
          lastWrite = Date.now();
        }
        await stream.sleep(pollMs);
      }
    });
  });
}
