/**
 * The live hub: one reader of newly appended activity per app, shared by every open
 * `GET /v1/events` stream. It wakes when the store reports an append (`Store.onAppend`), and
 * on a slow fallback timer for writes made by other processes; each new entry is read once,
 * and only an entry of an account somebody listens to has its ticket loaded and its event
 * serialised, once for all streams; it is offered only to the streams whose reachable
 * accounts include the entry's account (subscribers are indexed by account id). So an entry
 * costs work in proportion to the streams that may see it, not to all open streams.
 *
 * The hub also keeps what open streams would otherwise each keep: one timer (`tickMs`) that
 * wakes the streams whose heartbeat, token expiry or end is due, and the resolutions of their
 * callers, shared by the streams of one token until the hub reads an access change. See
 * docs/live.md.
 */
import { reachableAccountIds, type Activity, type LiveEvent, type Ticket } from '@portico/core';
import type { SequencedActivity, Store } from '../store.ts';
import type { Caller } from './kit.ts';
import { canSeeActivity } from './live-kit.ts';

/** One appended entry, ready to send: read, its ticket loaded and its event serialised once for all streams. */
export interface LiveEntry {
  seq: number;
  activity: Activity;
  ticket: Ticket | undefined;
  /**
   * The whole SSE event (`event: activity`, `id`, `data: <LiveEvent JSON>`), encoded once:
   * every stream that may see the entry writes these same bytes.
   */
  frame: Uint8Array;
}

/** An open stream, as the hub sees it. */
export interface LiveSubscriber {
  /** The caller as last resolved; decides which entries are offered. The stream updates it. */
  caller: Caller;
  /**
   * Set by the hub when an entry may have changed this caller's access (a change of a contact
   * or of an account it reaches): the stream re-resolves the caller before it writes again.
   */
  stale: boolean;
  /** Receives, in append order, the entries of reachable accounts that the caller may see, and every access change. */
  offer(entry: LiveEntry): void;
  /**
   * The hub saw a change of an account the caller reaches that leaves no activity entry (the
   * vendor suspended or changed it): re-resolve the caller now, even when idle.
   */
  recheck(): void;
  /** Called every `tickMs` by the hub's one timer: the stream wakes when something it waits for is due. */
  tick(now: number): void;
}

/** A resolution of a stream's caller, and when it was made (real time, and the app's clock). */
export interface CallerResolution {
  caller: Caller;
  at: number;
  clock: number;
}

/** Outbox events about an account that change who may use it, with no activity entry of their own. */
const ACCOUNT_CHANGES = ['account.suspended', 'account.reactivated', 'account.updated'] as const;

/** A resolution shared by the streams of one token: `at` is set once it is answered. */
interface SharedResolution {
  resolution: Promise<CallerResolution>;
  generation: number;
  at: number | undefined;
}

/** What `LiveHub.subscribe` answers. */
export interface LiveSubscription {
  /**
   * The hub's position when the subscriber joined: every entry after it is offered live;
   * entries up to it (a `Last-Event-ID` resume) the stream reads from the store itself.
   */
  from: number;
  unsubscribe(): void;
}

const encoder = new TextEncoder();

/** Entries read per store query. */
const BATCH = 200;

/** Whether an entry may change who sees what (the stream re-checks its caller before writing on). */
export function changesAccess(activity: Activity): boolean {
  return activity.type.startsWith('contact.') || activity.type.startsWith('account.');
}

/** Loads the tickets of some entries (once per ticket) and serialises their events. */
export async function toLiveEntries(store: Store, batch: readonly SequencedActivity[]): Promise<LiveEntry[]> {
  const tickets = new Map<string, Ticket | undefined>();
  for (const { activity } of batch) {
    if (activity.ticketId && !tickets.has(activity.ticketId)) tickets.set(activity.ticketId, await store.getTicket(activity.ticketId));
  }
  return batch.map(({ seq, activity }) => {
    const ticket = activity.ticketId ? tickets.get(activity.ticketId) : undefined;
    const event: LiveEvent = { id: String(seq), activity, ticket: ticket ?? null };
    // JSON.stringify escapes line breaks, so the data fits on one `data:` line.
    return { seq, activity, ticket, frame: encoder.encode(`event: activity\nid: ${seq}\ndata: ${JSON.stringify(event)}\n\n`) };
  });
}

