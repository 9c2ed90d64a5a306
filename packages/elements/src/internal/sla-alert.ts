/**
 * The SLA warning a ticket shows in lists (and, later, the ticket detail): the worst running
 * clock that is at risk (≥ 75 % of its target elapsed) or breached, or nothing when both are
 * on track, met, or the ticket has no SLA.
 */
import { msg } from '@lit/localize';
import type { Ticket } from '@portico/core';

export interface SlaAlert {
  clock: 'firstResponse' | 'resolution';
  state: 'at_risk' | 'breached';
  /** When the clock's target is (was) due, ISO; null when it cannot be reached. */
  dueAt: string | null;
  /** The badge text, in the active locale. */
  label: string;
}

/** The alert for a ticket, or null. A breach wins over a risk; first response over resolution. */
export function slaAlert(ticket: Pick<Ticket, 'sla' | 'status'>): SlaAlert | null {
  const sla = ticket.sla;
  if (!sla || ticket.status === 'solved' || ticket.status === 'closed') return null;
  const clocks = [
    { clock: 'firstResponse' as const, ...sla.firstResponse },
    { clock: 'resolution' as const, ...sla.resolution },
  ];
  const pick = clocks.find((c) => c.state === 'breached') ?? clocks.find((c) => c.state === 'at_risk');
  if (!pick) return null;
  const state = pick.state as SlaAlert['state'];
  return { clock: pick.clock, state, dueAt: pick.dueAt, label: LABELS[pick.clock][state]() };
}

const LABELS = {
  firstResponse: {
    at_risk: () => msg('First response at risk', { id: 'ticket.sla.first-response.at-risk' }),
    breached: () => msg('First response overdue', { id: 'ticket.sla.first-response.breached' }),
  },
  resolution: {
    at_risk: () => msg('Resolution at risk', { id: 'ticket.sla.resolution.at-risk' }),
    breached: () => msg('Resolution overdue', { id: 'ticket.sla.resolution.breached' }),
  },
} as const;
