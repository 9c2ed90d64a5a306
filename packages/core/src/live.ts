/**
 * Timeline, live events, notifications, account summary and the vendor's service API:
 * request schemas (zod/mini, used by the server) and response types (type-only for the
 * browser, so elements pull no zod in).
 */
import * as z from 'zod/mini';
import { ACTIVITY_TYPES, type AccountRef, type Activity, type Ticket, type TicketCategory } from './domain.ts';
import { limitParam } from './inputs.ts';
import { cursorParam, instant, wholeNumberParam } from './zod-helpers.ts';

/** Query string of `GET /v1/activity`. */
export const ActivityQuerySchema = z.object({
  /** Comma-separated activity types. */
  type: z.optional(
    z.pipe(
      z.transform((v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v)),
      z.array(z.enum(ACTIVITY_TYPES, 'Unknown activity type')),
    ),
  ),
  ticket: z.optional(z.string().check(z.minLength(1))),
  contact: z.optional(z.string().check(z.minLength(1))),
  /** A reachable account id (own or child), or `all`. */
  account: z.optional(z.string()),
  /** Entries at or after this date/time. */
  from: z.optional(instant('from')),
  /** Entries before this date/time (a date means: up to the end of the day before). */
  to: z.optional(instant('to')),
  cursor: z.optional(cursorParam),
  limit: z.optional(limitParam),
});
export type ActivityQueryInput = z.input<typeof ActivityQuerySchema>;

/** The ticket an entry is about, as far as a timeline needs it. */
export interface TicketBrief {
  id: string;
  ref: string;
  subject: string;
}

/** An entry of `GET /v1/activity`: the activity plus the ticket it is about (null for contact events). */
export type TimelineEntry = Activity & { ticket: TicketBrief | null };

/** Query of `listActivity` on the client. */
export interface ActivityListQuery {
  type?: readonly string[] | undefined;
  ticket?: string | undefined;
  contact?: string | undefined;
  account?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** One live event of `GET /v1/events` (SSE `event: activity`, `id: <seq>`). */
export interface LiveEvent {
  /** The SSE event id: send it back as `Last-Event-ID` to resume after it. */
  id: string;
  activity: Activity;
  /** The ticket the entry is about, as it is now (with `sla`), or null. */
  ticket: Ticket | null;
}

/** `GET /v1/notifications`: updates to tickets the contact requested or follows, newest first. */
export interface NotificationPage {
  items: (TimelineEntry & { unseen: boolean })[];
  /** How many unseen updates there are in all (not only on this page). */
  unseenCount: number;
  /** When the contact last marked them seen (null: never). */
  seenAt: string | null;
}

/** Body of `POST /v1/notifications/seen`. */
export const NotificationsSeenSchema = z.object({
  /** Mark everything up to this time as seen (default: now). */
  until: z.optional(z.iso.datetime('until must be an ISO date-time')),
});
export type NotificationsSeen = z.infer<typeof NotificationsSeenSchema>;

/** KPIs of one account (or a roll-up), computed by the server. */
export interface SummaryFigures {
  /** Unsolved tickets by status. */
  open: { new: number; open: number; pending: number; total: number };
  /** Unsolved tickets whose SLA is now at risk or breached. */
  slaNow: { atRisk: number; breached: number };
  /** Clocks of tickets created in the period that ended met or breached (ratio = met share). */
  slaCompliance: { met: number; breached: number; ratio: number | null };
  /** Median minutes to the first agent reply (tickets created in the period). */
  medianFirstResponseMinutes: number | null;
  /** Median minutes to solved (tickets created and solved in the period). */
  medianResolutionMinutes: number | null;
  /** Satisfaction ratings in the period; ratio = share of `good`. */
  csat: { good: number; bad: number; ratio: number | null };
  /** Tickets created in the period, by category. */
  byCategory: Record<TicketCategory, number>;
  /** Article suggestions that solved a question instead of a ticket, in the period. */
  deflections: number;
}

/** `GET /v1/summary`. */
export interface AccountSummary {
  /** The account summarized; `null` for a roll-up of every reachable account. */
  account: AccountRef | null;
  /** The period of the period-based figures. */
  from: string;
  to: string;
  figures: SummaryFigures;
  /** For a roll-up: each account's own figures (parent first). */
  accounts: { account: AccountRef; figures: SummaryFigures }[];
}

/** Query of `GET /v1/summary`. */
export const SummaryQuerySchema = z.object({
  /** A reachable account id, or `all` (default: the caller's account). */
  account: z.optional(z.string()),
  /** Length of the period in days (1–365, default 30). */
  days: z.optional(wholeNumberParam('days', 30, 1, 365)),
});

// The vendor's service API schemas (agent replies, notes, merges) live in agent.ts.
