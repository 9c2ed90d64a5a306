/**
 * `GET /v1/events`: live changes as Server-Sent Events. Every activity entry the caller may
 * see (same rule as the timeline) is sent as `event: activity` with `id: <seq>` and
 * `data: LiveEvent`; `Last-Event-ID` (header, or `?lastEventId=`) resumes after an id.
 * A `ready` event opens the stream, a comment line is sent as heartbeat, and the stream
 * closes after `maxConnectionMs` so the client comes back with a fresh token.
 *
 * New entries come from the app's live hub (live-hub.ts); a resume reads the entries
 * before the hub's position from the store. The stream is authorised per event against
 * the contact's current state: it closes as soon as the caller is refused (token expired,
 * contact deactivated, account suspended) or its role or reach changed. See docs/live.md.
 */
import { reachableAccountIds, tokenExpiry } from '@portico/core';
import { ProblemError, validationFailed } from '../problem.ts';
import type { Caller, PorticoApp, RouteKit } from './kit.ts';
import { toLiveEntries, type CallerResolution, type LiveEntry, type LiveSubscriber } from './live-hub.ts';
import { canSeeActivity, type LiveKit } from './live-kit.ts';

const BATCH = 100;
/** What the client waits before reconnecting after the server closed the stream. */
const RETRY_MS = 1_000;
/**
 * Entries a stream may have waiting while its client reads slowly; beyond that it closes
 * and the client resumes from the table with `Last-Event-ID` (memory stays bounded).
 */
const MAX_QUEUED = 1_000;

export function registerEventRoutes(app: PorticoApp, kit: RouteKit, live: LiveKit): void {
  app.get('/v1/events', async (c) => {
    const authorization = c.req.header('Authorization');
    const lastEventId = c.req.header('Last-Event-ID') ?? c.req.query('lastEventId');
    if (lastEventId !== undefined && lastEventId !== '' && !/^\d{1,15}$/.test(lastEventId)) {
      throw validationFailed({ lastEventId: ['Last-Event-ID must be an id this stream sent.'] }, 'The query is invalid.');
    }
    const { heartbeatMs, maxConnectionMs, recheckMs } = live.events;
    const { drain } = live;
    // A shutting-down instance takes no new stream: the client retries, through the load balancer, elsewhere.
    if (drain?.aborted) throw new ProblemError(503, 'unavailable', 'This server is shutting down; reconnect.', { headers: { 'Retry-After': '1' } });

    const inbox = new Inbox();
    // A client that goes away ends the wait for the next entry, and so the stream.
    const stream = new EventStream(() => inbox.close());
    void (async () => {
      const subscriber: LiveSubscriber = {
        caller: c.get('caller'),
        stale: false,
        offer: (entry) => {
          // A client that stopped reading: end its stream rather than queue without bound.
          if (inbox.length >= MAX_QUEUED) stream.abort();
          else inbox.push(entry);
        },
        recheck: () => {
          subscriber.stale = true;
          inbox.nudge();
        },
        tick: (now) => inbox.tick(now),
      };
      const accountIds = reachableAccountIds(subscriber.caller.actor);
      // The token was verified by the auth middleware; its `exp` is only read here, so the
      // stream re-checks its caller the moment the token expires.
      const expiresAt = tokenExpiry(authorization?.replace(/^Bearer\s+/i, '').trim() ?? '');
      const opened = Date.now();
      // When the caller was last resolved: real time for ages, the app's clock against `exp`.
      let checkedAt = opened;
      let checkedAtClock = kit.now().getTime();
      let lastWrite = opened;
      // Shutting down ends the stream cleanly, so the client reconnects at once with Last-Event-ID.
      const onDrain = () => inbox.close();
      drain?.addEventListener('abort', onDrain);
      const { from, unsubscribe } = await live.hub.subscribe(subscriber);

      const expired = () => expiresAt !== undefined && kit.now().getTime() >= expiresAt;
      /**
       * Resolves the caller again (sharing the hub's recent resolution for this token, unless
       * the token expired); false when refused or when its role or reach changed.
       */
      const stillAllowed = async (): Promise<boolean> => {
        // Cleared first: a change the hub reads while this resolves marks the stream again.
        subscriber.stale = false;
        let fresh: CallerResolution;
        try {
          fresh = await live.hub.resolveCaller(authorization, expired());
        } catch {
          return false;
        }
        if (!sameAccess(fresh.caller, subscriber.caller)) return false;
        subscriber.caller = fresh.caller;
        checkedAt = fresh.at;
        checkedAtClock = fresh.clock;
        return true;
      };
      /**
       * Whether to resolve the caller again: the hub saw a change of a contact or account it
       * reaches; the token's `exp` passed since the last resolution (and then every
       * `recheckMs`, while the verifier's clock tolerance still accepts it); or the last
       * resolution is older than `maxAge`.
       */
      const recheckDue = (maxAge: number) => {
        const age = Date.now() - checkedAt;
        return subscriber.stale || (expired() && (checkedAtClock < expiresAt! || age >= recheckMs)) || age >= maxAge;
      };

      // An id beyond the hub's position (e.g. the database was reset) resumes from now.
      let cursor = lastEventId ? Math.min(Number(lastEventId), from) : from;
      /**
       * Sends entries in order, in one write (entries that queued while the last write was
       * under way cost one socket write), except those already sent or no longer visible;
       * false when the stream must end, and then none of them is sent.
       */
      const send = async (entries: readonly LiveEntry[]): Promise<boolean> => {
        const frames: Uint8Array[] = [];
        for (const entry of entries) {
          if (entry.seq <= cursor) continue;
          // Every delivered event is checked against a resolution at most `recheckMs` old.
          if (recheckDue(recheckMs) && !(await stillAllowed())) return false;
          cursor = entry.seq;
          if (canSeeActivity(subscriber.caller, entry.activity, entry.ticket)) frames.push(entry.frame);
        }
        if (frames.length === 0) return true;
        await stream.write(frames.length === 1 ? frames[0]! : concat(frames));
        lastWrite = Date.now();
        return true;
      };

      try {
        await stream.write(`event: ready\nid: ${cursor}\nretry: ${RETRY_MS}\ndata: ${JSON.stringify({ lastEventId: String(cursor) })}\n\n`);
        // Resume: what was appended before the hub's position comes from the table.
        while (cursor < from && !stream.aborted && !drain?.aborted) {
          const batch = (await kit.store.listActivitySince(accountIds, cursor, BATCH)).filter((e) => e.seq <= from);
          if (batch.length === 0) break;
          if (!(await send(await toLiveEntries(kit.store, batch)))) return;
          cursor = Math.max(cursor, batch.at(-1)!.seq);
        }
        while (!stream.aborted && !drain?.aborted) {
          const now = Date.now();
          if (now - opened >= maxConnectionMs) return;
          const entries = inbox.drain();
          if (entries.length > 0) {
            if (!(await send(entries))) return;
            continue;
          }
          // Idle, a stream re-resolves only for a reason (no database work per idle stream):
          // access changes reach it as entries (the hub marks it stale), expiry by the clock.
          if (recheckDue(Infinity) && !(await stillAllowed())) return;
          if (now - lastWrite >= heartbeatMs) {
            await stream.write(': heartbeat\n\n');
            lastWrite = now;
          }
          // Sleeps until the token's `exp` at most; past it (within the verifier's clock
          // tolerance the caller is still accepted), re-checks every `recheckMs`.
          const untilExpiry = expiresAt === undefined ? Infinity : expiresAt - kit.now().getTime();
          await inbox.wait(Math.max(1, Math.min(untilExpiry > 0 ? untilExpiry : recheckMs, heartbeatMs - (now - lastWrite), maxConnectionMs - (now - opened))));
        }
      } finally {
        drain?.removeEventListener('abort', onDrain);
        unsubscribe();
        stream.close();
      }
    })().catch((error: unknown) => {
      stream.close();
      live.onError(error);
    });
    c.header('Content-Type', 'text/event-stream');
    c.header('Cache-Control', 'no-cache');
    return c.body(stream.body);
  });
}

