/**
 * SLA on the server: which policy applies to an account, `ticket.sla` filled on every
 * ticket a store returns, and the sweeper that records `sla.at_risk` / `sla.breached`
 * activity exactly once per ticket and clock. The clock itself is core's (`computeTicketSla`).
 */
import {
  DEFAULT_SLA_POLICIES,
  computeTicketSla,
  slaCrossings,
  validateBusinessHours,
  type Account,
  type AccountTier,
  type Activity,
  type BusinessHours,
  type SlaFacts,
  type SlaPolicy,
  type Ticket,
} from '@portico/core';
import { slaAccountReadWith, slaHistoryReadWith, type SlaAccount, type SlaCheck, type Store, type TicketSlaHistory } from './store.ts';

/** SLA configuration of the server (`createApp({ sla })`). */
export interface SlaConfig {
  /** Policies by account tier; missing tiers use `DEFAULT_SLA_POLICIES`. */
  policies?: Partial<Record<AccountTier, SlaPolicy>> | undefined;
  /**
   * Business hours of single accounts (by id), overriding their tier's: weekdays and hours
   * in the account's own time zone. `null` = around the clock.
   */
  accountHours?: Readonly<Record<string, BusinessHours | null>> | undefined;
}

/**
 * The policy of an account: its tier's targets (or those of the tier its `slaPolicy` names)
 * with the account's business hours.
 */
export function policyFor(account: Pick<Account, 'id' | 'tier'> & Partial<Pick<Account, 'slaPolicy'>>, config: SlaConfig = {}): SlaPolicy {
  const name = account.slaPolicy ?? account.tier;
  const tier = config.policies?.[name] ?? DEFAULT_SLA_POLICIES[name];
  const hours = config.accountHours?.[account.id];
  return hours === undefined ? tier : { ...tier, businessHours: hours };
}

/** Throws a readable `RangeError` when a configuration cannot work. */
export function validateSlaConfig(config: SlaConfig): void {
  for (const policy of Object.values(config.policies ?? {})) {
    if (policy?.businessHours) validateBusinessHours(policy.businessHours);
    for (const t of Object.values(policy?.targets ?? {})) {
      if (!(t.firstResponseMinutes > 0) || !(t.resolutionMinutes > 0)) throw new RangeError('SLA targets must be positive minutes');
    }
  }
  for (const hours of Object.values(config.accountHours ?? {})) if (hours) validateBusinessHours(hours);
}

/** The facts the clock reads, from a ticket and its history. */
export function slaFacts(ticket: Ticket, history: TicketSlaHistory | undefined): SlaFacts {
  return {
    createdAt: ticket.createdAt,
    status: ticket.status,
    updatedAt: ticket.updatedAt,
    statusChanges: history?.statusChanges ?? [],
    firstResponseAt: history?.firstResponseAt ?? null,
  };
}

const isTicket = (v: unknown): v is Ticket =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Ticket).ref === 'string' &&
  typeof (v as Ticket).priority === 'string' &&
  Array.isArray((v as Ticket).followerIds);

/** The tickets inside a store method's result: a ticket, a page of them, `{ ticket }` or `{ body }`. */
function ticketsIn(result: unknown): Ticket[] {
  if (isTicket(result)) return [result];
  if (typeof result !== 'object' || result === null) return [];
  const r = result as { items?: unknown; ticket?: unknown; body?: unknown };
  if (Array.isArray(r.items)) return r.items.filter(isTicket);
  if (Array.isArray(result)) return result.filter(isTicket);
  if (isTicket(r.ticket)) return [r.ticket];
  // A merge answers `{ source, target }`.
  const merged = [(r as { source?: unknown }).source, (r as { target?: unknown }).target].filter(isTicket);
  if (merged.length) return merged;
  // A replayed idempotent create (`claimIdempotencyKey`) answers with the ticket as it is now
  // (the body may be the ticket or hold it, e.g. an escalation's `{ escalation, ticket }`).
  if (typeof r.body === 'object' && r.body !== null) return ticketsIn(r.body);
  return [];
}

