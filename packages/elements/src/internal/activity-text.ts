/**
 * Readable sentences for activity entries, shared by the timeline and the notifications.
 * The ticket reference is passed in as a template (a link or plain text).
 */
import { msg, str } from '@lit/localize';
import type { Activity, TicketCategory, TicketStatus } from '@portico/core';
import { html, type TemplateResult } from 'lit';
import { roleLabel } from './contact-labels.ts';
import { categoryLabel } from './labels.ts';

const statusLabel = (s: unknown): string => {
  const labels: Record<TicketStatus, string> = {
    new: msg('new', { id: 'status.new' }),
    open: msg('open', { id: 'status.open' }),
    pending: msg('pending', { id: 'status.pending' }),
    solved: msg('solved', { id: 'status.solved' }),
    closed: msg('closed', { id: 'status.closed' }),
  };
  return labels[s as TicketStatus] ?? String(s);
};

const clockLabel = (clock: unknown) =>
  clock === 'resolution' ? msg('resolution', { id: 'activity.sla.resolution' }) : msg('first response', { id: 'activity.sla.first-response' });

/** A contact reference of contact-manager entries (`{ id, name, email }`), as its name. */
const person = (ref: unknown) => String((ref as { name?: unknown } | undefined)?.name ?? '');

/** The entry as a sentence; `ticket` renders the ticket reference. */
export function activitySentence(a: Activity, ticket: TemplateResult | string): TemplateResult {
  const who = a.actor.name;
  const d = a.data;
  switch (a.type) {
    case 'ticket.created':
      return msg(html`${who} opened ${ticket}`, { id: 'activity.ticket.created' });
    case 'ticket.status_changed':
      return msg(html`${who} changed ${ticket} from ${statusLabel(d.from)} to ${statusLabel(d.to)}`, { id: 'activity.ticket.status_changed' });
    case 'ticket.commented':
      return msg(html`${who} replied on ${ticket}`, { id: 'activity.ticket.commented' });
    case 'ticket.visibility_changed':
      return d.to === 'private'
        ? msg(html`${who} made ${ticket} private`, { id: 'activity.ticket.visibility.private' })
        : msg(html`${who} shared ${ticket} with the account`, { id: 'activity.ticket.visibility.account' });
    case 'ticket.escalated':
      return msg(html`${who} escalated ${ticket}`, { id: 'activity.ticket.escalated' });
    case 'ticket.satisfaction_rated':
      return d.rating === 'bad'
        ? msg(html`${who} rated ${ticket} as bad`, { id: 'activity.ticket.rated.bad' })
        : msg(html`${who} rated ${ticket} as good`, { id: 'activity.ticket.rated.good' });
    case 'sla.at_risk':
      return msg(html`${ticket} is at risk of missing its ${clockLabel(d.clock)} target`, { id: 'activity.sla.at_risk' });
    case 'sla.breached':
      return msg(html`${ticket} missed its ${clockLabel(d.clock)} target`, { id: 'activity.sla.breached' });
    case 'contact.invited':
      return msg(html`${who} invited ${person(d.contact)} as ${roleLabel(d.role)}`, { id: 'activity.contact.invited' });
    case 'contact.role_changed':
      return msg(html`${who} changed the role of ${person(d.contact)} from ${roleLabel(d.from)} to ${roleLabel(d.to)}`, {
        id: 'activity.contact.role_changed',
      });
    case 'contact.deactivated':
      return msg(html`${who} deactivated ${person(d.contact)}`, { id: 'activity.contact.deactivated' });
    case 'contact.reactivated':
      return msg(html`${who} reactivated ${person(d.contact)}`, { id: 'activity.contact.reactivated' });
    case 'contact.invitation_resent':
      return msg(html`${who} resent the invitation to ${person(d.contact)}`, { id: 'activity.contact.invitation_resent' });
    case 'contact.invitation_revoked':
      return msg(html`${who} revoked the invitation of ${person(d.contact)}`, { id: 'activity.contact.invitation_revoked' });
    case 'ticket.requester_changed':
      return msg(html`${who} handed ${ticket} from ${person(d.from)} to ${person(d.to)}`, { id: 'activity.ticket.requester_changed' });
    case 'contact.created':
      return msg(html`${person(d.contact)} joined as ${roleLabel(d.role)}`, { id: 'activity.contact.created' });
    case 'contact.updated':
      return msg(html`${who} updated the details of ${person(d.contact)}`, { id: 'activity.contact.updated' });
    case 'ticket.merged': {
      const ref = (side: unknown) => String((side as { ref?: unknown } | undefined)?.ref ?? '');
      const source = d.source as { id?: unknown } | undefined;
      return source?.id === a.ticketId
        ? msg(html`${who} merged ${ticket} into ${ref(d.target)}`, { id: 'activity.ticket.merged.source' })
        : msg(html`${who} merged ${ref(d.source)} into ${ticket}`, { id: 'activity.ticket.merged.target' });
    }
    case 'ticket.category_changed':
      return msg(html`${who} moved ${ticket} to ${categoryLabel(d.to as TicketCategory)}`, { id: 'activity.ticket.category_changed' });
    case 'article.deflected':
      return msg(html`${who} found the answer in a help article`, { id: 'activity.article.deflected' });
    default:
      return html`${msg(str`${who}: ${String((a as Activity).type)}`, { id: 'activity.other' })}`;
  }
}

/** `sla` for SLA entries, `contact` for contact entries, `ticket` otherwise (for styling). */
export const activityKind = (a: Activity) => (a.type.startsWith('sla.') ? 'sla' : a.type.startsWith('contact.') ? 'contact' : 'ticket');