/** Whether two resolutions of a caller grant the same access: same contact, account, role and reach. */
function sameAccess(a: Caller, b: Caller): boolean {
  const reach = (caller: Caller) => [...reachableAccountIds(caller.actor)].sort().join(' ');
  return a.contact.id === b.contact.id && a.account.id === b.account.id && a.actor.role === b.actor.role && reach(a) === reach(b);
}

/**
 * The body of one event stream: a ReadableStream that the server sends as it is written,
 * lighter than a TransformStream pair per open stream. `write` waits while a chunk is still
 * unsent (the client reads slowly), and does nothing once the stream ended.
 */
class EventStream {
  readonly body: ReadableStream<Uint8Array>;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #sent: (() => void) | undefined;
  #aborted = false;
  #closed = false;
  readonly #onAbort: () => void;

  /** `onAbort`: the client went away, or the stream is ended for reading too slowly. */
  constructor(onAbort: () => void) {
    this.#onAbort = onAbort;
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => this.#release(),
      cancel: () => {
        this.#closed = true;
        this.abort();
      },
    });
  }

  /** Whether the stream was ended by the client or by `abort`. */
  get aborted(): boolean {
    return this.#aborted;
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.#closed || this.#aborted) return;
    this.#controller!.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    if ((this.#controller!.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (this.#sent = resolve));
  }

  /** Ends the stream at the next turn of its loop (what is queued is still sent). */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#release();
    this.#onAbort();
  }

  /** Closes the body: the client is told the stream ended and reconnects. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.#controller!.close();
  }

  #release(): void {
    const sent = this.#sent;
    this.#sent = undefined;
    sent?.();
  }
}

const encoder = new TextEncoder();

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * The entries waiting for one stream, in order, with a wait that the next entry (or the end)
 * cuts short. A wait sets no timer of its own: the hub's one timer calls `tick`, which ends
 * it once its time has come.
 */
class Inbox {
  readonly #items: LiveEntry[] = [];
  #wake: (() => void) | undefined;
  #wakeAt = Infinity;
  #closed = false;

  get length(): number {
    return this.#items.length;
  }

  push(entry: LiveEntry): void {
    this.#items.push(entry);
    this.#wake?.();
  }

  /** Takes every waiting entry. */
  drain(): LiveEntry[] {
    return this.#items.splice(0);
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** Wakes a waiting stream without an entry (its caller must be re-resolved). */
  nudge(): void {
    this.#wake?.();
  }

  /** Ends the wait if its time has come. */
  tick(now: number): void {
    if (now >= this.#wakeAt) this.#wake?.();
  }

  /** Resolves about `ms` from now (at the hub's next tick after), or sooner when an entry arrives or the stream is closed. */
  wait(ms: number): Promise<void> {
    if (this.#items.length > 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wakeAt = Date.now() + ms;
      this.#wake = () => {
        this.#wake = undefined;
        this.#wakeAt = Infinity;
        resolve();
      };
    });
  }
}