/** Fills `sla` on tickets in place (one history query for those whose row did not carry it). */
export async function fillSla(store: Store, tickets: readonly Ticket[], config: SlaConfig, now: Date): Promise<void> {
  if (tickets.length === 0) return;
  const unread = tickets.filter((t) => !slaHistoryReadWith.has(t)).map((t) => t.id);
  const history = unread.length ? await store.getSlaHistory(unread) : new Map<string, TicketSlaHistory>();
  const accounts = new Map<string, SlaAccount | undefined>();
  for (const ticket of tickets) {
    if (slaAccountReadWith.has(ticket)) accounts.set(ticket.accountId, slaAccountReadWith.get(ticket) ?? undefined);
    else if (!accounts.has(ticket.accountId)) accounts.set(ticket.accountId, await store.getAccount(ticket.accountId));
    const account = accounts.get(ticket.accountId);
    const facts = slaFacts(ticket, slaHistoryReadWith.get(ticket) ?? history.get(ticket.id));
    ticket.sla = account ? computeTicketSla(facts, ticket.priority, policyFor(account, config), now) : null;
  }
}

/**
 * The store as routes see it: every method that returns tickets (one, a page, or
 * `{ ticket }`, including methods added later) returns them with `sla` filled at `now()`.
 */
export function withSla(store: Store, config: SlaConfig, now: () => Date): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      // `onAppend` and `onOutbox` answer an unsubscribe function, not a promise: they pass through as is.
      if (typeof value !== 'function' || key === 'getSlaHistory' || key === 'getAccount' || key === 'onAppend' || key === 'onOutbox') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
        await fillSla(target, ticketsIn(result), config, now());
        return result;
      };
    },
  });
}

/** The soonest deadline among a ticket's running clocks (not met, not paused), or null. */
export function slaDueOf(sla: Ticket['sla']): string | null {
  if (!sla) return null;
  const running = [sla.firstResponse, sla.resolution].filter((c) => c.state !== 'met' && !c.paused && c.dueAt);
  return running.map((c) => c.dueAt!).sort()[0] ?? null;
}

/** Records SLA crossings of unsolved tickets (and keeps `slaDueAt` current); safe to run from several places at once. */
export interface SlaSweeper {
  /** Checks every unsolved ticket whose next SLA check is due; resolves with the activity it recorded. */
  sweep(): Promise<Activity[]>;
  /** Sweeps unless one ran less than `minIntervalMs` ago (default 5 s); never throws. */
  maybeSweep(minIntervalMs?: number): Promise<void>;
}

const SWEEP_PAGE = 200;
/** Longest time a ticket goes unchecked when none of its clocks crosses anything sooner (a paused clock). */
const SWEEP_HORIZON_MS = 24 * 3600_000;

/** Longest stretch of sweeping between two chances for requests to run, ms. */
const SWEEP_SLICE_MS = 10;

/** Lets requests in between two slices of a sweep (setTimeout: the app also runs in browsers). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * When a ticket's SLA next needs looking at: its soonest crossing after `at` if the clocks
 * kept running as they are, at most a horizon away. A write to the ticket or its account
 * makes it due sooner (see `Store.listDueSlaTickets`).
 */
export function nextSlaCheck(facts: SlaFacts, priority: Ticket['priority'], policy: SlaPolicy, at: Date): Date {
  const horizon = at.getTime() + SWEEP_HORIZON_MS;
  const upcoming = slaCrossings(facts, priority, policy, horizon)
    .map((c) => c.at)
    .filter((t) => t > at.getTime());
  return new Date(Math.min(horizon, ...upcoming));
}