export interface LiveHubOptions {
  /** The store tickets are read from (with SLA), and whose `onAppend` wakes the hub. */
  store: Store;
  /** Fallback read interval, ms: picks up entries appended by other processes. */
  pollMs: number;
  /** Period of the one timer that wakes streams whose heartbeat, token expiry or end is due, ms. */
  tickMs: number;
  /** How long a resolution of a caller may be shared by the streams of one token, ms (at most). */
  recheckMs: number;
  /** Resolves the caller of an `Authorization` header as the REST auth middleware does (throws when refused). */
  resolveCaller(authorization: string | undefined): Promise<Caller>;
  /** The app's clock. */
  now(): Date;
  /** Runs on each fallback tick (the SLA sweeper, whose marks are live events too). */
  onTick?: (() => Promise<void>) | undefined;
  onError: (error: unknown) => void;
}

/** The per-app fan-out of live events (see the module comment). */
export class LiveHub {
  readonly #options: LiveHubOptions;
  /** Subscribers by reachable account id. */
  readonly #byAccount = new Map<string, Set<LiveSubscriber>>();
  readonly #subscribers = new Set<LiveSubscriber>();
  /** Recent resolutions of callers by `Authorization` header, with the access generation they were made in. */
  readonly #resolutions = new Map<string, SharedResolution>();
  /** Bumped whenever the hub reads a change of access: older resolutions are not shared any more. */
  #accessGeneration = 0;
  /** Sequence of the last entry read; undefined while nobody listens. */
  #cursor: number | undefined;
  #starting: Promise<void> | undefined;
  #pumping = false;
  #again = false;
  /** Bumped when the hub stops, so a read still under way from before never offers anything. */
  #generation = 0;
  #stopListening: (() => void) | undefined;
  #stopOutbox: (() => void) | undefined;
  /** Sequence of the last account change read from the outbox. */
  #outboxCursor = 0;
  #readingOutbox: Promise<void> | undefined;
  #outboxAgain = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(options: LiveHubOptions) {
    this.#options = options;
  }

  /** Open streams (for benchmarks and tests). */
  get size(): number {
    return this.#subscribers.size;
  }

  /**
   * The caller of a stream's `Authorization`, resolved as the REST auth middleware does: a
   * resolution made for another stream of the same token is shared while it is younger than
   * `recheckMs` and no access change was read since it started; `fresh` always resolves anew.
   * Rejects when the caller is refused.
   */
  resolveCaller(authorization: string | undefined, fresh: boolean): Promise<CallerResolution> {
    const key = authorization ?? '';
    const cached = this.#resolutions.get(key);
    if (!fresh && cached && cached.generation === this.#accessGeneration && !this.#expired(cached, Date.now())) return cached.resolution;
    const { resolveCaller, now } = this.#options;
    const entry: SharedResolution = {
      generation: this.#accessGeneration,
      at: undefined,
      resolution: resolveCaller(authorization).then((caller) => {
        entry.at = Date.now();
        return { caller, at: entry.at, clock: now().getTime() };
      }),
    };
    this.#resolutions.set(key, entry);
    // A refusal is shared by the streams waiting for it, then forgotten; answers expire (see the ticker).
    entry.resolution.catch(() => {
      if (this.#resolutions.get(key) === entry) this.#resolutions.delete(key);
    });
    return entry.resolution;
  }

  #expired(entry: SharedResolution, now: number): boolean {
    return entry.at !== undefined && now - entry.at >= this.#options.recheckMs;
  }

  /** Adds a subscriber; entries after `from` are offered to it until it unsubscribes. */
  async subscribe(subscriber: LiveSubscriber): Promise<LiveSubscription> {
    // (Again if the last subscriber left while this one waited: that stopped the hub.)
    while (this.#cursor === undefined) await this.#start();
    const accountIds = reachableAccountIds(subscriber.caller.actor);
    for (const id of accountIds) {
      let set = this.#byAccount.get(id);
      if (!set) this.#byAccount.set(id, (set = new Set()));
      set.add(subscriber);
    }
    this.#subscribers.add(subscriber);
    let subscribed = true;
    return {
      from: this.#cursor!,
      unsubscribe: () => {
        if (!subscribed) return;
        subscribed = false;
        for (const id of accountIds) {
          const set = this.#byAccount.get(id);
          set?.delete(subscriber);
          if (set?.size === 0) this.#byAccount.delete(id);
        }
        this.#subscribers.delete(subscriber);
        if (this.#subscribers.size === 0) this.#stop();
      },
    };
  }

  /** Reads what was appended since the last read and offers it (coalesces concurrent wake-ups). */
  wake(): void {
    if (this.#cursor === undefined) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    // The hub reads for every open stream, whichever request or timer woke it: internal work
    // in the store's 'all' scope (each entry is then authorised per stream, see #offer).
    const { store } = this.#options;
    const pump = () => this.#pump();
    void (store.runAs ? store.runAs('all', pump) : pump()).catch(this.#options.onError).finally(() => {
      this.#pumping = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #start(): Promise<void> {
    if (this.#cursor !== undefined) return;
    this.#starting ??= (async () => {
      const { store, pollMs, tickMs, onTick, onError } = this.#options;
      // Listen before reading the head, so nothing appended after that read goes unnoticed.
      this.#stopListening = store.onAppend(() => this.wake());
      // Account changes (suspension) write outbox events only: they wake the streams they touch.
      this.#stopOutbox = store.onOutbox(() => void this.#accountChanges().catch(onError));
      this.#timer = setInterval(() => {
        this.wake();
        onTick?.().catch(onError);
      }, pollMs);
      // One timer for every stream's heartbeat, expiry and end, instead of one per stream.
      this.#ticker = setInterval(() => {
        const now = Date.now();
        for (const subscriber of this.#subscribers) subscriber.tick(now);
        for (const [key, entry] of this.#resolutions) if (this.#expired(entry, now)) this.#resolutions.delete(key);
      }, tickMs);
      // A timer must not keep a Node process alive on its own.
      (this.#timer as { unref?: () => void }).unref?.();
      (this.#ticker as { unref?: () => void }).unref?.();
      try {
        this.#cursor = await store.activityHead();
        // Earlier account changes are history: start after the last one.
        await this.#readAccountChanges(() => {});
      } catch (error) {
        this.#stop();
        throw error;
      }
    })().finally(() => {
      this.#starting = undefined;
    });
    await this.#starting;
  }

  #stop(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#stopOutbox?.();
    this.#stopOutbox = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#resolutions.clear();
    this.#cursor = undefined;
    this.#generation++;
  }

  async #pump(): Promise<void> {
    const { store } = this.#options;
    const generation = this.#generation;
    while (this.#cursor !== undefined && this.#byAccount.size > 0) {
      // Every account's entries, in append order: one cheap query whoever listens, and the
      // cursor moves over entries of accounts nobody listens to without another read.
      const batch = await store.listActivitySince('all', this.#cursor, BATCH);
      const entries = new Map<number, LiveEntry>();
      // Only entries somebody may receive have their ticket loaded and event serialised. A
      // subscriber that joins during a load was told the cursor before this batch: its
      // account's entries in the batch are then loaded too.
      for (;;) {
        const wanted = batch.filter((e) => !entries.has(e.seq) && this.#byAccount.has(e.activity.accountId));
        if (wanted.length === 0) break;
        for (const entry of await toLiveEntries(store, wanted)) entries.set(entry.seq, entry);
        if (generation !== this.#generation) return;
      }
      if (generation !== this.#generation) return;
      // Offering and moving the cursor happen together, without an await in between: a
      // subscriber that joins gets exactly the entries after the cursor it was told.
      for (const { seq } of batch) {
        this.#cursor = seq;
        const entry = entries.get(seq);
        if (entry) this.#offer(entry);
      }
      if (batch.length < BATCH) return;
    }
  }

  /** Reads the account changes after the outbox cursor, handing each to `seen`. */
  async #readAccountChanges(seen: (accountId: string) => void): Promise<void> {
    for (;;) {
      const events = await this.#options.store.listOutbox({ after: this.#outboxCursor, limit: BATCH, types: ACCOUNT_CHANGES });
      for (const event of events) {
        this.#outboxCursor = Math.max(this.#outboxCursor, event.sequence);
        if (event.accountId) seen(event.accountId);
      }
      if (events.length < BATCH) return;
    }
  }

  /** Tells the streams that reach a changed account to re-resolve their caller. */
  async #accountChanges(): Promise<void> {
    if (this.#cursor === undefined) return;
    if (this.#readingOutbox) {
      // Appended while a read is under way (perhaps after its query): read again right after
      // it, rather than leave a suspension unread until the next outbox event.
      this.#outboxAgain = true;
      return;
    }
    this.#readingOutbox = (async () => {
      do {
        this.#outboxAgain = false;
        await this.#readAccountChanges((accountId) => {
          this.#accessGeneration++;
          for (const subscriber of this.#byAccount.get(accountId) ?? []) subscriber.recheck();
        });
      } while (this.#outboxAgain && this.#cursor !== undefined);
    })().finally(() => {
      this.#readingOutbox = undefined;
    });
    await this.#readingOutbox;
  }

  #offer(entry: LiveEntry): void {
    const subscribers = this.#byAccount.get(entry.activity.accountId);
    if (!subscribers) return;
    const access = changesAccess(entry.activity);
    if (access) this.#accessGeneration++;
    for (const subscriber of subscribers) {
      // An access change is offered whatever the caller sees, so an idle stream wakes to
      // re-check its caller; the stream checks visibility again before writing.
      if (access) subscriber.stale = true;
      if (access || canSeeActivity(subscriber.caller, entry.activity, entry.ticket)) subscriber.offer(entry);
    }
  }
}
