/**
 * The live hub: one reader of newly appended activity per app, shared by every open
 * `GET /v1/events` stream. It wakes when the store reports an append (`Store.onAppend`), and
 * on a slow fallback timer for writes made by other processes; each new entry is read once,
 * its ticket loaded once and its event serialised once, then offered only to the streams
 * whose reachable accounts include the entry's account (subscribers are indexed by account
 * id). So an entry costs work in proportion to the streams that may see it, not to all open
 * streams. See docs/events.md.
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
}

/** Outbox events about an account that change who may use it, with no activity entry of their own. */
const ACCOUNT_CHANGES = ['account.suspended', 'account.reactivated', 'account.updated'] as const;

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
  /** Runs on each fallback tick (the SLA sweeper, whose marks are live events too). */
  onTick?: (() => Promise<void>) | undefined;
  onError: (error: unknown) => void;
}

/** The per-app fan-out of live events (see the module comment). */
export class LiveHub {
  readonly #options: LiveHubOptions;
  /** Subscribers by reachable account id. */
  readonly #byAccount = new Map<string, Set<LiveSubscriber>>();
  #count = 0;
  /** Sequence of the last entry read; undefined while nobody listens. */
  #cursor: number | undefined;
  #starting: Promise<void> | undefined;
  /** Set when a subscriber brought an account the running read did not ask for. */
  #accountsChanged = false;
  #pumping = false;
  #again = false;
  /** Bumped when the hub stops, so a read still under way from before never offers anything. */
  #generation = 0;
  #stopListening: (() => void) | undefined;
  #stopOutbox: (() => void) | undefined;
  /** Sequence of the last account change read from the outbox. */
  #outboxCursor = 0;
  #readingOutbox: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: LiveHubOptions) {
    this.#options = options;
  }

  /** Open streams (for benchmarks and tests). */
  get size(): number {
    return this.#count;
  }

  /** Adds a subscriber; entries after `from` are offered to it until it unsubscribes. */
  async subscribe(subscriber: LiveSubscriber): Promise<LiveSubscription> {
    // (Again if the last subscriber left while this one waited: that stopped the hub.)
    while (this.#cursor === undefined) await this.#start();
    const accountIds = reachableAccountIds(subscriber.caller.actor);
    for (const id of accountIds) {
      let set = this.#byAccount.get(id);
      if (!set) {
        this.#byAccount.set(id, (set = new Set()));
        this.#accountsChanged = true;
      }
      set.add(subscriber);
    }
    this.#count++;
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
        if (--this.#count === 0) this.#stop();
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
      const { store, pollMs, onTick, onError } = this.#options;
      // Listen before reading the head, so nothing appended after that read goes unnoticed.
      this.#stopListening = store.onAppend(() => this.wake());
      // Account changes (suspension) write outbox events only: they wake the streams they touch.
      this.#stopOutbox = store.onOutbox(() => void this.#accountChanges().catch(onError));
      this.#timer = setInterval(() => {
        this.wake();
        onTick?.().catch(onError);
      }, pollMs);
      // A timer must not keep a Node process alive on its own.
      (this.#timer as { unref?: () => void }).unref?.();
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
    this.#cursor = undefined;
    this.#generation++;
  }

  async #pump(): Promise<void> {
    const { store } = this.#options;
    const generation = this.#generation;
    while (this.#cursor !== undefined && this.#byAccount.size > 0) {
      this.#accountsChanged = false;
      const head = await store.activityHead();
      const batch = await store.listActivitySince([...this.#byAccount.keys()], this.#cursor, BATCH);
      const entries = await toLiveEntries(store, batch);
      // Offering and moving the cursor happen together, without an await in between: a
      // subscriber that joins gets exactly the entries after the cursor it was told.
      if (generation !== this.#generation) return;
      for (const entry of entries) {
        this.#cursor = entry.seq;
        this.#offer(entry);
      }
      if (batch.length === BATCH || this.#accountsChanged) continue;
      // Entries up to the head that the read skipped belong to accounts nobody listens to.
      this.#cursor = Math.max(this.#cursor, head);
      return;
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
    if (this.#cursor === undefined || this.#readingOutbox) return;
    this.#readingOutbox = this.#readAccountChanges((accountId) => {
      for (const subscriber of this.#byAccount.get(accountId) ?? []) subscriber.recheck();
    }).finally(() => {
      this.#readingOutbox = undefined;
    });
    await this.#readingOutbox;
  }

  #offer(entry: LiveEntry): void {
    const subscribers = this.#byAccount.get(entry.activity.accountId);
    if (!subscribers) return;
    const access = changesAccess(entry.activity);
    for (const subscriber of subscribers) {
      // An access change is offered whatever the caller sees, so an idle stream wakes to
      // re-check its caller; the stream checks visibility again before writing.
      if (access) subscriber.stale = true;
      if (access || canSeeActivity(subscriber.caller, entry.activity, entry.ticket)) subscriber.offer(entry);
    }
  }
}
