/**
 * User-visible names of core's enums, through `msg()` so locales can translate them. Each is
 * a function (not a constant) so the text follows a locale change at the next render.
 * Records keyed by core's enum types make the compiler fail when core adds a value; they
 * are local rather than core's runtime arrays so zod stays out of the browser bundle.
 */
import { msg, str } from '@lit/localize';
import type { Ticket, TicketCategory, TicketPriority, TicketSort, TicketStatus, TicketView } from '@portico/core';
import { relativeTime } from './format.ts';

export const statusLabel = (s: TicketStatus): string =>
  (
    ({
      new: msg('New', { id: 'ticket.status.new' }),
      open: msg('Open', { id: 'ticket.status.open' }),
      pending: msg('Pending', { id: 'ticket.status.pending' }),
      solved: msg('Solved', { id: 'ticket.status.solved' }),
      closed: msg('Closed', { id: 'ticket.status.closed' }),
    }) satisfies Record<TicketStatus, string>
  )[s] ?? s;

export const priorityLabel = (p: TicketPriority): string =>
  (
    ({
      low: msg('Low', { id: 'ticket.priority.low' }),
      normal: msg('Normal', { id: 'ticket.priority.normal' }),
      high: msg('High', { id: 'ticket.priority.high' }),
      urgent: msg('Urgent', { id: 'ticket.priority.urgent' }),
    }) satisfies Record<TicketPriority, string>
  )[p] ?? p;

export const categoryLabel = (c: TicketCategory): string =>
  (
    ({
      technical: msg('Technical', { id: 'ticket.category.technical' }),
      billing: msg('Billing', { id: 'ticket.category.billing' }),
      account: msg('Account', { id: 'ticket.category.account' }),
      feature_request: msg('Feature request', { id: 'ticket.category.feature_request' }),
    }) satisfies Record<TicketCategory, string>
  )[c] ?? c;

export const viewLabel = (v: TicketView): string =>
  (
    ({
      mine: msg('My tickets', { id: 'ticket-list.view.mine' }),
      account: msg('Account', { id: 'ticket-list.view.account' }),
      following: msg('Following', { id: 'ticket-list.view.following' }),
      unsolved: msg('All unsolved', { id: 'ticket-list.view.unsolved' }),
    }) satisfies Record<TicketView, string>
  )[v] ?? v;

export const sortLabel = (s: TicketSort): string =>
  (
    ({
      updated: msg('Last update', { id: 'ticket-list.sort.updated' }),
      created: msg('Newest', { id: 'ticket-list.sort.created' }),
      priority: msg('Priority', { id: 'ticket-list.sort.priority' }),
      sla_due: msg('SLA due', { id: 'ticket-list.sort.sla_due' }),
    }) satisfies Record<TicketSort, string>
  )[s] ?? s;

export const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];
export const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const CATEGORIES: readonly TicketCategory[] = ['technical', 'billing', 'account', 'feature_request'];
export const VIEWS: readonly TicketView[] = ['mine', 'account', 'following', 'unsolved'];
export const SORTS: readonly TicketSort[] = ['updated', 'created', 'priority', 'sla_due'];

/** The SLA state worth showing for a ticket (`data-state`) and its text; undefined when none. */
export function slaSummary(ticket: Ticket, locale: string | undefined, now: number): { state: string; text: string } | undefined {
  const clocks = ticket.sla ? [ticket.sla.firstResponse, ticket.sla.resolution].filter((c) => c.state !== 'met' && c.dueAt) : [];
  if (ticket.sla && clocks.length === 0) return undefined;
  if (clocks.some((c) => c.state === 'breached')) return { state: 'breached', text: msg('SLA breached', { id: 'ticket.sla.breached' }) };
  if (clocks.length && clocks.every((c) => c.paused)) return { state: 'paused', text: msg('SLA paused', { id: 'ticket.sla.paused' }) };
  const due = clocks.map((c) => c.dueAt!).sort()[0] ?? ticket.slaDueAt ?? undefined;
  if (!due) return undefined;
  const when = relativeTime(due, locale, now);
  if (clocks.some((c) => c.state === 'at_risk')) return { state: 'at_risk', text: msg(str`SLA at risk, due ${when}`, { id: 'ticket.sla.at-risk' }) };
  return { state: 'on_track', text: msg(str`SLA due ${when}`, { id: 'ticket.sla.due' }) };
}