export function createSlaSweeper(store: Store, config: SlaConfig, now: () => Date, onError: (error: unknown) => void = () => {}): SlaSweeper {
  let last = Number.NEGATIVE_INFINITY;
  let running: Promise<Activity[]> | undefined;
  /** The sweep that runs after the current one, shared by everyone who asked meanwhile. */
  let queued: Promise<Activity[]> | undefined;

  // Reads only the tickets whose check is due (an index on the next check time), a page at a
  // time, yielding every SWEEP_SLICE_MS: a backlog delays a request by a slice at most.
  async function sweepOnce(): Promise<Activity[]> {
    const at = now();
    const recorded: Activity[] = [];
    const accounts = new Map<string, Account | undefined>();
    let slice = performance.now();
    for (;;) {
      const tickets = await store.listDueSlaTickets(at.toISOString(), SWEEP_PAGE);
      if (tickets.length === 0) break;
      const history = await store.getSlaHistory(tickets.map((t) => t.id));
      const checks: SlaCheck[] = [];
      for (const ticket of tickets) {
        if (!accounts.has(ticket.accountId)) accounts.set(ticket.accountId, await store.getAccount(ticket.accountId));
        const account = accounts.get(ticket.accountId);
        if (!account) {
          checks.push({ ticketId: ticket.id, at: new Date(at.getTime() + SWEEP_HORIZON_MS).toISOString() });
          continue;
        }
        const policy = policyFor(account, config);
        const facts = slaFacts(ticket, history.get(ticket.id));
        // Keep the stored deadline (what the `sla_due` sort reads) in step with the clock.
        const due = slaDueOf(computeTicketSla(facts, ticket.priority, policy, at));
        if (due !== (ticket.slaDueAt ?? null)) {
          await store.updateTicket({
            ticketId: ticket.id,
            changes: { slaDueAt: due },
            actor: { kind: 'system', id: 'sla', name: 'SLA' },
            now: at.toISOString(),
            touch: false,
          });
        }
        for (const crossing of slaCrossings(facts, ticket.priority, policy, at)) {
          const activity = await store.recordSlaMark({
            ticketId: ticket.id,
            clock: crossing.clock,
            type: crossing.type,
            at: new Date(crossing.at).toISOString(),
            dueAt: Number.isFinite(crossing.dueAt) ? new Date(crossing.dueAt).toISOString() : null,
          });
          if (activity) recorded.push(activity);
        }
        checks.push({ ticketId: ticket.id, at: nextSlaCheck(facts, ticket.priority, policy, at).toISOString() });
        if (performance.now() - slice > SWEEP_SLICE_MS) {
          await yieldToEventLoop();
          slice = performance.now();
        }
      }
      // Scheduled last: the writes above may bump the ticket, which makes it due again.
      await store.scheduleSlaChecks(checks);
      if (tickets.length < SWEEP_PAGE) break;
    }
    return recorded;
  }

  const sweep = () => {
    // One sweep at a time per sweeper; the store's marks keep several sweepers apart.
    // Across instances sharing a database, the store lets one sweep at a time run.
    const exclusive = async () => {
      if (!store.runExclusive) return sweepOnce();
      let recorded: Activity[] = [];
      await store.runExclusive('sla-sweep', async () => {
        recorded = await sweepOnce();
      });
      return recorded;
    };
    const start = () =>
      (running = exclusive().finally(() => {
        running = undefined;
      }));
    last = now().getTime();
    if (!running) return start();
    // Asked while a sweep runs (whose clock may be older): sweep again once it ends. Each
    // caller hears of what its own sweep recorded, so an entry is reported once, however
    // slow the store is.
    return (queued ??= running
      .catch(() => [])
      .then(() => {
        queued = undefined;
        return running ?? start();
      }));
  };

  return {
    sweep,
    async maybeSweep(minIntervalMs = 5_000) {
      if (now().getTime() - last < minIntervalMs && !running) return;
      try {
        // Streams and timers only need a recent sweep: they join one that runs.
        await (running ?? sweep());
      } catch (error) {
        onError(error);
      }
    },
  };
}
