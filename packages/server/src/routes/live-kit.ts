/**
 * What the timeline, live-event, notification, summary and service routes share beyond
 * `RouteKit`: the SLA configuration and sweeper, the live-event timing, and the visibility
 * of activity entries (an entry is visible when its subject is).
 */
import {
  canSeeContactActivity,
  canView,
  isContactActivity,
  reachableAccountIds,
  ticketScope,
  type Activity,
  type Ticket,
  type TicketScope,
} from '@portico/core';
import { validationFailed } from '../problem.ts';
import type { SlaConfig, SlaSweeper } from '../sla.ts';
import type { Store } from '../store.ts';
import type { Caller } from './kit.ts';
import type { LiveHub } from './live-hub.ts';

/** Timing of `GET /v1/events`. */
export interface LiveEventOptions {
  /**
   * How often the live hub reads new activity when no append woke it, ms (default 1 000):
   * writes of this process wake it at once (`Store.onAppend`); this catches writes made by
   * other processes on the same database, and runs the SLA sweeper.
   */
  pollMs?: number | undefined;
  /** Comment line sent when nothing else was, ms (default 15 000), so proxies keep the stream open. */
  heartbeatMs?: number | undefined;
  /**
   * A stream closes after this long, ms (default 5 min); the client reconnects with
   * `Last-Event-ID` and a fresh token. (Revoked access ends a stream much sooner: see
   * `recheckMs`.)
   */
  maxConnectionMs?: number | undefined;
  /**
   * How old a resolution of the caller may be when a stream delivers an event, ms (default
   * 1 000): older, the stream resolves the caller again the way the REST auth middleware
   * does and closes when refused or when the role or reach changed. A change of a contact or
   * account it reaches, and the token's expiry, make it re-resolve at once, idle or not.
   */
  recheckMs?: number | undefined;
}

export interface LiveKit {
  /** The store without SLA filling, for lookups that need no SLA (cheaper). */
  raw: Store;
  sla: SlaConfig;
  sweeper: SlaSweeper;
  events: Required<LiveEventOptions>;
  /** The one reader of new activity that every open stream subscribes to (and that resolves their callers). */
  hub: LiveHub;
  /** Aborted when the host shuts down: streams end, new ones are refused (see `AppOptions.drain`). */
  drain?: AbortSignal | undefined;
  /** Reports an error no request answers (a stream that failed after it opened). */
  onError(error: unknown): void;
}

/** The accounts and ticket scope whose activity a caller may see, narrowed to `account` (id or `all`). */
export function activityReach(caller: Caller, account: string | undefined): { accountIds: string[]; scope: TicketScope } {
  const reachable = reachableAccountIds(caller.actor);
  let accountIds: string[];
  if (account === undefined || account === '' || account === 'all') accountIds = reachable;
  else if (reachable.includes(account)) accountIds = [account];
  else throw validationFailed({ account: ['Choose your account, one of its child accounts, or all.'] }, 'The query is invalid.');
  return { accountIds, scope: ticketScope(caller.actor) };
}

/** Whether a caller may see one entry, given the ticket it is about (as it is now). */
export function canSeeActivity(caller: Caller, activity: Activity, ticket: Ticket | undefined): boolean {
  if (!reachableAccountIds(caller.actor).includes(activity.accountId)) return false;
  // Contact entries carry e-mail addresses: only for those who manage the account's contacts (docs/contacts.md).
  if (activity.ticketId === null) return !isContactActivity(activity.type) || canSeeContactActivity(caller.actor, activity.accountId);
  return ticket !== undefined && canView(caller.actor, { ...ticket, requesterId: ticket.requester.id });
}

/** Adds `ticket: { id, ref, subject }` to each entry (entries are already visibility-checked). */
export async function withTicketBriefs<T extends Activity>(
  store: Store,
  items: readonly T[],
): Promise<(T & { ticket: { id: string; ref: string; subject: string } | null })[]> {
  const briefs = new Map<string, { id: string; ref: string; subject: string } | null>();
  for (const a of items) {
    if (!a.ticketId || briefs.has(a.ticketId)) continue;
    const t = await store.getTicket(a.ticketId);
    briefs.set(a.ticketId, t ? { id: t.id, ref: t.ref, subject: t.subject } : null);
  }
  return items.map((a) => ({ ...a, ticket: a.ticketId ? (briefs.get(a.ticketId) ?? null) : null }));
}
